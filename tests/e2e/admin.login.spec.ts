// Signing in on a slow machine: a person (or a test) may type before the page's script has
// loaded. Hydration must not wipe what was typed. It used to: `value={x ?? ''}` reset the field
// to '' when the script arrived, the form then refused to submit ("required") and the officer
// was left on the sign-in page (the governance spec's rare 10 s wait in CI).
import { expect, test } from './cspGuard';
import { E2E_ADMIN_PASSWORD } from '../fixtures/e2eServer';

test('a name typed before the page script has loaded is kept, and signing in works', async ({ page }) => {
	let release = () => {};
	const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
	let held = 0;
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		held++;
		await scriptsHeld;
		await route.continue();
	});
	await page.goto('/admin/login', { waitUntil: 'domcontentloaded' });
	await page.getByLabel('Tên đăng nhập').fill('admin');
	await page.getByLabel('Mật khẩu').fill(E2E_ADMIN_PASSWORD);
	expect(held, 'the page script was still loading while the person typed').toBeGreaterThan(0);
	release();
	// By network idle the script has run and hydrated the form.
	await page.waitForLoadState('networkidle');
	await expect(page.getByLabel('Tên đăng nhập')).toHaveValue('admin');
	await expect(page.getByLabel('Mật khẩu')).toHaveValue(E2E_ADMIN_PASSWORD);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { name: 'Tổng quan' })).toBeVisible();
});
