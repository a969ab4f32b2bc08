// Recording a dated change to the org tree: check it, work out exactly what it does to each unit and
// team on its effective date (the effects), apply them to a copy of the history, and check the tree
// on that day and every later day something changes. Nothing is half-applied: a refusal returns no
// history at all, and the caller saves the new history in one transaction.
import { isCalendarDate, type LocalDate } from './period';
import { checkName, cleanText, MAX_NAME_LENGTH, type NameProblem } from './text';
import {
	isInForce,
	KIND_RANK,
	teamLevelOfKind,
	treeAsOf,
	type OrgHistory,
	type OrgUnitKind,
	type RecordedChange,
	type TeamEffect,
	type TeamPlacement,
	type TreeAsOf,
	type UnitEffect,
	type UnitState,
	type UnitVersion
} from './orgHistory';

export interface NewUnit {
	/** Chosen by the caller (the server: a UUID), so a dry run and the real run agree. */
	id: string;
	name: string;
	kind: OrgUnitKind;
	code: string | null;
	parentId: string | null;
}

interface ChangeBase {
	id: string;
	effectiveOn: LocalDate;
	basis: string;
}

export type OrgChange = ChangeBase &
	(
		| { kind: 'create'; unit: NewUnit }
		| { kind: 'rename'; unitId: string; name: string; code?: string | null }
		| { kind: 'move'; unitId: string; parentId: string | null }
		/** The sources end; their teams and child units go to the target, which may be new. An existing
		 * target may take a new name and code in the same change (Xã Tùng Ảnh becoming Xã Đức Thọ). */
		| { kind: 'merge'; sourceIds: string[]; into: { unitId: string; name?: string; code?: string | null } | { newUnit: NewUnit } }
		/** Every team and child unit of the source goes to one part; the source ends unless it is a part. */
		| { kind: 'split'; unitId: string; parts: SplitPart[] }
		/** The unit ends; its child units go to `childrenTo` (default: its parent). It must have no teams. */
		| { kind: 'dissolve'; unitId: string; childrenTo?: string | null }
		/** Undoes a recorded change from `effectiveOn` (its own date: as if it never happened). */
		| { kind: 'reverse'; changeId: string }
	);

export interface SplitPart {
	unit: { unitId: string } | { newUnit: NewUnit };
	teamIds: string[];
	childIds: string[];
}

export type RefusalReason =
	| 'bad_date'
	| 'basis_missing'
	| 'name_missing'
	| 'bad_name'
	| 'bad_code'
	| 'bad_kind'
	| 'no_change'
	| 'unit_missing'
	| 'unit_exists'
	| 'duplicate'
	| 'merge_into_self'
	| 'split_parts'
	| 'team_unplaced'
	| 'team_placed_twice'
	| 'team_not_here'
	| 'child_unplaced'
	| 'child_placed_twice'
	| 'child_not_here'
	| 'same_day'
	| 'later_change'
	| 'unknown_change'
	| 'already_reversed'
	| 'changed_since'
	| 'cycle'
	| 'rank'
	| 'team_level'
	| 'parent_missing'
	| 'team_without_unit';

export interface Refusal {
	reason: RefusalReason;
	/** The change's field at fault, for the form. */
	field: string;
	/** The unit or team the reason is about, when there is one. */
	unitId?: string;
	teamId?: string;
	/** For 'bad_name': what is wrong with it (domain/text.ts). */
	nameProblem?: NameProblem;
}

/** Administrative codes, as the server's units import allows them. */
export const MAX_UNIT_CODE_LENGTH = 20;
/** A resolution or decision number with its annex, e.g. "1656/NQ-UBTVQH15". */
export const MAX_BASIS_LENGTH = 200;

export interface ChangePreview {
	unitsEnded: string[];
	unitsCreated: string[];
	unitsRenamed: string[];
	unitsMoved: string[];
	teamsMoved: string[];
	/** Every unit whose own record or place in the tree changes, with all units below them: the
	 * server counts officer accounts scoped to these. */
	affectedUnitIds: string[];
	/** Teams moved or under an affected unit: their tablets' unit path changes. */
	affectedTeamIds: string[];
}

export type PlanResult =
	| { ok: true; history: OrgHistory; recorded: RecordedChange; preview: ChangePreview }
	| { ok: false; refusal: Refusal };

class Refused extends Error {
	constructor(readonly refusal: Refusal) {
		super(refusal.reason);
	}
}

const refuse = (reason: RefusalReason, field: string, about: { unitId?: string; teamId?: string; nameProblem?: NameProblem } = {}): never => {
	throw new Refused({ reason, field, ...about });
};

const sameState = (a: UnitState | null, b: UnitState | null): boolean =>
	a === b || (a !== null && b !== null && a.name === b.name && a.kind === b.kind && a.code === b.code && a.parentId === b.parentId);

const stateOf = (u: UnitState): UnitState => ({ name: u.name, kind: u.kind, code: u.code, parentId: u.parentId });

/** Checks `change` against `history` and returns the history with it recorded, or why not. */
export function planChange(history: OrgHistory, change: OrgChange): PlanResult {
	try {
		return plan(history, change);
	} catch (error) {
		if (error instanceof Refused) return { ok: false, refusal: error.refusal };
		throw error;
	}
}

/** Several changes, all or nothing (a province's mapping): the first refusal names its change. */
export function planChanges(
	history: OrgHistory,
	changes: readonly OrgChange[]
): { ok: true; history: OrgHistory; recorded: RecordedChange[]; previews: ChangePreview[] } | { ok: false; index: number; refusal: Refusal } {
	let current = history;
	const recorded: RecordedChange[] = [];
	const previews: ChangePreview[] = [];
	for (const [index, change] of changes.entries()) {
		const result = planChange(current, change);
		if (!result.ok) return { ok: false, index, refusal: result.refusal };
		current = result.history;
		recorded.push(result.recorded);
		previews.push(result.preview);
	}
	return { ok: true, history: current, recorded, previews };
}

/** The change that undoes `changeId`: from its own date by default, or from a later one. */
export function reverseChange(
	history: OrgHistory,
	changeId: string,
	options: { id: string; basis: string; effectiveOn?: LocalDate }
): OrgChange | null {
	const original = history.changes.find((c) => c.id === changeId);
	if (!original) return null;
	return { kind: 'reverse', id: options.id, basis: options.basis, effectiveOn: options.effectiveOn ?? original.effectiveOn, changeId };
}

function plan(history: OrgHistory, change: OrgChange): PlanResult {
	if (!isCalendarDate(change.effectiveOn)) refuse('bad_date', 'effectiveOn');
	const basis = cleanText(change.basis, MAX_BASIS_LENGTH) ?? refuse('basis_missing', 'basis');
	if (history.changes.some((c) => c.id === change.id)) refuse('duplicate', 'id');
	const day = change.effectiveOn;
	const before = treeAsOf(history, day);
	const { units, teams, subjects, reverses } = effectsOf(history, before, change);
	checkSameDay(history, change, subjects);
	const recorded: RecordedChange = { id: change.id, kind: change.kind, effectiveOn: day, basis, subjects, reverses, units, teams };
	const next: OrgHistory = {
		versions: applyUnitEffects(history.versions, units, day, fieldOf(change)),
		placements: applyTeamEffects(history.placements, teams, day, fieldOf(change)),
		changes: [...history.changes, recorded]
	};
	checkTreeFrom(next, day, fieldOf(change));
	return { ok: true, history: next, recorded, preview: previewOf(recorded, before, treeAsOf(next, day)) };
}

/** Where a problem found in the resulting tree is shown on the change's form. */
function fieldOf(change: OrgChange): string {
	return { create: 'parentId', rename: 'unitId', move: 'parentId', merge: 'into', split: 'parts', dissolve: 'childrenTo', reverse: 'changeId' }[change.kind];
}

interface Effects {
	units: UnitEffect[];
	teams: TeamEffect[];
	subjects: string[];
	reverses: string | null;
}

function requireUnit(tree: TreeAsOf, id: string, field: string): UnitState {
	return tree.unit(id) ?? refuse('unit_missing', field, { unitId: id });
}

/** The name cleaned as every name is (NFC, one line, something visible), or why not. */
function requireName(name: string, field: string): string {
	const checked = checkName(name, MAX_NAME_LENGTH);
	if (checked.ok) return checked.name;
	return checked.problem === 'missing' ? refuse('name_missing', field) : refuse('bad_name', field, { nameProblem: checked.problem });
}

function cleanCode(code: string | null, field: string): string | null {
	if (code === null || code.trim() === '') return null;
	return cleanText(code, MAX_UNIT_CODE_LENGTH) ?? refuse('bad_code', field);
}

function newUnitState(history: OrgHistory, tree: TreeAsOf, unit: NewUnit, field: string): UnitState {
	if (history.versions.some((v) => v.unitId === unit.id)) refuse('unit_exists', field, { unitId: unit.id });
	if (!Object.hasOwn(KIND_RANK, unit.kind)) refuse('bad_kind', `${field}.kind`);
	if (unit.parentId !== null) requireUnit(tree, unit.parentId, `${field}.parentId`);
	return { name: requireName(unit.name, `${field}.name`), kind: unit.kind, code: cleanCode(unit.code, `${field}.code`), parentId: unit.parentId };
}

/** Effects that move every team and child unit of `fromIds` to `toId`. */
function carry(tree: TreeAsOf, fromIds: readonly string[], toId: string | null, units: UnitEffect[], teams: TeamEffect[], levels: Map<string, TeamEffect['level']>): void {
	for (const from of fromIds) {
		for (const childId of tree.children(from)) {
			if (fromIds.includes(childId)) continue;
			const child = stateOf(tree.unit(childId)!);
			units.push({ unitId: childId, before: child, after: { ...child, parentId: toId } });
		}
		if (toId === null) continue;
		for (const teamId of tree.teamsOf(from)) teams.push({ teamId, level: levels.get(teamId)!, before: from, after: toId });
	}
}

function teamLevels(history: OrgHistory, day: LocalDate): Map<string, TeamEffect['level']> {
	return new Map(history.placements.filter((p) => isInForce(p, day)).map((p) => [p.teamId, p.level]));
}

function effectsOf(history: OrgHistory, tree: TreeAsOf, change: OrgChange): Effects {
	const levels = teamLevels(history, change.effectiveOn);
	const units: UnitEffect[] = [];
	const teams: TeamEffect[] = [];
	switch (change.kind) {
		case 'create': {
			units.push({ unitId: change.unit.id, before: null, after: newUnitState(history, tree, change.unit, 'unit') });
			return { units, teams, subjects: [change.unit.id], reverses: null };
		}
		case 'rename': {
			const unit = stateOf(requireUnit(tree, change.unitId, 'unitId'));
			const after = { ...unit, name: requireName(change.name, 'name'), code: change.code === undefined ? unit.code : cleanCode(change.code, 'code') };
			if (sameState(unit, after)) refuse('no_change', 'name', { unitId: change.unitId });
			units.push({ unitId: change.unitId, before: unit, after });
			return { units, teams, subjects: [change.unitId], reverses: null };
		}
		case 'move': {
			const unit = stateOf(requireUnit(tree, change.unitId, 'unitId'));
			if (change.parentId !== null) requireUnit(tree, change.parentId, 'parentId');
			if (unit.parentId === change.parentId) refuse('no_change', 'parentId', { unitId: change.unitId });
			units.push({ unitId: change.unitId, before: unit, after: { ...unit, parentId: change.parentId } });
			return { units, teams, subjects: [change.unitId], reverses: null };
		}
		case 'merge':
			return mergeEffects(history, tree, change, levels);
		case 'split':
			return splitEffects(history, tree, change, levels);
		case 'dissolve': {
			const unit = stateOf(requireUnit(tree, change.unitId, 'unitId'));
			const teamId = tree.teamsOf(change.unitId)[0];
			if (teamId !== undefined) refuse('team_without_unit', 'unitId', { unitId: change.unitId, teamId });
			const childrenTo = change.childrenTo === undefined ? unit.parentId : change.childrenTo;
			if (childrenTo !== null) requireUnit(tree, childrenTo, 'childrenTo');
			if (childrenTo === change.unitId) refuse('cycle', 'childrenTo', { unitId: change.unitId });
			units.push({ unitId: change.unitId, before: unit, after: null });
			carry(tree, [change.unitId], childrenTo, units, teams, levels);
			return { units, teams, subjects: [change.unitId], reverses: null };
		}
		case 'reverse':
			return reverseEffects(history, change);
	}
}

function mergeEffects(history: OrgHistory, tree: TreeAsOf, change: Extract<OrgChange, { kind: 'merge' }>, levels: Map<string, TeamEffect['level']>): Effects {
	const { sourceIds, into } = change;
	if (sourceIds.length === 0) refuse('unit_missing', 'sourceIds');
	if (new Set(sourceIds).size !== sourceIds.length) refuse('duplicate', 'sourceIds');
	const sources = sourceIds.map((id) => ({ id, state: stateOf(requireUnit(tree, id, 'sourceIds')) }));
	const units: UnitEffect[] = [];
	const teams: TeamEffect[] = [];
	let targetId: string;
	if ('newUnit' in into) {
		targetId = into.newUnit.id;
		units.push({ unitId: targetId, before: null, after: newUnitState(history, tree, into.newUnit, 'into') });
	} else {
		targetId = into.unitId;
		if (sourceIds.includes(targetId)) refuse('merge_into_self', 'into', { unitId: targetId });
		const target = stateOf(requireUnit(tree, targetId, 'into'));
		const after = { ...target, name: into.name === undefined ? target.name : requireName(into.name, 'into.name'), code: into.code === undefined ? target.code : cleanCode(into.code, 'into.code') };
		if (!sameState(target, after)) units.push({ unitId: targetId, before: target, after });
	}
	for (const source of sources) units.push({ unitId: source.id, before: source.state, after: null });
	carry(tree, sourceIds, targetId, units, teams, levels);
	return { units: withoutDuplicates(units), teams, subjects: [...sourceIds, targetId], reverses: null };
}

/** A child that is also the target (merging a commune into one of its own villages) keeps one effect:
 * the carry's re-parenting, so the resulting tree shows the cycle and the check refuses it. */
function withoutDuplicates(units: UnitEffect[]): UnitEffect[] {
	const last = new Map(units.map((e) => [e.unitId, e]));
	return units.filter((e) => last.get(e.unitId) === e);
}

function splitEffects(history: OrgHistory, tree: TreeAsOf, change: Extract<OrgChange, { kind: 'split' }>, levels: Map<string, TeamEffect['level']>): Effects {
	const source = stateOf(requireUnit(tree, change.unitId, 'unitId'));
	if (change.parts.length < 2) refuse('split_parts', 'parts', { unitId: change.unitId });
	const units: UnitEffect[] = [];
	const teams: TeamEffect[] = [];
	const partIds: string[] = [];
	for (const [i, part] of change.parts.entries()) {
		if ('newUnit' in part.unit) {
			units.push({ unitId: part.unit.newUnit.id, before: null, after: newUnitState(history, tree, part.unit.newUnit, `parts.${i}`) });
			partIds.push(part.unit.newUnit.id);
		} else {
			requireUnit(tree, part.unit.unitId, `parts.${i}`);
			partIds.push(part.unit.unitId);
		}
	}
	if (new Set(partIds).size !== partIds.length) refuse('duplicate', 'parts');
	placeAll(tree.teamsOf(change.unitId), change.parts.map((p) => p.teamIds), 'team');
	placeAll(tree.children(change.unitId), change.parts.map((p) => p.childIds), 'child');
	for (const [i, part] of change.parts.entries()) {
		const to = partIds[i]!;
		if (to === change.unitId) continue;
		for (const teamId of part.teamIds) teams.push({ teamId, level: levels.get(teamId)!, before: change.unitId, after: to });
		for (const childId of part.childIds) {
			const child = stateOf(tree.unit(childId)!);
			units.push({ unitId: childId, before: child, after: { ...child, parentId: to } });
		}
	}
	if (!partIds.includes(change.unitId)) units.push({ unitId: change.unitId, before: source, after: null });
	return { units: withoutDuplicates(units), teams, subjects: [change.unitId, ...partIds.filter((id) => id !== change.unitId)], reverses: null };
}

/** Each of `present` must be in exactly one of `lists`, and nothing else may be. */
function placeAll(present: readonly string[], lists: readonly string[][], what: 'team' | 'child'): void {
	const seen = new Set<string>();
	const about = (id: string) => (what === 'team' ? { teamId: id } : { unitId: id });
	for (const id of lists.flat()) {
		if (!present.includes(id)) refuse(`${what}_not_here`, 'parts', about(id));
		if (seen.has(id)) refuse(`${what}_placed_twice`, 'parts', about(id));
		seen.add(id);
	}
	const left = present.find((id) => !seen.has(id));
	if (left !== undefined) refuse(`${what}_unplaced`, 'parts', about(left));
}

function reverseEffects(history: OrgHistory, change: Extract<OrgChange, { kind: 'reverse' }>): Effects {
	const original = history.changes.find((c) => c.id === change.changeId) ?? refuse('unknown_change', 'changeId');
	if (history.changes.some((c) => c.reverses === original.id)) refuse('already_reversed', 'changeId');
	if (change.effectiveOn < original.effectiveOn) refuse('bad_date', 'effectiveOn');
	return {
		units: original.units.map((e) => ({ unitId: e.unitId, before: e.after, after: e.before })),
		teams: original.teams.map((e) => ({ ...e, before: e.after, after: e.before })),
		subjects: original.subjects,
		reverses: original.id
	};
}

/** One change per unit per day: two would make the day's tree depend on the order they were typed. */
function checkSameDay(history: OrgHistory, change: OrgChange, subjects: readonly string[]): void {
	const reversing = change.kind === 'reverse' ? change.changeId : null;
	const undone = new Set(history.changes.filter((c) => c.reverses !== null).flatMap((c) => [c.id, c.reverses!]));
	for (const other of history.changes) {
		if (other.effectiveOn !== change.effectiveOn || other.id === reversing || undone.has(other.id)) continue;
		const shared = subjects.find((id) => other.subjects.includes(id));
		if (shared !== undefined) refuse('same_day', 'effectiveOn', { unitId: shared });
	}
}

type Span = { validFrom: LocalDate; validTo: LocalDate | null };

/** One unit's or team's change of state on the day, in the shape applyEffects works on. */
interface SpanEffect<S, V> {
	key: string;
	before: S | null;
	after: S | null;
	about: { unitId: string } | { teamId: string };
	make: (state: S) => Omit<V, keyof Span>;
}

/**
 * Sets each unit's (or team's) state from `day` on. The state in force on `day` must be the
 * effect's `before` (a reverse finds what the original left, or something changed since), and
 * nothing may already be dated after `day` for it: a later change was planned on the state this
 * one alters.
 */
function applyEffects<S extends object, V extends S & Span>(
	spans: readonly V[],
	keyOf: (span: V) => string,
	stateOfSpan: (span: V) => S,
	same: (a: S | null, b: S | null) => boolean,
	effects: readonly SpanEffect<S, V>[],
	day: LocalDate,
	field: string
): V[] {
	const touched = new Set(effects.map((e) => e.key));
	const out = spans.filter((v) => !touched.has(keyOf(v)));
	for (const effect of effects) {
		const own = spans.filter((v) => keyOf(v) === effect.key).map((v) => ({ ...v }));
		if (own.some((v) => v.validFrom > day || (v.validTo !== null && v.validTo > day))) refuse('later_change', 'effectiveOn', effect.about);
		const current = own.find((v) => isInForce(v, day));
		if (!same(current ? stateOfSpan(current) : null, effect.before)) refuse('changed_since', field, effect.about);
		out.push(...setFrom(own, current, day, effect.after, effect.make));
	}
	return out;
}

function applyUnitEffects(versions: readonly UnitVersion[], effects: readonly UnitEffect[], day: LocalDate, field: string): UnitVersion[] {
	const spanEffects = effects.map((e): SpanEffect<UnitState, UnitVersion> => ({ ...e, key: e.unitId, about: { unitId: e.unitId }, make: (state) => ({ unitId: e.unitId, ...state }) }));
	return applyEffects(versions, (v) => v.unitId, stateOf, sameState, spanEffects, day, field);
}

type Placed = { unitId: string };

function applyTeamEffects(placements: readonly TeamPlacement[], effects: readonly TeamEffect[], day: LocalDate, field: string): TeamPlacement[] {
	const placed = (unitId: string | null): Placed | null => (unitId === null ? null : { unitId });
	const spanEffects = effects.map(
		(e): SpanEffect<Placed, TeamPlacement> => ({ key: e.teamId, before: placed(e.before), after: placed(e.after), about: { teamId: e.teamId }, make: (s) => ({ teamId: e.teamId, level: e.level, ...s }) })
	);
	const same = (a: Placed | null, b: Placed | null) => (a?.unitId ?? null) === (b?.unitId ?? null);
	return applyEffects(placements, (p) => p.teamId, (p) => ({ unitId: p.unitId }), same, spanEffects, day, field);
}

/**
 * One unit's (or team's) spans with `state` in force from `day`: the span in force is cut at `day`
 * (dropped if it began that day: a same-day change or undo replaces it), and a span that ended on
 * `day` with the same state is extended rather than followed by an identical one.
 */
function setFrom<S extends object, V extends S & { validFrom: LocalDate; validTo: LocalDate | null }>(
	own: V[],
	current: V | undefined,
	day: LocalDate,
	state: S | null,
	make: (state: S) => Omit<V, 'validFrom' | 'validTo'>
): V[] {
	let spans = own;
	if (current) {
		if (current.validFrom === day) spans = spans.filter((v) => v !== current);
		else current.validTo = day;
	}
	if (state === null) return spans;
	const fresh = { ...make(state), validFrom: day, validTo: null } as V;
	const previous = spans.find((v) => v.validTo === day);
	if (previous && sameSpanState(previous, fresh)) {
		previous.validTo = null;
		return spans;
	}
	return [...spans, fresh];
}

function sameSpanState(a: object, b: object): boolean {
	const strip = ({ validFrom: _f, validTo: _t, ...rest }: Record<string, unknown>) => rest;
	return JSON.stringify(strip(a as Record<string, unknown>)) === JSON.stringify(strip(b as Record<string, unknown>));
}

/** The tree must hold on `day` and on every later day on which anything starts or ends. */
function checkTreeFrom(history: OrgHistory, day: LocalDate, field: string): void {
	const days = new Set([day]);
	for (const span of [...history.versions, ...history.placements]) {
		if (span.validFrom > day) days.add(span.validFrom);
		if (span.validTo !== null && span.validTo > day) days.add(span.validTo);
	}
	for (const d of [...days].sort()) checkTree(history, treeAsOf(history, d), field);
}

function checkTree(history: OrgHistory, tree: TreeAsOf, field: string): void {
	for (const unit of tree.units) {
		if (unit.parentId === null) continue;
		const parent = tree.unit(unit.parentId) ?? refuse('parent_missing', field, { unitId: unit.id });
		if (tree.isOnCycle(unit.id)) refuse('cycle', field, { unitId: unit.id });
		if (KIND_RANK[unit.kind] <= KIND_RANK[parent.kind]) refuse('rank', field, { unitId: unit.id });
	}
	for (const p of history.placements) {
		if (!isInForce(p, tree.date)) continue;
		const unit = tree.unit(p.unitId) ?? refuse('team_without_unit', field, { unitId: p.unitId, teamId: p.teamId });
		if (teamLevelOfKind(unit.kind) !== p.level) refuse('team_level', field, { unitId: p.unitId, teamId: p.teamId });
	}
}

function previewOf(change: RecordedChange, before: TreeAsOf, after: TreeAsOf): ChangePreview {
	const ids = (pick: (e: UnitEffect) => boolean) => change.units.filter(pick).map((e) => e.unitId);
	const affected = new Set<string>();
	for (const { unitId } of change.units) for (const tree of [before, after]) for (const id of tree.descendantIds(unitId)) affected.add(id);
	for (const { unitId } of change.units) affected.add(unitId);
	const teams = new Set(change.teams.map((t) => t.teamId));
	for (const unitId of affected) for (const tree of [before, after]) for (const teamId of tree.teamsOf(unitId)) teams.add(teamId);
	return {
		unitsEnded: ids((e) => e.before !== null && e.after === null),
		unitsCreated: ids((e) => e.before === null && e.after !== null),
		unitsRenamed: ids((e) => e.before !== null && e.after !== null && (e.before.name !== e.after.name || e.before.code !== e.after.code)),
		unitsMoved: ids((e) => e.before !== null && e.after !== null && e.before.parentId !== e.after.parentId),
		teamsMoved: change.teams.map((t) => t.teamId),
		affectedUnitIds: [...affected],
		affectedTeamIds: [...teams]
	};
}
