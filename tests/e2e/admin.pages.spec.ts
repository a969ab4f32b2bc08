// The admin pages an officer works in all day, in a real Chromium (issue 9 §2 and §5): changing
// one's own password, the audit log in sentences with names, the monthly report on a 1366×768
// laptop, exports that download, and a period picker that speaks Vietnamese in an English browser.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from './cspGuard';
import { E2E_ADMIN_PASSWORD, E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { signIn } from './admin';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { createUser } from '../../src/lib/server/users';

const COMMUNE_A = 'demo-xa-duc-tho';


/** Errors the page's script met: a client-router "Not found" shows up here. */
function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(`console: ${message.text()}`);
	});
	return errors;
}

test('an officer changes their own password: the other session ends, the new one signs in, the audit names her', async ({ page, browser }) => {
	const suffix = randomBytes(3).toString('hex');
	const username = `mai.${suffix}`;
	const first = 'ruộng lúa chín vàng 2026';
	const second = 'gió mùa đông bắc về';
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	try {
		await createUser(db, { username, displayName: `Phạm Thị Mai ${suffix}`, password: first, role: 'officer', unitId: COMMUNE_A, actor: 'system', now: new Date() });
	} finally {
		await close();
	}
	const elsewhere = await browser.newContext();
	const otherPage = await elsewhere.newPage();
	await signIn(otherPage, username, first);
	await signIn(page, username, first);

	await page.getByText(`Phạm Thị Mai ${suffix}`, { exact: true }).click();
	await page.getByRole('link', { name: 'Đổi mật khẩu' }).click();
	await page.getByLabel('Mật khẩu hiện tại').fill('not my password at all');
	await page.getByLabel('Mật khẩu mới', { exact: true }).fill(second);
	await page.getByLabel('Nhập lại mật khẩu mới').fill(second);
	await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
	await expect(page.getByRole('alert')).toHaveText('Mật khẩu hiện tại không đúng.');

	// A common password is refused with the reason, in Vietnamese.
	await page.getByLabel('Mật khẩu hiện tại').fill(first);
	await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Password12345');
	await page.getByLabel('Nhập lại mật khẩu mới').fill('Password12345');
	await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
	await expect(page.getByRole('alert')).toContainText('quá phổ biến');

	await page.getByLabel('Mật khẩu hiện tại').fill(first);
	await page.getByLabel('Mật khẩu mới', { exact: true }).fill(second);
	await page.getByLabel('Nhập lại mật khẩu mới').fill(second);
	await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
	await expect(page.getByRole('status')).toContainText('Đã đổi mật khẩu');

	// The session that changed it stays; the other one is signed out.
	await page.goto('/admin');
	await expect(page.getByRole('heading', { name: 'Tổng quan' })).toBeVisible();
	await otherPage.goto('/admin');
	await expect(otherPage).toHaveURL(/\/admin\/login/);
	await elsewhere.close();

	// The old password no longer signs in; the new one does.
	await page.context().clearCookies();
	await page.goto('/admin/login');
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(first);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await signIn(page, username, second);

	// The admin reads it in the audit log as a sentence with her name, filtered to her.
	await page.context().clearCookies();
	await signIn(page, 'admin', E2E_ADMIN_PASSWORD);
	await page.goto('/admin/audit');
	await page.getByLabel('Người làm').selectOption({ label: `Phạm Thị Mai ${suffix} (${username})` });
	await page.getByRole('button', { name: 'Lọc' }).click();
	await expect(page.getByRole('cell', { name: `Phạm Thị Mai ${suffix} đổi mật khẩu của mình` })).toBeVisible();
	await expect(page.locator('tbody tr')).toHaveCount(1);
	await expect(page.locator('body')).not.toContainText('user:');
});

test.describe('on a 1366×768 laptop in an English browser', () => {
	test.use({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });

	test('the monthly report: one-row navigation, no page-wide scroll, the unit column stays, chart labels ≥ 14 px', async ({ page }) => {
		await signIn(page, 'admin', E2E_ADMIN_PASSWORD);
		await page.goto(`/admin/reports?unit=${COMMUNE_A}`);
		await expect(page.getByRole('heading', { name: /Báo cáo kỳ/ })).toBeVisible();

		const links = page.locator('header nav a');
		await expect(links).toHaveCount(8);
		const tops = await links.evaluateAll((as) => as.map((a) => Math.round(a.getBoundingClientRect().top)));
		expect(new Set(tops).size, `navigation link tops ${tops.join(', ')}`).toBe(1);
		const header = await page.locator('header').boundingBox();
		expect(header!.height).toBeLessThan(80);

		const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
		expect(widths.scroll).toBeLessThanOrEqual(widths.client);

		// The table scrolls inside itself and the unit column stays where it was.
		const scroller = page.locator('.scroll');
		expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
		const unitCell = page.locator('table.report tbody th[scope="row"]').first();
		const before = (await unitCell.boundingBox())!.x;
		await scroller.evaluate((el) => el.scrollBy(400, 0));
		await expect.poll(async () => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
		expect(Math.abs((await unitCell.boundingBox())!.x - before)).toBeLessThan(1);

		// Chart text as drawn on screen: the font size times the SVG's scale.
		const sizes = await page.locator('.charts svg').evaluateAll((svgs) =>
			svgs.flatMap((svg) => {
				const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
				return [...svg.querySelectorAll('text')].map((t) => Number(t.getAttribute('font-size')) * scale);
			})
		);
		expect(sizes.length).toBeGreaterThan(0);
		expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
	});

	test('the export links download the file, with no client-router error', async ({ page }) => {
		const errors = watchErrors(page);
		await signIn(page, 'admin', E2E_ADMIN_PASSWORD);
		await page.goto(`/admin/reports?unit=${COMMUNE_A}`);
		for (const [name, file] of [
			['Tải CSV', /\.csv$/],
			['Tải Excel', /\.xlsx$/]
		] as const) {
			const download = page.waitForEvent('download');
			await page.getByRole('link', { name }).click();
			expect((await download).suggestedFilename()).toMatch(file);
		}
		await page.goto(`/admin/commendations?unit=${COMMUNE_A}`);
		const download = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Tải CSV' }).click();
		expect((await download).suggestedFilename()).toMatch(/\.csv$/);
		await expect(page.getByRole('heading', { name: 'Đề xuất khen thưởng', level: 1 })).toBeVisible();
		expect(errors).toEqual([]);
	});

	test('the period picker names the months in Vietnamese and shows the month picked', async ({ page }) => {
		await signIn(page, 'admin', E2E_ADMIN_PASSWORD);
		await page.goto(`/admin/reports?unit=${COMMUNE_A}`);
		const month = page.getByLabel('Tháng', { exact: true });
		expect(await month.locator('option').allTextContents()).toEqual(Array.from({ length: 12 }, (_, i) => `Tháng ${i + 1}`));
		await expect(page.locator('input[type="month"]')).toHaveCount(0);
		await month.selectOption({ label: 'Tháng 3' });
		await page.getByLabel('Năm', { exact: true }).selectOption({ label: 'Năm 2026' });
		await page.getByRole('button', { name: 'Xem' }).click();
		await expect(page.getByRole('heading', { name: 'Báo cáo kỳ 03/2026 — Xã Đức Thọ' })).toBeVisible();
		// The exports follow the month picked.
		await expect(page.getByRole('link', { name: 'Tải CSV' })).toHaveAttribute('href', /period=2026-03/);
	});
});
