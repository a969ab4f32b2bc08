// The outbox against a server that fails in the ways village networks do: nothing is ever
// dropped, failures back off, a confirmation settles a row once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropKioskDb, freshKioskDb } from '../../fixtures/kioskDb';
import type { KioskDb, OutboxRow } from '$lib/kiosk/db';
import { forgetBatchSupport, sendDueTallies, type BatchUploadFn, type UploadFn } from '$lib/kiosk/outboxSend';
import { SERVER_SETTING, type ServerLink } from '$lib/kiosk/enrolment';
import { BACKOFF_CAP_MS } from '$lib/domain/backoff';
import { emptyCounts, type SessionTally } from '$lib/domain/tally';

let db: KioskDb;

const link: ServerLink = {
	origin: 'https://server.test',
	name: 'Test',
	deviceId: 'dev-1',
	token: 'token-abcdefghijklmnopqrstuvwxyz',
	enrolledAt: '2026-11-01T00:00:00.000Z',
	configVersion: 'v1'
};

function tally(sessionId: string, version = 1): SessionTally {
	return {
		...emptyCounts(),
		schema: 1,
		sessionId,
		version,
		teamId: 'team-1',
		date: '2026-11-20',
		startedAt: '2026-11-20T01:00:00.000Z',
		endedAt: '2026-11-20T04:00:00.000Z',
		membersPresent: []
	};
}

async function queue(sessionId: string, version = 1): Promise<void> {
	const row: OutboxRow = { sessionId, version, tally: tally(sessionId, version), state: 'pending', attempts: 0, queuedAt: new Date(0).toISOString() };
	await db.outbox.put(row);
}

beforeEach(async () => {
	db = await freshKioskDb({ seeded: false });
	await db.settings.put({ key: SERVER_SETTING, value: link });
});
afterEach(() => dropKioskDb(db));

describe('sendDueTallies', () => {
	it('marks a confirmed upload as sent and keeps it on the tablet', async () => {
		await queue('s1');
		const upload: UploadFn = async () => ({ kind: 'ok', value: 'stored' });
		const report = await sendDueTallies(db, upload, () => new Date(1_000), () => 0.5);
		expect(report).toMatchObject({ sent: 1, refused: 0, retrying: 0 });
		expect(await db.outbox.get('s1')).toMatchObject({ state: 'sent', serverResult: 'stored', attempts: 1 });
	});

	it('keeps a refused tally with the server reason and does not send it again', async () => {
		await queue('s1');
		let calls = 0;
		const upload: UploadFn = async () => {
			calls++;
			return { kind: 'refused', status: 422, code: 'unknown_skill', message: 'Unknown skill code "x".', field: 'assistsBySkill.x' };
		};
		await sendDueTallies(db, upload, () => new Date(1_000), () => 0.5);
		await sendDueTallies(db, upload, () => new Date(10_000_000), () => 0.5);
		expect(calls).toBe(1);
		expect(await db.outbox.get('s1')).toMatchObject({ state: 'refused', lastError: 'unknown_skill: Unknown skill code "x". (assistsBySkill.x)' });
	});

	it('survives an hour of 500 and 503 answers: backs off, never drops, then delivers once', async () => {
		await queue('s1');
		await queue('s2');
		let clock = 0;
		let calls = 0;
		let serverUp = false;
		const received = new Set<string>();
		const upload: UploadFn = async (_o, _t, t) => {
			calls++;
			if (!serverUp) return { kind: 'retry', status: calls % 2 ? 500 : 503, message: 'HTTP 503' };
			received.add(t.sessionId);
			return { kind: 'ok', value: 'stored' };
		};
		const random = (() => {
			let seed = 7;
			return () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
		})();
		// The kiosk ticks every 30 s for an hour of simulated time.
		for (clock = 0; clock < 3_600_000; clock += 30_000) await sendDueTallies(db, upload, () => new Date(clock), random);
		const rows = await db.outbox.toArray();
		expect(rows.every((r) => r.state === 'pending')).toBe(true);
		// Backoff: far fewer than the 240 ticks × 2 rows, and gaps grow.
		expect(calls).toBeLessThan(60);
		expect(rows.every((r) => (r.nextAttemptAt ?? 0) - clock <= BACKOFF_CAP_MS)).toBe(true);

		serverUp = true;
		clock += BACKOFF_CAP_MS;
		await sendDueTallies(db, upload, () => new Date(clock), random);
		expect([...received].sort()).toEqual(['s1', 's2']);
		expect((await db.outbox.toArray()).every((r) => r.state === 'sent')).toBe(true);
	});

	it('a revoked tablet stops sending and keeps everything pending', async () => {
		await queue('s1');
		await queue('s2');
		let calls = 0;
		const upload: UploadFn = async () => {
			calls++;
			return { kind: 'refused', status: 401, code: 'device_revoked', message: 'revoked' };
		};
		const report = await sendDueTallies(db, upload, () => new Date(1_000), () => 0.5);
		expect(report.revoked).toBe(true);
		expect(calls).toBe(1);
		expect((await db.outbox.toArray()).map((r) => r.state)).toEqual(['pending', 'pending']);
		expect(((await db.settings.get(SERVER_SETTING))?.value as ServerLink).revokedAt).toBeTruthy();
		expect((await sendDueTallies(db, upload, () => new Date(2_000), () => 0.5)).revoked).toBe(true);
		expect(calls).toBe(1);
	});

	it('does not mark a newer version as sent when an older one was confirmed meanwhile', async () => {
		await queue('s1', 1);
		const upload: UploadFn = async () => {
			await queue('s1', 2); // the leader re-closed the session while the upload was in flight
			return { kind: 'ok', value: 'stored' };
		};
		await sendDueTallies(db, upload, () => new Date(1_000), () => 0.5);
		expect(await db.outbox.get('s1')).toMatchObject({ version: 2, state: 'pending' });
	});

	it('sends nothing before the tablet is enrolled', async () => {
		await db.settings.delete(SERVER_SETTING);
		await queue('s1');
		const report = await sendDueTallies(db, async () => ({ kind: 'ok', value: 'stored' }), () => new Date(1), () => 0.5);
		expect(report.sent).toBe(0);
		expect((await db.outbox.get('s1'))?.state).toBe('pending');
	});
});

describe('sendDueTallies in batches (issue 15)', () => {
	const single: UploadFn = async () => {
		throw new Error('no single upload expected');
	};

	it('sends 50 due sessions in three requests and settles each row by its own result', async () => {
		for (let i = 0; i < 50; i++) await queue(`s${String(i).padStart(2, '0')}`);
		const sizes: number[] = [];
		const batch: BatchUploadFn = async (_o, _t, tallies) => {
			sizes.push(tallies.length);
			return {
				kind: 'ok',
				value: tallies.map((t) =>
					t.sessionId === 's07'
						? { sessionId: t.sessionId, status: 422, error: { code: 'unknown_skill', message: 'Unknown skill code "x".', field: 'assistsBySkill.x' } }
						: { sessionId: t.sessionId, version: t.version, result: t.sessionId === 's01' ? ('unchanged' as const) : ('stored' as const) }
				)
			};
		};
		const report = await sendDueTallies(db, single, () => new Date(1_000), () => 0.5, batch);
		expect(sizes).toEqual([20, 20, 10]);
		expect(report).toMatchObject({ sent: 49, refused: 1, retrying: 0 });
		expect(await db.outbox.get('s01')).toMatchObject({ state: 'sent', serverResult: 'unchanged', attempts: 1 });
		expect(await db.outbox.get('s07')).toMatchObject({ state: 'refused', lastError: 'unknown_skill: Unknown skill code "x". (assistsBySkill.x)' });
	});

	it('a lost batch answer backs off every row in it; nothing is marked sent or refused', async () => {
		for (const id of ['a', 'b', 'c']) await queue(id);
		const batch: BatchUploadFn = async () => ({ kind: 'retry', status: null, message: 'Failed to fetch' });
		const report = await sendDueTallies(db, single, () => new Date(1_000), () => 0.5, batch);
		expect(report).toMatchObject({ sent: 0, refused: 0, retrying: 3 });
		for (const id of ['a', 'b', 'c']) expect(await db.outbox.get(id)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'Failed to fetch' });
	});

	it('a batch refused as a whole, or a server without the route, falls back to one upload each', async () => {
		for (const id of ['a', 'b']) await queue(id);
		let singles = 0;
		const one: UploadFn = async () => (singles++, { kind: 'ok', value: 'stored' });
		const tooBig: BatchUploadFn = async () => ({ kind: 'refused', status: 413, code: 'body_too_large', message: 'too large' });
		expect(await sendDueTallies(db, one, () => new Date(1_000), () => 0.5, tooBig)).toMatchObject({ sent: 2, refused: 0 });
		expect(singles).toBe(2);

		// An older server: 404 on the batch route, then single uploads without asking again.
		for (const id of ['c', 'd']) await queue(id);
		let batchCalls = 0;
		const missing: BatchUploadFn = async () => (batchCalls++, { kind: 'refused', status: 404, code: 'http_error', message: 'HTTP 404' });
		await sendDueTallies(db, one, () => new Date(1_000), () => 0.5, missing);
		for (const id of ['e', 'f']) await queue(id);
		await sendDueTallies(db, one, () => new Date(1_000), () => 0.5, missing);
		expect(batchCalls).toBe(1);
		expect(singles).toBe(6);
		forgetBatchSupport();
	});

	it('a revoked tablet stops at the first batch, its rows kept pending', async () => {
		for (const id of ['a', 'b']) await queue(id);
		const revoked: BatchUploadFn = async () => ({ kind: 'refused', status: 401, code: 'device_revoked', message: 'revoked' });
		const report = await sendDueTallies(db, single, () => new Date(1_000), () => 0.5, revoked);
		expect(report.revoked).toBe(true);
		expect((await db.outbox.toArray()).every((r) => r.state === 'pending')).toBe(true);
	});
});
