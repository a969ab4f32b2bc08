import { fail } from '@sveltejs/kit';
import { serverContext } from '$lib/server/context';
import { requireUser, visibleUnitIds } from '$lib/server/auth';
import { listDevices, revokeDevice } from '$lib/server/devices';
import { loadTree } from '$lib/server/orgTree';
import { teamUnitLookup } from '$lib/server/scope';
import type { Actions, PageServerLoad } from './$types';

/** Teams whose tablets the user manages: all for an admin, their area for an officer, their own for a leader. */
async function manageableTeams(user: NonNullable<App.Locals['user']>) {
	const { db } = await serverContext();
	const [tree, teamUnit] = await Promise.all([loadTree(db), teamUnitLookup(db)]);
	const visible = visibleUnitIds(user, tree, teamUnit);
	const teams = await db.selectFrom('teams').select(['id', 'name', 'unit_id']).execute();
	return teams.filter((t) => visible === 'all' || visible.has(t.unit_id) || t.id === user.team_id);
}

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals.user);
	const { db } = await serverContext();
	const teams = await manageableTeams(user);
	const names = new Map(teams.map((t) => [t.id, t.name]));
	const devices = await listDevices(db, { teamIds: teams.map((t) => t.id) });
	return {
		devices: devices.map((d) => ({
			id: d.id,
			label: d.label,
			team: names.get(d.team_id) ?? d.team_id,
			teamId: d.team_id,
			createdAt: d.created_at,
			lastUploadAt: d.last_upload_at,
			revokedAt: d.revoked_at
		}))
	};
};

export const actions: Actions = {
	revoke: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		const id = String((await request.formData()).get('deviceId') ?? '');
		const { db } = await serverContext();
		const device = await db.selectFrom('devices').select('team_id').where('id', '=', id).executeTakeFirst();
		const allowed = device && (await manageableTeams(user)).some((t) => t.id === device.team_id);
		if (!allowed) return fail(403, { error: 'deviceOutOfReach' as const });
		await revokeDevice(db, { deviceId: id, actor: `user:${user.id}`, now: new Date() });
		return { revoked: id };
	}
};
