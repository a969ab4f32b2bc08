// The skills catalog (issue 14): the admin adds, renames, reorders, archives skills and assigns
// each to a basic skill group or none. Tablets take the catalog through /config at their next sync.
import { serverContext } from '$lib/server/context';
import { requireAdmin } from '$lib/server/auth';
import { refusal } from '$lib/server/inputError';
import { addSkill, listSkills, moveSkill, setSkillActive, updateSkill } from '$lib/server/skills';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	requireAdmin(locals.user);
	const { db } = await serverContext();
	return { skills: await listSkills(db) };
};

const text = (form: FormData, key: string) => String(form.get(key) ?? '');

/** Runs a change as the signed-in admin; a refusal comes back to the form of `on`. */
async function change(locals: App.Locals, request: Request, run: (form: FormData, actor: string, now: Date) => Promise<unknown>) {
	const user = requireAdmin(locals.user);
	const form = await request.formData();
	const on = text(form, 'code') || 'new';
	try {
		await run(form, `user:${user.id}`, new Date());
		return { saved: on };
	} catch (e) {
		return refusal(e, on);
	}
}

export const actions: Actions = {
	add: async ({ locals, request }) =>
		change(locals, request, async (form, actor, now) => {
			const { db } = await serverContext();
			await addSkill(db, {
				code: text(form, 'newCode'),
				nameVi: text(form, 'nameVi'),
				nameEn: text(form, 'nameEn'),
				category: text(form, 'category'),
				group: text(form, 'group'),
				actor,
				now
			});
		}),
	update: async ({ locals, request }) =>
		change(locals, request, async (form, actor, now) => {
			const { db } = await serverContext();
			await updateSkill(db, { code: text(form, 'code'), nameVi: text(form, 'nameVi'), nameEn: text(form, 'nameEn'), group: text(form, 'group'), actor, now });
		}),
	move: async ({ locals, request }) =>
		change(locals, request, async (form, actor, now) => {
			const { db } = await serverContext();
			await moveSkill(db, { code: text(form, 'code'), direction: text(form, 'direction') === 'up' ? 'up' : 'down', actor, now });
		}),
	archive: async ({ locals, request }) =>
		change(locals, request, async (form, actor, now) => {
			const { db } = await serverContext();
			await setSkillActive(db, { code: text(form, 'code'), active: text(form, 'active') === '1', actor, now });
		})
};
