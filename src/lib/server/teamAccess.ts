// What a signed-in user may do with one team, the one rule for every team page: see it (its own
// leader; an officer for teams in their commune; an admin for all), manage its roster, devices and
// badges (officers in reach and admins), and record its activities (those, and its own leader).
// An archived team is read-only for everyone: it can be seen, never changed.
import type { Kysely } from 'kysely';
import { canSeeUnit, refuse } from './auth';
import { serverContext } from './context';
import type { Database, Team, User } from './db/schema';
import { loadTree, type OrgTree } from './orgTree';
import { teamUnitLookup } from './scope';
import { getTeam } from './teams';

export interface TeamAccess {
	team: Team;
	/** The live org tree (archived units left out), as the reach was judged on. */
	tree: OrgTree;
	canSee: boolean;
	canManage: boolean;
	canRecord: boolean;
}

/** What `user` may do with the team; null when there is no such team. */
export async function teamAccess(db: Kysely<Database>, user: User, teamId: string): Promise<TeamAccess | null> {
	const team = await getTeam(db, teamId);
	if (!team) return null;
	const [tree, teamUnit] = await Promise.all([loadTree(db), teamUnitLookup(db)]);
	const ownTeam = user.role === 'leader' && user.team_id === team.id;
	const canSee = ownTeam || canSeeUnit(user, team.unit_id, tree, teamUnit);
	const live = team.archived_at === null;
	const canManage = live && canSee && (user.role === 'admin' || user.role === 'officer');
	return { team, tree, canSee, canManage, canRecord: canManage || (live && ownTeam) };
}

/** For a team's pages: the database, the team and what the user may do with it; 404 or 403 otherwise. */
export async function teamInReach(user: User, teamId: string): Promise<TeamAccess & { db: Kysely<Database> }> {
	const { db } = await serverContext();
	const access = await teamAccess(db, user, teamId);
	if (!access) refuse(404, 'teamNotFound');
	if (!access.canSee) refuse(403, 'teamOutOfReach');
	return { db, ...access };
}
