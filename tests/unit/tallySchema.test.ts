import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tallyDateProblem, validateSessionTally, type TallyValidation } from '$lib/domain/tallySchema';
import { computeCounts, type SessionTally } from '$lib/domain/tally';
import { randomSession, sampleTally } from '../fixtures/tallies';

const VALID: SessionTally = sampleTally({ sessionId: '3f2b8c1e-9a4d-4c7e-8b21-6d5f0e9a1c42', teamId: 'team-tung-anh-1', memberIds: ['m1', 'm2', 'm3'], version: 2 });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const withChange = (change: (t: any) => void): unknown => {
	const t = structuredClone(VALID);
	change(t);
	return t;
};

function expectRejected(result: TallyValidation, field: string) {
	expect(result.ok).toBe(false);
	if (result.ok) return;
	expect(result.field).toBe(field);
	expect(typeof result.message).toBe('string');
	expect(result.message.length).toBeGreaterThan(0);
}

describe('validateSessionTally: accepts', () => {
	it('a valid tally, returning it unchanged', () => {
		const result = validateSessionTally(VALID);
		expect(result).toEqual({ ok: true, tally: VALID });
	});

	it('a valid tally that went through JSON', () => {
		expect(validateSessionTally(JSON.parse(JSON.stringify(VALID))).ok).toBe(true);
	});

	it('an empty session (all zeroes, no skills, no members)', () => {
		const empty = withChange((t) => {
			Object.assign(t, {
				checkIns: 0,
				distinctResidents: 0,
				firstTimeResidents: 0,
				assists: 0,
				membersPresent: [],
				assistsBySkill: {},
				assistsByMember: {}
			});
			for (const k of ['residentsByGender', 'residentsByAgeBand', 'assistsByOutcome', 'assistsByGender', 'assistsByAgeBand'])
				for (const key of Object.keys(t[k])) t[k][key] = 0;
		});
		expect(validateSessionTally(empty).ok).toBe(true);
	});

	it('startedAt equal to endedAt', () => {
		expect(validateSessionTally(withChange((t) => (t.endedAt = t.startedAt))).ok).toBe(true);
	});

	it('an upper-case UUID', () => {
		expect(validateSessionTally(withChange((t) => (t.sessionId = t.sessionId.toUpperCase()))).ok).toBe(true);
	});
});

describe('validateSessionTally: rejects, naming the field', () => {
	it('a missing field', () => {
		expectRejected(validateSessionTally(withChange((t) => delete t.checkIns)), 'checkIns');
		expectRejected(validateSessionTally(withChange((t) => delete t.sessionId)), 'sessionId');
		expectRejected(validateSessionTally(withChange((t) => delete t.assistsByOutcome)), 'assistsByOutcome');
		expectRejected(validateSessionTally(withChange((t) => delete t.residentsByAgeBand.from60)), 'residentsByAgeBand.from60');
	});

	it('a negative count', () => {
		expectRejected(validateSessionTally(withChange((t) => (t.checkIns = -1))), 'checkIns');
		expectRejected(validateSessionTally(withChange((t) => (t.assistsByGender.male = -1))), 'assistsByGender.male');
		expectRejected(validateSessionTally(withChange((t) => (t.assistsByMember.m1 = -2))), 'assistsByMember.m1');
	});

	it('a non-integer or non-number count', () => {
		expectRejected(validateSessionTally(withChange((t) => (t.checkIns = 1.5))), 'checkIns');
		expectRejected(validateSessionTally(withChange((t) => (t.checkIns = '4'))), 'checkIns');
		expectRejected(validateSessionTally(withChange((t) => (t.checkIns = Number.NaN))), 'checkIns');
		expectRejected(validateSessionTally(withChange((t) => (t.assists = Number.POSITIVE_INFINITY))), 'assists');
		expectRejected(validateSessionTally(withChange((t) => (t.assistsBySkill.bank_app = 0.5))), 'assistsBySkill.bank_app');
	});

	it('an absurdly large count', () => {
		expectRejected(validateSessionTally(withChange((t) => (t.checkIns = 1_000_001))), 'checkIns');
	});

	it('an unknown key in a fixed bucket or at the top level', () => {
		expectRejected(validateSessionTally(withChange((t) => (t.residentsByGender.other = 0))), 'residentsByGender.other');
		expectRejected(validateSessionTally(withChange((t) => (t.assistsByOutcome.failed = 0))), 'assistsByOutcome.failed');
		expectRejected(validateSessionTally(withChange((t) => (t.residentName = 'Trần Thị Hoa'))), 'residentName');
	});

	it('a bad uuid', () => {
		expectRejected(validateSessionTally(withChange((t) => (t.sessionId = 'not-a-uuid'))), 'sessionId');
		expectRejected(validateSessionTally(withChange((t) => (t.sessionId = ''))), 'sessionId');
		expectRejected(
			validateSessionTally(withChange((t) => (t.sessionId = '3f2b8c1e-9a4d-4c7e-8b21-6d5f0e9a1c4'))),
			'sessionId'
		);
	});

	it('a wrong schema number or version', () => {
		expectRejected(validateSessionTally(withChange((t) => (t.schema = 2))), 'schema');
		expectRejected(validateSessionTally(withChange((t) => (t.version = 0))), 'version');
		expectRejected(validateSessionTally(withChange((t) => (t.version = 1.5))), 'version');
	});

	it('bad ids, dates and instants', () => {
		expectRejected(validateSessionTally(withChange((t) => (t.teamId = ''))), 'teamId');
		expectRejected(validateSessionTally(withChange((t) => (t.teamId = 'team 1'))), 'teamId');
		expectRejected(validateSessionTally(withChange((t) => (t.teamId = 'x'.repeat(65)))), 'teamId');
		expectRejected(validateSessionTally(withChange((t) => (t.membersPresent = ['m1', 'bad id']))), 'membersPresent.1');
		expectRejected(validateSessionTally(withChange((t) => (t.date = '14/11/2026'))), 'date');
		expectRejected(validateSessionTally(withChange((t) => (t.date = '2026-13-01'))), 'date');
		expectRejected(validateSessionTally(withChange((t) => (t.startedAt = 'yesterday'))), 'startedAt');
		expectRejected(validateSessionTally(withChange((t) => (t.endedAt = 1_700_000_000_000))), 'endedAt');
	});

	it('dates no calendar has, sessions off their date or longer than a day, a member twice (issue 10)', () => {
		expectRejected(validateSessionTally(withChange((t) => (t.date = '2026-02-31'))), 'date');
		expectRejected(validateSessionTally(withChange((t) => (t.date = '2025-02-29'))), 'date');
		// "From 2020 to 2030", dated 2026-11-20.
		const decade = withChange((t) => {
			t.date = '2026-11-20';
			t.startedAt = '2020-01-01T01:00:00.000Z';
			t.endedAt = '2030-01-01T01:00:00.000Z';
		});
		expectRejected(validateSessionTally(decade), 'startedAt');
		// Within a day of the date (14/11), in Vietnam time: 2026-11-12 17:00Z is already 13/11 00:00 there.
		expect(validateSessionTally(withChange((t) => (t.startedAt = '2026-11-12T17:00:00.000Z', t.endedAt = '2026-11-13T02:00:00.000Z'))).ok).toBe(true);
		expectRejected(validateSessionTally(withChange((t) => (t.startedAt = '2026-11-12T16:59:59.999Z', t.endedAt = '2026-11-13T02:00:00.000Z'))), 'startedAt');
		expectRejected(validateSessionTally(withChange((t) => (t.endedAt = '2026-11-15T17:00:00.000Z'))), 'endedAt');
		// Longer than 24 h, though both ends are within a day of the date.
		expectRejected(validateSessionTally(withChange((t) => (t.startedAt = '2026-11-13T01:00:00.000Z', t.endedAt = '2026-11-14T01:00:00.001Z'))), 'endedAt');
		expect(validateSessionTally(withChange((t) => (t.startedAt = '2026-11-13T01:00:00.000Z', t.endedAt = '2026-11-14T01:00:00.000Z'))).ok).toBe(true);
		expectRejected(validateSessionTally(withChange((t) => (t.membersPresent = Array.from({ length: 50 }, () => t.membersPresent[0])))), 'membersPresent');
	});

	it('server-side: not before the team was established, not more than a day after today', () => {
		const now = new Date('2026-11-20T18:00:00Z'); // 21/11 01:00 in Vietnam
		const team = { establishedOn: '2024-03-01', now };
		expect(tallyDateProblem('2026-11-14', team)).toBeNull();
		expect(tallyDateProblem('2024-03-01', team)).toBeNull();
		expect(tallyDateProblem('2026-11-22', team)).toBeNull();
		expect(tallyDateProblem('2026-11-23', team)).toMatch(/after today/);
		expect(tallyDateProblem('9999-12-31', team)).toMatch(/after today/);
		expect(tallyDateProblem('2024-02-29', team)).toMatch(/before the team was established \(2024-03-01\)/);
		expect(tallyDateProblem('0001-01-01', team)).toMatch(/before the team/);
	});

	it('endedAt before startedAt', () => {
		expectRejected(validateSessionTally(withChange((t) => (t.endedAt = '2026-11-14T00:59:59.999Z'))), 'endedAt');
	});

	it('a bad skill code or member id in a by-id bucket', () => {
		const bad = validateSessionTally(withChange((t) => (t.assistsBySkill = { 'Bad-Code': 1, bank_app: 4 })));
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.field).toMatch(/^assistsBySkill/);
		const badMember = validateSessionTally(withChange((t) => (t.assistsByMember = { 'm 1': 4 })));
		expect(badMember.ok).toBe(false);
		if (!badMember.ok) expect(badMember.field).toMatch(/^assistsByMember/);
	});

	it('too many keys in a by-id bucket', () => {
		const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`m${i}`, 0]));
		const result = validateSessionTally(withChange((t) => (t.assistsByMember = { ...many, m1: 4 })));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.field).toBe('assistsByMember');
	});

	it('counts that do not add up', () => {
		expectRejected(validateSessionTally(withChange((t) => t.assistsByOutcome.done++)), 'assistsByOutcome');
		expectRejected(validateSessionTally(withChange((t) => (t.distinctResidents = 5))), 'distinctResidents');
		expectRejected(validateSessionTally(withChange((t) => (t.firstTimeResidents = 4))), 'firstTimeResidents');
		expectRejected(validateSessionTally(withChange((t) => t.residentsByAgeBand.from60++)), 'residentsByAgeBand');
		expectRejected(validateSessionTally(withChange((t) => t.assistsByMember.m2++)), 'assistsByMember');
		expectRejected(validateSessionTally(withChange((t) => (t.assistsBySkill = { bank_app: 1 }))), 'assistsBySkill');
	});

	it('things that are not a tally at all', () => {
		for (const input of [null, undefined, 0, 'tally', [], true]) {
			const result = validateSessionTally(input);
			expect(result.ok).toBe(false);
		}
		expectRejected(validateSessionTally(null), '(root)');
	});
});

describe('validateSessionTally: time zones', () => {
	// Both instants pass isoTimestamp, which allows offsets; the order check must compare instants.
	it.each([
		// 08:00+07:00 is 01:00Z; 02:30Z is an hour and a half later.
		['accepts an endedAt later in time but written with another offset', '2026-11-14T08:00:00+07:00', '2026-11-14T02:30:00Z', true],
		['accepts an endedAt half a second later written with fractional seconds', '2026-11-14T08:00:00Z', '2026-11-14T08:00:00.500Z', true],
		// 08:30+07:00 is 01:30Z, before 08:00Z.
		['rejects an endedAt earlier in time but written with another offset', '2026-11-14T08:00:00Z', '2026-11-14T08:30:00+07:00', false]
	])('%s', (_, startedAt, endedAt, ok) => {
		const result = validateSessionTally(
			withChange((t) => {
				t.startedAt = startedAt;
				t.endedAt = endedAt;
			})
		);
		expect(result.ok).toBe(ok);
	});
});

// ---------- property-based ----------

describe('validateSessionTally: properties', () => {
	it('never throws on anything', () => {
		fc.assert(
			fc.property(
				fc.anything({
					withBigInt: true,
					withBoxedValues: true,
					withDate: true,
					withMap: true,
					withSet: true,
					withNullPrototype: true,
					withObjectString: true,
					withSparseArray: true,
					withTypedArray: true
				}),
				(input) => {
					const result = validateSessionTally(input);
					expect(result.ok).toBe(false);
				}
			),
			{ numRuns: 2000 }
		);
	});

	it('never throws on objects', () => {
		fc.assert(
			fc.property(fc.object({ withNullPrototype: true, maxDepth: 3 }), (input) => {
				expect(() => validateSessionTally(input)).not.toThrow();
			}),
			{ numRuns: 1000 }
		);
	});

	it('never throws on a valid tally with one field replaced by anything', () => {
		const keys = Object.keys(VALID);
		fc.assert(
			fc.property(fc.constantFrom(...keys), fc.anything({ withNullPrototype: true, withBigInt: true }), (key, value) => {
				const input = { ...structuredClone(VALID), [key]: value };
				const result = validateSessionTally(input);
				if (!result.ok) expect(result.field.length).toBeGreaterThan(0);
			}),
			{ numRuns: 2000 }
		);
	});

	it('never throws on a valid tally with a bucket entry replaced by anything', () => {
		const buckets = ['residentsByGender', 'assistsByOutcome', 'assistsBySkill', 'assistsByMember'] as const;
		fc.assert(
			fc.property(fc.constantFrom(...buckets), fc.string(), fc.anything(), (bucket, key, value) => {
				const input = structuredClone(VALID) as unknown as Record<string, Record<string, unknown>>;
				input[bucket]![key] = value;
				expect(() => validateSessionTally(input)).not.toThrow();
			}),
			{ numRuns: 1000 }
		);
	});

	it('accepts the counts of any random session', () => {
		const sessionArb = randomSession({ maxPeople: 8, atYear: fc.constant(2026), members: fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 3 }), maxRows: 15, maxSkills: 3 });
		fc.assert(
			fc.property(sessionArb, fc.uuid(), (s, sessionId) => {
				const counts = computeCounts(s);
				const tally: SessionTally = {
					...counts,
					schema: 1,
					sessionId,
					version: 1,
					teamId: 'team-1',
					date: '2026-11-14',
					startedAt: '2026-11-14T01:00:00.000Z',
					endedAt: '2026-11-14T04:00:00.000Z',
					membersPresent: s.members
				};
				const result = validateSessionTally(JSON.parse(JSON.stringify(tally)));
				expect(result).toEqual({ ok: true, tally });
			}),
			{ numRuns: 500 }
		);
	});
});
