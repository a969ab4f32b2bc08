// Setting a member's PIN on the server takes 6 digits and tells the member, in Vietnamese, not to
// reuse a bank card PIN (a tablet holds only a hash a 4-digit PIN cannot protect).
import { expect, test } from './cspGuard';
import { E2E_ADMIN_PASSWORD } from '../fixtures/e2eServer';

// A demo team the tablet tests do not use (the tablet's own demo team keeps its PINs).
const TEAM_ID = 'demo-tdp-1-team';

test('a 6-digit PIN is set, with the advice not to reuse a bank PIN', async ({ page }) => {
	await page.goto('/admin/login');
	await page.getByLabel('Tên đăng nhập').fill('admin');
	await page.getByLabel('Mật khẩu').fill(E2E_ADMIN_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { name: 'Tổng quan' })).toBeVisible();

	await page.goto(`/admin/teams/${TEAM_ID}`);
	const row = page.locator('tr[data-member-id]').first();
	await row.getByLabel('Mã PIN').fill('482913');
	await row.getByRole('button', { name: 'Đặt mã PIN' }).click();
	await expect(page.getByText('Đã đặt mã PIN.', { exact: false })).toBeVisible();
	await expect(page.getByText('đừng dùng lại mã PIN thẻ ngân hàng', { exact: false })).toBeVisible();
});
