import { serverContext } from '$lib/server/context';
import { refusingUnitNotInForce, reportScope } from '$lib/server/adminReport';
import { monthlyReport } from '$lib/server/reports/monthly';
import { refuse, requireUser } from '$lib/server/auth';
import { approvalSummary } from '$lib/server/approvals';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user, url.pathname + url.search);
	const { db } = await serverContext();
	const scope = await reportScope(db, user, url);
	if (!scope.unitId) refuse(404, 'unitNotFound');
	const report = await refusingUnitNotInForce(monthlyReport(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() }));
	const approval = await approvalSummary(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() });
	return { report, approval, parentName: report.unit.path.at(-2) ?? '' };
};
