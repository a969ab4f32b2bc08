// A tablet whose storage is full: each save says so in plain Vietnamese, with what to do, stores
// nothing half-way, and works once space is freed. The disk is "filled" through the browser's quota
// (tabletStorage.ts explains how, and why a quota override alone is not enough).
import { expect, test, type Page } from './cspGuard';
import { DEMO, storedRows, unlockTeamMode } from './kiosk';
import { TabletStorage } from './tabletStorage';

// What the screens say (src/lib/i18n/vi.json); asserted whole, as a person reads them.
const FULL = {
	checkIn:
		'Chưa điểm danh được: bộ nhớ máy tính bảng đã đầy, chưa lưu gì. Xin báo thành viên tổ công nghệ số để giải phóng bộ nhớ máy, rồi đưa thẻ vào camera lại.',
	assist:
		'Chưa lưu lượt hỗ trợ: bộ nhớ máy tính bảng đã đầy. Các lựa chọn vẫn còn trên màn hình. Hãy báo tổ trưởng giải phóng bộ nhớ máy (xóa bớt ảnh, video, ứng dụng không dùng), rồi bấm lại kết quả.',
	registration:
		'Chưa đăng ký được: bộ nhớ máy tính bảng đã đầy, chưa lưu gì. Thông tin vừa nhập vẫn còn đây. Xin báo thành viên tổ công nghệ số để giải phóng bộ nhớ máy, rồi bấm «Đăng ký và vào hàng chờ» lại.',
	close:
		'Chưa đóng phiên: bộ nhớ máy tính bảng đã đầy, số liệu của phiên vẫn nguyên. Hãy giải phóng bộ nhớ máy (xóa bớt ảnh, video, ứng dụng không dùng), rồi bấm «Đóng phiên» lại.'
};

interface Row {
	id: string;
	[field: string]: unknown;
}

async function stored(page: Page) {
	const [residents, sessions, checkIns, assists, outbox] = await Promise.all(
		['residents', 'sessions', 'checkIns', 'assists', 'outbox'].map((store) => storedRows<Row>(page, store))
	);
	return { residents: residents!, sessions: sessions!, checkIns: checkIns!, assists: assists!, outbox: outbox! };
}

test('a full tablet says so at each save, keeps nothing half-written, and saves once space is freed', async ({ page, baseURL }) => {
	const storage = await TabletStorage.attach(page, baseURL!);
	await page.goto('/team');
	await expect(page.getByRole('button', { name: new RegExp(DEMO.member.name) })).toBeVisible(); // seeded
	await storage.prepare();

	await test.step('check-in by camera', async () => {
		await storage.fill();
		await page.getByRole('link', { name: 'Điểm danh' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'bộ nhớ' })).toHaveText(FULL.checkIn);
		expect(await stored(page)).toMatchObject({ residents: [], sessions: [], checkIns: [] });

		await storage.free();
		// Shown again: leave the camera screen and come back (the card never left this camera's view).
		await page.getByRole('link', { name: 'Tổ công nghệ số' }).click();
		await page.getByRole('link', { name: 'Điểm danh' }).click();
		await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
		const { residents, sessions, checkIns } = await stored(page);
		expect(residents).toEqual([expect.objectContaining({ fullName: 'Trần Thị Hoa' })]);
		expect(sessions).toEqual([expect.objectContaining({ status: 'open' })]);
		expect(checkIns).toEqual([expect.objectContaining({ residentId: residents[0]!.id, sessionId: sessions[0]!.id, queueNumber: 1 })]);
	});

	await test.step('saving an assist (unlocking on the full disk first)', async () => {
		await storage.fill();
		await unlockTeamMode(page, DEMO.member);
		const resident = page.getByRole('button', { name: /Trần Thị Hoa/ });
		const skill = page.getByRole('button', { name: 'Ứng dụng ngân hàng', exact: true });
		await resident.click();
		await skill.click();
		const before = await stored(page);
		await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
		await expect(page.getByRole('alert')).toHaveText(FULL.assist);
		// Nothing stored, not even the presence the save would have recorded; the choices are kept.
		expect(await stored(page)).toEqual(before);
		expect(before.assists).toEqual([]);
		await expect(resident).toHaveAttribute('aria-pressed', 'true');
		await expect(skill).toHaveAttribute('aria-pressed', 'true');

		await storage.free();
		await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Đã lưu hỗ trợ cho Trần Thị Hoa' })).toBeVisible();
		const { assists, checkIns, sessions } = await stored(page);
		expect(assists).toEqual([
			expect.objectContaining({ checkInId: checkIns[0]!.id, memberId: 'demo-member', skillCodes: ['bank_app'], outcome: 'done' })
		]);
		expect(sessions[0]!.membersPresent).toEqual(['demo-member']);
		await page.getByRole('button', { name: 'Khóa' }).click();
	});

	await test.step('registering without a card', async () => {
		await page.getByRole('link', { name: 'Điểm danh' }).click();
		await page.getByRole('link', { name: 'Tôi không có thẻ' }).click();
		await page.getByLabel('Họ và tên').fill('Phạm Văn Đức');
		await page.getByLabel('Năm sinh').fill('1949');
		await page.getByRole('button', { name: 'Nam', exact: true }).click();
		const before = await stored(page);
		await storage.fill();
		await page.getByRole('button', { name: 'Đăng ký và vào hàng chờ' }).click();
		await expect(page.getByRole('alert')).toHaveText(FULL.registration);
		expect(await stored(page)).toEqual(before);
		await expect(page.getByLabel('Họ và tên')).toHaveValue('Phạm Văn Đức');

		await storage.free();
		await page.getByRole('button', { name: 'Đăng ký và vào hàng chờ' }).click();
		await expect(page.getByRole('heading', { name: 'Thẻ Trạm Số của Phạm Văn Đức' })).toBeVisible();
		const { residents, checkIns } = await stored(page);
		const duc = residents.find((r) => r.fullName === 'Phạm Văn Đức');
		expect(duc).toMatchObject({ birthYear: 1949, gender: 'male', passId: expect.any(String) });
		expect(checkIns.filter((c) => c.residentId === duc!.id)).toEqual([expect.objectContaining({ queueNumber: 2 })]);
	});

	await test.step('closing the session', async () => {
		await storage.fill();
		await unlockTeamMode(page, DEMO.leader);
		await page.getByRole('button', { name: 'Đóng phiên' }).click();
		await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
		await expect(page.getByRole('alert')).toHaveText(FULL.close);
		// Not half-closed: still open, not frozen, no tally waiting.
		const { sessions, outbox } = await stored(page);
		expect(sessions).toEqual([expect.objectContaining({ status: 'open', version: 0 })]);
		expect(sessions[0]).not.toHaveProperty('endedAt');
		expect(outbox).toEqual([]);

		await storage.free();
		await page.getByRole('button', { name: 'Đóng phiên' }).click();
		await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
		await expect(page.getByText('Đã đóng phiên. Số liệu được giữ trên máy tính bảng này cho đến khi máy được kết nối với máy chủ.')).toBeVisible();
		const after = await stored(page);
		expect(after.sessions).toEqual([expect.objectContaining({ status: 'closed', version: 1, endedAt: expect.any(String) })]);
		expect(after.outbox).toEqual([
			expect.objectContaining({ state: 'pending', version: 1, tally: expect.objectContaining({ checkIns: 2, assists: 1 }) })
		]);
	});
});
