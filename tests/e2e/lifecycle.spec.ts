// Kiosk life over hours: a screen left alone forgets the resident, and a new version waits for a
// person to accept it instead of reloading under someone's half-filled form.
import { expect, test } from '@playwright/test';

test('after 60 s without a touch, the no-card form returns to the camera and forgets what was typed', async ({ page }) => {
	await page.clock.install();
	await page.goto('/no-card');
	await page.getByLabel('Họ và tên').fill('Đặng Văn Khoa');
	await page.clock.fastForward(59_000);
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Đặng Văn Khoa');
	await page.clock.fastForward(2_000);
	await expect(page.getByRole('heading', { name: 'Đưa thẻ CCCD hoặc thẻ Trạm Số vào camera' })).toBeVisible();
	await page.goBack();
	await expect(page.getByLabel('Họ và tên')).toHaveValue('');
});

test('a new version is offered, never forced: the half-filled form stays until a person taps update', async ({ page, context }) => {
	await page.goto('/no-card');
	await page.evaluate(() => navigator.serviceWorker.ready);
	await page.reload();
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

	// "Deploy" a new version: the worker script the server sends now differs by one byte or more.
	await context.route('**/kiosk-sw.js', async (route) => {
		const response = await route.fetch();
		await route.fulfill({ response, body: `${await response.text()}\n// next version\n` });
	});
	await page.getByLabel('Họ và tên').fill('Đặng Văn Khoa');
	await page.evaluate(() => (window as unknown as { beforeUpdate: boolean }).beforeUpdate = true);
	await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

	const prompt = page.getByRole('alertdialog');
	await expect(prompt).toContainText('Có phiên bản mới của Trạm Số.');
	await page.waitForTimeout(1_000);
	// Still the same page and form: nothing reloaded by itself.
	expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBe(true);
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Đặng Văn Khoa');

	await prompt.getByRole('button', { name: 'Cập nhật' }).click();
	await expect.poll(() => page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate ?? false)).toBe(false);
	await expect(page.getByRole('heading', { name: 'Đăng ký không cần thẻ' })).toBeVisible();
});
