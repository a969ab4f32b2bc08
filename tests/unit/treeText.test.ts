import { describe, expect, it } from 'vitest';
import { changeKindText, changeRefusalText, formedFromText, mappingActionText, mappingRefusalText, unitEndingText } from '$lib/i18n/treeText';
import { nameProblemText } from '$lib/i18n/nameText';
import { lineage, unitEnding } from '$lib/domain/orgHistory';
import { planChanges } from '$lib/domain/orgChange';
import { before2025, DISSOLVE_DISTRICT, MERGE_DUC_THO } from '../fixtures/orgHistory';

const result = planChanges(before2025(), [MERGE_DUC_THO, DISSOLVE_DISTRICT]);
if (!result.ok) throw new Error('the Đức Thọ reform must apply');
const reformed = result.history;
const NAMES = { unit: (id: string) => ({ 'x-ta': 'Xã Tùng Ảnh', 'th-tt': 'Thôn Trung Tiến' })[id], team: (id: string) => ({ 'team-hl': 'Tổ CNSCĐ xã Hòa Lạc' })[id] };

describe('the dated tree in Vietnamese', () => {
	it('a former unit: "Sáp nhập vào Xã Đức Thọ từ 01/07/2025"', () => {
		const ending = unitEnding(reformed, 'tt-dt', '2026-11-14')!;
		expect(unitEndingText(ending)).toBe('Sáp nhập vào Xã Đức Thọ từ 01/07/2025');
		expect(unitEndingText(ending, { withBasis: true })).toBe('Sáp nhập vào Xã Đức Thọ từ 01/07/2025 (căn cứ 1656/NQ-UBTVQH15)');
		expect(unitEndingText(unitEnding(reformed, 'h-dt', '2026-11-14')!)).toBe('Giải thể từ 01/07/2025');
		expect(unitEndingText({ kind: 'splitInto', on: '2024-05-01', basis: 'x', parts: [{ id: 'a', name: 'Xã A' }, { id: 'b', name: 'Xã B' }] })).toBe('Chia tách thành Xã A, Xã B từ 01/05/2024');
	});

	it('the kind of a recorded change, for the list of changes', () => {
		expect(MERGE_DUC_THO.kind).toBe('merge');
		expect(changeKindText(MERGE_DUC_THO.kind)).toBe('Sáp nhập');
		expect(changeKindText('reverse')).toBe('Hoàn tác');
		expect(changeKindText('split')).toBe('Chia tách');
	});

	it('the new unit: "Hình thành từ …"', () => {
		expect(formedFromText(lineage(reformed, 'x-dt', '2026-11-14'))).toBe('Hình thành từ Thị trấn Đức Thọ, Xã Tùng Ảnh, Xã Hòa Lạc, Xã Tân Dân');
		expect(formedFromText([])).toBe('');
	});

	it('a refusal names the unit and the team', () => {
		expect(changeRefusalText({ reason: 'team_level', field: 'into', unitId: 'th-tt', teamId: 'team-hl' }, NAMES)).toBe('Tổ CNSCĐ xã Hòa Lạc không hợp với cấp của Thôn Trung Tiến.');
		expect(changeRefusalText({ reason: 'merge_into_self', field: 'into', unitId: 'x-ta' }, NAMES)).toBe('Không thể sáp nhập Xã Tùng Ảnh vào chính nó.');
		// An id the server could not name is still shown.
		expect(changeRefusalText({ reason: 'cycle', field: 'parentId', unitId: 'u-9' }, NAMES)).toBe('u-9 sẽ nằm dưới chính nó.');
	});

	it('a mapping refusal starts with its line, and names the column in Vietnamese', () => {
		expect(mappingRefusalText({ line: 4, reason: 'mapped_twice', field: 'old_code' }, NAMES)).toBe('Dòng 4: Mã cũ này đã có ở một dòng trước.');
		expect(mappingRefusalText({ line: 2, reason: 'missing_value', field: 'basis' }, NAMES)).toBe('Dòng 2: Thiếu giá trị ở cột “Nghị quyết”.');
		expect(mappingRefusalText({ line: 3, reason: 'bad_date', field: 'effective_on' }, NAMES)).toBe('Dòng 3: Ngày hiệu lực không phải là một ngày có thật (ghi theo dạng 01/07/2025).');
		expect(mappingRefusalText({ line: 5, reason: 'team_without_unit', field: 'into', teamId: 'team-hl' }, NAMES)).toBe('Dòng 5: Tổ CNSCĐ xã Hòa Lạc sẽ không còn thuộc đơn vị nào.');
		expect(mappingRefusalText({ line: 2, reason: 'bad_name', field: 'into.name', nameProblem: 'directionControl' }, NAMES)).toMatch(/^Dòng 2: /);
		expect(mappingRefusalText({ line: 2, reason: 'bad_name', field: 'into.name', nameProblem: 'directionControl' }, NAMES)).toBe(`Dòng 2: ${nameProblemText('directionControl', 120)}`);
		expect(mappingActionText('merge')).toBe('Sáp nhập');
	});
});
