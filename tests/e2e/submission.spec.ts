// Issue 13 end to end: the tablet's leader submits the team's month ("Gửi báo cáo kỳ"), the
// commune officer sees it submitted and approves it, and both the officer's page and the tablet
// (at its next sync) say approved. A team of its own, in the demo team's commune: other specs'
// tablets upload to the demo team, whose report this tablet could then not account for.
import { seriousViolations } from './axe';
import { expect, test, type Page } from './cspGuard';
import { registerWithoutCard, unlockTeamMode } from './kiosk';
import { signIn } from './admin';
import { enrolWithCode } from './enrol';
import { E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { LEADER, newTeam } from './newTeam';
import { localDateOf, periodOf } from '../../src/lib/domain/period';

/** The tablet joins as the team's (no camera screen first: nothing is checked in for the demo team), records one session and uploads it. */
async function enrolAndRecordOneSession(page: Page, code: string): Promise<void> {
	await page.goto('/team');
	await enrolWithCode(page, code);

	await page.goto('/no-card');
	await registerWithoutCard(page, { name: 'Phạm Thị Duyệt', birthYear: 1950, gender: 'Nữ' });
	await expect(page.getByText('Số thứ tự:')).toBeVisible();
	await unlockTeamMode(page, LEADER);
	await page.getByRole('button', { name: /Phạm Thị Duyệt/ }).click();
	await page.getByRole('button', { name: 'Cài đặt VNeID', exact: true }).click();
	await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
	await expect(page.getByText('Đã lưu hỗ trợ cho Phạm Thị Duyệt')).toBeVisible();
	await page.getByRole('button', { name: 'Đóng phiên' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
	await expect(page.getByText('Đã đóng phiên.', { exact: false })).toBeVisible();
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await page.getByRole('button', { name: 'Gửi ngay' }).click();
	await expect(page.locator('section.period-report li[data-upload="uploaded"]')).toHaveCount(1, { timeout: 15_000 });
}

test('the tablet submits its period, the officer approves it, and both say approved', async ({ page }) => {
	test.setTimeout(120_000);
	const period = periodOf(localDateOf(new Date()));

	const setup = await newTeam('Duyệt');
	await enrolAndRecordOneSession(page, setup.code);
	const panel = page.locator('section.period-report');
	await expect(panel.getByText('đã đóng, đã gửi lên máy chủ')).toBeVisible();

	// "Gửi báo cáo kỳ": queued, sent, and the server's answer shown.
	await panel.getByRole('button', { name: 'Gửi báo cáo kỳ' }).click();
	await expect(panel.getByText(/Đã gửi báo cáo kỳ lúc/)).toBeVisible({ timeout: 15_000 });
	expect(await seriousViolations(page), 'the leader view with the period report passes axe').toEqual([]);
	await expect(panel.getByRole('button', { name: 'Gửi báo cáo kỳ' })).toBeDisabled();
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	const stored = await db.selectFrom('period_submissions').select(['period', 'state', 'sessions']).where('team_id', '=', setup.teamId).execute().finally(close);
	expect(stored).toHaveLength(1);
	expect(stored[0]).toMatchObject({ period, state: 'current' });
	expect(JSON.parse(stored[0]!.sessions)).toHaveLength(1);

	// The commune officer (here the admin) sees it submitted, with its figures, and approves it.
	const officer = await page.context().newPage();
	await signIn(officer);
	await officer.getByRole('link', { name: 'Duyệt báo cáo' }).click();
	await expect(officer.getByRole('heading', { name: 'Duyệt báo cáo kỳ' })).toBeVisible();
	// Opened on the province: each commune's state, and how much of the province is approved.
	await expect(officer.locator('p.summary')).toContainText(/Duyệt: tỉnh đã duyệt \d+\/\d+ xã/);
	await expect(officer.locator(`tr[data-unit-id="${setup.communeId}"]`)).toBeVisible();
	await officer.goto(`/admin/approvals?unit=${encodeURIComponent(setup.communeId)}&period=${period}`);
	const row = officer.locator(`tr[data-team-id="${setup.teamId}"]`);
	await expect(row).toHaveAttribute('data-state', 'submitted');
	await expect(row).toContainText('Đã gửi báo cáo');
	await expect(row).toContainText('1 buổi, 1 lượt đến, 1 lượt hỗ trợ');
	expect(await seriousViolations(officer), 'the approvals page passes axe').toEqual([]);
	await row.getByRole('button', { name: 'Duyệt', exact: true }).click();
	await expect(row).toHaveAttribute('data-state', 'approved');
	await expect(row).toContainText('Đã duyệt');
	await expect(row).toContainText('Duyệt bởi');
	await expect(row).toContainText('Số liệu đã khóa');
	await officer.setViewportSize({ width: 1366, height: 768 });
	const overflow = await officer.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, 'the approvals page fits 1366 px without scrolling sideways').toBeLessThanOrEqual(0);

	// The monthly report (screen and print) carries it: the team approved, the commune's count of approved teams.
	await officer.goto(`/admin/reports?unit=${encodeURIComponent(setup.communeId)}&period=${period}`);
	await expect(officer.locator(`tr[data-team-id="${setup.teamId}"]`)).toContainText('đã duyệt');
	await expect(officer.locator('.approval')).toContainText(/đã duyệt [1-9]\d*\//);
	await officer.goto(`/admin/reports/print?unit=${encodeURIComponent(setup.communeId)}&period=${period}`);
	await expect(officer.locator('p.approval').first()).toContainText('Duyệt: ');

	// The tablet hears it at its next sync.
	await page.bringToFront();
	await page.getByRole('button', { name: 'Gửi ngay' }).click();
	await expect(panel.getByText('Xã đã duyệt báo cáo kỳ.')).toBeVisible({ timeout: 15_000 });
});

test('a returned report shows the officer\'s note on the tablet at its next sync, and the team submits again', async ({ page }) => {
	test.setTimeout(120_000);
	const period = periodOf(localDateOf(new Date()));
	const setup = await newTeam('Trả lại');
	await enrolAndRecordOneSession(page, setup.code);
	const panel = page.locator('section.period-report');
	await panel.getByRole('button', { name: 'Gửi báo cáo kỳ' }).click();
	await expect(panel.getByText(/Đã gửi báo cáo kỳ lúc/)).toBeVisible({ timeout: 15_000 });

	// The officer returns it with a note; a return without one is refused by the form.
	const officer = await page.context().newPage();
	await signIn(officer);
	await officer.goto(`/admin/approvals?unit=${encodeURIComponent(setup.communeId)}&period=${period}`);
	const row = officer.locator(`tr[data-team-id="${setup.teamId}"]`);
	await row.getByRole('button', { name: 'Trả lại' }).click();
	await expect(row.getByRole('alert')).toHaveText('Hãy ghi lý do (tối đa 500 ký tự).');
	await row.getByLabel('Ghi chú cho tổ').fill('Thiếu buổi ngày 12');
	await row.getByRole('button', { name: 'Trả lại' }).click();
	await expect(row).toHaveAttribute('data-state', 'returned');
	await expect(row).toContainText('Xã trả lại báo cáo: Thiếu buổi ngày 12');

	// The leader reads the note at the next sync and submits again.
	await page.bringToFront();
	await page.getByRole('button', { name: 'Gửi ngay' }).click();
	await expect(panel.getByText('Xã trả lại báo cáo kỳ: Thiếu buổi ngày 12')).toBeVisible({ timeout: 15_000 });
	await panel.getByRole('button', { name: 'Gửi báo cáo kỳ' }).click();
	await expect(panel.getByText(/Đã gửi báo cáo kỳ lúc/)).toBeVisible({ timeout: 15_000 });
	await officer.reload();
	await expect(row).toHaveAttribute('data-state', 'submitted');
});
