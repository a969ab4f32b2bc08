// Dated changes to the org tree (issue 12): the changes recorded so far, each undoable by recording
// its reverse, and a province's mapping file imported with a dry run first. recordChange and
// importMapping check no area, so the page is the admin's alone (like the units CSV import).
import { randomUUID } from 'node:crypto';
import { serverContext } from '$lib/server/context';
import { requireAdmin } from '$lib/server/auth';
import { InputError, refusal } from '$lib/server/inputError';
import { importMapping, loadHistory, recordChange, undoChange, type ChangeOutcome } from '$lib/server/orgHistory';
import { changeFromForm } from '$lib/server/changeForm';
import { loadTree } from '$lib/server/orgTree';
import { mappingRefusalText } from '$lib/i18n/treeText';
import type { ChangeKind } from '$lib/domain/orgHistory';
import type { Actions, PageServerLoad } from './$types';

/** The uploaded mapping rides in a hidden field between the preview and "apply": keep it small. */
const MAX_MAPPING_BYTES = 256 * 1024;

export const load: PageServerLoad = async ({ locals }) => {
	requireAdmin(locals.user);
	const { db } = await serverContext();
	const [history, rows, users, tree, teams] = await Promise.all([
		loadHistory(db),
		db.selectFrom('org_changes').select(['id', 'kind', 'effective_on', 'basis', 'subjects', 'reverses', 'recorded_by', 'recorded_at']).orderBy('seq', 'desc').execute(),
		db.selectFrom('users').select(['id', 'username', 'display_name']).execute(),
		loadTree(db),
		db.selectFrom('teams').select(['id', 'name', 'unit_id']).where('archived_at', 'is', null).orderBy('name').execute()
	]);
	const unitName = new Map(history.versions.map((v) => [v.unitId, v.name]));
	// A change's undo also names the units it formed (an undone merge's new unit has no version left).
	for (const change of history.changes) for (const e of change.units) if (!unitName.has(e.unitId)) unitName.set(e.unitId, (e.after ?? e.before)?.name ?? e.unitId);
	const userName = new Map(users.map((u) => [`user:${u.id}`, u.display_name || u.username]));
	const reversed = new Set(rows.map((r) => r.reverses).filter((id): id is string => id !== null));
	return {
		// Today's units, for the form that records one change: "Tỉnh Hà Tĩnh › Xã Đức Thọ".
		units: tree.units
			.map((u) => ({ id: u.id, kind: u.kind, name: u.name, parentId: u.parent_id, label: tree.path(u.id).map((p) => p.name).join(' › ') }))
			.sort((a, b) => a.label.localeCompare(b.label, 'vi')),
		// Today's teams by unit: a split places each of the unit's teams in one part.
		teams: teams.map((t) => ({ id: t.id, name: t.name, unitId: t.unit_id })),
		changes: rows.map((r) => ({
			id: r.id,
			kind: r.kind as ChangeKind,
			effectiveOn: r.effective_on,
			basis: r.basis,
			units: (JSON.parse(r.subjects) as string[]).map((id) => unitName.get(id) ?? id),
			recordedBy: userName.get(r.recorded_by) ?? r.recorded_by,
			recordedAt: r.recorded_at,
			undone: reversed.has(r.id)
		}))
	};
};

const text = (form: FormData, key: string) => String(form.get(key) ?? '').trim();

/** The page's own refusals, as codes the page words (treeText.ts changesRefusalText). */
const refused = (code: 'fileMissing' | 'fileTooLarge', status?: number) => refusal(new InputError('file', code, code), null, status);

/** A refused mapping line, worded with the names of the units it speaks of. */
async function mappingRefused(plan: Awaited<ReturnType<typeof importMapping>>['plan']) {
	if (plan.ok) return null;
	const { db } = await serverContext();
	const history = await loadHistory(db);
	const units = new Map(history.versions.map((v) => [v.unitId, v.name]));
	const teams = new Map((await db.selectFrom('teams').select(['id', 'name']).execute()).map((t) => [t.id, t.name]));
	const reason = mappingRefusalText(plan.refusal, { unit: (id) => units.get(id), team: (id) => teams.get(id) });
	return refusal(new InputError('file', 'mappingRefused', reason, { reason }));
}

async function runMapping(csv: string, actor: string, apply: boolean) {
	const { db } = await serverContext();
	try {
		const result = await importMapping(db, csv, { actor, now: new Date(), apply, newId: () => randomUUID() });
		const refusedLine = await mappingRefused(result.plan);
		if (refusedLine || !result.plan.ok) return refusedLine;
		return { mapping: { csv, applied: result.applied, steps: result.plan.steps, counts: result.preview } };
	} catch (e) {
		return refusal(e);
	}
}

/** What the preview shows of one planned change: its kind, the units it names, date and basis. */
async function describe(outcome: ChangeOutcome) {
	const change = outcome.recorded[0]!;
	// A unit the change leaves as it is (a merge's existing target) has no effect: today's name.
	const tree = await loadTree((await serverContext()).db, { includeArchived: true });
	const today = (id: string) => tree.byId(id)?.name ?? id;
	const nameOf = (id: string) => {
		const effect = change.units.find((e) => e.unitId === id);
		return effect?.before?.name ?? effect?.after?.name ?? today(id);
	};
	const afterName = (id: string) => change.units.find((e) => e.unitId === id)?.after?.name ?? today(id);
	const target =
		change.kind === 'merge' || change.kind === 'rename'
			? afterName(change.subjects.at(-1)!)
			: change.kind === 'split'
				? change.subjects.slice(1).map(afterName).join(', ')
				: null;
	const units = change.kind === 'merge' ? change.subjects.slice(0, -1).map(nameOf) : change.subjects.slice(0, 1).map(nameOf);
	return { kind: change.kind as ChangeKind, units, target, effectiveOn: change.effectiveOn, basis: change.basis, counts: outcome.preview };
}

export const actions: Actions = {
	/** One change typed into the form: planned and counted, nothing written. */
	recordPreview: async ({ locals, request }) => {
		const user = requireAdmin(locals.user);
		const { db } = await serverContext();
		try {
			const change = changeFromForm(await request.formData(), { id: randomUUID(), newId: () => randomUUID() });
			const outcome = await recordChange(db, change, { actor: `user:${user.id}`, now: new Date(), apply: false });
			return { single: { change: JSON.stringify(change), applied: false, ...(await describe(outcome)) } };
		} catch (e) {
			return refusal(e, 'single');
		}
	},
	/** The change previewed, planned again on what is stored now and recorded. */
	recordApply: async ({ locals, request }) => {
		const user = requireAdmin(locals.user);
		const { db } = await serverContext();
		let change: unknown;
		try {
			change = JSON.parse(String((await request.formData()).get('change') ?? ''));
		} catch {
			return refused('fileMissing');
		}
		try {
			const outcome = await recordChange(db, change, { actor: `user:${user.id}`, now: new Date(), apply: true });
			return { single: { change: '', applied: true, ...(await describe(outcome)) } };
		} catch (e) {
			return refusal(e, 'single');
		}
	},
	undo: async ({ locals, request }) => {
		const user = requireAdmin(locals.user);
		const form = await request.formData();
		const changeId = text(form, 'changeId');
		const { db } = await serverContext();
		try {
			await undoChange(db, { changeId, id: randomUUID(), basis: text(form, 'basis') }, { actor: `user:${user.id}`, now: new Date(), apply: true });
			return { undone: changeId };
		} catch (e) {
			return refusal(e, changeId);
		}
	},
	preview: async ({ locals, request }) => {
		const user = requireAdmin(locals.user);
		const file = (await request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0) return refused('fileMissing');
		if (file.size > MAX_MAPPING_BYTES) return refused('fileTooLarge', 413);
		return runMapping(await file.text(), `user:${user.id}`, false);
	},
	apply: async ({ locals, request }) => {
		const user = requireAdmin(locals.user);
		// Planned again on what is stored now: the preview may be stale.
		const csv = String((await request.formData()).get('csv') ?? '');
		if (csv.trim() === '') return refused('fileMissing');
		if (csv.length > MAX_MAPPING_BYTES) return refused('fileTooLarge', 413);
		return runMapping(csv, `user:${user.id}`, true);
	}
};
