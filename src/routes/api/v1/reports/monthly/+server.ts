// The monthly report as JSON, for a signed-in officer, leader or admin within their scope.
import { json } from '@sveltejs/kit';
import { ApiError, handleApi } from '$lib/server/api';
import { serverContext } from '$lib/server/context';
import { loadTree } from '$lib/server/orgTree';
import { isPeriodKey } from '$lib/domain/period';
import { monthlyReport, UnknownUnitError } from '$lib/server/reports/monthly';
import { periodRuleSetting } from '$lib/server/settings';
import { reportReach, teamUnitLookup } from '$lib/server/scope';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url, locals }) =>
	handleApi(async () => {
		if (!locals.user) throw new ApiError(401, 'unauthorized', 'Sign in first.');
		const unitId = url.searchParams.get('unit') ?? '';
		const period = url.searchParams.get('period') ?? '';
		if (!isPeriodKey(period)) throw new ApiError(400, 'invalid_period', 'period must be YYYY-MM.', 'period');
		const { db } = await serverContext();
		const tree = await loadTree(db, { includeArchived: true });
		if (!tree.byId(unitId)) throw new ApiError(404, 'unknown_unit', 'No such unit.', 'unit');
		const reach = await reportReach(db, locals.user, tree, await teamUnitLookup(db));
		if (reach !== 'all' && !reach.has(unitId)) {
			throw new ApiError(403, 'forbidden', 'This unit is outside your area.', 'unit');
		}
		const report = await monthlyReport(db, { unitId, period, rule: await periodRuleSetting(db), now: new Date() }).catch((e: unknown) => {
			// A unit not in force on the period's last day (formed later, or ended before it).
			if (e instanceof UnknownUnitError) throw new ApiError(404, 'unknown_unit', 'The unit was not in force at the end of that period.', 'unit');
			throw e;
		});
		return json(report);
	});
