// An axe check of each kiosk screen as people see it: no serious or critical violations.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './cspGuard';
import { DEMO, unlockTeamMode } from './kiosk';

async function seriousViolations(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	return results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

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
