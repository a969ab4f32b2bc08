// Small lookups the permission checks need.
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';

/** team id → the unit it serves, for checking a leader's reach. */
export async function teamUnitLookup(db: Kysely<Database>): Promise<(teamId: string) => string | undefined> {
	const rows = await db.selectFrom('teams').select(['id', 'unit_id']).execute();
	const map = new Map(rows.map((r) => [r.id, r.unit_id]));
	return (teamId) => map.get(teamId);
}
