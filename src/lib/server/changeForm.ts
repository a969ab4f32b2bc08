// One dated change typed into the changes page (issue 12): the form's fields as the change
// recordChange takes. Shape only: recordChange checks the fields, the plan checks the tree.
import type { OrgUnitKind } from '$lib/domain/orgHistory';
import { InputError } from './inputError';

export const FORM_CHANGE_KINDS = ['merge', 'split', 'rename', 'move', 'dissolve'] as const;
/** A split into more new units than this is better done as a mapping file. */
export const MAX_FORM_SPLIT_PARTS = 6;
export type FormChangeKind = (typeof FORM_CHANGE_KINDS)[number];

const text = (form: FormData, key: string) => String(form.get(key) ?? '').trim();
const required = (form: FormData, key: string) => {
	const value = text(form, key);
	if (value === '') throw new InputError(key, 'required', `${key} is required`);
	return value;
};

/** The change the form describes; `newId` names a unit the change forms (a UUID on the server). */
export function changeFromForm(form: FormData, input: { id: string; newId: () => string }): Record<string, unknown> {
	const kind = text(form, 'kind');
	if (!(FORM_CHANGE_KINDS as readonly string[]).includes(kind)) throw new InputError('kind', 'invalid', 'unknown kind of change');
	const base = { id: input.id, kind, effectiveOn: required(form, 'effectiveOn'), basis: required(form, 'basis') };
	switch (kind as FormChangeKind) {
		case 'merge': {
			const sourceIds = form.getAll('sourceIds').map(String).filter((id) => id !== '');
			if (sourceIds.length === 0) throw new InputError('sourceIds', 'required', 'pick the units that merge');
			const into =
				text(form, 'into') === 'existing'
					? { unitId: required(form, 'intoUnitId') }
					: {
							newUnit: {
								id: input.newId(),
								name: required(form, 'newName'),
								kind: required(form, 'newKind') as OrgUnitKind,
								code: text(form, 'newCode') || null,
								parentId: text(form, 'newParentId') || null
							}
						};
			return { ...base, sourceIds, into };
		}
		case 'split':
			return { ...base, unitId: required(form, 'unitId'), parts: splitParts(form, input.newId) };
		case 'rename':
			return { ...base, unitId: required(form, 'unitId'), name: required(form, 'name'), code: text(form, 'code') || null };
		case 'move':
			return { ...base, unitId: required(form, 'unitId'), parentId: text(form, 'parentId') || null };
		case 'dissolve':
			return { ...base, unitId: required(form, 'unitId'), childrenTo: text(form, 'childrenTo') || null };
	}
}

/**
 * A split's parts: the unit itself when it stays ("keepSource"), then each new part (name, code; the
 * kind and parent of the unit split). Every child unit and team is placed by a field `place:<id>`
 * naming its part: 'source' or the new part's number.
 */
function splitParts(form: FormData, newId: () => string) {
	const unitId = required(form, 'unitId');
	const count = Number(text(form, 'partCount'));
	if (!Number.isInteger(count) || count < 1 || count > MAX_FORM_SPLIT_PARTS) throw new InputError('partCount', 'invalid', 'between 1 and 6 new parts');
	const keys = [...(text(form, 'keepSource') === 'on' ? ['source'] : []), ...Array.from({ length: count }, (_, i) => String(i + 1))];
	const placed = (prefix: 'team' | 'child', key: string) =>
		[...form.entries()].filter(([name, value]) => name.startsWith(`${prefix}:`) && String(value) === key).map(([name]) => name.slice(prefix.length + 1));
	return keys.map((key) => ({
		unit:
			key === 'source'
				? { unitId }
				: {
						newUnit: {
							id: newId(),
							name: required(form, `partName${key}`),
							kind: required(form, 'partKind') as OrgUnitKind,
							code: text(form, `partCode${key}`) || null,
							parentId: text(form, 'partParentId') || null
						}
					},
		teamIds: placed('team', key),
		childIds: placed('child', key)
	}));
}
