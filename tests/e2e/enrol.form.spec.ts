// The enrolment form checks the server address: an enrolment code typed there gets a clear
// message (it used to do nothing), and nothing is sent.
import { expect, test } from './cspGuard';
import { DEMO, unlockTeamMode } from './kiosk';

test('an enrolment code typed as the server address gets a clear message, and nothing is sent', async ({ page, context }) => {
	const sent: string[] = [];
	await context.route('**/api/v1/devices/enroll', async (route) => {
		sent.push(route.request().url());
		await route.abort();
	});
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await page.getByRole('button', { name: 'Kết nối máy chủ' }).click();

	const address = page.getByLabel('Địa chỉ máy chủ');
	await address.fill('ABCDEFGHJKLM');
	await page.getByLabel('Mã kết nối').fill('ABCDEFGHJKLM');
	await page.locator('form').getByRole('button', { name: 'Kết nối', exact: true }).click();
	await expect(page.getByText('Đây là mã kết nối, không phải địa chỉ máy chủ.', { exact: false })).toBeVisible();
	await expect(address).toHaveAttribute('aria-invalid', 'true');

	await address.fill('');
	await page.getByLabel('Mã kết nối').fill('');
	await page.locator('form').getByRole('button', { name: 'Kết nối', exact: true }).click();
	await expect(page.getByText('Hãy nhập địa chỉ máy chủ, ví dụ https://tramso.example.vn.')).toBeVisible();
	await expect(page.getByText('Hãy nhập mã kết nối mà cán bộ đưa cho tổ.')).toBeVisible();
	expect(sent).toEqual([]);
});
