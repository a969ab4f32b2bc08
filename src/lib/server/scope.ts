// Small lookups the permission checks need.
import type { Kysely } from 'kysely';
import { localDateOf } from '$lib/domain/period';
import { visibleUnitIds } from './auth';
import type { Database, User } from './db/schema';
import { loadHistory, successorInForce } from './orgHistory';
import { treeAsOf, type OrgHistory } from '$lib/domain/orgHistory';
import type { OrgTree } from './orgTree';

/** team id → the unit it serves, for checking a leader's reach. */
export async function teamUnitLookup(db: Kysely<Database>): Promise<(teamId: string) => string | undefined> {
	const rows = await db.selectFrom('teams').select(['id', 'unit_id']).execute();
	const map = new Map(rows.map((r) => [r.id, r.unit_id]));
	return (teamId) => map.get(teamId);
}

/**
 * The units whose reports a user may read: their area today, and every ended unit whose successor
 * lies in it (the officers of Xã Đức Thọ read Xã Tùng Ảnh's reports of before 1 July 2025; an ended
 * district, whose successor is the province, stays with the province's people).
 */
export async function reportReach(
	db: Kysely<Database>,
	user: User,
	tree: OrgTree,
	teamUnit: (teamId: string) => string | undefined,
	options: { now?: Date; history?: () => Promise<OrgHistory> } = {}
): Promise<'all' | Set<string>> {
	const visible = visibleUnitIds(user, tree, teamUnit);
	if (visible === 'all') return visible;
	const ended = tree.units.filter((u) => u.archived_at !== null && !visible.has(u.id));
	if (ended.length === 0 || visible.size === 0) return visible;
	const history = await (options.history ?? (() => loadHistory(db)))();
	const today = localDateOf(options.now ?? new Date());
	// One tree of today for every ended unit's walk, not one per unit.
	const inForce = treeAsOf(history, today);
	const reach = new Set(visible);
	for (const unit of ended) {
		const heir = successorInForce(history, unit.id, today, inForce);
		if (heir !== null && visible.has(heir)) reach.add(unit.id);
	}
	return reach;
}
