// Membership decisions end to end, as two people at two browsers: a team leader recommends a new
// member and records a member's request to leave; the commune officer approves each with the
// decision's number and date; the roster, the rule warnings and the timeline follow.
//
// The team is this spec's own (a fresh province, commune, village and team per run, under unique
// names), not the demo team: the demo team already has its 3 core members, so a join would be
// refused, and a demo member leaving would break the specs that unlock team mode as them.
import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type Page } from './cspGuard';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { createUnit } from '../../src/lib/server/orgTree';
import { addMember, createTeam } from '../../src/lib/server/teams';
import { createUser } from '../../src/lib/server/users';
import { E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { signIn } from './admin';

const PASSWORD = 'e2e-governance-password';
const suffix = randomBytes(3).toString('hex');
const place = {
	teamName: `Tổ CĐS thôn Thử Nghiệm ${suffix}`,
	leaderName: 'Nguyễn Văn Tường',
	deputyName: 'Trần Thị Phương',
	newcomer: `Lê Thị Hoa ${suffix}`,
	leaderUser: `e2e-leader-${suffix}`,
	officerUser: `e2e-officer-${suffix}`,
	teamId: ''
};

/** Today in Vietnam, as a date input takes it and as the pages show it. */
const todayIso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const todayVi = todayIso.split('-').reverse().join('/');

test.beforeAll(async () => {
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	try {
		const actor = 'system';
		const now = new Date();
		// Its own province: the demo district's reports and counts stay as other specs expect them.
		const province = await createUnit(db, { name: `Tỉnh Thử Nghiệm ${suffix}`, kind: 'province', parentId: null, actor, now });
		const commune = await createUnit(db, { name: `Xã Thử Nghiệm ${suffix}`, kind: 'commune', parentId: province.id, actor, now });
		const village = await createUnit(db, { name: `Thôn Thử Nghiệm ${suffix}`, kind: 'village', parentId: commune.id, actor, now });
		const team = await createTeam(db, { unitId: village.id, name: place.teamName, level: 'village', phase: 'expansion', establishedOn: '2024-01-15', actor, now });
		await addMember(db, { teamId: team.id, fullName: place.leaderName, role: 'leader', background: 'Trưởng thôn', joinedOn: '2024-01-15', actor, now });
		await addMember(db, { teamId: team.id, fullName: place.deputyName, role: 'deputy', background: 'Bí thư chi đoàn thôn', joinedOn: '2024-01-15', actor, now });
		await createUser(db, { username: place.leaderUser, displayName: place.leaderName, password: PASSWORD, role: 'leader', teamId: team.id, actor, now });
		await createUser(db, { username: place.officerUser, displayName: 'Cán bộ Thử Nghiệm', password: PASSWORD, role: 'officer', unitId: commune.id, actor, now });
		place.teamId = team.id;
	} finally {
		await close();
	}
});

/** A browser of `username`'s own, signed in. */
const signInAs = async (browser: Browser, username: string): Promise<Page> => signIn(await (await browser.newContext()).newPage(), username, PASSWORD);

const pending = (page: Page) => page.getByTestId('pending-decisions');
const memberRow = (page: Page, name: string) => page.locator('tr[data-member-id]', { hasText: name });
const decisionCard = (page: Page, name: string) => page.locator('article.decision', { hasText: name });
const timeline = (page: Page) => page.getByTestId('team-timeline');

/** The officer opens the team from the dashboard's "waiting" list and approves with the decision's number and date. */
async function approveFromDashboard(officer: Page, person: string, decisionNumber: string): Promise<void> {
	await officer.goto('/admin');
	await expect(pending(officer).getByRole('heading')).toHaveText('1 quyết định đang chờ');
	await pending(officer).getByRole('link', { name: new RegExp(place.teamName) }).click();
	const card = decisionCard(officer, person);
	await expect(card).toContainText('Chờ xã phê duyệt');
	await card.getByLabel('Số quyết định').fill(decisionNumber);
	await card.getByLabel('Ngày quyết định').fill(todayIso);
	await card.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
	await expect(officer.getByRole('status')).toHaveText('Đã phê duyệt. Danh sách thành viên đã cập nhật.');
}

test('a leader recommends and records a leave; the commune officer approves each by decision', async ({ browser }) => {
	const leader = await signInAs(browser, place.leaderUser);
	const officer = await signInAs(browser, place.officerUser);
	await expect(pending(officer)).toContainText('Không có quyết định nào đang chờ.');

	// The district-wide list shows the team short of its third member.
	await officer.goto('/admin/teams');
	const listed = officer.locator(`tr[data-team-id="${place.teamId}"]`);
	await expect(listed).toContainText('Chỉ có 2 thành viên chính đang hoạt động (kế hoạch: 3)');

	// Join: the leader recommends someone new.
	await leader.goto(`/admin/teams/${place.teamId}`);
	await expect(leader.getByTestId('composition-warnings')).toContainText('Chỉ có 2 thành viên chính');
	await leader.getByText('Giới thiệu người vào tổ').click();
	const recommend = leader.locator('form[action="?/recommend"]');
	await expect(recommend.getByLabel('Người được giới thiệu')).toHaveValue('');
	await recommend.getByLabel('Họ tên người mới').fill(place.newcomer);
	await recommend.getByLabel('Vai trò trong tổ').selectOption('member');
	await recommend.getByLabel('Xuất thân', { exact: true }).selectOption('teacher');
	await recommend.getByLabel('Lý do').fill('Giáo viên trường tiểu học, nhiệt tình hướng dẫn người cao tuổi');
	await recommend.getByRole('button', { name: 'Gửi đề nghị lên xã' }).click();
	await expect(leader.getByRole('status')).toContainText('Đã gửi đề nghị');
	await expect(decisionCard(leader, place.newcomer)).toContainText('Chờ xã phê duyệt');
	// Not a member until the commune decides.
	await expect(memberRow(leader, place.newcomer)).toHaveCount(0);

	await approveFromDashboard(officer, place.newcomer, '12/QĐ-UBND');
	const joined = memberRow(officer, place.newcomer);
	await expect(joined).toHaveAttribute('data-status', 'active');
	await expect(joined).toContainText('Giáo viên');
	await expect(joined).toContainText(`Vào tổ: QĐ số 12/QĐ-UBND ngày ${todayVi}`);
	await expect(officer.getByTestId('composition-ok')).toBeVisible();
	await expect(timeline(officer)).toContainText(`${place.leaderName} giới thiệu ${place.newcomer} vào tổ (Thành viên)`);
	await expect(timeline(officer)).toContainText(`Cán bộ Thử Nghiệm phê duyệt ${place.newcomer} vào tổ, quyết định số 12/QĐ-UBND ngày ${todayVi}`);
	await officer.goto('/admin');
	await expect(pending(officer)).toContainText('Không có quyết định nào đang chờ.');

	// Leave: the deputy asked; the leader records it, then proposes it.
	await leader.reload();
	await expect(memberRow(leader, place.newcomer)).toHaveAttribute('data-status', 'active');
	await leader.getByText('Ghi nhận đơn xin rời tổ').click();
	const leave = leader.locator('form[action="?/leaveRequest"]');
	await leave.getByLabel('Thành viên xin rời tổ').selectOption({ label: `${place.deputyName} (Tổ phó)` });
	await leave.getByLabel('Lý do').fill('Đi học xa nhà');
	await leave.getByRole('button', { name: 'Ghi nhận đơn' }).click();
	await expect(leader.getByRole('status')).toContainText('Đã ghi nhận đơn xin rời tổ');
	const request = decisionCard(leader, place.deputyName);
	await expect(request).toContainText('Chờ tổ trưởng đề xuất');
	// The commune decides on the leader's proposal, not on the bare request.
	await officer.reload();
	await expect(pending(officer)).toContainText('Không có quyết định nào đang chờ.');
	await request.getByRole('button', { name: 'Đề xuất xã phê duyệt' }).click();
	await expect(leader.getByRole('status')).toHaveText('Đã đề xuất lên xã.');
	await expect(decisionCard(leader, place.deputyName)).toContainText('Chờ xã phê duyệt');

	await approveFromDashboard(officer, place.deputyName, '13/QĐ-UBND');
	const left = memberRow(officer, place.deputyName);
	await expect(left).toHaveAttribute('data-status', 'left');
	await expect(left).toContainText(`Đã rời tổ từ ${todayVi}`);
	await expect(left).toContainText(`Rời tổ: QĐ số 13/QĐ-UBND ngày ${todayVi}`);
	await expect(officer.getByTestId('composition-warnings')).toContainText('Chỉ có 2 thành viên chính');
	const steps = timeline(officer);
	await expect(steps).toContainText(`${place.leaderName} ghi nhận đơn xin rời tổ của ${place.deputyName}`);
	await expect(steps).toContainText(`${place.leaderName} đề xuất xã cho ${place.deputyName} rời tổ`);
	await expect(steps).toContainText(`Cán bộ Thử Nghiệm phê duyệt ${place.deputyName} rời tổ, quyết định số 13/QĐ-UBND ngày ${todayVi}`);
	await expect(steps).toContainText(`${place.deputyName} rời tổ từ ${todayVi}`);
	// Newest first.
	await expect(steps.locator('li').first()).toContainText(`phê duyệt ${place.deputyName} rời tổ`);

	// The leader sees the same roster: the deputy kept, as left.
	await leader.reload();
	await expect(memberRow(leader, place.deputyName)).toContainText(`Đã rời tổ từ ${todayVi}`);
	await expect(leader.getByText('Không có đề nghị nào đang chờ.')).toBeVisible();
	await leader.context().close();
	await officer.context().close();
});
