// A province's official mapping of old units to new ones (the annex of a resolution such as
// 1656/NQ-UBTVQH15), imported as CSV: old unit code, new unit code, new unit name, effective date,
// resolution. Rows sharing a new code form one new unit. The file becomes dated changes, planned
// one after another on a copy of the history: all of them apply, or none (a dry run is the plan
// without saving it). Every refusal names the CSV line at fault.
import { isCalendarDate, type LocalDate } from './period';
import { parseCsvLines, undefuseFormulas } from './csv';
import type { NameProblem } from './text';
import { KIND_RANK, treeAsOf, type OrgHistory, type OrgUnitKind, type RecordedChange, type TreeAsOf } from './orgHistory';
import { planChange, type ChangePreview, type OrgChange, type RefusalReason } from './orgChange';

export const MAPPING_COLUMNS = ['old_code', 'new_code', 'new_name', 'effective_on', 'basis'] as const;
export type MappingColumn = (typeof MAPPING_COLUMNS)[number];

/** Header words accepted for each column: ours, and the Vietnamese an officer would type. */
const HEADER_ALIASES: Record<MappingColumn, readonly string[]> = {
	old_code: ['old_code', 'mã cũ', 'ma cu', 'mã đơn vị cũ'],
	new_code: ['new_code', 'mã mới', 'ma moi', 'mã đơn vị mới'],
	new_name: ['new_name', 'tên mới', 'ten moi', 'tên đơn vị mới'],
	effective_on: ['effective_on', 'ngày hiệu lực', 'ngay hieu luc'],
	basis: ['basis', 'nghị quyết', 'nghi quyet', 'căn cứ']
};

export type MappingProblem =
	| 'empty'
	| 'missing_column'
	| 'missing_value'
	| 'bad_date'
	| 'mapped_twice'
	| 'unknown_code'
	| 'ambiguous_code'
	| 'mixed_dates'
	| 'mixed_names'
	| 'mixed_basis'
	| 'cycle'
	| 'target_mapped_away'
	| 'no_common_parent';

export interface MappingRow {
	line: number;
	oldCode: string;
	newCode: string;
	newName: string;
	effectiveOn: LocalDate;
	basis: string;
}

export interface MappingRefusal {
	line: number;
	reason: MappingProblem | RefusalReason;
	/** The CSV column at fault, or the change field for a refusal of the resulting tree. */
	field: string;
	/** For a refusal of the resulting tree: the unit or team it is about. */
	unitId?: string;
	teamId?: string;
	nameProblem?: NameProblem;
}

export type MappingAction = 'merge' | 'rename' | 'dissolve' | 'unchanged';

/** One new unit of the file, as the dry run lists it. */
export interface MappingStep {
	lines: number[];
	action: MappingAction;
	oldCodes: string[];
	newCode: string;
	newName: string;
	effectiveOn: LocalDate;
}

export type MappingPlan =
	| { ok: true; history: OrgHistory; steps: MappingStep[]; changes: OrgChange[]; recorded: RecordedChange[]; previews: ChangePreview[] }
	| { ok: false; refusal: MappingRefusal };

class MappingRefused extends Error {
	constructor(readonly refusal: MappingRefusal) {
		super(refusal.reason);
	}
}

const fail = (line: number, reason: MappingRefusal['reason'], field: string, about: { unitId?: string; teamId?: string; nameProblem?: NameProblem } = {}): never => {
	throw new MappingRefused({ line, reason, field, ...about });
};

/** 'YYYY-MM-DD', or 'dd/mm/yyyy' as Excel shows Vietnamese dates; null if neither is a real day. */
export function mappingDate(raw: string): LocalDate | null {
	const vi = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
	const date = vi ? `${vi[3]}-${vi[2]!.padStart(2, '0')}-${vi[1]!.padStart(2, '0')}` : raw;
	return isCalendarDate(date) ? date : null;
}

const fold = (s: string) => s.normalize('NFC').trim().toLowerCase();

/** The rows of a mapping file, checked cell by cell; refuses at the first bad line. */
export function parseMapping(text: string): { ok: true; rows: MappingRow[] } | { ok: false; refusal: MappingRefusal } {
	try {
		return { ok: true, rows: readRows(text) };
	} catch (error) {
		if (error instanceof MappingRefused) return { ok: false, refusal: error.refusal };
		throw error;
	}
}

function readRows(text: string): MappingRow[] {
	const records = parseCsvLines(text).filter((r) => r.cells.some((c) => c.trim() !== ''));
	const header = records[0] ?? fail(1, 'empty', 'csv');
	const names = header.cells.map(fold);
	const col = {} as Record<MappingColumn, number>;
	for (const column of MAPPING_COLUMNS) {
		const at = names.findIndex((n) => HEADER_ALIASES[column].includes(n));
		col[column] = at < 0 ? fail(header.line, 'missing_column', column) : at;
	}
	const rows: MappingRow[] = [];
	const seen = new Set<string>();
	for (const { line, cells } of records.slice(1)) {
		const cell = (c: MappingColumn) => {
			const value = undefuseFormulas((cells[col[c]] ?? '').trim()).normalize('NFC');
			return value === '' ? fail(line, 'missing_value', c) : value;
		};
		const row = { line, oldCode: cell('old_code'), newCode: cell('new_code'), newName: cell('new_name'), effectiveOn: mappingDate(cell('effective_on')) ?? fail(line, 'bad_date', 'effective_on'), basis: cell('basis') };
		if (seen.has(row.oldCode)) fail(line, 'mapped_twice', 'old_code');
		seen.add(row.oldCode);
		rows.push(row);
	}
	if (rows.length === 0) fail(header.line, 'empty', 'csv');
	return rows;
}

interface Group {
	newCode: string;
	rows: MappingRow[];
	/** Unit ids of the old codes, in line order. */
	sourceIds: string[];
}

/**
 * The file as dated changes applied to `history`. `newId` names each new unit (the server: a UUID).
 * Order: districts (higher ranks) first, so a commune formed across districts finds the province as
 * its parent once the districts are gone.
 */
export function planMapping(history: OrgHistory, text: string, newId: () => string): MappingPlan {
	try {
		const rows = readRows(text);
		const groups = groupRows(history, rows);
		let current = history;
		const steps: MappingStep[] = [];
		const changes: OrgChange[] = [];
		const recorded: RecordedChange[] = [];
		const previews: ChangePreview[] = [];
		for (const group of groups) {
			const first = group.rows[0]!;
			const { action, planned } = changesOf(dayTrees(current)(first.effectiveOn), group, newId);
			steps.push({ lines: group.rows.map((r) => r.line), action, oldCodes: group.rows.map((r) => r.oldCode), newCode: group.newCode, newName: first.newName, effectiveOn: first.effectiveOn });
			for (const { change, line } of planned) {
				const result = planChange(current, change);
				if (!result.ok) {
					const { reason, field, ...about } = result.refusal;
					return fail(line, reason, field, about);
				}
				current = result.history;
				changes.push(change);
				recorded.push(result.recorded);
				previews.push(result.preview);
			}
		}
		return { ok: true, history: current, steps, changes, recorded, previews };
	} catch (error) {
		if (error instanceof MappingRefused) return { ok: false, refusal: error.refusal };
		throw error;
	}
}

/** The tree of a day with its units by code, built once per day (a province has thousands of units). */
interface DayTree {
	tree: TreeAsOf;
	byCode: Map<string, string[]>;
}

function dayTrees(history: OrgHistory): (date: LocalDate) => DayTree {
	const cache = new Map<LocalDate, DayTree>();
	return (date) => {
		let day = cache.get(date);
		if (!day) {
			const tree = treeAsOf(history, date);
			const byCode = new Map<string, string[]>();
			for (const u of tree.units) if (u.code !== null) byCode.set(u.code, [...(byCode.get(u.code) ?? []), u.id]);
			cache.set(date, (day = { tree, byCode }));
		}
		return day;
	};
}

/** The unit that has `code` on the day; refuses a code two units share. */
function unitByCode(day: DayTree, code: string, line: number, field: MappingColumn): string | null {
	const found = day.byCode.get(code) ?? [];
	if (found.length > 1) fail(line, 'ambiguous_code', field);
	return found[0] ?? null;
}

function groupRows(history: OrgHistory, rows: readonly MappingRow[]): Group[] {
	const on = dayTrees(history);
	const byCode = new Map<string, Group>();
	for (const row of rows) {
		const sourceId = unitByCode(on(row.effectiveOn), row.oldCode, row.line, 'old_code') ?? fail(row.line, 'unknown_code', 'old_code');
		const group = byCode.get(row.newCode);
		if (!group) {
			byCode.set(row.newCode, { newCode: row.newCode, rows: [row], sourceIds: [sourceId] });
			continue;
		}
		const first = group.rows[0]!;
		if (row.effectiveOn !== first.effectiveOn) fail(row.line, 'mixed_dates', 'effective_on');
		if (fold(row.newName) !== fold(first.newName)) fail(row.line, 'mixed_names', 'new_name');
		if (row.basis !== first.basis) fail(row.line, 'mixed_basis', 'basis');
		group.rows.push(row);
		group.sourceIds.push(sourceId);
	}
	const groups = [...byCode.values()];
	checkTargets(on, groups);
	const rank = new Map(groups.map((g) => [g, Math.min(...g.sourceIds.map((id) => KIND_RANK[on(g.rows[0]!.effectiveOn).tree.unit(id)!.kind]))]));
	return groups.sort((a, b) => rank.get(a)! - rank.get(b)! || a.rows[0]!.line - b.rows[0]!.line);
}

/**
 * A new code that is an existing unit's code names that unit as the target. If that unit is itself
 * mapped away on another line the file contradicts itself: a loop (A → B, B → A) or a chain.
 */
function checkTargets(on: (date: LocalDate) => DayTree, groups: readonly Group[]): void {
	const lineOfSource = new Map<string, MappingRow>();
	const groupOfSource = new Map<string, Group>();
	for (const g of groups) g.sourceIds.forEach((id, i) => (lineOfSource.set(id, g.rows[i]!), groupOfSource.set(id, g)));
	const targetOf = (g: Group) => unitByCode(on(g.rows[0]!.effectiveOn), g.newCode, g.rows[0]!.line, 'new_code');
	for (const group of groups) {
		const target = targetOf(group);
		if (target === null || group.sourceIds.includes(target)) continue;
		const away = groupOfSource.get(target);
		if (!away) continue;
		// Follow the targets from there: back into this group is a loop, anywhere else a chain.
		const seen = new Set<Group>([group]);
		let next: Group | undefined = away;
		while (next && !seen.has(next)) {
			seen.add(next);
			const t = targetOf(next);
			next = t === null || next.sourceIds.includes(t) ? undefined : groupOfSource.get(t);
		}
		fail(lineOfSource.get(target)!.line, next === group ? 'cycle' : 'target_mapped_away', 'old_code');
	}
}

/** Vietnamese unit names begin with their kind: "Xã Đức Thọ", "Tổ dân phố 3", "Thôn Trung Tiến". */
const NAME_PREFIX_KIND: readonly [string, OrgUnitKind][] = [
	['tỉnh ', 'province'],
	['huyện ', 'district'],
	['thị xã ', 'district'],
	['xã ', 'commune'],
	['phường ', 'ward'],
	['đặc khu ', 'commune'],
	['thị trấn ', 'town'],
	['tổ dân phố ', 'residentialGroup'],
	['khu phố ', 'residentialGroup'],
	['thôn ', 'village'],
	['xóm ', 'village'],
	['bản ', 'village'],
	['ấp ', 'village']
];

export function kindFromName(name: string): OrgUnitKind | null {
	const folded = fold(name);
	return NAME_PREFIX_KIND.find(([prefix]) => folded.startsWith(prefix))?.[1] ?? null;
}

/** The nearest unit above every source (not a source itself): the new unit's parent. */
function commonParent(tree: TreeAsOf, sourceIds: readonly string[]): string | null | undefined {
	const [first, ...rest] = sourceIds.map((id) => tree.path(id).slice(0, -1).map((u) => u.id));
	if (!first) return undefined;
	const shared = first.filter((id) => rest.every((p) => p.includes(id)) && !sourceIds.includes(id));
	if (shared.length === 0) return first.length === 0 && rest.every((p) => p.length === 0) ? null : undefined;
	return shared[shared.length - 1];
}

function changesOf(day: DayTree, group: Group, newId: () => string): { action: MappingAction; planned: { change: OrgChange; line: number }[] } {
	const first = group.rows[0]!;
	const at = () => ({ id: newId(), effectiveOn: first.effectiveOn, basis: first.basis });
	const { tree } = day;
	const target = unitByCode(day, group.newCode, first.line, 'new_code');
	const lineOf = (id: string) => group.rows[group.sourceIds.indexOf(id)]!.line;
	if (target !== null) {
		const targetUnit = tree.unit(target)!;
		const others = group.sourceIds.filter((id) => id !== target);
		const rename = targetUnit.name !== first.newName ? first.newName : undefined;
		// A district folded into its own province: the district ends and its communes move up.
		if (others.length > 0 && others.every((id) => tree.path(id).some((u) => u.id === target))) {
			const planned: { change: OrgChange; line: number }[] = others.map((unitId) => ({ change: { ...at(), kind: 'dissolve', unitId, childrenTo: target }, line: lineOf(unitId) }));
			if (rename) planned.push({ change: { ...at(), kind: 'rename', unitId: target, name: rename }, line: first.line });
			return { action: 'dissolve', planned };
		}
		if (others.length === 0) {
			if (!rename) return { action: 'unchanged', planned: [] };
			return { action: 'rename', planned: [{ change: { ...at(), kind: 'rename', unitId: target, name: rename }, line: first.line }] };
		}
		return { action: 'merge', planned: [{ change: { ...at(), kind: 'merge', sourceIds: others, into: { unitId: target, name: rename } }, line: lineOf(others[0]!) }] };
	}
	const [only, ...more] = group.sourceIds;
	// One old unit under a new code: the same unit renamed and recoded, so its teams, devices and
	// officers carry on untouched.
	if (more.length === 0) return { action: 'rename', planned: [{ change: { ...at(), kind: 'rename', unitId: only!, name: first.newName, code: group.newCode }, line: first.line }] };
	const parentId = commonParent(tree, group.sourceIds);
	if (parentId === undefined) fail(first.line, 'no_common_parent', 'old_code');
	const kind = kindFromName(first.newName) ?? tree.unit(only!)!.kind;
	const newUnit = { id: newId(), name: first.newName, kind, code: group.newCode, parentId: parentId ?? null };
	return { action: 'merge', planned: [{ change: { ...at(), kind: 'merge', sourceIds: group.sourceIds, into: { newUnit } }, line: first.line }] };
}
