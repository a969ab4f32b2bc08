// The village hall's network is unreliable: once the service worker holds the app, the kiosk
// must load and do the whole flow with no network at all, after a reload too.
import { expect, test } from './cspGuard';
import { DEMO, registerWithoutCard, storedRows, unlockTeamMode } from './kiosk';

test('with the network cut, the kiosk reloads and does check-in, logging and closing', async ({ page, context }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	await page.evaluate(() => navigator.serviceWorker.ready);
	await page.reload(); // a first install may not control the page yet
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

	// From here nothing reaches the server: not the page, not the service worker.
	const blocked: string[] = [];
	await context.route('**/*', (route) => {
		blocked.push(route.request().url());
		return route.abort('internetdisconnected');
	});
	await context.setOffline(true);

	await page.reload();
	await expect(page.getByText('Đang ngoại tuyến — mọi thứ vẫn được lưu trên máy')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	await expect(page.getByText('Đã có tên trong hàng chờ hôm nay')).toBeVisible();

	// A full page load of another screen comes from the precache too.
	await page.goto('/no-card');
	await expect(page.getByRole('heading', { name: 'Đăng ký không cần thẻ' })).toBeVisible();
	await registerWithoutCard(page, { name: 'Võ Thị Mai', birthYear: 2012, gender: 'Nữ' });
	await expect(page.getByRole('heading', { name: 'Xin chào em Võ Thị Mai' })).toBeVisible();
	await expect(page.getByText('Số thứ tự: 2')).toBeVisible();

	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('button', { name: /Võ Thị Mai/ }).click();
	await page.getByRole('button', { name: 'Nhận biết lừa đảo trực tuyến', exact: true }).click();
	await page.getByRole('button', { name: 'Chuyển nơi khác', exact: true }).click();
	await expect(page.getByText('Đã lưu hỗ trợ cho Võ Thị Mai')).toBeVisible();
	await page.getByRole('button', { name: 'Đóng phiên' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
	await expect(page.getByText('Đã đóng phiên. Số liệu được giữ trên máy tính bảng này cho đến khi máy được kết nối với máy chủ.')).toBeVisible();

	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await expect(page.locator('tr[data-session-id] td').nth(2)).toHaveText('2');
	const [outbox] = await storedRows<{ tally: { checkIns: number; assistsByOutcome: Record<string, number> } }>(page, 'outbox');
	expect(outbox!.tally.checkIns).toBe(2);
	expect(outbox!.tally.assistsByOutcome.referred).toBe(1);
	// Whatever the app or its worker tried to fetch was refused, and it worked all the same.
	expect(blocked.every((url) => url.startsWith('http://127.0.0.1'))).toBe(true);
});
