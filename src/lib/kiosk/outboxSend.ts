// Sends closed sessions' tallies waiting in the outbox. A row leaves 'pending' only on the
// server's word: sent when it confirmed, refused (kept, with the reason) when it said no for
// good. Network trouble and server errors only schedule another try, with backoff.
import { retryDelayMs } from '$lib/domain/backoff';
import type { AnySessionTally } from '$lib/domain/tally';
import type { TallyUploadResult } from '$lib/domain/api';
import type { KioskDb, OutboxRow } from './db';
import { SERVER_SETTING, serverLink, type ServerLink } from './enrolment';
import type { ApiOutcome } from './serverApi';

export type UploadFn = (origin: string, token: string, tally: AnySessionTally) => Promise<ApiOutcome<TallyUploadResult>>;

export interface SendReport {
	sent: number;
	refused: number;
	retrying: number;
	/** The server says this tablet was revoked: stop until it is enrolled again. */
	revoked: boolean;
}

export function isDue(row: OutboxRow, now: number): boolean {
	return row.state === 'pending' && (row.nextAttemptAt ?? 0) <= now;
}

/** Records an answer, unless the row changed meanwhile (a newer version was queued): then it waits. */
async function settle(db: KioskDb, sent: OutboxRow, change: Partial<OutboxRow>): Promise<void> {
	await db.transaction('rw', db.outbox, async () => {
		const current = await db.outbox.get(sent.sessionId);
		if (current && current.version === sent.version && current.state === 'pending') await db.outbox.update(sent.sessionId, change);
	});
}

export async function sendDueTallies(db: KioskDb, upload: UploadFn, now: () => Date, random: () => number): Promise<SendReport> {
	const report: SendReport = { sent: 0, refused: 0, retrying: 0, revoked: false };
	const link = await serverLink(db);
	if (!link || link.revokedAt) return { ...report, revoked: !!link?.revokedAt };
	const due = (await db.outbox.where('state').equals('pending').toArray())
		.filter((row) => isDue(row, now().getTime()))
		.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));

	for (const row of due) {
		const attemptAt = now();
		const outcome = await upload(link.origin, link.token, row.tally);
		const attempts = row.attempts + 1;
		const base = { attempts, lastAttemptAt: attemptAt.toISOString() };
		if (outcome.kind === 'ok') {
			await settle(db, row, { ...base, state: 'sent', sentAt: attemptAt.toISOString(), serverResult: outcome.value, lastError: undefined });
			report.sent++;
		} else if (outcome.kind === 'refused' && outcome.code === 'device_revoked') {
			const revoked: ServerLink = { ...link, revokedAt: attemptAt.toISOString() };
			await db.settings.put({ key: SERVER_SETTING, value: revoked });
			report.revoked = true;
			return report; // the row stays pending: it goes out once the tablet is enrolled again
		} else if (outcome.kind === 'refused') {
			const field = outcome.field ? ` (${outcome.field})` : '';
			await settle(db, row, { ...base, state: 'refused', lastError: `${outcome.code}: ${outcome.message}${field}` });
			report.refused++;
		} else {
			const delay = retryDelayMs(attempts, random);
			await settle(db, row, { ...base, nextAttemptAt: attemptAt.getTime() + delay, lastError: outcome.message });
			report.retrying++;
		}
	}
	return report;
}
