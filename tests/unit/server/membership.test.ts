import { beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { hashPin } from '$lib/domain/pin';
import { listAudit } from '$lib/server/audit';
import type { Database, Member, Team, UserRole } from '$lib/server/db/schema';
import {
	approveDecision,
	listDecisions,
	membershipRights,
	pendingDecisions,
	proposeLeave,
	recommendJoin,
	recordLeaveRequest,
	rejectDecision,
	teamTimeline,
	type Actor,
	type MembershipErrorCode
} from '$lib/server/membership';
import { createUnit } from '$lib/server/orgTree';
import { addMember, archiveTeam, createTeam, getMember, listMembers, setMemberPin } from '$lib/server/teams';
import { InputError } from '$lib/server/inputError';
import { buildTrungHoaTeam, databaseForEachTest, ENGINES } from '../../fixtures/serverDb';

const system = 'system';
const day1 = new Date('2025-08-01T03:00:00Z');
const day2 = new Date('2025-08-05T03:00:00Z');
const day3 = new Date('2025-08-10T03:00:00Z');

interface World {
	trungHoa: Team;
	dongThinh: Team;
	commune: Team;
	otherTeam: Team;
	leader: Member;
	deputy: Member;
	collaborator: Member;
	admin: Actor;
	officer: Actor;
	otherOfficer: Actor;
	trungHoaLeader: Actor;
	dongThinhLeader: Actor;
}

async function user(db: Kysely<Database>, id: string, role: UserRole, displayName: string, scope: { unit_id?: string; team_id?: string } = {}): Promise<Actor> {
	const row = { id, username: id, display_name: displayName, password_hash: 'x', role, unit_id: scope.unit_id ?? null, team_id: scope.team_id ?? null, created_at: day1.toISOString(), disabled_at: null };
	await db.insertInto('users').values(row).execute();
	return row;
}

/** Two communes of Đức Thọ; in Tùng Ảnh a commune team and two village teams. Trung Hòa has a leader, a deputy and a collaborator. */
async function buildWorld(db: Kysely<Database>): Promise<World> {
	const now = day1;
	const { district, commune: tungAnh, team: trungHoa, leader, deputy } = await buildTrungHoaTeam(db, { actor: system, now });
	const dongThinhUnit = await createUnit(db, { name: 'Thôn Đông Thịnh', kind: 'village', parentId: tungAnh.id, actor: system, now });
	const other = await createUnit(db, { name: 'Xã Đức Lạng', kind: 'commune', parentId: district.id, actor: system, now });
	const team = (unitId: string, name: string, level: 'commune' | 'village') => createTeam(db, { unitId, name, level, phase: 'pilot', establishedOn: '2024-03-01', actor: system, now });
	const dongThinh = await team(dongThinhUnit.id, 'Tổ CĐS thôn Đông Thịnh', 'village');
	const commune = await team(tungAnh.id, 'Tổ CĐS xã Tùng Ảnh', 'commune');
	const otherTeam = await team(other.id, 'Tổ CĐS xã Đức Lạng', 'commune');
	const add = (teamId: string, fullName: string, role: Member['role'], background: string) => addMember(db, { teamId, fullName, role, background, joinedOn: '2024-03-01', actor: system, now });
	const collaborator = await add(trungHoa.id, 'Võ Văn Đức', 'collaborator', 'Sinh viên');
	await add(dongThinh.id, 'Hoàng Văn Sơn', 'leader', 'Trưởng thôn');
	return {
		trungHoa,
		dongThinh,
		commune,
		otherTeam,
		leader,
		deputy,
		collaborator,
		admin: await user(db, 'u-admin', 'admin', 'Quản trị viên'),
		officer: await user(db, 'u-officer', 'officer', 'Cán bộ Lan', { unit_id: tungAnh.id }),
		otherOfficer: await user(db, 'u-officer-2', 'officer', 'Cán bộ Hà', { unit_id: other.id }),
		trungHoaLeader: await user(db, 'u-leader', 'leader', 'Nguyễn Văn An', { team_id: trungHoa.id }),
		dongThinhLeader: await user(db, 'u-leader-2', 'leader', 'Hoàng Văn Sơn', { team_id: dongThinh.id })
	};
}

async function refuses(work: Promise<unknown>, code: MembershipErrorCode, params?: Record<string, string>): Promise<InputError> {
	const error = await work.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(InputError);
	expect((error as InputError).code).toBe(code);
	if (params) expect((error as InputError).params).toMatchObject(params);
	return error as InputError;
}

const approval = { decisionNumber: '12/QĐ-UBND', decisionDate: '2025-08-04' };

describe.each(ENGINES)('membership decisions on %s', (engine) => {
	const t = databaseForEachTest(engine);
	let w: World;
	beforeEach(async () => void (w = await buildWorld(t.db)));

	it('joins a new person only once the commune approves, from the decision date', async () => {
		const proposed = await recommendJoin(t.db, {
			actor: w.trungHoaLeader,
			teamId: w.trungHoa.id,
			fullName: '  Lê   Thị Hoa ',
			role: 'member',
			background: 'teacher',
			reason: 'Giáo viên trường tiểu học, nhiệt tình',
			now: day1
		});
		expect(proposed).toMatchObject({ kind: 'join', status: 'proposed', person_name: 'Lê Thị Hoa', role: 'member', background: 'teacher', member_id: null, requested_by: 'user:u-leader' });
		expect((await listMembers(t.db, w.trungHoa.id)).map((m) => m.full_name)).not.toContain('Lê Thị Hoa');
		const [recommended] = await listAudit(t.db, { subject: `decision:${proposed.id}` });
		expect(recommended).toMatchObject({ action: 'decision.join.recommend', actor: 'user:u-leader' });

		const approved = await approveDecision(t.db, { actor: w.officer, decisionId: proposed.id, teamId: w.trungHoa.id, ...approval, note: 'Đồng ý', now: day2 });
		expect(approved).toMatchObject({ status: 'approved', decided_by: 'user:u-officer', decided_at: day2.toISOString(), decision_number: '12/QĐ-UBND', decision_date: '2025-08-04', note: 'Đồng ý' });
		const member = await getMember(t.db, approved.member_id!);
		expect(member).toMatchObject({ team_id: w.trungHoa.id, full_name: 'Lê Thị Hoa', role: 'member', background: 'teacher', status: 'active', joined_on: '2025-08-04' });
		const [stored] = await listDecisions(t.db, w.trungHoa.id);
		expect(stored).toEqual(approved);
		// The roster change and the approval are recorded together.
		expect((await listAudit(t.db, { subject: `decision:${proposed.id}` })).map((e) => e.action)).toEqual(['decision.approve', 'decision.join.recommend']);
		const [added] = await listAudit(t.db, { subject: `member:${member!.id}` });
		expect(added).toMatchObject({ action: 'member.add', actor: 'user:u-officer', at: day2.toISOString() });
	});

	it('promotes a collaborator, keeping their row and their joining date', async () => {
		const proposed = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, collaboratorId: w.collaborator.id, role: 'member', now: day1 });
		expect(proposed).toMatchObject({ person_name: 'Võ Văn Đức', member_id: w.collaborator.id, background: 'Sinh viên' });
		await refuses(recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, collaboratorId: w.collaborator.id, role: 'member', now: day1 }), 'alreadyOpen', { name: 'Võ Văn Đức' });
		const approved = await approveDecision(t.db, { actor: w.admin, decisionId: proposed.id, ...approval, now: day2 });
		expect(approved.member_id).toBe(w.collaborator.id);
		expect(await getMember(t.db, w.collaborator.id)).toMatchObject({ role: 'member', status: 'active', joined_on: '2024-03-01' });
		expect((await listMembers(t.db, w.trungHoa.id)).map((m) => m.role)).toEqual(['leader', 'deputy', 'member']);
		await refuses(recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, collaboratorId: w.deputy.id, role: 'member', now: day1 }), 'notCollaborator');
	});

	it('refuses an approval the roster has no room for, changing nothing; a leave first makes room', async () => {
		const third = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, fullName: 'Người Thứ Ba', role: 'member', now: day1 });
		const fourth = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, fullName: 'Người Thứ Tư', role: 'member', now: day1 });
		const newLeader = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, fullName: 'Trưởng Thôn Mới', role: 'leader', background: 'villageHead', now: day1 });
		await refuses(approveDecision(t.db, { actor: w.officer, decisionId: newLeader.id, ...approval, now: day2 }), 'roleTaken', { role: 'leader', holder: 'Nguyễn Văn An' });
		await approveDecision(t.db, { actor: w.officer, decisionId: third.id, ...approval, now: day2 });
		const auditBefore = (await listAudit(t.db, { limit: 1000 })).length;
		await refuses(approveDecision(t.db, { actor: w.officer, decisionId: fourth.id, ...approval, now: day2 }), 'teamFull', { size: '3' });
		expect((await listAudit(t.db, { limit: 1000 })).length).toBe(auditBefore);
		expect((await listDecisions(t.db, w.trungHoa.id)).find((d) => d.id === fourth.id)?.status).toBe('proposed');
		expect((await listMembers(t.db, w.trungHoa.id)).filter((m) => m.role !== 'collaborator').map((m) => m.full_name)).toEqual(['Nguyễn Văn An', 'Trần Thị Bình', 'Người Thứ Ba']);

		// The old leader leaves; the new one can then be approved.
		const leave = await recordLeaveRequest(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, memberId: w.leader.id, reason: 'Chuyển công tác', now: day2 });
		await proposeLeave(t.db, { actor: w.trungHoaLeader, decisionId: leave.id, now: day2 });
		await approveDecision(t.db, { actor: w.officer, decisionId: leave.id, decisionNumber: '13/QĐ-UBND', decisionDate: '2025-08-09', now: day3 });
		const joined = await approveDecision(t.db, { actor: w.officer, decisionId: newLeader.id, decisionNumber: '14/QĐ-UBND', decisionDate: '2025-08-09', now: day3 });
		expect(await getMember(t.db, joined.member_id!)).toMatchObject({ role: 'leader', joined_on: '2025-08-09' });
	});

	it('takes a leave through request, proposal and approval; the member stays on the roster as left', async () => {
		await setMemberPin(t.db, { memberId: w.deputy.id, pinHash: await hashPin('2222', 1000), actor: system, now: day1 });
		const request = await recordLeaveRequest(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, memberId: w.deputy.id, reason: 'Đi học xa', now: day1 });
		expect(request).toMatchObject({ kind: 'leave', status: 'requested', member_id: w.deputy.id, person_name: 'Trần Thị Bình', role: 'deputy', reason: 'Đi học xa' });
		await refuses(recordLeaveRequest(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, memberId: w.deputy.id, now: day1 }), 'alreadyOpen');
		// The commune decides on the leader's proposal, not on the bare request.
		await refuses(approveDecision(t.db, { actor: w.officer, decisionId: request.id, ...approval, now: day2 }), 'notProposed');
		const proposed = await proposeLeave(t.db, { actor: w.trungHoaLeader, decisionId: request.id, teamId: w.trungHoa.id, now: day2 });
		expect(proposed.status).toBe('proposed');
		await refuses(proposeLeave(t.db, { actor: w.trungHoaLeader, decisionId: request.id, now: day2 }), 'notRequested');
		expect((await getMember(t.db, w.deputy.id))?.status).toBe('active');

		await approveDecision(t.db, { actor: w.officer, decisionId: request.id, decisionNumber: '13/QĐ-UBND', decisionDate: '2025-08-06', now: day3 });
		expect(await getMember(t.db, w.deputy.id)).toMatchObject({ status: 'left', left_on: '2025-08-06', pin_hash: null });
		expect((await listMembers(t.db, w.trungHoa.id, { includeLeft: true })).map((m) => m.full_name)).toContain('Trần Thị Bình');
		expect((await listAudit(t.db, { subject: `member:${w.deputy.id}` }))[0]).toMatchObject({ action: 'member.leave', at: day3.toISOString() });
		await refuses(approveDecision(t.db, { actor: w.officer, decisionId: request.id, ...approval, now: day3 }), 'alreadyDecided');
		// Someone who left cannot be asked to leave again, nor recommended as a collaborator.
		await refuses(recordLeaveRequest(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, memberId: w.deputy.id, now: day3 }), 'memberNotActive');
	});

	it('will not date a leave before the member joined', async () => {
		const request = await recordLeaveRequest(t.db, { actor: w.officer, teamId: w.trungHoa.id, memberId: w.deputy.id, now: day1 });
		await proposeLeave(t.db, { actor: w.officer, decisionId: request.id, now: day1 });
		await refuses(approveDecision(t.db, { actor: w.officer, decisionId: request.id, decisionNumber: '1/QĐ', decisionDate: '2024-02-01', now: day2 }), 'leaveBeforeJoin', {
			joinedOn: '2024-03-01'
		});
		expect((await getMember(t.db, w.deputy.id))?.status).toBe('active');
	});

	it('keeps a rejected decision, with its note, and changes nothing', async () => {
		const proposed = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, fullName: 'Phan Văn Tú', role: 'member', now: day1 });
		await refuses(rejectDecision(t.db, { actor: w.officer, decisionId: proposed.id, note: '  ', now: day2 }), 'noteRequired');
		const rejected = await rejectDecision(t.db, { actor: w.officer, decisionId: proposed.id, note: 'Chưa đủ 18 tuổi', now: day2 });
		expect(rejected).toMatchObject({ status: 'rejected', note: 'Chưa đủ 18 tuổi', decided_by: 'user:u-officer', decision_number: null, decision_date: null });
		expect((await listDecisions(t.db, w.trungHoa.id)).map((d) => d.status)).toEqual(['rejected']);
		expect((await listMembers(t.db, w.trungHoa.id)).map((m) => m.full_name)).not.toContain('Phan Văn Tú');
		await refuses(approveDecision(t.db, { actor: w.officer, decisionId: proposed.id, ...approval, now: day3 }), 'alreadyDecided');
		await refuses(rejectDecision(t.db, { actor: w.officer, decisionId: proposed.id, note: 'Lại', now: day3 }), 'alreadyDecided');
		// A bare leave request can be turned down too, with the decision's number when there is one.
		const request = await recordLeaveRequest(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, memberId: w.deputy.id, now: day1 });
		const no = await rejectDecision(t.db, { actor: w.admin, decisionId: request.id, note: 'Đề nghị ở lại đến hết năm', decisionNumber: '15/QĐ-UBND', decisionDate: '2025-08-09', now: day3 });
		expect(no).toMatchObject({ status: 'rejected', decision_number: '15/QĐ-UBND', decision_date: '2025-08-09' });
		expect((await getMember(t.db, w.deputy.id))?.status).toBe('active');
	});

	it('lets a leader act on their own team only, and only the commune (or an admin) decide', async () => {
		await refuses(recommendJoin(t.db, { actor: w.dongThinhLeader, teamId: w.trungHoa.id, fullName: 'Ai Đó', role: 'member', now: day1 }), 'forbidden');
		await refuses(recordLeaveRequest(t.db, { actor: w.dongThinhLeader, teamId: w.trungHoa.id, memberId: w.deputy.id, now: day1 }), 'forbidden');
		await refuses(recommendJoin(t.db, { actor: w.otherOfficer, teamId: w.trungHoa.id, fullName: 'Ai Đó', role: 'member', now: day1 }), 'forbidden');
		const proposed = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, fullName: 'Ai Đó', role: 'member', now: day1 });
		await refuses(approveDecision(t.db, { actor: w.trungHoaLeader, decisionId: proposed.id, ...approval, now: day2 }), 'forbidden');
		await refuses(rejectDecision(t.db, { actor: w.trungHoaLeader, decisionId: proposed.id, note: 'Không', now: day2 }), 'forbidden');
		await refuses(approveDecision(t.db, { actor: w.otherOfficer, decisionId: proposed.id, ...approval, now: day2 }), 'forbidden');
		// A form of one team's page cannot decide another team's decision.
		await refuses(approveDecision(t.db, { actor: w.officer, decisionId: proposed.id, teamId: w.dongThinh.id, ...approval, now: day2 }), 'decisionNotFound');
		await refuses(recordLeaveRequest(t.db, { actor: w.officer, teamId: w.dongThinh.id, memberId: w.deputy.id, now: day1 }), 'memberNotFound');

		expect(await membershipRights(t.db, w.trungHoaLeader, w.trungHoa)).toEqual({ propose: true, decide: false });
		expect(await membershipRights(t.db, w.dongThinhLeader, w.trungHoa)).toEqual({ propose: false, decide: false });
		expect(await membershipRights(t.db, w.officer, w.trungHoa)).toEqual({ propose: true, decide: true });
		expect(await membershipRights(t.db, w.officer, w.commune)).toEqual({ propose: true, decide: true });
		expect(await membershipRights(t.db, w.otherOfficer, w.trungHoa)).toEqual({ propose: false, decide: false });
		expect(await membershipRights(t.db, w.admin, w.otherTeam)).toEqual({ propose: true, decide: true });
	});

	it('checks what is typed', async () => {
		const base = { actor: w.trungHoaLeader, teamId: w.trungHoa.id, now: day1 };
		await refuses(recommendJoin(t.db, { ...base, fullName: ' ', role: 'member' }), 'nameRefused');
		await refuses(recommendJoin(t.db, { ...base, fullName: 'Ai Đó', role: 'collaborator' }), 'roleInvalid');
		await refuses(recommendJoin(t.db, { ...base, fullName: 'Ai Đó', role: 'member', reason: 'x'.repeat(501) }), 'textTooLong', { max: '500' });
		await refuses(recommendJoin(t.db, { ...base, teamId: 'missing', fullName: 'Ai Đó', role: 'member' }), 'teamNotFound');
		const proposed = await recommendJoin(t.db, { ...base, fullName: 'Ai Đó', role: 'member' });
		const decide = { actor: w.officer, decisionId: proposed.id, now: day2 };
		await refuses(approveDecision(t.db, { ...decide, decisionNumber: ' ', decisionDate: '2025-08-04' }), 'decisionNumberRequired');
		await refuses(approveDecision(t.db, { ...decide, decisionNumber: '12/QĐ-UBND', decisionDate: '04/08/2025' }), 'dateInvalid');
		await refuses(approveDecision(t.db, { ...decide, decisionNumber: '12/QĐ-UBND', decisionDate: '2025-02-30' }), 'dateInvalid');
		await refuses(approveDecision(t.db, { ...decide, decisionId: 'missing', ...approval }), 'decisionNotFound');
		await archiveTeam(t.db, { id: w.dongThinh.id, actor: system, now: day1 });
		await refuses(recommendJoin(t.db, { ...base, actor: w.officer, teamId: w.dongThinh.id, fullName: 'Ai Đó', role: 'member' }), 'teamArchived');
	});

	it("surfaces the roster's own refusals under one code", async () => {
		// A decision written by some other path with a name the roster refuses.
		await t.db
			.insertInto('membership_decisions')
			.values({ id: 'odd', team_id: w.trungHoa.id, kind: 'join', status: 'proposed', member_id: null, person_name: '\u0007', role: 'member', background: '', reason: null, requested_by: 'user:u-leader', requested_at: day1.toISOString(), decided_by: null, decided_at: null, decision_number: null, decision_date: null, note: null })
			.execute();
		const error = await refuses(approveDecision(t.db, { actor: w.officer, decisionId: 'odd', ...approval, now: day2 }), 'nameRefused');
		expect(error.field).toBe('fullName');
		expect(error.params.reason).toMatch(/ký tự ẩn/);
		expect((await listDecisions(t.db, w.trungHoa.id))[0]?.status).toBe('proposed');
	});

	it('approves once when two officers approve at the same moment', async () => {
		const proposed = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, fullName: 'Đồng Thời', role: 'member', now: day1 });
		const results = await Promise.allSettled([
			approveDecision(t.db, { actor: w.officer, decisionId: proposed.id, ...approval, now: day2 }),
			approveDecision(t.db, { actor: w.admin, decisionId: proposed.id, ...approval, now: day2 })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const failure = results.find((r) => r.status === 'rejected');
		expect((failure as PromiseRejectedResult).reason).toMatchObject({ code: 'alreadyDecided' });
		expect((await listMembers(t.db, w.trungHoa.id)).filter((m) => m.full_name === 'Đồng Thời')).toHaveLength(1);
	});

	it("lists what waits, within each user's reach, and whose move it is", async () => {
		const join = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, fullName: 'Lê Thị Hoa', role: 'member', now: day1 });
		const leave = await recordLeaveRequest(t.db, { actor: w.dongThinhLeader, teamId: w.dongThinh.id, memberId: (await listMembers(t.db, w.dongThinh.id))[0]!.id, now: day2 });
		const far = await recommendJoin(t.db, { actor: w.admin, teamId: w.otherTeam.id, fullName: 'Ở Xa', role: 'member', now: day3 });
		const done = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, fullName: 'Đã Xong', role: 'member', now: day1 });
		await rejectDecision(t.db, { actor: w.officer, decisionId: done.id, note: 'Không', now: day2 });

		const admin = await pendingDecisions(t.db, w.admin);
		expect(admin.map((d) => d.id)).toEqual([join.id, leave.id, far.id]);
		expect(admin[0]).toMatchObject({ teamId: w.trungHoa.id, teamName: 'Tổ CĐS thôn Trung Hòa', kind: 'join', status: 'proposed', personName: 'Lê Thị Hoa', awaiting: 'officer' });
		expect(admin[1]).toMatchObject({ kind: 'leave', status: 'requested', awaiting: 'leader' });
		expect((await pendingDecisions(t.db, w.officer)).map((d) => d.id)).toEqual([join.id, leave.id]);
		expect((await pendingDecisions(t.db, w.otherOfficer)).map((d) => d.id)).toEqual([far.id]);
		expect((await pendingDecisions(t.db, w.trungHoaLeader)).map((d) => d.id)).toEqual([join.id]);
		expect((await pendingDecisions(t.db, w.dongThinhLeader)).map((d) => d.id)).toEqual([leave.id]);
		expect(await pendingDecisions(t.db, { id: 'x', role: 'officer', unit_id: null, team_id: null })).toEqual([]);
		// An archived team's open decisions wait for no one.
		await archiveTeam(t.db, { id: w.otherTeam.id, actor: system, now: new Date('2025-08-11T00:00:00Z') });
		expect((await pendingDecisions(t.db, w.admin)).map((d) => d.id)).toEqual([join.id, leave.id]);
	});

	it("tells the team's story newest first, with who did what", async () => {
		const join = await recommendJoin(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, fullName: 'Lê Thị Hoa', role: 'member', reason: 'Nhiệt tình', now: day1 });
		const approved = await approveDecision(t.db, { actor: w.officer, decisionId: join.id, ...approval, now: day2 });
		await setMemberPin(t.db, { memberId: approved.member_id!, pinHash: await hashPin('4444', 1000), actor: 'user:u-officer', now: day2 });
		const leave = await recordLeaveRequest(t.db, { actor: w.trungHoaLeader, teamId: w.trungHoa.id, memberId: w.deputy.id, now: day3 });
		// Another team's steps are not this team's story.
		await recommendJoin(t.db, { actor: w.dongThinhLeader, teamId: w.dongThinh.id, fullName: 'Khác Tổ', role: 'member', now: day3 });

		const timeline = await teamTimeline(t.db, w.trungHoa.id);
		const head = timeline.slice(0, 4).map((e) => [e.action, e.actorName, e.decision?.person_name ?? e.memberName]);
		expect(head).toEqual([
			['decision.leave.request', 'Nguyễn Văn An', 'Trần Thị Bình'],
			['decision.approve', 'Cán bộ Lan', 'Lê Thị Hoa'],
			['member.add', 'Cán bộ Lan', 'Lê Thị Hoa'],
			['decision.join.recommend', 'Nguyễn Văn An', 'Lê Thị Hoa']
		]);
		expect(timeline[1]).toMatchObject({ actorKind: 'user', decision: { id: join.id, kind: 'join', decision_number: '12/QĐ-UBND', decision_date: '2025-08-04' }, detail: { decisionNumber: '12/QĐ-UBND' } });
		expect(timeline[0]?.decision?.id).toBe(leave.id);
		expect(timeline.map((e) => e.action)).not.toContain('member.pin');
		expect(timeline.some((e) => e.memberName === 'Khác Tổ' || e.decision?.person_name === 'Khác Tổ')).toBe(false);
		// The roster as the team was built, at the end; the system has no name.
		expect(timeline.at(-1)).toMatchObject({ action: 'team.create', actorKind: 'system', actorName: null });
		expect(timeline.filter((e) => e.action === 'member.add')).toHaveLength(4);
		expect(await teamTimeline(t.db, w.trungHoa.id, { limit: 2 })).toHaveLength(2);
		expect(await teamTimeline(t.db, 'missing')).toEqual([]);
	});
});
