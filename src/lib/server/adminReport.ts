// Resolves which unit and period an admin report page shows, within the user's reach.
import type { Kysely } from 'kysely';
import { lineage, type OrgHistory } from '$lib/domain/orgHistory';
import { localDateOf, periodOf, periodRange, requestedPeriod, type LocalDate, type PeriodKey, type PeriodRule } from '$lib/domain/period';
import { homeUnitId, refuse } from './auth';
import type { Database, User } from './db/schema';
import { loadTree } from './orgTree';
import { reportReach, teamUnitLookup } from './scope';
import { periodRuleSetting } from './settings';
import { UnknownUnitError } from './reports/monthly';
import { inForceSince, loadHistory } from './orgHistory';

export async function reportScope(db: Kysely<Database>, user: User, url: URL) {
	const [tree, teamUnit, rule] = await Promise.all([loadTree(db, { includeArchived: true }), teamUnitLookup(db), periodRuleSetting(db)]);
	const unitId = url.searchParams.get('unit') ?? homeUnitId(user, tree, teamUnit);
	const period = requestedPeriod(url.searchParams) ?? periodOf(localDateOf(new Date()), rule);
	if (unitId && !tree.byId(unitId)) refuse(404, 'unitNotFound');
	// The dated history is read at most once per request, by whichever step needs it first.
	let historyRead: Promise<OrgHistory> | undefined;
	const history = () => (historyRead ??= loadHistory(db));
	const reach = await reportReach(db, user, tree, teamUnit, { history });
	const inReach = (id: string) => reach === 'all' || reach.has(id);
	if (unitId && !inReach(unitId)) refuse(403, 'unitOutOfReach');
	const units = tree.units.filter((u) => inReach(u.id));
	return { tree, rule, unitId, period, units, inReach, history };
}

export interface FormedLater {
	/** The day the unit came into force. */
	since: LocalDate;
	/** Its former units within the user's reach, nearest first: their own reports cover the period. */
	formers: { id: string; name: string }[];
}

/**
 * For a unit in force today that was formed after `period` ended (Xã Đức Thọ, asked for May 2025):
 * the day it was formed and the former units whose reports cover that period. Null otherwise.
 */
export async function formedAfterPeriod(
	db: Kysely<Database>,
	input: { unitId: string; period: PeriodKey; rule: PeriodRule; inReach: (id: string) => boolean; now?: Date; history?: () => Promise<OrgHistory> }
): Promise<FormedLater | null> {
	const history = await (input.history ?? (() => loadHistory(db)))();
	const since = inForceSince(history, input.unitId, localDateOf(input.now ?? new Date()));
	if (since === null || periodRange(input.period, input.rule).last >= since) return null;
	const formers = lineage(history, input.unitId, since)
		.filter((f) => input.inReach(f.unitId))
		.map((f) => ({ id: f.unitId, name: f.name }));
	return { since, formers };
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
