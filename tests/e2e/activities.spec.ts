// A leader's other activities reach the monthly report and its CSV, and feed the commendation
// proposal, which the officer annotates, saves and exports.
import { seriousViolations } from './axe';
import { expect, test, type Page } from './cspGuard';
import { parseCsv } from '../../src/lib/domain/csv';
import { DEMO_TEAM_ID } from '../fixtures/e2eServer';
import { signIn } from './admin';

const DUC_THO = 'Tỉnh Hà Tĩnh › Xã Đức Thọ';
const TRUNG_HOA = 'Thôn Trung Hòa';

interface ReportJson {
	unit: { id: string };
	rows: { name: string; totals: { activities: { count: number; peopleReached: number; byKind: { outreach: number } } } }[];
}

/** The period containing today under the default rule (15th–14th), in Vietnam. */
function currentPeriod(): string {
	const now = new Date(new Date().toLocaleString('en-US', { timeZone: 'Asia/Ho_Chi_Minh' }));
	const d = new Date(now.getFullYear(), now.getDate() >= 15 ? now.getMonth() + 1 : now.getMonth(), 1);
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

async function trungHoaReached(page: Page, unitId: string, period: string): Promise<number> {
	const report = (await (await page.request.get(`/api/v1/reports/monthly?unit=${unitId}&period=${period}`)).json()) as ReportJson;
	return report.rows.find((r) => r.name === TRUNG_HOA)?.totals.activities.peopleReached ?? 0;
}

test('record an outreach event, see it in the report and its CSV, then in the commendation proposal', async ({ page }) => {
	const period = currentPeriod();
	const title = `Phát thanh loa xã về VNeID ${Date.now()}`;
	await signIn(page);

	// The commune's id, as the report page's picker knows it.
	await page.goto('/admin/reports');
	await page.getByLabel('Đơn vị').selectOption({ label: DUC_THO });
	const unitId = await page.getByLabel('Đơn vị').inputValue();
	const before = await trungHoaReached(page, unitId, period);

	// The activity, recorded for the demo team.
	await page.goto(`/admin/teams/${DEMO_TEAM_ID}/activities`);
	await expect(page.getByRole('heading', { name: 'Hoạt động khác của tổ' })).toBeVisible();
	const form = page.getByRole('region', { name: 'Ghi nhận một hoạt động' });
	await form.getByLabel('Loại hoạt động').selectOption({ label: 'Tuyên truyền' });
	await form.getByLabel('Nội dung').fill(title);
	await form.getByLabel(/Nguyễn Văn An/).check();
	await form.getByLabel(/Trần Thị Bình/).check();
	await form.getByLabel('Người được tiếp cận').fill('40');
	await form.getByLabel('Ghi chú').fill('Ba buổi sáng trên loa truyền thanh');
	await form.getByRole('button', { name: 'Lưu hoạt động' }).click();
	await expect(page.getByRole('status')).toHaveText(/Đã ghi nhận hoạt động/);
	const row = page.locator('tr[data-activity-id]', { hasText: title });
	await expect(row).toContainText('Tuyên truyền');
	await expect(row).toContainText('Nguyễn Văn An, Trần Thị Bình');
	await expect(row.locator('td.num')).toHaveText('40');
	expect(await seriousViolations(page)).toEqual([]);

	// A refused field is named; nothing is stored.
	await form.getByLabel('Nội dung').fill('Không có ai tham gia');
	await form.getByLabel('Người được tiếp cận').fill('5');
	await form.getByRole('button', { name: 'Lưu hoạt động' }).click();
	await expect(page.getByRole('alert')).toHaveText('Hãy chọn ít nhất một thành viên có trong tổ vào ngày đó.');
	await expect(page.locator('tr[data-activity-id]', { hasText: 'Không có ai tham gia' })).toHaveCount(0);

	// The monthly report for Xã Đức Thọ: Thôn Trung Hòa's row carries it.
	await page.goto(`/admin/reports?unit=${unitId}&period=${period}`);
	const reportRow = page.locator(`tr[data-row="${TRUNG_HOA}"]`);
	await expect(reportRow.locator('td[data-people-reached]')).toHaveText(String(before + 40));
	await expect(reportRow.locator('td[data-activity-kind="outreach"]')).not.toHaveText('0');
	await expect(page.getByRole('columnheader', { name: 'Người được tiếp cận' }).first()).toBeVisible();

	// And its CSV.
	const csv = await page.request.get(`/admin/reports/export?format=csv&unit=${unitId}&period=${period}`);
	expect(csv.ok()).toBe(true);
	const rows = parseCsv(await csv.text());
	const reached = rows[0]!.indexOf('Người được tiếp cận');
	expect(reached).toBeGreaterThan(0);
	expect(rows.find((r) => r[0] === TRUNG_HOA)?.[reached]).toBe(String(before + 40));
	expect(Number(rows.find((r) => r[0] === 'Tổng cộng')?.[reached])).toBeGreaterThanOrEqual(before + 40);

	// The commendation proposal for the same unit and period: lines with their figures.
	await page.goto(`/admin/commendations?unit=${unitId}&period=${period}`);
	await expect(page.getByRole('heading', { name: /Đề xuất khen thưởng kỳ .* — Xã Đức Thọ/ })).toBeVisible();
	await expect(page.locator('tr[data-line-id^="memberAssists:"]').first()).toContainText(/Lượt hỗ trợ: \d+/);
	await expect(page.locator('tr[data-line-id^="teamResidents:"]').first()).toContainText(/Lượt người dân: \d+/);
	const activitiesLine = page.locator(`tr[data-line-id="teamActivities:${DEMO_TEAM_ID}"]`);
	await expect(activitiesLine).toContainText(`Người được tiếp cận: ${before + 40}`);
	expect(await seriousViolations(page)).toEqual([]);

	// The officer leaves out one line, notes another, adds one, saves.
	const residentsLine = page.locator('tr[data-line-id^="teamResidents:"]').first();
	const leftOutId = await residentsLine.getAttribute('data-line-id');
	await residentsLine.getByRole('checkbox').uncheck();
	await activitiesLine.getByRole('textbox').fill('Đề nghị tặng giấy khen');
	await page.getByRole('textbox', { name: 'Tên (cá nhân, tổ, người dân, doanh nghiệp)' }).last().fill('Cửa hàng tạp hóa Hòa Phát');
	await page.getByRole('textbox', { name: 'Thành tích' }).last().fill('Nhận thanh toán QR cho người dân');
	await page.getByRole('button', { name: 'Lưu đề xuất' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã lưu đề xuất.');
	await page.reload();
	await expect(page.locator(`tr[data-line-id="${leftOutId}"]`).getByRole('checkbox')).not.toBeChecked();
	await expect(activitiesLine.getByRole('textbox')).toHaveValue('Đề nghị tặng giấy khen');

	// Its CSV holds what was kept, with the figures and the note.
	const proposalCsv = await page.request.get(`/admin/commendations/export?unit=${unitId}&period=${period}`);
	expect(proposalCsv.ok()).toBe(true);
	expect(proposalCsv.headers()['content-disposition']).toContain(`de-xuat-khen-thuong-${period}.csv`);
	const lines = parseCsv(await proposalCsv.text());
	expect(lines[0]!.slice(0, 6)).toEqual(['STT', 'Tên', 'Tổ', 'Đơn vị', 'Thành tích', 'Hạng']);
	const peopleColumn = lines[0]!.indexOf('Người được tiếp cận');
	const teamLine = lines.find((l) => l[4]!.startsWith('Tổ có nhiều hoạt động') && l[1] === 'Tổ công nghệ số cộng đồng thôn Trung Hòa');
	expect(teamLine?.[peopleColumn]).toBe(String(before + 40));
	expect(teamLine?.at(-1)).toBe('Đề nghị tặng giấy khen');
	expect(lines.at(-1)?.slice(1, 2)).toEqual(['Cửa hàng tạp hóa Hòa Phát']);
	expect(lines.length - 1).toBe(await page.locator('tr[data-line-id] input[type="checkbox"]:checked').count());

	// The printable proposal.
	await page.getByRole('link', { name: 'In đề xuất' }).click();
	await expect(page).toHaveURL(/\/admin\/commendations\/print\?/);
	await expect(page.getByRole('heading', { name: 'ĐỀ XUẤT KHEN THƯỞNG', exact: true })).toBeVisible();
	await expect(page.getByText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')).toBeVisible();
	await expect(page.getByText('Độc lập - Tự do - Hạnh phúc')).toBeVisible();
	await expect(page.locator(`tr[data-line-id="teamActivities:${DEMO_TEAM_ID}"]`)).toContainText('Đề nghị tặng giấy khen');
	await expect(page.locator(`tr[data-line-id="${leftOutId}"]`)).toHaveCount(0);
});
