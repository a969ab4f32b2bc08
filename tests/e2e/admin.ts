// Signing in to the admin pages as a person would; the admin account of the e2e server by default.
import { expect, type Page } from '@playwright/test';
import { E2E_ADMIN_PASSWORD } from '../fixtures/e2eServer';

export async function signIn(page: Page, username = 'admin', password = E2E_ADMIN_PASSWORD): Promise<Page> {
	await page.goto('/admin/login');
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { name: 'Tổng quan' })).toBeVisible();
	return page;
}
