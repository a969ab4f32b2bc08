// The per-team, per-period sums the monthly report reads (lib/server/periodTotals.ts, migration
// 0009) must always equal what summing the sessions gives: after a store, a replacement (also one
// whose date moves it to another period), a re-send, the period rule's refile, the bulk seeding, an
// approval's lock and a late tally, concurrent uploads, and on a database migrated with sessions
// already in it. The oracle sums the session rows in JavaScript, not with the module's SQL.
import { describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { Database, Device, SessionTallyTable, User } from '$lib/server/db/schema';
import { TALLY_COUNT_COLUMNS } from '$lib/server/db/schema';
import { migrateToLatest } from '$lib/server/db/migrations';
import { PG_MIGRATION_LOCK } from '$lib/server/db/connect';
import { storeTallies, storeTally } from '$lib/server/tallies';
import { changePeriodRule } from '$lib/server/settings';
import { seedDemoData, seedProvince } from '$lib/server/demoData';
import { monthlyReport, trend } from '$lib/server/reports/monthly';
import { receivePeriodSubmission } from '$lib/server/submissions';
import { actOnTeam } from '$lib/server/approvals';
import { sha256Hex } from '$lib/server/secrets';
import { DEFAULT_PERIOD_RULE } from '$lib/domain/period';
import type { AnySessionTally, SessionTally, SessionTallyV2 } from '$lib/domain/tally';
import { sampleTally } from '../../fixtures/tallies';
import { databaseForEachTest, ENGINES, insertDucThoUnits } from '../../fixtures/serverDb';

const CREATED = '2026-01-01T00:00:00.000Z';
const rule = DEFAULT_PERIOD_RULE;
const at = (day: string, time = '03:00') => new Date(`2026-11-${day}T${time}:00.000Z`);

async function prepare(db: Kysely<Database>): Promise<void> {
	await insertDucThoUnits(db, CREATED);
	for (const id of ['t1', 't2']) {
		await db.insertInto('teams').values({ id, unit_id: 'v', name: `Tổ ${id}`, level: 'village', phase: 'pilot', established_on: '2024-03-01', archived_at: null, created_at: CREATED }).execute();
		await db
			.insertInto('devices')
			.values({ id: `d-${id}`, team_id: id, label: 'Máy', token_hash: sha256Hex(`token-of-${id}-xxxxxxxxxxxxxxxx`), created_at: CREATED, revoked_at: null, last_seen_at: null, last_upload_at: null })
			.execute();
	}
	await db
		.insertInto('users')
		.values({ id: 'lan', username: 'lan', display_name: 'Cán bộ Lan', password_hash: 'x', role: 'officer', unit_id: 'c', team_id: null, created_at: CREATED, disabled_at: null })
		.execute();
}

const MEMBERS = ['m1', 'm2', 'm3'] as const;
function tally(team: string, n: number, o: { version?: number; date?: string; skills?: Record<string, number> } = {}): SessionTally {
	const date = o.date ?? '2026-11-10';
	const base = sampleTally({ sessionId: `00000000-0000-4000-8000-${team.slice(1).padStart(6, '0')}${String(n).padStart(6, '0')}`, teamId: team, memberIds: MEMBERS, version: o.version });
	return { ...base, date, startedAt: `${date}T01:00:00.000Z`, endedAt: `${date}T04:00:00.000Z`, ...(o.skills ? { assistsBySkill: o.skills } : {}) };
}
function v2(t: SessionTally, proficient: number, covered: number): SessionTallyV2 {
	return { ...t, schema: 2, residentsNewlyProficient: proficient, householdsNewlyCovered: covered, residentsGainedByGroup: { publicServices: proficient, shopping: 0, payment: 1, safety: proficient, localPlatforms: 0 } };
}

/** What the period sums must hold, summed from the sessions in JavaScript, in the tables' shape. */
async function liveSums(db: Kysely<Database>) {
	const sessions = await db.selectFrom('session_tallies').selectAll().execute();
	const skills = await db.selectFrom('tally_skill_counts').selectAll().execute();
	const groups = await db.selectFrom('tally_group_counts').selectAll().execute();
	const key = (r: { period: string; team_id: string }) => `${r.period}|${r.team_id}`;
	const bySession = new Map<string, SessionTallyTable>(sessions.map((s) => [s.session_id, s as SessionTallyTable]));
	const totals = new Map<string, Record<string, unknown>>();
	for (const s of sessions) {
		const t = (totals.get(key(s)) ?? {
			period: s.period,
			team_id: s.team_id,
			sessions: 0,
			first_received_at: s.received_at,
			outcome_sessions: 0,
			residents_newly_proficient: 0,
			households_newly_covered: 0,
			...Object.fromEntries(TALLY_COUNT_COLUMNS.map((c) => [c, 0]))
		}) as Record<string, number | string>;
		t.sessions = (t.sessions as number) + 1;
		if (s.received_at < (t.first_received_at as string)) t.first_received_at = s.received_at;
		for (const c of TALLY_COUNT_COLUMNS) t[c] = (t[c] as number) + s[c];
		if (s.residents_newly_proficient !== null) {
			t.outcome_sessions = (t.outcome_sessions as number) + 1;
			t.residents_newly_proficient = (t.residents_newly_proficient as number) + s.residents_newly_proficient;
		}
		t.households_newly_covered = (t.households_newly_covered as number) + (s.households_newly_covered ?? 0);
		totals.set(key(s), t);
	}
	const sum = <R extends { session_id: string; count: number }>(rows: R[], part: keyof R, as: string) => {
		const out = new Map<string, Record<string, unknown>>();
		for (const r of rows) {
			const s = bySession.get(r.session_id)!;
			const k = `${key(s)}|${String(r[part])}`;
			const row = out.get(k) ?? { period: s.period, team_id: s.team_id, [part]: r[part], [as]: 0 };
			row[as] = (row[as] as number) + r.count;
			out.set(k, row);
		}
		return [...out.values()].filter((r) => r[as] !== 0);
	};
	return { totals: sorted([...totals.values()]), skills: sorted(sum(skills, 'skill_code', 'assists')), groups: sorted(sum(groups, 'basic_group', 'residents')) };
}

const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort();

async function heldSums(db: Kysely<Database>) {
	return {
		totals: sorted(await db.selectFrom('team_period_totals').selectAll().execute()),
		skills: sorted(await db.selectFrom('team_period_skills').selectAll().execute()),
		groups: sorted(await db.selectFrom('team_period_groups').selectAll().execute())
	};
}

async function expectSumsHeld(db: Kysely<Database>, sessions?: number) {
	const live = await liveSums(db);
	expect(await heldSums(db)).toEqual(live);
	if (sessions !== undefined) expect(live.totals.map((r) => JSON.parse(r).sessions as number).reduce((a, b) => a + b, 0)).toBe(sessions);
}

describe.each(ENGINES)('period sums on %s', (engine) => {
	const t = databaseForEachTest(engine, prepare);
	const store = (s: AnySessionTally, now: Date) => storeTally(t.db, { tally: s, deviceId: `d-${s.teamId}`, rule, now });

	it('follow stored, replaced, re-sent and moved sessions exactly', async () => {
		expect(await store(tally('t1', 1), at('10'))).toBe('stored');
		expect(await store(v2(tally('t1', 2, { date: '2026-11-12' }), 2, 1), at('12'))).toBe('stored');
		expect(await store(v2(tally('t2', 1, { date: '2026-10-20' }), 1, 1), at('09'))).toBe('stored');
		expect(await store(tally('t2', 2, { date: '2026-11-14' }), at('14'))).toBe('stored'); // period 2026-11, received later
		await expectSumsHeld(t.db, 4);

		// A newer version with fewer skills: the dropped skill's row goes, the sums change.
		expect(await store(v2(tally('t1', 1, { version: 2, skills: { bank_app: 3 } }), 4, 2), at('13'))).toBe('replaced');
		// Re-sent, or older: nothing changes.
		expect(await store(tally('t1', 1, { version: 1 }), at('13', '04:00'))).toBe('unchanged');
		expect(await store(v2(tally('t1', 1, { version: 2, skills: { bank_app: 3 } }), 4, 2), at('13', '05:00'))).toBe('unchanged');
		await expectSumsHeld(t.db, 4);
		const skills = await t.db.selectFrom('team_period_skills').select(['skill_code', 'assists']).where('team_id', '=', 't1').orderBy('skill_code').execute();
		expect(skills).toEqual([
			{ skill_code: 'bank_app', assists: 4 },
			{ skill_code: 'scam_awareness', assists: 1 },
			{ skill_code: 'vneid_install', assists: 2 },
			{ skill_code: 'vneid_level2', assists: 1 }
		]);

		// A new version dated in the next period (15/11 on): it leaves 2026-11 for 2026-12, and the
		// team's first arrival in 2026-11 is now its other session's.
		expect(await store(tally('t1', 1, { version: 3, date: '2026-11-16' }), at('16'))).toBe('replaced');
		await expectSumsHeld(t.db, 4);
		const nov = await t.db.selectFrom('team_period_totals').select(['sessions', 'first_received_at']).where('team_id', '=', 't1').where('period', '=', '2026-11').executeTakeFirstOrThrow();
		expect(nov).toEqual({ sessions: 1, first_received_at: at('12').toISOString() });
		// Its only session moved away: the period row goes, so the team is no longer "reported".
		expect(await store(tally('t2', 1, { version: 2, date: '2026-11-01' }), at('16'))).toBe('replaced');
		await expectSumsHeld(t.db, 4);
		expect(await t.db.selectFrom('team_period_totals').select('period').where('team_id', '=', 't2').orderBy('period').execute()).toEqual([{ period: '2026-11' }]);

		// The report reads the sums: what it shows is what the sessions add up to.
		const report = await monthlyReport(t.db, { unitId: 'p', period: '2026-11', now: at('20') });
		expect(report.total.sessions).toBe(3);
		expect(report.teams.map((x) => [x.id, x.sessions, x.firstReceivedAt])).toEqual([
			['t1', 1, at('12').toISOString()],
			['t2', 2, at('09').toISOString()]
		]);
		expect(report.total.outcomes).toMatchObject({ reportedSessions: 1, unreportedSessions: 2, residentsNewlyProficient: 2, householdsNewlyCovered: 1, proficientSinceStart: 2 });
		expect((await trend(t.db, { unitId: 'p', period: '2026-12', months: 3 })).map((p) => [p.period, p.sessions])).toEqual([
			['2026-10', 0],
			['2026-11', 3],
			['2026-12', 1]
		]);
	});

	it('are filed again with the sessions when the period rule changes, and back', async () => {
		for (const [i, date] of ['2026-10-14', '2026-10-15', '2026-10-31', '2026-11-01', '2026-11-14', '2026-11-15'].entries()) {
			await store(v2(tally(i % 2 ? 't1' : 't2', i, { date }), i, 1), new Date(`${date}T09:00:00.000Z`));
		}
		const before = await heldSums(t.db);
		await changePeriodRule(t.db, { rule: { startDay: 1, deadlineDay: 5 }, actor: 'user:admin', now: at('20') });
		await expectSumsHeld(t.db, 6);
		expect((await t.db.selectFrom('team_period_totals').select('period').distinct().orderBy('period').execute()).map((r) => r.period)).toEqual(['2026-10', '2026-11']);
		await changePeriodRule(t.db, { rule, actor: 'user:admin', now: at('20') });
		expect(await heldSums(t.db)).toEqual(before);
	});

	it('do not change when an approval locks the figures; a late tally adds to them and is shown apart', async () => {
		const sessions = [tally('t1', 1), tally('t1', 2, { date: '2026-11-11' })];
		for (const s of sessions) await store(s, at('11'));
		const device = (await t.db.selectFrom('devices').selectAll().where('id', '=', 'd-t1').executeTakeFirstOrThrow()) as Device;
		const body = { schema: 1, submissionId: '11111111-1111-4111-8111-111111111111', teamId: 't1', period: '2026-11', sessions: sessions.map((s) => ({ sessionId: s.sessionId, version: s.version })), submittedAt: at('15').toISOString() };
		await receivePeriodSubmission(t.db, { body, device, rule, now: at('15') });
		const lan = (await t.db.selectFrom('users').selectAll().where('id', '=', 'lan').executeTakeFirstOrThrow()) as User;
		await actOnTeam(t.db, { unitId: 'c', period: '2026-11', teamId: 't1', action: 'approve' }, { user: lan, now: at('16') });
		await expectSumsHeld(t.db, 2);

		// A late session, and a newer version of an approved one.
		await store(tally('t1', 3, { date: '2026-11-13' }), at('17'));
		await store(tally('t1', 1, { version: 2, skills: { vssid: 5 } }), at('17', '04:00'));
		await expectSumsHeld(t.db, 3);
		const report = await monthlyReport(t.db, { unitId: 'c', period: '2026-11', now: at('18') });
		// The approved figures stand; what came since is counted apart.
		expect(report.teams.find((x) => x.id === 't1')).toMatchObject({ approved: true, sessions: 2, lateArrivals: 2 });
		expect(report.total.assistsBySkill).toEqual({ vneid_install: 4, vneid_level2: 2, bank_app: 2, scam_awareness: 2 });
	});

	it('follow a batch stored together: new, repeated, replaced and moved sessions, one refused', async () => {
		await store(tally('t2', 9), at('09'));
		const batch = [
			tally('t1', 1),
			v2(tally('t1', 2, { date: '2026-11-12' }), 2, 1),
			tally('t2', 9), // another team's session: refused alone
			tally('t1', 1),
			tally('t1', 1, { version: 2, date: '2026-11-20', skills: { vssid: 2 } }),
			v2(tally('t1', 3, { date: '2026-10-20' }), 1, 1)
		].map((s) => ({ tally: { ...s, teamId: 't1' }, deviceId: 'd-t1', rule, now: at('13'), actor: 'device:d-t1' }));
		const results = await storeTallies(t.db, batch);
		expect(results.map((r) => (typeof r === 'string' ? r : 'refused'))).toEqual(['stored', 'stored', 'refused', 'unchanged', 'replaced', 'stored']);
		await expectSumsHeld(t.db, 4);
		expect(await t.db.selectFrom('team_period_totals').select(['period', 'sessions']).where('team_id', '=', 't1').orderBy('period').execute()).toEqual([
			{ period: '2026-11', sessions: 2 },
			{ period: '2026-12', sessions: 1 }
		]);
	});

	it('hold every upload when many race on one team and period', async () => {
		const racing = Array.from({ length: 16 }, (_, i) => tally('t1', i, { date: `2026-11-${String(1 + (i % 10)).padStart(2, '0')}`, skills: i % 2 ? { vssid: i, bank_app: 1 } : { bank_app: 2, vssid: 1, ecommerce: i } }));
		const results = await Promise.all(racing.map((s, i) => store(s, new Date(at('12').getTime() + i * 1000))));
		expect(results.every((r) => r === 'stored')).toBe(true);
		const replaced = await Promise.all(racing.slice(0, 8).map((s, i) => store({ ...s, version: 2, assistsBySkill: { ecommerce: 1 + i } }, at('13'))));
		expect(replaced.every((r) => r === 'replaced')).toBe(true);
		await expectSumsHeld(t.db, 16);
	});
});

describe.each(ENGINES)('period sums of seeded and migrated databases on %s', (engine) => {
	const t = databaseForEachTest(engine);

	it('are written by the bulk seeding', async () => {
		await seedDemoData(t.db, { now: at('20') });
		await seedProvince(t.db, { teams: 30, months: 3, now: at('20'), seed: 7 });
		await expectSumsHeld(t.db);
		expect(await t.db.selectFrom('team_period_groups').select('period').limit(1).execute()).toHaveLength(1);
		expect((await t.db.selectFrom('team_period_totals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n).not.toBe(0);
	});

	it('are back-filled by the migration for a database that already holds sessions', async () => {
		const seeded = await seedDemoData(t.db, { now: at('20') });
		const root = seeded.unitIds.province!;
		const expected = await monthlyReport(t.db, { unitId: root, period: '2026-11', now: at('20') });
		expect(expected.total.sessions).toBeGreaterThan(0);
		// The database as it was before migration 0009: no sums, no record of the migration.
		// On PostgreSQL under the migration lock, as the server takes it (other tests migrate meanwhile).
		const ran = await t.db.connection().execute(async (conn) => {
			if (engine === 'postgres') await sql`select pg_advisory_lock(${PG_MIGRATION_LOCK})`.execute(conn);
			try {
				await sql`DROP TABLE team_period_totals`.execute(conn);
				await sql`DROP TABLE team_period_skills`.execute(conn);
				await sql`DROP TABLE team_period_groups`.execute(conn);
				await sql`DELETE FROM kysely_migration WHERE name = '0009_team_period_totals'`.execute(conn);
				return await migrateToLatest(conn as unknown as Kysely<unknown>, t.pgSchema);
			} finally {
				if (engine === 'postgres') await sql`select pg_advisory_unlock(${PG_MIGRATION_LOCK})`.execute(conn);
			}
		});
		expect(ran).toEqual(['0009_team_period_totals']);
		await expectSumsHeld(t.db);
		expect(await monthlyReport(t.db, { unitId: root, period: '2026-11', now: at('20') })).toEqual(expected);
	});
});
