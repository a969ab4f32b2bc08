// The whole day at the hall: a resident checks in by card, a team member logs what they taught,
// the leader closes the session and reads and exports the tally.
import { expect, test, type Page } from './cspGuard';
import { readFile } from 'node:fs/promises';
import { parseCsv } from '../../src/lib/domain/csv';
import { CCCD_TRAN_THI_HOA_EXPECTED } from '../fixtures/cards';
import { DEMO, screenshotForReadme, storedRows, todayVi, unlockTeamMode } from './kiosk';

async function checkInHoa(page: Page) {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
}

async function logAssist(page: Page, skills: string[], outcome: string) {
	await page.getByRole('button', { name: /Trần Thị Hoa/ }).click();
	for (const skill of skills) await page.getByRole('button', { name: skill, exact: true }).click();
	await page.getByRole('button', { name: outcome, exact: true }).click();
	await expect(page.getByText('Đã lưu hỗ trợ cho Trần Thị Hoa')).toBeVisible();
}

test('check-in, log an assist with two skills, close the session, read and export the tally', async ({ page }) => {
	await checkInHoa(page);
	await screenshotForReadme(page, 'check-in');
	await unlockTeamMode(page, DEMO.member);
	await page.getByRole('button', { name: /Trần Thị Hoa/ }).click();
	await page.getByRole('button', { name: 'Cài đặt VNeID', exact: true }).click();
	await page.getByRole('button', { name: 'Kích hoạt VNeID mức 2', exact: true }).click();
	await screenshotForReadme(page, 'team-mode');
	await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
	await expect(page.getByText('Đã lưu hỗ trợ cho Trần Thị Hoa')).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: 'Cài đặt VNeID, Kích hoạt VNeID mức 2' })).toContainText('Lê Văn Cường');
	// A plain member cannot close the session or open reports.
	await expect(page.getByRole('button', { name: 'Đóng phiên' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Khóa' }).click();

	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('button', { name: 'Đóng phiên' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
	await expect(page.getByText('Đã đóng phiên. Số liệu được giữ trên máy tính bảng này cho đến khi máy được kết nối với máy chủ.')).toBeVisible();
	await expect(page.getByText('Hôm nay chưa mở phiên hỗ trợ.')).toBeVisible();

	const [session] = await storedRows<{ status: string; membersPresent: string[]; version: number }>(page, 'sessions');
	expect(session).toMatchObject({ status: 'closed', version: 1 });
	expect(session!.membersPresent.sort()).toEqual(['demo-leader', 'demo-member']);
	const outbox = await storedRows<{ state: string; tally: Record<string, unknown> }>(page, 'outbox');
	expect(outbox).toHaveLength(1);
	expect(outbox[0]!.state).toBe('pending');
	expect(outbox[0]!.tally).toMatchObject({
		checkIns: 1,
		distinctResidents: 1,
		firstTimeResidents: 1,
		assists: 1,
		assistsByOutcome: { done: 1, partly: 0, referred: 0 },
		assistsBySkill: { vneid_install: 1, vneid_level2: 1 },
		assistsByMember: { 'demo-member': 1 },
		residentsByGender: { male: 0, female: 1 },
		residentsByAgeBand: { under18: 0, from18to39: 0, from40to59: 0, from60: 1 }
	});
	// Tallies leave the tablet; personal data does not.
	expect(JSON.stringify(outbox)).not.toContain('Trần Thị Hoa');

	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	const row = page.locator('tr[data-session-id]');
	await expect(row).toHaveCount(1);
	await expect(row.locator('td')).toHaveText([todayVi(), 'Đã đóng', '1', '1', '1', '1', '1', '0', '0', /Xuất CSV/]);
	await expect(page.getByRole('table', { name: 'Theo kỹ năng' })).toContainText('Cài đặt VNeID1');
	await expect(page.locator('tr[data-outbox-state="pending"]')).toHaveCount(1);
	await expect(page.getByText('Máy đang chạy thử, chưa kết nối máy chủ.', { exact: false })).toBeVisible();
	await screenshotForReadme(page, 'leader');

	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Xuất CSV' }).last().click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/^tram-so-ky-\d{4}-\d{2}\.csv$/);
	const text = await readFile(await file.path(), 'utf8');
	expect(text.charCodeAt(0)).toBe(0xfeff);
	expect(text).not.toContain(CCCD_TRAN_THI_HOA_EXPECTED.idNumber);
	expect(text).not.toContain('Trần Thị Hoa');
	const [header, sessionRow, totalRow] = parseCsv(text);
	const column = (label: string) => header!.indexOf(label);
	expect(sessionRow![0]).toBe(todayVi());
	expect(sessionRow![column('Lượt điểm danh')]).toBe('1');
	expect(sessionRow![column('Lượt hỗ trợ')]).toBe('1');
	expect(sessionRow![column('Hoàn thành')]).toBe('1');
	expect(sessionRow![column('Cài đặt VNeID')]).toBe('1');
	expect(sessionRow![column('Kích hoạt VNeID mức 2')]).toBe('1');
	expect(sessionRow![column('Ví điện tử, thanh toán QR')]).toBe('0');
	expect(sessionRow![column('Lê Văn Cường')]).toBe('1');
	expect(sessionRow![column('Nguyễn Văn An')]).toBe('0');
	expect(sessionRow![column('Người dân: 60 trở lên')]).toBe('1');
	expect(totalRow![0]).toBe('Tổng cộng kỳ');
	expect(totalRow![column('Lượt hỗ trợ')]).toBe('1');

	await page.getByRole('link', { name: 'Bản in' }).last().click();
	await expect(page.getByText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')).toBeVisible();
	await expect(page.getByText(/Kỳ báo cáo tháng \d{2}\/\d{4}/)).toBeVisible();
});

test('a reload in the middle of logging loses nothing that was confirmed', async ({ page }) => {
	await checkInHoa(page);
	await unlockTeamMode(page, DEMO.deputy);
	await logAssist(page, ['Ứng dụng ngân hàng'], 'Một phần');
	// Half-way through the next one: resident and a skill picked, outcome not yet tapped.
	await page.getByRole('button', { name: /Trần Thị Hoa/ }).click();
	await page.getByRole('button', { name: 'Nhận biết lừa đảo trực tuyến', exact: true }).click();
	await page.reload();

	// The tablet locks itself on reload; the confirmed assist is there, the unconfirmed one is not.
	await expect(page.getByRole('heading', { name: 'Chọn tên của bạn' })).toBeVisible();
	const assists = await storedRows<{ skillCodes: string[]; outcome: string }>(page, 'assists');
	expect(assists).toEqual([expect.objectContaining({ skillCodes: ['bank_app'], outcome: 'partly' })]);
	await page.getByRole('button', { name: new RegExp(DEMO.deputy.name) }).click();
	for (const digit of DEMO.deputy.pin) await page.getByRole('button', { name: digit, exact: true }).click();
	await page.getByRole('button', { name: 'Mở khóa' }).click();
	await expect(page.getByRole('listitem').filter({ hasText: 'Ứng dụng ngân hàng' })).toContainText('Một phần');
});

test('a member corrects and then deletes their own assist', async ({ page }) => {
	await checkInHoa(page);
	await unlockTeamMode(page, DEMO.member);
	await logAssist(page, ['Zalo và gọi video'], 'Một phần');
	const item = page.getByRole('listitem').filter({ hasText: 'Zalo và gọi video' });
	await item.getByRole('button', { name: 'Sửa' }).click();
	await expect(page.getByText('Đang sửa lượt hỗ trợ của Trần Thị Hoa')).toBeVisible();
	await page.getByRole('button', { name: 'Học trực tuyến', exact: true }).click();
	await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
	await expect(page.getByText('Đã sửa hỗ trợ cho Trần Thị Hoa')).toBeVisible();
	expect(await storedRows(page, 'assists')).toEqual([
		expect.objectContaining({ skillCodes: ['zalo_video', 'online_learning'], outcome: 'done' })
	]);

	await page.getByRole('listitem').filter({ hasText: 'Zalo và gọi video' }).getByRole('button', { name: 'Xóa' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
	await expect(page.getByText('Đã xóa hỗ trợ')).toBeVisible();
	await expect(page.getByText('Chưa có lượt hỗ trợ nào.')).toBeVisible();
	expect(await storedRows(page, 'assists')).toHaveLength(0);
});

test('five wrong PINs lock team mode for a minute, and a reload does not lift the lock', async ({ page }) => {
	await page.goto('/team');
	await page.getByRole('button', { name: new RegExp(DEMO.leader.name) }).click();
	const pin = page.getByLabel('Mã PIN', { exact: true });
	for (let attempt = 1; attempt <= 4; attempt++) {
		await pin.fill('9999');
		await page.getByRole('button', { name: 'Mở khóa' }).click();
		await expect(page.getByRole('alert')).toHaveText(`Sai mã PIN. Còn ${5 - attempt} lần thử.`);
	}
	await pin.fill('9999');
	await page.getByRole('button', { name: 'Mở khóa' }).click();
	await expect(page.getByRole('alert')).toContainText('Nhập sai quá nhiều lần. Thử lại sau');

	await page.reload();
	await page.getByRole('button', { name: new RegExp(DEMO.leader.name) }).click();
	await page.getByLabel('Mã PIN', { exact: true }).fill(DEMO.leader.pin);
	await page.getByRole('button', { name: 'Mở khóa' }).click();
	await expect(page.getByRole('alert')).toContainText('Nhập sai quá nhiều lần. Thử lại sau');
	await expect(page.getByText('Đang làm việc:')).toHaveCount(0);
});
