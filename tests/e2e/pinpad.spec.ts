// The PIN pad for elderly hands: «Mở khóa» on one line, «Quay lại» as large as the digits, and
// a full PIN shows that no more digits fit instead of silently ignoring them.
import { expect, test, type Locator } from './cspGuard';
import { DEMO } from './kiosk';

/** How many lines a button's label takes on screen. */
const lineCount = (button: Locator) =>
	button.evaluate((el) => {
		const range = document.createRange();
		range.selectNodeContents(el);
		return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
	});

test('the PIN pad: one-line «Mở khóa», a large «Quay lại», and a visible limit', async ({ page }) => {
	await page.goto('/team');
	await page.getByRole('button', { name: new RegExp(DEMO.leader.name) }).click();
	const unlock = page.getByRole('button', { name: 'Mở khóa' });
	const back = page.getByRole('button', { name: 'Quay lại' });
	const seven = page.getByRole('button', { name: '7', exact: true });
	await expect(page.getByText('Nhập mã PIN (4 hoặc 6 chữ số), rồi bấm «Mở khóa».')).toBeVisible();

	expect(await lineCount(unlock)).toBe(1);
	const [backBox, keyBox] = [(await back.boundingBox())!, (await seven.boundingBox())!];
	expect(backBox.height).toBeGreaterThanOrEqual(keyBox.height);
	const fontSize = (l: Locator) => l.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
	expect(await fontSize(back)).toBe(await fontSize(seven));

	for (let i = 0; i < 8; i++) await seven.click();
	await expect(page.getByText('Đã đủ 8 chữ số. Bấm «Mở khóa».')).toBeVisible();
	await expect(seven).toBeDisabled();
	await expect(page.getByRole('textbox', { name: 'Mã PIN', exact: true })).toHaveValue('77777777');

	// Erasing makes room again; the right PIN then unlocks.
	for (let i = 0; i < 8; i++) await page.getByRole('button', { name: 'Xóa' }).click();
	await expect(seven).toBeEnabled();
	for (const digit of DEMO.leader.pin) await page.getByRole('button', { name: digit, exact: true }).click();
	await unlock.click();
	await expect(page.getByText(`Đang làm việc: ${DEMO.leader.name}`)).toBeVisible();
});
