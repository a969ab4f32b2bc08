// Resident check-in: by CCCD, by resident pass, or registered at the kiosk without a card.
// Each is one transaction over residents, sessions and check-ins: a killed tab leaves all or nothing.
import type { CccdCard } from '$lib/domain/cccd';
import { residentIdHash } from '$lib/domain/residentKey';
import { newResidentPassId } from '$lib/domain/residentPass';
import type { Gender } from '$lib/domain/resident';
import { newId, type KioskDb, type ResidentRow } from './db';
import { openOrGetSession, todayDate } from './sessions';
import { currentTeam } from './team';
import { forgetOldKeysIfUnused, residentKeys } from './residentKeys';

export interface QueuedCheckIn {
	status: 'checkedIn' | 'alreadyQueued';
	resident: ResidentRow;
	queueNumber: number;
	/** Residents checked in before this one and not yet helped. */
	waitingAhead: number;
	firstVisit: boolean;
}

export type CheckInResult = QueuedCheckIn | { status: 'unknownPass' };

/** By ID-number hash (this tablet's key, then old keys from before it had its own) or by pass id. */
type Lookup = { by: 'idHash'; value: string; old: string[] } | { by: 'passId'; value: string };

/** The team and today's date, read before the check-in's transaction. */
const teamAndDate = (db: KioskDb, now: Date) => Promise.all([currentTeam(db), todayDate(db, now)]);

/**
 * Finds (or, given `create`, adds) the resident, then queues them in today's session. Independent
 * reads go together (Promise.all): each awaited request is a round trip to the browser's database,
 * and on a tablet-class CPU the greeting waited for them one by one (npm run bench: scan → greeting).
 */
async function checkIn(
	db: KioskDb,
	lookup: Lookup,
	now: Date,
	create?: () => Omit<ResidentRow, 'id' | 'createdAt' | 'lastSeenAt'>,
	context: ReturnType<typeof teamAndDate> = teamAndDate(db, now)
): Promise<CheckInResult> {
	const [team, date] = await context;
	const at = now.toISOString();
	return db.transaction('rw', [db.residents, db.sessions, db.checkIns, db.assists, db.settings], async () => {
		let resident =
			lookup.by === 'idHash'
				? ((await db.residents.where('idHash').equals(lookup.value).first()) ??
					(lookup.old.length > 0 ? await db.residents.where('idHash').anyOf(lookup.old).first() : undefined))
				: await db.residents.where('passId').equals(lookup.value).first();
		let firstVisit = false;
		let saved: Promise<unknown>;
		if (!resident) {
			if (!create) return { status: 'unknownPass' } as const;
			resident = { id: newId(), ...create(), createdAt: at, lastSeenAt: at };
			saved = db.residents.add(resident);
			firstVisit = true;
		} else {
			const fresh = create?.();
			const rekeyed = resident.hashedWithOldKey === 1 && fresh?.idHash !== undefined;
			// A card read again may carry a corrected name; keep the newest, never the address.
			// Its idHash is this tablet's: a match on an old key is re-keyed here.
			const { hashedWithOldKey: _old, ...known } = resident;
			resident = { ...(rekeyed ? known : resident), ...fresh, lastSeenAt: at };
			saved = db.residents.put(resident).then(() => (rekeyed ? forgetOldKeysIfUnused(db) : undefined));
		}
		const residentId = resident.id;

		const [, session] = await Promise.all([saved, openOrGetSession(db, team.id, date, now)]);
		const [existing, queue, assists] = await Promise.all([
			db.checkIns.where('[sessionId+residentId]').equals([session.id, residentId]).first(),
			db.checkIns.where('sessionId').equals(session.id).sortBy('queueNumber'),
			db.assists.where('sessionId').equals(session.id).toArray()
		]);
		const served = new Set(assists.map((a) => a.checkInId));
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
	const context = teamAndDate(db, now); // meanwhile
	context.catch(() => {}); // a failure surfaces in checkIn, which awaits it
	const keys = await residentKeys(db);
	const [idHash, old] = await Promise.all([
		residentIdHash(card.idNumber, keys.own),
		Promise.all(keys.old.map((key) => residentIdHash(card.idNumber, key)))
	]);
	return checkIn(
		db,
		{ by: 'idHash', value: idHash, old },
		now,
		() => ({ idHash, fullName: card.fullName, birthYear: card.birthYear, gender: card.gender }),
		context
	);
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
