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
