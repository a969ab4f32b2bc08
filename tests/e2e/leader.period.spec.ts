// The leader steps through reporting periods: the numbers must follow the period shown, not
// only the heading (they once stayed those of the period the view opened on).
import { expect, test } from './cspGuard';
import { DEMO, unlockTeamMode } from './kiosk';

test('the period buttons show each period its own tallies', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();

	const checkIns = page.locator('dl.headline div').filter({ hasText: 'Lượt điểm danh' }).locator('dd');
	const range = page.locator('.period-bar p');
	await expect(checkIns).toHaveText('1');
	const openedOn = await range.textContent();

	await page.getByRole('button', { name: 'Kỳ trước' }).click();
	await expect(range).not.toHaveText(openedOn!);
	await expect(page.getByText('Không có phiên nào trong kỳ này.')).toBeVisible();
	await expect(checkIns).toHaveText('0');

	await page.getByRole('button', { name: 'Kỳ sau' }).click();
	await expect(range).toHaveText(openedOn!);
	await expect(checkIns).toHaveText('1');
});
