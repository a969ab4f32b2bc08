import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateAnySessionTally, validateSessionTally, type AnyTallyValidation } from '$lib/domain/tallySchema';
import { computeCounts, reportedOutcomes, type SessionTally, type SessionTallyV2 } from '$lib/domain/tally';
import { BASIC_SKILL_GROUPS } from '$lib/domain/basicSkills';
import { newHousehold } from '$lib/domain/households';
import { outcomeStateOf, settleSession } from '$lib/domain/outcomes';
import type { OutcomeEvent } from '$lib/domain/progress';
import { randomSession, sampleTally } from '../fixtures/tallies';

const V1: SessionTally = sampleTally({ sessionId: '3f2b8c1e-9a4d-4c7e-8b21-6d5f0e9a1c42', teamId: 'team-tung-anh-1', memberIds: ['m1', 'm2', 'm3'], version: 2 });
// The sample's 3 residents: one became proficient (gaining safety and localPlatforms) and covered a household.
const V2: SessionTallyV2 = {
	...V1,
	schema: 2,
	residentsNewlyProficient: 1,
	householdsNewlyCovered: 1,
	residentsGainedByGroup: { publicServices: 2, shopping: 0, payment: 1, safety: 1, localPlatforms: 1 }
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const v2With = (change: (t: any) => void): unknown => {
	const t = structuredClone(V2);
	change(t);
	return t;
};

function expectRefused(result: AnyTallyValidation, field: string) {
	expect(result).toMatchObject({ ok: false, field });
	if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
}

describe('schema 1 and schema 2 side by side', () => {
	it('accepts a schema 1 tally (a tablet not yet updated) unchanged, and says its outcomes were not reported', () => {
		const result = validateAnySessionTally(JSON.parse(JSON.stringify(V1)));
		expect(result).toEqual({ ok: true, tally: V1 });
		expect(result.ok && reportedOutcomes(result.tally)).toBeNull();
	});

	it('accepts a schema 2 tally unchanged, with its outcomes, zeroes included', () => {
		const result = validateAnySessionTally(JSON.parse(JSON.stringify(V2)));
		expect(result).toEqual({ ok: true, tally: V2 });
		expect(result.ok && reportedOutcomes(result.tally)).toEqual({
			residentsNewlyProficient: 1,
			householdsNewlyCovered: 1,
			residentsGainedByGroup: { publicServices: 2, shopping: 0, payment: 1, safety: 1, localPlatforms: 1 }
		});
		const none = v2With((t) => {
			t.residentsNewlyProficient = 0;
			t.householdsNewlyCovered = 0;
			for (const g of BASIC_SKILL_GROUPS) t.residentsGainedByGroup[g] = 0;
		});
		const zero = validateAnySessionTally(none);
		expect(zero.ok && reportedOutcomes(zero.tally)).toEqual({
			residentsNewlyProficient: 0,
			householdsNewlyCovered: 0,
			residentsGainedByGroup: { publicServices: 0, shopping: 0, payment: 0, safety: 0, localPlatforms: 0 }
		});
	});

	it('validateSessionTally stays schema 1 only (the ingest takes validateAnySessionTally): it refuses schema 2, naming the field', () => {
		expectRefused(validateSessionTally(V2), 'schema');
		expect(validateSessionTally(V1)).toEqual({ ok: true, tally: V1 });
	});

	it('refuses a schema it does not know, and a schema 1 tally carrying outcome fields', () => {
		expectRefused(validateAnySessionTally(v2With((t) => (t.schema = 3))), 'schema');
		expectRefused(validateAnySessionTally(v2With((t) => (t.schema = '2'))), 'schema');
		expectRefused(validateAnySessionTally(v2With((t) => (t.schema = 1))), 'residentsNewlyProficient');
		expectRefused(validateAnySessionTally(null), '(root)');
	});
});

describe('schema 2: refuses, naming the field', () => {
	it('more newly covered households than distinct residents', () => {
		expectRefused(validateAnySessionTally(v2With((t) => (t.householdsNewlyCovered = 4))), 'householdsNewlyCovered');
		expect(validateAnySessionTally(v2With((t) => (t.householdsNewlyCovered = 3))).ok).toBe(true);
	});

	it('more residents newly proficient, or gaining a group, than came', () => {
		expectRefused(validateAnySessionTally(v2With((t) => (t.residentsNewlyProficient = 4))), 'residentsNewlyProficient');
		expectRefused(validateAnySessionTally(v2With((t) => (t.residentsGainedByGroup.payment = 4))), 'residentsGainedByGroup.payment');
	});

	it('an unknown skill group, and a missing one', () => {
		expectRefused(validateAnySessionTally(v2With((t) => (t.residentsGainedByGroup.futureGroup = 1))), 'residentsGainedByGroup.futureGroup');
		// As a request body brings it: JSON.parse makes "__proto__" an own key.
		const withProto = JSON.parse(JSON.stringify(V2).replace('"residentsGainedByGroup":{', '"residentsGainedByGroup":{"__proto__":1,'));
		expectRefused(validateAnySessionTally(withProto), 'residentsGainedByGroup.__proto__');
		expectRefused(validateAnySessionTally(v2With((t) => delete t.residentsGainedByGroup.safety)), 'residentsGainedByGroup.safety');
	});

	it.each([
		['residentsNewlyProficient', -1],
		['householdsNewlyCovered', 0.5],
		['householdsNewlyCovered', '1'],
		['residentsNewlyProficient', null],
		['householdsNewlyCovered', Number.NaN]
	])('%s = %j', (field, value) => {
		expectRefused(validateAnySessionTally(v2With((t) => (t[field] = value))), field);
	});

	it('a negative or fractional group count', () => {
		expectRefused(validateAnySessionTally(v2With((t) => (t.residentsGainedByGroup.shopping = -1))), 'residentsGainedByGroup.shopping');
		expectRefused(validateAnySessionTally(v2With((t) => (t.residentsGainedByGroup.shopping = 1.5))), 'residentsGainedByGroup.shopping');
	});

	it('what schema 1 refuses too (missing outcomes, times, counts that do not add up)', () => {
		expectRefused(validateAnySessionTally(v2With((t) => delete t.householdsNewlyCovered)), 'householdsNewlyCovered');
		expectRefused(validateAnySessionTally(v2With((t) => (t.endedAt = '2026-11-14T00:00:00.000Z'))), 'endedAt');
		expectRefused(validateAnySessionTally(v2With((t) => (t.distinctResidents = 5))), 'distinctResidents');
	});
});

describe('computeCounts with outcomes', () => {
	const H = newHousehold('h1', 'Hộ ông Cường', '2026-11-01T00:00:00.000Z');
	const residents = new Map([
		['r1', { id: 'r1', gender: 'female' as const, birthYear: 1958 }],
		['r2', { id: 'r2', gender: 'male' as const, birthYear: 1990 }]
	]);
	const at = '2026-11-14T02:00:00.000Z';
	const events: OutcomeEvent[] = [
		{ kind: 'link', residentKey: 'key-r1', at, householdId: 'h1', memberId: 'm1' },
		{ kind: 'done', residentKey: 'key-r1', at, groups: [...BASIC_SKILL_GROUPS] }
	];
	const base = { residents, checkIns: [{ residentId: 'r1', firstVisit: true }], assists: [], atYear: 2026 };
	const residentKeys = new Map([
		['r1', 'key-r1'],
		['r2', 'key-r2']
	]);

	it('adds the session\'s outcomes to its visits', () => {
		const settled = settleSession(outcomeStateOf([], [H]), 's1', events);
		expect(computeCounts({ ...base, outcomes: { sessionId: 's1', settled, residentKeys } })).toMatchObject({
			distinctResidents: 1,
			residentsNewlyProficient: 1,
			householdsNewlyCovered: 1,
			residentsGainedByGroup: { publicServices: 1, shopping: 1, payment: 1, safety: 1, localPlatforms: 1 }
		});
	});

	it('counts a resident who came back under a new row (after retention) by their key: nothing twice', () => {
		const first = settleSession(outcomeStateOf([], [H]), 's1', events);
		const again = settleSession(first.state, 's2', events);
		const counts = computeCounts({
			...base,
			residents: new Map([['r9', { id: 'r9', gender: 'female', birthYear: 1958 }]]),
			checkIns: [{ residentId: 'r9', firstVisit: true }],
			outcomes: { sessionId: 's2', settled: again, residentKeys: new Map([['r9', 'key-r1']]) }
		});
		expect(counts).toMatchObject({ firstTimeResidents: 1, residentsNewlyProficient: 0, householdsNewlyCovered: 0 });
	});

	it('throws on an outcome about a resident who did not check in (it would break the households bound)', () => {
		const settled = settleSession(outcomeStateOf([], [H]), 's1', [{ ...events[1]!, residentKey: 'key-r2' }]);
		expect(() => computeCounts({ ...base, outcomes: { sessionId: 's1', settled, residentKeys } })).toThrow(/did not check in/);
	});

	it('without outcomes, counts what schema 1 carries and nothing more', () => {
		expect(Object.keys(computeCounts(base))).not.toContain('residentsNewlyProficient');
	});

	it('makes a schema 2 tally the schema accepts, for any session and any outcome events of its residents', () => {
		const session = randomSession({ maxPeople: 6, members: fc.constant(['m1', 'm2']), atYear: fc.constant(2026), maxRows: 12, maxSkills: 3 });
		const arb = session.chain((s) => {
			const present = [...new Set(s.checkIns.map((c) => c.residentId))];
			const key = fc.constantFrom(...(present.length > 0 ? present : ['nobody'])).map((id) => `key-${id}`);
			const event = fc.oneof(
				fc.record({ kind: fc.constant('done' as const), residentKey: key, at: fc.constant(at), groups: fc.uniqueArray(fc.constantFrom(...BASIC_SKILL_GROUPS), { minLength: 1 }) }),
				fc.record({ kind: fc.constant('link' as const), residentKey: key, at: fc.constant(at), householdId: fc.constantFrom('h1', 'h2', null), memberId: fc.constant('m1') })
			);
			return fc.record({ s: fc.constant(s), events: present.length > 0 ? fc.array(event, { maxLength: 20 }) : fc.constant([]) });
		});
		fc.assert(
			fc.property(arb, ({ s, events: outcomeEvents }) => {
				const state = outcomeStateOf([], [H, { ...H, id: 'h2' }]);
				const settled = settleSession(state, 's1', outcomeEvents);
				const keys = new Map([...s.residents.keys()].map((id) => [id, `key-${id}`]));
				const counts = computeCounts({ ...s, outcomes: { sessionId: 's1', settled, residentKeys: keys } });
				const tally: SessionTallyV2 = { ...V2, ...counts, membersPresent: ['m1', 'm2'], schema: 2 };
				expect(validateAnySessionTally(JSON.parse(JSON.stringify(tally)))).toEqual({ ok: true, tally });
			})
		);
	});
});
