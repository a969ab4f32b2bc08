// Issue 13: the team's monthly submission goes through the flaky proxy (requests dropped before
// or after the server saw them, answers cut off or replaced by 502/503) and lands exactly once:
// the server stores it once, and the tablet, having lost the first answer, hears "unchanged".
import Database from 'better-sqlite3';
import { expect, test } from './cspGuard';
import { faultSeed } from '../fixtures/seededRandom';
import { openLeaderView, outboxRows, sendNow, waitForOutboxIdle, withFaultRig } from './fault';
import { recordSession, storedRows } from './kiosk';
import type { SubmissionRow } from '../../src/lib/kiosk/db';
import { DEMO_TEAM_ID } from '../fixtures/e2eServer';

// Ports of its own, beside network-flapping's (4380/4381) and the other fault specs'.
const PROXY_PORT = 4396;
const SERVER_PORT = 4397;
const SEED = faultSeed(20_261_130);
const MAX_ROUNDS = 12;
/** While flapping every call meets a fault, most of them after the server answered. */
const WEIGHTS = { pass: 0, delay: 0, dropBefore: 10, dropAfter: 30, cutAnswer: 20, fail503: 10, fail502After: 20 };

test('a period submission through a flapping network is stored exactly once', async ({ page }, testInfo) => {
	test.setTimeout(180_000);
	await withFaultRig(page, testInfo, { seed: SEED, proxyPort: PROXY_PORT, serverPort: SERVER_PORT, weights: WEIGHTS }, async ({ proxy, server, link }) => {
		// This server (its own file) seeded the demo team's demo tallies, which this tablet never
		// recorded: without them the tablet's sessions are the team's whole month.
		const seeded = new Database(server.databaseFile);
		try {
			for (const table of ['tally_skill_counts', 'tally_member_counts', 'tally_group_counts']) {
				seeded.prepare(`DELETE FROM ${table} WHERE session_id IN (SELECT session_id FROM session_tallies WHERE team_id = ?)`).run(DEMO_TEAM_ID);
			}
			seeded.prepare('DELETE FROM session_tallies WHERE team_id = ?').run(DEMO_TEAM_ID);
		} finally {
			seeded.close();
		}
		// A session closed and uploaded while the network is fine.
		await recordSession(page, 'Hà Thị Lụa', 'Cài đặt VNeID', { birthYear: 1957, origin: proxy.origin });
		await openLeaderView(page, proxy.origin);
		await expect(page.locator('tr[data-outbox-state="sent"]')).toHaveCount(1, { timeout: 30_000 });

		// The leader submits the month as the network starts to flap, and taps "send now" until the
		// server has stored the submission without the tablet hearing it.
		proxy.flap();
		const panel = page.locator('section.period-report');
		await panel.getByRole('button', { name: 'Gửi báo cáo kỳ' }).click();
		const submissionCalls = () => proxy.calls.filter((c) => c.path.startsWith('/api/v1/submissions'));
		const lostAfterStoring = () => submissionCalls().some((c) => c.upstreamStatus === 201 && !c.delivered);
		for (let round = 0; round < MAX_ROUNDS && !lostAfterStoring(); round++) {
			await waitForOutboxIdle(page);
			await sendNow(page);
		}
		await waitForOutboxIdle(page);
		expect(lostAfterStoring(), proxy.summary()).toBe(true);
		const [queued] = await storedRows<SubmissionRow>(page, 'submissions');
		expect(queued).toMatchObject({ state: 'pending' });
		expect(queued!.attempts).toBeGreaterThanOrEqual(1);

		proxy.settle();
		await sendNow(page);
		await expect(panel.getByText(/Đã gửi báo cáo kỳ lúc/)).toBeVisible({ timeout: 30_000 });
		const [sent] = await storedRows<SubmissionRow>(page, 'submissions');
		expect(sent).toMatchObject({ state: 'sent', answer: { result: 'unchanged', state: 'submitted' } });
		expect(sent!.submission.submissionId).toBe(queued!.submission.submissionId);
		const [tally] = await outboxRows(page);
		expect(sent!.submission.sessions).toEqual([{ sessionId: tally!.sessionId, version: tally!.version }]);

		// The server holds it once, stored once: every resend carried the same id.
		const db = new Database(server.databaseFile, { readonly: true });
		try {
			const rows = db.prepare('SELECT submission_id, state, device_id FROM period_submissions').all();
			expect(rows).toEqual([{ submission_id: queued!.submission.submissionId, state: 'current', device_id: link.deviceId }]);
			const stored = db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'submission.stored'").get() as { n: number };
			expect(stored.n).toBe(1);
		} finally {
			db.close();
		}
		console.log(`submission flapping (FAULT_SEED=${SEED}): ${proxy.summary()}; ${submissionCalls().length} submission calls`);
	});
});
