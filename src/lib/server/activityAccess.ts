// Who may read and record a team's activities: its own leader; an officer for teams in their
// commune; an admin for all. Anyone else who can see the team's unit may only read.
import type { Kysely } from 'kysely';
import { canSeeUnit } from './auth';
import type { Database, Team, User } from './db/schema';
import { loadTree } from './orgTree';
import { teamUnitLookup } from './scope';

export interface ActivityAccess {
	canSee: boolean;
	canRecord: boolean;
}

export async function activityAccess(db: Kysely<Database>, user: User, team: Team): Promise<ActivityAccess> {
	if (user.role === 'admin') return { canSee: true, canRecord: team.archived_at === null };
	if (user.role === 'leader' && user.team_id === team.id) return { canSee: true, canRecord: team.archived_at === null };
	const [tree, teamUnit] = await Promise.all([loadTree(db), teamUnitLookup(db)]);
	const inReach = canSeeUnit(user, team.unit_id, tree, teamUnit);
	return { canSee: inReach, canRecord: inReach && user.role === 'officer' && team.archived_at === null };
}
