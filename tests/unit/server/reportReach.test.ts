// Who reads which report across the reform of 1 July 2025 (issue 12): the officers of a merged
// commune read its former communes' reports; the new commune's months before it was formed name the
// former units instead of failing.
import { describe, expect, it } from 'vitest';
import { formedAfterPeriod, reportScope } from '$lib/server/adminReport';
import { DEMO_COMMUNE_ID, seedDemoData } from '$lib/server/demoData';
import { recordChange } from '$lib/server/orgHistory';
import { loadTree } from '$lib/server/orgTree';
import { reportReach, teamUnitLookup } from '$lib/server/scope';
import { monthlyReport } from '$lib/server/reports/monthly';
import { createUser } from '$lib/server/users';
import { DEFAULT_PERIOD_RULE } from '$lib/domain/period';
import type { User } from '$lib/server/db/schema';
import { ENGINES, freshDatabase, type TestDb } from '../../fixtures/serverDb';

const now = new Date('2026-11-30T03:00:00.000Z');
const actor = 'system';

async function officer(t: TestDb, name: string, unitId: string): Promise<User> {
	return createUser(t.db, { username: name, displayName: name, password: 'ruộng lúa chín vàng 2026', role: 'officer', unitId, actor, now });
}

const reportUrl = (unit: string, period: string) => new URL(`http://tram.so/admin/reports?unit=${unit}&period=${period}`);

describe.each(ENGINES)('report reach across the reform on %s', (engine) => {
	it("an officer of Tùng Ảnh is moved to Xã Đức Thọ by the merge and still reads Tùng Ảnh's months before it", async () => {
		const t = await freshDatabase(engine);
		try {
			await seedDemoData(t.db, { now, reform: false });
			await officer(t, 'tung-anh', 'demo-xa-tung-anh');
			const before = await monthlyReport(t.db, { unitId: 'demo-xa-tung-anh', period: '2025-05', now });
			await recordChange(
				t.db,
				{ kind: 'merge', id: 'm', effectiveOn: '2025-07-01', basis: '1656/NQ-UBTVQH15', sourceIds: ['demo-tt-duc-tho', 'demo-xa-tung-anh', 'demo-xa-hoa-lac', 'demo-xa-tan-dan'], into: { newUnit: { id: 'x-dt', name: 'Xã Đức Thọ', kind: 'commune', code: null, parentId: 'demo-duc-tho' } } },
				{ actor, now, apply: true }
			);
			const moved = await t.db.selectFrom('users').selectAll().where('username', '=', 'tung-anh').executeTakeFirstOrThrow();
			expect(moved.unit_id).toBe('x-dt');

			const scope = await reportScope(t.db, moved, reportUrl('demo-xa-tung-anh', '2025-05'));
			expect(scope.unitId).toBe('demo-xa-tung-anh');
			expect(scope.units.map((u) => u.id)).toEqual(expect.arrayContaining(['x-dt', 'demo-xa-tung-anh', 'demo-tt-duc-tho', 'demo-thon-trung-hoa']));
			// The month before the merger reads the same as it did before it.
			const after = await monthlyReport(t.db, { unitId: 'demo-xa-tung-anh', period: '2025-05', now });
			expect({ ...after, generatedAt: '' }).toEqual({ ...before, generatedAt: '' });
			// The district is not what the commune became: it stays out of reach.
			await expect(reportScope(t.db, moved, reportUrl('demo-duc-tho', '2025-05'))).rejects.toMatchObject({ status: 403 });
		} finally {
			await t.dispose();
		}
	});

	it('the demo commune: its officer reaches the four former communes, not the district; months before 1 July 2025 name them', async () => {
		const t = await freshDatabase(engine);
		try {
			await seedDemoData(t.db, { now });
			const user = await officer(t, 'duc-tho', DEMO_COMMUNE_ID);
			const tree = await loadTree(t.db, { includeArchived: true });
			const reach = await reportReach(t.db, user, tree, await teamUnitLookup(t.db), { now });
			expect(reach).not.toBe('all');
			const ids = [...(reach as Set<string>)];
			expect(ids).toEqual(expect.arrayContaining(['demo-tt-duc-tho', 'demo-xa-tung-anh', 'demo-xa-hoa-lac', 'demo-xa-tan-dan', 'demo-tdp-1', 'demo-thon-trung-hoa']));
			expect(ids).not.toContain('demo-duc-tho');
			expect(ids).not.toContain('demo-ha-tinh');

			const inReach = (id: string) => ids.includes(id);
			const may = await formedAfterPeriod(t.db, { unitId: DEMO_COMMUNE_ID, period: '2025-05', rule: DEFAULT_PERIOD_RULE, inReach, now });
			expect(may).toEqual({
				since: '2025-07-01',
				formers: [
					{ id: 'demo-tt-duc-tho', name: 'Thị trấn Đức Thọ' },
					{ id: 'demo-xa-tung-anh', name: 'Xã Tùng Ảnh' },
					{ id: 'demo-xa-hoa-lac', name: 'Xã Hòa Lạc' },
					{ id: 'demo-xa-tan-dan', name: 'Xã Tân Dân' }
				]
			});
			// 2025-07 runs 15/06–14/07: it ends after the merger, so Xã Đức Thọ has its own report.
			expect(await formedAfterPeriod(t.db, { unitId: DEMO_COMMUNE_ID, period: '2025-07', rule: DEFAULT_PERIOD_RULE, inReach, now })).toBeNull();
			expect(await formedAfterPeriod(t.db, { unitId: 'demo-thon-trung-hoa', period: '2025-05', rule: DEFAULT_PERIOD_RULE, inReach, now })).toBeNull();
		} finally {
			await t.dispose();
		}
	});
});
