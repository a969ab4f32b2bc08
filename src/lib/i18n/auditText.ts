// An audit row as a sentence with people's and things' names: "Nguyễn Thị Lan duyệt quyết định
// 12/QĐ-UBND kết nạp Lê Thị Hoa vào Tổ … thôn Trung Hòa". An action without a sentence of its own
// still reads: who, the action's name, and what it acted on.
import { m } from '$lib/paraglide/messages.js';
import { parseAuditRef, type AuditActionGroup, type AuditNames, type AuditRefKind, type AuditRow } from '$lib/domain/audit';
import { formatDateVi, formatPeriodVi, isCalendarDate, isPeriodKey } from '$lib/domain/period';
import { userRoleText } from './adminText';
import { basicSkillGroupText } from './outcomeText';
import { isBasicSkillGroup } from '$lib/domain/basicSkills';
import type { UserRole } from '$lib/server/db/schema';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const str = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : String(value));

export function auditGroupText(group: AuditActionGroup): string {
	return {
		accounts: m.admin2_audit_group_accounts,
		tablets: m.admin2_audit_group_tablets,
		tallies: m.admin2_audit_group_tallies,
		units: m.admin2_audit_group_units,
		teams: m.admin2_audit_group_teams,
		members: m.admin2_audit_group_members,
		decisions: m.admin2_audit_group_decisions,
		activities: m.admin2_audit_group_activities,
		commendations: m.admin2_audit_group_commendations,
		settings: m.set_title
	}[group]();
}

export function auditSentence(row: AuditRow, names: AuditNames): string {
	const d = row.detail;
	const subject = parseAuditRef(row.subject);
	const subjectId = subject?.id ?? '';
	/** A thing's name, else its id: an id is still better than nothing. */
	const name = (kind: AuditRefKind, id: unknown) => names[kind][str(id)] ?? (str(id) || m.admin2_audit_unknown());
	const actor = actorText(row.actor, names);
	const team = name('team', d.teamId ?? (subject?.kind === 'team' ? subjectId : ''));
	const member = name('member', d.memberId ?? subjectId);
	const unit = name('unit', subjectId);
	const person = str(d.personName) || m.admin2_audit_unknown();
	/** A skill by its Vietnamese name when the row kept it, else its code (skill:<code>). */
	const skillName = () => str(d.nameVi) || (isRecord(d.to) ? str(d.to.nameVi) : '') || (row.subject ?? '').replace(/^skill:/, '');
	const groupName = (group: unknown) => basicSkillGroupText(isBasicSkillGroup(group) ? group : null);
	const sentences: Record<string, () => string> = {
		'user.create': () => m.admin2_audit_s_user_create({ actor, user: name('user', subjectId), role: roleText(d.role) }),
		'user.changePassword': () =>
			row.actor === row.subject ? m.admin2_audit_s_user_password_own({ actor }) : m.admin2_audit_s_user_password({ actor, user: name('user', subjectId) }),
		'user.disable': () => m.admin2_audit_s_user_disable({ actor, user: name('user', subjectId) }),
		'enrolment.create': () => m.admin2_audit_s_enrolment_create({ actor, team }),
		'device.enroll': () => m.admin2_audit_s_device_enroll({ actor, team }),
		'device.revoke': () => m.admin2_audit_s_device_revoke({ actor, device: str(d.label) || name('device', subjectId), team }),
		'tally.stored': () => m.admin2_audit_s_tally_stored({ actor, team }),
		'tally.replaced': () => m.admin2_audit_s_tally_replaced({ actor, team }),
		'tally.unchanged': () => m.admin2_audit_s_tally_unchanged({ actor, team }),
		'commendation.save': () => m.admin2_audit_s_commendation_save({ actor, unit, period: periodText(d.period) }),
		'decision.join.recommend': () => m.admin2_audit_s_decision_join_recommend({ actor, person, team }),
		'decision.leave.request': () => m.admin2_audit_s_decision_leave_request({ actor, person, team }),
		'decision.leave.propose': () => m.admin2_audit_s_decision_leave_propose({ actor, person, team }),
		'decision.approve': () =>
			(d.kind === 'leave' ? m.admin2_audit_s_decision_approve_leave : m.admin2_audit_s_decision_approve_join)({ actor, number: str(d.decisionNumber), person, team }),
		'decision.reject': () => m.admin2_audit_s_decision_reject({ actor, person, team }),
		'member.add': () => m.admin2_audit_s_member_add({ actor, member: str(d.fullName) || member, team }),
		'member.update': () => m.admin2_audit_s_member_update({ actor, member, team }),
		'member.leave': () => m.admin2_audit_s_member_leave({ actor, member, team }),
		'member.pin': () => m.admin2_audit_s_member_pin({ actor, member, team }),
		'member.badge': () => m.admin2_audit_s_member_badge({ actor, member, team }),
		'member.badgeRevoke': () => m.admin2_audit_s_member_badge_revoke({ actor, member, team }),
		'activity.record': () => m.admin2_audit_s_activity_record({ actor, title: str(d.title) || name('activity', subjectId), team }),
		'activity.update': () => m.admin2_audit_s_activity_update({ actor, title: name('activity', subjectId), team }),
		'activity.delete': () => m.admin2_audit_s_activity_delete({ actor, title: str(d.title) || name('activity', subjectId), team }),
		'unit.create': () => m.admin2_audit_s_unit_create({ actor, unit }),
		'unit.rename': () => m.admin2_audit_s_unit_rename({ actor, from: nameOf(d.from) || unit, to: nameOf(d.to) || unit }),
		'unit.move': () => m.admin2_audit_s_unit_move({ actor, unit, parent: name('unit', d.to) }),
		'unit.archive': () => m.admin2_audit_s_unit_archive({ actor, unit }),
		'unit.update': () => m.admin2_audit_s_unit_update({ actor, unit }),
		'unit.change': () => changeSentence(d, { actor, unit }),
		'settings.periodRule': () => periodRuleSentence(d, actor),
		'unit.households': () =>
			m.outc_audit_s_unit_households({
				actor,
				unit,
				households: str(d.households),
				date: isCalendarDate(d.countedOn) ? formatDateVi(d.countedOn) : str(d.countedOn)
			}),
		'skill.add': () => m.outc_audit_s_skill_add({ actor, skill: skillName(), group: groupName(d.group) }),
		'skill.update': () => m.outc_audit_s_skill_update({ actor, skill: skillName(), group: groupName(isRecord(d.to) ? d.to.group : null) }),
		'skill.move': () => m.outc_audit_s_skill_move({ actor, skill: skillName() }),
		'skill.archive': () => m.outc_audit_s_skill_archive({ actor, skill: skillName() }),
		'skill.restore': () => m.outc_audit_s_skill_restore({ actor, skill: skillName() }),
		'unit.import': () => m.admin2_audit_s_unit_import({ actor, created: str(d.created), updated: str(d.updated) }),
		'team.create': () => m.admin2_audit_s_team_create({ actor, team }),
		'team.update': () => m.admin2_audit_s_team_update({ actor, team }),
		'team.archive': () => m.admin2_audit_s_team_archive({ actor, team }),
		// Monthly submission and approval (issue 13).
		'submission.stored': () => m.sub_audit_submission({ actor, team, period: periodText(d.period) }),
		'submission.replaced': () => m.sub_audit_submission({ actor, team, period: periodText(d.period) }),
		'team.period.approve': () => m.sub_audit_team_approve({ actor, team, period: periodText(d.period) }),
		'team.period.return': () => m.sub_audit_team_return({ actor, team, period: periodText(d.period), note: str(d.note) }),
		'team.period.reopen': () => m.sub_audit_team_reopen({ actor, team, period: periodText(d.period), note: str(d.note) }),
		'unit.period.approve': () => m.sub_audit_unit_approve({ actor, unit, period: periodText(d.period), level: levelText(d.level) }),
		'unit.period.return': () => m.sub_audit_unit_return({ actor, unit, period: periodText(d.period), level: levelText(d.level), note: str(d.note) }),
		'unit.period.reopen': () => m.sub_audit_unit_reopen({ actor, unit, period: periodText(d.period), level: levelText(d.level), note: str(d.note) })
	};
	const sentence = Object.hasOwn(sentences, row.action) ? sentences[row.action] : undefined;
	if (sentence) return sentence();
	const known = subject && subject.kind in names ? names[subject.kind as AuditRefKind][subject.id] : undefined;
	return m.admin2_audit_s_unknown({ actor, action: row.action, subject: known ?? row.subject ?? '' }).trim();
}

function actorText(actor: string, names: AuditNames): string {
	if (actor === 'system') return m.admin2_audit_system();
	if (actor === 'system:cli') return m.admin2_audit_cli();
	const ref = parseAuditRef(actor);
	if (ref?.kind === 'user') return names.user[ref.id] ?? m.admin2_audit_unknown();
	if (ref?.kind === 'device') return m.admin2_audit_device({ label: names.device[ref.id] ?? ref.id.slice(0, 8) });
	return actor;
}

function roleText(role: unknown): string {
	return role === 'admin' || role === 'officer' || role === 'leader' ? userRoleText(role as UserRole) : str(role);
}

/** A province's step says so; the commune's is the usual one. */
const levelText = (level: unknown) => (level === 'province' ? ` ${m.sub_level_province()}` : '');

function periodText(period: unknown): string {
	const key = str(period);
	return isPeriodKey(key) ? formatPeriodVi(key) : key;
}

const CHANGE_SENTENCES: Record<string, (p: { actor: string; unit: string; date: string; basis: string }) => string> = {
	merge: m.tree2_audit_change_merge,
	split: m.tree2_audit_change_split,
	rename: m.tree2_audit_change_rename,
	move: m.tree2_audit_change_move,
	create: m.tree2_audit_change_create,
	dissolve: m.tree2_audit_change_dissolve,
	reverse: m.tree2_audit_change_reverse
};

/** unit.change keeps the change's kind, effective date and basis (lib/server/orgHistory.ts). */
function changeSentence(d: Record<string, unknown>, p: { actor: string; unit: string }): string {
	const sentence = Object.hasOwn(CHANGE_SENTENCES, str(d.kind)) ? CHANGE_SENTENCES[str(d.kind)]! : m.tree2_audit_change_reverse;
	const date = isCalendarDate(d.effectiveOn) ? formatDateVi(d.effectiveOn) : str(d.effectiveOn);
	return sentence({ ...p, date, basis: str(d.basis) });
}

/** unit.rename keeps { name, code } before and after. */
function nameOf(value: unknown): string {
	return value && typeof value === 'object' && 'name' in value ? str((value as { name: unknown }).name) : '';
}

/** "… đổi kỳ báo cáo: từ ngày 15 (hạn ngày 20) sang từ ngày 1 (hạn ngày 5); 120 buổi được xếp lại kỳ". */
function periodRuleSentence(d: Record<string, unknown>, actor: string): string {
	const rule = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
	const from = rule(d.from);
	const to = rule(d.to);
	return m.set_audit_period({
		actor,
		fromStart: str(from.startDay),
		fromDeadline: str(from.deadlineDay),
		toStart: str(to.startDay),
		toDeadline: str(to.deadlineDay),
		sessionsMoved: str(d.sessionsMoved)
	});
}
