// Help sessions: today's is opened by the first check-in (so early arrivals count); closing
// freezes it, computes its tally and queues the tally for upload, all in one transaction.
import Dexie from 'dexie';
import { localDateOf } from '$lib/domain/period';
import { computeCounts, type SessionTally, type TallyResident } from '$lib/domain/tally';
import { validateSessionTally } from '$lib/domain/tallySchema';
import { newId, type KioskDb, type SessionRow } from './db';
import { currentTeam, timeZone } from './team';

export class SessionClosedError extends Error {
	constructor() {
		super('session is closed');
		this.name = 'SessionClosedError';
	}
}

export async function todayDate(db: KioskDb, now: Date): Promise<string> {
	return localDateOf(now, await timeZone(db));
}

/** Today's open session, if any. Must run inside a transaction that includes `sessions`. */
export async function findOpenSession(db: KioskDb, date: string): Promise<SessionRow | undefined> {
	return db.sessions.where('date').equals(date).and((s) => s.status === 'open').first();
}

/** Today's open session, or a new one. Call inside a 'rw' transaction on `sessions`. */
export async function openOrGetSession(db: KioskDb, teamId: string, date: string, now: Date): Promise<SessionRow> {
	const open = await findOpenSession(db, date);
	if (open) return open;
	const session: SessionRow = {
		id: newId(),
		teamId,
		date,
		startedAt: now.toISOString(),
		status: 'open',
		membersPresent: [],
		version: 0
	};
	await db.sessions.add(session);
	return session;
}

export async function openTodaySession(db: KioskDb, now: Date): Promise<SessionRow> {
	const [team, date] = await Promise.all([currentTeam(db), todayDate(db, now)]);
	return db.transaction('rw', db.sessions, () => openOrGetSession(db, team.id, date, now));
}

/** The member is counted as present at this session. Inside a 'rw' transaction on `sessions`. */
export async function markPresent(db: KioskDb, sessionId: string, memberId: string): Promise<void> {
	await db.sessions
		.where('id')
		.equals(sessionId)
		.modify((s) => {
			if (s.status === 'open' && !s.membersPresent.includes(memberId)) s.membersPresent.push(memberId);
		});
}

export async function requireOpenSession(db: KioskDb, sessionId: string): Promise<SessionRow> {
	const session = await db.sessions.get(sessionId);
	if (!session) throw new Error(`no session ${sessionId}`);
	if (session.status !== 'open') throw new SessionClosedError();
	return session;
}

/** Residents referred to by the given check-ins and assists, as the tally needs them. */
export async function tallyResidents(db: KioskDb, residentIds: Iterable<string>): Promise<Map<string, TallyResident>> {
	const rows = await db.residents.bulkGet([...new Set(residentIds)]);
	const map = new Map<string, TallyResident>();
	for (const r of rows) if (r) map.set(r.id, { id: r.id, gender: r.gender, birthYear: r.birthYear });
	return map;
}

export async function buildSessionTally(db: KioskDb, session: SessionRow, endedAt: string, version: number): Promise<SessionTally> {
	const [checkIns, assists] = await Promise.all([
		db.checkIns.where('sessionId').equals(session.id).toArray(),
		db.assists.where('sessionId').equals(session.id).toArray()
	]);
	const residents = await tallyResidents(db, [...checkIns.map((c) => c.residentId), ...assists.map((a) => a.residentId)]);
	const counts = computeCounts({ residents, checkIns, assists, atYear: Number(session.date.slice(0, 4)) });
	return {
		schema: 1,
		sessionId: session.id,
		version,
		teamId: session.teamId,
		date: session.date,
		startedAt: session.startedAt,
		endedAt,
		membersPresent: [...session.membersPresent],
		...counts
	};
}

/**
 * Freezes the session and queues its tally for upload. One transaction: either the session is
 * closed and its tally waits in the outbox, or nothing changed.
 */
export async function closeSession(db: KioskDb, sessionId: string, now: Date): Promise<SessionTally> {
	return db.transaction('rw', [db.sessions, db.checkIns, db.assists, db.residents, db.outbox], async () => {
		const session = await requireOpenSession(db, sessionId);
		const endedAt = now.toISOString() < session.startedAt ? session.startedAt : now.toISOString();
		const version = session.version + 1;
		const tally = await buildSessionTally(db, session, endedAt, version);
		const checked = validateSessionTally(tally);
		if (!checked.ok) throw new Error(`tally does not validate: ${checked.field}: ${checked.message}`);
		await db.sessions.update(sessionId, { status: 'closed', endedAt, version });
		await db.outbox.put({ sessionId, version, tally, state: 'pending', attempts: 0, queuedAt: now.toISOString() });
		return tally;
	});
}

export async function listSessions(db: KioskDb): Promise<SessionRow[]> {
	return db.sessions.orderBy('date').reverse().toArray();
}

export function isTransactionAbort(e: unknown): boolean {
	return e instanceof Dexie.AbortError;
}
