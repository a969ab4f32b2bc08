// Resident check-in: by CCCD, by resident pass, or registered at the kiosk without a card.
// Each is one transaction over residents, sessions and check-ins: a killed tab leaves all or nothing.
import type { CccdCard } from '$lib/domain/cccd';
import { importResidentKey, residentIdHash } from '$lib/domain/residentKey';
import { newResidentPassId } from '$lib/domain/residentPass';
import type { Gender } from '$lib/domain/resident';
import { getSetting, newId, type KioskDb, type ResidentRow } from './db';
import { openOrGetSession, todayDate } from './sessions';
import { currentTeam, SETTING } from './team';

export interface QueuedCheckIn {
	status: 'checkedIn' | 'alreadyQueued';
	resident: ResidentRow;
	queueNumber: number;
	/** Residents checked in before this one and not yet helped. */
	waitingAhead: number;
	firstVisit: boolean;
}

export type CheckInResult = QueuedCheckIn | { status: 'unknownPass' };

/** The current resident key first, then earlier ones (from before enrolment or a key change). */
async function residentKeys(db: KioskDb): Promise<CryptoKey[]> {
	const secret = await getSetting<Uint8Array>(db, SETTING.residentKeySecret);
	if (!secret) throw new Error('kiosk is not set up: no resident key');
	const previous = (await getSetting<Uint8Array[]>(db, SETTING.previousResidentKeys)) ?? [];
	return Promise.all([secret, ...previous].map(importResidentKey));
}

/** By ID-number hash (current key first, then earlier keys) or by pass id. */
type Lookup = { by: 'idHash'; value: string; earlier: string[] } | { by: 'passId'; value: string };

/** Finds (or, given `create`, adds) the resident, then queues them in today's session. */
async function checkIn(
	db: KioskDb,
	lookup: Lookup,
	now: Date,
	create?: () => Omit<ResidentRow, 'id' | 'createdAt' | 'lastSeenAt'>
): Promise<CheckInResult> {
	const [team, date] = await Promise.all([currentTeam(db), todayDate(db, now)]);
	const at = now.toISOString();
	return db.transaction('rw', [db.residents, db.sessions, db.checkIns, db.assists], async () => {
		let resident =
			lookup.by === 'idHash'
				? await db.residents.where('idHash').anyOf([lookup.value, ...lookup.earlier]).first()
				: await db.residents.where('passId').equals(lookup.value).first();
		let firstVisit = false;
		if (!resident) {
			if (!create) return { status: 'unknownPass' } as const;
			resident = { id: newId(), ...create(), createdAt: at, lastSeenAt: at };
			await db.residents.add(resident);
			firstVisit = true;
		} else {
			const fresh = create?.();
			// A card read again may carry a corrected name; keep the newest, never the address.
			resident = { ...resident, ...fresh, lastSeenAt: at };
			await db.residents.put(resident);
		}

		const session = await openOrGetSession(db, team.id, date, now);
		const existing = await db.checkIns.where('[sessionId+residentId]').equals([session.id, resident.id]).first();
		const queue = await db.checkIns.where('sessionId').equals(session.id).sortBy('queueNumber');
		const served = new Set((await db.assists.where('sessionId').equals(session.id).toArray()).map((a) => a.checkInId));
		const waitingAheadOf = (queueNumber: number) =>
			queue.filter((c) => c.queueNumber < queueNumber && !served.has(c.id)).length;

		if (existing) {
			return {
				status: 'alreadyQueued',
				resident,
				queueNumber: existing.queueNumber,
				waitingAhead: waitingAheadOf(existing.queueNumber),
				firstVisit: existing.firstVisit
			} as const;
		}
		const queueNumber = (queue.at(-1)?.queueNumber ?? 0) + 1;
		await db.checkIns.add({ id: newId(), sessionId: session.id, residentId: resident.id, at, queueNumber, firstVisit, gender: resident.gender, birthYear: resident.birthYear });
		return { status: 'checkedIn', resident, queueNumber, waitingAhead: waitingAheadOf(queueNumber), firstVisit } as const;
	});
}

export async function checkInWithCard(db: KioskDb, card: CccdCard, now: Date): Promise<CheckInResult> {
	const [idHash = '', ...earlier] = await Promise.all((await residentKeys(db)).map((key) => residentIdHash(card.idNumber, key)));
	// A match on an earlier key is re-keyed below (create() refreshes idHash).
	return checkIn(db, { by: 'idHash', value: idHash, earlier }, now, () => ({
		idHash,
		fullName: card.fullName,
		birthYear: card.birthYear,
		gender: card.gender
	}));
}

export async function checkInWithPass(db: KioskDb, passId: string, now: Date): Promise<CheckInResult> {
	return checkIn(db, { by: 'passId', value: passId }, now);
}

export interface NoCardRegistration {
	fullName: string;
	birthYear: number;
	gender: Gender;
}

/** Registers a resident without a card: they get a new pass and join today's queue. */
export async function registerWithoutCard(
	db: KioskDb,
	person: NoCardRegistration,
	now: Date
): Promise<QueuedCheckIn & { passId: string }> {
	const passId = newResidentPassId((bytes) => crypto.getRandomValues(bytes));
	const result = await checkIn(db, { by: 'passId', value: passId }, now, () => ({ passId, ...person }));
	if (result.status === 'unknownPass') throw new Error('unreachable: a new pass always registers');
	return { ...result, passId };
}
