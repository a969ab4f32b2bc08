// Approving a period's figures up the chain: the commune officer approves each team (or all that
// submitted at once) and then the commune's period, which sends it up; the province approves the
// commune in turn. Every step is an event in one append-only log per subject and period, so the
// history stays and "who approved, when" is read from it. Pure: the server stores the events.
import { cleanText } from './text';
import type { SessionFigures } from './lockedFigures';
import type { TeamPeriodStatus } from './teamPeriodState';

/** Who acts: the commune's officer approves teams and the commune; the province approves communes. */
export type ApprovalLevel = 'commune' | 'province';
export type ApprovalAction = 'approve' | 'return' | 'reopen';
export type ApprovalSubjectKind = 'team' | 'commune';

/** The approvals a subject's figures go through, lowest first. */
export const APPROVAL_CHAIN: Readonly<Record<ApprovalSubjectKind, readonly ApprovalLevel[]>> = {
	team: ['commune'],
	commune: ['commune', 'province']
};

/** A return's note and a reopen's reason: one line a leader or an auditor reads. */
export const MAX_APPROVAL_NOTE_LENGTH = 500;

export interface ApprovalEvent {
	/** Position in the subject's log, from 0. The server keeps (subject, period, seq) unique: of two
	 * officers acting at once on the same log, one insert wins and the other re-reads and re-decides. */
	seq: number;
	action: ApprovalAction;
	level: ApprovalLevel;
	/** ISO instant, the server's clock. */
	at: string;
	/** The user who acted. */
	by: string;
	/** A return's note, a reopen's reason (both required); an approval's optional comment. */
	note: string | null;
	/** An approval's locked figures: every session at the version approved, with its counts. */
	snapshot?: readonly SessionFigures[];
}

export interface ApprovalStatus {
	/** The approvals in force, lowest level first: non-empty means the figures are locked. */
	approvals: ApprovalEvent[];
	/** The last return, while no approval came after it. */
	returned: ApprovalEvent | null;
	/** The last reopen (for the audit line "reopened because …"). */
	reopened: ApprovalEvent | null;
	/** The next event's seq. */
	nextSeq: number;
}

/** Replays a subject's log (in seq order) into where it stands now. */
export function approvalStatus(log: readonly ApprovalEvent[]): ApprovalStatus {
	const status: ApprovalStatus = { approvals: [], returned: null, reopened: null, nextSeq: 0 };
	for (const event of [...log].sort((a, b) => a.seq - b.seq)) {
		status.nextSeq = event.seq + 1;
		if (event.action === 'approve') {
			status.approvals.push(event);
			status.returned = null;
		} else if (event.action === 'reopen') {
			status.approvals.pop();
			status.reopened = event;
		} else {
			// A province's return hands the commune's period back: its own approval goes too.
			status.approvals = status.approvals.filter((a) => levelRank(a.level) > levelRank(event.level));
			status.returned = event;
		}
	}
	return status;
}

const levelRank = (level: ApprovalLevel) => (level === 'commune' ? 0 : 1);

export const isLocked = (status: ApprovalStatus) => status.approvals.length > 0;

/** Whether every level of the subject's chain has approved. */
export function isFullyApproved(kind: ApprovalSubjectKind, status: ApprovalStatus): boolean {
	return status.approvals.length === APPROVAL_CHAIN[kind].length;
}

/** The snapshot that fixes the figures, or null when nothing is approved (the lowest approval's:
 * higher levels approve the same figures). */
export function lockedSnapshot(status: ApprovalStatus): readonly SessionFigures[] | null {
	return status.approvals[0]?.snapshot ?? null;
}

export type ApprovalRefusalCode =
	| 'wrongLevel'
	| 'lowerLevelFirst'
	| 'lockedAbove'
	| 'notSubmitted'
	| 'waitingForSessions'
	| 'changedSinceSubmitted'
	| 'alreadyApproved'
	| 'notApproved'
	| 'teamsAwaitingReview'
	| 'noteRequired';

export interface ApprovalRequest {
	action: ApprovalAction;
	level: ApprovalLevel;
	by: string;
	at: string;
	note?: unknown;
}

export interface ApprovalContext {
	kind: ApprovalSubjectKind;
	status: ApprovalStatus;
	/** Whether the level above has locked this subject (a team inside an approved commune period). */
	lockedAbove: boolean;
	/** A team: its state now (teamPeriodState). */
	team?: TeamPeriodStatus;
	/** A commune: its expected teams' states now. */
	teams?: readonly TeamPeriodStatus[];
	/** What an approval would lock (lockedFigures: teamSnapshot / communeSnapshot). */
	snapshot?: readonly SessionFigures[];
}

export type ApprovalDecision =
	| { ok: true; outcome: 'recorded'; event: ApprovalEvent }
	/** Already done by someone else: nothing new is recorded, the existing approval stands. */
	| { ok: true; outcome: 'unchanged'; event: ApprovalEvent }
	| { ok: false; code: ApprovalRefusalCode; field: 'note' | null };

const no = (code: ApprovalRefusalCode, field: 'note' | null = null): ApprovalDecision => ({ ok: false, code, field });

/** Why a team cannot be approved now, or null when it can: its report is submitted, whole and as sent. */
export function teamApprovalProblem(team: TeamPeriodStatus): ApprovalRefusalCode | null {
	if (team.state === 'approved') return 'alreadyApproved';
	if (team.state === 'changed_since_submitted') return 'changedSinceSubmitted';
	if (team.state !== 'submitted' && team.state !== 'submitted_late') return 'notSubmitted';
	if (team.waitingFor.length > 0) return 'waitingForSessions';
	return null;
}

/**
 * What an officer's approve / return / reopen does to a subject's log: a new event to append, or
 * 'unchanged' when the same approval is already there (two officers, one approval), or a refusal.
 */
export function decideApproval(request: ApprovalRequest, context: ApprovalContext): ApprovalDecision {
	const chain = APPROVAL_CHAIN[context.kind];
	const { status } = context;
	if (!chain.includes(request.level)) return no('wrongLevel');
	if (context.lockedAbove) return no('lockedAbove');
	const approvedAt = status.approvals.find((a) => a.level === request.level);
	const top = status.approvals.at(-1);
	const event = (note: string | null, snapshot?: readonly SessionFigures[]): ApprovalDecision => ({
		ok: true,
		outcome: 'recorded',
		event: {
			seq: status.nextSeq,
			action: request.action,
			level: request.level,
			at: request.at,
			by: request.by,
			note,
			...(snapshot ? { snapshot } : {})
		}
	});

	if (request.action === 'approve') {
		if (approvedAt) return { ok: true, outcome: 'unchanged', event: approvedAt };
		if (chain[status.approvals.length] !== request.level) return no('lowerLevelFirst');
		if (context.kind === 'team') {
			const problem = context.team ? teamApprovalProblem(context.team) : 'notSubmitted';
			if (problem) return no(problem);
		} else if (request.level === 'commune' && (context.teams ?? []).some((t) => teamApprovalProblem(t) === null)) {
			// A team waiting for the officer's word must be approved or returned before the period is.
			return no('teamsAwaitingReview');
		}
		const note = request.note == null || request.note === '' ? null : cleanText(request.note, MAX_APPROVAL_NOTE_LENGTH);
		if (note === null && request.note != null && request.note !== '') return no('noteRequired', 'note');
		// The lowest approval fixes the figures; the province approves the figures the commune locked.
		return event(note, status.approvals.length === 0 ? (context.snapshot ?? []) : undefined);
	}

	const note = cleanText(request.note, MAX_APPROVAL_NOTE_LENGTH);
	if (request.action === 'reopen') {
		if (!top) return no('notApproved');
		if (top.level !== request.level) return no(approvedAt ? 'lockedAbove' : 'notApproved');
		if (!note) return no('noteRequired', 'note');
		return event(note);
	}

	// return: the officer sends a report back to the level below with a note.
	if (context.kind === 'team') {
		if (approvedAt) return no('alreadyApproved');
		const state = context.team?.state;
		if (state !== 'submitted' && state !== 'submitted_late' && state !== 'changed_since_submitted') return no('notSubmitted');
	} else {
		// The province returns a commune's period that the commune approved and it did not.
		if (request.level !== 'province') return no('wrongLevel');
		if (approvedAt) return no('alreadyApproved');
		if (!top) return no('notSubmitted');
	}
	if (!note) return no('noteRequired', 'note');
	return event(note);
}

export interface BulkApprovalPlan {
	/** Teams that qualify, in the order given. */
	approve: string[];
	/** The others, each with why. */
	skipped: { teamId: string; code: ApprovalRefusalCode }[];
}

/**
 * "Approve all submitted": the teams whose report is submitted (on time or late), whole (no
 * session it names still on its way) and unchanged since; everything else is skipped with why.
 */
export function planBulkApproval(teams: readonly TeamPeriodStatus[]): BulkApprovalPlan {
	const plan: BulkApprovalPlan = { approve: [], skipped: [] };
	for (const team of teams) {
		if (!team.expected && team.state === 'not_started') continue;
		const problem = teamApprovalProblem(team);
		if (problem) plan.skipped.push({ teamId: team.teamId, code: problem });
		else plan.approve.push(team.teamId);
	}
	return plan;
}
