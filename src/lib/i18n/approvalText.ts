// Period submission and approval in the words the tablet, the admin pages and the exports show.
import { m } from '$lib/paraglide/messages.js';
import type { ApprovalRefusalCode } from '$lib/domain/approval';
import type { CommunePeriodState } from '$lib/domain/completeness';
import type { LateArrival } from '$lib/domain/lockedFigures';
import { MAX_SESSIONS_PER_SUBMISSION, type SubmissionOutcome, type SubmissionRefusal } from '$lib/domain/submission';
import type { TeamPeriodState, TeamPeriodStatus, Timeliness } from '$lib/domain/teamPeriodState';

export function teamStateText(state: TeamPeriodState): string {
	return {
		not_started: m.appr_team_not_started,
		in_progress: m.appr_team_in_progress,
		submitted: m.appr_team_submitted,
		submitted_late: m.appr_team_submitted_late,
		changed_since_submitted: m.appr_team_changed_since_submitted,
		returned: m.appr_team_returned,
		approved: m.appr_team_approved
	}[state]();
}

export function communeStateText(state: CommunePeriodState): string {
	return {
		not_started: m.appr_commune_not_started,
		in_progress: m.appr_commune_in_progress,
		ready: m.appr_commune_ready,
		submitted: m.appr_commune_submitted,
		returned: m.appr_commune_returned,
		approved: m.appr_commune_approved
	}[state]();
}

export function timelinessText(timeliness: Timeliness): string {
	return {
		on_time: m.appr_timeliness_on_time,
		held_up_offline: m.appr_timeliness_held_up_offline,
		late: m.appr_timeliness_late,
		pending: m.appr_timeliness_pending
	}[timeliness]();
}

/** The lines under a team's state: what it waits for, what changed, the officer's note. */
export function teamStateDetails(status: TeamPeriodStatus): string[] {
	const lines: string[] = [];
	if (status.returnNote) lines.push(m.appr_returned_note({ note: status.returnNote }));
	if (status.waitingFor.length > 0) lines.push(m.appr_waiting({ count: status.waitingFor.length }));
	if (status.state === 'changed_since_submitted') lines.push(m.appr_changed({ count: status.changedSince.length }));
	return lines;
}

export function lateArrivalsText(count: number): string {
	return m.appr_late_arrivals({ count });
}

export function lateArrivalKindText(kind: LateArrival['kind']): string {
	return { new: m.appr_late_new, replaced: m.appr_late_replaced, withdrawn: m.appr_late_withdrawn }[kind]();
}

/** "Duyệt bởi … lúc …": `time` already formatted for the reader. */
export function approvedByText(name: string, time: string): string {
	return m.appr_approved_by({ name, time });
}

export function submissionOutcomeText(outcome: SubmissionOutcome): string {
	return { stored: m.appr_submit_stored, replaced: m.appr_submit_replaced, unchanged: m.appr_submit_unchanged }[outcome]();
}

export function submissionRefusalText(refusal: Pick<SubmissionRefusal, 'code' | 'field'>): string {
	switch (refusal.code) {
		case 'invalid':
			return m.appr_submit_invalid({ field: refusal.field });
		case 'tooMany':
			return m.appr_submit_tooMany({ max: MAX_SESSIONS_PER_SUBMISSION });
		case 'duplicate':
			return m.appr_submit_duplicate();
		case 'notStarted':
			return m.appr_submit_notStarted();
		case 'inFuture':
			return m.appr_submit_inFuture();
		case 'beforePeriod':
			return m.appr_submit_beforePeriod();
		case 'idReused':
			return m.appr_submit_idReused();
	}
}

export function approvalRefusalText(code: ApprovalRefusalCode): string {
	return {
		wrongLevel: m.appr_refuse_wrongLevel,
		lowerLevelFirst: m.appr_refuse_lowerLevelFirst,
		lockedAbove: m.appr_refuse_lockedAbove,
		notSubmitted: m.appr_refuse_notSubmitted,
		waitingForSessions: m.appr_refuse_waitingForSessions,
		changedSinceSubmitted: m.appr_refuse_changedSinceSubmitted,
		alreadyApproved: m.appr_refuse_alreadyApproved,
		notApproved: m.appr_refuse_notApproved,
		teamsAwaitingReview: m.appr_refuse_teamsAwaitingReview,
		noteRequired: m.appr_refuse_noteRequired
	}[code]();
}

/** An approval page's refusal (a form action's `error`): the domain's reason, or the page's own. */
export function approvalActionRefusalText(error: { code: string }): string {
	const own: Record<string, () => string> = {
		forbidden: m.sub_refused_forbidden,
		teamNotInUnit: m.sub_refused_teamNotInUnit,
		notCommune: m.sub_refused_notCommune,
		unitNotFound: m.access_unitNotFound
	};
	if (Object.hasOwn(own, error.code)) return own[error.code]!();
	if (Object.hasOwn(APPROVAL_REFUSAL_CODES, error.code)) return approvalRefusalText(error.code as ApprovalRefusalCode);
	return m.sub_refused_invalid();
}

const APPROVAL_REFUSAL_CODES: Readonly<Record<ApprovalRefusalCode, true>> = {
	wrongLevel: true,
	lowerLevelFirst: true,
	lockedAbove: true,
	notSubmitted: true,
	waitingForSessions: true,
	changedSinceSubmitted: true,
	alreadyApproved: true,
	notApproved: true,
	teamsAwaitingReview: true,
	noteRequired: true
};

export function approvalHistoryText(event: { action: 'approve' | 'return' | 'reopen'; level: 'commune' | 'province'; byName: string; note: string | null }, time: string): string {
	const action = { approve: m.sub_history_approve, return: m.sub_history_return, reopen: m.sub_history_reopen }[event.action]();
	const line = m.sub_history_line({ time, name: event.byName, action: event.level === 'province' ? `${action} ${m.sub_level_province()}` : action });
	return event.note ? `${line}: ${event.note}` : line;
}

/** The line a report carries about its approval (screen and print). `time` formats an instant for the reader. */
export function approvalSummaryLines(summary: import('$lib/server/approvals').ApprovalSummary | null, time: (iso: string) => string): string[] {
	if (!summary) return [];
	if (summary.kind === 'province') return [m.sub_report_province(summary)];
	return [
		m.sub_report_approval({ state: communeStateText(summary.state) }),
		...summary.approvals.map((a) => `${approvedByText(a.byName, time(a.at))}${a.level === 'province' ? ` ${m.sub_level_province()}` : ''}`),
		m.sub_report_commune_teams({ submitted: summary.submitted, expected: summary.expected, approved: summary.approvedTeams })
	];
}
