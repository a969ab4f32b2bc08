// Issue 12: the admin imports the province's mapping for Đức Thọ (thị trấn Đức Thọ + xã Tùng Ảnh →
// xã Đức Thọ from 01/07/2025), checks the dry run, applies it, and the units page and the current
// period's report read the new commune; the enrolled tablet's header takes the new name at its next
// sync, and its next upload lands under the new commune. Undoing the change brings the old communes
// back. The demo data has the reform already recorded, so this server starts with DEMO_DATA=off and
// the spec writes the pilot as it stood before 1 July 2025; its own port and SQLite file keep the
// shared server's tree as the other specs expect it.
import { expect, test } from './cspGuard';
import { signIn } from './admin';
import { enrolThroughProxy, openLeaderView, seedOutbox, sendNow, waitForOutboxIdle } from './fault';
import { FAULT_ADMIN_PASSWORD, serverProcess, type ServerProcess } from '../fixtures/serverProcess';
import { mulberry32 } from '../fixtures/seededRandom';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { createUser } from '../../src/lib/server/users';
import { seedDemoData } from '../../src/lib/server/demoData';
import { localDateOf, periodOf } from '../../src/lib/domain/period';

const PORT = 4712;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const BASIS = '1656/NQ-UBTVQH15';
// The demo units carry no official codes: the admin gives the two communes theirs on the units page.
const CODES: Record<string, string> = { 'demo-tt-duc-tho': 'TT-DT', 'demo-xa-tung-anh': 'X-TA' };
const MAPPING = ['mã cũ,mã mới,tên mới,ngày hiệu lực,nghị quyết', `TT-DT,X-DT,Xã Đức Thọ,01/07/2025,${BASIS}`, `X-TA,X-DT,Xã Đức Thọ,01/07/2025,${BASIS}`].join('\n');

let server: ServerProcess;

test.use({ baseURL: ORIGIN });

test.beforeAll(async () => {
	server = serverProcess({ port: PORT, origin: ORIGIN, env: { DEMO_DATA: 'off' } });
	await server.start();
	const { db, close } = await openMigratedDatabase(server.databaseUrl);
	try {
		await seedDemoData(db, { now: new Date(), reform: false });
		// An officer of Tùng Ảnh: the preview counts the account, the merge moves it to the new commune.
		await createUser(db, { username: 'can-bo-tung-anh', displayName: 'Cán bộ Tùng Ảnh', password: 'tung-anh-officer-pass', role: 'officer', unitId: 'demo-xa-tung-anh', actor: 'system', now: new Date() });
	} finally {
		await close();
	}
});

test.afterAll(async () => {
	await server?.dispose();
});

interface ReportJson {
	rows: { id: string; name: string; totals: { sessions: number } }[];
}

test('the admin imports the Đức Thọ mapping: preview, apply, the new commune in the units list, the report and the tablet, then undo', async ({ page, browser }) => {
	// The village's tablet is enrolled before the change: its header names the old commune and district.
	const tabletContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const tablet = await tabletContext.newPage();
	await enrolThroughProxy(tablet, ORIGIN, server.databaseUrl);
	const header = tablet.locator('header .team');
	await expect(header).toContainText('Thôn Trung Hòa, Xã Tùng Ảnh, Huyện Đức Thọ');

	await signIn(page, 'admin', FAULT_ADMIN_PASSWORD);
	await page.goto('/admin/units');
	for (const [id, code] of Object.entries(CODES)) {
		const unit = page.locator(`li[data-unit-id="${id}"]`);
		await unit.locator('summary', { hasText: 'Sửa…' }).click();
		const rename = unit.locator('form[action="?/rename"]');
		await rename.getByLabel('Mã đơn vị hành chính (nếu có)').fill(code);
		await rename.getByRole('button', { name: 'Lưu' }).click();
		await expect(unit.locator('.code').first()).toHaveText(code);
	}
	await page.getByRole('link', { name: 'Thay đổi theo ngày hiệu lực, nhập bảng chuyển đổi' }).click();
	await expect(page.getByRole('heading', { name: 'Thay đổi đơn vị hành chính' })).toBeVisible();

	// A file that does not add up is refused with its line, and nothing is offered to apply.
	const importForm = page.locator('form[action="?/preview"]');
	await page.getByLabel('Tệp CSV bảng chuyển đổi').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`${MAPPING}\nX-ZZ,X-DT,Xã Đức Thọ,01/07/2025,${BASIS}`) });
	await importForm.getByRole('button', { name: 'Xem trước' }).click();
	await expect(page.getByRole('alert')).toContainText('Dòng 4:');
	await expect(page.getByRole('button', { name: 'Áp dụng' })).toHaveCount(0);

	await page.getByLabel('Tệp CSV bảng chuyển đổi').setInputFiles({ name: 'duc-tho.csv', mimeType: 'text/csv', buffer: Buffer.from(MAPPING) });
	await importForm.getByRole('button', { name: 'Xem trước' }).click();
	const preview = page.getByRole('region', { name: 'Xem trước: chưa ghi gì' });
	await expect(preview).toContainText('Sáp nhập: TT-DT, X-TA → Xã Đức Thọ (X-DT) từ 01/07/2025 (dòng 2, 3)');
	// The two communes, the new one and their four villages and groups; their six teams; Trung Hòa's
	// tablet; the officer of Tùng Ảnh.
	await expect(preview).toContainText('Ảnh hưởng: 7 đơn vị, 6 tổ, 1 máy tính bảng, 1 tài khoản cán bộ');
	// The dry run wrote nothing.
	await expect(page.getByText('Chưa có thay đổi nào.')).toBeVisible();

	await preview.getByRole('button', { name: 'Áp dụng' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã áp dụng bảng chuyển đổi.');
	const merge = page.locator('tr', { hasText: 'Sáp nhập' });
	await expect(merge).toContainText('01/07/2025');
	await expect(merge).toContainText(BASIS);

	await page.goto('/admin/units');
	const tree = page.locator('ul.tree');
	await expect(tree.locator('li', { hasText: 'Xã Đức Thọ' }).first()).toBeVisible();
	await expect(tree).not.toContainText('Xã Tùng Ảnh');
	await expect(page.locator('ul.ended')).toContainText('Thị trấn Đức Thọ: Sáp nhập vào Xã Đức Thọ từ 01/07/2025');
	await expect(page.locator('ul.ended')).toContainText('Xã Tùng Ảnh: Sáp nhập vào Xã Đức Thọ từ 01/07/2025');

	// The current period's report is on today's tree: the district's row for its two communes is the new one.
	await page.goto('/admin/reports?unit=demo-duc-tho');
	await expect(page.getByRole('heading', { name: /Báo cáo kỳ/ })).toBeVisible();
	const rows = page.locator('table.report tbody th[scope="row"]');
	await expect(rows.filter({ hasText: 'Xã Đức Thọ' })).toHaveCount(1);
	await expect(rows.filter({ hasText: 'Xã Tùng Ảnh' })).toHaveCount(0);

	// The tablet, same token and team, takes the new names at its next sync (a fresh start syncs).
	await tablet.reload();
	await expect(header).toContainText('Thôn Trung Hòa, Xã Đức Thọ', { timeout: 20_000 });
	await expect(header).not.toContainText('Tùng Ảnh');

	// Its next upload lands under the new commune: Thôn Trung Hòa's row of Xã Đức Thọ's report.
	const period = periodOf(localDateOf(new Date()));
	const district = (await (await page.request.get(`/api/v1/reports/monthly?unit=demo-duc-tho&period=${period}`)).json()) as ReportJson;
	const communeId = district.rows.find((r) => r.name === 'Xã Đức Thọ')?.id;
	expect(communeId).toBeTruthy();
	const trungHoaSessions = async () => {
		const report = (await (await page.request.get(`/api/v1/reports/monthly?unit=${communeId}&period=${period}`)).json()) as ReportJson;
		return report.rows.find((r) => r.name === 'Thôn Trung Hòa')?.totals.sessions;
	};
	const before = await trungHoaSessions();
	expect(before).toEqual(expect.any(Number)); // Thôn Trung Hòa has its row
	await seedOutbox(tablet, 2, mulberry32(12));
	await openLeaderView(tablet, ORIGIN);
	await sendNow(tablet);
	await waitForOutboxIdle(tablet);
	await expect.poll(trungHoaSessions, { timeout: 20_000 }).toBe(before! + 2);
	await tabletContext.close();

	// Undo records the reverse change: the two communes are back, the merge is marked undone.
	await page.goto('/admin/units/changes');
	await page.locator('tr', { hasText: 'Sáp nhập' }).getByRole('button', { name: 'Hoàn tác' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã ghi nhận thay đổi ngược lại.');
	await expect(page.locator('tr', { hasText: 'Sáp nhập' })).toContainText('Đã hoàn tác');
	await page.goto('/admin/units');
	await expect(page.locator('ul.tree')).toContainText('Xã Tùng Ảnh');
	await expect(page.locator('ul.tree')).toContainText('Thị trấn Đức Thọ');
});

test('the admin sets the province reporting period to calendar months: the example follows the choice, the save says what moved, the audit says who', async ({ page }) => {
	await page.setViewportSize({ width: 1366, height: 768 });
	await signIn(page, 'admin', FAULT_ADMIN_PASSWORD);
	await page.locator('details.user summary').click();
	await page.getByRole('link', { name: 'Cài đặt kỳ báo cáo' }).click();
	await expect(page.getByRole('heading', { name: 'Kỳ báo cáo của tỉnh' })).toBeVisible();
	await expect(page.getByLabel('Ngày bắt đầu kỳ (trong tháng trước)')).toHaveValue('15');

	await page.getByLabel('Ngày bắt đầu kỳ (trong tháng trước)').selectOption({ label: 'Ngày 1: theo tháng dương lịch' });
	await page.getByLabel('Hạn tổng hợp báo cáo (trong tháng của kỳ)').selectOption({ label: 'Ngày 5' });
	const [y, mo] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()).split('-');
	await expect(page.locator('.example')).toContainText(`từ 01/${mo}/${y}`);
	await page.getByRole('button', { name: 'Lưu kỳ báo cáo' }).click();
	await expect(page.getByRole('status')).toContainText(/Đã lưu\. \d+ buổi và \d+ hoạt động được xếp sang kỳ khác\./);
	await page.reload();
	await expect(page.getByLabel('Ngày bắt đầu kỳ (trong tháng trước)')).toHaveValue('1');

	// The report's range follows: this month from its first day.
	await page.goto('/admin/reports?unit=demo-ha-tinh');
	await expect(page.getByText(new RegExp(`Từ 01/${mo}/${y} đến`))).toBeVisible();
	await page.goto('/admin/audit');
	await expect(page.getByText(/đổi kỳ báo cáo: từ ngày 15 \(hạn ngày 20\) sang từ ngày 1 \(hạn ngày 5\)/)).toBeVisible();
});

test('the admin records the reform by hand: a merge of four communes into a new one and the end of the district, each previewed; the months before read as they did', async ({ page }) => {
	await page.setViewportSize({ width: 1366, height: 768 });
	await signIn(page, 'admin', FAULT_ADMIN_PASSWORD);
	const mayBefore = await (await page.request.get('/api/v1/reports/monthly?unit=demo-duc-tho&period=2025-05')).json();
	await page.goto('/admin/units/changes');
	const form = page.locator('form.single');

	// No unit picked to merge: refused in words, nothing offered to apply.
	await form.getByLabel('Tên', { exact: true }).fill('Xã Đức Thọ');
	await form.getByLabel('Căn cứ').fill('1656/NQ-UBTVQH15');
	await form.getByRole('button', { name: 'Xem trước' }).click();
	await expect(page.getByRole('alert')).toContainText('Còn thiếu thông tin');
	await expect(page.getByRole('button', { name: 'Áp dụng' })).toHaveCount(0);

	await form.getByLabel('Sáp nhập').check();
	for (const name of ['Thị trấn Đức Thọ', 'Xã Tùng Ảnh', 'Xã Hòa Lạc', 'Xã Tân Dân']) await form.getByLabel(new RegExp(`› ${name}$`)).check();
	await form.getByLabel('Một đơn vị mới').check();
	await form.getByLabel('Tên', { exact: true }).fill('Xã Đức Thọ');
	await form.getByLabel('Cấp trên', { exact: true }).selectOption({ label: 'Tỉnh Hà Tĩnh' });
	await form.getByLabel('Ngày hiệu lực').fill('2025-07-01');
	await form.getByLabel('Căn cứ').fill('1656/NQ-UBTVQH15');
	await form.getByRole('button', { name: 'Xem trước' }).click();
	const preview = page.getByRole('region', { name: 'Xem trước thay đổi: chưa ghi gì' });
	await expect(preview).toContainText('Sáp nhập: Thị trấn Đức Thọ, Xã Hòa Lạc, Xã Tân Dân, Xã Tùng Ảnh từ 01/07/2025 (căn cứ 1656/NQ-UBTVQH15). Thành: Xã Đức Thọ.');
	await expect(preview).toContainText('6 tổ');
	await preview.getByRole('button', { name: 'Áp dụng' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã ghi nhận thay đổi.');

	await page.locator('form.single').getByLabel('Giải thể').check();
	await page.locator('form.single').getByLabel('Đơn vị', { exact: true }).selectOption({ label: 'Tỉnh Hà Tĩnh › Huyện Đức Thọ' });
	await page.locator('form.single').getByLabel('Ngày hiệu lực').fill('2025-07-01');
	await page.locator('form.single').getByLabel('Căn cứ').fill('203/2025/QH15');
	await page.locator('form.single').getByRole('button', { name: 'Xem trước' }).click();
	await expect(page.getByRole('region', { name: 'Xem trước thay đổi: chưa ghi gì' })).toContainText('Giải thể: Huyện Đức Thọ từ 01/07/2025 (căn cứ 203/2025/QH15).');
	await page.getByRole('region', { name: 'Xem trước thay đổi: chưa ghi gì' }).getByRole('button', { name: 'Áp dụng' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã ghi nhận thay đổi.');

	// A split is previewed with its parts; each village and team of the unit is placed in one of them
	// (Thôn Trung Hòa and its team and tablet go to the new part; the rest stay).
	const split = page.locator('form.single');
	await split.getByLabel('Chia tách').check();
	await split.getByLabel('Đơn vị', { exact: true }).selectOption({ label: 'Tỉnh Hà Tĩnh › Xã Đức Thọ' });
	await split.getByLabel('Tên đơn vị mới 1').fill('Xã Đức Thọ Bắc');
	await split.getByLabel('Thôn Trung Hòa', { exact: true }).selectOption({ label: 'Đơn vị mới 1' });
	await split.getByLabel('Ngày hiệu lực').fill('2026-01-01');
	await split.getByLabel('Căn cứ').fill('QĐ thử');
	await split.getByRole('button', { name: 'Xem trước' }).click();
	await expect(page.getByRole('region', { name: 'Xem trước thay đổi: chưa ghi gì' })).toContainText('Chia tách: Xã Đức Thọ từ 01/01/2026 (căn cứ QĐ thử). Thành: Xã Đức Thọ Bắc.');
	await expect(page.getByRole('region', { name: 'Xem trước thay đổi: chưa ghi gì' })).toContainText('Ảnh hưởng: 2 đơn vị, 1 tổ, 1 máy tính bảng');

	await page.goto('/admin/units');
	await expect(page.locator('ul.tree')).not.toContainText('Huyện Đức Thọ');
	await expect(page.locator('ul.ended')).toContainText('Xã Hòa Lạc: Sáp nhập vào Xã Đức Thọ từ 01/07/2025');
	await expect(page.locator('ul.ended')).toContainText('Huyện Đức Thọ: Giải thể từ 01/07/2025');
	// A month before the reform reads as it did; the district is no longer offered for a new unit.
	const mayAfter = await (await page.request.get('/api/v1/reports/monthly?unit=demo-duc-tho&period=2025-05')).json();
	expect({ ...mayAfter, generatedAt: '' }).toEqual({ ...mayBefore, generatedAt: '' });
	await page.locator('li', { hasText: 'Tỉnh Hà Tĩnh' }).first().locator('summary', { hasText: 'Sửa…' }).click();
	await expect(page.locator('li', { hasText: 'Tỉnh Hà Tĩnh' }).first().locator('select[name="kind"] option', { hasText: 'Huyện' })).toHaveCount(0);
});
