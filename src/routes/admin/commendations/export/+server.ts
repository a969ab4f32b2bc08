// The commendation proposal, as the officer left it, as a CSV file.
import { error } from '@sveltejs/kit';
import { reportScope } from '$lib/server/adminReport';
import { commendationCsv } from '$lib/server/commendationExport';
import { loadCommendationEdits, proposeCommendations } from '$lib/server/commendations';
import { serverContext } from '$lib/server/context';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) error(401, 'Hãy đăng nhập.');
	const { db } = await serverContext();
	const scope = await reportScope(db, locals.user, url);
	if (!scope.unitId) error(404, 'Không có đơn vị này.');
	const [proposal, saved] = await Promise.all([
		proposeCommendations(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() }),
		loadCommendationEdits(db, { unitId: scope.unitId, period: scope.period })
	]);
	return new Response(commendationCsv(proposal, saved), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="de-xuat-khen-thuong-${scope.period}.csv"` }
	});
};
