// Members' badges for one team: the printable A4 sheets and, for officers, issue/reissue/revoke.
import QRCode from 'qrcode';
import { requireUser } from '$lib/server/auth';
import { badgeKey, badgePayload, issueBadge, issueTeamBadges, revokeBadge } from '$lib/server/badges';
import { InputError, refusal } from '$lib/server/inputError';
import { teamInReach } from '$lib/server/teamAccess';
import { listMembers } from '$lib/server/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals.user, url.pathname);
	const { db, team, tree, canManage } = await teamInReach(user, params.id);
	const [members, key] = await Promise.all([listMembers(db, team.id), badgeKey(db)]);
	const cards = await Promise.all(
		members.map(async (member) => {
			const payload = await badgePayload(db, member, key);
			// Margin 4 is the quiet zone the QR spec asks for; 480 px prints sharp at 4 cm.
			const qr = payload ? await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 4, width: 480 }) : null;
			return { id: member.id, fullName: member.full_name, role: member.role, version: member.badge_version, qr };
		})
	);
	const place = tree
		.path(team.unit_id)
		.slice(-2)
		.reverse()
		.map((u) => u.name)
		.join(', ');
	return { team: { id: team.id, name: team.name, place }, members: cards, canManage };
};

/** Runs an officer's change; a leader gets 403, bad input 400 with the reason. */
async function change<T extends Record<string, unknown>>(
	locals: App.Locals,
	teamId: string,
	work: (ctx: Awaited<ReturnType<typeof teamInReach>>, actor: string) => Promise<T>
) {
	const user = requireUser(locals.user);
	const ctx = await teamInReach(user, teamId);
	if (!ctx.canManage) return refusal(new InputError(null, 'forbidden', 'Only officers and admins change badges.'));
	try {
		return await work(ctx, `user:${user.id}`);
	} catch (e) {
		return refusal(e);
	}
}

export const actions: Actions = {
	issue: async ({ locals, params, request }) => {
		const form = await request.formData();
		return change(locals, params.id, async ({ db, team }, actor) => {
			const member = await issueBadge(db, { memberId: String(form.get('memberId')), teamId: team.id, actor, now: new Date() });
			return { issued: { name: member.full_name, version: member.badge_version } };
		});
	},
	revoke: async ({ locals, params, request }) => {
		const form = await request.formData();
		return change(locals, params.id, async ({ db, team }, actor) => {
			const member = await revokeBadge(db, { memberId: String(form.get('memberId')), teamId: team.id, actor, now: new Date() });
			return { revoked: { name: member.full_name } };
		});
	},
	issueAll: async ({ locals, params, request }) => {
		const form = await request.formData();
		return change(locals, params.id, async ({ db, team }, actor) => {
			const issued = await issueTeamBadges(db, { teamId: team.id, onlyMissing: form.get('mode') !== 'all', actor, now: new Date() });
			return { issuedCount: issued.length };
		});
	}
};
