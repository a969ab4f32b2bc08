import { randomUUID } from 'node:crypto';
import { fail } from '@sveltejs/kit';
import { applyEdits, CommendationEditError, editsFromForm } from '$lib/domain/commendation';
import { reportScope } from '$lib/server/adminReport';
import { refuse, requireUser } from '$lib/server/auth';
import { loadCommendationEdits, proposeCommendations, saveCommendationEdits } from '$lib/server/commendations';
import { serverContext } from '$lib/server/context';
import type { User } from '$lib/server/db/schema';
import type { Actions, PageServerLoad } from './$types';

/** The proposal is the commune officer's to edit (README); a team leader reads it. */
const mayEditCommendations = (user: User) => user.role !== 'leader';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user, url.pathname + url.search);
	const { db } = await serverContext();
	const scope = await reportScope(db, user, url);
	const units = scope.units.map((u) => ({ id: u.id, label: scope.tree.path(u.id).map((p) => p.name).join(' › ') }));
	const canEdit = mayEditCommendations(user);
	if (!scope.unitId) return { units, unitId: null, period: scope.period, proposal: null, reviewed: null, savedAt: null, canEdit };
	const [proposal, saved] = await Promise.all([
		proposeCommendations(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() }),
		loadCommendationEdits(db, { unitId: scope.unitId, period: scope.period })
	]);
	return { units, unitId: scope.unitId, period: scope.period, proposal, reviewed: applyEdits(proposal.lines, saved), savedAt: saved?.savedAt ?? null, canEdit };
};

export const actions: Actions = {
	save: async ({ locals, request, url }) => {
		const user = requireUser(locals.user);
		if (!mayEditCommendations(user)) refuse(403, 'leaderReadsCommendations');
		const form = await request.formData();
		const { db } = await serverContext();
		// The unit and period come with the form; reportScope checks the user's reach as the page does.
		const target = new URL(url);
		target.search = new URLSearchParams({ unit: String(form.get('unit') ?? ''), period: String(form.get('period') ?? '') }).toString();
		const scope = await reportScope(db, user, target);
		if (!scope.unitId) refuse(404, 'unitNotFound');
		try {
			await saveCommendationEdits(db, { unitId: scope.unitId, period: scope.period, edits: editsFromForm(form, randomUUID), actor: `user:${user.id}`, now: new Date() });
		} catch (e) {
			if (e instanceof CommendationEditError) return fail(400, { error: e.field });
			throw e;
		}
		return { saved: true };
	}
};
