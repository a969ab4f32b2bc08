import { serverContext } from '$lib/server/context';
import { formedAfterPeriod, refusingUnitNotInForce, reportScope } from '$lib/server/adminReport';
import { monthlyReport, trend } from '$lib/server/reports/monthly';
import { skillBarChart, trendLineChart } from '$lib/server/reports/charts';
import { requireUser } from '$lib/server/auth';
import { approvalSummary } from '$lib/server/approvals';
import { formatPeriodVi } from '$lib/domain/period';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user, url.pathname + url.search);
	const { db } = await serverContext();
	const scope = await reportScope(db, user, url);
	const units = scope.units.map((u) => ({ id: u.id, label: scope.tree.path(u.id).map((p) => p.name).join(' › ') }));
	if (!scope.unitId) return { units, unitId: null, period: scope.period, report: null, charts: null, approval: null, formedLater: null };
	const now = new Date();
	// A unit formed after the period (a merged commune, asked for a month before the merger) has no
	// report of its own for it: the page names the day it was formed and links its former units'.
	const formedLater = await formedAfterPeriod(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, inReach: scope.inReach, now, history: scope.history });
	if (formedLater) return { units, unitId: scope.unitId, period: scope.period, report: null, charts: null, approval: null, formedLater: { ...formedLater, unitName: scope.tree.byId(scope.unitId)?.name ?? '' } };
	const [report, points] = await refusingUnitNotInForce(
		Promise.all([
			monthlyReport(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now }),
			trend(db, { unitId: scope.unitId, period: scope.period, months: 12, rule: scope.rule })
		])
	);
	const charts = {
		skills: skillBarChart(report.skills.filter((s) => s.assists > 0).map((s) => ({ label: s.nameVi, value: s.assists }))),
		trend: trendLineChart(points.map((p) => ({ label: formatPeriodVi(p.period), value: p.assists }))),
		// Households with someone proficient in the five basic skills, in % of each village's count.
		coverage: skillBarChart(
			report.rows.filter((r) => r.coverage.percent !== null).map((r) => ({ label: r.name, value: r.coverage.percent! })),
			{ id: 'chart-coverage', title: 'Tỷ lệ hộ có người thành thạo 5 kỹ năng số cơ bản (%)', emptyText: 'Chưa có số hộ hoặc chưa có báo cáo kết quả' }
		)
	};
	const approval = await approvalSummary(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now });
	return { units, unitId: scope.unitId, period: scope.period, report, charts, approval, formedLater: null };
};
