// Help sessions: today's is opened by the first check-in, so early arrivals count.
// Closing one is closeSession.ts (kept apart so the check-in screen loads less code).
import { localDateOf } from '$lib/domain/period';
import type { TallyResident } from '$lib/domain/tally';
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
