import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../../../src/lib/server/db/migrations';
import { ENGINES, freshDatabase } from './engines';

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
