// The commendation proposal, as the officer left it, as a CSV file.
import { reportScope } from '$lib/server/adminReport';
import { refuse } from '$lib/server/auth';
import { commendationCsv } from '$lib/server/commendationExport';
import { loadCommendationEdits, proposeCommendations } from '$lib/server/commendations';
import { serverContext } from '$lib/server/context';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) refuse(401, 'signIn');
	const { db } = await serverContext();
	const scope = await reportScope(db, locals.user, url);
	if (!scope.unitId) refuse(404, 'unitNotFound');
	const [proposal, saved] = await Promise.all([
		proposeCommendations(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() }),
		loadCommendationEdits(db, { unitId: scope.unitId, period: scope.period })
	]);
	return new Response(commendationCsv(proposal, saved), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="de-xuat-khen-thuong-${scope.period}.csv"` }
	});
};
