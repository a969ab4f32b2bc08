import { error } from '@sveltejs/kit';
import { serverContext } from '$lib/server/context';
import { exportTreeCsv } from '$lib/server/orgTree';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	if (locals.user?.role !== 'admin') error(403, 'Chỉ quản trị viên xuất được cả cây đơn vị.');
	const csv = await exportTreeCsv((await serverContext()).db);
	return new Response(csv, {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="don-vi.csv"' }
	});
};
