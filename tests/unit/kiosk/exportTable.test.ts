// The leader's CSV carries member and skill names typed by people: none may start a formula in Excel.
import { describe, expect, it, vi } from 'vitest';
import { parseCsv, toCsv } from '$lib/domain/csv';
import { exportRows } from '$lib/kiosk/exportTable';
import type { MemberRow, SkillRow } from '$lib/kiosk/db';
import { emptyCounts } from '$lib/domain/tally';
import { formulaCells } from '../../fixtures/csvFormulas';

// The locale store is a Svelte rune module; the export only needs to know the language.
vi.mock('$lib/i18n/locale.svelte', () => ({ locale: { current: 'vi' } }));

describe("the leader's CSV export", () => {
	it("starts no formula when Excel reads it with ',' or with ';' as separator (issue 10)", () => {
		const members = [{ id: 'm1', fullName: 'An;=1+1;', role: 'member', active: true, order: 0 } as MemberRow];
		const skills = [{ code: 'evil', nameVi: 'Kỹ năng;@SUM(1)', nameEn: 'Skill;@SUM(1)', order: 0 } as SkillRow];
		const csv = toCsv(exportRows([], emptyCounts(), { skills, members }));
		expect(formulaCells(csv)).toEqual([]);
		const header = parseCsv(csv)[0]!;
		expect(header).toContain("An;'=1+1; ");
		expect(header.some((c) => c.includes(";'@SUM(1)"))).toBe(true);
	});
});
