// Closing a session freezes it, computes its tally and queues the tally for upload, all in one
// transaction: either the session is closed and its tally waits in the outbox, or nothing changed.
import { computeCounts, type SessionOutcomeInput, type SessionTallyV2 } from '$lib/domain/tally';
import { MAX_SESSION_MS, validateAnySessionTally } from '$lib/domain/tallySchema';
import type { KioskDb, SessionRow } from './db';
import { settleSessionOutcomes } from './outcomes';
import { requireOpenSession, tallyResidents } from './sessions';
import { digestFromRows } from './sessionDigests';

/**
 * The session's tally (schema 2): its visits and assists, and the outcomes it was settled with
 * (settleSessionOutcomes, which closeSession runs first in the same transaction).
 */
export async function buildSessionTally(
	db: KioskDb,
	session: SessionRow,
	endedAt: string,
	version: number,
	outcomes: SessionOutcomeInput
): Promise<SessionTallyV2> {
	const [checkIns, assists] = await Promise.all([
		db.checkIns.where('sessionId').equals(session.id).toArray(),
		db.assists.where('sessionId').equals(session.id).toArray()
	]);
	const residents = await tallyResidents(db, [...checkIns.map((c) => c.residentId), ...assists.map((a) => a.residentId)]);
	const counts = computeCounts({ residents, checkIns, assists, atYear: Number(session.date.slice(0, 4)), outcomes });
	return {
		schema: 2,
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
 * When the session ended: now, but a session left open (closed days later) ends 24 hours after it
 * started, the longest the tally schema accepts, so it can still be closed and sent.
 */
function sessionEnd(startedAt: string, now: Date): string {
	const latest = Date.parse(startedAt) + MAX_SESSION_MS;
	return new Date(Math.min(Math.max(now.getTime(), Date.parse(startedAt)), latest)).toISOString();
}

/**
 * Closes the session and queues its tally. A tally the shared schema refuses (the server would
 * refuse it too) is kept, never sent, and waits in the outbox as refused with the reason the
 * leader sees, in the same words as a server refusal.
 */
export async function closeSession(db: KioskDb, sessionId: string, now: Date): Promise<SessionTallyV2> {
	const tables = [db.sessions, db.checkIns, db.assists, db.residents, db.outbox, db.skills, db.progress, db.households, db.outcomeEvents, db.sessionDigests];
	return db.transaction('rw', tables, async () => {
		const session = await requireOpenSession(db, sessionId);
		const endedAt = sessionEnd(session.startedAt, now);
		const version = session.version + 1;
		// Outcomes are counted once per tablet: the session's first-time counts are written to the
		// residents' progress and the households here, with the close, or not at all.
		const { settled, residentKeys } = await settleSessionOutcomes(db, sessionId);
		const tally = await buildSessionTally(db, session, endedAt, version, { sessionId, settled, residentKeys });
		const checked = validateAnySessionTally(tally);
		const queued = { sessionId, version, tally, attempts: 0, queuedAt: now.toISOString() };
		await db.sessions.update(sessionId, { status: 'closed', endedAt, version });
		// The period tally reads this instead of the session's rows from now on (they no longer change).
		await db.sessionDigests.put({ ...(await digestFromRows(db, sessionId)), sessionId, version });
		await db.outbox.put(checked.ok ? { ...queued, state: 'pending' } : { ...queued, state: 'refused', lastError: `invalid_tally: ${checked.message} (${checked.field})` });
		return tally;
	});
}

