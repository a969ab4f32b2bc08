// The server process is killed (SIGKILL, no shutdown) in the middle of a burst of batch uploads and
// started again on the same database: every upload the tablet saw confirmed is still there, the
// rest arrive after the restart, and nothing is stored twice.
import { expect, test } from './cspGuard';
import { faultSeed, intBetween } from '../fixtures/seededRandom';
import { isUpload } from '../fixtures/flakyProxy';
import { expectServerHoldsEachOnce, openLeaderView, outboxRows, seedOutbox, sendNow, serverHoldingsAt, waitForOutboxIdle, withFaultRig } from './fault';

const PROXY_PORT = 4382;
const SERVER_PORT = 4383;
const SESSIONS = 100;
const SEED = faultSeed(4_040);

test('server killed mid-burst of uploads: nothing confirmed is lost, nothing doubled', async ({ page }, testInfo) => {
	// No network faults here: the proxy only watches the uploads, to kill the server among them.
	await withFaultRig(page, testInfo, { seed: SEED, proxyPort: PROXY_PORT, serverPort: SERVER_PORT }, async ({ random, proxy, server, link }) => {
		const tallies = await seedOutbox(page, SESSIONS, random);

		// As the k-th upload (a batch of 20) goes to the server, kill it a few milliseconds later:
		// inside that request (stored or not, answered or not) or just after it.
		const killAt = intBetween(random, 2, 4);
		const killDelayMs = intBetween(random, 0, 15);
		let forwarded = 0;
		let killed: Promise<void> | null = null;
		proxy.onForward = (call) => {
			if (isUpload(call) && ++forwarded === killAt) killed = new Promise((r) => setTimeout(r, killDelayMs)).then(() => server.kill());
		};

		// Opening the kiosk starts the burst: all 100 are due.
		await openLeaderView(page, proxy.origin);
		await expect.poll(() => killed !== null, { timeout: 30_000 }).toBe(true);
		await killed;
		await waitForOutboxIdle(page);
		const afterKill = await outboxRows(page);
		const confirmed = afterKill.filter((r) => r.state === 'sent').map((r) => r.sessionId);
		// Mid-burst: some went, the rest wait with the reason, visible to the leader.
		expect(confirmed.length).toBeGreaterThan(0);
		expect(confirmed.length).toBeLessThan(SESSIONS);
		await expect(page.locator('tr[data-outbox-state="pending"]')).toHaveCount(SESSIONS - confirmed.length);
		await expect(page.locator('tr[data-outbox-state="pending"]').first()).toContainText('HTTP 502');
		// What the tablet took as confirmed, the server did answer (the harness is honest).
		const answered = new Set(proxy.calls.filter((c) => c.delivered).flatMap((c) => c.storedIds ?? []));
		expect(confirmed.filter((id) => !answered.has(id))).toEqual([]);

		await server.start();
		// Nothing confirmed is lost: read before the tablet sends anything again.
		const afterRestart = await serverHoldingsAt(server.databaseUrl, link.deviceId);
		expect(confirmed.filter((id) => !afterRestart.tallies.has(id))).toEqual([]);

		await sendNow(page);
		await expect(page.locator('tr[data-outbox-state="sent"]')).toHaveCount(SESSIONS, { timeout: 30_000 });
		expectServerHoldsEachOnce(await serverHoldingsAt(server.databaseUrl, link.deviceId), tallies);
		console.log(
			`restart (FAULT_SEED=${SEED}): killed ${killDelayMs} ms after upload ${killAt} went out; ${confirmed.length} confirmed before, ` +
				`${afterRestart.tallies.size} on the server after restart, ${SESSIONS} in the end`
		);
	});
});
