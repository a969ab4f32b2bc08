// The tablet's own database (IndexedDB through Dexie). Everything the kiosk knows lives here;
// schema changes go through a new version with an upgrade, never by wiping data.
import Dexie, { type EntityTable } from 'dexie';
import type { Gender } from '$lib/domain/resident';
import type { Skill } from '$lib/domain/skills';
import type { AnySessionTally, Outcome } from '$lib/domain/tally';
import type { PinHash } from '$lib/domain/pin';
import type { LocalDate } from '$lib/domain/period';
import type { CoreRole } from '$lib/domain/teamRules';
import type { ResidentProgress } from '$lib/domain/progress';
import type { Household } from '$lib/domain/households';
import type { BasicSkillGroup } from '$lib/domain/basicSkills';
import type { SessionDigest } from '$lib/domain/sessionDigest';

export interface ResidentRow {
	id: string;
	/** HMAC of the CCCD number (never the number itself); absent for pass holders. */
	idHash?: string;
	/**
	 * 1 while idHash was made with a key from before this tablet had its own (the deployment's
	 * shared key, or the demo key before enrolment): the next visit re-keys it (kiosk/residentKeys.ts).
	 * A number, not a boolean, so IndexedDB can index it.
	 */
	hashedWithOldKey?: 1;
	/** Random id printed in the resident's Trạm Số pass; absent for card holders. */
	passId?: string;
	fullName: string;
	birthYear: number;
	gender: Gender;
	createdAt: string;
	lastSeenAt: string;
}

export interface MemberRow {
	id: string;
	fullName: string;
	role: CoreRole;
	pin: PinHash;
	active: boolean;
	order: number;
	/** The server's badge version (domain/badge.ts): the one card this tablet accepts. Absent in demo mode. */
	badgeVersion?: number;
}

export interface SessionRow {
	/** UUID: names the session's tally on the server. */
	id: string;
	teamId: string;
	date: LocalDate;
	startedAt: string;
	endedAt?: string;
	status: 'open' | 'closed';
	membersPresent: string[];
	/** Tally version; raised when a closed session is re-tallied. */
	version: number;
}

export interface CheckInRow {
	id: string;
	sessionId: string;
	residentId: string;
	at: string;
	/** Place in the session's queue, from 1. */
	queueNumber: number;
	firstVisit: boolean;
	/**
	 * The resident's gender and birth year when they checked in, so counting a month reads no
	 * resident rows (thousands of single reads: most of the tally's time, npm run bench). Version 2
	 * fills them in on older rows; a row without them falls back to the resident.
	 */
	gender?: Gender;
	birthYear?: number;
}

export interface AssistRow {
	id: string;
	sessionId: string;
	checkInId: string;
	residentId: string;
	memberId: string;
	skillCodes: string[];
	outcome: Outcome;
	at: string;
	updatedAt: string;
}

export interface SkillRow extends Skill {
	order: number;
}

/** held: made before enrolment, waiting for the leader to confirm it belongs to the new team. */
export type OutboxState = 'pending' | 'sent' | 'refused' | 'held';

export interface OutboxRow {
	sessionId: string;
	version: number;
	tally: AnySessionTally;
	state: OutboxState;
	attempts: number;
	queuedAt: string;
	lastAttemptAt?: string;
	/** The server's reason, kept for the leader to read. */
	lastError?: string;
	/** Not before this time (epoch ms): the backoff after a failure. */
	nextAttemptAt?: number;
	sentAt?: string;
	/** What the server said: stored, replaced or unchanged (already had it). */
	serverResult?: string;
}

/** A team's monthly submission waiting in the outbox, or sent (issue 13): one per period on this tablet. */
export interface SubmissionRow {
	period: string;
	/** What is sent, as the server checks it (domain/submission.ts). */
	submission: import('$lib/domain/submission').PeriodSubmission;
	state: 'pending' | 'sent' | 'refused';
	attempts: number;
	queuedAt: string;
	lastAttemptAt?: string;
	nextAttemptAt?: number;
	/** The server's reason for a refusal, or the last network trouble. */
	lastError?: string;
	/** The refusal's code and field, for the leader's words. */
	refusal?: { code: string; field?: string };
	sentAt?: string;
	/** The server's answer: where the team's report stood when it arrived. */
	answer?: { result: string; state: string; waitingFor: string[]; returnNote: string | null };
}
/** A resident's five marks and household (domain/progress.ts), keyed by residentKey (kiosk/outcomes.ts). */
export type ProgressRow = ResidentProgress;
export type HouseholdRow = Household;

/**
 * What a member did to a resident's progress in a session, with who and when: the tablet's audit
 * trail of corrections and household links. "Done" assists are not stored here (they are the
 * session's assists). Erased with the resident's name at the retention period.
 */
export type OutcomeEventRow = { id: string; sessionId: string; residentKey: string; at: string; memberId: string } & (
	| { kind: 'correction'; group: BasicSkillGroup; marked: boolean }
	| { kind: 'link'; householdId: string | null }
);

/**
 * A closed session's rows boiled down for the period tally (domain/sessionDigest.ts), written when
 * it closes, or by the first tally that reads a session closed before version 6. Valid only for the
 * session's `version`: a closed session's rows never change, and closing again raises it.
 */
export interface SessionDigestRow extends SessionDigest {
	sessionId: string;
	version: number;
}

export interface SettingRow {
	key: string;
	value: unknown;
}

/** The first schema, as shipped (a test rebuilds a database an older app version left). */
export const STORES_V1 = {
	residents: 'id, &idHash, &passId, lastSeenAt',
	members: 'id, order',
	sessions: 'id, date, status',
	checkIns: 'id, sessionId, residentId, &[sessionId+residentId], at',
	assists: 'id, sessionId, checkInId, residentId, memberId, at',
	skills: 'code, order',
	outbox: 'sessionId, state',
	settings: 'key'
} as const;

export class KioskDb extends Dexie {
	residents!: EntityTable<ResidentRow, 'id'>;
	members!: EntityTable<MemberRow, 'id'>;
	sessions!: EntityTable<SessionRow, 'id'>;
	checkIns!: EntityTable<CheckInRow, 'id'>;
	assists!: EntityTable<AssistRow, 'id'>;
	skills!: EntityTable<SkillRow, 'code'>;
	outbox!: EntityTable<OutboxRow, 'sessionId'>;
	settings!: EntityTable<SettingRow, 'key'>;
	submissions!: EntityTable<SubmissionRow, 'period'>;
	progress!: EntityTable<ProgressRow, 'residentKey'>;
	households!: EntityTable<HouseholdRow, 'id'>;
	outcomeEvents!: EntityTable<OutcomeEventRow, 'id'>;
	sessionDigests!: EntityTable<SessionDigestRow, 'sessionId'>;

	constructor(name = 'tramso-kiosk') {
		// 'strict': a save resolves only once it is on disk. Chromium's default ('relaxed') survives a
		// killed tab but can lose the last confirmed assist in a power cut, common in village halls;
		// one flush per tap is cheap next to that.
		super(name, { chromeTransactionDurability: 'strict' });
		this.version(1).stores(STORES_V1);
		// Same indexes; check-ins gain the resident's gender and birth year (see CheckInRow).
		this.version(2)
			.stores({})
			.upgrade(async (tx) => {
				const residents = new Map((await tx.table<ResidentRow, string>('residents').toArray()).map((r) => [r.id, r]));
				await tx
					.table<CheckInRow, string>('checkIns')
					.toCollection()
					.modify((checkIn) => {
						const resident = residents.get(checkIn.residentId);
						if (resident) {
							checkIn.gender = resident.gender;
							checkIn.birthYear = resident.birthYear;
						}
					});
			});
		// Each tablet makes its own resident key: every ID hash stored so far was made with an old one.
		this.version(3)
			.stores({ residents: 'id, &idHash, &passId, lastSeenAt, hashedWithOldKey' })
			.upgrade(async (tx) => {
				await tx
					.table<ResidentRow, string>('residents')
					.filter((r) => r.idHash !== undefined)
					.modify({ hashedWithOldKey: 1 });
			});
		// The team's monthly submissions, waiting in the outbox beside the tallies (issue 13).
		this.version(4).stores({ submissions: 'period, state' });
		// (Version 4 belongs to the monthly submissions.) The five basic skills and households
		// (issue 14): new tables only, nothing to upgrade.
		this.version(5).stores({
			progress: 'residentKey, householdId, proficientIn',
			households: 'id, coveredIn',
			outcomeEvents: 'id, sessionId, residentKey, at'
		});
		// Closed sessions' digests for the period tally (issue 15): a new table only. Sessions closed
		// before it get theirs from the first tally that reads them (kiosk/reports.ts), not here, so
		// the update does not hold up the check-in screen reading a year of rows.
		this.version(6).stores({ sessionDigests: 'sessionId' });
	}
}

let shared: KioskDb | undefined;

/** The browser's one database. A newer app version in another tab asks to upgrade: reload then. */
export function kioskDb(): KioskDb {
	if (!shared) {
		shared = new KioskDb();
		shared.on('versionchange', () => {
			shared?.close();
			location.reload();
			return false;
		});
	}
	return shared;
}

export async function getSetting<T>(db: KioskDb, key: string): Promise<T | undefined> {
	return (await db.settings.get(key))?.value as T | undefined;
}

export async function putSetting(db: KioskDb, key: string, value: unknown): Promise<void> {
	await db.settings.put({ key, value });
}

export function newId(): string {
	return crypto.randomUUID();
}
