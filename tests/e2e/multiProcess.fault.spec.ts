// Two server processes on one PostgreSQL behind a proxy (issue 15 §3; README "More than one
// server"): the tablet's uploads go to both in turn while the network flaps, and the database holds
// every session exactly once; the sign-in limit counts the tries made at either process.
import { request } from '@playwright/test';
import { expect, test } from './cspGuard';
import { FAULT_ADMIN_PASSWORD, serverProcess, type ServerProcess } from '../fixtures/serverProcess';
import { isUpload, startFlakyProxy, type FlakyProxy } from '../fixtures/flakyProxy';
import { faultSeed, mulberry32 } from '../fixtures/seededRandom';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../fixtures/throwawayPostgres';
import { enrolThroughProxy, expectServerHoldsEachOnce, openLeaderView, outboxRows, seedOutbox, sendNow, serverHoldingsAt, waitForOutboxIdle } from './fault';

const PROXY_PORT = 4390;
const SERVER_PORTS = [4391, 4392] as const;
const SESSIONS = 30;
const SEED = faultSeed(15_003);

let postgres: ThrowawayPostgres;
const servers: ServerProcess[] = [];
let proxy: FlakyProxy;

test.describe.configure({ timeout: 240_000 });

test.beforeAll(async () => {
	test.setTimeout(240_000);
	postgres = await startThrowawayPostgres();
	proxy = await startFlakyProxy({ port: PROXY_PORT, targetPort: SERVER_PORTS, random: mulberry32(SEED) });
	// One after the other, as a rolling start does: the first migrates and seeds the demo data.
	for (const port of SERVER_PORTS) {
		const server = serverProcess({ port, origin: proxy.origin, env: { DATABASE_URL: postgres.url } });
		servers.push(server);
		await server.start();
	}
});

test.afterAll(async () => {
	await proxy?.close();
	for (const server of servers) await server.dispose();
	await postgres?.stop();
});

test('uploads spread over two processes through a flapping network are each stored once', async ({ page }) => {
	const link = await enrolThroughProxy(page, proxy.origin, postgres.url);
	const tallies = await seedOutbox(page, SESSIONS, mulberry32(SEED + 1));
	proxy.flap();
	await openLeaderView(page, proxy.origin);
	for (let round = 0; round < 6; round++) {
		await waitForOutboxIdle(page);
		if ((await outboxRows(page)).every((r) => r.state === 'sent')) break;
		await sendNow(page);
	}
	proxy.settle();
	await waitForOutboxIdle(page);
	await sendNow(page);
	await expect(page.locator('tr[data-outbox-state="sent"]')).toHaveCount(SESSIONS, { timeout: 60_000 });

	// Both processes took uploads, and the database holds each session once, with the tablet's counts.
	const uploads = proxy.calls.filter((c) => isUpload(c) && c.upstreamStatus !== null);
	for (const port of SERVER_PORTS) expect(uploads.filter((c) => c.target === port).length, `uploads to ${port}`).toBeGreaterThan(0);
	expectServerHoldsEachOnce(await serverHoldingsAt(postgres.url, link.deviceId), tallies);
	console.log(`two processes (FAULT_SEED=${SEED}): ${proxy.summary()}`);
});

test('the sign-in limit holds across both processes: the sixth wrong try is refused at either', async () => {
	const context = await request.newContext({ baseURL: proxy.origin, extraHTTPHeaders: { origin: proxy.origin, accept: 'text/html' } });
	try {
		// The proxy sends each request to the other process in turn.
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) {
			const response = await context.post('/admin/login', { form: { username: 'admin', password: `wrong password ${i}` }, maxRedirects: 0 });
			statuses.push(response.status());
		}
		// Five wrong tries a minute per name and address: with the count in each process, the sixth
		// (the third at each) would still be a plain "wrong password".
		expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
		// The right password is refused too while the limit holds.
		const right = await context.post('/admin/login', { form: { username: 'admin', password: FAULT_ADMIN_PASSWORD }, maxRedirects: 0 });
		expect(right.status()).toBe(429);
	} finally {
		await context.dispose();
	}
});
