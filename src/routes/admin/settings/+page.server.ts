// The province's reporting period (issue 12): the day a period starts and the day its report is due.
// The admin's alone: changing it files every stored session and activity again under the new rule.
import { requireAdmin } from '$lib/server/auth';
import { serverContext } from '$lib/server/context';
import { refusal } from '$lib/server/inputError';
import { changePeriodRule, periodRuleSetting } from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	requireAdmin(locals.user);
	const { db } = await serverContext();
	return { rule: await periodRuleSetting(db) };
};

export const actions: Actions = {
	period: async ({ locals, request }) => {
		const user = requireAdmin(locals.user);
		const form = await request.formData();
		const day = (key: string) => Number(String(form.get(key) ?? ''));
		const { db } = await serverContext();
		try {
			const change = await changePeriodRule(db, { rule: { startDay: day('startDay'), deadlineDay: day('deadlineDay') }, actor: `user:${user.id}`, now: new Date() });
			return { changed: { sessionsMoved: change.sessionsMoved, activitiesMoved: change.activitiesMoved } };
		} catch (e) {
			return refusal(e);
		}
	}
};
