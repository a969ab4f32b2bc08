// The camera plays a web link's QR: the kiosk says what it is and stores nothing.
import { expect, test } from './cspGuard';
import { storedRows } from './kiosk';

test('a URL QR is refused with a clear message and nothing is stored', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('alert')).toContainText('Đây là một đường link, không phải mã QR trên CCCD.');
	await expect(page.getByRole('alert')).toContainText('Hãy đưa mặt sau thẻ CCCD (có mã QR) vào camera.');
	expect(await storedRows(page, 'residents')).toHaveLength(0);
	expect(await storedRows(page, 'checkIns')).toHaveLength(0);
	expect(await storedRows(page, 'sessions')).toHaveLength(0);
});
