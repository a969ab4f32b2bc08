import { describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '$lib/server/db/migrations';
import { ENGINES, freshDatabase } from '../../fixtures/serverDb';

describe.each(ENGINES)('migrations on %s', (engine) => {
	it('creates every table, and running them again changes nothing', async () => {
		const t = await freshDatabase(engine);
		try {
			const tables = (await t.db.introspection.getTables()).map((x) => x.name).sort();
			expect(tables).toEqual(
				expect.arrayContaining(['org_units', 'teams', 'members', 'devices', 'enrolment_codes', 'session_tallies', 'tally_skill_counts', 'users', 'audit_events'])
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
			expect(await migrateToLatest(t.db as unknown as Kysely<unknown>, t.pgSchema)).toEqual(['0003_drop_resident_key']);

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
