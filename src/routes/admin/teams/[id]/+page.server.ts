import { error, fail } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { enrolmentQrPayload } from '$lib/domain/api';
import { hashPin, PIN_PATTERN } from '$lib/domain/pin';
import { activeCoreCount, compositionWarnings, isTeamRole, roleRoomProblem } from '$lib/domain/teamRules';
import type { TeamPageErrorCode } from '$lib/i18n/governanceText';
import { serverContext } from '$lib/server/context';
import { canSeeUnit, requireUser } from '$lib/server/auth';
import { createEnrolmentCode, listDevices } from '$lib/server/devices';
import {
	approveDecision,
	listDecisions,
	membershipRights,
	MembershipError,
	proposeLeave,
	recommendJoin,
	recordLeaveRequest,
	rejectDecision,
	teamTimeline
} from '$lib/server/membership';
import { loadTree } from '$lib/server/orgTree';
import { teamUnitLookup } from '$lib/server/scope';
import { addMember, getTeam, listMembers, markMemberLeft, setMemberPin, TeamInputError } from '$lib/server/teams';
import type { User } from '$lib/server/db/schema';
import type { Actions, PageServerLoad } from './$types';

async function teamInReach(user: User, teamId: string) {
	const { db } = await serverContext();
	const team = await getTeam(db, teamId);
	if (!team) error(404, 'Không có tổ này.');
	const [tree, teamUnit] = await Promise.all([loadTree(db), teamUnitLookup(db)]);
	const canSee = user.team_id === team.id || canSeeUnit(user, team.unit_id, tree, teamUnit);
	if (!canSee) error(403, 'Tổ này nằm ngoài phạm vi của bạn.');
	return { db, team, tree, canManage: user.role === 'admin' || user.role === 'officer' };
}

/**
 * A form's failure, as a code the page turns into words (in the reader's language); `on` names
 * the form ('recommend', 'approve:<decision id>'…) so the words appear beside it.
 */
function refused(on: string, code: TeamPageErrorCode, params: Readonly<Record<string, string>> = {}, status = 400) {
	return fail(status, { on, error: { code, params: { ...params } } });
}

function refusal(on: string, e: unknown) {
	if (e instanceof MembershipError) return refused(on, e.code, e.params, e.code === 'forbidden' ? 403 : 400);
	if (e instanceof TeamInputError) return refused(on, 'teamRule', { detail: e.message });
	throw e;
}

const text = (form: FormData, key: string) => String(form.get(key) ?? '').trim();

/** The background picker sends a vocabulary code, or 'other' with the words typed beside it. */
function backgroundFrom(form: FormData): string {
	const choice = text(form, 'background');
	return choice === 'other' ? text(form, 'backgroundOther') : choice;
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals.user);
	const { db, team, tree, canManage } = await teamInReach(user, params.id);
	const [members, devices, decisions, timeline, rights] = await Promise.all([
		listMembers(db, team.id, { includeLeft: true }),
		listDevices(db, { teamIds: [team.id] }),
		listDecisions(db, team.id),
		teamTimeline(db, team.id, { limit: 100 }),
		membershipRights(db, user, team)
	]);
	const open = decisions.filter((d) => d.status === 'requested' || d.status === 'proposed');
	const openFor = (kind: 'join' | 'leave') => new Set(open.filter((d) => d.kind === kind && d.member_id).map((d) => d.member_id));
	const joining = openFor('join');
	const leaving = openFor('leave');
	const active = members.filter((x) => x.status === 'active');
	// Which decision brought each member in or out: the roster's "under which decision".
	const memberDecisions: Record<string, { join?: { number: string; date: string }; leave?: { number: string; date: string } }> = {};
	for (const d of decisions) {
		if (d.status !== 'approved' || !d.member_id || !d.decision_number || !d.decision_date) continue;
		(memberDecisions[d.member_id] ??= {})[d.kind] = { number: d.decision_number, date: d.decision_date };
	}
	return {
		team: { ...team, unitPath: tree.path(team.unit_id).map((u) => u.name).join(' › ') },
		members: members.map((x) => ({ ...x, pin_hash: x.pin_hash ? 'set' : null })),
		memberDecisions,
		devices,
		canManage,
		rights,
		warnings: compositionWarnings(team, members),
		coreCount: activeCoreCount(members),
		openDecisions: open,
		closedDecisions: decisions.filter((d) => d.status === 'approved' || d.status === 'rejected'),
		collaborators: active.filter((x) => x.role === 'collaborator' && !joining.has(x.id)).map((x) => ({ id: x.id, name: x.full_name, background: x.background })),
		leaveCandidates: active.filter((x) => !leaving.has(x.id)).map((x) => ({ id: x.id, name: x.full_name, role: x.role })),
		timeline
	};
};

export const actions: Actions = {
	enrolmentCode: async ({ locals, params, url }) => {
		const user = requireUser(locals.user);
		const { db, team, canManage } = await teamInReach(user, params.id);
		if (!canManage) return refused('enrolmentCode', 'forbidden', {}, 403);
		const { code, expiresAt } = await createEnrolmentCode(db, { teamId: team.id, createdBy: user.id, now: new Date() });
		const payload = enrolmentQrPayload(url.origin, code);
		const qr = await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 4, width: 360 });
		return { enrolment: { code, expiresAt, qr, payload } };
	},
	addMember: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team, canManage } = await teamInReach(user, params.id);
		if (!canManage) return refused('addMember', 'forbidden', {}, 403);
		const form = await request.formData();
		const role = text(form, 'role') || 'member';
		if (!isTeamRole(role)) return refused('addMember', 'roleInvalid');
		// Said in the reader's words before teams.ts refuses in English.
		const problem = roleRoomProblem(await listMembers(db, team.id), role);
		if (problem?.code === 'roleTaken') return refused('addMember', 'roleTaken', { role: problem.role, holder: problem.holder });
		if (problem?.code === 'teamFull') return refused('addMember', 'teamFull', { size: String(problem.size) });
		try {
			await addMember(db, {
				teamId: team.id,
				fullName: text(form, 'fullName'),
				role,
				background: backgroundFrom(form),
				joinedOn: text(form, 'joinedOn'),
				actor: `user:${user.id}`,
				now: new Date()
			});
		} catch (e) {
			return refusal('addMember', e);
		}
		return { saved: true };
	},
	setPin: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team, canManage } = await teamInReach(user, params.id);
		if (!canManage) return refused('setPin', 'forbidden', {}, 403);
		const form = await request.formData();
		const pin = String(form.get('pin') ?? '');
		if (!PIN_PATTERN.test(pin)) return refused('setPin', 'pinFormat');
		try {
			// teamId: the member must belong to the team whose page this is (and the user's reach).
			await setMemberPin(db, { memberId: String(form.get('memberId')), teamId: team.id, pinHash: await hashPin(pin), actor: `user:${user.id}`, now: new Date() });
		} catch (e) {
			return refusal('setPin', e);
		}
		return { pinSaved: true };
	},
	markLeft: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team, canManage } = await teamInReach(user, params.id);
		if (!canManage) return refused('markLeft', 'forbidden', {}, 403);
		const form = await request.formData();
		try {
			await markMemberLeft(db, { memberId: String(form.get('memberId')), teamId: team.id, leftOn: text(form, 'leftOn'), actor: `user:${user.id}`, now: new Date() });
		} catch (e) {
			return refusal('markLeft', e);
		}
		return { saved: true };
	},
	recommend: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team } = await teamInReach(user, params.id);
		const form = await request.formData();
		try {
			await recommendJoin(db, {
				actor: user,
				teamId: team.id,
				collaboratorId: text(form, 'collaboratorId') || null,
				fullName: text(form, 'fullName'),
				role: text(form, 'role'),
				background: backgroundFrom(form),
				reason: text(form, 'reason'),
				now: new Date()
			});
		} catch (e) {
			return refusal('recommend', e);
		}
		return { done: 'recommend' as const };
	},
	leaveRequest: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team } = await teamInReach(user, params.id);
		const form = await request.formData();
		try {
			await recordLeaveRequest(db, { actor: user, teamId: team.id, memberId: text(form, 'memberId'), reason: text(form, 'reason'), now: new Date() });
		} catch (e) {
			return refusal('leaveRequest', e);
		}
		return { done: 'request' as const };
	},
	propose: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team } = await teamInReach(user, params.id);
		const form = await request.formData();
		const on = `propose:${text(form, 'decisionId')}`;
		try {
			await proposeLeave(db, { actor: user, teamId: team.id, decisionId: text(form, 'decisionId'), now: new Date() });
		} catch (e) {
			return refusal(on, e);
		}
		return { done: 'propose' as const };
	},
	approve: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team } = await teamInReach(user, params.id);
		const form = await request.formData();
		const on = `approve:${text(form, 'decisionId')}`;
		try {
			await approveDecision(db, {
				actor: user,
				teamId: team.id,
				decisionId: text(form, 'decisionId'),
				decisionNumber: text(form, 'decisionNumber'),
				decisionDate: text(form, 'decisionDate'),
				note: text(form, 'note'),
				now: new Date()
			});
		} catch (e) {
			return refusal(on, e);
		}
		return { done: 'approve' as const };
	},
	reject: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team } = await teamInReach(user, params.id);
		const form = await request.formData();
		const on = `reject:${text(form, 'decisionId')}`;
		try {
			await rejectDecision(db, { actor: user, teamId: team.id, decisionId: text(form, 'decisionId'), note: text(form, 'note'), now: new Date() });
		} catch (e) {
			return refusal(on, e);
		}
		return { done: 'reject' as const };
	}
};
