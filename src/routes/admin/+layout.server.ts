import { requireUser } from '$lib/server/auth';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	if (url.pathname === '/admin/login') return { user: null };
	const user = requireUser(locals.user, url.pathname + url.search);
	return { user: { displayName: user.display_name, role: user.role } };
};
