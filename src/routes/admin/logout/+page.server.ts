import { redirect } from '@sveltejs/kit';
import { serverContext } from '$lib/server/context';
import { deleteSession } from '$lib/server/users';
import { SESSION_COOKIE } from '$lib/server/auth';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ cookies }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) await deleteSession((await serverContext()).db, token);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/admin/login');
	}
};
