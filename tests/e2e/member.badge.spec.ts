// A member's badge at the check-in camera: refused on a demo tablet (no badge list), and once the
// tablet is enrolled it opens team mode for that member, who only types their PIN. Then the
// officer's side: the team's badge sheets.
import { expect, test } from './cspGuard';
import { DEMO } from './kiosk';
import { enrolByTypedCode } from './enrol';
import { DEMO_TEAM_ID } from '../fixtures/e2eServer';
import { signIn } from './admin';

test('the leader badge at the camera opens the PIN pad for Nguyễn Văn An, and the PIN unlocks team mode', async ({ page }) => {
	await page.goto('/');
	const demoRefusal = page.locator('[data-badge-refusal="demo_tablet"]');
	await expect(demoRefusal).toBeVisible({ timeout: 15_000 });
	await expect(demoRefusal).toContainText('chưa có danh sách thẻ thành viên');

	await enrolByTypedCode(page);

	// Back at check-in the camera starts again and sees the badge.
	await page.getByRole('link', { name: 'Điểm danh' }).click();
	await expect(page.getByRole('heading', { name: `Nhập mã PIN của ${DEMO.leader.name}` })).toBeVisible({ timeout: 15_000 });
	await expect(page).toHaveURL(/\/team$/);
	for (const digit of DEMO.leader.pin) await page.getByRole('button', { name: digit, exact: true }).click();
	await page.getByRole('button', { name: 'Mở khóa' }).click();
	await expect(page.getByText(`Đang làm việc: ${DEMO.leader.name}`)).toBeVisible();

	// Locking shows the whole team again, not the badge holder.
	await page.getByRole('button', { name: 'Khóa', exact: true }).click();
	await expect(page.getByRole('button', { name: new RegExp(DEMO.deputy.name) })).toBeVisible();
});

test('an officer sees who has a badge, issues the missing one, and gets A4 sheets of cards to print', async ({ browser }) => {
	const context = await browser.newContext();
	const officer = await signIn(await context.newPage());

	await officer.goto(`/admin/teams/${DEMO_TEAM_ID}/badges`);
	await expect(officer.getByRole('heading', { name: 'Thẻ thành viên' })).toBeVisible();
	const member = officer.locator('tr[data-member-id="demo-member"]');
	await expect(member).toContainText('Chưa có thẻ');
	await expect(officer.locator('[data-badge-card]')).toHaveCount(2); // leader and deputy (global setup)
	await member.getByRole('button', { name: 'Cấp thẻ' }).click();
	await expect(officer.getByText(`Đã cấp thẻ lần 1 cho ${DEMO.member.name}.`)).toBeVisible();
	await expect(member).toContainText('Thẻ lần 1');
	await expect(officer.locator('[data-badge-card]')).toHaveCount(3);
	await expect(officer.locator('[data-badge-card="demo-member"]')).toContainText(DEMO.member.name);
	await expect(officer.locator('[data-badge-card="demo-member"] img')).toHaveAttribute('src', /^data:image\/png;base64,/);

	// Printed: one A4 sheet, cards inside it, the admin chrome and buttons left out.
	await officer.emulateMedia({ media: 'print' });
	await expect(officer.getByRole('button', { name: 'In thẻ (khổ A4)' })).toBeHidden();
	await expect(officer.locator('.sheet')).toHaveCount(1);
	const sheet = (await officer.locator('.sheet').boundingBox())!;
	const card = (await officer.locator('[data-badge-card="demo-member"]').boundingBox())!;
	expect(card.width).toBeGreaterThan(sheet.width / 2 - 4);
	expect(card.width).toBeLessThan(sheet.width / 2 + 1);
	await context.close();
});
