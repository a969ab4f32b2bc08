// The audit trail as the admin page shows it: filtered by kind of action, person and unit, with
// every id the rows mention resolved to a name in one query per kind (users, teams, units,
// members, devices, activities), never one per row.
import type { Kysely } from 'kysely';
import { AUDIT_ACTION_GROUPS, auditRefsOf, type AuditActionGroup, type AuditNames, type AuditRow } from '$lib/domain/audit';
import type { Database } from './db/schema';
import { loadTree } from './orgTree';

export interface AuditFilter {
	group?: AuditActionGroup | null;
	/** 'user:<id>', 'system', 'system:cli' or 'device:<id>'. */
	actor?: string | null;
	/** Events about this unit, the units under it, and their teams, members, tablets, decisions and activities. */
	unitId?: string | null;
	limit?: number;
}

/** Everything the rows belong to under a unit, as audit subjects ('team:<id>', …). */
async function subjectsUnder(db: Kysely<Database>, unitId: string): Promise<string[]> {
	const tree = await loadTree(db, { includeArchived: true });
	const unitIds = tree.byId(unitId) ? tree.descendantIds(unitId) : [];
	if (unitIds.length === 0) return [];
	const teamIds = (await db.selectFrom('teams').select('id').where('unit_id', 'in', unitIds).execute()).map((t) => t.id);
	if (teamIds.length === 0) return unitIds.map((id) => `unit:${id}`);
	const [members, devices, decisions, activities] = await Promise.all([
		db.selectFrom('members').select('id').where('team_id', 'in', teamIds).execute(),
		db.selectFrom('devices').select('id').where('team_id', 'in', teamIds).execute(),
		db.selectFrom('membership_decisions').select('id').where('team_id', 'in', teamIds).execute(),
		db.selectFrom('activities').select('id').where('team_id', 'in', teamIds).execute()
	]);
	return [
		...unitIds.map((id) => `unit:${id}`),
		...teamIds.map((id) => `team:${id}`),
		...members.map((r) => `member:${r.id}`),
		...devices.map((r) => `device:${r.id}`),
		...decisions.map((r) => `decision:${r.id}`),
		...activities.map((r) => `activity:${r.id}`)
	];
}

/** Newest first. */
export async function listAuditRows(db: Kysely<Database>, filter: AuditFilter = {}): Promise<AuditRow[]> {
	let query = db
		.selectFrom('audit_events')
		.select(['id', 'at', 'actor', 'action', 'subject', 'detail'])
		.orderBy('at', 'desc')
		.orderBy('id')
		.limit(filter.limit ?? 200);
	if (filter.group) {
		const prefixes = AUDIT_ACTION_GROUPS[filter.group];
		query = query.where((eb) => eb.or(prefixes.map((prefix) => eb('action', 'like', `${prefix}.%`))));
	}
	if (filter.actor) query = query.where('actor', '=', filter.actor);
	if (filter.unitId) {
		const subjects = await subjectsUnder(db, filter.unitId);
		if (subjects.length === 0) return [];
		query = query.where('subject', 'in', subjects);
	}
	const rows = await query.execute();
	return rows.map((row) => ({ ...row, detail: parseDetail(row.detail) }));
}

function parseDetail(text: string | null): Record<string, unknown> {
	if (!text) return {};
	try {
		const value: unknown = JSON.parse(text);
		return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}

/** The names of everything the rows mention: one query per kind of thing. */
export async function resolveAuditNames(db: Kysely<Database>, rows: readonly AuditRow[]): Promise<AuditNames> {
	const refs = auditRefsOf(rows);
	const named = async <T extends { id: string }>(ids: Set<string>, load: (ids: string[]) => Promise<T[]>, name: (row: T) => string) => {
		if (ids.size === 0) return {};
		return Object.fromEntries((await load([...ids])).map((row) => [row.id, name(row)]));
	};
	const [users, teams, units, members, devices, activities] = await Promise.all([
		named(refs.user, (ids) => db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute(), (r) => r.display_name),
		named(refs.team, (ids) => db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids).execute(), (r) => r.name),
		named(refs.unit, (ids) => db.selectFrom('org_units').select(['id', 'name']).where('id', 'in', ids).execute(), (r) => r.name),
		named(refs.member, (ids) => db.selectFrom('members').select(['id', 'full_name']).where('id', 'in', ids).execute(), (r) => r.full_name),
		named(refs.device, (ids) => db.selectFrom('devices').select(['id', 'label']).where('id', 'in', ids).execute(), (r) => r.label),
		named(refs.activity, (ids) => db.selectFrom('activities').select(['id', 'title']).where('id', 'in', ids).execute(), (r) => r.title)
	]);
	return { user: users, team: teams, unit: units, member: members, device: devices, activity: activities };
}

/** The people who appear as actors, for the filter: users by name, then the system. */
export async function auditPeople(db: Kysely<Database>): Promise<{ ref: string; name: string }[]> {
	const users = await db.selectFrom('users').select(['id', 'display_name', 'username']).orderBy('display_name').execute();
	return users.map((u) => ({ ref: `user:${u.id}`, name: `${u.display_name} (${u.username})` }));
}
