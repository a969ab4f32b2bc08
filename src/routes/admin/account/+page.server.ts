// Every signed-in user (admin, officer, leader) changes their own password here.
import { fail } from '@sveltejs/kit';
import { requireUser, SESSION_COOKIE } from '$lib/server/auth';
import { serverContext } from '$lib/server/context';
import { InputError } from '$lib/server/inputError';
import { changeOwnPassword } from '$lib/server/users';
import type { PasswordProblem } from '$lib/domain/password';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const user = requireUser(locals.user, url.pathname);
	return { username: user.username };
};

export const actions: Actions = {
	password: async ({ locals, request, cookies }) => {
		const user = requireUser(locals.user);
		const form = await request.formData();
		const currentPassword = String(form.get('currentPassword') ?? '');
		const newPassword = String(form.get('newPassword') ?? '');
		if (newPassword !== String(form.get('repeatPassword') ?? '')) return fail(400, { error: 'mismatch' as const });
		const ctx = await serverContext();
		const now = new Date();
		// The current password is a password to guess too, from a session left open.
		if (!(await ctx.loginLimiter.hit(`account|${user.id}`, now.getTime())).allowed) return fail(429, { error: 'rateLimited' as const });
		try {
			await changeOwnPassword(ctx.db, { userId: user.id, currentPassword, newPassword, sessionToken: cookies.get(SESSION_COOKIE) ?? '', now });
		} catch (e) {
			// The page words the password rule's problem and a wrong current password in the reader's language.
			if (e instanceof InputError && e.code === 'passwordRule') return fail(400, { error: e.params.problem as PasswordProblem });
			if (e instanceof InputError && e.field === 'currentPassword') return fail(400, { error: 'current' as const });
			throw e;
		}
		await ctx.loginLimiter.reset(`account|${user.id}`);
		return { changed: true };
	}
};
