// Each village's number of households, which the report's household coverage is measured against.
// The admin and a commune's officer (for the villages of their commune) enter it; a leader reads
// coverage in the report but does not set the count.
import { serverContext } from '$lib/server/context';
import { refuse, requireUser, visibleUnitIds } from '$lib/server/auth';
import { InputError, refusal } from '$lib/server/inputError';
import { loadTree } from '$lib/server/orgTree';
import { householdCountsAsOf, MAX_HOUSEHOLDS, recordHouseholdCount, VILLAGE_KINDS } from '$lib/server/householdCounts';
import { localDateOf } from '$lib/domain/period';
import type { User } from '$lib/server/db/schema';
import type { Actions, PageServerLoad } from './$types';

function requireCounter(user: User): void {
	if (user.role !== 'admin' && user.role !== 'officer') refuse(403, 'unitOutOfReach');
}

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals.user, '/admin/households');
	requireCounter(user);
	const { db } = await serverContext();
	const tree = await loadTree(db);
	const visible = visibleUnitIds(user, tree);
	const villages: { id: string; name: string; path: string }[] = [];
	const walk = (id: string, path: string[]) => {
		const unit = tree.byId(id);
		if (!unit) return;
		const here = [...path, unit.name];
		if (VILLAGE_KINDS.includes(unit.kind) && (visible === 'all' || visible.has(id))) villages.push({ id, name: unit.name, path: path.slice(-2).join(' › ') });
		for (const child of tree.children(id)) walk(child.id, here);
	};
	for (const root of tree.roots()) walk(root.id, []);
	const today = localDateOf(new Date());
	const counts = await householdCountsAsOf(
		db,
		villages.map((v) => v.id),
		today
	);
	return { today, max: MAX_HOUSEHOLDS, villages: villages.map((v) => ({ ...v, count: counts.get(v.id) ?? null })) };
};

export const actions: Actions = {
	record: async ({ locals, request }) => {
		const user = requireUser(locals.user, '/admin/households');
		requireCounter(user);
		const form = await request.formData();
		const unitId = String(form.get('unitId') ?? '');
		const { db } = await serverContext();
		const visible = visibleUnitIds(user, await loadTree(db));
		if (visible !== 'all' && !visible.has(unitId)) return refusal(new InputError('unitId', 'forbidden', 'Not in your area.'), unitId);
		try {
			await recordHouseholdCount(db, {
				unitId,
				countedOn: String(form.get('countedOn') ?? ''),
				households: String(form.get('households') ?? ''),
				actor: `user:${user.id}`,
				now: new Date()
			});
			return { saved: unitId };
		} catch (e) {
			return refusal(e, unitId);
		}
	}
};
