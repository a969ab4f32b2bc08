// Closing a session sends its tally at once when the tablet can (enrolled, not revoked, online),
// instead of leaving it for the 30 s timer with nothing on screen.
import type { KioskDb } from './db';
import { closeSession } from './closeSession';
import { serverLink } from './enrolment';
import { outboxSync } from './outboxSync.svelte';

export async function canSend(db: KioskDb): Promise<boolean> {
	const link = await serverLink(db);
	return !!link && !link.revokedAt;
}

/** Closes the session (one transaction, see closeSession) and starts sending its tally if it can. */
export async function closeAndSend(db: KioskDb, sessionId: string, now: Date): Promise<void> {
	await closeSession(db, sessionId, now);
	if (navigator.onLine && (await canSend(db))) void outboxSync.run(true);
}
