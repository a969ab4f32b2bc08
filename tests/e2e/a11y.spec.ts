// An axe check of each kiosk screen as people see it: no serious or critical violations.
import { seriousViolations } from './axe';
import { expect, test } from './cspGuard';
import { DEMO, unlockTeamMode } from './kiosk';
import { signIn } from './admin';
import { E2E_ADMIN_PASSWORD } from '../fixtures/e2eServer';

test('check-in, no-card, team and leader screens pass axe', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);

	await page.goto('/no-card');
	await page.getByRole('button', { name: 'Đăng ký và vào hàng chờ' }).click();
	await expect(page.getByText('Xin nhập họ và tên.')).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);

	await page.goto('/team');
	await expect(page.getByRole('heading', { name: 'Chọn tên của bạn' })).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);

	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('button', { name: /Trần Thị Hoa/ }).click();
	expect(await seriousViolations(page)).toEqual([]);

	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await expect(page.getByRole('heading', { name: 'Báo cáo của tổ' })).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);
});

test.describe('upright tablet', () => {
	test.use({ viewport: { width: 800, height: 1280 } });

	// The states this round of fixes added: the PIN pad full, the save message in the session
	// row, disabled skill and outcome buttons, the notice after closing, the calm "already queued".
	test('the PIN pad, team mode after a save, and the leader view after closing pass axe', async ({ page }) => {
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
		await page.reload();
		await expect(page.getByText('Đã có tên trong hàng chờ hôm nay', { exact: false })).toBeVisible();
		expect(await seriousViolations(page)).toEqual([]);

		await page.getByRole('link', { name: 'Tổ công nghệ số' }).click();
		await page.getByRole('button', { name: new RegExp(DEMO.leader.name) }).click();
		for (let i = 0; i < 8; i++) await page.getByRole('button', { name: '1', exact: true }).click();
		await expect(page.getByText('Đã đủ 8 chữ số. Bấm «Mở khóa».')).toBeVisible();
		expect(await seriousViolations(page)).toEqual([]);
		await page.getByRole('button', { name: 'Quay lại' }).click();
		await page.getByRole('link', { name: 'Điểm danh' }).click();

		await unlockTeamMode(page, DEMO.leader);
		expect(await seriousViolations(page)).toEqual([]); // skills and outcomes disabled
		await page.getByRole('button', { name: /Trần Thị Hoa/ }).click();
		await page.getByRole('button', { name: 'Cài đặt VNeID', exact: true }).click();
		await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
		await expect(page.getByText('Đã lưu hỗ trợ cho Trần Thị Hoa')).toBeVisible();
		expect(await seriousViolations(page)).toEqual([]);

		await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
		await page.locator('tr[data-session-id]').getByRole('button', { name: 'Đóng phiên' }).click();
		await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
		await expect(page.getByText('Đã đóng phiên. Số liệu được giữ trên máy tính bảng này', { exact: false })).toBeVisible();
		expect(await seriousViolations(page)).toEqual([]);
	});
});

test.describe('officer at 1366×768', () => {
	test.use({ viewport: { width: 1366, height: 768 } });

	// The admin pages issues 12–14 added or changed, each as an officer first sees it, and the
	// single-change form with its merge and split fields open.
	test('the units, changes, settings, approvals, skills and households pages and a report across the reform pass axe, without sideways scrolling', async ({ page }) => {
		await signIn(page, 'admin', E2E_ADMIN_PASSWORD);
		const pages = [
			'/admin/units',
			'/admin/units/changes',
			'/admin/settings',
			'/admin/approvals?unit=demo-xa-duc-tho',
			'/admin/skills',
			'/admin/households',
			'/admin/reports?unit=demo-xa-duc-tho',
			'/admin/reports?unit=demo-xa-duc-tho&period=2025-05',
			'/admin/reports?unit=demo-xa-tung-anh&period=2025-05',
			'/admin',
			'/admin/collect'
		];
		for (const path of pages) {
			await page.goto(path);
			await expect(page.locator('h1')).toBeVisible();
			expect(await seriousViolations(page), path).toEqual([]);
			expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${path} scrolls sideways`).toBeLessThanOrEqual(0);
		}
		await page.goto('/admin/units/changes');
		const form = page.locator('form.single');
		await form.getByLabel('Chia tách').check();
		await form.getByLabel('Đơn vị', { exact: true }).selectOption({ label: 'Tỉnh Hà Tĩnh › Xã Đức Thọ' });
		await expect(form.getByLabel('Tên đơn vị mới 1')).toBeVisible();
		expect(await seriousViolations(page), 'split form').toEqual([]);
	});
});
