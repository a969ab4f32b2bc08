// How long the monthly report takes on a province of 1,000 teams with 12 months of tallies
// (about 96,000 sessions). Prints numbers, asserts none: REPORT_SCALE=1 npx vitest run tests/unit/server/reportScale.test.ts
import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { localDateOf, periodOf } from '$lib/domain/period';
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
		} finally {
			await t.dispose();
		}
	});
});
