// The tablet joins the district server by scanning the officer's enrolment QR, uploads what it
// recorded, and the officer sees it in the monthly report; a day offline loses and doubles nothing.
import { expect, test, type Page } from './cspGuard';
import { DEMO, recordSession, storedRows, unlockTeamMode } from './kiosk';
import { DEMO_TEAM_ID } from '../fixtures/e2eServer';
import { signIn } from './admin';

interface ReportJson {
	total: { sessions: number; assists: number; checkIns: number };
	teams: { id: string; sessions: number }[];
}

async function teamUnitId(officer: Page): Promise<string> {
	await officer.goto(`/admin/teams/${DEMO_TEAM_ID}`);
	const unit = await officer.locator('[data-unit-id]').getAttribute('data-unit-id');
	if (!unit) throw new Error('no unit for the demo team');
	return unit;
}

async function teamSessions(officer: Page, unitId: string, period: string): Promise<number> {
	const report = (await (await officer.request.get(`/api/v1/reports/monthly?unit=${unitId}&period=${period}`)).json()) as ReportJson;
	return report.teams.find((t) => t.id === DEMO_TEAM_ID)?.sessions ?? 0;
}

test('enrol by QR, upload the demo-mode session, see it in the report; a day offline uploads once', async ({ page, context, browser }) => {
	const officerContext = await browser.newContext();
	const officer = await signIn(await officerContext.newPage());
	const unitId = await teamUnitId(officer);
	const period = await page.evaluate(() => {
		// The period containing today under the default rule (15th–14th).
		const now = new Date(new Date().toLocaleString('en-US', { timeZone: 'Asia/Ho_Chi_Minh' }));
		const month = now.getDate() >= 15 ? now.getMonth() + 1 : now.getMonth();
		const d = new Date(now.getFullYear(), month, 1);
		return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
	});
	const before = await teamSessions(officer, unitId, period);

	// In demo mode, before any server: one session.
	await recordSession(page, 'Đinh Thị Sen', 'Cài đặt VNeID');
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();

	// Connect: the camera sees the officer's enrolment QR.
	const enrolResponse = page.waitForResponse((r) => r.url().endsWith('/api/v1/devices/enroll') && r.request().method() === 'POST');
	await page.getByRole('button', { name: 'Kết nối máy chủ' }).click();
	await expect(page.getByText(/Đã kết nối với .*Máy làm việc cho/)).toBeVisible({ timeout: 15_000 });
	// The tablet's resident key is its own: the server sends none.
	const enrolment = await (await enrolResponse).json();
	expect(Object.keys(enrolment).sort()).toEqual(['deviceId', 'members', 'periodReports', 'periodRule', 'server', 'skills', 'team', 'token', 'version']);
	// The demo server's Trung Hòa team is the tablet's demo team: its session goes straight out.
	// (Sessions of another team are held for the leader: tests/unit/kiosk/kioskData.test.ts.)
	await expect(page.locator('tr[data-outbox-state="sent"]')).toHaveCount(1, { timeout: 15_000 });
	await expect.poll(() => teamSessions(officer, unitId, period)).toBe(before + 1);

	// A day without network: the session waits in the outbox, then goes once the network is back.
	await context.setOffline(true);
	await recordSession(page, 'Võ Văn Tám', 'Zalo và gọi video');
	await expect(page.getByText('Đã đóng phiên. Máy đang không có mạng: số liệu sẽ tự gửi lên máy chủ khi có mạng.')).toBeVisible();
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await page.getByRole('button', { name: 'Gửi ngay' }).click();
	await expect(page.locator('tr[data-outbox-state="pending"]')).toHaveCount(1);
	await expect(page.locator('tr[data-outbox-state="pending"]')).toContainText(/Failed to fetch|fetch/i);
	expect(await teamSessions(officer, unitId, period)).toBe(before + 1);

	await context.setOffline(false); // the 'online' event sends what is due
	await page.getByRole('button', { name: 'Gửi ngay' }).click();
	await expect(page.locator('tr[data-outbox-state="sent"]')).toHaveCount(2, { timeout: 15_000 });
	await expect.poll(() => teamSessions(officer, unitId, period)).toBe(before + 2);
	// Sending everything again changes nothing on the server.
	await page.getByRole('button', { name: 'Gửi ngay' }).click();
	expect(await teamSessions(officer, unitId, period)).toBe(before + 2);
	const outbox = await storedRows<{ state: string; tally: { teamId: string } }>(page, 'outbox');
	expect(outbox.every((r) => r.state === 'sent' && r.tally.teamId === DEMO_TEAM_ID)).toBe(true);

	// Online and enrolled, closing sends at once and says so, without waiting for the 30 s timer.
	// The upload is held a second (the route sees the service worker's requests too) so that
	// "sending" can be seen before "sent".
	const tallies = '**/api/v1/tallies';
	await context.route(tallies, async (route) => {
		await new Promise((done) => setTimeout(done, 1000));
		await route.continue();
	});
	await recordSession(page, 'Hà Văn Sáu', 'Học trực tuyến');
	await expect(page.getByText('Đã đóng phiên. Đang gửi số liệu lên máy chủ…')).toBeVisible();
	await expect(page.getByText('Đã đóng phiên. Đã gửi số liệu lên máy chủ.')).toBeVisible();
	await expect.poll(() => teamSessions(officer, unitId, period)).toBe(before + 3);
	await context.unroute(tallies);

	// The officer revokes the tablet: its next upload is refused and nothing is lost.
	await officer.goto('/admin/devices');
	await officer.getByRole('button', { name: 'Ngắt kết nối' }).first().click();
	await expect(officer.getByText('Đã ngắt kết nối').first()).toBeVisible();
	await recordSession(page, 'Lò Thị Mai', 'Học trực tuyến');
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await page.getByRole('button', { name: 'Gửi ngay' }).click();
	await expect(page.getByText('Máy này đã bị cán bộ ngắt kết nối.', { exact: false })).toBeVisible();
	await expect(page.locator('tr[data-outbox-state="pending"]')).toHaveCount(1);
	await officerContext.close();
});
