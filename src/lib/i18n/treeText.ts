// The dated org tree in words: what became of a former unit ("Sáp nhập vào Xã Đức Thọ từ
// 01/07/2025"), what a unit was formed from, and why a change or a mapping file was refused.
import { m } from '$lib/paraglide/messages.js';
import { formatDateVi } from '$lib/domain/period';
import type { ChangeKind, LineageEntry, UnitEnding } from '$lib/domain/orgHistory';
import type { Refusal, RefusalReason } from '$lib/domain/orgChange';
import { MAX_NAME_LENGTH } from '$lib/domain/text';
import { nameProblemText } from './nameText';
import type { MappingAction, MappingColumn, MappingProblem, MappingRefusal } from '$lib/domain/orgMapping';

/** Names of units and teams by id, from the server; an id it does not know is shown as it is. */
export interface TreeNames {
	unit: (id: string) => string | undefined;
	team: (id: string) => string | undefined;
}

type Params = { unit: string; team: string };

const REFUSALS: Record<Exclude<RefusalReason, 'bad_name'>, (p: Params) => string> = {
	bad_date: m.tree_refused_bad_date,
	basis_missing: m.tree_refused_basis_missing,
	name_missing: m.tree_refused_name_missing,
	bad_code: m.tree_refused_bad_code,
	bad_kind: m.tree_refused_bad_kind,
	no_change: m.tree_refused_no_change,
	unit_missing: m.tree_refused_unit_missing,
	unit_exists: m.tree_refused_unit_exists,
	duplicate: m.tree_refused_duplicate,
	merge_into_self: m.tree_refused_merge_into_self,
	split_parts: m.tree_refused_split_parts,
	team_unplaced: m.tree_refused_team_unplaced,
	team_placed_twice: m.tree_refused_team_placed_twice,
	team_not_here: m.tree_refused_team_not_here,
	child_unplaced: m.tree_refused_child_unplaced,
	child_placed_twice: m.tree_refused_child_placed_twice,
	child_not_here: m.tree_refused_child_not_here,
	same_day: m.tree_refused_same_day,
	later_change: m.tree_refused_later_change,
	unknown_change: m.tree_refused_unknown_change,
	already_reversed: m.tree_refused_already_reversed,
	changed_since: m.tree_refused_changed_since,
	cycle: m.tree_refused_cycle,
	rank: m.tree_refused_rank,
	team_level: m.tree_refused_team_level,
	parent_missing: m.tree_refused_parent_missing,
	team_without_unit: m.tree_refused_team_without_unit
};

const COLUMNS: Record<MappingColumn, () => string> = {
	old_code: m.tree_column_old_code,
	new_code: m.tree_column_new_code,
	new_name: m.tree_column_new_name,
	effective_on: m.tree_column_effective_on,
	basis: m.tree_column_basis
};

const isColumn = (field: string): field is MappingColumn => Object.hasOwn(COLUMNS, field);
const columnText = (field: string) => (isColumn(field) ? COLUMNS[field]() : field);

const MAPPING_PROBLEMS: Record<Exclude<MappingProblem, 'bad_date'>, (p: { column: string }) => string> = {
	empty: m.tree_map_empty,
	missing_column: m.tree_map_missing_column,
	missing_value: m.tree_map_missing_value,
	mapped_twice: m.tree_map_mapped_twice,
	unknown_code: m.tree_map_unknown_code,
	ambiguous_code: m.tree_map_ambiguous_code,
	mixed_dates: m.tree_map_mixed_dates,
	mixed_names: m.tree_map_mixed_names,
	mixed_basis: m.tree_map_mixed_basis,
	cycle: m.tree_map_cycle,
	target_mapped_away: m.tree_map_target_mapped_away,
	no_common_parent: m.tree_map_no_common_parent
};

/** "Sáp nhập vào Xã Đức Thọ từ 01/07/2025 (căn cứ 1656/NQ-UBTVQH15)". */
export function unitEndingText(ending: UnitEnding, options: { withBasis?: boolean } = {}): string {
	const date = formatDateVi(ending.on);
	const text =
		ending.kind === 'mergedInto'
			? m.tree_merged_into({ name: ending.intoName, date })
			: ending.kind === 'splitInto'
				? m.tree_split_into({ names: ending.parts.map((p) => p.name).join(', '), date })
				: m.tree_dissolved({ date });
	return options.withBasis ? m.tree_with_basis({ text, basis: ending.basis }) : text;
}

/** "Hình thành từ Thị trấn Đức Thọ, Xã Tùng Ảnh, …"; '' for a unit with no former units. */
export function formedFromText(entries: readonly LineageEntry[]): string {
	return entries.length === 0 ? '' : m.tree_formed_from({ names: entries.map((e) => e.name).join(', ') });
}

function params(about: { unitId?: string; teamId?: string }, names: TreeNames): Params {
	const unit = about.unitId === undefined ? '' : (names.unit(about.unitId) ?? about.unitId);
	const team = about.teamId === undefined ? '' : (names.team(about.teamId) ?? about.teamId);
	return { unit, team };
}

export function changeRefusalText(refusal: Refusal, names: TreeNames): string {
	if (refusal.reason === 'bad_name') return nameProblemText(refusal.nameProblem ?? 'missing', MAX_NAME_LENGTH);
	return REFUSALS[refusal.reason](params(refusal, names));
}

/** "Dòng 4: Mã cũ này đã có ở một dòng trước." */
export function mappingRefusalText(refusal: MappingRefusal, names: TreeNames): string {
	const reason = refusal.reason;
	const text = Object.hasOwn(MAPPING_PROBLEMS, reason)
		? MAPPING_PROBLEMS[reason as keyof typeof MAPPING_PROBLEMS]({ column: columnText(refusal.field) })
		: changeRefusalText({ ...refusal, reason: reason as RefusalReason }, names);
	return m.tree_line({ line: refusal.line, reason: text });
}

export function mappingActionText(action: MappingAction): string {
	return { merge: m.tree_action_merge, rename: m.tree_action_rename, dissolve: m.tree_action_dissolve, unchanged: m.tree_action_unchanged }[action]();
}

/** "Sáp nhập", "Hoàn tác": the kind of a recorded change, for the list of changes. */
export function changeKindText(kind: ChangeKind): string {
	return { create: m.tree3_kind_create, rename: m.tree3_kind_rename, move: m.tree3_kind_move, merge: m.tree3_kind_merge, split: m.tree3_kind_split, dissolve: m.tree3_kind_dissolve, reverse: m.tree3_kind_reverse }[kind]();
}
