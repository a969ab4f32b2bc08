import { describe, expect, it } from 'vitest';
import { lineage, type OrgHistory } from '$lib/domain/orgHistory';
import { planChanges } from '$lib/domain/orgChange';
import { NUMBER_SUM, rollUpForTrend, rollUpPeriod, type DatedTally } from '$lib/domain/orgRollup';
import { periodRange } from '$lib/domain/period';
import { before2025, DISSOLVE_DISTRICT, MERGE_DUC_THO } from '../fixtures/orgHistory';

const reform = (history: OrgHistory) => {
	const result = planChanges(history, [MERGE_DUC_THO, DISSOLVE_DISTRICT]);
	if (!result.ok) throw new Error(JSON.stringify(result.refusal));
	return result.history;
};

/** Check-ins of each team, on both sides of 1 July 2025. */
const TALLIES: DatedTally<number>[] = [
	{ teamId: 'team-tt', date: '2025-04-20', counts: 10 },
	{ teamId: 'team-ta', date: '2025-05-02', counts: 7 },
	{ teamId: 'team-trung-tien', date: '2025-05-10', counts: 3 },
	{ teamId: 'team-hl', date: '2025-05-14', counts: 2 },
	{ teamId: 'team-vl', date: '2025-05-01', counts: 4 },
	// 2025-07 runs 15 June – 14 July: across the change.
	{ teamId: 'team-tt', date: '2025-06-20', counts: 5 },
	{ teamId: 'team-ta', date: '2025-07-03', counts: 6 },
	{ teamId: 'team-tdp1', date: '2025-07-14', counts: 1 },
	{ teamId: 'team-tt', date: '2026-10-20', counts: 8 },
	{ teamId: 'team-dong-lac', date: '2026-11-01', counts: 9 }
];

/** "Tỉnh Hà Tĩnh › Huyện Đức Thọ = 22" lines, as a report lists its units. */
const lines = (history: OrgHistory, key: string) => {
	const { tree, byUnit, unplaced } = rollUpPeriod(history, periodRange(key), TALLIES, NUMBER_SUM);
	expect(unplaced).toEqual([]);
	return Object.fromEntries([...byUnit].map(([id, n]) => [tree.path(id).map((u) => u.name).join(' › '), n]));
};

describe('reports across the Đức Thọ merger', () => {
	const reformed = reform(before2025());

	it('2025-05 reads Huyện Đức Thọ › Thị trấn Đức Thọ / Xã Tùng Ảnh, and is the same after the change', () => {
		const may = {
			'Tỉnh Hà Tĩnh': 26,
			'Tỉnh Hà Tĩnh › Huyện Đức Thọ': 22,
			'Tỉnh Hà Tĩnh › Huyện Đức Thọ › Thị trấn Đức Thọ': 10,
			'Tỉnh Hà Tĩnh › Huyện Đức Thọ › Xã Tùng Ảnh': 10,
			'Tỉnh Hà Tĩnh › Huyện Đức Thọ › Xã Tùng Ảnh › Thôn Trung Tiến': 3,
			'Tỉnh Hà Tĩnh › Huyện Đức Thọ › Xã Hòa Lạc': 2,
			'Tỉnh Hà Tĩnh › Huyện Can Lộc': 4,
			'Tỉnh Hà Tĩnh › Huyện Can Lộc › Xã Vượng Lộc': 4
		};
		expect(lines(before2025(), '2025-05')).toEqual(may);
		expect(lines(reformed, '2025-05')).toEqual(may);
	});

	it('the period that spans the change is reported whole on the tree of its last day', () => {
		expect(lines(reformed, '2025-07')).toEqual({
			'Tỉnh Hà Tĩnh': 12,
			'Tỉnh Hà Tĩnh › Xã Đức Thọ': 12,
			'Tỉnh Hà Tĩnh › Xã Đức Thọ › Tổ dân phố 1': 1
		});
	});

	it('2026-11 reads Tỉnh Hà Tĩnh › Xã Đức Thọ › villages', () => {
		expect(lines(reformed, '2026-11')).toEqual({
			'Tỉnh Hà Tĩnh': 17,
			'Tỉnh Hà Tĩnh › Xã Đức Thọ': 17,
			'Tỉnh Hà Tĩnh › Xã Đức Thọ › Thôn Đông Lạc': 9
		});
	});

	it('the trend maps 2025-05 onto today’s Xã Đức Thọ: its former units add up, no cliff in July', () => {
		const trend = rollUpForTrend(reformed, periodRange('2025-05'), '2026-11-14', TALLIES, NUMBER_SUM);
		expect(trend.byUnit.get('x-dt')).toBe(22);
		expect(trend.byUnit.get('th-tt')).toBe(3);
		expect(trend.byUnit.get('ht')).toBe(26);
		// The same figure as the former units' own lines in the 2025-05 report.
		const may = rollUpPeriod(reformed, periodRange('2025-05'), TALLIES, NUMBER_SUM);
		const formers = lineage(reformed, 'x-dt', '2026-11-14').map((e) => may.byUnit.get(e.unitId) ?? 0);
		expect(formers.reduce((a, b) => a + b, 0)).toBe(22);
	});

	it('a tally whose team had no unit on the last day is kept apart, not dropped', () => {
		const late = [{ teamId: 'team-new', date: '2025-05-01', counts: 5 }];
		const report = rollUpPeriod(reformed, periodRange('2025-05'), late, NUMBER_SUM);
		expect(report.unplaced).toEqual(late);
		expect(report.byUnit.size).toBe(0);
	});
});
