import { applyEdits } from '$lib/domain/commendation';
import { reportScope } from '$lib/server/adminReport';
import { refuse, requireUser } from '$lib/server/auth';
import { loadCommendationEdits, proposeCommendations } from '$lib/server/commendations';
import { serverContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user, url.pathname + url.search);
	const { db } = await serverContext();
	const scope = await reportScope(db, user, url);
	if (!scope.unitId) refuse(404, 'unitNotFound');
	const [proposal, saved] = await Promise.all([
		proposeCommendations(db, { unitId: scope.unitId, period: scope.period, rule: scope.rule, now: new Date() }),
		loadCommendationEdits(db, { unitId: scope.unitId, period: scope.period })
	]);
	const reviewed = applyEdits(proposal.lines, saved);
	return {
		unit: proposal.unit,
		period: proposal.period,
		generatedAt: proposal.generatedAt,
		parentName: proposal.unit.path.at(-2) ?? '',
		lines: reviewed.lines.filter((l) => l.included).map(({ line, note }) => ({ line, note })),
		added: reviewed.added
	};
};
