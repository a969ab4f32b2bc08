// Sends closed sessions' tallies waiting in the outbox. A row leaves 'pending' only on the
// server's word: sent when it confirmed, refused (kept, with the reason) when it said no for
// good. Network trouble and server errors only schedule another try, with backoff. Two or more
// due go in batches (POST /tallies/batch, issue 15): a week offline is one round trip, not fifty.
import { retryDelayMs } from '$lib/domain/backoff';
import type { AnySessionTally } from '$lib/domain/tally';
import type { BatchItemResult, TallyUploadResult } from '$lib/domain/api';
import type { KioskDb, OutboxRow } from './db';
import { SERVER_SETTING, serverLink, type ServerLink } from './enrolment';
import type { ApiOutcome } from './serverApi';

export type UploadFn = (origin: string, token: string, tally: AnySessionTally) => Promise<ApiOutcome<TallyUploadResult>>;
export type BatchUploadFn = (origin: string, token: string, tallies: readonly AnySessionTally[]) => Promise<ApiOutcome<BatchItemResult[]>>;

/**
 * Tallies per batch request (the server takes up to 100): on a 2G link a request that dies costs
 * its whole body again, so smaller batches lose less; 50 sessions are still three round trips.
 */
export const BATCH_MAX_TALLIES = 20;
/** Below the server's 2 MiB once inflated, whatever the tallies hold. */
const BATCH_MAX_JSON_CHARS = 1_500_000;

/**
 * A server without the batch route (older than issue 15) answers 404 or 405: single uploads from
 * then on, until the tablet restarts (the server may be updated meanwhile).
 */
let batchUnsupported = false;
export function forgetBatchSupport(): void {
	batchUnsupported = false;
}

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

export async function sendDueTallies(db: KioskDb, upload: UploadFn, now: () => Date, random: () => number, uploadBatch?: BatchUploadFn): Promise<SendReport> {
	const report: SendReport = { sent: 0, refused: 0, retrying: 0, revoked: false };
	const link = await serverLink(db);
	if (!link || link.revokedAt) return { ...report, revoked: !!link?.revokedAt };
	const due = (await db.outbox.where('state').equals('pending').toArray())
		.filter((row) => isDue(row, now().getTime()))
		.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));

	// Two or more due: in batches (one round trip each); what a batch could not settle goes one by one.
	let single = due;
	if (uploadBatch && due.length > 1 && !batchUnsupported) {
		single = [];
		for (const chunk of batches(due)) {
			const left = await sendBatch(db, link, chunk, uploadBatch, now, random, report);
			if (report.revoked) return report;
			single.push(...left);
		}
	}

	for (const row of single) {
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

/** Due rows in request-sized groups, oldest first. */
function batches(rows: readonly OutboxRow[]): OutboxRow[][] {
	const out: OutboxRow[][] = [];
	let current: OutboxRow[] = [];
	let chars = 0;
	for (const row of rows) {
		const size = JSON.stringify(row.tally).length;
		if (current.length > 0 && (current.length >= BATCH_MAX_TALLIES || chars + size > BATCH_MAX_JSON_CHARS)) {
			out.push(current);
			current = [];
			chars = 0;
		}
		current.push(row);
		chars += size;
	}
	if (current.length > 0) out.push(current);
	return out;
}

/**
 * Sends one batch and settles each row by its own result. Returns the rows to send one by one: all
 * of them when the server has no batch route or refused the batch as a whole (its size or shape:
 * each tally then gets its own verdict), none otherwise.
 */
async function sendBatch(
	db: KioskDb,
	link: ServerLink,
	rows: OutboxRow[],
	uploadBatch: BatchUploadFn,
	now: () => Date,
	random: () => number,
	report: SendReport
): Promise<OutboxRow[]> {
	const attemptAt = now();
	const outcome = await uploadBatch(link.origin, link.token, rows.map((r) => r.tally));
	if (outcome.kind === 'refused' && outcome.code === 'device_revoked') {
		await db.settings.put({ key: SERVER_SETTING, value: { ...link, revokedAt: attemptAt.toISOString() } satisfies ServerLink });
		report.revoked = true;
		return [];
	}
	if (outcome.kind === 'refused') {
		if (outcome.status === 404 || outcome.status === 405) batchUnsupported = true;
		return rows;
	}
	if (outcome.kind === 'retry' || outcome.value.length !== rows.length) {
		const message = outcome.kind === 'retry' ? outcome.message : 'the batch answer did not match what was sent';
		for (const row of rows) {
			const attempts = row.attempts + 1;
			await settle(db, row, { attempts, lastAttemptAt: attemptAt.toISOString(), nextAttemptAt: attemptAt.getTime() + retryDelayMs(attempts, random), lastError: message });
			report.retrying++;
		}
		return [];
	}
	for (const [i, row] of rows.entries()) {
		const item = outcome.value[i]!;
		const base = { attempts: row.attempts + 1, lastAttemptAt: attemptAt.toISOString() };
		if ('result' in item) {
			await settle(db, row, { ...base, state: 'sent', sentAt: attemptAt.toISOString(), serverResult: item.result, lastError: undefined });
			report.sent++;
		} else {
			const field = item.error.field ? ` (${item.error.field})` : '';
			await settle(db, row, { ...base, state: 'refused', lastError: `${item.error.code}: ${item.error.message}${field}` });
			report.refused++;
		}
	}
	return [];
}
