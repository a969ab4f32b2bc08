// How long the monthly report takes on a province of 1,000 teams with 12 months of tallies
// (about 96,000 sessions), then with half the teams across a merger. Prints the times, asserts only
// that the figures add up: REPORT_SCALE=1 npx vitest run tests/unit/server/reportScale.test.ts
import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { localDateOf, periodOf, shiftPeriod } from '$lib/domain/period';
import { recordChange } from '$lib/server/orgHistory';
import { seedProvince } from '$lib/server/demoData';
import { monthlyReport, trend } from '$lib/server/reports/monthly';
import { freshDatabase } from '../../fixtures/serverDb';

const engines = (process.env.REPORT_SCALE_ENGINES ?? 'sqlite').split(',') as ('sqlite' | 'postgres')[];

describe.skipIf(!process.env.REPORT_SCALE).each(engines)('report at province scale on %s', (engine) => {
	it('times monthlyReport and trend on 1,000 teams × 12 months', { timeout: 600_000 }, async () => {
		const t = await freshDatabase(engine);
		try {
			const now = new Date('2025-08-10T03:00:00.000Z');
			let start = performance.now();
			const seeded = await seedProvince(t.db, { teams: 1000, months: 12, now, seed: 1 });
			const seedMs = performance.now() - start;
			const period = periodOf(localDateOf(now));
			const time = async <T>(run: () => Promise<T>): Promise<[T, number[]]> => {
				const ms: number[] = [];
				let result!: T;
				for (let i = 0; i < 5; i++) {
					start = performance.now();
					result = await run();
					ms.push(Math.round(performance.now() - start));
				}
				return [result, ms];
			};
			const [province, provinceMs] = await time(() => monthlyReport(t.db, { unitId: seeded.rootId, period, now }));
			const [, communeMs] = await time(() => monthlyReport(t.db, { unitId: seeded.unitIds[0]!, period, now }));
			const [points, trendMs] = await time(() => trend(t.db, { unitId: seeded.rootId, period, months: 12 }));
			console.log(
				`[${engine}] seeded ${seeded.teamIds.length} teams, ${seeded.sessions} sessions in ${Math.round(seedMs)} ms; ` +
					`monthlyReport(province) ms: ${provinceMs.join(', ')}; monthlyReport(commune) ms: ${communeMs.join(', ')}; trend(12) ms: ${trendMs.join(', ')}`
			);
			expect(province.completeness.active).toBe(1000);
			expect(points.reduce((s, p) => s + p.sessions, 0)).toBe(seeded.sessions);

			// Half the teams across a merger (issue 12): communes 1–50 merged pairwise from 1 February 2025.
			const earlier = shiftPeriod(period, -8);
			const beforeMerger = await monthlyReport(t.db, { unitId: seeded.rootId, period: earlier, now });
			start = performance.now();
			for (let c = 1; c < 50; c += 2) {
				const [into, source] = [`bench-1-c${c}`, `bench-1-c${c + 1}`];
				await recordChange(t.db, { kind: 'merge', id: `merge-${c}`, effectiveOn: '2025-02-01', basis: 'NQ thử', sourceIds: [source], into: { unitId: into } }, { actor: 'system', now, apply: true });
			}
			const mergeMs = performance.now() - start;
			const [merged, mergedMs] = await time(() => monthlyReport(t.db, { unitId: seeded.rootId, period, now }));
			const [, mergedCommuneMs] = await time(() => monthlyReport(t.db, { unitId: 'bench-1-c1', period, now }));
			const [mergedPoints, mergedTrendMs] = await time(() => trend(t.db, { unitId: 'bench-1-c1', period, months: 12 }));
			console.log(
				`[${engine}] 25 merges recorded in ${Math.round(mergeMs)} ms; after them monthlyReport(province) ms: ${mergedMs.join(', ')}; ` +
					`monthlyReport(merged commune) ms: ${mergedCommuneMs.join(', ')}; trend(12, merged commune) ms: ${mergedTrendMs.join(', ')}`
			);
			expect(merged.total).toEqual(province.total);
			expect({ ...(await monthlyReport(t.db, { unitId: seeded.rootId, period: earlier, now })), generatedAt: '' }).toEqual({ ...beforeMerger, generatedAt: '' });
			expect(mergedPoints.every((p) => p.sessions > 0)).toBe(true);
		} finally {
			await t.dispose();
		}
	});
});
