// What the period's approval rules read from the database (issue 13): each team's sessions with
// their counts, the submissions in force, the approval logs; and the figures an approval locked,
// which the monthly report shows in place of what is held now (late arrivals apart).
import type { Kysely } from 'kysely';
import { approvalStatus, lockedSnapshot, type ApprovalEvent } from '$lib/domain/approval';
import { periodFigures, type PeriodFigures, type SessionFigures } from '$lib/domain/lockedFigures';
import type { Period, PeriodKey } from '$lib/domain/period';
import { treeAsOf } from '$lib/domain/orgHistory';
import { loadHistoryAndTeams } from './orgHistory';
import type { SessionRef, StoredSubmission } from '$lib/domain/submission';
import { emptyCounts, type Counts } from '$lib/domain/tally';
import type { HeldSession } from '$lib/domain/teamPeriodState';
import type { Database } from './db/schema';

export type HeldFigures = HeldSession & SessionFigures;

const IN_CHUNK = 500;
/** Runs `query` on chunks of `ids` (bound parameters stay few), one after another. */
export async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
	const out: T[] = [];
	for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await query(ids.slice(i, i + IN_CHUNK))));
	return out;
}

/** Each team's sessions of the period as the server holds them (highest version), with their counts. */
export async function heldSessions(db: Kysely<Database>, teamIds: readonly string[], period: PeriodKey): Promise<Map<string, HeldFigures[]>> {
	const rows = await inChunks(teamIds, (ids) =>
		db.selectFrom('session_tallies').selectAll().where('period', '=', period).where('team_id', 'in', ids).orderBy('session_id').execute()
	);
	const sessionIds = rows.map((r) => r.session_id);
	const [skills, members] = await Promise.all([
		inChunks(sessionIds, (ids) => db.selectFrom('tally_skill_counts').selectAll().where('session_id', 'in', ids).execute()),
		inChunks(sessionIds, (ids) => db.selectFrom('tally_member_counts').selectAll().where('session_id', 'in', ids).execute())
	]);
	const counts = new Map<string, Counts>();
	for (const r of rows) {
		const c = emptyCounts();
		c.checkIns = r.check_ins;
		c.distinctResidents = r.distinct_residents;
		c.firstTimeResidents = r.first_time_residents;
		c.residentsByGender = { male: r.residents_male, female: r.residents_female };
		c.residentsByAgeBand = { under18: r.residents_under18, from18to39: r.residents_18_39, from40to59: r.residents_40_59, from60: r.residents_60plus };
		c.assists = r.assists;
		c.assistsByOutcome = { done: r.assists_done, partly: r.assists_partly, referred: r.assists_referred };
		c.assistsByGender = { male: r.assists_male, female: r.assists_female };
		c.assistsByAgeBand = { under18: r.assists_under18, from18to39: r.assists_18_39, from40to59: r.assists_40_59, from60: r.assists_60plus };
		counts.set(r.session_id, c);
	}
	for (const k of skills) counts.get(k.session_id)!.assistsBySkill[k.skill_code] = k.count;
	for (const k of members) counts.get(k.session_id)!.assistsByMember[k.member_id] = k.count;
	const byTeam = new Map<string, HeldFigures[]>();
	for (const r of rows) {
		const list = byTeam.get(r.team_id) ?? [];
		// The version held arrived at updated_at (received_at is the first version's arrival).
		list.push({ sessionId: r.session_id, version: r.version, endedAt: r.ended_at, receivedAt: r.updated_at, counts: counts.get(r.session_id)! });
		byTeam.set(r.team_id, list);
	}
	return byTeam;
}

/** The submissions in force for the teams and period. */
export async function currentSubmissions(db: Kysely<Database>, teamIds: readonly string[], period: PeriodKey): Promise<Map<string, StoredSubmission>> {
	const rows = await inChunks(teamIds, (ids) =>
		db.selectFrom('period_submissions').selectAll().where('period', '=', period).where('state', '=', 'current').where('team_id', 'in', ids).execute()
	);
	return new Map(
		rows.map((r) => [
			r.team_id,
			{
				schema: 1,
				submissionId: r.submission_id,
				teamId: r.team_id,
				period: r.period,
				sessions: JSON.parse(r.sessions) as SessionRef[],
				submittedAt: r.submitted_at,
				receivedAt: r.received_at
			}
		])
	);
}

export interface LoggedEvent extends ApprovalEvent {
	/** The officer's name when they acted. */
	byName: string;
}

/** The subjects' approval logs for the period, in seq order. */
export async function approvalLogs(
	db: Kysely<Database>,
	kind: 'team' | 'unit',
	ids: readonly string[],
	period: PeriodKey
): Promise<Map<string, LoggedEvent[]>> {
	const rows = await inChunks(ids, (chunk) =>
		db
			.selectFrom('approval_events')
			.selectAll()
			.where('subject_kind', '=', kind)
			.where('period', '=', period)
			.where('subject_id', 'in', chunk)
			.orderBy('seq')
			.execute()
	);
	const logs = new Map<string, LoggedEvent[]>();
	for (const r of rows) {
		const list = logs.get(r.subject_id) ?? [];
		list.push({
			seq: r.seq,
			action: r.action,
			level: r.level,
			at: r.at,
			by: r.actor,
			byName: r.actor_name,
			note: r.note,
			...(r.snapshot ? { snapshot: JSON.parse(r.snapshot) as SessionFigures[] } : {})
		});
		logs.set(r.subject_id, list);
	}
	return logs;
}

/**
 * The figures of each team whose period's figures stand locked: by its own approval's snapshot, or
 * else, when its commune approved the period, by the commune's snapshot (the team's sessions in
 * it); what arrived since is apart. Teams whose figures are not locked are not in the map.
 */
export async function lockedTeamFigures(
	db: Kysely<Database>,
	teamIds: readonly string[],
	period: Pick<Period, 'key' | 'last'>
): Promise<Map<string, PeriodFigures>> {
	const [teamLogs, unitEvents] = await Promise.all([
		approvalLogs(db, 'team', teamIds, period.key),
		db.selectFrom('approval_events').select('subject_id').distinct().where('subject_kind', '=', 'unit').where('period', '=', period.key).execute()
	]);
	const snapshots = new Map<string, readonly SessionFigures[]>();
	for (const [id, log] of teamLogs) {
		const snapshot = lockedSnapshot(approvalStatus(log));
		if (snapshot) snapshots.set(id, snapshot);
	}
	// A commune's approval locks its teams that have none of their own, on the tree of the period's last day.
	const byCommune = new Map<string, string>();
	if (unitEvents.length > 0) {
		const unitLogs = await approvalLogs(db, 'unit', unitEvents.map((u) => u.subject_id), period.key);
		const communeLocks = new Map<string, readonly SessionFigures[]>();
		for (const [id, log] of unitLogs) {
			const snapshot = lockedSnapshot(approvalStatus(log));
			if (snapshot) communeLocks.set(id, snapshot);
		}
		if (communeLocks.size > 0) {
			const tree = treeAsOf((await loadHistoryAndTeams(db)).history, period.last);
			for (const id of teamIds) {
				if (snapshots.has(id)) continue;
				const unitId = tree.unitOfTeam(id);
				const commune = unitId ? tree.path(unitId).reverse().find((u) => communeLocks.has(u.id)) : undefined;
				if (commune) byCommune.set(id, commune.id);
			}
			const held = await heldSessions(db, [...byCommune.keys()], period.key);
			for (const [teamId, communeId] of byCommune) {
				const own = new Set((held.get(teamId) ?? []).map((s) => s.sessionId));
				snapshots.set(teamId, communeLocks.get(communeId)!.filter((s) => own.has(s.sessionId)));
			}
		}
	}
	const out = new Map<string, PeriodFigures>();
	if (snapshots.size === 0) return out;
	const held = await heldSessions(db, [...snapshots.keys()], period.key);
	for (const [id, snapshot] of snapshots) out.set(id, periodFigures(snapshot, held.get(id) ?? []));
	return out;
}
