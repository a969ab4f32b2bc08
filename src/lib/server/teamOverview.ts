// Every team within a user's reach with its composition warnings: the district-wide list an
// officer scans for teams that drifted from the plan. One query for all rosters, not one per team.
import type { Kysely } from 'kysely';
import { activeCoreCount, compositionWarnings, type TeamWarning } from '$lib/domain/teamRules';
import type { Database, Member, Team, User } from './db/schema';
import type { RolloutPhase, TeamLevel } from '$lib/domain/teamRules';
import { loadTree, type OrgTree } from './orgTree';
import { listTeams } from './teams';

export interface TeamOverview {
	id: string;
	name: string;
	unitId: string;
	/** 'Xã Tùng Ảnh › Thôn Trung Hòa': the unit's path below the user's own area. */
	unitPath: string;
	level: TeamLevel;
	phase: RolloutPhase;
	coreCount: number;
	collaboratorCount: number;
	warnings: TeamWarning[];
}

const ID_CHUNK = 500;

/** Active teams the user may see: all for an admin, their commune's for an officer, their own for a leader. */
export async function teamsInReach(db: Kysely<Database>, user: Pick<User, 'role' | 'unit_id' | 'team_id'>, tree?: OrgTree): Promise<Team[]> {
	if (user.role === 'admin') return listTeams(db);
	if (user.role === 'officer' && user.unit_id) return listTeams(db, { unitIds: (tree ?? (await loadTree(db))).descendantIds(user.unit_id) });
	if (user.role === 'leader' && user.team_id) return (await listTeams(db)).filter((t) => t.id === user.team_id);
	return [];
}

export async function teamOverviews(db: Kysely<Database>, user: Pick<User, 'role' | 'unit_id' | 'team_id'>): Promise<TeamOverview[]> {
	const tree = await loadTree(db);
	const teams = await teamsInReach(db, user, tree);
	const rosters = new Map<string, Pick<Member, 'role' | 'background' | 'status'>[]>();
	const ids = teams.map((t) => t.id);
	for (let i = 0; i < ids.length; i += ID_CHUNK) {
		const rows = await db
			.selectFrom('members')
			.select(['team_id', 'role', 'background', 'status'])
			.where('team_id', 'in', ids.slice(i, i + ID_CHUNK))
			.where('status', '=', 'active')
			.execute();
		for (const row of rows) {
			let list = rosters.get(row.team_id);
			if (!list) rosters.set(row.team_id, (list = []));
			list.push(row);
		}
	}
	// Paths start below the officer's own unit's parent, so 'Tỉnh Hà Tĩnh › Huyện Đức Thọ' is not repeated on every line.
	const skip = user.role === 'officer' && user.unit_id ? Math.max(0, tree.depth(user.unit_id)) : 0;
	// In the tree's order (a commune, then its villages), as the org tree page lists them.
	const place = new Map(tree.units.map((u, i) => [u.id, i]));
	const at = (t: Team) => place.get(t.unit_id) ?? Number.MAX_SAFE_INTEGER;
	const ordered = [...teams].sort((a, b) => at(a) - at(b));
	return ordered.map((team) => {
		const roster = rosters.get(team.id) ?? [];
		return {
			id: team.id,
			name: team.name,
			unitId: team.unit_id,
			unitPath: tree
				.path(team.unit_id)
				.slice(skip)
				.map((u) => u.name)
				.join(' › '),
			level: team.level,
			phase: team.phase,
			coreCount: activeCoreCount(roster),
			collaboratorCount: roster.filter((m) => m.role === 'collaborator').length,
			warnings: compositionWarnings(team, roster)
		};
	});
}
