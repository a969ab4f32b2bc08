// Where a team's report for one period stands, from what the server holds: its submission, its
// sessions, the approval log. Pure, so the admin pages, the API, the exports and the tablet's
// "returned" note all say the same thing.
import { localDateOf, type LocalDate, type Period } from './period';
import { approvalStatus, type ApprovalEvent } from './approval';
import type { SessionRef, StoredSubmission } from './submission';

export type TeamPeriodState =
	| 'not_started'
	| 'in_progress'
	| 'submitted'
	| 'submitted_late'
	| 'changed_since_submitted'
	| 'returned'
	| 'approved';

export const TEAM_PERIOD_STATES: readonly TeamPeriodState[] = [
	'not_started',
	'in_progress',
	'submitted',
	'submitted_late',
	'changed_since_submitted',
	'returned',
	'approved'
];

/**
 * on_time: the submission and every session it names were on the server by the deadline (DHIS2's
 * "on time"). held_up_offline: late at the server, but every session ended and the submission was
 * made on the tablet by the deadline: the network, not the team. late: made after the deadline.
 * pending: not all on the server yet, and the deadline has not passed.
 */
export type Timeliness = 'on_time' | 'held_up_offline' | 'late' | 'pending';

/** A session as the server holds it for the team and period. */
export interface HeldSession {
	sessionId: string;
	/** The highest version the server holds. */
	version: number;
	/** When the session ended, by the tablet's clock (ISO instant). */
	endedAt: string;
	/** When the server got the version it holds (ISO instant). */
	receivedAt: string;
}

export interface SessionChange {
	sessionId: string;
	/** The version the submission names, or null: closed after the submission. */
	submittedVersion: number | null;
	heldVersion: number;
}

export interface TeamPeriodInput {
	teamId: string;
	period: Period;
	/** Whether the team was expected to report for the period (completeness.isExpected). */
	expected: boolean;
	submission: StoredSubmission | null;
	sessions: readonly HeldSession[];
	/** The team's approval log for the period. */
	approvalLog: readonly ApprovalEvent[];
	/** The server's today, in the hall's time zone. */
	today: LocalDate;
	timeZone?: string;
}

export interface TeamPeriodStatus {
	teamId: string;
	state: TeamPeriodState;
	expected: boolean;
	/** Named by the submission, not (yet) on the server at that version: "waiting for N sessions". */
	waitingFor: SessionRef[];
	/** Held sessions the submission does not name, or at a newer version than it names. */
	changedSince: SessionChange[];
	/** null when nothing is submitted. */
	timeliness: Timeliness | null;
	/** When the submission and every session it names were all on the server (null: not yet). */
	completeAt: string | null;
	/** The officer's note while the report is returned. */
	returnNote: string | null;
	/** The approval in force, for "approved by … on …". */
	approvedBy: string | null;
	approvedAt: string | null;
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

/** The submission's timeliness given the sessions held (see Timeliness). */
export function timelinessOf(
	submission: StoredSubmission,
	sessions: readonly HeldSession[],
	period: Period,
	today: LocalDate,
	timeZone = 'Asia/Ho_Chi_Minh'
): { timeliness: Timeliness; completeAt: string | null; waitingFor: SessionRef[] } {
	const held = new Map(sessions.map((s) => [s.sessionId, s]));
	const waitingFor = submission.sessions.filter((r) => (held.get(r.sessionId)?.version ?? 0) < r.version);
	const dayOf = (instant: string) => localDateOf(new Date(instant), timeZone);
	let completeAt: string | null = null;
	if (waitingFor.length === 0) {
		// A session held at a newer version than named (changed since) counts from when that newer
		// version arrived: the server keeps no arrival time per version, so this errs towards late.
		completeAt = submission.receivedAt;
		for (const r of submission.sessions) completeAt = later(completeAt, held.get(r.sessionId)!.receivedAt);
	}
	if (completeAt !== null ? dayOf(completeAt) <= period.deadline : today <= period.deadline) {
		return { timeliness: completeAt !== null ? 'on_time' : 'pending', completeAt, waitingFor };
	}
	const madeInTime =
		dayOf(submission.submittedAt) <= period.deadline &&
		submission.sessions.every((r) => {
			const session = held.get(r.sessionId);
			// A session still on its way was closed before the submission named it.
			return !session || dayOf(session.endedAt) <= period.deadline;
		});
	return { timeliness: madeInTime ? 'held_up_offline' : 'late', completeAt, waitingFor };
}

/**
 * After a reopen, the sessions that reached the server while the report stood approved are the
 * late arrivals the officer saw (with their effect) and reopened for: they do not make the report
 * "changed since submitted", so the officer can approve it again with them. This is the time from
 * the approval that was reopened to the reopen, or null when there is no such reopen (or the team
 * has submitted since, which covers every session it means to).
 */
function reopenedApprovalAt(log: readonly ApprovalEvent[], submission: StoredSubmission): { from: number; to: number } | null {
	const events = [...log].sort((a, b) => a.seq - b.seq);
	const reopenAt = events.findLastIndex((e) => e.action === 'reopen');
	if (reopenAt < 0 || events.slice(reopenAt).some((e) => e.action === 'return')) return null;
	const reopened = events.slice(0, reopenAt).findLast((e) => e.action === 'approve');
	if (!reopened || Date.parse(submission.receivedAt) > Date.parse(reopened.at)) return null;
	return { from: Date.parse(reopened.at), to: Date.parse(events[reopenAt]!.at) };
}

export function teamPeriodState(input: TeamPeriodInput): TeamPeriodStatus {
	const approval = approvalStatus(input.approvalLog);
	const { submission } = input;
	const base: TeamPeriodStatus = {
		teamId: input.teamId,
		state: input.sessions.length > 0 ? 'in_progress' : 'not_started',
		expected: input.expected,
		waitingFor: [],
		changedSince: [],
		timeliness: null,
		completeAt: null,
		returnNote: null,
		approvedBy: approval.approvals[0]?.by ?? null,
		approvedAt: approval.approvals[0]?.at ?? null
	};
	if (submission) {
		const named = new Map(submission.sessions.map((r) => [r.sessionId, r.version]));
		const excusedAfter = approval.approvals.length === 0 ? reopenedApprovalAt(input.approvalLog, submission) : null;
		base.changedSince = input.sessions
			.filter((s) => s.version > (named.get(s.sessionId) ?? 0))
			.filter((s) => excusedAfter === null || !(Date.parse(s.receivedAt) > excusedAfter.from && Date.parse(s.receivedAt) <= excusedAfter.to))
			.map((s) => ({ sessionId: s.sessionId, submittedVersion: named.get(s.sessionId) ?? null, heldVersion: s.version }));
		const t = timelinessOf(submission, input.sessions, input.period, input.today, input.timeZone);
		base.timeliness = t.timeliness;
		base.completeAt = t.completeAt;
		base.waitingFor = t.waitingFor;
	}
	if (approval.approvals.length > 0) return { ...base, state: 'approved' };
	// Returned until the team submits again after the officer's note.
	const returned = approval.returned;
	if (returned && (!submission || Date.parse(submission.receivedAt) <= Date.parse(returned.at))) {
		return { ...base, state: 'returned', returnNote: returned.note };
	}
	if (!submission) return base;
	if (base.changedSince.length > 0) return { ...base, state: 'changed_since_submitted' };
	const late = base.timeliness === 'late' || base.timeliness === 'held_up_offline';
	return { ...base, state: late ? 'submitted_late' : 'submitted' };
}
