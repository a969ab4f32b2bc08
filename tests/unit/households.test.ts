import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkHouseholdLabel, coveredCount, householdRemovalProblem, isCovered, MAX_DIGITS_IN_LABEL, newHousehold, type CheckedHouseholdLabel } from '$lib/domain/households';
import { householdLabelProblemText, householdRemovalProblemText } from '$lib/i18n/outcomeText';

describe('checkHouseholdLabel', () => {
	const kept = (label: string): CheckedHouseholdLabel => ({ ok: true, label });
	const refused = (problem: string) => ({ ok: false, problem });

	it.each<[string, CheckedHouseholdLabel]>([
		['Hộ ông Lê Văn Cường, xóm 3', kept('Hộ ông Lê Văn Cường, xóm 3')],
		['  Hộ bà   Trần Thị Hoa  ', kept('Hộ bà Trần Thị Hoa')],
		['Hộ anh Tư, xóm 12, nhà số 145', kept('Hộ anh Tư, xóm 12, nhà số 145')],
		['Hộ bác Năm (sinh 1948)', kept('Hộ bác Năm (sinh 1948)')],
		['Hộ 123456', kept('Hộ 123456')]
	])('keeps %j', (raw, expected) => {
		expect(checkHouseholdLabel(raw)).toEqual(expected);
	});

	it.each([
		['Hộ ông Cường 0912345678', 'a mobile number'],
		['Hộ ông Cường 0912 345 678', 'a mobile number in groups'],
		['Hộ ông Cường 0912.345.678', 'a mobile number with dots'],
		['Hộ ông Cường +84-912-345-678', 'an international number'],
		['Hộ bà Hoa 042123456789', 'a 12-digit CCCD number'],
		['Hộ bà Hoa CMND 183456789', 'a 9-digit old ID number'],
		['Hộ bà Hoa 3845 123', 'a local landline'],
		['Hộ bà Hoa ０９１２３４５６７８', 'full-width digits']
	])('refuses %j (%s)', (raw) => {
		expect(checkHouseholdLabel(raw)).toEqual(refused('looksLikeNumber'));
	});

	it('refuses what no name may be, with the name rule\'s reason', () => {
		expect(checkHouseholdLabel('   ')).toEqual(refused('missing'));
		expect(checkHouseholdLabel(undefined)).toEqual(refused('missing'));
		expect(checkHouseholdLabel('Hộ \u202egnaoH')).toEqual(refused('directionControl'));
		expect(checkHouseholdLabel('Hộ '.padEnd(81, 'a'))).toEqual(refused('tooLong'));
	});

	it('says why in Vietnamese', () => {
		expect(householdLabelProblemText('looksLikeNumber')).toBe(
			'Tên hộ không được chứa số điện thoại hay số giấy tờ. Hãy đặt tên như «Hộ ông Lê Văn Cường, xóm 3».'
		);
		expect(householdLabelProblemText('missing').length).toBeGreaterThan(0);
	});

	it('never keeps a label with a run of more than six digits, however they are spaced', () => {
		fc.assert(
			fc.property(
				fc.string({ maxLength: 20 }),
				fc.array(fc.integer({ min: 0, max: 9 }), { minLength: MAX_DIGITS_IN_LABEL + 1, maxLength: 14 }),
				fc.array(fc.constantFrom('', ' ', '.', '-'), { minLength: 14, maxLength: 14 }),
				(prefix, digits, separators) => {
					const run = digits.map((d, i) => (i === 0 ? '' : separators[i]!) + String(d)).join('');
					const result = checkHouseholdLabel(`Hộ ${prefix} ${run}`);
					expect(result.ok).toBe(false);
				}
			)
		);
	});
});

describe('households', () => {
	it('start not covered; covered is having a session it first was', () => {
		const h = newHousehold('h1', 'Hộ ông Cường', '2026-11-30T01:00:00.000Z');
		expect(isCovered(h)).toBe(false);
		expect(coveredCount([h, { ...h, id: 'h2', coveredIn: 's1' }])).toBe(1);
	});

	it('may be removed only when not covered and empty, and say why not in Vietnamese', () => {
		const h = newHousehold('h1', 'Hộ ông Cường', '2026-11-30T01:00:00.000Z');
		expect(householdRemovalProblem(h, 0)).toBeNull();
		expect(householdRemovalProblem(h, 1)).toBe('hasMembers');
		expect(householdRemovalProblem({ coveredIn: 's1' }, 0)).toBe('covered');
		expect(householdRemovalProblemText('covered')).toBe('Hộ này đã có người thành thạo 5 kỹ năng số cơ bản nên được giữ lại trong danh sách.');
		expect(householdRemovalProblemText('hasMembers')).toBe('Hộ này còn người dân. Hãy chuyển họ sang hộ khác trước khi xóa.');
	});
});
