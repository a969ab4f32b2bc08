// The outbox against a server that fails in the ways village networks do: nothing is ever
// dropped, failures back off, a confirmation settles a row once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropKioskDb, freshKioskDb } from '../../fixtures/kioskDb';
import type { KioskDb, OutboxRow } from '$lib/kiosk/db';
import { sendDueTallies, type UploadFn } from '$lib/kiosk/outboxSend';
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
