// An upright tablet (800×1280): the leader view fits the width, nothing scrolls sideways
// (it was 897 px wide: the sessions table with its buttons).
import { expect, test } from './cspGuard';
import { DEMO, unlockTeamMode } from './kiosk';

test.use({ viewport: { width: 800, height: 1280 } });

test('the leader view does not scroll sideways on an upright tablet', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await expect(page.locator('tr[data-session-id]')).toHaveCount(1);
	const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
	expect(widths.page).toBeLessThanOrEqual(widths.view);
	// Still a table to a screen reader (it is laid out as a block when upright).
	await expect(page.getByRole('row', { name: /Đang mở/ })).toHaveCount(1);
	// Every button of the session row is on screen, not cut off at the right.
	for (const button of await page.locator('tr[data-session-id]').locator('button, a').all()) {
		const box = (await button.boundingBox())!;
		expect(box.x + box.width).toBeLessThanOrEqual(800);
	}
});
