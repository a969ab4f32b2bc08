import { serverContext } from '$lib/server/context';
import { requireUser, visibleUnitIds } from '$lib/server/auth';
import { InputError, refusal } from '$lib/server/inputError';
import { archiveUnit, createUnit, importTreeCsv, loadTree, moveUnit, renameUnit } from '$lib/server/orgTree';
import { createTeam, listTeams } from '$lib/server/teams';
import { teamUnitLookup } from '$lib/server/scope';
import { loadHistory } from '$lib/server/orgHistory';
import { unitEnding, type UnitEnding } from '$lib/domain/orgHistory';
import { localDateOf } from '$lib/domain/period';
import type { OrgUnitKind, User } from '$lib/server/db/schema';
import type { RolloutPhase, TeamLevel } from '$lib/domain/teamRules';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals.user);
	const { db } = await serverContext();
	const [tree, teamUnit] = await Promise.all([loadTree(db), teamUnitLookup(db)]);
	const visible = visibleUnitIds(user, tree, teamUnit);
	const inReach = (id: string) => visible === 'all' || visible.has(id);
	const teams = await listTeams(db, {});
	// Units a dated change ended: "Sáp nhập vào Xã Đức Thọ từ 01/07/2025". Only the admin sees them:
	// an officer's area is today's tree, which no longer holds them.
	const ended: { id: string; name: string; ending: UnitEnding }[] = [];
	if (user.role === 'admin') {
		const [history, archived] = await Promise.all([
			loadHistory(db),
			db.selectFrom('org_units').select(['id', 'name']).where('archived_at', 'is not', null).orderBy('name').execute()
		]);
		const today = localDateOf(new Date());
		for (const unit of archived) {
			const ending = unitEnding(history, unit.id, today);
			if (ending) ended.push({ id: unit.id, name: unit.name, ending });
		}
	}
	// Depth-first order with depth, so the page can indent without recursion.
	const ordered: { id: string; name: string; code: string | null; kind: OrgUnitKind; depth: number; parentId: string | null }[] = [];
	const walk = (id: string, depth: number) => {
		const unit = tree.byId(id);
		if (!unit) return;
		if (inReach(id)) ordered.push({ id, name: unit.name, code: unit.code, kind: unit.kind, depth, parentId: unit.parent_id });
		for (const child of tree.children(id)) walk(child.id, depth + 1);
	};
	for (const root of tree.roots()) walk(root.id, 0);
	return {
		units: ordered,
		teams: teams.filter((t) => inReach(t.unit_id)).map((t) => ({ id: t.id, name: t.name, unitId: t.unit_id, level: t.level })),
		ended,
		canEdit: user.role === 'admin' || user.role === 'officer',
		canRecordChanges: user.role === 'admin'
	};
};

async function editable(user: User, unitId: string | null) {
	const { db } = await serverContext();
	if (user.role === 'admin') return db;
	if (user.role !== 'officer' || !unitId) return null;
	const visible = visibleUnitIds(user, await loadTree(db));
	return visible === 'all' || visible.has(unitId) ? db : null;
}

const text = (form: FormData, key: string) => String(form.get(key) ?? '').trim();
/** The administrative code as typed: empty clears it; a form without the field leaves it as it is. */
const codeOf = (form: FormData) => (form.has('code') ? text(form, 'code') || null : undefined);

/** The page's own refusals, as codes the page words (adminText.ts unitsRefusalText). */
const refused = (code: 'forbidden' | 'importAdminOnly' | 'fileMissing' | 'fileTooLarge', status?: number) => refusal(new InputError(null, code, code), null, status);

/** Runs a change; input errors come back to the form in plain words, anything else is a 500. */
async function change(run: () => Promise<unknown>) {
	try {
		await run();
		return { saved: true };
	} catch (e) {
		return refusal(e);
	}
}

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		const form = await request.formData();
		const parentId = text(form, 'parentId') || null;
		const db = await editable(user, parentId);
		if (!db) return refused('forbidden');
		return change(() =>
			createUnit(db, { name: text(form, 'name'), kind: text(form, 'kind') as OrgUnitKind, parentId, code: codeOf(form) ?? null, actor: `user:${user.id}`, now: new Date() })
		);
	},
	rename: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		const form = await request.formData();
		const db = await editable(user, text(form, 'id'));
		if (!db) return refused('forbidden');
		return change(() => renameUnit(db, { id: text(form, 'id'), name: text(form, 'name'), code: codeOf(form), actor: `user:${user.id}`, now: new Date() }));
	},
	move: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		const form = await request.formData();
		const db = await editable(user, text(form, 'id'));
		if (!db || !(await editable(user, text(form, 'newParentId')))) return refused('forbidden');
		return change(() =>
			moveUnit(db, { id: text(form, 'id'), newParentId: text(form, 'newParentId') || null, actor: `user:${user.id}`, now: new Date() })
		);
	},
	archive: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		const form = await request.formData();
		const db = await editable(user, text(form, 'id'));
		if (!db) return refused('forbidden');
		return change(() => archiveUnit(db, { id: text(form, 'id'), actor: `user:${user.id}`, now: new Date() }));
	},
	createTeam: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		const form = await request.formData();
		const db = await editable(user, text(form, 'unitId'));
		if (!db) return refused('forbidden');
		return change(() =>
			createTeam(db, {
				unitId: text(form, 'unitId'),
				name: text(form, 'name'),
				level: text(form, 'level') as TeamLevel,
				phase: text(form, 'phase') as RolloutPhase,
				establishedOn: text(form, 'establishedOn'),
				actor: `user:${user.id}`,
				now: new Date()
			})
		);
	},
	import: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		if (user.role !== 'admin') return refused('importAdminOnly', 403);
		const file = (await request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0) return refused('fileMissing');
		if (file.size > 5 * 1024 * 1024) return refused('fileTooLarge', 413);
		const { db } = await serverContext();
		try {
			const result = await importTreeCsv(db, await file.text(), { actor: `user:${user.id}`, now: new Date() });
			return { imported: result };
		} catch (e) {
			return refusal(e);
		}
	}
};
