// Where each team's and commune's report for a period stands, and the officer's approve / return /
// reopen (issue 13). The rules are the domain's (teamPeriodState, approval, lockedFigures,
// completeness); this module reads what they need from the database and appends their events.
// Every event goes into approval_events, whose (subject, period, seq) key makes two officers acting
// at once give one approval: the second insert finds its seq taken, re-reads and re-decides.
import type { Kysely, Transaction } from 'kysely';
import { approvalStatus, decideApproval, lockedSnapshot, planBulkApproval, type ApprovalAction, type ApprovalEvent, type ApprovalLevel, type ApprovalRefusalCode } from '$lib/domain/approval';
import { communePeriodState, isExpected, type CommunePeriodStatus } from '$lib/domain/completeness';
import { communeSnapshot, periodFigures, teamSnapshot, type PeriodFigures } from '$lib/domain/lockedFigures';
import { DEFAULT_PERIOD_RULE, localDateOf, periodRange, type Period, type PeriodKey, type PeriodRule } from '$lib/domain/period';
import { teamPeriodState, type TeamPeriodStatus } from '$lib/domain/teamPeriodState';
import { recordAudit } from './audit';
import { canSeeUnit } from './auth';
import type { Database, OrgUnitKind, User } from './db/schema';
import { InputError } from './inputError';
import { loadTree } from './orgTree';
import { loadHistoryAndTeams } from './orgHistory';
import { treeAsOf } from '$lib/domain/orgHistory';
import { approvalLogs, currentSubmissions, heldSessions, inChunks, type LoggedEvent } from './periodData';
import { monthlyReport, REPORT_TIME_ZONE } from './reports/monthly';

export { approvalLogs, currentSubmissions, heldSessions, type LoggedEvent } from './periodData';

/** The units whose period is approved as one: a commune (or a ward, a town) and its villages' teams. */
export const COMMUNE_KINDS: readonly OrgUnitKind[] = ['commune', 'ward', 'town'];
export const isCommuneKind = (kind: OrgUnitKind) => COMMUNE_KINDS.includes(kind);

// ---------------------------------------------------------------------------------------------
// A commune's period

export interface TeamPeriodView {
	id: string;
	name: string;
	unitName: string;
	status: TeamPeriodStatus;
	submission: { submittedAt: string; receivedAt: string; sessions: number } | null;
	/** Sessions the server holds for the period. */
	sessionsHeld: number;
	/** What the report counts: the approved figures while approved, late arrivals apart. */
	figures: PeriodFigures;
	approvedByName: string | null;
	/** The team's log, newest first, without the snapshots. */
	history: Omit<LoggedEvent, 'snapshot'>[];
}

export interface UnitPeriodView {
	unit: { id: string; name: string; kind: OrgUnitKind; path: string[] };
	period: Period;
	teams: TeamPeriodView[];
	status: CommunePeriodStatus;
	/** The commune's figures: its approval's snapshot when it approved the period. */
	figures: PeriodFigures;
	/** The approvals in force (commune, then province), for "approved by … on …". */
	approvals: { level: ApprovalLevel; at: string; byName: string }[];
	history: Omit<LoggedEvent, 'snapshot'>[];
}

const withoutSnapshot = ({ snapshot: _snapshot, ...event }: LoggedEvent) => event;

/** Where the commune-level unit's period stands, each team with its state and figures. */
export async function unitPeriodView(
	db: Kysely<Database>,
	input: { unitId: string; period: PeriodKey; rule?: PeriodRule; now: Date; timeZone?: string }
): Promise<UnitPeriodView> {
	const rule = input.rule ?? DEFAULT_PERIOD_RULE;
	const timeZone = input.timeZone ?? REPORT_TIME_ZONE;
	const period = periodRange(input.period, rule);
	// The teams the report counts: those placed under the unit on the period's last day; and those
	// archived since, which the report leaves out but which still owe the months they worked.
	const [report, dated] = await Promise.all([
		monthlyReport(db, { unitId: input.unitId, period: input.period, rule, now: input.now, timeZone }),
		loadHistoryAndTeams(db)
	]);
	const tree = treeAsOf(dated.history, period.last);
	const under = new Set(tree.descendantIds(input.unitId));
	const listed = new Set(report.teams.map((t) => t.id));
	const archived = dated.teams
		.filter((t) => t.archived_at !== null && !listed.has(t.id))
		.flatMap((t) => {
			const unitId = tree.unitOfTeam(t.id);
			return unitId && under.has(unitId) ? [{ id: t.id, name: t.name, unitName: tree.unit(unitId)?.name ?? '' }] : [];
		});
	const reportTeams = [...report.teams, ...archived];
	const teamIds = reportTeams.map((t) => t.id);
	const [lifetimes, held, submissions, teamLogs, unitLogs] = await Promise.all([
		inChunks(teamIds, (ids) => db.selectFrom('teams').select(['id', 'established_on', 'archived_at']).where('id', 'in', ids).execute()),
		heldSessions(db, teamIds, input.period),
		currentSubmissions(db, teamIds, input.period),
		approvalLogs(db, 'team', teamIds, input.period),
		approvalLogs(db, 'unit', [input.unitId], input.period)
	]);
	const lifetime = new Map(lifetimes.map((t) => [t.id, t]));
	const today = localDateOf(input.now, timeZone);
	const teams = reportTeams.map((t): TeamPeriodView => {
		const life = lifetime.get(t.id);
		const sessions = held.get(t.id) ?? [];
		const log = teamLogs.get(t.id) ?? [];
		const submission = submissions.get(t.id) ?? null;
		const status = teamPeriodState({
			teamId: t.id,
			period,
			expected: life ? isExpected({ establishedOn: life.established_on, endedOn: life.archived_at ? localDateOf(new Date(life.archived_at), timeZone) : null }, period) : false,
			submission,
			sessions,
			approvalLog: log,
			today,
			timeZone
		});
		const approval = approvalStatus(log);
		return {
			id: t.id,
			name: t.name,
			unitName: t.unitName,
			status,
			submission: submission ? { submittedAt: submission.submittedAt, receivedAt: submission.receivedAt, sessions: submission.sessions.length } : null,
			sessionsHeld: sessions.length,
			figures: periodFigures(lockedSnapshot(approval), sessions),
			approvedByName: (approval.approvals[0] as LoggedEvent | undefined)?.byName ?? null,
			history: log.map(withoutSnapshot).reverse()
		};
	});
	const unitLog = unitLogs.get(input.unitId) ?? [];
	const unitApproval = approvalStatus(unitLog);
	const current = teams.flatMap((t) => held.get(t.id) ?? []);
	return {
		unit: report.unit,
		period,
		teams,
		status: communePeriodState(input.unitId, teams.map((t) => t.status), unitLog),
		figures: periodFigures(lockedSnapshot(unitApproval), current),
		approvals: unitApproval.approvals.map((a) => ({ level: a.level, at: a.at, byName: (a as LoggedEvent).byName })),
		history: unitLog.map(withoutSnapshot).reverse()
	};
}

// ---------------------------------------------------------------------------------------------
// Who may act

export interface ApprovalRights {
	/** Approve, return and reopen the unit's teams and the unit's own period (its commune officer, an admin). */
	commune: boolean;
	/** Approve, return and reopen the unit's period as the province (an officer above it, an admin). */
	province: boolean;
}

/** What `user` may do with the commune-level unit's period; nothing for a leader or out of reach. */
export async function approvalRights(db: Kysely<Database>, user: User, unitId: string): Promise<ApprovalRights> {
	const none = { commune: false, province: false };
	if (user.role === 'admin') return { commune: true, province: true };
	if (user.role !== 'officer' || !user.unit_id) return none;
	const tree = await loadTree(db);
	if (!tree.byId(unitId) || !canSeeUnit(user, unitId, tree)) return none;
	return { commune: true, province: user.unit_id !== unitId };
}

// ---------------------------------------------------------------------------------------------
// Acting

export class ApprovalRefused extends InputError {
	constructor(readonly refusal: ApprovalRefusalCode, field: string | null) {
		super(field, refusal, `approval refused: ${refusal}`);
		this.name = 'ApprovalRefused';
	}
}

export interface Actor {
	user: User;
	now: Date;
}

type AppendResult = { outcome: 'recorded' | 'unchanged'; event: ApprovalEvent };

/**
 * Decides and appends one event to a subject's log, in `trx`. When another officer's event took
 * the seq first (ON CONFLICT DO NOTHING finds the key taken), reads the log again and decides again.
 */
async function append(
	trx: Transaction<Database>,
	subject: { kind: 'team' | 'unit'; id: string; period: PeriodKey },
	decide: () => Promise<ReturnType<typeof decideApproval>>,
	actor: Actor
): Promise<AppendResult> {
	for (let attempt = 0; attempt < 5; attempt++) {
		const decision = await decide();
		if (!decision.ok) throw new ApprovalRefused(decision.code, decision.field);
		if (decision.outcome === 'unchanged') return { outcome: 'unchanged', event: decision.event };
		const { event } = decision;
		const inserted = await trx
			.insertInto('approval_events')
			.values({
				subject_kind: subject.kind,
				subject_id: subject.id,
				period: subject.period,
				seq: event.seq,
				action: event.action,
				level: event.level,
				actor: actor.user.id,
				actor_name: actor.user.display_name,
				note: event.note,
				at: event.at,
				snapshot: event.snapshot ? JSON.stringify(event.snapshot) : null
			})
			.onConflict((oc) => oc.columns(['subject_kind', 'subject_id', 'period', 'seq']).doNothing())
			.returning('seq')
			.executeTakeFirst();
		if (!inserted) continue;
		await recordAudit(trx, {
			actor: `user:${actor.user.id}`,
			action: `${subject.kind === 'team' ? 'team' : 'unit'}.period.${event.action}`,
			subject: `${subject.kind}:${subject.id}`,
			detail: { period: subject.period, level: event.level, seq: event.seq, ...(event.note ? { note: event.note } : {}), ...(event.snapshot ? { sessions: event.snapshot.length } : {}) },
			now: actor.now
		});
		return { outcome: 'recorded', event };
	}
	throw new Error('approval: the log kept changing under this request');
}

interface PeriodInput {
	unitId: string;
	period: PeriodKey;
	rule?: PeriodRule;
	timeZone?: string;
}

async function teamContext(trx: Kysely<Database>, input: PeriodInput & { teamId: string }, now: Date) {
	const view = await unitPeriodView(trx, { ...input, now });
	const team = view.teams.find((t) => t.id === input.teamId);
	if (!team) throw new InputError('teamId', 'teamNotInUnit', 'This team does not report to this unit for this period.');
	const unitStatus = approvalStatus((await approvalLogs(trx, 'unit', [input.unitId], input.period)).get(input.unitId) ?? []);
	const log = (await approvalLogs(trx, 'team', [input.teamId], input.period)).get(input.teamId) ?? [];
	const held = (await heldSessions(trx, [input.teamId], input.period)).get(input.teamId) ?? [];
	return { team: team.status, status: approvalStatus(log), lockedAbove: unitStatus.approvals.length > 0, snapshot: teamSnapshot(held) };
}

async function communeUnit(db: Kysely<Database>, unitId: string) {
	const unit = await db.selectFrom('org_units').select(['id', 'kind']).where('id', '=', unitId).executeTakeFirst();
	if (!unit) throw new InputError('unitId', 'unitNotFound', 'No such unit.');
	if (!isCommuneKind(unit.kind)) throw new InputError('unitId', 'notCommune', 'Only a commune, ward or town approves its period.');
}

/** The commune officer approves, returns (note) or reopens (reason) one team's report. */
export async function actOnTeam(
	db: Kysely<Database>,
	input: PeriodInput & { teamId: string; action: ApprovalAction; note?: unknown },
	actor: Actor
): Promise<AppendResult> {
	return decideInCommune(db, input.unitId, { kind: 'team', id: input.teamId, period: input.period }, actor, async (trx) => {
		const context = await teamContext(trx, input, actor.now);
		return decideApproval(
			{ action: input.action, level: 'commune', by: actor.user.id, at: actor.now.toISOString(), note: input.note },
			{ kind: 'team', ...context }
		);
	});
}

/** One decision on a commune's period or one of its teams', checked to be a commune's, in a transaction of its own. */
async function decideInCommune(
	db: Kysely<Database>,
	unitId: string,
	subject: { kind: 'team' | 'unit'; id: string; period: PeriodKey },
	actor: Actor,
	decide: (trx: Transaction<Database>) => Promise<ReturnType<typeof decideApproval>>
): Promise<AppendResult> {
	await communeUnit(db, unitId);
	return db.transaction().execute((trx) => append(trx, subject, () => decide(trx), actor));
}

export interface BulkResult {
	approved: string[];
	/** Already approved by someone else meanwhile. */
	unchanged: string[];
	skipped: { teamId: string; code: ApprovalRefusalCode }[];
}

/** "Approve all submitted": every team whose report is submitted, whole and unchanged, in one transaction. */
export async function approveAllTeams(db: Kysely<Database>, input: PeriodInput, actor: Actor): Promise<BulkResult> {
	await communeUnit(db, input.unitId);
	return db.transaction().execute(async (trx) => {
		const view = await unitPeriodView(trx, { ...input, now: actor.now });
		if (view.approvals.length > 0) throw new ApprovalRefused('lockedAbove', null);
		const plan = planBulkApproval(view.teams.map((t) => t.status));
		const held = await heldSessions(trx, plan.approve, input.period);
		const logs = await approvalLogs(trx, 'team', plan.approve, input.period);
		const result: BulkResult = { approved: [], unchanged: [], skipped: plan.skipped };
		const statusOf = new Map(view.teams.map((t) => [t.id, t.status]));
		for (const teamId of plan.approve) {
			let first = true;
			const done = await append(
				trx,
				{ kind: 'team', id: teamId, period: input.period },
				async () => {
					// The first decision uses what was read for the whole commune; a retry re-reads the team.
					const log = first ? (logs.get(teamId) ?? []) : ((await approvalLogs(trx, 'team', [teamId], input.period)).get(teamId) ?? []);
					first = false;
					return decideApproval(
						{ action: 'approve', level: 'commune', by: actor.user.id, at: actor.now.toISOString() },
						{ kind: 'team', status: approvalStatus(log), lockedAbove: false, team: statusOf.get(teamId)!, snapshot: teamSnapshot(held.get(teamId) ?? []) }
					);
				},
				actor
			);
			(done.outcome === 'recorded' ? result.approved : result.unchanged).push(teamId);
		}
		return result;
	});
}

/** The commune's period: approve / reopen at the commune level; approve / return / reopen at the province's. */
export async function actOnUnit(
	db: Kysely<Database>,
	input: PeriodInput & { action: ApprovalAction; level: ApprovalLevel; note?: unknown },
	actor: Actor
): Promise<AppendResult> {
	return decideInCommune(db, input.unitId, { kind: 'unit', id: input.unitId, period: input.period }, actor, async (trx) => {
		const view = await unitPeriodView(trx, { ...input, now: actor.now });
		const log = (await approvalLogs(trx, 'unit', [input.unitId], input.period)).get(input.unitId) ?? [];
		const held = await heldSessions(trx, view.teams.map((t) => t.id), input.period);
		const teamLogs = await approvalLogs(trx, 'team', view.teams.map((t) => t.id), input.period);
		const snapshot = communeSnapshot(
			view.teams.map((t) => ({ snapshot: lockedSnapshot(approvalStatus(teamLogs.get(t.id) ?? [])), current: held.get(t.id) ?? [] }))
		);
		return decideApproval(
			{ action: input.action, level: input.level, by: actor.user.id, at: actor.now.toISOString(), note: input.note },
			{ kind: 'commune', status: approvalStatus(log), lockedAbove: false, teams: view.teams.map((t) => t.status), snapshot }
		);
	});
}

// ---------------------------------------------------------------------------------------------
// The province's view

export interface CommuneSummary {
	id: string;
	name: string;
	status: CommunePeriodStatus;
	approvals: { level: ApprovalLevel; at: string; byName: string }[];
}

/** Each commune-level unit under `unitId` (itself included when it is one), with its period's state. */
export async function communesUnder(db: Kysely<Database>, input: { unitId: string; period: PeriodKey; rule?: PeriodRule; now: Date }): Promise<CommuneSummary[]> {
	const tree = await loadTree(db);
	const ids = tree.descendantIds(input.unitId).filter((id) => {
		const unit = tree.byId(id);
		return !!unit && isCommuneKind(unit.kind);
	});
	const out: CommuneSummary[] = [];
	for (const id of ids) {
		const view = await unitPeriodView(db, { unitId: id, period: input.period, rule: input.rule, now: input.now }).catch(() => null);
		if (view) out.push({ id, name: view.unit.name, status: view.status, approvals: view.approvals });
	}
	return out;
}

/** The approval state a report carries (screen, print): a commune's, or how much of a province's is approved. */
export type ApprovalSummary =
	| {
			kind: 'commune';
			state: CommunePeriodStatus['state'];
			approvals: { level: ApprovalLevel; at: string; byName: string }[];
			submitted: number;
			expected: number;
			approvedTeams: number;
			/** Each team's report: for exports (state, submission times, who approved). */
			teams: { id: string; name: string; state: TeamPeriodStatus['state']; submittedAt: string | null; receivedAt: string | null; approvedBy: string | null; approvedAt: string | null; lateArrivals: number }[];
	  }
	| { kind: 'province'; communes: number; approvedCommunes: number; submittedCommunes: number; approvedTeams: number; expectedTeams: number };

export async function approvalSummary(
	db: Kysely<Database>,
	input: { unitId: string; period: PeriodKey; rule?: PeriodRule; now: Date }
): Promise<ApprovalSummary | null> {
	const unit = await db.selectFrom('org_units').select('kind').where('id', '=', input.unitId).executeTakeFirst();
	if (!unit || unit.kind === 'village' || unit.kind === 'residentialGroup') return null;
	if (isCommuneKind(unit.kind)) {
		const view = await unitPeriodView(db, input);
		const c = view.status.completeness;
		const teams = view.teams.map((t) => ({
			id: t.id,
			name: t.name,
			state: t.status.state,
			submittedAt: t.submission?.submittedAt ?? null,
			receivedAt: t.submission?.receivedAt ?? null,
			approvedBy: t.approvedByName,
			approvedAt: t.status.approvedAt,
			lateArrivals: t.figures.lateArrivals.length
		}));
		return { kind: 'commune', state: view.status.state, approvals: view.approvals, submitted: c.submitted, expected: c.expected, approvedTeams: c.approved, teams };
	}
	const communes = await communesUnder(db, input);
	const sum = (f: (c: CommuneSummary) => number) => communes.reduce((n, c) => n + f(c), 0);
	return {
		kind: 'province',
		communes: communes.length,
		approvedCommunes: communes.filter((c) => c.status.state === 'approved').length,
		submittedCommunes: communes.filter((c) => c.status.state === 'submitted' || c.status.state === 'approved').length,
		approvedTeams: sum((c) => c.status.completeness.approved),
		expectedTeams: sum((c) => c.status.completeness.expected)
	};
}
