import { beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { parseCsv } from '$lib/domain/csv';
import { formulaCells } from '../../fixtures/csvFormulas';
import { DEFAULT_PERIOD_RULE } from '$lib/domain/period';
import { emptyCounts, type SessionTally } from '$lib/domain/tally';
import { recordActivity } from '$lib/server/activities';
import { listAudit } from '$lib/server/audit';
import { commendationCsv } from '$lib/server/commendationExport';
import { loadCommendationEdits, proposeCommendations, saveCommendationEdits, type CommendationProposal } from '$lib/server/commendations';
import type { Database } from '$lib/server/db/schema';
import type { TeamRole } from '$lib/domain/teamRules';
import { UnknownUnitError } from '$lib/server/reports/monthly';
import { ensureDefaultSkills } from '$lib/server/skills';
import { storeTally } from '$lib/server/tallies';
import type { SessionTallyV2 } from '$lib/domain/tally';
import { CommendationEditError } from '$lib/domain/commendation';
import { databaseForEachTest, ENGINES } from '../../fixtures/serverDb';

const created = '2024-01-01T00:00:00.000Z';
const rule = DEFAULT_PERIOD_RULE;
const now = new Date('2025-08-25T03:00:00.000Z');
const period = '2025-08'; // 15/07–14/08

const MEMBERS: [id: string, team: string, name: string, role: TeamRole, background: string, joined: string][] = [
	['c1-lead', 't-c1', 'Nguyễn Văn Dũng', 'leader', 'Phó Chủ tịch UBND xã', '2024-03-01'],
	['v1-lead', 't-v1', 'Nguyễn Văn An', 'leader', 'Trưởng thôn', '2024-03-01'],
	['v1-dep', 't-v1', 'Trần Thị Bình', 'deputy', 'Bí thư chi đoàn thôn', '2024-03-01'],
	// A student who joined later as a collaborator: the community proxy.
	['v1-col', 't-v1', 'Võ Văn Đức', 'collaborator', 'Sinh viên', '2025-01-10'],
	// A student collaborator from the start: not "went on to help", so not the proxy.
	['v1-col0', 't-v1', 'Lê Thị Hà', 'collaborator', 'Sinh viên', '2024-03-01'],
	['v2-lead', 't-v2', 'Hoàng Văn Sơn', 'leader', 'Trưởng thôn', '2024-03-01'],
	// A teacher who joined later: not from the community.
	['v2-col', 't-v2', 'Trần Đình Quang', 'collaborator', 'Giáo viên', '2025-01-10']
];

async function build(db: Kysely<Database>): Promise<void> {
	await db
		.insertInto('org_units')
		.values([
			{ id: 'd', parent_id: null, name: 'Huyện Đức Thọ', kind: 'district', code: null, archived_at: null, created_at: created },
			{ id: 'c1', parent_id: 'd', name: 'Xã Tùng Ảnh', kind: 'commune', code: null, archived_at: null, created_at: created },
			{ id: 'v1', parent_id: 'c1', name: 'Thôn Trung Hòa', kind: 'village', code: null, archived_at: null, created_at: created },
			{ id: 'v2', parent_id: 'c1', name: 'Thôn Đông Thịnh', kind: 'village', code: null, archived_at: null, created_at: created }
		])
		.execute();
	await db
		.insertInto('teams')
		.values(
			[
				['t-c1', 'c1', 'Tổ CĐS xã Tùng Ảnh', 'commune'],
				['t-v1', 'v1', 'Tổ CĐS thôn Trung Hòa', 'village'],
				['t-v2', 'v2', 'Tổ CĐS thôn Đông Thịnh', 'village']
			].map(([id, unit_id, name, level]) => ({ id: id!, unit_id: unit_id!, name: name!, level: level as 'commune' | 'village', phase: 'pilot' as const, established_on: '2024-03-01', archived_at: null, created_at: created }))
		)
		.execute();
	await db
		.insertInto('members')
		.values(MEMBERS.map(([id, team_id, full_name, role, background, joined_on]) => ({ id, team_id, full_name, role, background, status: 'active' as const, joined_on, left_on: null, pin_hash: null, created_at: created })))
		.execute();
	await ensureDefaultSkills(db);
}

let sessions = 0;
/** A consistent tally: `residents` women over 60, `firstTime` of them new, each member's assists done teaching VNeID. */
function tally(teamId: string, date: string, residents: number, firstTime: number, byMember: Record<string, number>): SessionTally {
	sessions++;
	const counts = emptyCounts();
	const assists = Object.values(byMember).reduce((s, n) => s + n, 0);
	counts.checkIns = residents;
	counts.distinctResidents = residents;
	counts.firstTimeResidents = firstTime;
	counts.residentsByGender.female = residents;
	counts.residentsByAgeBand.from60 = residents;
	counts.assists = assists;
	counts.assistsByOutcome.done = assists;
	counts.assistsByGender.female = assists;
	counts.assistsByAgeBand.from60 = assists;
	counts.assistsBySkill.vneid_install = assists;
	Object.assign(counts.assistsByMember, byMember);
	return {
		schema: 1,
		sessionId: `00000000-0000-4000-8000-${String(sessions).padStart(12, '0')}`,
		version: 1,
		teamId,
		date,
		startedAt: `${date}T01:00:00.000Z`,
		endedAt: `${date}T03:00:00.000Z`,
		membersPresent: Object.keys(byMember),
		...counts
	};
}

const store = (db: Kysely<Database>, t: SessionTally) => storeTally(db, { tally: t, deviceId: 'dev', rule, now: new Date(`${t.date}T05:00:00.000Z`) });

const figuresOf = (p: CommendationProposal) => Object.fromEntries(p.lines.map((l) => [l.id, Object.fromEntries(l.figures.map((f) => [f.key, f.value]))]));

describe.each(ENGINES)('commendation proposals on %s', (engine) => {
	const t = databaseForEachTest(engine);

	beforeEach(async () => {
		await build(t.db);
		await store(t.db, tally('t-v1', '2025-07-20', 20, 8, { 'v1-lead': 12, 'v1-dep': 6, 'v1-col': 4 }));
		await store(t.db, tally('t-v1', '2025-08-05', 10, 2, { 'v1-lead': 5, 'v1-col0': 3 }));
		await store(t.db, tally('t-v2', '2025-08-01', 25, 5, { 'v2-lead': 17, 'v2-col': 9 }));
		await store(t.db, tally('t-c1', '2025-08-10', 6, 6, { 'c1-lead': 6, stranger: 50 }));
		// Another period: counts for nothing here.
		await store(t.db, tally('t-v2', '2025-08-15', 90, 90, { 'v2-lead': 99 }));
		const act = (teamId: string, memberId: string, kind: string, date: string, peopleReached: number) =>
			recordActivity(t.db, { teamId, kind, date, title: `${kind} ${date}`, memberIds: [memberId], peopleReached, actor: 'user:x', now });
		await act('t-v1', 'v1-lead', 'outreach', '2025-08-10', 40);
		await act('t-v1', 'v1-dep', 'training', '2025-07-25', 0);
		await act('t-v2', 'v2-lead', 'outreach', '2025-08-02', 120);
	});

	it('proposes members and teams with the figures behind each line, ranked', async () => {
		const p = await proposeCommendations(t.db, { unitId: 'c1', period, rule, now });
		expect(p.unit).toMatchObject({ id: 'c1', name: 'Xã Tùng Ảnh', path: ['Huyện Đức Thọ', 'Xã Tùng Ảnh'] });
		expect(p.period.key).toBe(period);
		expect(p.lines.map((l) => [l.id, l.rank, l.figures.map((f) => `${f.key}=${f.value}`).join(' ')])).toEqual([
			// Most assists: the unknown id 'stranger' is nobody to commend; top 3 ranks; a tie by name.
			['memberAssists:v2-lead', 1, 'assists=17 sessions=1'],
			['memberAssists:v1-lead', 1, 'assists=17 sessions=2'],
			['memberAssists:v2-col', 3, 'assists=9 sessions=1'],
			// Residents (visits summed over sessions).
			['teamResidents:t-v1', 1, 'residents=30 sessions=2 assists=30'],
			['teamResidents:t-v2', 2, 'residents=25 sessions=1 assists=26'],
			['teamResidents:t-c1', 3, 'residents=6 sessions=1 assists=56'],
			['teamFirstTime:t-v1', 1, 'firstTimeResidents=10 residents=30'],
			['teamFirstTime:t-c1', 2, 'firstTimeResidents=6 residents=6'],
			['teamFirstTime:t-v2', 3, 'firstTimeResidents=5 residents=25'],
			// More activities first, then reach.
			['teamActivities:t-v1', 1, 'activities=2 peopleReached=40'],
			['teamActivities:t-v2', 2, 'activities=1 peopleReached=120'],
			// The proxy: only the student who joined after the team was set up.
			['communityCollaborator:v1-col', 1, 'assists=4 sessions=1']
		]);
		const lead = p.lines[1]!;
		expect(lead.subject).toEqual({
			type: 'member',
			id: 'v1-lead',
			name: 'Nguyễn Văn An',
			teamId: 't-v1',
			teamName: 'Tổ CĐS thôn Trung Hòa',
			unitName: 'Thôn Trung Hòa',
			role: 'leader',
			background: 'Trưởng thôn',
			joinedOn: '2024-03-01'
		});
		// A village sees its own team only.
		const village = await proposeCommendations(t.db, { unitId: 'v2', period, rule, now, perCategory: 1 });
		expect(village.lines.map((l) => l.id)).toEqual(['memberAssists:v2-lead', 'teamResidents:t-v2', 'teamFirstTime:t-v2', 'teamActivities:t-v2']);
		await expect(proposeCommendations(t.db, { unitId: 'nope', period, rule, now })).rejects.toBeInstanceOf(UnknownUnitError);
	});

	it('is reproducible: the same data gives the same JSON; a new tally changes exactly the figures it touches', async () => {
		const first = await proposeCommendations(t.db, { unitId: 'd', period, rule, now, perCategory: 10 });
		const second = await proposeCommendations(t.db, { unitId: 'd', period, rule, now, perCategory: 10 });
		expect(JSON.stringify(second)).toBe(JSON.stringify(first));

		// Thôn Đông Thịnh holds another session: 4 residents, 1 new, its leader helps 3.
		await store(t.db, tally('t-v2', '2025-08-03', 4, 1, { 'v2-lead': 3 }));
		const after = await proposeCommendations(t.db, { unitId: 'd', period, rule, now, perCategory: 10 });
		const before = figuresOf(first);
		const now2 = figuresOf(after);
		expect(Object.keys(now2).sort()).toEqual(Object.keys(before).sort());
		const changed = Object.keys(now2).filter((id) => JSON.stringify(now2[id]) !== JSON.stringify(before[id])).sort();
		expect(changed).toEqual(['memberAssists:v2-lead', 'teamFirstTime:t-v2', 'teamResidents:t-v2']);
		expect(now2['memberAssists:v2-lead']).toEqual({ assists: 20, sessions: 2 });
		expect(now2['teamResidents:t-v2']).toEqual({ residents: 29, sessions: 2, assists: 29 });
		expect(now2['teamFirstTime:t-v2']).toEqual({ firstTimeResidents: 6, residents: 29 });
		// The tie at the top is broken: v2-lead now ranks first alone.
		expect(after.lines.filter((l) => l.category === 'memberAssists').map((l) => [l.subject.id, l.rank]).slice(0, 2)).toEqual([
			['v2-lead', 1],
			['v1-lead', 2]
		]);
	});

	it('ranks teams by households newly covered (then residents newly proficient); schema 1 teams have nothing to rank by', async () => {
		const v2 = (teamId: string, date: string, covered: number, proficient: number): SessionTallyV2 => ({
			...tally(teamId, date, 10, 2, {}),
			schema: 2,
			householdsNewlyCovered: covered,
			residentsNewlyProficient: proficient,
			residentsGainedByGroup: { publicServices: proficient, shopping: proficient, payment: proficient, safety: proficient, localPlatforms: proficient }
		});
		const teamIds = [...new Set(MEMBERS.map(([, team]) => team))];
		await storeTally(t.db, { tally: v2(teamIds[0]!, '2025-08-01', 2, 3), deviceId: 'dev', rule, now });
		await storeTally(t.db, { tally: v2(teamIds[1]!, '2025-08-02', 2, 5), deviceId: 'dev', rule, now });
		const p = await proposeCommendations(t.db, { unitId: 'd', period, rule, now });
		const lines = p.lines.filter((l) => l.category === 'teamHouseholdsCovered');
		expect(lines.map((l) => [l.subject.id, l.rank, Object.fromEntries(l.figures.map((f) => [f.key, f.value]))])).toEqual([
			[teamIds[1], 1, { householdsCovered: 2, residentsProficient: 5 }],
			[teamIds[0], 2, { householdsCovered: 2, residentsProficient: 3 }]
		]);
	});

	it('keeps the officer’s edits per unit and period, audited, and exports what was kept', async () => {
		const p = await proposeCommendations(t.db, { unitId: 'c1', period, rule, now });
		expect(await loadCommendationEdits(t.db, { unitId: 'c1', period })).toBeUndefined();
		const reviewed = p.lines.map((l) => l.id);
		const saved = await saveCommendationEdits(t.db, {
			unitId: 'c1',
			period,
			edits: {
				reviewed,
				included: reviewed.filter((id) => id !== 'teamResidents:t-c1'),
				notes: { 'memberAssists:v1-lead': 'Đề nghị tặng giấy khen', 'added:biz': 'Cửa hàng đầu tiên nhận QR' },
				added: [{ id: 'added:biz', name: 'Cửa hàng tạp hóa Hòa Phát', reason: 'Hỗ trợ người dân thanh toán không dùng tiền mặt' }]
			},
			actor: 'user:officer',
			now
		});
		expect(saved.savedBy).toBe('user:officer');
		expect(await loadCommendationEdits(t.db, { unitId: 'c1', period })).toEqual(saved);
		// Another period, another unit: untouched.
		expect(await loadCommendationEdits(t.db, { unitId: 'c1', period: '2025-09' })).toBeUndefined();
		expect(await loadCommendationEdits(t.db, { unitId: 'd', period })).toBeUndefined();
		const [audit] = await listAudit(t.db, { subject: 'unit:c1' });
		expect(audit).toMatchObject({ action: 'commendation.save', actor: 'user:officer' });
		expect(JSON.parse(audit!.detail!)).toMatchObject({ period, added: [{ id: 'added:biz' }] });

		const rows = parseCsv(commendationCsv(p, saved));
		expect(rows[0]).toEqual(['STT', 'Tên', 'Tổ', 'Đơn vị', 'Thành tích', 'Hạng', 'Lượt hỗ trợ', 'Số phiên', 'Lượt người dân', 'Người dân lần đầu', 'Hoạt động khác', 'Người được tiếp cận', 'Hộ mới có người thành thạo', 'Người dân mới thành thạo 5 kỹ năng', 'Ghi chú']);
		expect(rows).toHaveLength(1 + p.lines.length - 1 + 1);
		expect(rows[2]).toEqual(['2', 'Nguyễn Văn An', 'Tổ CĐS thôn Trung Hòa', 'Thôn Trung Hòa', 'Thành viên hỗ trợ nhiều lượt người dân nhất', '1', '17', '2', '', '', '', '', '', '', 'Đề nghị tặng giấy khen']);
		expect(rows.some((r) => r[1] === 'Tổ CĐS xã Tùng Ảnh' && r[4]!.startsWith('Tổ hỗ trợ nhiều lượt'))).toBe(false);
		expect(rows.at(-1)).toEqual([String(p.lines.length), 'Cửa hàng tạp hóa Hòa Phát', '', '', 'Hỗ trợ người dân thanh toán không dùng tiền mặt', '', '', '', '', '', '', '', '', '', 'Cửa hàng đầu tiên nhận QR']);

		// Names and notes typed by people start no formula in Excel, with ',' or ';' as separator (issue 10).
		const hostile = commendationCsv(p, { ...saved, notes: { 'added:biz': 'Ghi chú;=1+1;' }, added: [{ id: 'added:biz', name: 'A;=1+1;', reason: 'x\n@SUM(1)' }] });
		expect(formulaCells(hostile)).toEqual([]);
		expect(parseCsv(hostile).at(-1)!.slice(1, 5)).toEqual(["A;'=1+1; ", '', '', "x\n'@SUM(1)"]);

		await expect(saveCommendationEdits(t.db, { unitId: 'c1', period, edits: { reviewed: [1] }, actor: 'user:officer', now })).rejects.toBeInstanceOf(CommendationEditError);
		await expect(saveCommendationEdits(t.db, { unitId: 'nope', period, edits: {}, actor: 'user:officer', now })).rejects.toBeInstanceOf(UnknownUnitError);
		expect(await loadCommendationEdits(t.db, { unitId: 'c1', period })).toEqual(saved);
	});
});
