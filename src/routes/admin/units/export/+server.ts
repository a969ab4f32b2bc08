import { refuse } from '$lib/server/auth';
import { serverContext } from '$lib/server/context';
import { exportTreeCsv } from '$lib/server/orgTree';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	if (locals.user?.role !== 'admin') refuse(403, 'adminOnlyTreeExport');
	const csv = await exportTreeCsv((await serverContext()).db);
	return new Response(csv, {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="don-vi.csv"' }
	});
};
