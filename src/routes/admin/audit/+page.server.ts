import { error } from '@sveltejs/kit';
import { serverContext } from '$lib/server/context';
import { listAudit } from '$lib/server/audit';
import { requireUser } from '$lib/server/auth';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals.user);
	if (user.role !== 'admin') error(403, 'Chỉ quản trị viên xem được nhật ký.');
	return { events: await listAudit((await serverContext()).db, { limit: 200 }) };
};
