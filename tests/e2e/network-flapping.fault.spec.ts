// The network flaps while the tablet uploads: requests vanish before or after the server saw
// them, answers come late, half or as 502/503 (tests/fixtures/flakyProxy.ts, seeded). Once the
// network settles, the server holds every closed session exactly once, with the tablet's counts.
import { expect, test } from './cspGuard';
import { FATES, isUpload, type Fate } from '../fixtures/flakyProxy';
import { faultSeed } from '../fixtures/seededRandom';
import {
	expectServerHoldsEachOnce,
	openLeaderView,
	outboxRows,
	seedOutbox,
	sendNow,
	serverHoldingsAt,
	waitForOutboxIdle,
	withFaultRig
} from './fault';
import { recordSession } from './kiosk';

const PROXY_PORT = 4380;
const SERVER_PORT = 4381;
/** One session closed through the screens, the rest written into the outbox directly: five batches a round. */
const SEEDED_SESSIONS = 99;
const MAX_FLAPPING_ROUNDS = 20;
const SEED = faultSeed(20_261_129);
/** Faults after which the tablet holds an HTTP status: one fetch each, never resent by the browser. */
const ANSWERED_FATES: ReadonlySet<Fate> = new Set(['pass', 'delay', 'cutAnswer', 'fail503', 'fail502After']);

test('network flapping during upload: after it settles the server holds every closed session once', async ({ page }, testInfo) => {
	// Every fault is dealt to an upload early; the rounds after go on drawing them at random.
	const rig = { seed: SEED, proxyPort: PROXY_PORT, serverPort: SERVER_PORT, coverUploadFates: true };
	await withFaultRig(page, testInfo, rig, async ({ random, proxy, server, link }) => {
		proxy.flap();

		await recordSession(page, 'Hà Thị Lụa', 'Cài đặt VNeID', { birthYear: 1957, origin: proxy.origin });
		const seeded = await seedOutbox(page, SEEDED_SESSIONS, random);
		const [byScreens] = (await outboxRows(page)).filter((r) => !seeded.some((t) => t.sessionId === r.sessionId));
		// The seeded rows must look like the app's own, or this test proves nothing about it.
		expect(Object.keys(seeded[0]!).sort()).toEqual(Object.keys(byScreens!.tally).sort());
		const tallies = [byScreens!.tally, ...seeded];

		// The kiosk starts sending as it opens; the leader taps "send now" while the network flaps,
		// until every kind of fault has hit an upload. Batches make few requests: when everything went
		// through first, the hall closes more sessions and the flapping goes on.
		await openLeaderView(page, proxy.origin);
		const faultsMet = () => FATES.every((fate) => proxy.calls.some((c) => isUpload(c) && c.fate === fate));
		for (let round = 0; round < MAX_FLAPPING_ROUNDS; round++) {
			await waitForOutboxIdle(page);
			const rows = await outboxRows(page);
			if (faultsMet() && round >= 3) break;
			if (rows.every((r) => r.state === 'sent')) {
				tallies.push(...(await seedOutbox(page, 20, random)));
				await openLeaderView(page, proxy.origin);
				continue;
			}
			await sendNow(page);
		}
		await waitForOutboxIdle(page);
		expect(faultsMet(), proxy.summary()).toBe(true);
		// Every answer that reached the tablet, whole or cut off, is a try the leader view counts (a
		// cut answer used to abort the run uncounted, and the rows behind it went unsent). Drops are
		// left out: Chromium itself resends a request whose connection died before any answer. So is
		// a request the tablet abandoned: its page went elsewhere before the (delayed) answer.
		for (const row of await outboxRows(page)) {
			const answered = proxy.calls.filter((c) => c.sessionIds?.includes(row.sessionId) && ANSWERED_FATES.has(c.fate) && !c.abandoned).length;
			const seen = proxy.calls
				.filter((c) => c.sessionIds?.includes(row.sessionId))
				.map((c) => `${c.path.replace('/api/v1/', '')} ${c.fate} ${c.upstreamStatus}${c.abandoned ? ' abandoned' : c.delivered ? ' heard' : ''}`);
			expect(row.attempts, `tries of ${row.sessionId}: ${seen.join('; ')}`).toBeGreaterThanOrEqual(answered);
		}
		// The interesting case happened: the server stored an upload whose answer the tablet lost.
		expect(proxy.calls.some((c) => (c.storedIds?.length ?? 0) > 0 && !c.delivered)).toBe(true);

		proxy.settle();
		await sendNow(page);
		await expect(page.locator('tr[data-outbox-state="sent"]')).toHaveCount(tallies.length, { timeout: 60_000 });

		const rows = await outboxRows(page);
		expect(rows.every((r) => r.state === 'sent')).toBe(true);
		// A lost answer made the tablet send again; the server recognised the session.
		expect(rows.filter((r) => r.serverResult === 'unchanged').length).toBeGreaterThan(0);
		expect(rows.filter((r) => r.serverResult === 'stored').length + rows.filter((r) => r.serverResult === 'unchanged').length).toBe(tallies.length);
		expectServerHoldsEachOnce(await serverHoldingsAt(server.databaseUrl, link.deviceId), tallies);
		console.log(`flapping (FAULT_SEED=${SEED}): ${proxy.summary()}`);
	});
});
