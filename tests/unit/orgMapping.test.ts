import { describe, expect, it } from 'vitest';
import { treeAsOf, unitEnding, type OrgHistory } from '$lib/domain/orgHistory';
import { kindFromName, mappingDate, parseMapping, planMapping } from '$lib/domain/orgMapping';
import { toCsv } from '$lib/domain/csv';
import { before2025, JULY_2025, RESOLUTION_1656 } from '../fixtures/orgHistory';

const HEADER = 'old_code,new_code,new_name,effective_on,basis';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n');
const ids = () => {
	let n = 0;
	return () => `id-${++n}`;
};

/** The province's annex for the pilot: the district folds into the province, four communes become one. */
const DUC_THO_MAPPING = csv(
	'H-DT,42,Tỉnh Hà Tĩnh,01/07/2025,203/2025/QH15',
	'TT-DT,X-DT,Xã Đức Thọ,01/07/2025,1656/NQ-UBTVQH15',
	'X-TA,X-DT,Xã Đức Thọ,01/07/2025,1656/NQ-UBTVQH15',
	'X-HL,X-DT,Xã Đức Thọ,01/07/2025,1656/NQ-UBTVQH15',
	'X-TD,X-DT,Xã Đức Thọ,01/07/2025,1656/NQ-UBTVQH15'
);

const refusalOf = (history: OrgHistory, text: string) => {
	const plan = planMapping(history, text, ids());
	if (plan.ok) throw new Error('expected a refusal');
	return plan.refusal;
};

describe('importing the Đức Thọ mapping', () => {
	const h = before2025();

	it('the dry run lists what it would do, line by line', () => {
		const plan = planMapping(h, DUC_THO_MAPPING, ids());
		if (!plan.ok) throw new Error(JSON.stringify(plan.refusal));
		expect(plan.steps).toEqual([
			{ lines: [2], action: 'dissolve', oldCodes: ['H-DT'], newCode: '42', newName: 'Tỉnh Hà Tĩnh', effectiveOn: JULY_2025 },
			{ lines: [3, 4, 5, 6], action: 'merge', oldCodes: ['TT-DT', 'X-TA', 'X-HL', 'X-TD'], newCode: 'X-DT', newName: 'Xã Đức Thọ', effectiveOn: JULY_2025 }
		]);
		expect(plan.previews[1]).toMatchObject({ unitsEnded: ['tt-dt', 'x-ta', 'x-hl', 'x-td'], teamsMoved: ['team-tt', 'team-ta', 'team-hl'] });
		// A dry run saves nothing: the history passed in is untouched.
		expect(h.changes).toEqual([]);
	});

	it('applied, the new commune sits under the province with the teams and villages', () => {
		const plan = planMapping(h, DUC_THO_MAPPING, ids());
		if (!plan.ok) throw new Error(JSON.stringify(plan.refusal));
		const tree = treeAsOf(plan.history, '2026-11-14');
		const xdt = tree.units.find((u) => u.code === 'X-DT')!;
		expect(xdt).toMatchObject({ name: 'Xã Đức Thọ', kind: 'commune', parentId: 'ht' });
		expect(tree.path(tree.unitOfTeam('team-trung-tien')!).map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Xã Đức Thọ', 'Thôn Trung Tiến']);
		expect(tree.unit('h-dt')).toBeUndefined();
		expect(tree.unit('x-yh')?.parentId).toBe('ht');
		expect(unitEnding(plan.history, 'tt-dt', '2026-01-01')).toMatchObject({ kind: 'mergedInto', intoName: 'Xã Đức Thọ', on: JULY_2025, basis: RESOLUTION_1656 });
		expect(treeAsOf(plan.history, '2025-06-30').path('tdp-1').map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ', 'Thị trấn Đức Thọ', 'Tổ dân phố 1']);
	});

	it('reads the file as Excel saves it: BOM, quotes, Vietnamese headers, ISO dates', () => {
		const text = toCsv([
			['Mã cũ', 'Mã mới', 'Tên mới', 'Ngày hiệu lực', 'Nghị quyết'],
			['X-TA', 'X-DT', 'Xã Đức Thọ', '2025-07-01', '1656/NQ-UBTVQH15'],
			['X-HL', 'X-DT', 'Xã Đức Thọ', '2025-07-01', '1656/NQ-UBTVQH15']
		]);
		const plan = planMapping(h, text, ids());
		expect(plan.ok && plan.steps.map((s) => [s.lines, s.action])).toEqual([[[2, 3], 'merge']]);
	});

	it('one old unit under a new code is the same unit renamed and recoded', () => {
		const plan = planMapping(h, csv('X-YH,X-YH2,Xã Yên Hồ Mới,01/07/2025,NQ 1'), ids());
		if (!plan.ok) throw new Error(JSON.stringify(plan.refusal));
		expect(plan.steps[0]!.action).toBe('rename');
		expect(treeAsOf(plan.history, JULY_2025).unit('x-yh')).toMatchObject({ name: 'Xã Yên Hồ Mới', code: 'X-YH2' });
	});

	it('merging into an existing unit that takes the new name (Tùng Ảnh absorbs Hòa Lạc)', () => {
		const plan = planMapping(h, csv('X-TA,X-TA,Xã Tùng Ảnh Mới,01/07/2025,NQ 1', 'X-HL,X-TA,Xã Tùng Ảnh Mới,01/07/2025,NQ 1'), ids());
		if (!plan.ok) throw new Error(JSON.stringify(plan.refusal));
		const tree = treeAsOf(plan.history, JULY_2025);
		expect(tree.unit('x-ta')?.name).toBe('Xã Tùng Ảnh Mới');
		expect(tree.unitOfTeam('team-hl')).toBe('x-ta');
		expect(tree.unit('x-hl')).toBeUndefined();
	});
});

describe('a mapping that does not add up is refused with its line number', () => {
	const h = before2025();

	it('a unit mapped twice', () => {
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,01/07/2025,NQ', 'X-HL,X-DT,Xã Đức Thọ,01/07/2025,NQ', 'X-TA,X-NEW,Xã Mới,01/07/2025,NQ'))).toEqual({ line: 4, reason: 'mapped_twice', field: 'old_code' });
	});

	it('an unknown code, and a code of a unit not in force on the date', () => {
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,01/07/2025,NQ', 'X-NOPE,X-DT,Xã Đức Thọ,01/07/2025,NQ'))).toEqual({ line: 3, reason: 'unknown_code', field: 'old_code' });
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,01/07/2021,NQ'))).toEqual({ line: 2, reason: 'unknown_code', field: 'old_code' });
	});

	it('a cycle: A into B and B into A', () => {
		expect(refusalOf(h, csv('X-TA,X-HL,Xã Hòa Lạc,01/07/2025,NQ', 'X-YH,X-YH,Xã Yên Hồ 2,01/07/2025,NQ', 'X-HL,X-TA,Xã Tùng Ảnh,01/07/2025,NQ'))).toEqual({ line: 4, reason: 'cycle', field: 'old_code' });
	});

	it('a chain: the target is itself mapped into a third unit', () => {
		expect(refusalOf(h, csv('X-TA,X-HL,Xã Hòa Lạc,01/07/2025,NQ', 'X-HL,X-TD,Xã Tân Dân,01/07/2025,NQ'))).toEqual({ line: 3, reason: 'target_mapped_away', field: 'old_code' });
	});

	it('mixed dates, names or resolutions for one new unit', () => {
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,01/07/2025,NQ', 'X-HL,X-DT,Xã Đức Thọ,02/07/2025,NQ'))).toEqual({ line: 3, reason: 'mixed_dates', field: 'effective_on' });
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,01/07/2025,NQ', 'X-HL,X-DT,Xã Đức Thọ Mới,01/07/2025,NQ'))).toEqual({ line: 3, reason: 'mixed_names', field: 'new_name' });
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,01/07/2025,NQ 1', 'X-HL,X-DT,Xã Đức Thọ,01/07/2025,NQ 2'))).toEqual({ line: 3, reason: 'mixed_basis', field: 'basis' });
	});

	it('bad dates and missing cells', () => {
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,31/06/2025,NQ'))).toEqual({ line: 2, reason: 'bad_date', field: 'effective_on' });
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,July 2025,NQ'))).toEqual({ line: 2, reason: 'bad_date', field: 'effective_on' });
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,01/07/2025,'))).toEqual({ line: 2, reason: 'missing_value', field: 'basis' });
		expect(refusalOf(h, 'old_code,new_code,new_name,basis\r\nX-TA,X-DT,Xã Đức Thọ,NQ')).toEqual({ line: 1, reason: 'missing_column', field: 'effective_on' });
		expect(refusalOf(h, '')).toEqual({ line: 1, reason: 'empty', field: 'csv' });
		expect(refusalOf(h, HEADER)).toEqual({ line: 1, reason: 'empty', field: 'csv' });
	});

	it('a line number counts the lines a quoted name spans', () => {
		const text = csv('X-TA,X-DT,"Xã Đức Thọ",01/07/2025,"NQ\r\nphụ lục"', 'X-HL,X-DT,Xã Đức Thọ,01/07/2025,bad', 'X-HL,X-DT,Xã Đức Thọ,01/07/2025,NQ');
		expect(parseMapping(text)).toEqual({ ok: false, refusal: { line: 5, reason: 'mapped_twice', field: 'old_code' } });
	});

	it('a new name a person could not read', () => {
		expect(refusalOf(h, csv('X-TA,X-DT,Xã Đức Thọ,01/07/2025,NQ', 'X-HL,X-DT,Xã Đức Thọ,01/07/2025,NQ').replace(/Xã Đức Thọ/g, 'Xã \u202eọhT cứĐ'))).toEqual({
			line: 2,
			reason: 'bad_name',
			field: 'into.name',
			nameProblem: 'directionControl'
		});
	});

	it('a mapping the tree cannot take: all or nothing, naming the line', () => {
		// Hòa Lạc has a commune-level team: it cannot be folded into a village.
		const text = csv('X-TA,X-DT,Xã Đức Thọ,01/07/2025,NQ', 'X-TD,X-DT,Xã Đức Thọ,01/07/2025,NQ', 'X-HL,TH-TT,Thôn Trung Tiến,01/07/2025,NQ');
		expect(refusalOf(h, text)).toEqual({ line: 4, reason: 'team_level', field: 'into', unitId: 'th-tt', teamId: 'team-hl' });
	});
});

describe('helpers', () => {
	it('reads dd/mm/yyyy and YYYY-MM-DD, refuses days that do not exist', () => {
		expect(mappingDate('1/7/2025')).toBe('2025-07-01');
		expect(mappingDate('2025-07-01')).toBe('2025-07-01');
		expect(mappingDate('29/02/2025')).toBeNull();
		expect(mappingDate('07/01/25')).toBeNull();
	});

	it('knows a unit’s kind from its name', () => {
		expect(kindFromName('Xã Đức Thọ')).toBe('commune');
		expect(kindFromName('Phường Bắc Hồng Lĩnh')).toBe('ward');
		expect(kindFromName('Tổ dân phố 3')).toBe('residentialGroup');
		expect(kindFromName('thôn Trung Tiến')).toBe('village');
		expect(kindFromName('Khu Kinh tế Vũng Áng')).toBeNull();
	});
});
