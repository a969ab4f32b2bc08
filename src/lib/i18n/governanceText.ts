// Team rules, membership decisions and the team timeline in the words the admin pages show.
import { m } from '$lib/paraglide/messages.js';
import { formatDateVi } from '$lib/domain/period';
import { backgroundCode, isBackgroundCode, isTeamRole, type BackgroundCode, type TeamWarning } from '$lib/domain/teamRules';
import type { DecisionKind, DecisionStatus } from '$lib/server/db/schema';
import type { MembershipErrorCode, TimelineEntry } from '$lib/server/membership';
import { roleText } from './roleText';

export function backgroundLabel(code: BackgroundCode): string {
	return {
		communeLeader: m.gov_bg_communeLeader,
		villageHead: m.gov_bg_villageHead,
		youthUnion: m.gov_bg_youthUnion,
		itOfficer: m.gov_bg_itOfficer,
		police: m.gov_bg_police,
		teacher: m.gov_bg_teacher,
		healthWorker: m.gov_bg_healthWorker,
		postTelecom: m.gov_bg_postTelecom,
		student: m.gov_bg_student,
		resident: m.gov_bg_resident
	}[code]();
}

/** A stored background as shown: a code's label, or the free text as it was written. */
export function backgroundText(stored: string | null | undefined): string {
	if (!stored) return '';
	return isBackgroundCode(stored) ? backgroundLabel(stored) : stored;
}

/** The recognised category of free text, for a hint beside it; null when it is a code or unknown. */
export function backgroundHint(stored: string | null | undefined): string | null {
	if (!stored || isBackgroundCode(stored)) return null;
	const code = backgroundCode(stored);
	return code ? backgroundLabel(code) : null;
}

export function warningText(warning: TeamWarning, coreCount: number): string {
	switch (warning) {
		case 'coreTooFew':
			return m.gov_warn_coreTooFew({ count: coreCount });
		case 'coreTooMany':
			return m.gov_warn_coreTooMany({ count: coreCount });
		case 'noLeader':
			return m.gov_warn_noLeader();
		case 'communeLeaderNotOfficial':
			return m.gov_warn_communeLeaderNotOfficial();
		case 'communeNoYouthUnion':
			return m.gov_warn_communeNoYouthUnion();
		case 'communeNoItOfficer':
			return m.gov_warn_communeNoItOfficer();
		case 'villageLeaderNotHead':
			return m.gov_warn_villageLeaderNotHead();
	}
}

export function decisionKindText(kind: DecisionKind): string {
	return kind === 'join' ? m.gov_kind_join() : m.gov_kind_leave();
}

export function decisionStatusText(status: DecisionStatus): string {
	return { requested: m.gov_status_requested, proposed: m.gov_status_proposed, approved: m.gov_status_approved, rejected: m.gov_status_rejected }[status]();
}

/** What a team page's form failed with: a membership code or one of the page's own. */
export type TeamPageErrorCode = MembershipErrorCode | 'pinFormat';
/** A refusal from the team page's actions (inputError.ts). */
export interface TeamPageError {
	code: string;
	params?: Readonly<Record<string, string>>;
	message?: string;
}

export function teamPageErrorText(error: TeamPageError): string {
	const p = error.params ?? {};
	const name = p.name ?? '';
	switch (error.code as TeamPageErrorCode) {
		case 'forbidden':
			return m.gov_error_forbidden();
		case 'teamNotFound':
			return m.gov_error_teamNotFound();
		case 'teamArchived':
			return m.gov_error_teamArchived();
		case 'decisionNotFound':
			return m.gov_error_decisionNotFound();
		case 'memberNotFound':
			return m.gov_error_memberNotFound();
		case 'memberNotActive':
			return m.gov_error_memberNotActive({ name });
		case 'notCollaborator':
			return m.gov_error_notCollaborator({ name });
		case 'alreadyOpen':
			return m.gov_error_alreadyOpen({ name });
		case 'notRequested':
			return m.gov_error_notRequested();
		case 'notProposed':
			return m.gov_error_notProposed();
		case 'alreadyDecided':
			return m.gov_error_alreadyDecided();
		case 'nameRefused':
			return p.reason ?? m.gov_error_nameRequired();
		case 'roleInvalid':
			return m.gov_error_roleInvalid();
		case 'textTooLong':
			return m.gov_error_textTooLong({ max: p.max ?? '' });
		case 'decisionNumberRequired':
			return m.gov_error_decisionNumberRequired();
		case 'dateInvalid':
			return m.gov_error_dateInvalid();
		case 'noteRequired':
			return m.gov_error_noteRequired();
		case 'roleTaken':
			return m.gov_error_roleTaken({ role: roleValueText(p.role).toLowerCase(), holder: p.holder ?? '' });
		case 'teamFull':
			return m.gov_error_teamFull({ size: p.size ?? '3' });
		case 'leaveBeforeJoin':
			return m.gov_error_leaveBeforeJoin({ name, date: p.joinedOn ? formatDateVi(p.joinedOn) : '' });
		case 'pinFormat':
			return m.gov_error_pinFormat();
		case 'invalid':
		default:
			// The roster's own rule (teams.ts), said in its message.
			return m.gov_error_teamRule({ detail: error.message ?? '' });
	}
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const dateText = (value: unknown): string => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDateVi(value) : '');
/** A role read back from stored JSON: '' when it is not one. */
const roleValueText = (value: unknown): string => (isTeamRole(value) ? roleText(value) : '');

/** One line of the team timeline. */
export function timelineText(entry: TimelineEntry): string {
	const actor = entry.actorName ?? (entry.actorKind === 'system' ? m.gov_actor_system() : m.gov_actor_unknown());
	const d = entry.detail;
	const person = entry.decision?.person_name ?? entry.memberName ?? (str(d.personName) || str(d.fullName));
	const kind = entry.decision?.kind ?? str(d.kind);
	switch (entry.action) {
		case 'decision.join.recommend':
			return m.gov_tl_join_recommend({ actor, person, role: roleValueText(d.role) });
		case 'decision.leave.request':
			return m.gov_tl_leave_request({ actor, person });
		case 'decision.leave.propose':
			return m.gov_tl_leave_propose({ actor, person });
		case 'decision.approve': {
			const params = { actor, person, number: str(d.decisionNumber), date: dateText(d.decisionDate) };
			return kind === 'leave' ? m.gov_tl_approve_leave(params) : m.gov_tl_approve_join(params);
		}
		case 'decision.reject': {
			const params = { actor, person, note: str(d.note) };
			return kind === 'leave' ? m.gov_tl_reject_leave(params) : m.gov_tl_reject_join(params);
		}
		case 'member.add':
			return m.gov_tl_member_add({ person, role: roleValueText(d.role), date: dateText(d.joinedOn) });
		case 'member.update': {
			const from = d.from as Record<string, unknown> | undefined;
			const to = d.to as Record<string, unknown> | undefined;
			if (to && typeof to === 'object' && 'role' in to) return m.gov_tl_member_role({ person, from: roleValueText(from?.role), to: roleValueText(to.role) });
			return m.gov_tl_member_update({ actor, person });
		}
		case 'member.leave':
			return m.gov_tl_member_leave({ person, date: dateText(d.leftOn) });
		case 'team.create':
			return m.gov_tl_team_create({ date: dateText(d.establishedOn) });
		case 'team.update':
			return m.gov_tl_team_update({ actor });
		case 'team.archive':
			return m.gov_tl_team_archive({ actor });
	}
}
