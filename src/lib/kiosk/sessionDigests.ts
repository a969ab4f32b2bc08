// Closed sessions' digests (domain/sessionDigest.ts) in the tablet database (version 6): what the
// period tally reads instead of a closed session's rows.
import { digestSession, type SessionDigest } from '$lib/domain/sessionDigest';
import type { KioskDb, SessionDigestRow, SessionRow } from './db';

/** The digest of a session from its rows. Inside a transaction that includes checkIns and assists. */
export async function digestFromRows(db: KioskDb, sessionId: string): Promise<SessionDigest> {
	const [checkIns, assists] = await Promise.all([
		db.checkIns.where('sessionId').equals(sessionId).toArray(),
		db.assists.where('sessionId').equals(sessionId).toArray()
	]);
	return digestSession(checkIns, assists);
}

/** The stored digest, when it still describes the session (closed, same version). */
export function usableDigest(session: SessionRow, stored: SessionDigestRow | undefined): SessionDigest | undefined {
	return stored && session.status === 'closed' && stored.version === session.version ? stored : undefined;
}

/**
 * Stores digests a tally had to make from rows (sessions closed before version 6), later and in a
 * transaction of their own: the tally runs inside a live query, which may not write. A session
 * that is no longer closed at that version gets none. Failing (a full disk) costs only speed.
 */
export function saveDigestsLater(db: KioskDb, rows: SessionDigestRow[]): void {
	if (rows.length === 0) return;
	setTimeout(() => {
		db.transaction('rw', [db.sessions, db.sessionDigests], async () => {
			const sessions = await db.sessions.bulkGet(rows.map((r) => r.sessionId));
			await db.sessionDigests.bulkPut(rows.filter((r, i) => sessions[i]?.status === 'closed' && sessions[i]!.version === r.version));
		}).catch((e: unknown) => console.warn('session digests not saved', e));
	}, 0);
}
