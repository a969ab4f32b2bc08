import QRCode from 'qrcode';
import { enrolmentQrPayload } from '$lib/domain/api';
import { hashPin, PIN_PATTERN } from '$lib/domain/pin';
import { activeCoreCount, compositionWarnings, isTeamRole, roleRoomProblem } from '$lib/domain/teamRules';
import { requireUser } from '$lib/server/auth';
import { InputError, refusal } from '$lib/server/inputError';
import { createEnrolmentCode, listDevices } from '$lib/server/devices';
import {
	approveDecision,
	listDecisions,
	membershipRights,
	proposeLeave,
	recommendJoin,
	recordLeaveRequest,
	rejectDecision,
	teamTimeline
} from '$lib/server/membership';
import { teamInReach } from '$lib/server/teamAccess';
import { addMember, listMembers, markMemberLeft, setMemberPin } from '$lib/server/teams';
import type { User } from '$lib/server/db/schema';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The page's own refusal, as a code the page words (governanceText.ts); `on` names the form
 * ('recommend', 'approve:<decision id>'…) so the words appear beside it.
 */
const refused = (on: string, field: string | null, code: string, params: Readonly<Record<string, string>> = {}) => refusal(new InputError(field, code, code, params), on);

const text = (form: FormData, key: string) => String(form.get(key) ?? '').trim();

/**
 * Runs one form's step on the team in the user's reach: `on` names the form (from its fields, for
 * a decision's forms); a step only officers and admins may take says so in `manage`. Bad input
 * comes back as a refusal beside that form; anything else is a 500.
 */
async function step<T>(
	{ locals, params, request }: RequestEvent,
	on: string | ((form: FormData) => string),
	work: (ctx: Awaited<ReturnType<typeof teamInReach>> & { user: User; form: FormData }) => Promise<T>,
	options: { manage?: boolean } = {}
) {
	const user = requireUser(locals.user);
	const ctx = await teamInReach(user, params.id);
	const form = await request.formData();
	const key = typeof on === 'string' ? on : on(form);
	if (options.manage && !ctx.canManage) return refused(key, null, 'forbidden');
	try {
		return await work({ ...ctx, user, form });
	} catch (e) {
		return refusal(e, key);
	}
}

/** A decision's forms are named for the decision, so several on the page each show their own refusal. */
const decisionForm = (action: string) => (form: FormData) => `${action}:${text(form, 'decisionId')}`;

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
	enrolmentCode: (event) =>
		step(
			event,
			'enrolmentCode',
			async ({ db, team, user }) => {
				const { code, expiresAt } = await createEnrolmentCode(db, { teamId: team.id, createdBy: user.id, now: new Date() });
				const payload = enrolmentQrPayload(event.url.origin, code);
				const qr = await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 4, width: 360 });
				return { enrolment: { code, expiresAt, qr, payload } };
			},
			{ manage: true }
		),
	addMember: (event) =>
		step(
			event,
			'addMember',
			async ({ db, team, user, form }) => {
				const role = text(form, 'role') || 'member';
				if (!isTeamRole(role)) return refused('addMember', 'role', 'roleInvalid');
				// Said in the reader's words before teams.ts refuses in English.
				const problem = roleRoomProblem(await listMembers(db, team.id), role);
				if (problem?.code === 'roleTaken') return refused('addMember', 'role', 'roleTaken', { role: problem.role, holder: problem.holder });
				if (problem?.code === 'teamFull') return refused('addMember', 'role', 'teamFull', { size: String(problem.size) });
				await addMember(db, {
					teamId: team.id,
					fullName: text(form, 'fullName'),
					role: role,
					background: backgroundFrom(form),
					joinedOn: text(form, 'joinedOn'),
					actor: `user:${user.id}`,
					now: new Date()
				});
				return { saved: true };
			},
			{ manage: true }
		),
	setPin: (event) =>
		step(
			event,
			'setPin',
			async ({ db, team, user, form }) => {
				const pin = String(form.get('pin') ?? '');
				if (!PIN_PATTERN.test(pin)) return refused('setPin', 'pin', 'pinFormat');
				// teamId: the member must belong to the team whose page this is (and the user's reach).
				await setMemberPin(db, { memberId: String(form.get('memberId')), teamId: team.id, pinHash: await hashPin(pin), actor: `user:${user.id}`, now: new Date() });
				return { pinSaved: true };
			},
			{ manage: true }
		),
	markLeft: (event) =>
		step(
			event,
			'markLeft',
			async ({ db, team, user, form }) => {
				await markMemberLeft(db, { memberId: String(form.get('memberId')), teamId: team.id, leftOn: text(form, 'leftOn'), actor: `user:${user.id}`, now: new Date() });
				return { saved: true };
			},
			{ manage: true }
		),
	recommend: (event) =>
		step(event, 'recommend', async ({ db, team, user, form }) => {
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
			return { done: 'recommend' as const };
		}),
	leaveRequest: (event) =>
		step(event, 'leaveRequest', async ({ db, team, user, form }) => {
			await recordLeaveRequest(db, { actor: user, teamId: team.id, memberId: text(form, 'memberId'), reason: text(form, 'reason'), now: new Date() });
			return { done: 'request' as const };
		}),
	propose: (event) =>
		step(event, decisionForm('propose'), async ({ db, team, user, form }) => {
			await proposeLeave(db, { actor: user, teamId: team.id, decisionId: text(form, 'decisionId'), now: new Date() });
			return { done: 'propose' as const };
		}),
	approve: (event) =>
		step(event, decisionForm('approve'), async ({ db, team, user, form }) => {
			await approveDecision(db, {
				actor: user,
				teamId: team.id,
				decisionId: text(form, 'decisionId'),
				decisionNumber: text(form, 'decisionNumber'),
				decisionDate: text(form, 'decisionDate'),
				note: text(form, 'note'),
				now: new Date()
			});
			return { done: 'approve' as const };
		}),
	reject: (event) =>
		step(event, decisionForm('reject'), async ({ db, team, user, form }) => {
			await rejectDecision(db, { actor: user, teamId: team.id, decisionId: text(form, 'decisionId'), note: text(form, 'note'), now: new Date() });
			return { done: 'reject' as const };
		})
};
