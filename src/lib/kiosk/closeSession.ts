// Closing a session freezes it, computes its tally and queues the tally for upload, all in one
// transaction: either the session is closed and its tally waits in the outbox, or nothing changed.
import { computeCounts, type SessionTally } from '$lib/domain/tally';
import { validateSessionTally } from '$lib/domain/tallySchema';
import type { KioskDb, SessionRow } from './db';
import { requireOpenSession, tallyResidents } from './sessions';

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

