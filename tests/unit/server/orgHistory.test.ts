// The dated org tree in the database: a merge recorded with tallies on both sides of its date, the
// reports before and after it, refusals that leave everything as it was, undo, and the mapping import.
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { DEFAULT_PERIOD_RULE, periodOf } from '$lib/domain/period';
import { mulberry32 } from '$lib/domain/random';
import type { SessionTally } from '$lib/domain/tally';
import { treeAsOf } from '$lib/domain/orgHistory';
import type { Database } from '$lib/server/db/schema';
import { generateTally } from '$lib/server/demoData';
import { InputError } from '$lib/server/inputError';
import { bringTreeToToday, importMapping, loadHistory, recordChange, undoChange } from '$lib/server/orgHistory';
import { compareWithLastYear, monthlyReport, trend, UnknownUnitError, type MonthlyReport } from '$lib/server/reports/monthly';
import { ensureDefaultSkills } from '$lib/server/skills';
import { storeTally } from '$lib/server/tallies';
import { refusingUnitNotInForce } from '$lib/server/adminReport';
import { listAuditRows, resolveAuditNames } from '$lib/server/auditView';
import { auditSentence } from '$lib/i18n/auditText';
import { DISSOLVE_DISTRICT, DUC_THO_TEAMS, DUC_THO_UNITS, MERGE_DUC_THO, RESOLUTION_1656 } from '../../fixtures/orgHistory';
import { databaseForEachTest, ENGINES, thrownBy } from '../../fixtures/serverDb';

const actor = 'system';
const created_at = '2022-01-01T00:00:00.000Z';
/** After the merge of 1 July 2025, inside period 2025-07 (15/06–14/07). */
const now = new Date('2025-07-20T03:00:00.000Z');
const PERIODS = ['2025-05', '2025-06', '2025-07', '2025-08'];
const MERGED_TEAMS = new Set(['team-tt', 'team-ta', 'team-tdp1', 'team-tdp2', 'team-trung-tien', 'team-dong-lac', 'team-hl']);

/** The seed's pilot before the reform, written as it is today (no dated rows), with an officer and a tablet. */
async function buildDucTho(db: Kysely<Database>): Promise<void> {
	await db
		.insertInto('org_units')
		.values(DUC_THO_UNITS.map((u) => ({ id: u.id, parent_id: u.parentId, name: u.name, kind: u.kind, code: u.code, archived_at: null, created_at })))
		.execute();
	await db
		.insertInto('teams')
		.values(DUC_THO_TEAMS.map((t) => ({ id: t.id, unit_id: t.unitId, name: `Tổ ${t.id}`, level: t.level, phase: 'pilot' as const, established_on: t.establishedOn, archived_at: null, created_at })))
		.execute();
	await db.insertInto('users').values({ id: 'officer-ta', username: 'ta', display_name: 'Cán bộ Tùng Ảnh', password_hash: 'x', role: 'officer', unit_id: 'x-ta', team_id: null, created_at, disabled_at: null }).execute();
	await db.insertInto('users').values({ id: 'officer-ht', username: 'ht', display_name: 'Cán bộ tỉnh', password_hash: 'x', role: 'officer', unit_id: 'ht', team_id: null, created_at, disabled_at: null }).execute();
	await db.insertInto('devices').values({ id: 'dev-ta', team_id: 'team-ta', label: 'Máy tính bảng', token_hash: 'h', created_at, revoked_at: null, last_seen_at: null, last_upload_at: null }).execute();
	await ensureDefaultSkills(db);
}

const rng = mulberry32(7);
let sessions = 0;
const SKILLS = ['vneid_install', 'public_services', 'bank_app'];

/** Tallies for every team on both sides of 1 July 2025: periods 2025-05 to 2025-08. */
async function storeTallies(db: Kysely<Database>): Promise<SessionTally[]> {
	const out: SessionTally[] = [];
	for (const team of DUC_THO_TEAMS) {
		for (const date of ['2025-04-20', '2025-05-10', '2025-06-10', '2025-06-25', '2025-07-05', '2025-08-01']) {
			sessions++;
			const tally = generateTally(rng, {
				sessionId: `00000000-0000-4000-8000-${String(sessions).padStart(12, '0')}`,
				teamId: team.id,
				date,
				startedAt: new Date(`${date}T00:30:00Z`),
				endedAt: new Date(`${date}T03:00:00Z`),
				memberIds: [`${team.id}-a`, `${team.id}-b`, `${team.id}-c`],
				skillCodes: SKILLS,
				firstShare: 0.4
			});
			await storeTally(db, { tally, deviceId: 'dev-1', rule: DEFAULT_PERIOD_RULE, now: new Date(`${date}T05:00:00Z`) });
			out.push(tally);
		}
	}
	return out;
}

const inPeriod = (tallies: readonly SessionTally[], period: string) => tallies.filter((t) => periodOf(t.date) === period);
const sum = (tallies: readonly SessionTally[], pick: (t: SessionTally) => number) => tallies.reduce((n, t) => n + pick(t), 0);
const withoutGeneratedAt = ({ generatedAt: _at, ...rest }: MonthlyReport) => rest;

async function snapshot(db: Kysely<Database>) {
	const [units, teams, versions, placements, changes, users] = await Promise.all([
		db.selectFrom('org_units').selectAll().orderBy('id').execute(),
		db.selectFrom('teams').selectAll().orderBy('id').execute(),
		db.selectFrom('org_unit_versions').selectAll().orderBy('unit_id').orderBy('valid_from').execute(),
		db.selectFrom('team_placements').selectAll().orderBy('team_id').orderBy('valid_from').execute(),
		db.selectFrom('org_changes').selectAll().orderBy('seq').execute(),
		db.selectFrom('users').select(['id', 'unit_id']).orderBy('id').execute()
	]);
	return { units, teams, versions, placements, changes, users };
}

const MAPPING = [
	'old_code,new_code,new_name,effective_on,basis',
	`TT-DT,X-DT,Xã Đức Thọ,01/07/2025,${RESOLUTION_1656}`,
	`X-TA,X-DT,Xã Đức Thọ,01/07/2025,${RESOLUTION_1656}`,
	`X-HL,X-DT,Xã Đức Thọ,01/07/2025,${RESOLUTION_1656}`,
	`X-TD,X-DT,Xã Đức Thọ,01/07/2025,${RESOLUTION_1656}`
].join('\n');

describe.each(ENGINES)('the dated org tree on %s', (engine) => {
	const t = databaseForEachTest(engine, buildDucTho);

	it('a merge with tallies on both sides: every period adds up at the root, and earlier periods read as before', async () => {
		const tallies = await storeTallies(t.db);
		const reportAt = (unitId: string, period: string) => monthlyReport(t.db, { unitId, period, now });
		const before = new Map<string, MonthlyReport>();
		for (const period of PERIODS) before.set(period, await reportAt('ht', period));

		const preview = await recordChange(t.db, MERGE_DUC_THO, { actor, now, apply: false });
		// 4 communes + the new one, their 4 villages and groups; 7 teams; one tablet; the two officers above or in them.
		expect(preview.preview).toEqual({ units: 9, teams: 7, devices: 1, officers: 1 });
		expect(await t.db.selectFrom('org_changes').selectAll().execute()).toEqual([]);

		await recordChange(t.db, MERGE_DUC_THO, { actor, now, apply: true });
		await recordChange(t.db, DISSOLVE_DISTRICT, { actor, now, apply: true });

		for (const period of PERIODS) {
			const after = await reportAt('ht', period);
			const uploads = inPeriod(tallies, period);
			expect(after.total.sessions, period).toBe(uploads.length);
			expect(after.total.assists, period).toBe(sum(uploads, (x) => x.assists));
			expect(after.total.distinctResidents, period).toBe(sum(uploads, (x) => x.distinctResidents));
			expect(before.get(period)!.total.sessions, period).toBe(uploads.length);
			// Periods ending before 1 July 2025 are the same report, word for word.
			if (period <= '2025-06') expect(withoutGeneratedAt(after), period).toEqual(withoutGeneratedAt(before.get(period)!));
		}
		const june = await reportAt('ht', '2025-06');
		expect(june.rows.map((r) => r.name)).toEqual(['Huyện Can Lộc', 'Huyện Đức Thọ']);
		const july = await reportAt('ht', '2025-07');
		// Rows are child units with a team under them: Xã Yên Hồ has none.
		expect(july.rows.map((r) => r.name)).toEqual(['Huyện Can Lộc', 'Xã Đức Thọ']);
		expect((await reportAt('x-dt', '2025-07')).unit.path).toEqual(['Tỉnh Hà Tĩnh', 'Xã Đức Thọ']);
		expect(await thrownBy(reportAt('x-dt', '2025-06'))).toBeInstanceOf(UnknownUnitError);
		// The report pages refuse it as for an unknown unit, not with a server error.
		expect(await thrownBy(refusingUnitNotInForce(reportAt('x-dt', '2025-06')))).toMatchObject({ status: 404, body: { code: 'unitNotFound' } });

		// Xã Đức Thọ's trend adds up its former units' periods: no cliff in July 2025.
		const points = await trend(t.db, { unitId: 'x-dt', period: '2025-08', months: 4 });
		expect(points.map((p) => p.sessions)).toEqual(PERIODS.map((p) => inPeriod(tallies, p).filter((x) => MERGED_TEAMS.has(x.teamId)).length));
		expect(points[0]!.sessions).toBeGreaterThan(0);
		const compared = await compareWithLastYear(t.db, { unitId: 'x-dt', period: '2026-06' });
		expect(compared.lastYear.sessions).toBe(inPeriod(tallies, '2025-06').filter((x) => MERGED_TEAMS.has(x.teamId)).length);

		// Today's state: the mirrors, the officer of Tùng Ảnh now over Xã Đức Thọ, the audit.
		const units = new Map((await t.db.selectFrom('org_units').selectAll().execute()).map((u) => [u.id, u]));
		expect(units.get('x-dt')).toMatchObject({ name: 'Xã Đức Thọ', parent_id: 'ht', archived_at: null });
		expect(units.get('x-ta')!.archived_at).toBe('2025-07-01T00:00:00.000Z');
		expect(units.get('x-yh')!.parent_id).toBe('ht');
		expect((await t.db.selectFrom('teams').select('unit_id').where('id', '=', 'team-ta').executeTakeFirstOrThrow()).unit_id).toBe('x-dt');
		expect((await t.db.selectFrom('users').select('unit_id').where('id', '=', 'officer-ta').executeTakeFirstOrThrow()).unit_id).toBe('x-dt');
		const changes = (await listAuditRows(t.db)).filter((e) => e.action === 'unit.change');
		const names = await resolveAuditNames(t.db, changes);
		expect(changes.map((row) => auditSentence(row, names)).sort()).toEqual([
			'Hệ thống ghi nhận việc giải thể Huyện Đức Thọ từ ngày 01/07/2025 (căn cứ 203/2025/QH15)',
			'Hệ thống ghi nhận việc sáp nhập vào Xã Đức Thọ từ ngày 01/07/2025 (căn cứ 1656/NQ-UBTVQH15)'
		]);
	});

	it('refuses a change with the reason in Vietnamese and leaves every table as it was', async () => {
		await recordChange(t.db, MERGE_DUC_THO, { actor, now, apply: true });
		const before = await snapshot(t.db);
		const intoSelf = { ...MERGE_DUC_THO, id: 'c-2', effectiveOn: '2025-07-10', sourceIds: ['x-yh'], into: { unitId: 'x-yh' } };
		const error = await thrownBy(recordChange(t.db, intoSelf, { actor, now, apply: true }));
		expect(error).toBeInstanceOf(InputError);
		expect(error).toMatchObject({ field: 'into', code: 'merge_into_self' });
		expect((error as InputError).message).toContain('Xã Yên Hồ');
		// Moving a unit that ended on 1 July: refused on any later day, nothing half-written.
		const ended = await thrownBy(recordChange(t.db, { kind: 'move', id: 'c-3', effectiveOn: '2025-07-10', basis: 'QĐ 1', unitId: 'x-ta', parentId: 'ht' }, { actor, now, apply: true }));
		expect(ended).toMatchObject({ field: 'unitId', code: 'unit_missing' });
		const malformed = await thrownBy(recordChange(t.db, { kind: 'merge', id: 'c-4', effectiveOn: '2025-07-10', basis: 'x', sourceIds: 'x-yh' }, { actor, now, apply: true }));
		expect(malformed).toMatchObject({ field: 'sourceIds', code: 'invalid' });
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('undoes a merge by recording its reverse: the tree, the mirrors and the officer are back, and both changes stay', async () => {
		const before = await snapshot(t.db);
		await recordChange(t.db, MERGE_DUC_THO, { actor, now, apply: true });
		await undoChange(t.db, { changeId: 'c-merge', id: 'c-undo', basis: 'Ghi nhầm' }, { actor, now, apply: true });

		const history = await loadHistory(t.db);
		expect(history.changes.map((c) => [c.id, c.reverses])).toEqual([['c-merge', null], ['c-undo', 'c-merge']]);
		for (const day of ['2025-06-30', '2025-07-01', '2025-07-20']) expect(treeAsOf(history, day).path('th-tt').map((u) => u.name), day).toEqual(['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ', 'Xã Tùng Ảnh', 'Thôn Trung Tiến']);
		const after = await snapshot(t.db);
		// Nothing deleted: Xã Đức Thọ's row stays, archived; every other unit and team reads as before.
		expect(after.units.find((u) => u.id === 'x-dt')!.archived_at).not.toBeNull();
		expect(after.units.filter((u) => u.id !== 'x-dt')).toEqual(before.units);
		expect(after.teams).toEqual(before.teams);
		// The officer moved to Xã Đức Thọ by the merge goes to the province when it is undone.
		expect(after.users).toEqual([{ id: 'officer-ht', unit_id: 'ht' }, { id: 'officer-ta', unit_id: 'ht' }]);
		expect(await thrownBy(undoChange(t.db, { changeId: 'c-merge', id: 'c-undo-2', basis: 'x' }, { actor, now, apply: true }))).toMatchObject({ code: 'already_reversed' });
	});

	it('a change recorded ahead of its date reaches today\'s screens on its day', async () => {
		const rename = { kind: 'rename', id: 'c-rename', effectiveOn: '2025-08-01', basis: 'QĐ 12/2025', unitId: 'x-yh', name: 'Xã Yên Hồ Mới' };
		await recordChange(t.db, rename, { actor, now, apply: true });
		const nameToday = async () => (await t.db.selectFrom('org_units').select('name').where('id', '=', 'x-yh').executeTakeFirstOrThrow()).name;
		expect(await nameToday()).toBe('Xã Yên Hồ');
		await bringTreeToToday(t.db, new Date('2025-07-31T10:00:00.000Z'));
		expect(await nameToday()).toBe('Xã Yên Hồ');
		await bringTreeToToday(t.db, new Date('2025-08-01T10:00:00.000Z'));
		expect(await nameToday()).toBe('Xã Yên Hồ Mới');
	});

	it('imports the province mapping: a dry run that writes nothing, then all of it at once', async () => {
		const before = await snapshot(t.db);
		let next = 0;
		const newId = () => `new-${++next}`;
		const dry = await importMapping(t.db, MAPPING, { actor, now, apply: false, newId });
		expect(dry.applied).toBe(false);
		expect(dry.plan.ok && dry.plan.steps.map((s) => [s.action, s.newName, s.lines])).toEqual([['merge', 'Xã Đức Thọ', [2, 3, 4, 5]]]);
		expect(dry.preview).toMatchObject({ teams: 7, devices: 1, officers: 1 });
		expect(await snapshot(t.db)).toEqual(before);

		const refused = await importMapping(t.db, `${MAPPING}\nX-ZZ,X-DT,Xã Đức Thọ,01/07/2025,${RESOLUTION_1656}`, { actor, now, apply: true, newId });
		expect(refused.plan).toMatchObject({ ok: false, refusal: { line: 6, reason: 'unknown_code' } });
		expect(refused.applied).toBe(false);
		expect(await snapshot(t.db)).toEqual(before);

		const applied = await importMapping(t.db, MAPPING, { actor, now, apply: true, newId });
		expect(applied.applied).toBe(true);
		const history = await loadHistory(t.db);
		expect(treeAsOf(history, '2025-07-01').path('th-tt').map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ', 'Xã Đức Thọ', 'Thôn Trung Tiến']);
		expect(treeAsOf(history, '2025-06-30').path('th-tt').map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ', 'Xã Tùng Ảnh', 'Thôn Trung Tiến']);
		expect((await t.db.selectFrom('org_changes').selectAll().execute()).length).toBe(history.changes.length);
	});
});
