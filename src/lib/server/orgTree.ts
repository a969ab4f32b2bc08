// The org tree: province > (district, abolished July 2025) > commune/ward/town > village or
// residential group. Depth is data: any chain works as long as each child ranks below its parent.
// The tree is built in memory (a province has a few thousand units) so reports can reuse it.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { parseCsvLines, toCsv, undefuseFormulas } from '$lib/domain/csv';
import { KIND_RANK, subtreeIds, teamLevelOfKind, type OrgUnitKind } from '$lib/domain/orgHistory';
import { localDateOf } from '$lib/domain/period';
import { cleanText, MAX_NAME_LENGTH } from '$lib/domain/text';
import { requireName } from '$lib/i18n/nameText';
import { InputError, requireNameInput } from './inputError';
import { recordAudit } from './audit';
import type { Database, OrgUnit } from './db/schema';
import { inForceSince, loadHistory, ORG_HISTORY_START, recordChange } from './orgHistory';

/** A refused import: the CSV line at fault in the message and as params.line. */
const csvError = (line: number, message: string) => new InputError('csv', 'invalid', message, { line: String(line) });

export const ORG_UNIT_KINDS = Object.keys(KIND_RANK) as OrgUnitKind[];

export function isOrgUnitKind(value: unknown): value is OrgUnitKind {
	return typeof value === 'string' && Object.hasOwn(KIND_RANK, value);
}

const MAX_CODE_LENGTH = 20;
const MAX_IMPORT_ROWS = 20_000;
const INSERT_CHUNK = 500;

const requireUnitName = (raw: unknown) => requireNameInput(raw, 'name');

function requireKind(raw: unknown): OrgUnitKind {
	if (!isOrgUnitKind(raw)) throw new InputError('kind', 'invalid', `Unknown kind; use one of ${ORG_UNIT_KINDS.join(', ')}.`);
	return raw;
}

function cleanCode(raw: unknown): string | null {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return null;
	const code = cleanText(raw, MAX_CODE_LENGTH);
	if (!code) throw new InputError('code', 'invalid', `The code must be at most ${MAX_CODE_LENGTH} characters.`);
	return code;
}

function rankProblem(parent: OrgUnit, childKind: OrgUnitKind): string | null {
	if (KIND_RANK[childKind] > KIND_RANK[parent.kind]) return null;
	return `A ${childKind} cannot sit under a ${parent.kind} (${parent.name}).`;
}

// ---------------------------------------------------------------------------------------------
// The in-memory tree: pure, so reports and property tests can use it without a database.

const collator = new Intl.Collator('vi', { numeric: true });
const byName = (a: OrgUnit, b: OrgUnit) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class OrgTree {
	/** Depth-first, parents before children, siblings by name; units on a parent cycle (bad data) last. */
	readonly units: OrgUnit[];
	readonly #byId = new Map<string, OrgUnit>();
	readonly #children = new Map<string, OrgUnit[]>();
	readonly #roots: OrgUnit[] = [];

	constructor(units: readonly OrgUnit[]) {
		for (const unit of units) this.#byId.set(unit.id, unit);
		for (const unit of this.#byId.values()) {
			// A unit whose parent is missing (e.g. archived and not loaded) is shown as a root.
			if (unit.parent_id === null || !this.#byId.has(unit.parent_id)) this.#roots.push(unit);
			else if (unit.parent_id !== unit.id) this.#listOf(unit.parent_id).push(unit);
		}
		this.#roots.sort(byName);
		for (const list of this.#children.values()) list.sort(byName);
		this.units = this.#preorder();
	}

	#listOf(parentId: string): OrgUnit[] {
		let list = this.#children.get(parentId);
		if (!list) this.#children.set(parentId, (list = []));
		return list;
	}

	#preorder(): OrgUnit[] {
		const seen = new Set<string>();
		const out: OrgUnit[] = [];
		for (const root of this.#roots) for (const id of this.descendantIds(root.id)) seen.add(id);
		for (const id of seen) out.push(this.#byId.get(id)!);
		for (const unit of this.#byId.values()) if (!seen.has(unit.id)) out.push(unit);
		return out;
	}

	byId(id: string): OrgUnit | undefined {
		return this.#byId.get(id);
	}

	children(id: string): OrgUnit[] {
		return [...(this.#children.get(id) ?? [])];
	}

	roots(): OrgUnit[] {
		return [...this.#roots];
	}

	/** `id` and everything below it, depth-first; [] for an unknown id. Safe on cyclic data. */
	descendantIds(id: string): string[] {
		if (!this.#byId.has(id)) return [];
		return subtreeIds(id, (unitId) => (this.#children.get(unitId) ?? []).map((unit) => unit.id));
	}

	/** Root first, ending at the unit itself; [] for an unknown id. Stops if the data loops. */
	path(id: string): OrgUnit[] {
		const out: OrgUnit[] = [];
		const seen = new Set<string>();
		let unit = this.#byId.get(id);
		while (unit && !seen.has(unit.id)) {
			seen.add(unit.id);
			out.push(unit);
			unit = unit.parent_id === null ? undefined : this.#byId.get(unit.parent_id);
		}
		return out.reverse();
	}

	/** 0 for a root. */
	depth(id: string): number {
		return Math.max(0, this.path(id).length - 1);
	}

	/** Whether the chain of parents above `id` loops instead of reaching a root. */
	isOnCycle(id: string): boolean {
		const top = this.path(id)[0];
		return top !== undefined && top.parent_id !== null && this.#byId.has(top.parent_id);
	}
}

export async function loadTree(db: Kysely<Database>, options: { includeArchived?: boolean } = {}): Promise<OrgTree> {
	let query = db.selectFrom('org_units').selectAll();
	if (!options.includeArchived) query = query.where('archived_at', 'is', null);
	return new OrgTree(await query.execute());
}

// ---------------------------------------------------------------------------------------------
// Writes. Each runs in one transaction with its audit record.

/** Kysely hides the dialect; PostgreSQL is the one that numbers its parameters ($1). */
function isPostgres(db: Kysely<Database>): boolean {
	return db.selectFrom('org_units').select('id').where('id', '=', '').compile().sql.includes('$1');
}

export type LockedTable = 'org_units' | 'teams' | 'members';
const LOCK_ORDER: readonly LockedTable[] = ['org_units', 'teams', 'members'];

/**
 * Runs `work` in a transaction (or the caller's) that holds write locks on `tables`, so two
 * officers' checks-then-writes (cycles, one team per unit, one leader) cannot interleave. SQLite
 * already runs one write transaction at a time; PostgreSQL needs the table locks, which leave
 * plain reads alone. Tables are always locked in one order so two writers cannot deadlock.
 */
export async function writeTransaction<T>(
	db: Kysely<Database>,
	tables: readonly LockedTable[],
	work: (trx: Transaction<Database>) => Promise<T>
): Promise<T> {
	const run = async (trx: Transaction<Database>) => {
		if (isPostgres(trx)) {
			const ordered = LOCK_ORDER.filter((t) => tables.includes(t));
			if (ordered.length > 0) {
				await sql`lock table ${sql.join(ordered.map((t) => sql.table(t)))} in share row exclusive mode`.execute(trx);
			}
		}
		return work(trx);
	};
	return db.isTransaction ? run(db as Transaction<Database>) : db.transaction().execute(run);
}

async function findUnit(db: Kysely<Database>, id: string, field: string): Promise<OrgUnit> {
	const unit = await db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
	if (!unit) throw new InputError(field, 'invalid', `There is no unit ${id}.`);
	return unit;
}

async function activeUnit(db: Kysely<Database>, id: string, field: string): Promise<OrgUnit> {
	const unit = await findUnit(db, id, field);
	if (unit.archived_at !== null) throw new InputError(field, 'invalid', `${unit.name} is archived.`);
	return unit;
}

const subject = (id: string) => `unit:${id}`;

/**
 * What an edit on the tree page records as its basis: it cites no resolution. A change with a legal
 * basis and its own date goes through orgHistory.recordChange.
 */
export const EDIT_BASIS = '—';

/**
 * Records an edit as a dated change through the one path (orgHistory.recordChange): today's date,
 * or `effectiveOn`. The caller audits it in its own words, with the change's id.
 */
async function recordEdit(trx: Kysely<Database>, change: Record<string, unknown> & { kind: string }, input: { actor: string; now: Date; effectiveOn?: string }): Promise<string> {
	const id = randomUUID();
	const effectiveOn = input.effectiveOn ?? localDateOf(input.now);
	await recordChange(trx, { ...change, id, effectiveOn, basis: EDIT_BASIS }, { actor: input.actor, now: input.now, apply: true, audit: false });
	return id;
}

/**
 * Adds a unit that already exists on the ground to the tree: in force from the history's start, or
 * under a parent from the day the parent took its current form (a village entered under xã Đức Thọ
 * starts on 1 July 2025), so the teams placed in it keep their earlier periods' tallies.
 */
export async function createUnit(
	db: Kysely<Database>,
	input: { name: string; kind: OrgUnitKind; parentId: string | null; code?: string | null; actor: string; now: Date }
): Promise<OrgUnit> {
	const name = requireUnitName(input.name);
	const kind = requireKind(input.kind);
	const code = cleanCode(input.code);
	return writeTransaction(db, ['org_units', 'teams'], async (trx) => {
		let effectiveOn = ORG_HISTORY_START;
		if (input.parentId !== null) {
			const problem = rankProblem(await activeUnit(trx, input.parentId, 'parentId'), kind);
			if (problem) throw new InputError('parentId', 'invalid', problem);
			effectiveOn = inForceSince(await loadHistory(trx), input.parentId, localDateOf(input.now)) ?? localDateOf(input.now);
		}
		const id = randomUUID();
		const changeId = await recordEdit(trx, { kind: 'create', unit: { id, name, kind, code, parentId: input.parentId } }, { ...input, effectiveOn });
		const unit = (await trx.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
		await recordAudit(trx, { actor: input.actor, action: 'unit.create', subject: subject(unit.id), detail: { name, kind, parentId: unit.parent_id, code, changeId }, now: input.now });
		return unit;
	});
}

/**
 * Changes the name and, when `code` is given (null clears it), the administrative code, from today.
 * A code given to a unit that had none is written into its whole history instead.
 */
export async function renameUnit(
	db: Kysely<Database>,
	input: { id: string; name: string; code?: string | null; actor: string; now: Date }
): Promise<OrgUnit> {
	const name = requireUnitName(input.name);
	const code = input.code === undefined ? undefined : cleanCode(input.code);
	return writeTransaction(db, ['org_units', 'teams'], async (trx) => {
		const unit = await activeUnit(trx, input.id, 'id');
		const next = { ...unit, name, code: code === undefined ? unit.code : code };
		if (next.name === unit.name && next.code === unit.code) return unit;
		// A missing code filled in is a correction, not a change: the unit has always carried it, so a
		// province's mapping dated before today finds it by that code.
		if (next.name === unit.name && unit.code === null) {
			await trx.updateTable('org_unit_versions').set({ code: next.code }).where('unit_id', '=', unit.id).where('code', 'is', null).execute();
			await trx.updateTable('org_units').set({ code: next.code }).where('id', '=', unit.id).execute();
			await recordAudit(trx, { actor: input.actor, action: 'unit.rename', subject: subject(unit.id), detail: { from: { name: unit.name, code: null }, to: { name, code: next.code }, correction: true }, now: input.now });
			return next;
		}
		const changeId = await recordEdit(trx, { kind: 'rename', unitId: unit.id, name: next.name, code: next.code }, input);
		await recordAudit(trx, {
			actor: input.actor,
			action: 'unit.rename',
			subject: subject(unit.id),
			detail: { from: { name: unit.name, code: unit.code }, to: { name: next.name, code: next.code }, changeId },
			now: input.now
		});
		return next;
	});
}

/** Re-parents a unit with everything under it from today (e.g. communes moving to the province in 2025). */
export async function moveUnit(
	db: Kysely<Database>,
	input: { id: string; newParentId: string | null; actor: string; now: Date }
): Promise<OrgUnit> {
	return writeTransaction(db, ['org_units', 'teams'], async (trx) => {
		const unit = await activeUnit(trx, input.id, 'id');
		if (unit.parent_id === input.newParentId) return unit;
		if (input.newParentId !== null) {
			const parent = await activeUnit(trx, input.newParentId, 'parentId');
			const tree = await loadTree(trx);
			if (tree.descendantIds(unit.id).includes(parent.id)) {
				throw new InputError('parentId', 'invalid', `${unit.name} cannot move under itself or a unit below it.`);
			}
			const problem = rankProblem(parent, unit.kind);
			if (problem) throw new InputError('parentId', 'invalid', problem);
		}
		const changeId = await recordEdit(trx, { kind: 'move', unitId: unit.id, parentId: input.newParentId }, input);
		await recordAudit(trx, { actor: input.actor, action: 'unit.move', subject: subject(unit.id), detail: { from: unit.parent_id, to: input.newParentId, changeId }, now: input.now });
		return { ...unit, parent_id: input.newParentId };
	});
}

/** Archives a unit that nothing active depends on: it is dissolved from today and stays for old reports. */
export async function archiveUnit(db: Kysely<Database>, input: { id: string; actor: string; now: Date }): Promise<OrgUnit> {
	return writeTransaction(db, ['org_units', 'teams'], async (trx) => {
		const unit = await activeUnit(trx, input.id, 'id');
		const child = await trx.selectFrom('org_units').select('name').where('parent_id', '=', unit.id).where('archived_at', 'is', null).executeTakeFirst();
		if (child) throw new InputError('id', 'invalid', `${unit.name} still has active units under it (${child.name}); archive or move them first.`);
		const team = await trx.selectFrom('teams').select('name').where('unit_id', '=', unit.id).where('archived_at', 'is', null).executeTakeFirst();
		if (team) throw new InputError('id', 'invalid', `${unit.name} still has an active team (${team.name}); archive it first.`);
		const changeId = await recordEdit(trx, { kind: 'dissolve', unitId: unit.id }, input);
		const archivedAt = input.now.toISOString();
		await trx.updateTable('org_units').set({ archived_at: archivedAt }).where('id', '=', unit.id).execute();
		await recordAudit(trx, { actor: input.actor, action: 'unit.archive', subject: subject(unit.id), detail: { changeId }, now: input.now });
		return { ...unit, archived_at: archivedAt };
	});
}

// ---------------------------------------------------------------------------------------------
// CSV: the active tree, parents before children, so an export imports anywhere as it is.

export const TREE_CSV_COLUMNS = ['id', 'parent_id', 'kind', 'name', 'code'] as const;
type TreeColumn = (typeof TREE_CSV_COLUMNS)[number];

export async function exportTreeCsv(db: Kysely<Database>): Promise<string> {
	const tree = await loadTree(db);
	return toCsv([TREE_CSV_COLUMNS, ...tree.units.map((u) => [u.id, u.parent_id ?? '', u.kind, u.name, u.code ?? ''])]);
}

interface ImportRow {
	line: number;
	id: string;
	parentId: string | null;
	kind: OrgUnitKind;
	name: string;
	code: string | null;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** toCsv defuses = + - @ where a cell could start (formula injection); take that off again. */
const undefuse = (cell: string) => undefuseFormulas(cell.trim());

function headerIndex(cells: readonly string[]): Record<TreeColumn, number> {
	const names = cells.map((c) => c.trim().toLowerCase());
	const missing = TREE_CSV_COLUMNS.filter((c) => !names.includes(c));
	if (missing.length > 0) throw csvError(1, `Line 1: the header must name the columns ${TREE_CSV_COLUMNS.join(', ')}; missing ${missing.join(', ')}.`);
	return Object.fromEntries(TREE_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<TreeColumn, number>;
}

function parseRow(line: number, cells: readonly string[], col: Record<TreeColumn, number>): ImportRow {
	const cell = (c: TreeColumn) => undefuse(cells[col[c]] ?? '');
	const fail = (message: string): never => {
		throw csvError(line, `Line ${line}: ${message}`);
	};
	const id = cell('id');
	if (!ID_PATTERN.test(id)) fail(`the id "${id}" must be 1–64 letters, digits, _ . : or -.`);
	const kind = cell('kind');
	if (!isOrgUnitKind(kind)) return fail(`unknown kind "${kind}"; use one of ${ORG_UNIT_KINDS.join(', ')}.`);
	const name = requireName(cell('name'), MAX_NAME_LENGTH, (reason) => csvError(line, `Line ${line}: ${reason}`));
	const rawCode = cell('code');
	const code = rawCode === '' ? null : (cleanText(rawCode, MAX_CODE_LENGTH) ?? fail(`the code must be at most ${MAX_CODE_LENGTH} characters.`));
	const parentId = cell('parent_id') || null;
	if (parentId === id) fail(`${name} cannot be its own parent.`);
	return { line, id, parentId, kind, name, code };
}

function parseTreeCsv(text: string): ImportRow[] {
	const records = parseCsvLines(text);
	const header = records[0];
	if (!header) throw csvError(1, 'The file is empty.');
	const col = headerIndex(header.cells);
	const rows: ImportRow[] = [];
	const seen = new Set<string>();
	for (const { line, cells } of records.slice(1)) {
		if (cells.every((c) => c.trim() === '')) continue;
		const row = parseRow(line, cells, col);
		if (seen.has(row.id)) throw csvError(line, `Line ${line}: the id ${row.id} appears twice in the file.`);
		seen.add(row.id);
		rows.push(row);
	}
	if (rows.length > MAX_IMPORT_ROWS) throw new InputError('csv', 'invalid', `The file has more than ${MAX_IMPORT_ROWS} units.`);
	return rows;
}

/** The tree as it will be after the import; throws naming the first line that breaks it. */
function plannedTree(existing: readonly OrgUnit[], rows: readonly ImportRow[], now: Date): OrgTree {
	const known = new Map(existing.map((u) => [u.id, u]));
	const merged = new Map(known);
	for (const row of rows) {
		const old = known.get(row.id);
		if (old?.archived_at) throw csvError(row.line, `Line ${row.line}: ${old.name} (${row.id}) is archived.`);
		merged.set(row.id, { id: row.id, parent_id: row.parentId, kind: row.kind, name: row.name, code: row.code, archived_at: null, created_at: old?.created_at ?? now.toISOString() });
	}
	const tree = new OrgTree([...merged.values()]);
	const lineOf = new Map(rows.map((r) => [r.id, r.line]));
	for (const row of rows) checkPlacement(tree, row, lineOf);
	return tree;
}

function checkPlacement(tree: OrgTree, row: ImportRow, lineOf: ReadonlyMap<string, number>): void {
	const fail = (line: number, message: string): never => {
		throw csvError(line, `Line ${line}: ${message}`);
	};
	const unit = tree.byId(row.id)!;
	if (row.parentId !== null) {
		const parent = tree.byId(row.parentId) ?? fail(row.line, `unknown parent ${row.parentId} for ${row.name}.`);
		if (parent.archived_at) fail(row.line, `the parent ${parent.name} is archived.`);
		const problem = rankProblem(parent, unit.kind);
		if (problem) fail(row.line, problem);
		if (tree.isOnCycle(row.id)) fail(row.line, `the chain of parents above ${row.name} loops back on itself.`);
	}
	// An existing child must still rank below a unit whose kind the file changes.
	for (const child of tree.children(row.id)) {
		const problem = child.archived_at ? null : rankProblem(unit, child.kind);
		if (problem) fail(lineOf.get(child.id) ?? row.line, problem);
	}
}

/** Active teams must still fit units whose kind the file changes. */
async function checkTeamsFit(trx: Kysely<Database>, rows: readonly ImportRow[], existing: ReadonlyMap<string, OrgUnit>): Promise<void> {
	const changed = rows.filter((r) => {
		const old = existing.get(r.id);
		return old !== undefined && teamLevelOfKind(old.kind) !== teamLevelOfKind(r.kind);
	});
	for (const row of changed) {
		const team = await trx.selectFrom('teams').select(['name', 'level']).where('unit_id', '=', row.id).where('archived_at', 'is', null).executeTakeFirst();
		if (team) throw csvError(row.line, `Line ${row.line}: ${row.name} has the ${team.level}-level team ${team.name}; it cannot become a ${row.kind}.`);
	}
}

function sameUnit(old: OrgUnit, row: ImportRow): boolean {
	return old.parent_id === row.parentId && old.kind === row.kind && old.name === row.name && old.code === row.code;
}

/**
 * Creates the file's new units and updates the ones whose id exists; units not in the file are left
 * alone. Rows may name parents further down the file. All or nothing, in one transaction.
 */
export async function importTreeCsv(
	db: Kysely<Database>,
	csvText: string,
	options: { actor: string; now: Date }
): Promise<{ created: number; updated: number }> {
	const rows = parseTreeCsv(csvText);
	return writeTransaction(db, ['org_units', 'teams'], async (trx) => {
		const existingUnits = await trx.selectFrom('org_units').selectAll().execute();
		const existing = new Map(existingUnits.map((u) => [u.id, u]));
		const tree = plannedTree(existingUnits, rows, options.now);
		await checkTeamsFit(trx, rows, existing);
		// Parents first, so each insert's foreign key already holds.
		const fresh = rows.filter((r) => !existing.has(r.id)).map((r) => tree.byId(r.id)!);
		fresh.sort((a, b) => tree.depth(a.id) - tree.depth(b.id));
		for (let i = 0; i < fresh.length; i += INSERT_CHUNK) await trx.insertInto('org_units').values(fresh.slice(i, i + INSERT_CHUNK)).execute();
		const changed = rows.filter((r) => {
			const old = existing.get(r.id);
			return old !== undefined && !sameUnit(old, r);
		});
		for (const row of changed) {
			await trx.updateTable('org_units').set({ parent_id: row.parentId, kind: row.kind, name: row.name, code: row.code }).where('id', '=', row.id).execute();
			// The file corrects the unit as it stands: its version in force (if it has dated ones) with it.
			await trx.updateTable('org_unit_versions').set({ parent_id: row.parentId, kind: row.kind, name: row.name, code: row.code }).where('unit_id', '=', row.id).where('valid_to', 'is', null).execute();
		}
		await auditImport(trx, fresh, changed, existing, options);
		return { created: fresh.length, updated: changed.length };
	});
}

async function auditImport(
	trx: Kysely<Database>,
	fresh: readonly OrgUnit[],
	changed: readonly ImportRow[],
	existing: ReadonlyMap<string, OrgUnit>,
	{ actor, now }: { actor: string; now: Date }
): Promise<void> {
	for (const u of fresh) {
		await recordAudit(trx, { actor, action: 'unit.create', subject: subject(u.id), detail: { name: u.name, kind: u.kind, parentId: u.parent_id, code: u.code, via: 'import' }, now });
	}
	for (const row of changed) {
		const old = existing.get(row.id)!;
		const from = { parentId: old.parent_id, kind: old.kind, name: old.name, code: old.code };
		const to = { parentId: row.parentId, kind: row.kind, name: row.name, code: row.code };
		await recordAudit(trx, { actor, action: 'unit.update', subject: subject(row.id), detail: { from, to, via: 'import' }, now });
	}
	await recordAudit(trx, { actor, action: 'unit.import', subject: null, detail: { created: fresh.length, updated: changed.length }, now });
}
