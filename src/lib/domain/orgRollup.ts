// Which units a tally counts for. A period is reported on the tree in force on its LAST day: every
// tally of the period goes to the unit its team was in that day and to each unit above it, once.
// So a change dated after a period's last day cannot alter that period's report, and a team moved
// mid-period reports the whole period under its new unit.
//
// The trend ("compare with last year", the 12-period chart) instead maps past periods onto today's
// tree, by team: a past tally counts for the unit its team is in today. That adds up a merged
// commune's former units, and divides a split unit exactly as its teams were divided.
import { treeAsOf, type OrgHistory, type TreeAsOf } from './orgHistory';
import type { LocalDate } from './period';

export interface DatedTally<T> {
	teamId: string;
	date: LocalDate;
	counts: T;
}

export interface Summing<T> {
	zero: () => T;
	add: (a: T, b: T) => T;
}

export const NUMBER_SUM: Summing<number> = { zero: () => 0, add: (a, b) => a + b };

export interface RollUp<T> {
	/** The tree the figures are shown on. */
	tree: TreeAsOf;
	/** Each unit's total: its own teams' tallies and everything below it. Units with none are absent. */
	byUnit: Map<string, T>;
	/** Tallies of the period whose team had no unit on the tree's day (a team placed after it):
	 * shown apart, never dropped. */
	unplaced: DatedTally<T>[];
}

/** The period's report: tallies dated first..last, on the tree of `last`. */
export function rollUpPeriod<T>(history: OrgHistory, period: { first: LocalDate; last: LocalDate }, tallies: readonly DatedTally<T>[], sum: Summing<T>): RollUp<T> {
	return rollUpOnto(treeAsOf(history, period.last), period, tallies, sum);
}

/** A past period's figures on the tree of `today`, for a unit's trend across merges and splits. */
export function rollUpForTrend<T>(
	history: OrgHistory,
	period: { first: LocalDate; last: LocalDate },
	today: LocalDate,
	tallies: readonly DatedTally<T>[],
	sum: Summing<T>
): RollUp<T> {
	return rollUpOnto(treeAsOf(history, today < period.last ? period.last : today), period, tallies, sum);
}

function rollUpOnto<T>(tree: TreeAsOf, period: { first: LocalDate; last: LocalDate }, tallies: readonly DatedTally<T>[], sum: Summing<T>): RollUp<T> {
	const byUnit = new Map<string, T>();
	const unplaced: DatedTally<T>[] = [];
	const paths = new Map<string, string[]>();
	for (const tally of tallies) {
		if (tally.date < period.first || tally.date > period.last) continue;
		const unitId = tree.unitOfTeam(tally.teamId);
		const path = unitId === undefined ? [] : (paths.get(unitId) ?? pathIds(tree, unitId, paths));
		if (path.length === 0) {
			unplaced.push(tally);
			continue;
		}
		for (const id of path) byUnit.set(id, sum.add(byUnit.get(id) ?? sum.zero(), tally.counts));
	}
	return { tree, byUnit, unplaced };
}

function pathIds(tree: TreeAsOf, unitId: string, cache: Map<string, string[]>): string[] {
	const path = tree.path(unitId).map((u) => u.id);
	cache.set(unitId, path);
	return path;
}
