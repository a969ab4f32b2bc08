// The monthly report as a CSV or Excel file.
import { refuse } from '$lib/server/auth';
import { serverContext } from '$lib/server/context';
import { refusingUnitNotInForce, reportScope } from '$lib/server/adminReport';
import { monthlyReport } from '$lib/server/reports/monthly';
import { reportCsv, reportXlsx } from '$lib/server/reports/exports';
import { approvalSummary } from '$lib/server/approvals';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) refuse(401, 'signIn');
	const { db } = await serverContext();
	const scope = await reportScope(db, locals.user, url);
	if (!scope.unitId) refuse(404, 'unitNotFound');
	const report = await refusingUnitNotInForce(monthlyReport(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() }));
	const approval = await approvalSummary(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() });
	const base = `bao-cao-${scope.period}`;
	if (url.searchParams.get('format') === 'xlsx') {
		return new Response(new Uint8Array(await reportXlsx(report, approval)), {
			headers: {
				'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
				'content-disposition': `attachment; filename="${base}.xlsx"`
			}
		});
	}
	return new Response(reportCsv(report, approval), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${base}.csv"` }
	});
};
