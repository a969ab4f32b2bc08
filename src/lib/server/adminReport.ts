// Resolves which unit and period an admin report page shows, within the user's reach.
import type { Kysely } from 'kysely';
import { localDateOf, periodOf, requestedPeriod } from '$lib/domain/period';
import { canSeeUnit, homeUnitId, refuse } from './auth';
import type { Database, User } from './db/schema';
import { loadTree } from './orgTree';
import { teamUnitLookup } from './scope';
import { periodRuleSetting } from './settings';
import { UnknownUnitError } from './reports/monthly';

export async function reportScope(db: Kysely<Database>, user: User, url: URL) {
	const [tree, teamUnit, rule] = await Promise.all([loadTree(db, { includeArchived: true }), teamUnitLookup(db), periodRuleSetting(db)]);
	const unitId = url.searchParams.get('unit') ?? homeUnitId(user, tree, teamUnit);
	const period = requestedPeriod(url.searchParams) ?? periodOf(localDateOf(new Date()), rule);
	if (unitId && !tree.byId(unitId)) refuse(404, 'unitNotFound');
	if (unitId && !canSeeUnit(user, unitId, tree, teamUnit)) refuse(403, 'unitOutOfReach');
	const units = tree.units.filter((u) => canSeeUnit(user, u.id, tree, teamUnit));
	return { tree, rule, unitId, period, units };
}

/**
 * A report of a unit that was not in force on the period's last day (a commune formed on 1 July 2025,
 * asked for May 2025) is refused as "no such unit" for that period, not a server error.
 */
export async function refusingUnitNotInForce<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (e) {
		if (e instanceof UnknownUnitError) refuse(404, 'unitNotFound');
		throw e;
	}
}
