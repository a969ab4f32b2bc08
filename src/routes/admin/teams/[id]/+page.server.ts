import { error, fail } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { enrolmentQrPayload } from '$lib/domain/api';
import { hashPin, PIN_PATTERN } from '$lib/domain/pin';
import { serverContext } from '$lib/server/context';
import { canSeeUnit, requireUser } from '$lib/server/auth';
import { createEnrolmentCode, listDevices } from '$lib/server/devices';
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

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals.user);
	const { db, team, tree, canManage } = await teamInReach(user, params.id);
	const [members, devices] = await Promise.all([listMembers(db, team.id, { includeLeft: true }), listDevices(db, { teamIds: [team.id] })]);
	return {
		team: { ...team, unitPath: tree.path(team.unit_id).map((u) => u.name).join(' › ') },
		members: members.map((x) => ({ ...x, pin_hash: x.pin_hash ? 'set' : null })),
		devices,
		canManage
	};
};

export const actions: Actions = {
	enrolmentCode: async ({ locals, params, url }) => {
		const user = requireUser(locals.user);
		const { db, team, canManage } = await teamInReach(user, params.id);
		if (!canManage) return fail(403, { error: 'Chỉ cán bộ xã hoặc quản trị viên tạo được mã kết nối.' });
		const { code, expiresAt } = await createEnrolmentCode(db, { teamId: team.id, createdBy: user.id, now: new Date() });
		const payload = enrolmentQrPayload(url.origin, code);
		const qr = await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 4, width: 360 });
		return { enrolment: { code, expiresAt, qr, payload } };
	},
	addMember: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team, canManage } = await teamInReach(user, params.id);
		if (!canManage) return fail(403, { error: 'Không có quyền.' });
		const form = await request.formData();
		try {
			await addMember(db, {
				teamId: team.id,
				fullName: String(form.get('fullName') ?? ''),
				role: String(form.get('role') ?? 'member') as 'leader' | 'deputy' | 'member' | 'collaborator',
				background: String(form.get('background') ?? ''),
				joinedOn: String(form.get('joinedOn') ?? ''),
				actor: `user:${user.id}`,
				now: new Date()
			});
		} catch (e) {
			if (e instanceof TeamInputError) return fail(400, { error: e.message });
			throw e;
		}
		return { saved: true };
	},
	setPin: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team, canManage } = await teamInReach(user, params.id);
		if (!canManage) return fail(403, { error: 'Không có quyền.' });
		const form = await request.formData();
		const pin = String(form.get('pin') ?? '');
		if (!PIN_PATTERN.test(pin)) return fail(400, { error: 'Mã PIN gồm 4 đến 8 chữ số.' });
		try {
			// teamId: the member must belong to the team whose page this is (and the user's reach).
			await setMemberPin(db, { memberId: String(form.get('memberId')), teamId: team.id, pinHash: await hashPin(pin), actor: `user:${user.id}`, now: new Date() });
		} catch (e) {
			if (e instanceof TeamInputError) return fail(400, { error: e.message });
			throw e;
		}
		return { pinSaved: true };
	},
	markLeft: async ({ locals, params, request }) => {
		const user = requireUser(locals.user);
		const { db, team, canManage } = await teamInReach(user, params.id);
		if (!canManage) return fail(403, { error: 'Không có quyền.' });
		const form = await request.formData();
		try {
			await markMemberLeft(db, {
				memberId: String(form.get('memberId')),
				teamId: team.id,
				leftOn: String(form.get('leftOn') ?? ''),
				actor: `user:${user.id}`,
				now: new Date()
			});
		} catch (e) {
			if (e instanceof TeamInputError) return fail(400, { error: e.message });
			throw e;
		}
		return { saved: true };
	}
};
