// A badge that was reissued (so revoked) is refused at the check-in camera with the reason, and
// team mode stays locked.
import { expect, test } from './cspGuard';
import { DEMO } from './kiosk';
import { enrolByTypedCode } from './enrol';

test('the deputy old card is refused as reissued or revoked and does not open team mode', async ({ page }) => {
	await page.goto('/');
	await enrolByTypedCode(page);
	await page.getByRole('link', { name: 'Tổ công nghệ số' }).click();
	await page.getByRole('button', { name: 'Khóa', exact: true }).click();

	await page.getByRole('link', { name: 'Điểm danh' }).click();
	const refusal = page.locator('[data-badge-refusal="old_card"]');
	await expect(refusal).toBeVisible({ timeout: 15_000 });
	await expect(refusal).toContainText('Thẻ này đã được cấp lại hoặc đã bị thu hồi, không còn dùng được.');
	// Held at the camera for a while, it still opens nothing.
	await page.waitForTimeout(2_000);
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('heading', { name: /Nhập mã PIN/ })).toHaveCount(0);

	await page.getByRole('link', { name: 'Tổ công nghệ số' }).click();
	await expect(page.getByRole('button', { name: new RegExp(DEMO.deputy.name) })).toBeVisible();
	await expect(page.getByText(/Đang làm việc:/)).toHaveCount(0);
});
