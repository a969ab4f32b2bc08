// The leader closes the day's session from the leader view: the row must say so at once, and the
// CSV exported right after must say so too (both once kept "Đang mở" until a reload).
import { readFile } from 'node:fs/promises';
import { expect, test } from './cspGuard';
import { DEMO, unlockTeamMode } from './kiosk';

test('closing from the leader view shows "Đã đóng" at once, in the row and in the CSV', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();

	const row = page.locator('tr[data-session-id]');
	await expect(row.locator('td').nth(1)).toHaveText('Đang mở');
	await row.getByRole('button', { name: 'Đóng phiên' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();

	await expect(row.locator('td').nth(1)).toHaveText('Đã đóng');
	await expect(row.getByRole('button', { name: 'Đóng phiên' })).toHaveCount(0);

	const download = page.waitForEvent('download');
	await row.getByRole('button', { name: 'Xuất CSV' }).click();
	const text = await readFile(await (await download).path(), 'utf8');
	expect(text).toContain('Đã đóng');
	expect(text).not.toContain('Đang mở');

	// A second session the same day: its CSV must not take the first one's name.
	await page.getByRole('link', { name: 'Tổ công nghệ số' }).click();
	await page.getByRole('button', { name: 'Mở phiên hôm nay' }).click();
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await expect(row).toHaveCount(2);
	const names: string[] = [];
	for (const each of await row.all()) {
		const file = page.waitForEvent('download');
		await each.getByRole('button', { name: 'Xuất CSV' }).click();
		names.push((await file).suggestedFilename());
	}
	expect(names[0]).toMatch(/^tram-so-phien-\d{4}-\d{2}-\d{2}-\d{6}\.csv$/);
	expect(new Set(names).size).toBe(2);
});
