// The dated org tree on the server (issue 12): reading the history out of org_unit_versions,
// team_placements and org_changes, and recording a change (or a province's whole mapping) in one
// transaction. The planning itself is pure (domain/orgChange.ts); this module validates what was
// sent, counts what a change touches for its preview, writes the rows the change touched, keeps
// org_units/teams.unit_id mirroring today's tree (so every screen of today's state keeps its query),
// moves officers scoped to an ended unit, and audits.
import * as v from 'valibot';
import type { Kysely } from 'kysely';
import { planChange, planChanges, reverseChange, type ChangePreview, type OrgChange, type Refusal } from '$lib/domain/orgChange';
import {
	historyFromCurrent,
	isInForce,
	KIND_RANK,
	treeAsOf,
	unitEnding,
	type OrgHistory,
	type OrgUnitKind,
	type RecordedChange,
	type TeamPlacement,
	type UnitState,
	type UnitVersion
} from '$lib/domain/orgHistory';
import { planMapping, type MappingPlan } from '$lib/domain/orgMapping';
import { localDateOf, type LocalDate } from '$lib/domain/period';
import { changeRefusalText, type TreeNames } from '$lib/i18n/treeText';
import { recordAudit } from './audit';
import type { Database, OrgChangeTable, Team } from './db/schema';
import { InputError } from './inputError';
import { writeTransaction } from './orgTree';

/**
 * Where the history begins for a unit or team that has no dated row (written straight to the tables,
 * as the demo data and older code do): it has stood as it is since then. The migration starts today's
 * tree here too, or at the earliest team's establishment if that is earlier.
 */
export const ORG_HISTORY_START: LocalDate = '2000-01-01';

const dayOfIso = (iso: string) => iso.slice(0, 10);

/** The history as stored, with units and teams that have no dated row taken as they are today. */
export async function loadHistory(db: Kysely<Database>): Promise<OrgHistory> {
	return (await loadHistoryAndTeams(db)).history;
}

export type TeamRow = Pick<Team, 'id' | 'unit_id' | 'name' | 'level' | 'established_on' | 'archived_at'>;

/** loadHistory, and the teams it read on the way (reports need their names: one query fewer). */
export async function loadHistoryAndTeams(db: Kysely<Database>): Promise<{ history: OrgHistory; teams: TeamRow[] }> {
	const [versionRows, placementRows, changeRows, unitRows, teamRows] = await Promise.all([
		db.selectFrom('org_unit_versions').selectAll().execute(),
		db.selectFrom('team_placements').selectAll().execute(),
		db.selectFrom('org_changes').selectAll().orderBy('seq').execute(),
		db.selectFrom('org_units').selectAll().execute(),
		db.selectFrom('teams').select(['id', 'unit_id', 'name', 'level', 'established_on', 'archived_at']).execute()
	]);
	const versions: UnitVersion[] = versionRows.map((r) => ({ unitId: r.unit_id, validFrom: r.valid_from, validTo: r.valid_to, name: r.name, kind: r.kind, code: r.code, parentId: r.parent_id }));
	const placements: TeamPlacement[] = placementRows.map((r) => ({ teamId: r.team_id, unitId: r.unit_id, level: r.level, validFrom: r.valid_from, validTo: r.valid_to }));
	// A team archived without a dated change (teams.ts) has left its unit from that day.
	const teamArchivedOn = new Map(teamRows.filter((t) => t.archived_at !== null).map((t) => [t.id, dayOfIso(t.archived_at!)]));
	for (const [i, p] of placements.entries()) {
		const on = teamArchivedOn.get(p.teamId);
		if (on !== undefined && on > p.validFrom && (p.validTo === null || on < p.validTo)) placements[i] = { ...p, validTo: on };
	}
	const changes: RecordedChange[] = changeRows.map((r) => ({
		id: r.id,
		kind: r.kind as RecordedChange['kind'],
		effectiveOn: r.effective_on,
		basis: r.basis,
		subjects: JSON.parse(r.subjects) as string[],
		reverses: r.reverses,
		units: JSON.parse(r.units) as RecordedChange['units'],
		teams: JSON.parse(r.teams) as RecordedChange['teams']
	}));
	// A unit or team a change has touched is dated even with no row left (an undone merge's new unit).
	const dated = new Set([...versions.map((v) => v.unitId), ...changes.flatMap((c) => c.units.map((e) => e.unitId))]);
	const placed = new Set([...placements.map((p) => p.teamId), ...changes.flatMap((c) => c.teams.map((e) => e.teamId))]);
	const undatedUnits = unitRows.filter((u) => !dated.has(u.id));
	const undatedTeams = teamRows.filter((t) => !placed.has(t.id));
	if (undatedUnits.length > 0 || undatedTeams.length > 0) {
		const fill = historyFromCurrent(
			undatedUnits.map((u) => ({ id: u.id, name: u.name, kind: u.kind, code: u.code, parentId: u.parent_id })),
			undatedTeams.map((t) => ({ id: t.id, unitId: t.unit_id, level: t.level, establishedOn: t.established_on })),
			ORG_HISTORY_START
		);
		const archivedOn = new Map([...undatedUnits, ...undatedTeams].filter((r) => r.archived_at !== null).map((r) => [r.id, dayOfIso(r.archived_at!)]));
		// An archived unit or team ended on its archive date (never before it began).
		const ended = <S extends { validFrom: LocalDate; validTo: LocalDate | null }>(span: S, id: string): S => {
			const on = archivedOn.get(id);
			return on === undefined || on <= span.validFrom ? span : { ...span, validTo: on };
		};
		versions.push(...fill.versions.map((v) => ended(v, v.unitId)));
		placements.push(...fill.placements.map((p) => ended(p, p.teamId)));
	}
	return { history: { versions, placements, changes }, teams: teamRows };
}

// ---------------------------------------------------------------------------------------------
// What a form or the API sends: checked before planning (the plan checks what the tree allows).

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Kind = v.picklist(Object.keys(KIND_RANK) as OrgUnitKind[]);
const NewUnitInput = v.object({ id: Id, name: v.string(), kind: Kind, code: v.nullable(v.string()), parentId: v.nullable(Id) });
const Base = { id: Id, effectiveOn: v.string(), basis: v.string() };
const ChangeInput = v.variant('kind', [
	v.object({ ...Base, kind: v.literal('create'), unit: NewUnitInput }),
	v.object({ ...Base, kind: v.literal('rename'), unitId: Id, name: v.string(), code: v.optional(v.nullable(v.string())) }),
	v.object({ ...Base, kind: v.literal('move'), unitId: Id, parentId: v.nullable(Id) }),
	v.object({
		...Base,
		kind: v.literal('merge'),
		sourceIds: v.pipe(v.array(Id), v.maxLength(1000)),
		into: v.union([v.object({ newUnit: NewUnitInput }), v.object({ unitId: Id, name: v.optional(v.string()), code: v.optional(v.nullable(v.string())) })])
	}),
	v.object({
		...Base,
		kind: v.literal('split'),
		unitId: Id,
		parts: v.pipe(
			v.array(v.object({ unit: v.union([v.object({ newUnit: NewUnitInput }), v.object({ unitId: Id })]), teamIds: v.array(Id), childIds: v.array(Id) })),
			v.maxLength(100)
		)
	}),
	v.object({ ...Base, kind: v.literal('dissolve'), unitId: Id, childrenTo: v.optional(v.nullable(Id)) }),
	v.object({ ...Base, kind: v.literal('reverse'), changeId: Id })
]);

/** A change as sent, or an InputError naming the field at fault. */
export function parseChangeInput(raw: unknown): OrgChange {
	const result = v.safeParse(ChangeInput, raw);
	if (result.success) return result.output as OrgChange;
	const issue = result.issues[0];
	const field = issue?.path?.map((p) => String(p.key)).join('.') || null;
	throw new InputError(field, 'invalid', `The change is not well formed${field ? ` (${field})` : ''}: ${issue?.message ?? ''}`);
}

// ---------------------------------------------------------------------------------------------
// Preview and recording

export interface PreviewCounts {
	units: number;
	teams: number;
	/** Tablets (devices not revoked) of the affected teams. */
	devices: number;
	/** Officer accounts scoped to an affected unit. */
	officers: number;
}

/** The names a refusal speaks of: units as of any day, teams. */
async function treeNames(db: Kysely<Database>, history: OrgHistory): Promise<TreeNames> {
	const units = new Map(history.versions.map((v) => [v.unitId, v.name]));
	const teams = new Map((await db.selectFrom('teams').select(['id', 'name']).execute()).map((t) => [t.id, t.name]));
	return { unit: (id) => units.get(id), team: (id) => teams.get(id) };
}

async function refusalError(db: Kysely<Database>, history: OrgHistory, refusal: Refusal): Promise<InputError> {
	const text = changeRefusalText(refusal, await treeNames(db, history));
	return new InputError(refusal.field, refusal.reason, text, { reason: text });
}

async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
	const out: T[] = [];
	for (let i = 0; i < ids.length; i += 1000) out.push(...(await query(ids.slice(i, i + 1000))));
	return out;
}

/** "4 units, 6 teams, 3 tablets, 2 officer accounts affected". */
export async function countAffected(db: Kysely<Database>, previews: readonly ChangePreview[]): Promise<PreviewCounts> {
	const unitIds = [...new Set(previews.flatMap((p) => p.affectedUnitIds))];
	const teamIds = [...new Set(previews.flatMap((p) => p.affectedTeamIds))];
	const devices = await inChunks(teamIds, (ids) => db.selectFrom('devices').select('id').where('team_id', 'in', ids).where('revoked_at', 'is', null).execute());
	const officers = await inChunks(unitIds, (ids) => db.selectFrom('users').select('id').where('role', '=', 'officer').where('unit_id', 'in', ids).where('disabled_at', 'is', null).execute());
	return { units: unitIds.length, teams: teamIds.length, devices: devices.length, officers: officers.length };
}

export interface ChangeOutcome {
	recorded: RecordedChange[];
	preview: PreviewCounts;
	/** Officers whose scope moved because their unit ended today or earlier. */
	officersMoved: { userId: string; from: string; to: string }[];
	applied: boolean;
}

export interface RecordOptions {
	actor: string;
	now: Date;
	/** false: the dry run, nothing written. */
	apply: boolean;
	/** false: the caller audits the change in its own words (orgTree's create, rename, move, archive). */
	audit?: boolean;
	timeZone?: string;
}

/** Plans `change` and, when `apply`, records it; a refusal is an InputError with the reason in words. */
export async function recordChange(db: Kysely<Database>, raw: unknown, options: RecordOptions): Promise<ChangeOutcome> {
	const change = parseChangeInput(raw);
	return recordPlanned(db, (history) => {
		const planned = planChange(history, change);
		return planned.ok ? { ok: true, recorded: [planned.recorded], previews: [planned.preview], history: planned.history } : planned;
	}, options);
}

/** Undoes a recorded change from its own date (or a later one), through the same path. */
export async function undoChange(
	db: Kysely<Database>,
	input: { changeId: string; id: string; basis: string; effectiveOn?: LocalDate },
	options: RecordOptions
): Promise<ChangeOutcome> {
	const history = await loadHistory(db);
	const change = reverseChange(history, input.changeId, { id: input.id, basis: input.basis, effectiveOn: input.effectiveOn });
	if (!change) throw await refusalError(db, history, { reason: 'unknown_change', field: 'changeId' });
	return recordChange(db, change, options);
}

/** A province's mapping file: the dry run, or (apply) every change of it in one transaction. */
export async function importMapping(
	db: Kysely<Database>,
	csvText: string,
	options: RecordOptions & { newId: () => string }
): Promise<{ plan: MappingPlan; preview: PreviewCounts | null; applied: boolean }> {
	const plan = planMapping(await loadHistory(db), csvText, options.newId);
	if (!plan.ok) return { plan, preview: null, applied: false };
	const preview = await countAffected(db, plan.previews);
	if (!options.apply) return { plan, preview, applied: false };
	const changes = plan.changes;
	await recordPlanned(db, (current) => {
		const replanned = planChanges(current, changes);
		return replanned.ok ? { ok: true, recorded: replanned.recorded, previews: replanned.previews, history: replanned.history } : { ok: false, refusal: replanned.refusal };
	}, options);
	return { plan, preview, applied: true };
}

type Planner = (history: OrgHistory) => { ok: true; history: OrgHistory; recorded: RecordedChange[]; previews: ChangePreview[] } | { ok: false; refusal: Refusal };

async function recordPlanned(db: Kysely<Database>, plan: Planner, options: RecordOptions): Promise<ChangeOutcome> {
	const stored = await loadHistory(db);
	const first = plan(stored);
	if (!first.ok) throw await refusalError(db, stored, first.refusal);
	const preview = await countAffected(db, first.previews);
	if (!options.apply) return { recorded: first.recorded, preview, officersMoved: [], applied: false };
	return writeTransaction(db, ['org_units', 'teams'], async (trx) => {
		// Another officer may have recorded a change since the preview: plan again on what is stored.
		const before = await loadHistory(trx);
		const planned = plan(before);
		if (!planned.ok) throw await refusalError(trx, before, planned.refusal);
		await saveHistory(trx, before, planned.history, planned.recorded, options);
		const today = localDateOf(options.now, options.timeZone);
		await syncMirrors(trx, planned.history, today, options.now);
		const officersMoved = await moveOfficers(trx, planned.history, today);
		for (const change of options.audit === false ? [] : planned.recorded) {
			await recordAudit(trx, {
				actor: options.actor,
				action: 'unit.change',
				// A merge is about the unit it forms; every other change about the unit it names first.
				subject: `unit:${(change.kind === 'merge' ? change.subjects.at(-1) : change.subjects[0]) ?? ''}`,
				detail: { changeId: change.id, kind: change.kind, effectiveOn: change.effectiveOn, basis: change.basis, subjects: change.subjects, reverses: change.reverses, officersMoved },
				now: options.now
			});
		}
		return { recorded: planned.recorded, preview, officersMoved, applied: true };
	});
}

/** Ids whose rows differ between `before` and `after`, or that have no stored row yet. */
function touched<S>(before: readonly S[], after: readonly S[], key: (s: S) => string, idOf: (s: S) => string, stored: ReadonlySet<string>): Set<string> {
	const beforeKeys = new Set(before.map(key));
	const afterKeys = new Set(after.map(key));
	const ids = new Set<string>();
	for (const s of after) if (!beforeKeys.has(key(s)) || !stored.has(idOf(s))) ids.add(idOf(s));
	for (const s of before) if (!afterKeys.has(key(s))) ids.add(idOf(s));
	return ids;
}

const versionKey = (v: UnitVersion) => JSON.stringify([v.unitId, v.validFrom, v.validTo, v.name, v.kind, v.code, v.parentId]);
const placementKey = (p: TeamPlacement) => JSON.stringify([p.teamId, p.validFrom, p.validTo, p.unitId, p.level]);

/**
 * Writes the rows of every unit and team the changes touched: their old rows out, their new rows in
 * (a version cut at the effective date is the same row with valid_to set; nothing of a day already in
 * force is lost, as planChange guarantees). Units or teams with no dated row yet get theirs now.
 */
async function saveHistory(trx: Kysely<Database>, before: OrgHistory, after: OrgHistory, recorded: readonly RecordedChange[], options: RecordOptions): Promise<void> {
	const stored = new Set((await trx.selectFrom('org_unit_versions').select('unit_id').execute()).map((r) => r.unit_id));
	const placed = new Set((await trx.selectFrom('team_placements').select('team_id').execute()).map((r) => r.team_id));
	const unitIds = touched(before.versions, after.versions, versionKey, (v) => v.unitId, stored);
	const teamIds = touched(before.placements, after.placements, placementKey, (p) => p.teamId, placed);

	const now = options.now.toISOString();
	// A unit the change creates needs its org_units row first (the versions' foreign key).
	const existing = new Set((await trx.selectFrom('org_units').select('id').execute()).map((r) => r.id));
	for (const id of unitIds) {
		if (existing.has(id)) continue;
		const first = after.versions.filter((v) => v.unitId === id).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1))[0]!;
		await trx.insertInto('org_units').values({ id, parent_id: null, name: first.name, kind: first.kind, code: first.code, archived_at: null, created_at: now }).execute();
	}
	const units = [...unitIds];
	const teams = [...teamIds];
	await inChunks(units, async (ids) => (await trx.deleteFrom('org_unit_versions').where('unit_id', 'in', ids).execute(), []));
	await inChunks(teams, async (ids) => (await trx.deleteFrom('team_placements').where('team_id', 'in', ids).execute(), []));
	const versionRows = after.versions
		.filter((v) => unitIds.has(v.unitId))
		.map((v) => ({ unit_id: v.unitId, valid_from: v.validFrom, valid_to: v.validTo, name: v.name, kind: v.kind, code: v.code, parent_id: v.parentId }));
	const placementRows = after.placements
		.filter((p) => teamIds.has(p.teamId))
		.map((p) => ({ team_id: p.teamId, unit_id: p.unitId, level: p.level, valid_from: p.validFrom, valid_to: p.validTo }));
	for (let i = 0; i < versionRows.length; i += 500) await trx.insertInto('org_unit_versions').values(versionRows.slice(i, i + 500)).execute();
	for (let i = 0; i < placementRows.length; i += 500) await trx.insertInto('team_placements').values(placementRows.slice(i, i + 500)).execute();

	const last = await trx.selectFrom('org_changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
	let seq = Number(last?.seq ?? 0);
	for (const change of recorded) {
		const row: OrgChangeTable = {
			id: change.id,
			seq: ++seq,
			kind: change.kind,
			effective_on: change.effectiveOn,
			basis: change.basis,
			subjects: JSON.stringify(change.subjects),
			reverses: change.reverses,
			units: JSON.stringify(change.units),
			teams: JSON.stringify(change.teams),
			recorded_by: options.actor,
			recorded_at: now
		};
		await trx.insertInto('org_changes').values(row).execute();
	}
}

/**
 * org_units and teams.unit_id as the tree stands on `today`: a unit not in force is archived (from
 * the day it ended), one revived by an undo is not. A change dated later reaches the mirrors when
 * the next change is recorded or syncMirrors runs on that day.
 */
export async function syncMirrors(db: Kysely<Database>, history: OrgHistory, today: LocalDate, now: Date): Promise<void> {
	const tree = treeAsOf(history, today);
	const units = await db.selectFrom('org_units').selectAll().execute();
	for (const unit of units) {
		const state = tree.unit(unit.id);
		if (state) {
			if (unit.name !== state.name || unit.kind !== state.kind || unit.code !== state.code || unit.parent_id !== state.parentId || unit.archived_at !== null) {
				await db.updateTable('org_units').set({ name: state.name, kind: state.kind, code: state.code, parent_id: state.parentId, archived_at: null }).where('id', '=', unit.id).execute();
			}
			continue;
		}
		if (unit.archived_at !== null) continue;
		const last = history.versions.filter((v) => v.unitId === unit.id && v.validTo !== null && v.validTo <= today).sort((a, b) => (a.validTo! < b.validTo! ? 1 : -1))[0];
		const endedAt = last ? `${last.validTo}T00:00:00.000Z` : now.toISOString();
		await db.updateTable('org_units').set({ archived_at: endedAt }).where('id', '=', unit.id).execute();
	}
	const teams = await db.selectFrom('teams').select(['id', 'unit_id']).execute();
	for (const team of teams) {
		const unitId = tree.unitOfTeam(team.id);
		if (unitId !== undefined && unitId !== team.unit_id) await db.updateTable('teams').set({ unit_id: unitId }).where('id', '=', team.id).execute();
	}
}

/**
 * Brings org_units, teams.unit_id and officers' scopes to the tree in force today: a change recorded
 * ahead of its date takes effect here (the server runs it at start and every hour).
 */
export async function bringTreeToToday(db: Kysely<Database>, now: Date, timeZone?: string): Promise<void> {
	await writeTransaction(db, ['org_units', 'teams'], async (trx) => {
		const history = await loadHistory(trx);
		const today = localDateOf(now, timeZone);
		await syncMirrors(trx, history, today, now);
		await moveOfficers(trx, history, today);
	});
}

/**
 * An officer scoped to a unit that has ended keeps watch over what it became: the unit it merged
 * into, else (split, dissolved) the nearest unit above it still in force. Undoing a merge into a new
 * unit ends that unit, so its officers go up to its parent; an existing target keeps them.
 */
async function moveOfficers(db: Kysely<Database>, history: OrgHistory, today: LocalDate): Promise<ChangeOutcome['officersMoved']> {
	const tree = treeAsOf(history, today);
	const officers = await db.selectFrom('users').select(['id', 'unit_id']).where('role', '=', 'officer').where('unit_id', 'is not', null).execute();
	const moved: ChangeOutcome['officersMoved'] = [];
	for (const officer of officers) {
		const from = officer.unit_id!;
		if (tree.unit(from) || lastState(history, from) === null) continue;
		// No unit above it left in force: keep the scope as it was rather than leave an officer unscoped.
		const to = successorInForce(history, from, today, tree);
		if (to === null || to === from) continue;
		await db.updateTable('users').set({ unit_id: to }).where('id', '=', officer.id).execute();
		moved.push({ userId: officer.id, from, to });
	}
	return moved;
}

/** The first day of the unbroken run of versions that has `unitId` in force on `today`. */
export function inForceSince(history: OrgHistory, unitId: string, today: LocalDate): LocalDate | null {
	const own = history.versions.filter((v) => v.unitId === unitId);
	let start = own.find((v) => isInForce(v, today));
	for (let earlier = start; earlier; earlier = own.find((v) => v.validTo === start!.validFrom)) start = earlier;
	return start?.validFrom ?? null;
}

/**
 * What an ended unit became, in force on `today`: the unit it merged into (followed on if that ended
 * too), else (split, dissolved) the nearest unit above it still in force. A unit in force is its own.
 */
export function successorInForce(history: OrgHistory, unitId: string, today: LocalDate, tree = treeAsOf(history, today)): string | null {
	const seen = new Set<string>();
	let id: string | null = unitId;
	while (id !== null && !seen.has(id)) {
		if (tree.unit(id)) return id;
		seen.add(id);
		const ending = unitEnding(history, id, today);
		if (ending?.kind === 'mergedInto') {
			id = ending.intoId;
			continue;
		}
		id = lastState(history, id)?.parentId ?? null;
	}
	return null;
}

/** The unit's last recorded state: its latest version, or (an undone creation leaves none) its last change. */
function lastState(history: OrgHistory, unitId: string): UnitState | null {
	const lastVersion = history.versions.filter((v) => v.unitId === unitId).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
	if (lastVersion) return lastVersion;
	for (const change of [...history.changes].reverse()) {
		const effect = change.units.find((e) => e.unitId === unitId);
		if (effect) return effect.after ?? effect.before;
	}
	return null;
}
