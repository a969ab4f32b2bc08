import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	addCounts,
	computeCounts,
	emptyCounts,
	findInconsistency,
	type Counts,
	type TallyAssist,
	type TallyCheckIn,
	type TallyResident
} from '$lib/domain/tally';
import { AGE_BANDS } from '$lib/domain/resident';
import { randomSession, sampleCounts } from '../fixtures/tallies';

const residentsMap = (list: TallyResident[]) => new Map(list.map((r) => [r.id, r]));
/** The counts of one session in 2026 of these residents' check-ins and assists. */
const countsOf = (residents: TallyResident[], checkIns: TallyCheckIn[], assists: TallyAssist[] = []) =>
	computeCounts({ residents: residentsMap(residents), checkIns, assists, atYear: 2026 });
const visit = (residentId: string, firstVisit = false): TallyCheckIn => ({ residentId, firstVisit });

const R1: TallyResident = { id: 'r1', gender: 'female', birthYear: 1958 }; // 68 in 2026
const R2: TallyResident = { id: 'r2', gender: 'male', birthYear: 1990 }; // 36
const R3: TallyResident = { id: 'r3', gender: 'female', birthYear: 2010 }; // 16

const SMALL = {
	residents: residentsMap([R1, R2, R3]),
	checkIns: [
		{ residentId: 'r1', firstVisit: false },
		{ residentId: 'r2', firstVisit: true },
		{ residentId: 'r3', firstVisit: false }
	] as TallyCheckIn[],
	assists: [
		{ residentId: 'r1', memberId: 'm1', skillCodes: ['vneid_install', 'vneid_level2'], outcome: 'done' },
		{ residentId: 'r1', memberId: 'm2', skillCodes: ['bank_app'], outcome: 'partly' },
		{ residentId: 'r2', memberId: 'm1', skillCodes: ['vneid_install'], outcome: 'done' },
		{ residentId: 'r3', memberId: 'm3', skillCodes: ['scam_awareness'], outcome: 'referred' }
	] as TallyAssist[],
	atYear: 2026
};

// The sample tally's people and help, with one check-in fewer.
const SMALL_COUNTS: Counts = { ...sampleCounts(['m1', 'm2', 'm3']), checkIns: 3 };

describe('emptyCounts', () => {
	it('has every fixed bucket at zero and is consistent', () => {
		const c = emptyCounts();
		expect(c).toEqual({
			checkIns: 0,
			distinctResidents: 0,
			firstTimeResidents: 0,
			residentsByGender: { male: 0, female: 0 },
			residentsByAgeBand: { under18: 0, from18to39: 0, from40to59: 0, from60: 0 },
			assists: 0,
			assistsByOutcome: { done: 0, partly: 0, referred: 0 },
			assistsBySkill: {},
			assistsByMember: {},
			assistsByGender: { male: 0, female: 0 },
			assistsByAgeBand: { under18: 0, from18to39: 0, from40to59: 0, from60: 0 }
		});
		expect(findInconsistency(c)).toBeNull();
	});

	it('gives a fresh object each time', () => {
		const a = emptyCounts();
		a.residentsByGender.male = 5;
		expect(emptyCounts().residentsByGender.male).toBe(0);
	});
});

describe('computeCounts', () => {
	it('counts a small hand-built session exactly', () => {
		const c = computeCounts(SMALL);
		expect(c).toEqual(SMALL_COUNTS);
		expect(findInconsistency(c)).toBeNull();
	});

	it('counts an empty session as zeroes', () => {
		expect(computeCounts({ residents: new Map(), checkIns: [], assists: [], atYear: 2026 })).toEqual(emptyCounts());
	});

	it('puts age band boundaries (17/18, 39/40, 59/60) in the right bands', () => {
		const born = [2009, 2008, 1987, 1986, 1967, 1966];
		const residents = residentsMap(born.map((y) => ({ id: `b${y}`, gender: 'male', birthYear: y })));
		const c = computeCounts({
			residents,
			checkIns: born.map((y) => ({ residentId: `b${y}`, firstVisit: false })),
			assists: born.map((y) => ({ residentId: `b${y}`, memberId: 'm1', skillCodes: ['vssid'], outcome: 'done' as const })),
			atYear: 2026
		});
		const expected = { under18: 1, from18to39: 2, from40to59: 2, from60: 1 };
		expect(c.residentsByAgeBand).toEqual(expected);
		expect(c.assistsByAgeBand).toEqual(expected);
	});

	it('uses atYear for the bands', () => {
		const residents = residentsMap([{ id: 'x', gender: 'female', birthYear: 2008 }]);
		const checkIns = [{ residentId: 'x', firstVisit: false }];
		expect(computeCounts({ residents, checkIns, assists: [], atYear: 2025 }).residentsByAgeBand.under18).toBe(1);
		expect(computeCounts({ residents, checkIns, assists: [], atYear: 2026 }).residentsByAgeBand.from18to39).toBe(1);
	});

	it('a check-in listed twice counts twice in checkIns but once in distinct and in the buckets', () => {
		const c = countsOf([R1], [visit('r1', true), visit('r1', true)]);
		expect(c.checkIns).toBe(2);
		expect(c.distinctResidents).toBe(1);
		expect(c.firstTimeResidents).toBe(1);
		expect(c.residentsByGender).toEqual({ male: 0, female: 1 });
		expect(c.residentsByAgeBand).toEqual({ under18: 0, from18to39: 0, from40to59: 0, from60: 1 });
		expect(findInconsistency(c)).toBeNull();
	});

	it('a resident is first-time if any of their check-ins says so', () => {
		const c = countsOf([R1], [visit('r1'), visit('r1', true)]);
		expect(c.firstTimeResidents).toBe(1);
	});

	it('a skill listed twice in one assist counts once', () => {
		const c = countsOf([R2], [visit('r2')], [{ residentId: 'r2', memberId: 'm1', skillCodes: ['bank_app', 'bank_app'], outcome: 'done' }]);
		expect(c.assistsBySkill).toEqual({ bank_app: 1 });
	});

	it('throws for an unknown resident in a check-in', () => {
		expect(() => countsOf([R1], [visit('ghost')])).toThrow(/unknown resident ghost/);
	});

	it('throws for an unknown resident in an assist', () => {
		expect(() => countsOf([R1], [visit('r1')], [{ residentId: 'ghost', memberId: 'm1', skillCodes: ['vssid'], outcome: 'done' }])).toThrow(/unknown resident ghost/);
	});

	// BUG (reported): `bump` reads record[key] ?? 0 on a plain {} so inherited names ('constructor',
	// 'toString', '__proto__'...) read a function or the prototype instead of undefined.
	it('counts skill codes and member ids that are also Object.prototype property names', () => {
		// 'constructor' matches SKILL_CODE_PATTERN, and 'toString' matches the member id pattern of the schema.
		const c = countsOf(
			[R2],
			[visit('r2')],
			[
				{ residentId: 'r2', memberId: 'toString', skillCodes: ['constructor'], outcome: 'done' },
				{ residentId: 'r2', memberId: '__proto__', skillCodes: ['__proto__'], outcome: 'done' }
			]
		);
		expect(c.assistsBySkill).toEqual({ constructor: 1, ['__proto__']: 1 });
		expect(c.assistsByMember).toEqual({ toString: 1, ['__proto__']: 1 });
		expect(findInconsistency(c)).toBeNull();
	});

	it('does not mutate its input', () => {
		const before = JSON.stringify({ c: SMALL.checkIns, a: SMALL.assists });
		computeCounts(SMALL);
		expect(JSON.stringify({ c: SMALL.checkIns, a: SMALL.assists })).toBe(before);
	});
});

describe('findInconsistency', () => {
	const tampered = (change: (c: Counts) => void): Counts => {
		const c = structuredClone(SMALL_COUNTS);
		change(c);
		return c;
	};

	it('is null for consistent counts', () => {
		expect(findInconsistency(SMALL_COUNTS)).toBeNull();
	});

	it('names the field whose counts do not add up', () => {
		expect(findInconsistency(tampered((c) => (c.distinctResidents = c.checkIns + 1)))).toBe('distinctResidents');
		expect(findInconsistency(tampered((c) => (c.firstTimeResidents = 4)))).toBe('firstTimeResidents');
		expect(findInconsistency(tampered((c) => c.residentsByGender.male++))).toBe('residentsByGender');
		expect(findInconsistency(tampered((c) => c.residentsByGender.female--))).toBe('residentsByGender');
		expect(findInconsistency(tampered((c) => c.residentsByAgeBand.from40to59++))).toBe('residentsByAgeBand');
		expect(findInconsistency(tampered((c) => c.assistsByOutcome.done++))).toBe('assistsByOutcome');
		expect(findInconsistency(tampered((c) => c.assists++))).toBe('assistsByOutcome');
		expect(findInconsistency(tampered((c) => (c.assistsByMember.m3 = 2)))).toBe('assistsByMember');
		expect(findInconsistency(tampered((c) => (c.assistsByMember = { m1: 4, extra: 1 })))).toBe('assistsByMember');
		expect(findInconsistency(tampered((c) => c.assistsByGender.female--))).toBe('assistsByGender');
		expect(findInconsistency(tampered((c) => c.assistsByAgeBand.under18++))).toBe('assistsByAgeBand');
		expect(findInconsistency(tampered((c) => (c.assistsBySkill.bank_app = 5)))).toBe('assistsBySkill');
		expect(findInconsistency(tampered((c) => (c.assistsBySkill = { bank_app: 1 })))).toBe('assistsBySkill');
		expect(findInconsistency(tampered((c) => (c.assistsBySkill = {})))).toBe('assistsBySkill');
	});

	it('accepts more skill counts than assists (an assist can teach several skills)', () => {
		expect(findInconsistency(tampered((c) => (c.assistsBySkill = { a: 4, b: 4, c: 4 })))).toBeNull();
	});
});

describe('addCounts', () => {
	it('sums two sessions, merging skills and members', () => {
		const other = countsOf(
			[R2, { id: 'r4', gender: 'male', birthYear: 1980 }],
			[visit('r2'), visit('r4', true)],
			[
				{ residentId: 'r4', memberId: 'm4', skillCodes: ['ecommerce', 'bank_app'], outcome: 'partly' },
				{ residentId: 'r2', memberId: 'm1', skillCodes: ['vssid'], outcome: 'done' }
			]
		);
		const sum = addCounts(SMALL_COUNTS, other);
		expect(sum).toEqual({
			checkIns: 5,
			distinctResidents: 5,
			firstTimeResidents: 2,
			residentsByGender: { male: 3, female: 2 },
			residentsByAgeBand: { under18: 1, from18to39: 2, from40to59: 1, from60: 1 },
			assists: 6,
			assistsByOutcome: { done: 3, partly: 2, referred: 1 },
			assistsBySkill: { vneid_install: 2, vneid_level2: 1, bank_app: 2, scam_awareness: 1, ecommerce: 1, vssid: 1 },
			assistsByMember: { m1: 3, m2: 1, m3: 1, m4: 1 },
			assistsByGender: { male: 3, female: 3 },
			assistsByAgeBand: { under18: 1, from18to39: 2, from40to59: 1, from60: 2 }
		});
		expect(findInconsistency(sum)).toBeNull();
	});

	// BUG (reported): same cause as in computeCounts, in addCounts' `into[k] ?? 0`.
	it('sums member ids and skill codes that are also Object.prototype property names', () => {
		const c: Counts = {
			...emptyCounts(),
			assists: 1,
			assistsByOutcome: { done: 1, partly: 0, referred: 0 },
			assistsByGender: { male: 1, female: 0 },
			assistsByAgeBand: { under18: 0, from18to39: 1, from40to59: 0, from60: 0 },
			assistsByMember: { toString: 1 },
			assistsBySkill: { constructor: 1 }
		};
		expect(findInconsistency(c)).toBeNull();
		const sum = addCounts(c, c);
		expect(sum.assistsByMember).toEqual({ toString: 2 });
		expect(sum.assistsBySkill).toEqual({ constructor: 2 });
		expect(findInconsistency(sum)).toBeNull();
	});

	it('has emptyCounts as identity and does not mutate its inputs', () => {
		const copy = structuredClone(SMALL_COUNTS);
		expect(addCounts(emptyCounts(), SMALL_COUNTS)).toEqual(SMALL_COUNTS);
		expect(addCounts(SMALL_COUNTS, emptyCounts())).toEqual(SMALL_COUNTS);
		expect(SMALL_COUNTS).toEqual(copy);
		const sum = addCounts(SMALL_COUNTS, SMALL_COUNTS);
		expect(sum.assistsBySkill).not.toBe(SMALL_COUNTS.assistsBySkill);
		expect(sum.assistsBySkill.vneid_install).toBe(4);
		expect(SMALL_COUNTS.assistsBySkill.vneid_install).toBe(2);
	});
});

// ---------- property-based ----------

const sessionArb = randomSession({
	maxPeople: 12,
	atYear: fc.integer({ min: 2026, max: 2030 }),
	// Names inherited from Object.prototype are left to the explicit (bug) tests above, so that
	// these properties stay deterministic.
	members: fc.uniqueArray(
		fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/).filter((m) => !(m in Object.prototype)),
		{ minLength: 1, maxLength: 5 }
	),
	maxRows: 20,
	maxSkills: 4
});

const total = (r: Record<string, number>) => Object.values(r).reduce((s, v) => s + v, 0);

describe('tally properties', () => {
	it('computed counts are always consistent, and totals match', () => {
		fc.assert(
			fc.property(sessionArb, (session) => {
				const c = computeCounts(session);
				expect(findInconsistency(c)).toBeNull();
				expect(c.checkIns).toBe(session.checkIns.length);
				expect(c.distinctResidents).toBe(new Set(session.checkIns.map((x) => x.residentId)).size);
				expect(c.assists).toBe(session.assists.length);
				expect(total(c.assistsByMember)).toBe(c.assists);
				expect(total(c.residentsByAgeBand)).toBe(c.distinctResidents);
				expect(Object.keys(c.residentsByAgeBand).sort()).toEqual([...AGE_BANDS].sort());
			}),
			{ numRuns: 1000 }
		);
	});

	it('tampering one bucket by one is always caught, naming that field', () => {
		const FIELDS = [
			'residentsByGender',
			'residentsByAgeBand',
			'assistsByOutcome',
			'assistsByMember',
			'assistsByGender',
			'assistsByAgeBand'
		] as const;
		fc.assert(
			fc.property(sessionArb, fc.constantFrom(...FIELDS), fc.nat(), (session, field, pick) => {
				const c = computeCounts(session);
				const record = c[field] as Record<string, number>;
				const keys = Object.keys(record);
				if (keys.length === 0) {
					record.extra = 1;
				} else {
					const key = keys[pick % keys.length]!;
					record[key] = record[key]! + 1;
				}
				expect(findInconsistency(c)).toBe(field);
			}),
			{ numRuns: 1000 }
		);
	});

	it('the sum of consistent counts is consistent and adds field by field', () => {
		fc.assert(
			fc.property(sessionArb, sessionArb, (s1, s2) => {
				const a = computeCounts(s1);
				const b = computeCounts(s2);
				const sum = addCounts(a, b);
				expect(findInconsistency(sum)).toBeNull();
				expect(sum.checkIns).toBe(a.checkIns + b.checkIns);
				expect(sum.assists).toBe(a.assists + b.assists);
				expect(total(sum.assistsBySkill)).toBe(total(a.assistsBySkill) + total(b.assistsBySkill));
				expect(addCounts(b, a)).toEqual(sum);
			}),
			{ numRuns: 500 }
		);
	});
});
