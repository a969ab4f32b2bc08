import { describe, expect, it } from 'vitest';
import { changeFromForm } from '$lib/server/changeForm';
import { InputError } from '$lib/server/inputError';

const form = (fields: [string, string][]) => {
	const f = new FormData();
	for (const [k, v] of fields) f.append(k, v);
	return f;
};
const ids = { id: 'c-1', newId: () => 'u-new' };

describe('changeFromForm', () => {
	it('reads a merge into a new unit, every source ticked', () => {
		const change = changeFromForm(
			form([
				['kind', 'merge'],
				['effectiveOn', '2025-07-01'],
				['basis', ' 1656/NQ-UBTVQH15 '],
				['sourceIds', 'tt'],
				['sourceIds', 'ta'],
				['into', 'new'],
				['newName', 'Xã Đức Thọ'],
				['newKind', 'commune'],
				['newCode', ''],
				['newParentId', 'ht']
			]),
			ids
		);
		expect(change).toEqual({
			id: 'c-1',
			kind: 'merge',
			effectiveOn: '2025-07-01',
			basis: '1656/NQ-UBTVQH15',
			sourceIds: ['tt', 'ta'],
			into: { newUnit: { id: 'u-new', name: 'Xã Đức Thọ', kind: 'commune', code: null, parentId: 'ht' } }
		});
	});

	it('reads a merge into an existing unit, a rename with its code, a move and a dissolve', () => {
		const base: [string, string][] = [
			['effectiveOn', '2025-07-01'],
			['basis', 'QĐ 1']
		];
		expect(changeFromForm(form([['kind', 'merge'], ...base, ['sourceIds', 'a'], ['into', 'existing'], ['intoUnitId', 'b']]), ids)).toMatchObject({ into: { unitId: 'b' } });
		expect(changeFromForm(form([['kind', 'rename'], ...base, ['unitId', 'a'], ['name', 'Xã B'], ['code', '18118']]), ids)).toMatchObject({ unitId: 'a', name: 'Xã B', code: '18118' });
		expect(changeFromForm(form([['kind', 'move'], ...base, ['unitId', 'a'], ['parentId', '']]), ids)).toMatchObject({ unitId: 'a', parentId: null });
		expect(changeFromForm(form([['kind', 'dissolve'], ...base, ['unitId', 'a']]), ids)).toMatchObject({ unitId: 'a', childrenTo: null });
	});

	it('reads a split: the unit kept as one part, new parts with the kind and parent of the unit, each child and team placed', () => {
		let n = 0;
		const change = changeFromForm(
			form([
				['kind', 'split'],
				['effectiveOn', '2026-01-01'],
				['basis', 'QĐ 2'],
				['unitId', 'xa'],
				['keepSource', 'on'],
				['partCount', '2'],
				['partKind', 'commune'],
				['partParentId', 'ht'],
				['partName1', 'Xã Bắc'],
				['partCode1', ''],
				['partName2', 'Xã Nam'],
				['partCode2', 'N-2'],
				['child:thon-a', 'source'],
				['child:thon-b', '1'],
				['team:t-b', '1'],
				['child:thon-c', '2']
			]),
			{ id: 'c-2', newId: () => `new-${++n}` }
		);
		expect(change).toMatchObject({
			kind: 'split',
			unitId: 'xa',
			parts: [
				{ unit: { unitId: 'xa' }, teamIds: [], childIds: ['thon-a'] },
				{ unit: { newUnit: { id: 'new-1', name: 'Xã Bắc', kind: 'commune', code: null, parentId: 'ht' } }, teamIds: ['t-b'], childIds: ['thon-b'] },
				{ unit: { newUnit: { id: 'new-2', name: 'Xã Nam', kind: 'commune', code: 'N-2', parentId: 'ht' } }, teamIds: [], childIds: ['thon-c'] }
			]
		});
	});

	it('names the missing field: no source, no date, no basis, an unknown kind', () => {
		const fieldOf = (fields: [string, string][]) => {
			try {
				changeFromForm(form(fields), ids);
			} catch (e) {
				expect(e).toBeInstanceOf(InputError);
				return (e as InputError).field;
			}
			return 'no error';
		};
		expect(fieldOf([['kind', 'merge'], ['effectiveOn', '2025-07-01'], ['basis', 'x'], ['into', 'new'], ['newName', 'X']])).toBe('sourceIds');
		expect(fieldOf([['kind', 'dissolve'], ['basis', 'x'], ['unitId', 'a']])).toBe('effectiveOn');
		expect(fieldOf([['kind', 'dissolve'], ['effectiveOn', '2025-07-01'], ['unitId', 'a']])).toBe('basis');
		expect(fieldOf([['kind', 'split'], ['effectiveOn', '2026-01-01'], ['basis', 'x'], ['unitId', 'a'], ['partCount', '9']])).toBe('partCount');
		expect(fieldOf([['kind', 'split'], ['effectiveOn', '2026-01-01'], ['basis', 'x'], ['unitId', 'a'], ['partCount', '1'], ['partKind', 'village']])).toBe('partName1');
		expect(fieldOf([['kind', 'create']])).toBe('kind');
	});
});
