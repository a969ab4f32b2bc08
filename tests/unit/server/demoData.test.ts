import { describe, expect, it } from 'vitest';
import { localDateOf, periodOf, shiftPeriod } from '$lib/domain/period';
import { validateAnySessionTally, validateSessionTally } from '$lib/domain/tallySchema';
import { DEMO_COMMUNE_ID, DEMO_KIOSK_TEAM_ID, generateTally, seedDemoData, withOutcomes } from '$lib/server/demoData';
import { mulberry32 } from '$lib/domain/random';
import { monthlyReport, trend } from '$lib/server/reports/monthly';
import { ENGINES, freshDatabase } from '../../fixtures/serverDb';

// Mid-period: 2025-08 runs 15/07–14/08; 2025-07's deadline (20/07) has passed.
const now = new Date('2025-08-10T03:00:00.000Z');

describe('generateTally', () => {
	it('makes tallies that pass the upload checks', () => {
		const rng = mulberry32(7);
		for (let i = 0; i < 200; i++) {
			const tally = generateTally(rng, {
				sessionId: '3f0c8a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6',
				teamId: 'team-1',
				date: '2025-08-01',
				startedAt: new Date('2025-08-01T00:30:00Z'),
				endedAt: new Date('2025-08-01T03:00:00Z'),
				memberIds: ['m1', 'm2', 'm3'],
				skillCodes: ['vneid_install', 'vneid_level2', 'vssid'],
				firstShare: 0.4
			});
			const checked = validateSessionTally(JSON.parse(JSON.stringify(tally)));
			expect(checked.ok ? null : checked).toBeNull();
			const reported = validateAnySessionTally(JSON.parse(JSON.stringify(withOutcomes(rng, tally))));
			expect(reported.ok ? null : reported).toBeNull();
			expect(tally.distinctResidents).toBeGreaterThanOrEqual(5);
			expect(tally.distinctResidents).toBeLessThanOrEqual(25);
		}
	});
});

describe.each(ENGINES)('demo data on %s', (engine) => {
	it('seeds the pilot once, the same way for the same now, with a gap and a late team', async () => {
		const a = await freshDatabase(engine);
		const b = await freshDatabase(engine);
		try {
			const seeded = await seedDemoData(a.db, { now });
			expect(seeded.seeded).toBe(true);
			expect(seeded.teamIds).toHaveLength(6);
			expect(seeded.teamIds).toContain(DEMO_KIOSK_TEAM_ID);
			expect(await seedDemoData(a.db, { now: new Date('2025-09-01T00:00:00Z') })).toEqual({ seeded: false, unitIds: {}, teamIds: [] });
			await seedDemoData(b.db, { now });

			const dump = (db: typeof a.db) => db.selectFrom('session_tallies').selectAll().orderBy('session_id').execute();
			const skills = (db: typeof a.db) => db.selectFrom('tally_skill_counts').selectAll().orderBy('session_id').orderBy('skill_code').execute();
			const rows = await dump(a.db);
			expect(rows).toEqual(await dump(b.db));
			expect(await skills(a.db)).toEqual(await skills(b.db));
			// The pilot's ten units before the reform and Xã Đức Thọ after it.
			expect(await a.db.selectFrom('org_units').select('id').execute()).toHaveLength(11);

			// Nothing happens after `now`.
			for (const r of rows) {
				expect(r.ended_at <= now.toISOString()).toBe(true);
				expect(r.received_at <= now.toISOString()).toBe(true);
				expect(r.received_at >= r.ended_at).toBe(true);
			}
			const members = await a.db.selectFrom('members').select(['team_id', 'role']).execute();
			for (const team of seeded.teamIds) {
				const roles = members.filter((m) => m.team_id === team).map((m) => m.role);
				expect(roles.filter((r) => r !== 'collaborator').sort()).toEqual(['deputy', 'leader', 'member']);
				expect(roles.filter((r) => r === 'collaborator').length).toBeGreaterThanOrEqual(1);
			}

			const latest = periodOf(localDateOf(now));
			const province = seeded.unitIds.province!;
			const report = await monthlyReport(a.db, { unitId: province, period: latest, now });
			expect(report.completeness).toEqual({ reported: 5, active: 6 });
			expect(report.teams.find((t) => !t.reported)?.name).toBe('Tổ công nghệ số cộng đồng thôn Đông Thịnh');
			expect(report.total.residentsByGender.female).toBeGreaterThan(report.total.residentsByGender.male);
			const top = [...report.skills].sort((x, y) => y.assists - x.assists)[0]!;
			expect(top.code.startsWith('vneid')).toBe(true);

			const previous = await monthlyReport(a.db, { unitId: province, period: shiftPeriod(latest, -1), now });
			expect(previous.completeness).toEqual({ reported: 6, active: 6 });
			expect(previous.timeliness).toEqual({ onTime: 5, reported: 6 });
			expect(previous.teams.find((t) => t.onTime === false)?.name).toBe('Tổ công nghệ số cộng đồng tổ dân phố 2');

			const points = await trend(a.db, { unitId: province, period: latest, months: 12 });
			// Every one of the twelve periods has the teams' sessions: the chart has no gap.
			expect(points).toHaveLength(12);
			for (const p of points) expect(p.sessions, p.period).toBeGreaterThanOrEqual(10);
		} finally {
			await a.dispose();
			await b.dispose();
		}
	});

	it('stays in the past when the server starts on the first morning of a period', async () => {
		const t = await freshDatabase(engine);
		try {
			// 15/08 07:00 in Vietnam: period 2025-09 has just begun; 2025-08's deadline is days away.
			const early = new Date('2025-08-15T00:00:00.000Z');
			const seeded = await seedDemoData(t.db, { now: early });
			const rows = await t.db.selectFrom('session_tallies').select(['period', 'received_at', 'ended_at']).execute();
			for (const r of rows) expect(r.received_at <= early.toISOString()).toBe(true);
			// The late arrival falls back to the period before (its deadline has passed).
			const before = await monthlyReport(t.db, { unitId: seeded.unitIds.province!, period: '2025-07', now: early });
			expect(before.timeliness).toEqual({ onTime: 5, reported: 6 });
			const previous = await monthlyReport(t.db, { unitId: seeded.unitIds.province!, period: '2025-08', now: early });
			expect(previous.timeliness).toEqual({ onTime: 6, reported: 6 });
		} finally {
			await t.dispose();
		}
	});

	it('lives through the reform: the district and the four communes before 1 July 2025, Xã Đức Thọ after, and no cliff in its trend', async () => {
		const t = await freshDatabase(engine);
		try {
			const seeded = await seedDemoData(t.db, { now: new Date('2026-11-30T03:00:00.000Z') });
			const province = seeded.unitIds.province!;
			const changes = await t.db.selectFrom('org_changes').select(['kind', 'effective_on', 'basis']).orderBy('seq').execute();
			expect(changes).toEqual([
				{ kind: 'merge', effective_on: '2025-07-01', basis: '1656/NQ-UBTVQH15' },
				{ kind: 'dissolve', effective_on: '2025-07-01', basis: '203/2025/QH15' }
			]);
			// 2025-06 ends on 14/06, before the reform: Huyện Đức Thọ and its four communes.
			const before = await monthlyReport(t.db, { unitId: province, period: '2025-06', now });
			expect(before.rows.map((r) => r.name)).toEqual(['Huyện Đức Thọ']);
			const district = await monthlyReport(t.db, { unitId: seeded.unitIds.district!, period: '2025-06', now });
			// Xã Hòa Lạc and Xã Tân Dân had no team: a report has rows for units with teams only.
			expect(district.rows.map((r) => r.name).sort()).toEqual(['Thị trấn Đức Thọ', 'Xã Tùng Ảnh']);
			// Today's tree: the province › Xã Đức Thọ › the pilot's villages and residential groups.
			const today = await monthlyReport(t.db, { unitId: province, period: '2026-12', now });
			expect(today.rows.map((r) => r.name)).toEqual(['Xã Đức Thọ']);
			const commune = await monthlyReport(t.db, { unitId: DEMO_COMMUNE_ID, period: '2026-12', now });
			// The two former communes' own teams kept working under the new commune: a row each.
			expect(commune.rows.map((r) => r.name).sort()).toEqual([
				'Thôn Trung Hòa',
				'Thôn Đông Thịnh',
				'Tổ công nghệ số cộng đồng thị trấn Đức Thọ',
				'Tổ công nghệ số cộng đồng xã Tùng Ảnh',
				'Tổ dân phố 1',
				'Tổ dân phố 2'
			]);
			// At least six periods on each side of the reform, and Xã Đức Thọ's trend adds up its former units' periods.
			const periods = (await t.db.selectFrom('session_tallies').select('period').distinct().execute()).map((r) => r.period).sort();
			expect(periods.filter((k) => k <= '2025-07').length).toBeGreaterThanOrEqual(6);
			expect(periods.filter((k) => k > '2025-07').length).toBeGreaterThanOrEqual(6);
			// Outcomes from August 2025, when the tablets were updated: not reported before, reported after.
			expect(before.total.outcomes.residentsNewlyProficient).toBeNull();
			const latest = await monthlyReport(t.db, { unitId: province, period: '2026-11', now });
			expect(latest.total.outcomes.residentsNewlyProficient).toEqual(expect.any(Number));
			expect(latest.total.outcomes.proficientSinceStart).toBeGreaterThan(0);
			const points = await trend(t.db, { unitId: DEMO_COMMUNE_ID, period: '2025-12', months: 12 });
			for (const p of points) expect(p.sessions, p.period).toBeGreaterThanOrEqual(10);
		} finally {
			await t.dispose();
		}
	});
});
