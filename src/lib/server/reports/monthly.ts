// The monthly report across the hierarchy: what the teams under a unit uploaded for one period,
// rolled up per child unit, with completeness (who sent anything) and timeliness (by the deadline).
// The tree is read in memory (a province is a few thousand units); tallies are read from the
// per-team, per-period sums that storing them keeps (lib/server/periodTotals.ts), and the teams'
// other activities are summed in SQL: a fixed handful of queries per report whatever the number of teams.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { addActivityTotals, emptyActivityTotals, isActivityKind, type ActivityTotals } from '$lib/domain/activity';
import { DEFAULT_PERIOD_RULE, isOnTime, periodRange, shiftPeriod, type LocalDate, type Period, type PeriodKey, type PeriodRule } from '$lib/domain/period';
import { treeAsOf, type OrgHistory, type TeamPlacement } from '$lib/domain/orgHistory';
import { rollUpForTrend, type DatedTally, type Summing } from '$lib/domain/orgRollup';
import { emptyCounts, type Counts } from '$lib/domain/tally';
import { BASIC_SKILL_GROUPS, isBasicSkillGroup, type BasicSkillGroup } from '$lib/domain/basicSkills';
import { TALLY_COUNT_COLUMNS, type Database, type OrgUnitKind } from '../db/schema';
import type { TeamLevel } from '$lib/domain/teamRules';
import { loadHistoryAndTeams, type TeamRow } from '../orgHistory';
import { lockedTeamFigures } from '../periodData';
import { householdCountsAsOf, VILLAGE_KINDS } from '../householdCounts';

/**
 * Sums over sessions. `distinctResidents` (and the resident breakdowns) add each session's
 * distinct residents, so a person who came to two sessions counts twice: tallies are counts only,
 * and the server cannot de-duplicate people it never sees. Read it as "resident visits".
 */
export interface Totals extends Omit<Counts, 'assistsByMember'> {
	sessions: number;
	/** Not from sessions: trainings, outreach, initiatives and DX tasks the leaders recorded for the period. */
	activities: ActivityTotals;
	/** The five basic skills and households (tally schema 2). */
	outcomes: OutcomeTotals;
}

/**
 * Outcome sums. A sum is null when no session reported outcomes (all schema 1, or no session):
 * "not reported", which a report must never show as 0. First-time counts never overlap (a tablet
 * counts a resident or household once), so these sums are exact, and never go down.
 */
export interface OutcomeTotals {
	/** Sessions whose tally reported outcomes (schema 2). */
	reportedSessions: number;
	/** Sessions whose tally did not (schema 1, from a tablet not yet updated). */
	unreportedSessions: number;
	residentsNewlyProficient: number | null;
	householdsNewlyCovered: number | null;
	/** Per basic skill group, residents who gained it. */
	residentsGainedByGroup: Record<BasicSkillGroup, number> | null;
	/** Residents newly proficient in every period up to and including this one. */
	proficientSinceStart: number | null;
	/** Households newly covered in every period up to and including this one. */
	householdsCoveredSinceStart: number | null;
}

export function emptyOutcomeTotals(): OutcomeTotals {
	return {
		reportedSessions: 0,
		unreportedSessions: 0,
		residentsNewlyProficient: null,
		householdsNewlyCovered: null,
		residentsGainedByGroup: null,
		proficientSinceStart: null,
		householdsCoveredSinceStart: null
	};
}

const addMaybe = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);

function addOutcomeTotals(into: OutcomeTotals, from: OutcomeTotals): void {
	into.reportedSessions += from.reportedSessions;
	into.unreportedSessions += from.unreportedSessions;
	into.residentsNewlyProficient = addMaybe(into.residentsNewlyProficient, from.residentsNewlyProficient);
	into.householdsNewlyCovered = addMaybe(into.householdsNewlyCovered, from.householdsNewlyCovered);
	into.proficientSinceStart = addMaybe(into.proficientSinceStart, from.proficientSinceStart);
	into.householdsCoveredSinceStart = addMaybe(into.householdsCoveredSinceStart, from.householdsCoveredSinceStart);
	if (from.residentsGainedByGroup) {
		const sum = into.residentsGainedByGroup ?? zeroGroups();
		for (const g of BASIC_SKILL_GROUPS) sum[g] += from.residentsGainedByGroup[g];
		into.residentsGainedByGroup = sum;
	}
}

const zeroGroups = (): Record<BasicSkillGroup, number> => Object.fromEntries(BASIC_SKILL_GROUPS.map((g) => [g, 0])) as Record<BasicSkillGroup, number>;

export interface Completeness {
	/** Teams with at least one tally for the period. */
	reported: number;
	/** Teams expected to report. */
	active: number;
}

export interface Timeliness {
	/** Reported teams whose first tally arrived by the deadline. */
	onTime: number;
	reported: number;
}

export interface ReportRow {
	/** 'unit': a child unit with everything under it; 'team': a team of the report's own unit. */
	kind: 'unit' | 'team';
	/** The unit's id, or the team's. */
	id: string;
	name: string;
	unitKind: OrgUnitKind;
	totals: Totals;
	completeness: Completeness;
	timeliness: Timeliness;
	coverage: HouseholdCoverage;
}

/**
 * Households with someone proficient in the five basic skills (since the start) against the
 * villages' household counts the officers entered (the latest dated on or before the period's
 * last day). Null where a figure is missing: no village count entered, or no outcome reported.
 */
export interface HouseholdCoverage {
	/** Sum of the villages' counts; villages without a count are left out and listed in `uncounted`. */
	households: number | null;
	/** Villages under the row with no count entered. */
	uncounted: number;
	covered: number | null;
	/** covered / households, in percent with one decimal. */
	percent: number | null;
	/** More households covered than counted: the count is out of date (flagged, not refused). */
	countBelowCovered: boolean;
}

function coverageOf(households: number | null, uncounted: number, covered: number | null): HouseholdCoverage {
	const percent = households !== null && households > 0 && covered !== null ? Math.round((covered / households) * 1000) / 10 : null;
	return { households, uncounted, covered, percent, countBelowCovered: households !== null && covered !== null && covered > households };
}

export interface TeamStatus {
	id: string;
	name: string;
	unitId: string;
	unitName: string;
	level: TeamLevel;
	sessions: number;
	totals: Totals;
	reported: boolean;
	/** When the team's first tally for the period arrived (UTC ISO), or null. */
	firstReceivedAt: string | null;
	/** null when nothing was reported. */
	onTime: boolean | null;
	/** The team's figures are locked by an approval (its own or its commune's): `totals` are the approved figures (issue 13). */
	approved?: boolean;
	/** Sessions that arrived or changed after the approval, not in `totals` until reopened and approved again. */
	lateArrivals?: number;
}

export interface SkillTotal {
	code: string;
	nameVi: string;
	nameEn: string;
	assists: number;
}

/** Plain data only: the API returns it as JSON and pages pass it to the browser. */
export interface MonthlyReport {
	unit: { id: string; name: string; kind: OrgUnitKind; /** Names from the root down to the unit. */ path: string[] };
	period: Period;
	generatedAt: string;
	total: Totals;
	/** The unit's own team(s) first, then each child unit with a team under it, by name. */
	rows: ReportRow[];
	/** Every team expected to report, in tree order. */
	teams: TeamStatus[];
	completeness: Completeness;
	timeliness: Timeliness;
	/** The catalog in its order (archived skills only when they were taught), then unknown codes. */
	skills: SkillTotal[];
	coverage: HouseholdCoverage;
}

export interface TrendPoint {
	period: PeriodKey;
	sessions: number;
	/** Summed per session: see Totals. */
	residents: number;
	assists: number;
}

export class UnknownUnitError extends Error {
	constructor(unitId: string) {
		super(`no active org unit ${unitId}`);
		this.name = 'UnknownUnitError';
	}
}

export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

// ---------------------------------------------------------------------------------------------
// Totals

export function emptyTotals(): Totals {
	// The session counts are the tablet's own (domain/tally.ts); per-member counts stay per team.
	const { assistsByMember: _perMember, ...counts } = emptyCounts();
	return { ...counts, sessions: 0, activities: emptyActivityTotals(), outcomes: emptyOutcomeTotals() };
}

const addInto = <K extends string>(into: Record<K, number>, from: Record<K, number>) => {
	for (const key of Object.keys(from) as K[]) into[key] = (Object.hasOwn(into, key) ? into[key] : 0) + from[key];
};

/** Adds `from` into `into` and returns `into`. */
export function addTotals(into: Totals, from: Totals): Totals {
	into.sessions += from.sessions;
	into.checkIns += from.checkIns;
	into.distinctResidents += from.distinctResidents;
	into.firstTimeResidents += from.firstTimeResidents;
	into.assists += from.assists;
	addInto(into.residentsByGender, from.residentsByGender);
	addInto(into.residentsByAgeBand, from.residentsByAgeBand);
	addInto(into.assistsByOutcome, from.assistsByOutcome);
	addInto(into.assistsByGender, from.assistsByGender);
	addInto(into.assistsByAgeBand, from.assistsByAgeBand);
	addInto(into.assistsBySkill, from.assistsBySkill);
	addActivityTotals(into.activities, from.activities);
	addOutcomeTotals(into.outcomes, from.outcomes);
	return into;
}

// The flat count columns of session_tallies, summed per team.
const SUM_COLUMNS = TALLY_COUNT_COLUMNS;
type SumColumn = (typeof SUM_COLUMNS)[number];

// PostgreSQL's SUM and COUNT are bigint; connect.ts parses them, Number() keeps that assumption local.
function totalsFromSums(sessions: unknown, s: Record<SumColumn, unknown>): Totals {
	const n = (c: SumColumn) => Number(s[c] ?? 0);
	// Built whole, in emptyTotals' shape and key order: a province report makes 5,000 of these.
	return {
		checkIns: n('check_ins'),
		distinctResidents: n('distinct_residents'),
		firstTimeResidents: n('first_time_residents'),
		residentsByGender: { male: n('residents_male'), female: n('residents_female') },
		residentsByAgeBand: { under18: n('residents_under18'), from18to39: n('residents_18_39'), from40to59: n('residents_40_59'), from60: n('residents_60plus') },
		assists: n('assists'),
		assistsByOutcome: { done: n('assists_done'), partly: n('assists_partly'), referred: n('assists_referred') },
		assistsBySkill: Object.create(null) as Record<string, number>,
		assistsByGender: { male: n('assists_male'), female: n('assists_female') },
		assistsByAgeBand: { under18: n('assists_under18'), from18to39: n('assists_18_39'), from40to59: n('assists_40_59'), from60: n('assists_60plus') },
		sessions: Number(sessions),
		activities: emptyActivityTotals(),
		outcomes: emptyOutcomeTotals()
	};
}

// ---------------------------------------------------------------------------------------------
// The unit's subtree on the dated tree (lib/server/orgHistory.ts reads it).

interface UnitNode {
	id: string;
	parentId: string | null;
	name: string;
	kind: OrgUnitKind;
}
interface TeamNode {
	id: string;
	unitId: string;
	name: string;
	level: TeamLevel;
	establishedOn: string;
}

const collator = new Intl.Collator('vi', { numeric: true });
const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
	collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const LEVEL_RANK: Record<TeamLevel, number> = { commune: 0, village: 1 };

interface Scope {
	unit: UnitNode;
	path: string[];
	/** Units of the subtree, depth-first, siblings by name; the unit first. */
	units: UnitNode[];
	children: Map<string, UnitNode[]>;
	/** Active teams of the subtree, in tree order. */
	teams: TeamNode[];
}

/**
 * The unit's subtree on the tree in force on `date` (the period's last day, domain/orgRollup.ts):
 * its names, its units and the teams placed under it that day. A team placed only after `date`
 * (tallies sent before its recorded establishment) stays under the unit it was first placed in, so
 * no tally is dropped. Archived teams are left out, as they always were.
 */
async function loadScope(db: Kysely<Database>, unitId: string, date: LocalDate, known?: { history: OrgHistory; teams: TeamRow[] }): Promise<Scope> {
	const { history, teams: allTeams } = known ?? (await loadHistoryAndTeams(db));
	const teamRows = allTeams.filter((t) => t.archived_at === null);
	const tree = treeAsOf(history, date);
	const found = tree.unit(unitId);
	if (!found) throw new UnknownUnitError(unitId);
	const node = (id: string): UnitNode => {
		const u = tree.unit(id)!;
		return { id, parentId: u.parentId, name: u.name, kind: u.kind };
	};

	const children = new Map<string, UnitNode[]>();
	const firstPlacedAfter = new Map<string, TeamPlacement>();
	for (const p of history.placements) {
		if (p.validFrom <= date) continue;
		const earlier = firstPlacedAfter.get(p.teamId);
		if (earlier === undefined || p.validFrom < earlier.validFrom) firstPlacedAfter.set(p.teamId, p);
	}
	const teamsByUnit = new Map<string, TeamNode[]>();
	for (const r of teamRows) {
		const unitOfTeam = tree.unitOfTeam(r.id) ?? firstPlacedAfter.get(r.id)?.unitId;
		if (unitOfTeam === undefined || !tree.unit(unitOfTeam)) continue;
		const t: TeamNode = { id: r.id, unitId: unitOfTeam, name: r.name, level: r.level, establishedOn: r.established_on };
		const list = teamsByUnit.get(t.unitId);
		if (list) list.push(t);
		else teamsByUnit.set(t.unitId, [t]);
	}

	// Depth-first from the unit, siblings by name; TreeAsOf guards against parent cycles in bad data.
	const unit = node(unitId);
	const units: UnitNode[] = [];
	const teams: TeamNode[] = [];
	const seen = new Set<string>();
	const stack = [unit];
	while (stack.length > 0) {
		const next = stack.pop()!;
		if (seen.has(next.id)) continue;
		seen.add(next.id);
		units.push(next);
		const own = teamsByUnit.get(next.id) ?? [];
		teams.push(...own.sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || byName(a, b)));
		const kids = tree.children(next.id).map(node);
		children.set(next.id, kids);
		for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
	}
	return { unit, path: tree.path(unitId).map((u) => u.name), units, children, teams };
}

// Both engines take far more bound parameters than this; chunks keep PostgreSQL's plans simple.
const IN_CHUNK = 1000;

async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
	const chunks: string[][] = [];
	for (let i = 0; i < ids.length; i += IN_CHUNK) chunks.push(ids.slice(i, i + IN_CHUNK));
	return (await Promise.all(chunks.map(query))).flat();
}

/** A group's skill sums as a JSON object text ({"code": assists, …}), in each engine's spelling. */
function skillsAsJson(db: Kysely<Database>) {
	return db.getExecutor().adapter instanceof PostgresAdapter
		? sql<string>`json_object_agg(skill_code, assists)::text`
		: sql<string>`json_group_object(skill_code, assists)`;
}

/** Local calendar dates of instants, with one formatter (building one per call is slow). */
function localDater(timeZone: string): (iso: string) => string {
	const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
	return (iso) => format.format(new Date(iso));
}

// ---------------------------------------------------------------------------------------------
// The report

export async function monthlyReport(
	db: Kysely<Database>,
	input: { unitId: string; period: PeriodKey; rule?: PeriodRule; now: Date; timeZone?: string }
): Promise<MonthlyReport> {
	const period = periodRange(input.period, input.rule ?? DEFAULT_PERIOD_RULE);
	const [scope, skillRows] = await Promise.all([
		loadScope(db, input.unitId, period.last),
		db.selectFrom('skills').select(['code', 'name_vi', 'name_en', 'active']).orderBy('sort').orderBy('code').execute()
	]);
	const teamIds = scope.teams.map((t) => t.id);
	const villageIds = scope.units.filter((u) => VILLAGE_KINDS.includes(u.kind)).map((u) => u.id);

	const [sumRows, skillSumRows, activityRows, groupRows, sinceStartRows, householdCounts] = await Promise.all([
		// The period sums each writer of sessions keeps (lib/server/periodTotals.ts): one row per team.
		inChunks(teamIds, (ids) =>
			db
				.selectFrom('team_period_totals')
				.select([
					'team_id',
					'sessions',
					'first_received_at',
					...SUM_COLUMNS,
					// Sessions whose tally reported outcomes (schema 1 sessions did not).
					'outcome_sessions',
					'residents_newly_proficient',
					'households_newly_covered'
				])
				.where('period', '=', period.key)
				.where('team_id', 'in', ids)
				.execute()
		),
		// Each team's skills as one JSON object: a province has ~65,000 (team, skill) sums a period,
		// and one row per team costs the driver and the report a thirteenth of that.
		inChunks(teamIds, (ids) =>
			db
				.selectFrom('team_period_skills')
				.select(['team_id', skillsAsJson(db).as('skills')])
				.where('period', '=', period.key)
				.where('team_id', 'in', ids)
				.groupBy('team_id')
				.execute()
		),
		inChunks(teamIds, (ids) =>
			db
				.selectFrom('activities')
				.select((eb) => ['team_id', 'kind', eb.fn.countAll().as('activities'), eb.fn.sum('people_reached').as('people_reached')])
				.where('period', '=', period.key)
				.where('team_id', 'in', ids)
				.where('deleted_at', 'is', null)
				.groupBy(['team_id', 'kind'])
				.execute()
		),
		inChunks(teamIds, (ids) =>
			db
				.selectFrom('team_period_groups')
				.select(['team_id', 'basic_group', 'residents'])
				.where('period', '=', period.key)
				.where('team_id', 'in', ids)
				.execute()
		),
		inChunks(teamIds, (ids) =>
			db
				.selectFrom('team_period_totals')
				.select((eb) => [
					'team_id',
					eb.fn.sum('outcome_sessions').as('outcome_sessions'),
					eb.fn.sum('residents_newly_proficient').as('proficient'),
					eb.fn.sum('households_newly_covered').as('covered')
				])
				.where('period', '<=', period.key)
				.where('team_id', 'in', ids)
				.groupBy('team_id')
				.execute()
		),
		householdCountsAsOf(db, villageIds, period.last)
	]);

	const perTeam = new Map<string, { totals: Totals; firstReceivedAt: string }>();
	for (const r of sumRows) {
		const totals = totalsFromSums(r.sessions, r as Record<SumColumn, unknown>);
		const reported = Number(r.outcome_sessions ?? 0);
		totals.outcomes.reportedSessions = reported;
		totals.outcomes.unreportedSessions = totals.sessions - reported;
		if (reported > 0) {
			totals.outcomes.residentsNewlyProficient = Number(r.residents_newly_proficient ?? 0);
			totals.outcomes.householdsNewlyCovered = Number(r.households_newly_covered ?? 0);
			totals.outcomes.residentsGainedByGroup = zeroGroups();
		}
		perTeam.set(r.team_id, { totals, firstReceivedAt: r.first_received_at });
	}
	for (const r of groupRows) {
		const gained = perTeam.get(r.team_id)?.totals.outcomes.residentsGainedByGroup;
		if (gained && isBasicSkillGroup(r.basic_group)) gained[r.basic_group] += Number(r.residents);
	}
	const sinceStart = new Map<string, { proficient: number; covered: number }>();
	for (const r of sinceStartRows) {
		if (Number(r.outcome_sessions ?? 0) > 0) sinceStart.set(r.team_id, { proficient: Number(r.proficient ?? 0), covered: Number(r.covered ?? 0) });
	}
	for (const r of skillSumRows) {
		const team = perTeam.get(r.team_id);
		if (team) Object.assign(team.totals.assistsBySkill, JSON.parse(r.skills) as Record<string, number>);
	}
	// A team whose figures an approval locked (its own, or its commune's) reports them; what arrived since stays apart (issue 13).
	const locked = await lockedTeamFigures(db, teamIds, period);
	for (const [teamId, figures] of locked) {
		const live = perTeam.get(teamId);
		if (live === undefined) continue;
		const { assistsByMember: _perMember, assistsBySkill, ...counts } = figures.figures;
		// The approval's snapshot holds the counts, not yet the outcomes (issue 14 came later): those
		// stay as stored, and are not locked.
		perTeam.set(teamId, {
			totals: { ...counts, assistsBySkill: { ...assistsBySkill }, sessions: figures.sessions, activities: emptyActivityTotals(), outcomes: live.totals.outcomes },
			firstReceivedAt: live.firstReceivedAt
		});
	}

	const activitiesOf = new Map<string, ActivityTotals>();
	for (const r of activityRows) {
		if (!isActivityKind(r.kind)) continue;
		let a = activitiesOf.get(r.team_id);
		if (!a) activitiesOf.set(r.team_id, (a = emptyActivityTotals()));
		const n = Number(r.activities);
		a.count += n;
		a.byKind[r.kind] += n;
		a.peopleReached += Number(r.people_reached ?? 0);
	}

	const localDate = localDater(input.timeZone ?? REPORT_TIME_ZONE);
	const unitNames = new Map(scope.units.map((u) => [u.id, u.name]));
	const teams: TeamStatus[] = [];
	for (const t of scope.teams) {
		const sent = perTeam.get(t.id);
		const activities = activitiesOf.get(t.id);
		// A team set up after the period ended was not expected to report for it.
		if (!sent && !activities && t.establishedOn > period.last) continue;
		const totals = sent?.totals ?? emptyTotals();
		if (activities) totals.activities = activities;
		const since = sinceStart.get(t.id);
		if (since) {
			totals.outcomes.proficientSinceStart = since.proficient;
			totals.outcomes.householdsCoveredSinceStart = since.covered;
		}
		teams.push({
			id: t.id,
			name: t.name,
			unitId: t.unitId,
			unitName: unitNames.get(t.unitId) ?? '',
			level: t.level,
			sessions: sent?.totals.sessions ?? 0,
			totals,
			// Completeness and timeliness are about the tablets' uploads; activities are typed in on the server.
			reported: !!sent,
			firstReceivedAt: sent?.firstReceivedAt ?? null,
			onTime: sent ? isOnTime(localDate(sent.firstReceivedAt), period) : null,
			...(locked.has(t.id) ? { approved: true, lateArrivals: locked.get(t.id)!.lateArrivals.length } : {})
		});
	}

	// Each unit of the subtree belongs to the row of the child it sits under.
	const rowOfUnit = new Map<string, string>();
	for (const child of scope.children.get(scope.unit.id) ?? []) rowOfUnit.set(child.id, child.id);
	for (const u of scope.units) {
		if (u.id === scope.unit.id || rowOfUnit.has(u.id) || u.parentId === null) continue;
		const row = rowOfUnit.get(u.parentId);
		if (row) rowOfUnit.set(u.id, row);
	}

	const newRow = (kind: ReportRow['kind'], id: string, name: string, unitKind: OrgUnitKind): ReportRow => ({
		kind,
		id,
		name,
		unitKind,
		totals: emptyTotals(),
		completeness: { reported: 0, active: 0 },
		timeliness: { onTime: 0, reported: 0 },
		coverage: coverageOf(null, 0, null)
	});
	const count = (into: { totals: Totals; completeness: Completeness; timeliness: Timeliness }, team: TeamStatus, withTotals = true) => {
		if (withTotals) addTotals(into.totals, team.totals);
		into.completeness.active++;
		if (team.reported) {
			into.completeness.reported++;
			into.timeliness.reported++;
			if (team.onTime) into.timeliness.onTime++;
		}
	};

	const overall = { totals: emptyTotals(), completeness: { reported: 0, active: 0 }, timeliness: { onTime: 0, reported: 0 } };
	const ownRows: ReportRow[] = [];
	const childRows = new Map<string, ReportRow>();
	for (const team of teams) {
		// The overall totals are the rows' totals added up below (and those of a team in no row).
		count(overall, team, false);
		if (team.unitId === scope.unit.id) {
			const row = newRow('team', team.id, team.name, scope.unit.kind);
			count(row, team);
			ownRows.push(row);
			continue;
		}
		const rowId = rowOfUnit.get(team.unitId);
		if (!rowId) {
			addTotals(overall.totals, team.totals);
			continue;
		}
		let row = childRows.get(rowId);
		if (!row) {
			const child = (scope.children.get(scope.unit.id) ?? []).find((c) => c.id === rowId)!;
			row = newRow('unit', child.id, child.name, child.kind);
			childRows.set(rowId, row);
		}
		count(row, team);
	}
	const rows = [...ownRows, ...[...childRows.values()].sort(byName)];
	for (const row of rows) addTotals(overall.totals, row.totals);

	// Household coverage: the villages' counts under each child unit's row, and under the whole unit.
	const counted = new Map<string, { households: number | null; uncounted: number }>();
	const tallyCount = (key: string, villageId: string) => {
		const sum = counted.get(key) ?? { households: null, uncounted: 0 };
		const count = householdCounts.get(villageId);
		if (count) sum.households = (sum.households ?? 0) + count.households;
		else sum.uncounted++;
		counted.set(key, sum);
	};
	for (const villageId of villageIds) {
		tallyCount('', villageId);
		const rowId = villageId === scope.unit.id ? undefined : rowOfUnit.get(villageId);
		if (rowId) tallyCount(rowId, villageId);
	}
	for (const row of rows) {
		if (row.kind !== 'unit') continue;
		const sum = counted.get(row.id);
		row.coverage = coverageOf(sum?.households ?? null, sum?.uncounted ?? 0, row.totals.outcomes.householdsCoveredSinceStart);
	}
	const all = counted.get('');
	const coverage = coverageOf(all?.households ?? null, all?.uncounted ?? 0, overall.totals.outcomes.householdsCoveredSinceStart);

	const skills: SkillTotal[] = [];
	const listed = new Set<string>();
	for (const s of skillRows) {
		const assists = overall.totals.assistsBySkill[s.code] ?? 0;
		listed.add(s.code);
		if (s.active === 1 || assists > 0) skills.push({ code: s.code, nameVi: s.name_vi, nameEn: s.name_en, assists });
	}
	for (const [code, assists] of Object.entries(overall.totals.assistsBySkill).sort(([a], [b]) => (a < b ? -1 : 1))) {
		if (!listed.has(code)) skills.push({ code, nameVi: code, nameEn: code, assists });
	}

	return {
		unit: { id: scope.unit.id, name: scope.unit.name, kind: scope.unit.kind, path: scope.path },
		period,
		generatedAt: input.now.toISOString(),
		total: overall.totals,
		rows,
		teams,
		completeness: overall.completeness,
		timeliness: overall.timeliness,
		skills,
		coverage
	};
}

/**
 * Sessions, residents and assists under `unitId` for the `months` periods ending at `period`,
 * oldest first, zeros included. Past periods are added up on the tree of `period`'s last day
 * (rollUpForTrend): a commune formed by a merger shows its former units' figures, with no cliff on
 * the day of the merger. One grouped query (per chunk of team ids).
 */
export async function trend(db: Kysely<Database>, input: { unitId: string; period: PeriodKey; months?: number; rule?: PeriodRule }): Promise<TrendPoint[]> {
	const months = Math.max(1, Math.floor(input.months ?? 12));
	const rule = input.rule ?? DEFAULT_PERIOD_RULE;
	const keys = Array.from({ length: months }, (_, i) => shiftPeriod(input.period, i - months + 1));
	const today = periodRange(input.period, rule).last;
	const read = await loadHistoryAndTeams(db);
	const { history } = read;
	const scope = await loadScope(db, input.unitId, today, read);
	const rows = await inChunks(
		scope.teams.map((t) => t.id),
		(ids) =>
			db
				.selectFrom('team_period_totals')
				.select(['period', 'team_id', 'sessions', 'distinct_residents as residents', 'assists'])
				// 'YYYY-MM' keys sort as text: a range scan on the (period, team_id) key.
				.where('period', '>=', keys[0]!)
				.where('period', '<=', input.period)
				.where('team_id', 'in', ids)
				.execute()
	);
	// Each period's per-team sums, dated on the period's last day, rolled up as rollUpForTrend does.
	const byPeriod = new Map<string, DatedTally<TrendSums>[]>();
	for (const r of rows) {
		const last = periodRange(r.period, rule).last;
		const list = byPeriod.get(r.period) ?? [];
		list.push({ teamId: r.team_id, date: last, counts: { sessions: Number(r.sessions), residents: Number(r.residents), assists: Number(r.assists) } });
		byPeriod.set(r.period, list);
	}
	return keys.map((key) => {
		const range = periodRange(key, rule);
		const rolled = rollUpForTrend(history, range, today, byPeriod.get(key) ?? [], TREND_SUM);
		return { period: key, ...(rolled.byUnit.get(input.unitId) ?? TREND_SUM.zero()) };
	});
}

type TrendSums = Omit<TrendPoint, 'period'>;
const TREND_SUM: Summing<TrendSums> = {
	zero: () => ({ sessions: 0, residents: 0, assists: 0 }),
	add: (a, b) => ({ sessions: a.sessions + b.sessions, residents: a.residents + b.residents, assists: a.assists + b.assists })
};

/** "Compare with last year": the period and the same period a year before, on this period's tree. */
export async function compareWithLastYear(
	db: Kysely<Database>,
	input: { unitId: string; period: PeriodKey; rule?: PeriodRule }
): Promise<{ current: TrendPoint; lastYear: TrendPoint }> {
	const points = await trend(db, { ...input, months: 13 });
	return { current: points[12]!, lastYear: points[0]! };
}
