// The province's reporting period is a setting (issue 12, Decree 09/2019 art. 8(5)): changing it
// files every stored session and activity again, loses none, and is audited.
import { describe, expect, it } from 'vitest';
import { changePeriodRule, periodRuleSetting } from '$lib/server/settings';
import { seedDemoData } from '$lib/server/demoData';
import { monthlyReport } from '$lib/server/reports/monthly';
import { InputError } from '$lib/server/inputError';
import { ENGINES, freshDatabase, rejectsWith } from '../../fixtures/serverDb';

const rejects = rejectsWith(InputError);

const now = new Date('2026-11-30T03:00:00.000Z');
const actor = 'user:admin';

describe.each(ENGINES)('changePeriodRule on %s', (engine) => {
	it('files every session again under calendar months, and back, losing none', async () => {
		const t = await freshDatabase(engine);
		try {
			const seeded = await seedDemoData(t.db, { now });
			const before = await t.db.selectFrom('session_tallies').select(['session_id', 'session_date', 'period']).orderBy('session_id').execute();
			// Under the default rule a session of 20/06 belongs to period 2025-07 (15/06–14/07).
			expect(before.filter((r) => r.session_date.slice(8) >= '15').every((r) => r.period > r.session_date.slice(0, 7))).toBe(true);

			const change = await changePeriodRule(t.db, { rule: { startDay: 1, deadlineDay: 5 }, actor, now });
			expect(change.from).toEqual({ startDay: 15, deadlineDay: 20 });
			expect(await periodRuleSetting(t.db)).toEqual({ startDay: 1, deadlineDay: 5 });
			const calendar = await t.db.selectFrom('session_tallies').select(['session_id', 'session_date', 'period']).orderBy('session_id').execute();
			expect(calendar).toHaveLength(before.length);
			for (const r of calendar) expect(r.period, r.session_date).toBe(r.session_date.slice(0, 7));
			expect(change.sessionsMoved).toBe(before.filter((r) => r.session_date.slice(8) >= '15').length);

			// A report under the new rule: June 2026 is 01/06–30/06, due 05/07.
			const june = await monthlyReport(t.db, { unitId: seeded.unitIds.province!, period: '2026-06', rule: { startDay: 1, deadlineDay: 5 }, now });
			expect(june.period).toMatchObject({ first: '2026-06-01', last: '2026-06-30', deadline: '2026-07-05' });
			expect(june.total.sessions).toBe(calendar.filter((r) => r.period === '2026-06').length);

			await changePeriodRule(t.db, { rule: { startDay: 15, deadlineDay: 20 }, actor, now });
			expect(await t.db.selectFrom('session_tallies').select(['session_id', 'session_date', 'period']).orderBy('session_id').execute()).toEqual(before);

			const audit = await t.db.selectFrom('audit_events').select(['action', 'actor']).where('action', '=', 'settings.periodRule').execute();
			expect(audit).toEqual([
				{ action: 'settings.periodRule', actor },
				{ action: 'settings.periodRule', actor }
			]);
		} finally {
			await t.dispose();
		}
	});

	it('refuses a day outside 1–28 by its field and changes nothing', async () => {
		const t = await freshDatabase(engine);
		try {
			await rejects(changePeriodRule(t.db, { rule: { startDay: 15, deadlineDay: 31 }, actor, now }), 'deadlineDay');
			await rejects(changePeriodRule(t.db, { rule: { startDay: 0, deadlineDay: 5 }, actor, now }), 'startDay');
			expect(await periodRuleSetting(t.db)).toEqual({ startDay: 15, deadlineDay: 20 });
		} finally {
			await t.dispose();
		}
	});
});
