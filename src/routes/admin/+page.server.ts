import { serverContext } from '$lib/server/context';
import { reportScope } from '$lib/server/adminReport';
import { monthlyReport } from '$lib/server/reports/monthly';
import { requireUser } from '$lib/server/auth';
import { pendingDecisions } from '$lib/server/membership';
import { teamOverviews } from '$lib/server/teamOverview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user);
	const { db } = await serverContext();
	const scope = await reportScope(db, user, url);
	const devices = await db.selectFrom('devices').select((eb) => eb.fn.countAll<number>().as('n')).where('revoked_at', 'is', null).executeTakeFirst();
	const teams = await db.selectFrom('teams').select((eb) => eb.fn.countAll<number>().as('n')).where('archived_at', 'is', null).executeTakeFirst();
	const report = scope.unitId ? await monthlyReport(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() }) : null;
	const [pending, overviews] = await Promise.all([pendingDecisions(db, user), teamOverviews(db, user)]);
	// Whose move it is: a leader proposes recorded requests; an officer or admin decides proposals.
	const mine = user.role === 'leader' ? 'leader' : 'officer';
	const waiting = pending.filter((d) => d.awaiting === mine);
	const byTeam = new Map<string, { id: string; name: string; count: number }>();
	for (const d of waiting) {
		const entry = byTeam.get(d.teamId) ?? { id: d.teamId, name: d.teamName, count: 0 };
		entry.count++;
		byTeam.set(d.teamId, entry);
	}
	return {
		units: scope.units.length,
		teams: Number(teams?.n ?? 0),
		devices: Number(devices?.n ?? 0),
		period: scope.period,
		unitId: scope.unitId,
		completeness: report?.completeness ?? null,
		decisions: {
			waiting: waiting.length,
			teams: [...byTeam.values()],
			/** A leader's proposals now with the commune. */
			atCommune: user.role === 'leader' ? pending.filter((d) => d.awaiting === 'officer').length : 0
		},
		flaggedTeams: overviews.filter((t) => t.warnings.length > 0).length
	};
};
