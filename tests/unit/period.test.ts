import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	DEFAULT_PERIOD_RULE,
	formatDateVi,
	formatPeriodVi,
	isInPeriod,
	isOnTime,
	isValidRule,
	localDateOf,
	periodOf,
	periodRange,
	requestedPeriod,
	shiftPeriod,
	type PeriodRule
} from '$lib/domain/period';

const CALENDAR: PeriodRule = { startDay: 1, deadlineDay: 20 };

/** 'YYYY-MM-DD' of a UTC Date. */
const iso = (d: Date) => d.toISOString().slice(0, 10);
const nextDay = (date: string) => iso(new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000));

const dateArb = fc
	.date({ min: new Date('1901-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
	.map(iso);
const ruleArb = fc.record({ startDay: fc.integer({ min: 1, max: 28 }), deadlineDay: fc.integer({ min: 1, max: 28 }) });
const keyArb = fc
	.record({ year: fc.integer({ min: 1901, max: 2199 }), month: fc.integer({ min: 1, max: 12 }) })
	.map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`);

describe('periodOf (default rule: 15th of the previous month to the 14th)', () => {
	it('the default rule is 15 / 20', () => {
		expect(DEFAULT_PERIOD_RULE).toEqual({ startDay: 15, deadlineDay: 20 });
	});

	// 14 Nov 2026 is in 2026-11, 15 Nov 2026 in 2026-12; and the year wraps.
	it.each([
		['2026-11-14', '2026-11'], ['2026-11-15', '2026-12'], ['2026-11-01', '2026-11'], ['2026-11-30', '2026-12'], ['2026-10-15', '2026-11'],
		['2026-12-14', '2026-12'], ['2026-12-15', '2027-01'], ['2026-12-31', '2027-01'], ['2027-01-14', '2027-01'], ['2027-01-15', '2027-02']
	])('%s is in %s', (date, period) => {
		expect(periodOf(date)).toBe(period);
	});

	it('with startDay 1 a period is the calendar month', () => {
		expect(periodOf('2026-11-01', CALENDAR)).toBe('2026-11');
		expect(periodOf('2026-11-15', CALENDAR)).toBe('2026-11');
		expect(periodOf('2026-11-30', CALENDAR)).toBe('2026-11');
		expect(periodOf('2026-12-31', CALENDAR)).toBe('2026-12');
	});

	it('refuses a malformed date', () => {
		expect(() => periodOf('2026-11')).toThrow();
		expect(() => periodOf('14/11/2026')).toThrow();
		expect(() => periodOf('')).toThrow();
	});
});

describe('periodRange', () => {
	it.each([
		['2026-11 runs 15/10 to 14/11, due 20/11', '2026-11', undefined, '2026-10-15', '2026-11-14', '2026-11-20'],
		['January takes its start from the previous December', '2027-01', undefined, '2026-12-15', '2027-01-14', '2027-01-20'],
		['follows the rule days', '2026-03', { startDay: 10, deadlineDay: 25 }, '2026-02-10', '2026-03-09', '2026-03-25']
	] as const)('%s', (_, key, rule, first, last, deadline) => {
		expect(periodRange(key, rule)).toEqual({ key, first, last, deadline });
	});

	it('startDay 1 gives calendar months, with 29 Feb in a leap year', () => {
		expect(periodRange('2028-02', CALENDAR)).toMatchObject({ first: '2028-02-01', last: '2028-02-29' });
		expect(periodRange('2026-02', CALENDAR)).toMatchObject({ first: '2026-02-01', last: '2026-02-28' });
		expect(periodRange('2000-02', CALENDAR)).toMatchObject({ last: '2000-02-29' });
		expect(periodRange('2100-02', CALENDAR)).toMatchObject({ last: '2100-02-28' });
		expect(periodRange('2026-04', CALENDAR)).toMatchObject({ first: '2026-04-01', last: '2026-04-30' });
		expect(periodRange('2026-12', CALENDAR)).toMatchObject({ first: '2026-12-01', last: '2026-12-31' });
	});

	it('refuses a malformed key', () => {
		expect(() => periodRange('2026-13')).toThrow();
		expect(() => periodRange('2026-00')).toThrow();
		expect(() => periodRange('2026-1')).toThrow();
		expect(() => periodRange('2026-11-01')).toThrow();
	});
});

describe('shiftPeriod', () => {
	it('moves within a year', () => {
		expect(shiftPeriod('2026-11', 0)).toBe('2026-11');
		expect(shiftPeriod('2026-11', 1)).toBe('2026-12');
		expect(shiftPeriod('2026-11', -10)).toBe('2026-01');
	});

	it('crosses years forwards and backwards', () => {
		expect(shiftPeriod('2026-12', 1)).toBe('2027-01');
		expect(shiftPeriod('2026-11', 3)).toBe('2027-02');
		expect(shiftPeriod('2027-01', -1)).toBe('2026-12');
		expect(shiftPeriod('2027-02', -14)).toBe('2025-12');
		expect(shiftPeriod('2026-06', 24)).toBe('2028-06');
		expect(shiftPeriod('2026-06', -25)).toBe('2024-05');
	});

	it('property: shifting by n then -n comes back', () => {
		fc.assert(
			fc.property(keyArb, fc.integer({ min: -600, max: 600 }), (key, n) => {
				const shifted = shiftPeriod(key, n);
				expect(shifted).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
				expect(shiftPeriod(shifted, -n)).toBe(key);
			})
		);
	});
});

describe('isInPeriod / isOnTime', () => {
	const nov = periodRange('2026-11');

	it('isInPeriod includes both ends', () => {
		expect(isInPeriod('2026-10-14', nov)).toBe(false);
		expect(isInPeriod('2026-10-15', nov)).toBe(true);
		expect(isInPeriod('2026-11-14', nov)).toBe(true);
		expect(isInPeriod('2026-11-15', nov)).toBe(false);
	});

	it('a report on the deadline day is on time; the day after is late', () => {
		expect(isOnTime('2026-11-15', nov)).toBe(true);
		expect(isOnTime('2026-11-19', nov)).toBe(true);
		expect(isOnTime('2026-11-20', nov)).toBe(true);
		expect(isOnTime('2026-11-21', nov)).toBe(false);
		expect(isOnTime('2026-12-01', nov)).toBe(false);
	});

	it('with calendar months, a report sent just after the month ends is still on time', () => {
		// Period 2026-01 under startDay 1 covers the whole of January. A report can only be
		// complete once the period has ended, so the deadline must not fall before its last day.
		const jan = periodRange('2026-01', CALENDAR);
		expect(jan.deadline >= jan.last, `deadline ${jan.deadline} is before the last day ${jan.last}`).toBe(true);
		expect(isOnTime(nextDay(jan.last), jan), `a report sent on ${nextDay(jan.last)} is late`).toBe(true);
	});
});

describe('formatting', () => {
	it('formatDateVi gives dd/mm/yyyy', () => {
		expect(formatDateVi('2026-11-20')).toBe('20/11/2026');
		expect(formatDateVi('2026-01-05')).toBe('05/01/2026');
		expect(() => formatDateVi('2026/01/05')).toThrow();
	});

	it('formatPeriodVi gives mm/yyyy', () => {
		expect(formatPeriodVi('2026-11')).toBe('11/2026');
		expect(formatPeriodVi('2027-01')).toBe('01/2027');
	});
});

describe('localDateOf', () => {
	it('uses the hall time zone (UTC+7) by default', () => {
		expect(localDateOf(new Date('2026-11-14T16:59:59Z'))).toBe('2026-11-14');
		expect(localDateOf(new Date('2026-11-14T17:00:00Z'))).toBe('2026-11-15');
		expect(periodOf(localDateOf(new Date('2026-11-14T17:00:00Z')))).toBe('2026-12');
	});

	it('follows another time zone when asked', () => {
		expect(localDateOf(new Date('2026-11-14T17:00:00Z'), 'UTC')).toBe('2026-11-14');
	});
});

describe('isValidRule', () => {
	it('accepts days 1..28 only', () => {
		expect(isValidRule(DEFAULT_PERIOD_RULE)).toBe(true);
		expect(isValidRule({ startDay: 1, deadlineDay: 28 })).toBe(true);
		expect(isValidRule({ startDay: 0, deadlineDay: 20 })).toBe(false);
		expect(isValidRule({ startDay: 29, deadlineDay: 20 })).toBe(false);
		expect(isValidRule({ startDay: 15, deadlineDay: 29 })).toBe(false);
		expect(isValidRule({ startDay: 15.5, deadlineDay: 20 })).toBe(false);
	});
});

describe('period properties', () => {
	it('a date lies within the range of its own period (default rule)', () => {
		fc.assert(
			fc.property(dateArb, (date) => {
				const p = periodRange(periodOf(date));
				expect(isInPeriod(date, p)).toBe(true);
				expect(p.first <= date && date <= p.last).toBe(true);
			}),
			{ numRuns: 2000 }
		);
	});

	it('a date lies within the range of its own period (any valid rule)', () => {
		fc.assert(
			fc.property(dateArb, ruleArb, (date, rule) => {
				expect(isValidRule(rule)).toBe(true);
				const p = periodRange(periodOf(date, rule), rule);
				expect(isInPeriod(date, p)).toBe(true);
			}),
			{ numRuns: 2000 }
		);
	});

	it('consecutive periods are contiguous: last of one + 1 day = first of the next', () => {
		fc.assert(
			fc.property(keyArb, ruleArb, (key, rule) => {
				const p = periodRange(key, rule);
				const q = periodRange(shiftPeriod(key, 1), rule);
				expect(nextDay(p.last)).toBe(q.first);
				expect(p.first <= p.last).toBe(true);
				expect(periodOf(p.first, rule)).toBe(key);
				expect(periodOf(p.last, rule)).toBe(key);
			}),
			{ numRuns: 2000 }
		);
	});

	it('the default deadline falls after the period ends, in the reporting month', () => {
		fc.assert(
			fc.property(keyArb, (key) => {
				const p = periodRange(key);
				expect(p.deadline > p.last).toBe(true);
				expect(p.deadline.slice(0, 7)).toBe(key);
			})
		);
	});
});

describe("requestedPeriod (the admin pages' month and year selects)", () => {
	const ask = (query: string) => requestedPeriod(new URLSearchParams(query));
	it('reads period=YYYY-MM, else year and month, else nothing', () => {
		expect(ask('period=2026-12')).toBe('2026-12');
		expect(ask('year=2026&month=3')).toBe('2026-03');
		expect(ask('year=2026&month=12&period=2025-01')).toBe('2025-01');
		expect(ask('period=December%202026&year=2026&month=12')).toBe('2026-12');
	});
	it('refuses what is not a month of a sensible year', () => {
		for (const query of ['', 'year=2026', 'month=5', 'year=2026&month=13', 'year=2026&month=0', 'year=0001&month=1', 'year=20x6&month=1', 'year=2026&month=-1']) {
			expect(ask(query), query).toBeNull();
		}
	});
});
