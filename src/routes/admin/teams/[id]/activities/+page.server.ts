import { localDateOf, periodOf, periodRange, requestedPeriod } from '$lib/domain/period';
import { deleteActivity, listActivities, recordActivity, updateActivity } from '$lib/server/activities';
import { requireUser } from '$lib/server/auth';
import { InputError, refusal } from '$lib/server/inputError';
import type { User } from '$lib/server/db/schema';
import { loadTree } from '$lib/server/orgTree';
import { periodRuleSetting } from '$lib/server/settings';
import { teamInReach } from '$lib/server/teamAccess';
import { listMembers } from '$lib/server/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals.user, url.pathname + url.search);
	const { db, team, canRecord } = await teamInReach(user, params.id);
	const now = new Date();
	const [rule, tree, members] = await Promise.all([periodRuleSetting(db), loadTree(db, { includeArchived: true }), listMembers(db, team.id, { includeLeft: true })]);
	const key = requestedPeriod(url.searchParams) ?? periodOf(localDateOf(now), rule);
	return {
		team: { id: team.id, name: team.name, establishedOn: team.established_on, unitPath: tree.path(team.unit_id).map((u) => u.name).join(' › ') },
		period: periodRange(key, rule),
		today: localDateOf(now),
		members: members.map((x) => ({ id: x.id, name: x.full_name, role: x.role, active: x.status === 'active' })),
		activities: await listActivities(db, { teamId: team.id, period: key }),
		canRecord
	};
};

/** The activity form's fields; numbers stay NaN when blank so the check names the field. */
function fields(form: FormData) {
	const text = (name: string) => String(form.get(name) ?? '');
	const reached = text('peopleReached').trim();
	return {
		kind: text('kind'),
		date: text('date'),
		title: text('title'),
		memberIds: form.getAll('memberIds').map(String),
		peopleReached: reached === '' ? Number.NaN : Number(reached),
		note: text('note')
	};
}

/** Runs a change for someone who may record; a refusal names the field and (for a row's form) the activity. */
async function guarded<T>(
	locals: App.Locals,
	teamId: string,
	id: string | null,
	work: (ctx: Awaited<ReturnType<typeof teamInReach>> & { user: User }) => Promise<T>
) {
	const user = requireUser(locals.user);
	const ctx = await teamInReach(user, teamId);
	if (!ctx.canRecord) return refusal(new InputError('teamId', 'forbidden', 'Only the team’s leader, its officer or an admin records.'), id);
	try {
		return await work({ ...ctx, user });
	} catch (e) {
		return refusal(e, id);
	}
}

export const actions: Actions = {
	record: async ({ locals, params, request }) => {
		const form = await request.formData();
		return guarded(locals, params.id, null, async ({ db, team, user }) => {
			const activity = await recordActivity(db, { teamId: team.id, ...fields(form), actor: `user:${user.id}`, now: new Date() });
			return { done: 'recorded' as const, period: activity.period };
		});
	},
	update: async ({ locals, params, request }) => {
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		return guarded(locals, params.id, id, async ({ db, team, user }) => {
			const activity = await updateActivity(db, { id, teamId: team.id, ...fields(form), actor: `user:${user.id}`, now: new Date() });
			return { done: 'updated' as const, period: activity.period };
		});
	},
	delete: async ({ locals, params, request }) => {
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		return guarded(locals, params.id, id, async ({ db, team, user }) => {
			await deleteActivity(db, { id, teamId: team.id, actor: `user:${user.id}`, now: new Date() });
			return { done: 'deleted' as const, period: null };
		});
	}
};
