import { serverContext } from '$lib/server/context';
import { reportScope } from '$lib/server/adminReport';
import { monthlyReport } from '$lib/server/reports/monthly';
import { requireUser } from '$lib/server/auth';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user);
	const { db } = await serverContext();
	const scope = await reportScope(db, user, url);
	const devices = await db.selectFrom('devices').select((eb) => eb.fn.countAll<number>().as('n')).where('revoked_at', 'is', null).executeTakeFirst();
	const teams = await db.selectFrom('teams').select((eb) => eb.fn.countAll<number>().as('n')).where('archived_at', 'is', null).executeTakeFirst();
	const report = scope.unitId ? await monthlyReport(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() }) : null;
	return {
		units: scope.units.length,
		teams: Number(teams?.n ?? 0),
		devices: Number(devices?.n ?? 0),
		period: scope.period,
		unitId: scope.unitId,
		completeness: report?.completeness ?? null
	};
};
