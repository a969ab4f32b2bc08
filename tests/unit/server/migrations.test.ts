import { describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '$lib/server/db/migrations';
import type { Database } from '$lib/server/db/schema';
import { ENGINES, freshDatabase } from '../../fixtures/serverDb';

/** A database as it was before 0004: without the dated tree's tables (nor those of the migrations after it). */
async function undoOrgHistoryMigration(db: Kysely<Database>): Promise<void> {
	for (const table of ['approval_events', 'period_submissions']) await db.schema.dropTable(table).execute();
	await sql`DELETE FROM kysely_migration WHERE name = '0005_period_submissions'`.execute(db);
	for (const table of ['org_changes', 'team_placements', 'org_unit_versions']) await db.schema.dropTable(table).execute();
	await sql`DELETE FROM kysely_migration WHERE name = '0004_org_history'`.execute(db);
}

describe.each(ENGINES)('migrations on %s', (engine) => {
	it('creates every table, and running them again changes nothing', async () => {
		const t = await freshDatabase(engine);
		try {
			const tables = (await t.db.introspection.getTables()).map((x) => x.name).sort();
			expect(tables).toEqual(
				expect.arrayContaining(['org_units', 'teams', 'members', 'devices', 'enrolment_codes', 'session_tallies', 'tally_skill_counts', 'users', 'audit_events', 'rate_limit_hits', 'period_submissions', 'approval_events'])
			);
			expect(await migrateToLatest(t.db as unknown as Kysely<unknown>, t.pgSchema)).toEqual([]);
		} finally {
			await t.dispose();
		}
	});

	it('0003 deletes the deployment\'s resident key: no table holds it afterwards', async () => {
		const t = await freshDatabase(engine);
		try {
			// A server from before: the shared resident key it sent every tablet, next to the badge key.
			const residentKey = 'UmVzaWRlbnRLZXlPZlRoZURlcGxveW1lbnQxMjM0NTY=';
			await t.db.insertInto('settings').values([
				{ key: 'residentKeySecret', value: JSON.stringify(residentKey) },
				{ key: 'badgeSecret', value: JSON.stringify('YmFkZ2U=') }
			]).execute();
			await sql`DELETE FROM kysely_migration WHERE name = '0003_drop_resident_key'`.execute(t.db);
			await undoOrgHistoryMigration(t.db);
			expect(await migrateToLatest(t.db as unknown as Kysely<unknown>, t.pgSchema)).toEqual(['0003_drop_resident_key', '0004_org_history', '0005_period_submissions']);

			expect(await t.db.selectFrom('settings').select('key').execute()).toEqual([{ key: 'badgeSecret' }]);
			for (const table of await t.db.introspection.getTables()) {
				expect(table.columns.map((c) => c.name).filter((name) => /resident_?key/i.test(name)), table.name).toEqual([]);
				const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table.name)}`.execute(t.db);
				expect(JSON.stringify(rows.rows), table.name).not.toContain(residentKey);
			}
		} finally {
			await t.dispose();
		}
	});

	it('0004 starts the dated tree from the existing one: archived units and teams end on their archive date', async () => {
		const t = await freshDatabase(engine);
		try {
			await undoOrgHistoryMigration(t.db);
			const created_at = '2023-01-01T00:00:00.000Z';
			await t.db.insertInto('org_units').values([
				{ id: 'p', parent_id: null, name: 'Tỉnh Hà Tĩnh', kind: 'province', code: '42', archived_at: null, created_at },
				{ id: 'c', parent_id: 'p', name: 'Xã Tùng Ảnh', kind: 'commune', code: null, archived_at: null, created_at },
				{ id: 'old', parent_id: 'p', name: 'Xã Cũ', kind: 'commune', code: null, archived_at: '2024-03-05T08:00:00.000Z', created_at }
			]).execute();
			await t.db.insertInto('teams').values([
				{ id: 't1', unit_id: 'c', name: 'Tổ 1', level: 'commune', phase: 'pilot', established_on: '2022-10-15', archived_at: null, created_at },
				{ id: 't2', unit_id: 'old', name: 'Tổ 2', level: 'commune', phase: 'pilot', established_on: '2023-02-01', archived_at: '2024-01-10T00:00:00.000Z', created_at }
			]).execute();
			expect(await migrateToLatest(t.db as unknown as Kysely<unknown>, t.pgSchema)).toEqual(['0004_org_history', '0005_period_submissions']);

			const versions = await t.db.selectFrom('org_unit_versions').selectAll().orderBy('unit_id').execute();
			expect(versions).toEqual([
				{ unit_id: 'c', valid_from: '2000-01-01', valid_to: null, name: 'Xã Tùng Ảnh', kind: 'commune', code: null, parent_id: 'p' },
				{ unit_id: 'old', valid_from: '2000-01-01', valid_to: '2024-03-05', name: 'Xã Cũ', kind: 'commune', code: null, parent_id: 'p' },
				{ unit_id: 'p', valid_from: '2000-01-01', valid_to: null, name: 'Tỉnh Hà Tĩnh', kind: 'province', code: '42', parent_id: null }
			]);
			const placements = await t.db.selectFrom('team_placements').selectAll().orderBy('team_id').execute();
			expect(placements).toEqual([
				{ team_id: 't1', unit_id: 'c', level: 'commune', valid_from: '2022-10-15', valid_to: null },
				{ team_id: 't2', unit_id: 'old', level: 'commune', valid_from: '2023-02-01', valid_to: '2024-01-10' }
			]);
			expect(await t.db.selectFrom('org_changes').selectAll().execute()).toEqual([]);
		} finally {
			await t.dispose();
		}
	});

	it('0005 keeps one submission in force per team and period, and one event per seq of a log', async () => {
		const t = await freshDatabase(engine);
		try {
			const created_at = '2026-01-01T00:00:00.000Z';
			await t.db.insertInto('org_units').values({ id: 'c', parent_id: null, name: 'Xã Đức Thọ', kind: 'commune', code: null, archived_at: null, created_at }).execute();
			await t.db.insertInto('teams').values({ id: 't1', unit_id: 'c', name: 'Tổ 1', level: 'commune', phase: 'pilot', established_on: '2024-01-01', archived_at: null, created_at }).execute();
			const submission = (id: string, state: 'current' | 'replaced') => ({
				submission_id: id, team_id: 't1', period: '2026-11', sessions: '[]', submitted_at: created_at, received_at: created_at, device_id: 'd', state
			});
			await t.db.insertInto('period_submissions').values([submission('s1', 'replaced'), submission('s2', 'replaced'), submission('s3', 'current')]).execute();
			await expect(t.db.insertInto('period_submissions').values(submission('s4', 'current')).execute()).rejects.toThrow();
			const event = { subject_kind: 'team' as const, subject_id: 't1', period: '2026-11', seq: 0, action: 'approve' as const, level: 'commune' as const, actor: 'u', actor_name: 'U', note: null, at: created_at, snapshot: '[]' };
			await t.db.insertInto('approval_events').values(event).execute();
			await expect(t.db.insertInto('approval_events').values({ ...event, actor: 'u2' }).execute()).rejects.toThrow();
			await t.db.insertInto('approval_events').values({ ...event, subject_kind: 'unit', subject_id: 'c' }).execute();
			expect(await t.db.selectFrom('approval_events').select('subject_kind').orderBy('subject_kind').execute()).toEqual([{ subject_kind: 'team' }, { subject_kind: 'unit' }]);
		} finally {
			await t.dispose();
		}
	});

	it('0006 gives a catalog in use its basic skill groups and the Bình dân học vụ số skill; old tallies report no outcomes', async () => {
		const t = await freshDatabase(engine);
		try {
			// A database as it was before 0006: the officers' catalog (one renamed, one of their own).
			await t.db.schema.dropTable('tally_group_counts').execute();
			await t.db.schema.dropTable('village_household_counts').execute();
			for (const column of ['residents_newly_proficient', 'households_newly_covered']) {
				await t.db.schema.alterTable('session_tallies').dropColumn(column).execute();
			}
			await t.db.schema.alterTable('skills').dropColumn('basic_group').execute();
			await sql`DELETE FROM kysely_migration WHERE name = '0006_outcomes'`.execute(t.db);
			await sql`INSERT INTO skills (code, name_vi, name_en, category, active, sort) VALUES
				('bank_app', 'Ngân hàng số', 'Bank app', 'payment', 1, 0),
				('zalo_video', 'Zalo', 'Zalo', 'communication', 1, 1),
				('ocop_shop', 'Bán hàng OCOP', 'OCOP shop', 'commerce', 1, 7)`.execute(t.db);
			expect(await migrateToLatest(t.db as unknown as Kysely<unknown>, t.pgSchema)).toEqual(['0006_outcomes']);
			const skills = await t.db.selectFrom('skills').select(['code', 'basic_group', 'sort', 'name_vi']).orderBy('sort').execute();
			expect(skills).toEqual([
				{ code: 'bank_app', basic_group: 'payment', sort: 0, name_vi: 'Ngân hàng số' },
				{ code: 'zalo_video', basic_group: null, sort: 1, name_vi: 'Zalo' },
				{ code: 'ocop_shop', basic_group: null, sort: 7, name_vi: 'Bán hàng OCOP' },
				{ code: 'binh_dan_hoc_vu_so', basic_group: 'localPlatforms', sort: 8, name_vi: 'Đăng ký và học trên Bình dân học vụ số' }
			]);
		} finally {
			await t.dispose();
		}
	});

	it('two databases migrate side by side (PostgreSQL schemas do not see each other)', async () => {
		const [a, b] = await Promise.all([freshDatabase(engine), freshDatabase(engine)]);
		try {
			expect(await a.db.selectFrom('teams').selectAll().execute()).toEqual([]);
			expect(await b.db.selectFrom('teams').selectAll().execute()).toEqual([]);
		} finally {
			await Promise.all([a.dispose(), b.dispose()]);
		}
	});
});
