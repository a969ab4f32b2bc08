// Outcomes, not only visits (issue 14): three residents taught over three sessions become
// proficient in the five basic digital skills; their household turns covered on the tablet; the
// uploaded tallies count it once, and the report shows it. The camera films Hoa's card, then
// Nam's, in a loop (the queue video), so both can come back session after session; Lan has no card.
import { expect, test, type Page } from './cspGuard';
import { DEMO, registerWithoutCard, storedRows, unlockTeamMode } from './kiosk';
import { enrolByTypedCode } from './enrol';
import { signIn } from './admin';
import { E2E_BASE_URL, E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { localDateOf, periodOf } from '../../src/lib/domain/period';

const HOA = 'Trần Thị Hoa';
const NAM = 'Lê Văn Nam';
const LAN = 'Phạm Thị Lan';
const HOUSEHOLD = 'Hộ ông Phan Văn Tình, xóm 3';
/** One skill of each basic group, as the catalog names them. */
const SKILL = {
	publicServices: 'Cài đặt VNeID',
	shopping: 'Mua bán trên sàn thương mại điện tử',
	payment: 'Ứng dụng ngân hàng',
	safety: 'Nhận biết lừa đảo trực tuyến',
	localPlatforms: 'Đăng ký và học trên Bình dân học vụ số'
};

const queueButton = (page: Page, name: string) => page.getByTestId('queue').getByRole('button', { name: new RegExp(name) });

/** Both card holders check in at the camera (the video loops Hoa, then Nam). */
async function cardHoldersCheckIn(page: Page): Promise<void> {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: `Xin chào bác ${HOA}` })).toBeVisible({ timeout: 15_000 });
	await expect(page.getByRole('heading', { name: `Xin chào anh ${NAM}` })).toBeVisible({ timeout: 15_000 });
}

async function teach(page: Page, name: string, skills: string[]): Promise<void> {
	await queueButton(page, name).click();
	for (const skill of skills) await page.getByRole('button', { name: skill, exact: true }).click();
	await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
	await expect(page.getByText(`Đã lưu hỗ trợ cho ${name}`)).toBeVisible();
}

async function marksOf(page: Page, name: string): Promise<string | null> {
	return queueButton(page, name).getByTestId('five-marks').getAttribute('data-marked');
}

async function closeSession(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Đóng phiên' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
	await expect(page.getByText('Đã đóng phiên', { exact: false })).toBeVisible();
}

type Outbox = { state: string; tally: { sessionId: string; schema: number; residentsNewlyProficient: number; householdsNewlyCovered: number; residentsGainedByGroup: Record<string, number> } };

test('three residents become proficient over three sessions; their household is covered once, on the tablet, in the upload and in the report', async ({ page }) => {
	test.setTimeout(180_000);
	await cardHoldersCheckIn(page);
	await enrolByTypedCode(page);

	// What the report said before: the demo's own tallies may already count outcomes.
	const unit = 'demo-thon-trung-hoa';
	const period = periodOf(localDateOf(new Date()));
	const before = await reportOutcomes(page, unit, period);

	// Session 1: Hoa learns public services and paying; Nam shops. A household is added for Hoa,
	// and Nam is put in it in two taps.
	await cardHoldersCheckIn(page);
	await unlockTeamMode(page, DEMO.leader);
	await teach(page, HOA, [SKILL.publicServices, SKILL.payment]);
	await teach(page, NAM, [SKILL.shopping]);
	await expect.poll(() => marksOf(page, HOA)).toBe('2');
	await expect.poll(() => marksOf(page, NAM)).toBe('1');

	await queueButton(page, HOA).click();
	const panel = page.getByTestId('progress-panel');
	await panel.getByRole('button', { name: 'Chọn hộ' }).click();
	// A phone number is not a household's name.
	await panel.getByLabel(/Tên hộ mới/).fill('Hộ bà Hoa 0912 345 678');
	await panel.getByRole('button', { name: 'Thêm hộ và ghi vào' }).click();
	await expect(panel.getByRole('alert')).toContainText('không được chứa số điện thoại');
	// Added with a typo, then put right in the list (a phone number is refused there too).
	const TYPO = `${HOUSEHOLD} x`;
	await panel.getByLabel(/Tên hộ mới/).fill(TYPO);
	await panel.getByRole('button', { name: 'Thêm hộ và ghi vào' }).click();
	await expect(page.getByText(`Đã ghi ${HOA} vào ${TYPO}`)).toBeVisible();
	await panel.getByRole('button', { name: 'Chọn hộ' }).click();
	await panel.getByRole('button', { name: `Sửa tên ${TYPO}` }).click();
	const newName = panel.getByLabel(/Tên mới của hộ/);
	await expect(newName).toHaveValue(TYPO);
	await newName.fill('Hộ bà Hoa 0912 345 678');
	await panel.getByRole('button', { name: 'Lưu tên' }).click();
	await expect(panel.getByRole('alert')).toContainText('không được chứa số điện thoại');
	await newName.fill(HOUSEHOLD);
	await panel.getByRole('button', { name: 'Lưu tên' }).click();
	await expect(page.getByText(`Đã đổi tên hộ thành ${HOUSEHOLD}`)).toBeVisible();
	await expect(panel.getByTestId('picked-household')).toHaveText(HOUSEHOLD);
	await queueButton(page, HOA).click(); // unpick

	await queueButton(page, NAM).click();
	await panel.getByRole('button', { name: 'Chọn hộ' }).click();
	// Hoa lives there: the household cannot be taken off the list.
	await panel.getByRole('button', { name: `Xóa ${HOUSEHOLD} khỏi danh sách hộ` }).click();
	await expect(page.getByRole('alert')).toContainText('Hộ này còn người dân');
	await panel.getByRole('button', { name: HOUSEHOLD, exact: true }).click();
	await expect(page.getByText(`Đã ghi ${NAM} vào ${HOUSEHOLD}`)).toBeVisible();
	await expect(panel.getByTestId('picked-household')).toHaveText(HOUSEHOLD);
	await queueButton(page, NAM).click();
	await closeSession(page);

	// Session 2: the greeting shows Hoa's two marks. Hoa shops and learns to stay safe; Nam does
	// public services, payment and safety. A mark tapped by mistake is put right (recorded).
	await page.goto('/');
	const hoaGreeting = page.getByRole('status').filter({ hasText: `Xin chào bác ${HOA}` });
	await expect(hoaGreeting).toBeVisible({ timeout: 15_000 });
	await expect(hoaGreeting.getByTestId('five-marks')).toHaveAttribute('data-marked', '2');
	await expect(hoaGreeting).toContainText('Đã làm được 2/5 kỹ năng số cơ bản');
	await cardHoldersCheckIn(page);
	await unlockTeamMode(page, DEMO.leader);
	await teach(page, HOA, [SKILL.shopping, SKILL.safety]);
	await teach(page, NAM, [SKILL.publicServices, SKILL.payment, SKILL.safety]);
	await queueButton(page, NAM).click();
	const localPlatforms = panel.getByRole('group', { name: '5 kỹ năng số cơ bản' }).getByRole('button', { name: /nền tảng số khác/ });
	await localPlatforms.click();
	await expect(localPlatforms).toHaveAttribute('aria-pressed', 'true');
	await expect.poll(() => marksOf(page, NAM)).toBe('5');
	await localPlatforms.click();
	await expect(localPlatforms).toHaveAttribute('aria-pressed', 'false');
	await expect.poll(() => marksOf(page, NAM)).toBe('4');
	await queueButton(page, NAM).click();
	await closeSession(page);

	// Session 3: Hoa learns on Bình dân học vụ số, her fifth group: proficient, the household is
	// covered. Nam follows (already covered); Lan, new and without a card, learns all five at once.
	await cardHoldersCheckIn(page);
	await page.goto('/no-card');
	await registerWithoutCard(page, { name: LAN, birthYear: 1980, gender: 'Nữ' });
	await expect(page.getByText('Số thứ tự:')).toBeVisible();
	await unlockTeamMode(page, DEMO.leader);
	await teach(page, HOA, [SKILL.localPlatforms]);
	await expect.poll(() => marksOf(page, HOA)).toBe('5');
	await queueButton(page, HOA).click();
	await expect(panel).toContainText('đã có người thành thạo');
	await queueButton(page, HOA).click();
	await teach(page, NAM, [SKILL.localPlatforms]);
	await teach(page, LAN, Object.values(SKILL));
	await expect.poll(() => marksOf(page, LAN)).toBe('5');
	await closeSession(page);

	// The tablet: three schema 2 tallies, the household counted once, in the third.
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	const sendNow = page.getByRole('button', { name: 'Gửi ngay' });
	if (await sendNow.isVisible()) await sendNow.click();
	await expect(page.locator('tr[data-outbox-state="sent"]')).toHaveCount(3, { timeout: 20_000 });
	const outbox = (await storedRows<Outbox>(page, 'outbox')).sort((a, b) => (a.tally.sessionId < b.tally.sessionId ? -1 : 1));
	const sessions = await storedRows<{ id: string; startedAt: string }>(page, 'sessions');
	const order = sessions.sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1)).map((s) => s.id);
	const byOrder = order.map((id) => outbox.find((o) => o.tally.sessionId === id)!.tally);
	expect(byOrder.map((t) => t.schema)).toEqual([2, 2, 2]);
	expect(byOrder.map((t) => t.residentsNewlyProficient)).toEqual([0, 0, 3]);
	expect(byOrder.map((t) => t.householdsNewlyCovered)).toEqual([0, 0, 1]);
	expect(byOrder[0]!.residentsGainedByGroup).toEqual({ publicServices: 1, shopping: 1, payment: 1, safety: 0, localPlatforms: 0 });
	expect(byOrder[1]!.residentsGainedByGroup).toEqual({ publicServices: 1, shopping: 1, payment: 1, safety: 2, localPlatforms: 0 });
	expect(byOrder[2]!.residentsGainedByGroup).toEqual({ publicServices: 1, shopping: 1, payment: 1, safety: 1, localPlatforms: 3 });
	// What left the tablet is counts: no household label, no name.
	expect(JSON.stringify(outbox)).not.toContain('Phan Văn Tình');
	expect(JSON.stringify(outbox)).not.toContain(HOA);

	// The server stored the counts as sent.
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	const stored = await db
		.selectFrom('session_tallies')
		.select(['session_id', 'residents_newly_proficient', 'households_newly_covered'])
		.where('session_id', 'in', order)
		.execute()
		.finally(close);
	expect(stored.map((r) => [order.indexOf(r.session_id), r.residents_newly_proficient, r.households_newly_covered]).sort()).toEqual([
		[0, 0, 0],
		[1, 0, 0],
		[2, 3, 1]
	]);

	// The report counts them: three more residents newly proficient, one more household covered.
	const after = await reportOutcomes(page, unit, period);
	expect(after.proficient).toBe(before.proficient + 3);
	expect(after.covered).toBe(before.covered + 1);

	// An officer enters the village's households; the report measures coverage against them.
	const context = await page.context().browser()!.newContext({ baseURL: E2E_BASE_URL, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
	const admin = await context.newPage();
	try {
		await signIn(admin);
		await admin.goto('/admin/households');
		const village = admin.locator(`tr[data-unit-id="${unit}"]`);
		await village.getByLabel('Số hộ').fill('mười');
		await village.getByRole('button', { name: 'Lưu số hộ' }).click();
		await expect(village.getByRole('alert')).toContainText('Số hộ phải là số nguyên');
		await village.getByLabel('Số hộ').fill('40');
		await village.getByRole('button', { name: 'Lưu số hộ' }).click();
		await expect(village.getByRole('status')).toHaveText('Đã lưu số hộ.');
		await admin.goto(`/admin/reports?unit=${unit}&period=${period}`);
		const total = admin.locator('table.report tr.total');
		await expect(total.locator('td[data-outcome="households"]')).toContainText('40');
		await expect(total.locator('td[data-outcome="coverage"]')).toHaveText(/^\d+(,\d)? %$/);
		// The commune's report draws each village's coverage.
		await admin.goto(`/admin/reports?unit=demo-xa-duc-tho&period=${period}`);
		await expect(admin.locator('svg[aria-labelledby^="chart-coverage"] desc')).toContainText('Thôn Trung Hòa');
	} finally {
		await context.close();
	}
});

/** The report's total row for the village team: residents newly proficient and households newly covered. */
async function reportOutcomes(page: Page, unit: string, period: string): Promise<{ proficient: number; covered: number }> {
	// An officer's own browser, not the tablet's.
	const context = await page.context().browser()!.newContext({ baseURL: E2E_BASE_URL, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
	const admin = await context.newPage();
	try {
		await signIn(admin);
		await admin.goto(`/admin/reports?unit=${unit}&period=${period}`);
		const total = admin.locator('table.report tr.total');
		const cell = async (name: string) => {
			const text = (await total.locator(`td[data-outcome="${name}"]`).textContent())?.trim() ?? '';
			return text === 'Chưa báo cáo' ? 0 : Number(text);
		};
		return { proficient: await cell('residentsNewlyProficient'), covered: await cell('householdsNewlyCovered') };
	} finally {
		await context.close();
	}
}
