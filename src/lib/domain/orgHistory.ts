// The org tree through time. Communes merge, districts go away (1 July 2025), villages merge; a
// report must still show the tree that stood on its period's last day. So a unit is a run of dated
// versions (name, kind, code, parent) and a team is a run of dated placements; changes add versions
// and never remove a day that was already in force (orgChange.ts records them).
//
// Dates are LocalDate 'YYYY-MM-DD'. `validFrom` is inclusive and `validTo` EXCLUSIVE: a unit merged
// on 2025-07-01 has validTo '2025-07-01' (its last day is 30/06), and the new unit's validFrom is
// the same '2025-07-01', so the two never overlap and never leave a gap. null = still in force.
import type { LocalDate } from './period';

export type OrgUnitKind = 'province' | 'district' | 'commune' | 'ward' | 'town' | 'village' | 'residentialGroup';
export type TeamLevel = 'commune' | 'village';

/** Administrative rank: a child must rank strictly below its parent (levels may be skipped). */
export const KIND_RANK: Readonly<Record<OrgUnitKind, number>> = {
	province: 0,
	district: 1,
	commune: 2,
	ward: 2,
	town: 2,
	village: 3,
	residentialGroup: 3
};

const KINDS_BY_RANK: readonly OrgUnitKind[] = ['province', 'district', 'commune', 'ward', 'town', 'village', 'residentialGroup'];

/**
 * The kinds a new unit may take under a parent of `parentKind` (null: a new root). Districts ended on
 * 1 July 2025, so "district" is offered only where the tree still has one (an install that keeps its
 * history before the reform, or a country's tree that has them).
 */
export function kindsUnder(parentKind: OrgUnitKind | null, treeHasDistrict: boolean): OrgUnitKind[] {
	return KINDS_BY_RANK.filter((kind) => (parentKind === null || KIND_RANK[kind] > KIND_RANK[parentKind]) && (kind !== 'district' || treeHasDistrict));
}

/** The team level a unit of this kind hosts (commune-level and village-level teams); null: none. */
export function teamLevelOfKind(kind: OrgUnitKind): TeamLevel | null {
	if (KIND_RANK[kind] === 2) return 'commune';
	if (KIND_RANK[kind] === 3) return 'village';
	return null;
}

/** What a unit is on a given day. */
export interface UnitState {
	name: string;
	kind: OrgUnitKind;
	code: string | null;
	parentId: string | null;
}

export interface UnitVersion extends UnitState {
	unitId: string;
	validFrom: LocalDate;
	/** Exclusive; null while in force. */
	validTo: LocalDate | null;
}

export interface TeamPlacement {
	teamId: string;
	level: TeamLevel;
	unitId: string;
	validFrom: LocalDate;
	/** Exclusive; null while in force. */
	validTo: LocalDate | null;
}

export type ChangeKind = 'create' | 'rename' | 'move' | 'merge' | 'split' | 'dissolve' | 'reverse';

/** A unit's state before and after a change on its effective date (null: not in force). */
export interface UnitEffect {
	unitId: string;
	before: UnitState | null;
	after: UnitState | null;
}

export interface TeamEffect {
	teamId: string;
	level: TeamLevel;
	before: string | null;
	after: string | null;
}

/** A change as stored: what was asked, and exactly what it did (so it can be undone). */
export interface RecordedChange {
	id: string;
	kind: ChangeKind;
	effectiveOn: LocalDate;
	/** The legal basis: resolution or decision number (e.g. 1656/NQ-UBTVQH15). */
	basis: string;
	/** The units the change names (not the villages carried along): one change per unit per day. */
	subjects: string[];
	/** For a reverse change: the change it undoes. */
	reverses: string | null;
	units: UnitEffect[];
	teams: TeamEffect[];
}

export interface OrgHistory {
	readonly versions: readonly UnitVersion[];
	readonly placements: readonly TeamPlacement[];
	/** In the order recorded. */
	readonly changes: readonly RecordedChange[];
}

export const EMPTY_HISTORY: OrgHistory = { versions: [], placements: [], changes: [] };

export const isInForce = (span: { validFrom: LocalDate; validTo: LocalDate | null }, date: LocalDate): boolean =>
	span.validFrom <= date && (span.validTo === null || date < span.validTo);

/**
 * The history of a tree that has had no dated change yet (today's org_units and teams): every unit
 * in force from `since`, every team from its establishment (or `since`, if later).
 */
export function historyFromCurrent(
	units: readonly ({ id: string } & UnitState)[],
	teams: readonly { id: string; unitId: string; level: TeamLevel; establishedOn: LocalDate }[],
	since: LocalDate
): OrgHistory {
	return {
		versions: units.map(({ id, name, kind, code, parentId }) => ({ unitId: id, name, kind, code, parentId, validFrom: since, validTo: null })),
		placements: teams.map((t) => ({
			teamId: t.id,
			level: t.level,
			unitId: t.unitId,
			validFrom: t.establishedOn < since ? since : t.establishedOn,
			validTo: null
		})),
		changes: []
	};
}

/** `id` and everything below it, depth-first in child order; safe on cyclic data (bad rows). */
export function subtreeIds(id: string, childIds: (id: string) => readonly string[]): string[] {
	const seen = new Set<string>();
	const stack = [id];
	while (stack.length > 0) {
		const next = stack.pop()!;
		if (seen.has(next)) continue;
		seen.add(next);
		const kids = childIds(next);
		for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
	}
	return [...seen];
}

export interface UnitAsOf extends UnitState {
	id: string;
}

const collator = new Intl.Collator('vi', { numeric: true });

/** The tree in force on one day: units, their parents and the teams placed in them. */
export class TreeAsOf {
	readonly #units = new Map<string, UnitAsOf>();
	readonly #children = new Map<string, string[]>();
	readonly #teamsOf = new Map<string, string[]>();
	readonly #unitOfTeam = new Map<string, string>();

	constructor(
		readonly date: LocalDate,
		units: readonly UnitAsOf[],
		teams: readonly { teamId: string; unitId: string }[]
	) {
		for (const unit of units) this.#units.set(unit.id, unit);
		for (const unit of units) {
			if (unit.parentId === null || !this.#units.has(unit.parentId)) continue;
			push(this.#children, unit.parentId, unit.id);
		}
		for (const { teamId, unitId } of teams) {
			this.#unitOfTeam.set(teamId, unitId);
			push(this.#teamsOf, unitId, teamId);
		}
	}

	get units(): UnitAsOf[] {
		return [...this.#units.values()];
	}

	unit(id: string): UnitAsOf | undefined {
		return this.#units.get(id);
	}

	/** Units whose parent is none or not in force on this day. */
	roots(): UnitAsOf[] {
		return this.units.filter((u) => u.parentId === null || !this.#units.has(u.parentId));
	}

	/** By name, as a person reads them (sorted when asked: planning a change builds many trees). */
	children(id: string): string[] {
		const byName = (a: string, b: string) => collator.compare(this.#units.get(a)!.name, this.#units.get(b)!.name) || (a < b ? -1 : 1);
		return [...(this.#children.get(id) ?? [])].sort(byName);
	}

	/** Teams placed directly in the unit. */
	teamsOf(unitId: string): string[] {
		return [...(this.#teamsOf.get(unitId) ?? [])];
	}

	unitOfTeam(teamId: string): string | undefined {
		return this.#unitOfTeam.get(teamId);
	}

	/** Root first, ending at the unit; [] for a unit not in force. Stops if the data loops. */
	path(id: string): UnitAsOf[] {
		const out: UnitAsOf[] = [];
		const seen = new Set<string>();
		for (let unit = this.#units.get(id); unit && !seen.has(unit.id); unit = unit.parentId === null ? undefined : this.#units.get(unit.parentId)) {
			seen.add(unit.id);
			out.push(unit);
		}
		return out.reverse();
	}

	/** Whether the chain of parents above `id` loops instead of reaching a root. */
	isOnCycle(id: string): boolean {
		const top = this.path(id)[0];
		return top !== undefined && top.parentId !== null && this.#units.has(top.parentId);
	}

	/** `id` and everything below it. */
	descendantIds(id: string): string[] {
		if (!this.#units.has(id)) return [];
		return subtreeIds(id, (unitId) => this.#children.get(unitId) ?? []);
	}
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/** The tree in force on `date` (reports use the period's last day). */
export function treeAsOf(history: OrgHistory, date: LocalDate): TreeAsOf {
	const units = history.versions
		.filter((v) => isInForce(v, date))
		.map(({ unitId, name, kind, code, parentId }) => ({ id: unitId, name, kind, code, parentId }));
	const teams = history.placements.filter((p) => isInForce(p, date));
	return new TreeAsOf(date, units, teams);
}

/** Changes that were undone on their own effective date never happened, for lineage and labels. */
function cancelledChangeIds(history: OrgHistory): Set<string> {
	const byId = new Map(history.changes.map((c) => [c.id, c]));
	const out = new Set<string>();
	for (const change of history.changes) {
		const original = change.reverses === null ? undefined : byId.get(change.reverses);
		if (original && original.effectiveOn === change.effectiveOn) out.add(original.id).add(change.id);
	}
	return out;
}

/** The units a merge or split formed each unit from, as recorded by the change. */
function predecessors(history: OrgHistory): Map<string, { unitId: string; change: RecordedChange; partial: boolean }[]> {
	const cancelled = cancelledChangeIds(history);
	const out = new Map<string, { unitId: string; change: RecordedChange; partial: boolean }[]>();
	for (const change of history.changes) {
		if (cancelled.has(change.id) || (change.kind !== 'merge' && change.kind !== 'split')) continue;
		const [first, ...rest] = change.subjects;
		if (first === undefined) continue;
		// merge: subjects are the sources then the target; split: the source then its parts.
		if (change.kind === 'merge') {
			const target = change.subjects[change.subjects.length - 1]!;
			for (const source of change.subjects.slice(0, -1)) push(out, target, { unitId: source, change, partial: false });
		} else {
			for (const part of rest) if (part !== first) push(out, part, { unitId: first, change, partial: true });
		}
	}
	return out;
}

export interface LineageEntry {
	unitId: string;
	/** Its name on its last day before the change. */
	name: string;
	/** The change that carried it into the unit (or into one of its former units). */
	changeId: string;
	/** The day its figures start counting as the later unit's. */
	until: LocalDate;
	/** A split: only the teams the split placed here came along. */
	partial: boolean;
}

/**
 * The former units whose periods add up into `unitId` as of `date`: Thị trấn Đức Thọ and Xã Tùng
 * Ảnh for xã Đức Thọ before 1 July 2025. Transitive (a former unit's own former units are listed),
 * nearest first. The trend's figures themselves come from orgRollup's team-based mapping, which is
 * exact for splits too; this is what the screen names.
 */
export function lineage(history: OrgHistory, unitId: string, date: LocalDate): LineageEntry[] {
	const formers = predecessors(history);
	const out: LineageEntry[] = [];
	const seen = new Set([unitId]);
	const queue = [unitId];
	while (queue.length > 0) {
		const current = queue.shift()!;
		for (const { unitId: former, change, partial } of formers.get(current) ?? []) {
			if (change.effectiveOn > date || seen.has(former)) continue;
			seen.add(former);
			const lastState = change.units.find((e) => e.unitId === former)?.before;
			out.push({ unitId: former, name: lastState?.name ?? former, changeId: change.id, until: change.effectiveOn, partial });
			queue.push(former);
		}
	}
	return out;
}

/** What became of a unit that is no longer in force, for "sáp nhập vào Xã Đức Thọ từ 01/07/2025". */
export type UnitEnding =
	| { kind: 'mergedInto'; on: LocalDate; basis: string; intoId: string; intoName: string }
	| { kind: 'splitInto'; on: LocalDate; basis: string; parts: { id: string; name: string }[] }
	| { kind: 'dissolved'; on: LocalDate; basis: string };

/** How the unit ended, or null while it is in force on `date` (or never ended by a change). */
export function unitEnding(history: OrgHistory, unitId: string, date: LocalDate): UnitEnding | null {
	const cancelled = cancelledChangeIds(history);
	let ending: UnitEnding | null = null;
	for (const change of history.changes) {
		if (cancelled.has(change.id) || change.effectiveOn > date) continue;
		const effect = change.units.find((e) => e.unitId === unitId);
		if (!effect) continue;
		if (effect.after !== null) {
			ending = null; // revived by a later change (an undo from a later date)
			continue;
		}
		const nameOn = (id: string) => change.units.find((e) => e.unitId === id)?.after?.name ?? treeAsOf(history, change.effectiveOn).unit(id)?.name ?? id;
		const { effectiveOn: on, basis } = change;
		if (change.kind === 'merge') {
			const intoId = change.subjects[change.subjects.length - 1]!;
			ending = { kind: 'mergedInto', on, basis, intoId, intoName: nameOn(intoId) };
		} else if (change.kind === 'split') {
			ending = { kind: 'splitInto', on, basis, parts: change.subjects.slice(1).map((id) => ({ id, name: nameOn(id) })) };
		} else ending = { kind: 'dissolved', on, basis };
	}
	return ending;
}
