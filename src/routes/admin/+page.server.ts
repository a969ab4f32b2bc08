import { serverContext } from '$lib/server/context';
import { reportScope } from '$lib/server/adminReport';
import { monthlyReport } from '$lib/server/reports/monthly';
import { requireUser } from '$lib/server/auth';
import { pendingDecisions } from '$lib/server/membership';
import { teamOverviews } from '$lib/server/teamOverview';
import { listDevices } from '$lib/server/devices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user);
	const { db } = await serverContext();
	const scope = await reportScope(db, user, url);
	const report = scope.unitId ? await monthlyReport(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() }) : null;
	const [pending, overviews] = await Promise.all([pendingDecisions(db, user), teamOverviews(db, user)]);
	// Counts within the user's reach only: another commune's numbers are not theirs to see.
	const inReach = await listDevices(db, user.role === 'admin' ? {} : { teamIds: overviews.map((t) => t.id) });
	const devices = inReach.filter((d) => d.revoked_at === null).length;
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
		// Units in force today: those a change ended stay readable in reports but are not counted.
		units: scope.units.filter((u) => u.archived_at === null).length,
		teams: overviews.length,
		devices,
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
