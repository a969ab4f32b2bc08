import { requireUser } from '$lib/server/auth';
import { serverContext } from '$lib/server/context';
import { pendingDecisions } from '$lib/server/membership';
import { teamOverviews } from '$lib/server/teamOverview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user, url.pathname + url.search);
	const { db } = await serverContext();
	const [teams, pending] = await Promise.all([teamOverviews(db, user), pendingDecisions(db, user)]);
	const waiting = new Map<string, number>();
	for (const d of pending) waiting.set(d.teamId, (waiting.get(d.teamId) ?? 0) + 1);
	const onlyFlagged = url.searchParams.get('warnings') === '1';
	return {
		teams: teams.filter((t) => !onlyFlagged || t.warnings.length > 0).map((t) => ({ ...t, pending: waiting.get(t.id) ?? 0 })),
		total: teams.length,
		flagged: teams.filter((t) => t.warnings.length > 0).length,
		onlyFlagged
	};
};
