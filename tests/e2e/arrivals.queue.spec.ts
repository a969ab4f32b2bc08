// The camera shows Hoa's card, then nothing, then Lê Văn Nam's, then nothing, and loops:
// residents join the queue in order, and a card shown again is not queued twice.
import { expect, test } from './cspGuard';
import { storedRows } from './kiosk';

test('residents in turn get queue numbers 1 and 2; a card shown again is already queued', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	await expect(page.getByText('Số thứ tự: 1')).toBeVisible();

	// Nam's card replaces Hoa's greeting without anyone tapping.
	await expect(page.getByRole('heading', { name: 'Xin chào anh Lê Văn Nam' })).toBeVisible({ timeout: 15_000 });
	await expect(page.getByText('Số thứ tự: 2')).toBeVisible();
	await expect(page.getByText('Còn 1 người đang chờ trước')).toBeVisible();

	// The video loops: Hoa shows her card a second time.
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible({ timeout: 15_000 });
	await expect(page.getByText('Đã có tên trong hàng chờ hôm nay')).toBeVisible();
	await expect(page.getByText('Số thứ tự: 1')).toBeVisible();
	expect(await storedRows(page, 'checkIns')).toHaveLength(2);
	expect(await storedRows(page, 'residents')).toHaveLength(2);
});
