// Completeness and timeliness as DHIS2 defines them (reporting rate = submitted ÷ expected, on
// time = submitted by the deadline), what DHIS2 cannot tell (held up by no network), and how much
// of a commune's and a province's period is approved.
import type { LocalDate, Period } from './period';
import { approvalStatus, isFullyApproved, type ApprovalEvent } from './approval';
import type { TeamPeriodState, TeamPeriodStatus } from './teamPeriodState';

export interface TeamLifetime {
	establishedOn: LocalDate;
	/** The day it was dissolved, merged away or archived (hall's calendar), or null while it exists. */
	endedOn: LocalDate | null;
}

/**
 * A team is expected to report for a period when it existed during it: established by the period's
 * last day and not ended before its first. (Not today's list: a team archived since still owes the
 * months it worked, and a team set up later owes none before it.)
 */
export function isExpected(team: TeamLifetime, period: Period): boolean {
	return team.establishedOn <= period.last && (team.endedOn === null || team.endedOn >= period.first);
}

/** States in which the team's report counts as submitted (DHIS2's "complete"); a returned one does not. */
const SUBMITTED: ReadonlySet<TeamPeriodState> = new Set(['submitted', 'submitted_late', 'changed_since_submitted', 'approved']);
export const isSubmitted = (team: TeamPeriodStatus) => SUBMITTED.has(team.state);

export interface Completeness {
	expected: number;
	submitted: number;
	/** Submitted and on the server by the deadline. */
	onTime: number;
	/** Late at the server, made on the tablet in time. */
	heldUpOffline: number;
	late: number;
	approved: number;
	/** submitted ÷ expected, null when no team was expected. */
	reportingRate: number | null;
	/** onTime ÷ expected (DHIS2's "reporting rate on time"). */
	onTimeRate: number | null;
	/** approved ÷ expected. */
	approvedShare: number | null;
}

const share = (n: number, of: number) => (of === 0 ? null : n / of);

/** Counts over the expected teams only: a team that was not expected neither helps nor hurts. */
export function completenessOf(teams: readonly TeamPeriodStatus[]): Completeness {
	const expected = teams.filter((t) => t.expected);
	const submitted = expected.filter(isSubmitted);
	const count = (timeliness: TeamPeriodStatus['timeliness']) => submitted.filter((t) => t.timeliness === timeliness).length;
	const onTime = count('on_time');
	const approved = expected.filter((t) => t.state === 'approved').length;
	return {
		expected: expected.length,
		submitted: submitted.length,
		onTime,
		heldUpOffline: count('held_up_offline'),
		late: count('late'),
		approved,
		reportingRate: share(submitted.length, expected.length),
		onTimeRate: share(onTime, expected.length),
		approvedShare: share(approved, expected.length)
	};
}

/**
 * A commune's period, as the province sees it: not_started (no team has anything), in_progress
 * (some teams still working or awaiting review), ready (every expected team approved, the commune
 * has not approved its period yet), submitted (the commune approved it: locked and sent up),
 * returned (the province sent it back), approved (the province approved it).
 */
export type CommunePeriodState = 'not_started' | 'in_progress' | 'ready' | 'submitted' | 'returned' | 'approved';

export interface CommunePeriodStatus {
	communeId: string;
	state: CommunePeriodState;
	completeness: Completeness;
	returnNote: string | null;
}

export function communePeriodState(communeId: string, teams: readonly TeamPeriodStatus[], approvalLog: readonly ApprovalEvent[]): CommunePeriodStatus {
	const approval = approvalStatus(approvalLog);
	const completeness = completenessOf(teams);
	const status = (state: CommunePeriodState, returnNote: string | null = null) => ({ communeId, state, completeness, returnNote });
	if (isFullyApproved('commune', approval)) return status('approved');
	if (approval.approvals.length > 0) return status('submitted');
	if (approval.returned) return status('returned', approval.returned.note);
	if (completeness.expected > 0 && completeness.approved === completeness.expected) return status('ready');
	return status(teams.some((t) => t.state !== 'not_started') ? 'in_progress' : 'not_started');
}

export interface ProvinceApproval {
	communes: number;
	/** Communes whose period the province approved. */
	approvedCommunes: number;
	/** Communes that approved their own period (sent up), approved by the province or not. */
	submittedCommunes: number;
	/** Over every expected team of the province. */
	completeness: Completeness;
	/** approvedCommunes ÷ communes. */
	approvedCommuneShare: number | null;
}

/** How much of the province's report is approved: teams (approved ÷ expected) and communes. */
export function provinceApproval(communes: readonly { status: CommunePeriodStatus; teams: readonly TeamPeriodStatus[] }[]): ProvinceApproval {
	const approvedCommunes = communes.filter((c) => c.status.state === 'approved').length;
	return {
		communes: communes.length,
		approvedCommunes,
		submittedCommunes: communes.filter((c) => c.status.state === 'submitted' || c.status.state === 'approved').length,
		completeness: completenessOf(communes.flatMap((c) => c.teams)),
		approvedCommuneShare: share(approvedCommunes, communes.length)
	};
}
