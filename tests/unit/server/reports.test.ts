import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { DEFAULT_PERIOD_RULE, periodOf } from '$lib/domain/period';
import { addCounts, emptyCounts, findInconsistency, type Counts, type SessionTally, type SessionTallyV2 } from '$lib/domain/tally';
import type { Database, OrgUnitKind } from '$lib/server/db/schema';
import type { TeamLevel } from '$lib/domain/teamRules';
import { generateTally } from '$lib/server/demoData';
import { mulberry32 } from '$lib/domain/random';
import { addTotals, emptyTotals, monthlyReport, trend, UnknownUnitError, type Totals } from '$lib/server/reports/monthly';
import { ensureDefaultSkills } from '$lib/server/skills';
import { deleteActivity, recordActivity } from '$lib/server/activities';
import type { KyselyPlugin } from 'kysely';
import { storeTally } from '$lib/server/tallies';
import { recordHouseholdCount } from '$lib/server/householdCounts';
import { ENGINES, freshDatabase, type TestDb } from '../../fixtures/serverDb';

const created = '2025-01-01T00:00:00.000Z';
const rule = DEFAULT_PERIOD_RULE;

// Province > district > commune > village, with teams at commune and village levels.
const UNITS: [id: string, parent: string | null, name: string, kind: OrgUnitKind][] = [
	['p', null, 'Tỉnh Hà Tĩnh', 'province'],
	['d', 'p', 'Huyện Đức Thọ', 'district'],
	['d-empty', 'p', 'Huyện Không Có Tổ', 'district'],
	['c1', 'd', 'Xã Tùng Ảnh', 'commune'],
	['c2', 'd', 'Thị trấn Đức Thọ', 'town'],
	['v1', 'c1', 'Thôn 10', 'village'],
	['v2', 'c1', 'Thôn 2', 'village'],
	['v3', 'c2', 'Tổ dân phố 1', 'residentialGroup'],
	['v-gone', 'c2', 'Tổ dân phố cũ', 'residentialGroup']
];
const TEAMS: [id: string, unit: string, level: TeamLevel, established: string][] = [
	['t-c1', 'c1', 'commune', '2022-10-15'],
	['t-v1', 'v1', 'village', '2022-10-15'],
	['t-v2', 'v2', 'village', '2022-10-15'],
	['t-c2', 'c2', 'commune', '2022-10-15'],
	['t-v3', 'v3', 'village', '2022-10-15'],
	// Set up after the 2025-08 period (ends 14/08): not expected to report for it.
	['t-new', 'v-gone', 'village', '2025-09-01']
];

async function buildTree(db: Kysely<Database>): Promise<void> {
	await db
		.insertInto('org_units')
		.values(UNITS.map(([id, parent_id, name, kind]) => ({ id, parent_id, name, kind, code: null, archived_at: null, created_at: created })))
		.execute();
	await db
		.insertInto('teams')
		.values([
			...TEAMS.map(([id, unit_id, level, established_on]) => ({ id, unit_id, name: `Tổ ${id}`, level, phase: 'pilot' as const, established_on, archived_at: null, created_at: created })),
			{ id: 't-archived', unit_id: 'v1', name: 'Tổ cũ', level: 'village' as const, phase: 'pilot' as const, established_on: '2022-10-15', archived_at: created, created_at: created }
		])
		.execute();
	await ensureDefaultSkills(db);
}

const SKILLS = ['vneid_install', 'vneid_level2', 'public_services', 'bank_app', 'scam_awareness'];
let sessionCounter = 0;
const rng = mulberry32(42);

/** A plausible, consistent tally of `teamId` on `date` (local), ending at 10:00 local. */
function tallyOf(teamId: string, date: string): SessionTally {
	sessionCounter++;
	const id = `00000000-0000-4000-8000-${String(sessionCounter).padStart(12, '0')}`;
	return generateTally(rng, {
		sessionId: id,
		teamId,
		date,
		startedAt: new Date(`${date}T00:30:00Z`),
		endedAt: new Date(`${date}T03:00:00Z`),
		memberIds: [`${teamId}-a`, `${teamId}-b`, `${teamId}-c`],
		skillCodes: SKILLS,
		firstShare: 0.4
	});
}

const store = (db: Kysely<Database>, tally: SessionTally | SessionTallyV2, receivedAt: string) =>
	storeTally(db, { tally, deviceId: 'dev-1', rule, now: new Date(receivedAt) });

/** What the report should say for some tallies, computed without SQL. */
function expected(tallies: readonly SessionTally[]): { sessions: number; counts: Counts } {
	return { sessions: tallies.length, counts: tallies.reduce<Counts>((sum, t) => addCounts(sum, t), emptyCounts()) };
}

function expectTotals(actual: Totals, tallies: readonly SessionTally[]): void {
	const { sessions, counts } = expected(tallies);
	expect(actual.sessions).toBe(sessions);
	expect(actual.checkIns).toBe(counts.checkIns);
	expect(actual.distinctResidents).toBe(counts.distinctResidents);
	expect(actual.firstTimeResidents).toBe(counts.firstTimeResidents);
	expect(actual.assists).toBe(counts.assists);
	expect({ ...actual.residentsByGender }).toEqual({ ...counts.residentsByGender });
	expect({ ...actual.residentsByAgeBand }).toEqual({ ...counts.residentsByAgeBand });
	expect({ ...actual.assistsByOutcome }).toEqual({ ...counts.assistsByOutcome });
	expect({ ...actual.assistsByGender }).toEqual({ ...counts.assistsByGender });
	expect({ ...actual.assistsByAgeBand }).toEqual({ ...counts.assistsByAgeBand });
	expect({ ...actual.assistsBySkill }).toEqual({ ...counts.assistsBySkill });
}

describe.each(ENGINES)('monthly report on %s', (engine) => {
	let t: TestDb;
	/** Tallies stored for period 2025-08 (15/07–14/08, deadline 20/08), by team. */
	const august = new Map<string, SessionTally[]>();
	const add = async (teamId: string, date: string, receivedAt: string) => {
		const tally = tallyOf(teamId, date);
		expect(findInconsistency(tally)).toBeNull();
		await store(t.db, tally, receivedAt);
		return tally;
	};

	beforeAll(async () => {
		t = await freshDatabase(engine);
		await buildTree(t.db);
		const keep = async (teamId: string, date: string, receivedAt: string) => {
			const tally = await add(teamId, date, receivedAt);
			august.set(teamId, [...(august.get(teamId) ?? []), tally]);
			return tally;
		};
		// t-c1: first tally 20/08 23:59 in Vietnam (16:59Z): on time, the deadline day counts.
		await keep('t-c1', '2025-08-14', '2025-08-20T16:59:00.000Z');
		await keep('t-c1', '2025-07-15', '2025-08-21T02:00:00.000Z');
		// t-v1: two sessions, and one is corrected later (version 2 replaces version 1).
		await keep('t-v1', '2025-07-20', '2025-07-20T05:00:00.000Z');
		const first = await add('t-v1', '2025-08-01', '2025-08-01T05:00:00.000Z');
		const corrected = { ...tallyOf('t-v1', '2025-08-01'), sessionId: first.sessionId, version: 2 };
		await store(t.db, corrected, '2025-08-02T05:00:00.000Z');
		august.set('t-v1', [...(august.get('t-v1') ?? []), corrected]);
		// t-c2: first tally 21/08 00:00 in Vietnam (20/08 17:00Z): late.
		await keep('t-c2', '2025-08-10', '2025-08-20T17:00:00.000Z');
		// t-v2 and t-v3 send nothing for 2025-08. The 15th belongs to the next period.
		await add('t-v2', '2025-08-15', '2025-08-15T05:00:00.000Z');
		await add('t-v3', '2025-07-14', '2025-07-14T05:00:00.000Z');
		// An archived team's tallies stay out of every report.
		await add('t-archived', '2025-08-01', '2025-08-01T05:00:00.000Z');
	});
	afterAll(async () => {
		await t.dispose();
	});

	const now = new Date('2025-08-25T03:00:00.000Z');
	const allAugust = () => [...august.values()].flat();

	it('adds up every upload of the period across the whole tree', async () => {
		const report = await monthlyReport(t.db, { unitId: 'p', period: '2025-08', rule, now });
		expect(report.unit).toEqual({ id: 'p', name: 'Tỉnh Hà Tĩnh', kind: 'province', path: ['Tỉnh Hà Tĩnh'] });
		expect(report.period).toEqual({ key: '2025-08', first: '2025-07-15', last: '2025-08-14', deadline: '2025-08-20' });
		expect(report.generatedAt).toBe(now.toISOString());
		expectTotals(report.total, allAugust());
		// Only the district that has teams gets a row.
		expect(report.rows.map((r) => [r.kind, r.id])).toEqual([['unit', 'd']]);
		expectTotals(report.rows[0]!.totals, allAugust());
		expect(JSON.parse(JSON.stringify(report))).toEqual(report);
	});

	it('rolls communes up into the district, villages into their commune', async () => {
		const district = await monthlyReport(t.db, { unitId: 'd', period: '2025-08', rule, now });
		expect(district.unit.path).toEqual(['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ']);
		// Children by name, numbers compared as numbers.
		expect(district.rows.map((r) => r.name)).toEqual(['Thị trấn Đức Thọ', 'Xã Tùng Ảnh']);
		const [town, tungAnh] = district.rows;
		expectTotals(town!.totals, august.get('t-c2')!);
		expectTotals(tungAnh!.totals, [...august.get('t-c1')!, ...august.get('t-v1')!]);
		expect(tungAnh!.completeness).toEqual({ reported: 2, active: 3 });
		expect(town!.completeness).toEqual({ reported: 1, active: 2 });

		const commune = await monthlyReport(t.db, { unitId: 'c1', period: '2025-08', rule, now });
		// The commune's own team first, then its villages ('Thôn 2' before 'Thôn 10').
		expect(commune.rows.map((r) => [r.kind, r.id])).toEqual([
			['team', 't-c1'],
			['unit', 'v2'],
			['unit', 'v1']
		]);
		expectTotals(commune.rows[0]!.totals, august.get('t-c1')!);
		expectTotals(commune.rows[2]!.totals, august.get('t-v1')!);
		expectTotals(commune.rows[1]!.totals, []);
		expectTotals(commune.total, [...august.get('t-c1')!, ...august.get('t-v1')!]);

		const village = await monthlyReport(t.db, { unitId: 'v1', period: '2025-08', rule, now });
		expect(village.rows.map((r) => [r.kind, r.id])).toEqual([['team', 't-v1']]);
		expect(village.unit.path).toEqual(['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ', 'Xã Tùng Ảnh', 'Thôn 10']);
	});

	it('puts a session of the 14th and one of the 15th in different periods', async () => {
		const aug = await monthlyReport(t.db, { unitId: 'v2', period: '2025-08', rule, now });
		const sep = await monthlyReport(t.db, { unitId: 'v2', period: '2025-09', rule, now });
		expect(aug.total.sessions).toBe(0);
		expect(sep.total.sessions).toBe(1);
		const jul = await monthlyReport(t.db, { unitId: 'v3', period: '2025-07', rule, now });
		const aug3 = await monthlyReport(t.db, { unitId: 'v3', period: '2025-08', rule, now });
		expect(jul.total.sessions).toBe(1);
		expect(aug3.total.sessions).toBe(0);
	});

	it('reports completeness and timeliness; a team with no tallies has not reported', async () => {
		const report = await monthlyReport(t.db, { unitId: 'd', period: '2025-08', rule, now });
		expect(report.teams.map((x) => x.id)).toEqual(['t-c2', 't-v3', 't-c1', 't-v2', 't-v1']);
		const byId = new Map(report.teams.map((x) => [x.id, x]));
		expect(byId.get('t-c1')).toMatchObject({ reported: true, onTime: true, sessions: 2, firstReceivedAt: '2025-08-20T16:59:00.000Z', unitName: 'Xã Tùng Ảnh', level: 'commune' });
		expect(byId.get('t-c2')).toMatchObject({ reported: true, onTime: false, sessions: 1, firstReceivedAt: '2025-08-20T17:00:00.000Z' });
		expect(byId.get('t-v1')).toMatchObject({ reported: true, onTime: true, sessions: 2 });
		expect(byId.get('t-v2')).toMatchObject({ reported: false, onTime: null, sessions: 0, firstReceivedAt: null });
		expectTotals(byId.get('t-v2')!.totals, []);
		expect(report.completeness).toEqual({ reported: 3, active: 5 });
		expect(report.timeliness).toEqual({ onTime: 2, reported: 3 });
		// The team set up after the period and the archived team are not listed.
		expect(byId.has('t-new')).toBe(false);
		expect(byId.has('t-archived')).toBe(false);
		// From 2025-09 on the new team is expected to report.
		const sep = await monthlyReport(t.db, { unitId: 'd', period: '2025-09', rule, now });
		expect(sep.teams.map((x) => x.id)).toContain('t-new');
		expect(sep.completeness).toEqual({ reported: 1, active: 6 });
	});

	it('lists the skills catalog with the assists of the period', async () => {
		const report = await monthlyReport(t.db, { unitId: 'p', period: '2025-08', rule, now });
		expect(report.skills.map((s) => s.code).slice(0, 3)).toEqual(['vneid_install', 'vneid_level2', 'public_services']);
		const { counts } = expected(allAugust());
		for (const s of report.skills) expect(s.assists).toBe(counts.assistsBySkill[s.code] ?? 0);
		expect(report.skills.find((s) => s.code === 'vneid_install')?.nameVi).toBe('Cài đặt VNeID');
	});

	it('adds the rows up to the total, and answers an empty report for a unit without teams', async () => {
		for (const unitId of ['p', 'd', 'c1', 'c2']) {
			const report = await monthlyReport(t.db, { unitId, period: '2025-08', rule, now });
			const sum = report.rows.reduce((acc, r) => addTotals(acc, r.totals), emptyTotals());
			expect(sum).toEqual(report.total);
			expect(report.rows.reduce((n, r) => n + r.completeness.active, 0)).toBe(report.completeness.active);
		}
		const empty = await monthlyReport(t.db, { unitId: 'd-empty', period: '2025-08', rule, now });
		expect(empty.rows).toEqual([]);
		expect(empty.teams).toEqual([]);
		expect(empty.completeness).toEqual({ reported: 0, active: 0 });
		expectTotals(empty.total, []);
		expect((await trend(t.db, { unitId: 'd-empty', period: '2025-08', months: 3 })).map((p) => p.sessions)).toEqual([0, 0, 0]);
	});

	it('refuses an unknown or archived unit', async () => {
		await expect(monthlyReport(t.db, { unitId: 'nope', period: '2025-08', rule, now })).rejects.toBeInstanceOf(UnknownUnitError);
		await expect(trend(t.db, { unitId: 'nope', period: '2025-08' })).rejects.toBeInstanceOf(UnknownUnitError);
	});
});

describe.each(ENGINES)('trend on %s', (engine) => {
	it('totals each of the 12 periods ending at the given one, zeros included, in one pass', async () => {
		const t = await freshDatabase(engine);
		try {
			await buildTree(t.db);
			const placed: Record<string, SessionTally[]> = {};
			// Across a year boundary: 2024-03 (outside the window) … 2025-02.
			const dates = ['2024-02-20', '2024-03-10', '2024-03-16', '2024-06-01', '2024-12-14', '2024-12-15', '2025-01-05', '2025-02-14', '2025-02-15'];
			for (const [i, date] of dates.entries()) {
				const team = i % 2 === 0 ? 't-v1' : 't-c2';
				const tally = tallyOf(team, date);
				await store(t.db, tally, `${date}T06:00:00.000Z`);
				(placed[periodOf(date, rule)] ??= []).push(tally);
			}
			const points = await trend(t.db, { unitId: 'p', period: '2025-02', months: 12 });
			expect(points.map((p) => p.period)).toEqual([
				'2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02'
			]);
			for (const p of points) {
				const here = placed[p.period] ?? [];
				const { counts } = expected(here);
				expect(p).toEqual({ period: p.period, sessions: here.length, residents: counts.distinctResidents, assists: counts.assists });
			}
			expect(points.find((p) => p.period === '2024-03')!.sessions).toBe(2); // 20/02 and 10/03
			expect(points.find((p) => p.period === '2025-01')!.sessions).toBe(2); // 15/12 and 05/01
			// A commune sees only its own subtree.
			const c1 = await trend(t.db, { unitId: 'c1', period: '2025-02', months: 12 });
			const v1Sessions = Object.values(placed).flat().filter((x) => x.teamId === 't-v1' && x.date >= '2024-02-15' && x.date <= '2025-02-14').length;
			expect(c1.reduce((s, p) => s + p.sessions, 0)).toBe(v1Sessions);
		} finally {
			await t.dispose();
		}
	});
});

describe.each(ENGINES)('activities in the monthly report on %s', (engine) => {
	let t: TestDb;
	const now = new Date('2025-08-25T03:00:00.000Z');

	beforeAll(async () => {
		t = await freshDatabase(engine);
		await buildTree(t.db);
		await t.db
			.insertInto('members')
			.values(TEAMS.map(([teamId]) => ({ id: `${teamId}-a`, team_id: teamId, full_name: `Người ${teamId}`, role: 'leader' as const, background: '', status: 'active' as const, joined_on: '2022-10-15', left_on: null, pin_hash: null, created_at: created })))
			.execute();
		const record = (teamId: string, kind: string, date: string, peopleReached: number) =>
			recordActivity(t.db, { teamId, kind, date, title: `${kind} ${date}`, memberIds: [`${teamId}-a`], peopleReached, actor: 'user:x', now });
		await record('t-v1', 'outreach', '2025-08-10', 40);
		await record('t-v1', 'training', '2025-07-20', 0);
		await record('t-c1', 'dxTask', '2025-08-14', 5);
		await record('t-v2', 'initiative', '2025-08-15', 12); // the next period
		// t-v3 sends no tallies but recorded an outreach event.
		await record('t-v3', 'outreach', '2025-08-02', 7);
		const deleted = await record('t-c2', 'outreach', '2025-08-01', 100);
		await deleteActivity(t.db, { id: deleted.id, actor: 'user:x', now });
		await store(t.db, tallyOf('t-v1', '2025-08-01'), '2025-08-01T05:00:00.000Z');
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('counts each kind and the people reached per team, rolls them up, leaves deleted ones out', async () => {
		const report = await monthlyReport(t.db, { unitId: 'd', period: '2025-08', rule, now });
		expect(report.total.activities).toEqual({ count: 4, byKind: { training: 1, outreach: 2, initiative: 0, dxTask: 1 }, peopleReached: 52 });
		const [town, tungAnh] = report.rows;
		expect(tungAnh!.totals.activities).toEqual({ count: 3, byKind: { training: 1, outreach: 1, initiative: 0, dxTask: 1 }, peopleReached: 45 });
		expect(town!.totals.activities).toEqual({ count: 1, byKind: { training: 0, outreach: 1, initiative: 0, dxTask: 0 }, peopleReached: 7 });
		const byId = new Map(report.teams.map((x) => [x.id, x]));
		// Activities do not make a team "reported": that is about the tablets' uploads.
		expect(byId.get('t-v3')).toMatchObject({ reported: false, sessions: 0, totals: { activities: { count: 1, peopleReached: 7 } } });
		expect(byId.get('t-v1')!.totals.activities.peopleReached).toBe(40);
		expect(byId.get('t-c2')!.totals.activities.count).toBe(0);
		expect(report.completeness).toEqual({ reported: 1, active: 5 });

		const commune = await monthlyReport(t.db, { unitId: 'c1', period: '2025-08', rule, now });
		expect(commune.rows.map((r) => [r.id, r.totals.activities.count, r.totals.activities.peopleReached])).toEqual([
			['t-c1', 1, 5],
			['v2', 0, 0],
			['v1', 2, 40]
		]);
		const sum = commune.rows.reduce((acc, r) => addTotals(acc, r.totals), emptyTotals());
		expect(sum).toEqual(commune.total);
		const september = await monthlyReport(t.db, { unitId: 'v2', period: '2025-09', rule, now });
		expect(september.total.activities).toMatchObject({ count: 1, byKind: { initiative: 1 }, peopleReached: 12 });
	});

	it('reads them in one grouped query whatever the number of teams', async () => {
		let queries = 0;
		const counting: KyselyPlugin = {
			transformQuery: (args) => {
				queries++;
				return args.node;
			},
			transformResult: async (args) => args.result
		};
		const db = t.db.withPlugin(counting);
		await monthlyReport(db, { unitId: 'v1', period: '2025-08', rule, now });
		const forOneTeam = queries;
		queries = 0;
		await monthlyReport(db, { unitId: 'p', period: '2025-08', rule, now });
		expect(queries).toBe(forOneTeam);
		// The dated tree (three tables of history, org_units and teams), the skills, then the five
		// sums (sessions, skills, activities, basic skill groups, outcomes since the start), the
		// villages' household counts, and the approvals that lock teams' figures, the teams' and the
		// communes' (issue 13; the tree and the sessions only when some are locked).
		expect(forOneTeam).toBeLessThanOrEqual(14);
	});
});

describe.each(ENGINES)('outcomes (five basic skills, households) in the monthly report on %s', (engine) => {
	let t: TestDb;
	const now = new Date('2025-08-25T03:00:00.000Z');
	/** A schema 2 tally: `proficient` residents newly proficient, `covered` households newly covered. */
	const v2 = (teamId: string, date: string, proficient: number, covered: number): SessionTallyV2 => {
		const tally = tallyOf(teamId, date);
		return {
			...tally,
			schema: 2,
			residentsNewlyProficient: proficient,
			householdsNewlyCovered: covered,
			residentsGainedByGroup: { publicServices: proficient + 1, shopping: proficient, payment: proficient, safety: proficient, localPlatforms: proficient }
		};
	};

	beforeAll(async () => {
		t = await freshDatabase(engine);
		await buildTree(t.db);
		// Xã Tùng Ảnh: its commune team and Thôn 10 send schema 2; Thôn 2 still schema 1.
		await store(t.db, v2('t-c1', '2025-06-20', 5, 3), '2025-06-20T05:00:00.000Z'); // an earlier period
		await store(t.db, v2('t-c1', '2025-08-01', 2, 1), '2025-08-01T05:00:00.000Z');
		await store(t.db, v2('t-v1', '2025-08-02', 1, 1), '2025-08-02T05:00:00.000Z');
		await store(t.db, v2('t-v1', '2025-08-03', 0, 0), '2025-08-03T05:00:00.000Z');
		await store(t.db, tallyOf('t-v2', '2025-08-04'), '2025-08-04T05:00:00.000Z');
		// Thị trấn Đức Thọ: schema 1 only.
		await store(t.db, tallyOf('t-c2', '2025-08-05'), '2025-08-05T05:00:00.000Z');
		// The next period does not count in this one, nor in its "since the start".
		await store(t.db, v2('t-v1', '2025-08-20', 4, 2), '2025-08-20T05:00:00.000Z');
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('sums schema 2 sessions per team and up the tree; schema 1 only is not reported (null), not 0', async () => {
		const commune = await monthlyReport(t.db, { unitId: 'c1', period: '2025-08', rule, now });
		const team = (id: string) => commune.teams.find((x) => x.id === id)!.totals.outcomes;
		expect(team('t-c1')).toMatchObject({ reportedSessions: 1, unreportedSessions: 0, residentsNewlyProficient: 2, householdsNewlyCovered: 1, proficientSinceStart: 7, householdsCoveredSinceStart: 4 });
		expect(team('t-v1')).toMatchObject({ reportedSessions: 2, residentsNewlyProficient: 1, householdsNewlyCovered: 1, proficientSinceStart: 1 });
		expect(team('t-v1').residentsGainedByGroup).toEqual({ publicServices: 3, shopping: 1, payment: 1, safety: 1, localPlatforms: 1 });
		// A zero reported is a zero: Thôn 10's second session reported none newly proficient.
		expect(team('t-v2')).toMatchObject({ reportedSessions: 0, unreportedSessions: 1, residentsNewlyProficient: null, householdsNewlyCovered: null, proficientSinceStart: null, residentsGainedByGroup: null });
		expect(commune.total.outcomes).toMatchObject({ reportedSessions: 3, unreportedSessions: 1, residentsNewlyProficient: 3, householdsNewlyCovered: 2, proficientSinceStart: 8, householdsCoveredSinceStart: 5 });

		const district = await monthlyReport(t.db, { unitId: 'd', period: '2025-08', rule, now });
		const row = (id: string) => district.rows.find((r) => r.id === id)!.totals.outcomes;
		expect(row('c1')).toMatchObject({ residentsNewlyProficient: 3, householdsNewlyCovered: 2, proficientSinceStart: 8 });
		expect(row('c2')).toMatchObject({ residentsNewlyProficient: null, householdsNewlyCovered: null, proficientSinceStart: null, unreportedSessions: 1 });
		expect(district.total.outcomes).toMatchObject({ residentsNewlyProficient: 3, householdsNewlyCovered: 2, proficientSinceStart: 8, reportedSessions: 3, unreportedSessions: 2 });
		expect(district.total.outcomes.residentsGainedByGroup).toEqual({ publicServices: 6, shopping: 3, payment: 3, safety: 3, localPlatforms: 3 });

		const town = await monthlyReport(t.db, { unitId: 'c2', period: '2025-08', rule, now });
		expect(town.total.outcomes.residentsNewlyProficient).toBeNull();
	});

	it("measures household coverage against the villages' dated counts; a count below the covered households is flagged", async () => {
		const actor = 'user:officer';
		// Thôn 10: 40 households counted in 2024, 50 from 10/08/2025; a count after the period is not used.
		await recordHouseholdCount(t.db, { unitId: 'v1', countedOn: '2024-01-01', households: 40, actor, now });
		await recordHouseholdCount(t.db, { unitId: 'v1', countedOn: '2025-08-10', households: '50', actor, now });
		await recordHouseholdCount(t.db, { unitId: 'v1', countedOn: '2025-08-20', households: 60, actor, now });
		// Thôn 2: 3 households, fewer than Xã Tùng Ảnh's teams have covered.
		await recordHouseholdCount(t.db, { unitId: 'v2', countedOn: '2025-01-01', households: 3, actor, now });
		await expect(recordHouseholdCount(t.db, { unitId: 'c1', countedOn: '2025-01-01', households: 3, actor, now })).rejects.toMatchObject({ field: 'unitId', code: 'notVillage' });
		await expect(recordHouseholdCount(t.db, { unitId: 'v2', countedOn: '2025-01-01', households: -1, actor, now })).rejects.toMatchObject({ field: 'households' });
		await expect(recordHouseholdCount(t.db, { unitId: 'v2', countedOn: '2025-08-26', households: 3, actor, now })).rejects.toMatchObject({ field: 'countedOn' });

		const commune = await monthlyReport(t.db, { unitId: 'c1', period: '2025-08', rule, now });
		// Covered since the start: t-c1 4 (3 + 1), t-v1 1: 5 of 53 households.
		expect(commune.coverage).toEqual({ households: 53, uncounted: 0, covered: 5, percent: 9.4, countBelowCovered: false });
		const row = (id: string) => commune.rows.find((r) => r.id === id);
		expect(row('v1')?.coverage).toEqual({ households: 50, uncounted: 0, covered: 1, percent: 2, countBelowCovered: false });
		// Thôn 2 reported no outcomes (schema 1): its coverage is not reported, its count stands.
		expect(row('v2')?.coverage).toMatchObject({ households: 3, covered: null, percent: null, countBelowCovered: false });

		const district = await monthlyReport(t.db, { unitId: 'd', period: '2025-08', rule, now });
		expect(district.rows.find((r) => r.id === 'c1')?.coverage).toMatchObject({ households: 53, covered: 5 });
		// Tổ dân phố 1 and the unused one have no count: left out, and said.
		expect(district.rows.find((r) => r.id === 'c2')?.coverage).toEqual({ households: null, uncounted: 2, covered: null, percent: null, countBelowCovered: false });
		expect(district.coverage).toMatchObject({ households: 53, uncounted: 2, covered: 5 });

		// A count lowered below the households covered: flagged, not refused.
		await recordHouseholdCount(t.db, { unitId: 'v1', countedOn: '2025-08-12', households: 1, actor, now });
		const lowered = await monthlyReport(t.db, { unitId: 'c1', period: '2025-08', rule, now });
		expect(lowered.coverage).toMatchObject({ households: 4, covered: 5, countBelowCovered: true, percent: 125 });
		const audit = await t.db.selectFrom('audit_events').select(['action', 'subject']).where('action', '=', 'unit.households').execute();
		expect(audit).toHaveLength(5);
	});
});
