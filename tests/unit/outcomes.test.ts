import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BASIC_SKILL_GROUPS, type BasicSkillGroup } from '$lib/domain/basicSkills';
import { coveredCount, newHousehold, type Household } from '$lib/domain/households';
import { isProficient, type OutcomeEvent, type ResidentProgress } from '$lib/domain/progress';
import {
	addOutcomeCounts,
	emptyOutcomeCounts,
	householdMembers,
	outcomeCountsOf,
	outcomeStateOf,
	settleSession,
	type OutcomeCounts,
	type OutcomeState
} from '$lib/domain/outcomes';

// Minutes after the start of November 2026: sessions are days apart, events minutes apart.
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1) + minute * 60_000).toISOString();
const done = (residentKey: string, minute: number, ...groups: BasicSkillGroup[]): OutcomeEvent => ({ kind: 'done', residentKey, at: at(minute), groups });
const correct = (residentKey: string, minute: number, group: BasicSkillGroup, marked: boolean): OutcomeEvent => ({
	kind: 'correction',
	residentKey,
	at: at(minute),
	group,
	marked,
	memberId: 'm1'
});
const link = (residentKey: string, minute: number, householdId: string | null): OutcomeEvent => ({ kind: 'link', residentKey, at: at(minute), householdId, memberId: 'm1' });
const ALL = BASIC_SKILL_GROUPS;

function withHouseholds(...ids: string[]): OutcomeState {
	return outcomeStateOf([], ids.map((id) => newHousehold(id, `Hộ ${id}`, at(0))));
}

/** Settles the sessions in order; each one's counts and the state after it. */
function run(start: OutcomeState, sessions: readonly (readonly OutcomeEvent[])[]) {
	let state = start;
	const counts: OutcomeCounts[] = [];
	sessions.forEach((events, i) => {
		state = settleSession(state, `s${i + 1}`, events).state;
		counts.push(outcomeCountsOf(state, `s${i + 1}`));
	});
	return { state, counts };
}

const gained = (partial: Partial<Record<BasicSkillGroup, number>>) => ({ ...emptyOutcomeCounts().residentsGainedByGroup, ...partial });

describe('settleSession: progress', () => {
	it('three residents taught over three sessions reach proficiency; their household turns covered once', () => {
		const { state, counts } = run(withHouseholds('h1'), [
			[link('an', 1, 'h1'), done('an', 2, 'publicServices', 'payment'), done('binh', 3, 'publicServices'), done('cuong', 4, 'safety')],
			[done('an', 1441, 'shopping', 'safety'), done('binh', 1442, 'shopping', 'payment', 'safety'), link('binh', 1443, 'h1')],
			[done('an', 2881, 'localPlatforms'), done('binh', 2882, 'localPlatforms'), done('cuong', 2883, 'publicServices', 'shopping', 'payment', 'localPlatforms')]
		]);
		expect(counts).toEqual([
			{ residentsNewlyProficient: 0, householdsNewlyCovered: 0, residentsGainedByGroup: gained({ publicServices: 2, payment: 1, safety: 1 }) },
			{ residentsNewlyProficient: 0, householdsNewlyCovered: 0, residentsGainedByGroup: gained({ shopping: 2, payment: 1, safety: 2 }) },
			{ residentsNewlyProficient: 3, householdsNewlyCovered: 1, residentsGainedByGroup: gained({ publicServices: 1, shopping: 1, payment: 1, localPlatforms: 3 }) }
		]);
		expect(state.households.get('h1')?.coveredIn).toBe('s3');
		expect(householdMembers(state, 'h1').sort()).toEqual(['an', 'binh']);
	});

	it('counts a resident newly proficient once, even when a mark is corrected away and regained', () => {
		const { counts, state } = run(withHouseholds(), [
			[done('an', 1, ...ALL)],
			[correct('an', 1441, 'shopping', false)],
			[done('an', 2881, 'shopping')]
		]);
		expect(counts.map((c) => c.residentsNewlyProficient)).toEqual([1, 0, 0]);
		expect(counts.map((c) => c.residentsGainedByGroup.shopping)).toEqual([1, 0, 0]);
		expect(state.residents.get('an')?.proficientIn).toBe('s1');
		expect(isProficient(state.residents.get('an')!)).toBe(true);
	});

	it('counts nothing for a mark given and taken back in the same session (a mis-tap put right)', () => {
		const { counts } = run(withHouseholds(), [[done('an', 1, ...ALL), correct('an', 2, 'safety', false)], [done('an', 1441, 'safety')]]);
		expect(counts[0]).toEqual({ residentsNewlyProficient: 0, householdsNewlyCovered: 0, residentsGainedByGroup: gained({ publicServices: 1, shopping: 1, payment: 1, localPlatforms: 1 }) });
		expect(counts[1]).toEqual({ residentsNewlyProficient: 1, householdsNewlyCovered: 0, residentsGainedByGroup: gained({ safety: 1 }) });
	});

	it('takes a correction that adds marks as the member\'s word that the resident does it alone', () => {
		const { counts } = run(withHouseholds(), [ALL.map((g, i) => correct('an', i, g, true))]);
		expect(counts[0]?.residentsNewlyProficient).toBe(1);
	});

	it('applies a session\'s events in time order, whatever order they come in', () => {
		const events = [correct('an', 5, 'safety', false), done('an', 1, ...ALL)];
		expect(outcomeCountsOf(settleSession(withHouseholds(), 's1', events).state, 's1').residentsNewlyProficient).toBe(0);
	});

	it('gives the same counts when a session is read again (a re-tally)', () => {
		const { state } = run(withHouseholds('h1'), [[link('an', 0, 'h1'), done('an', 1, ...ALL)]]);
		expect(outcomeCountsOf(state, 's1')).toEqual(outcomeCountsOf(state, 's1'));
		expect(outcomeCountsOf(state, 's1').householdsNewlyCovered).toBe(1);
		expect(outcomeCountsOf(state, 'another')).toEqual(emptyOutcomeCounts());
	});

	it('does not change the state it was given (an open session is settled for display only)', () => {
		const before = withHouseholds('h1');
		const frozen = JSON.stringify([...before.residents, ...before.households]);
		settleSession(before, 's1', [link('an', 0, 'h1'), done('an', 1, ...ALL)]);
		expect(JSON.stringify([...before.residents, ...before.households])).toBe(frozen);
	});
});

describe('settleSession: households', () => {
	it('puts a resident in one household at a time: a new link moves them', () => {
		const { state } = run(withHouseholds('h1', 'h2'), [[link('an', 1, 'h1'), link('binh', 2, 'h1')], [link('an', 1441, 'h2')]]);
		expect(householdMembers(state, 'h1')).toEqual(['binh']);
		expect(householdMembers(state, 'h2')).toEqual(['an']);
		expect(state.residents.get('an')?.householdId).toBe('h2');
	});

	it('covers a household when an already proficient resident is linked to it, in that session', () => {
		const { counts, state } = run(withHouseholds('h1'), [[done('an', 1, ...ALL)], [link('an', 1441, 'h1')]]);
		expect(counts.map((c) => c.householdsNewlyCovered)).toEqual([0, 1]);
		expect(counts.map((c) => c.residentsNewlyProficient)).toEqual([1, 0]);
		expect(state.households.get('h1')?.coveredIn).toBe('s2');
	});

	it('keeps a household covered when its proficient resident moves out or loses a mark', () => {
		const { counts, state } = run(withHouseholds('h1', 'h2'), [
			[link('an', 1, 'h1'), done('an', 2, ...ALL)],
			[link('an', 1441, 'h2')],
			[correct('an', 2881, 'payment', false), link('an', 2882, null)]
		]);
		expect(counts.map((c) => c.householdsNewlyCovered)).toEqual([1, 1, 0]);
		expect(state.households.get('h1')?.coveredIn).toBe('s1');
		expect(state.households.get('h2')?.coveredIn).toBe('s2');
		expect(coveredCount(state.households.values())).toBe(2);
	});

	it('covers only the household a resident ends the session in (a wrong link put right)', () => {
		const { state, counts } = run(withHouseholds('h1', 'h2'), [[done('an', 1, ...ALL), link('an', 2, 'h1'), link('an', 3, 'h2')]]);
		expect(counts[0]?.householdsNewlyCovered).toBe(1);
		expect(state.households.get('h1')?.coveredIn).toBeNull();
		expect(state.households.get('h2')?.coveredIn).toBe('s1');
	});

	it('counts a household covered by two residents in one session once', () => {
		const { counts } = run(withHouseholds('h1'), [[link('an', 1, 'h1'), link('binh', 2, 'h1'), done('an', 3, ...ALL), done('binh', 4, ...ALL)]]);
		expect(counts[0]).toMatchObject({ residentsNewlyProficient: 2, householdsNewlyCovered: 1 });
	});

	it('refuses a link to a household the tablet does not hold', () => {
		expect(() => settleSession(withHouseholds('h1'), 's1', [link('an', 1, 'h9')])).toThrow(/unknown household/);
	});
});

describe('after the retention rule erased a resident\'s name', () => {
	it('still knows, from the stored rows keyed by the resident\'s key alone, what was counted', () => {
		// Session 1 is settled and its rows stored; retention then drops the resident's name and the
		// session's events. The resident comes back (a new resident row, the same key) and is taught
		// again: nothing is counted a second time, and the household stays covered.
		const first = settleSession(withHouseholds('h1'), 's1', [link('an', 1, 'h1'), done('an', 2, ...ALL)]);
		const storedResidents: ResidentProgress[] = JSON.parse(JSON.stringify([...first.state.residents.values()]));
		const storedHouseholds: Household[] = JSON.parse(JSON.stringify([...first.state.households.values()]));
		expect(Object.keys(storedResidents[0]!).sort()).toEqual(['gainedIn', 'householdId', 'marks', 'proficientIn', 'residentKey']);

		const back = settleSession(outcomeStateOf(storedResidents, storedHouseholds), 's9', [done('an', 90_000, ...ALL), link('an', 90_001, 'h1')]);
		expect(outcomeCountsOf(back.state, 's9')).toEqual(emptyOutcomeCounts());
		expect(outcomeCountsOf(back.state, 's1')).toMatchObject({ residentsNewlyProficient: 1, householdsNewlyCovered: 1 });
	});
});

describe('addOutcomeCounts', () => {
	it('adds every field', () => {
		const a: OutcomeCounts = { residentsNewlyProficient: 1, householdsNewlyCovered: 2, residentsGainedByGroup: gained({ safety: 3 }) };
		const b: OutcomeCounts = { residentsNewlyProficient: 4, householdsNewlyCovered: 5, residentsGainedByGroup: gained({ safety: 1, payment: 2 }) };
		expect(addOutcomeCounts(a, b)).toEqual({ residentsNewlyProficient: 5, householdsNewlyCovered: 7, residentsGainedByGroup: gained({ safety: 4, payment: 2 }) });
	});
});

// Random histories: a few residents and households, sessions of random events in time order.
const RESIDENTS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
const HOUSEHOLDS = ['h0', 'h1', 'h2', 'h3'];
const group = fc.constantFrom(...BASIC_SKILL_GROUPS);
const eventArb = (minute: number): fc.Arbitrary<OutcomeEvent> =>
	fc.oneof(
		{ weight: 4, arbitrary: fc.record({ key: fc.constantFrom(...RESIDENTS), groups: fc.uniqueArray(group, { minLength: 1, maxLength: 5 }) }).map(({ key, groups }) => done(key, minute, ...groups)) },
		{ weight: 1, arbitrary: fc.record({ key: fc.constantFrom(...RESIDENTS), group, marked: fc.boolean() }).map(({ key, group: g, marked }) => correct(key, minute, g, marked)) },
		{ weight: 2, arbitrary: fc.record({ key: fc.constantFrom(...RESIDENTS), h: fc.option(fc.constantFrom(...HOUSEHOLDS), { freq: 6 }) }).map(({ key, h }) => link(key, minute, h)) }
	);
const historyArb = fc
	.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 10 })
	.chain((sizes) => fc.tuple(...sizes.map((n, s) => fc.tuple(...Array.from({ length: n }, (_, i) => eventArb(s * 1440 + i))))));

describe('settleSession: properties', () => {
	it('newly covered households, summed over any sessions, never exceed the households and equal the covered at the end', () => {
		fc.assert(
			fc.property(historyArb, (sessions) => {
				const { state, counts } = run(withHouseholds(...HOUSEHOLDS), sessions);
				const sum = counts.reduce(addOutcomeCounts, emptyOutcomeCounts());
				expect(sum.householdsNewlyCovered).toBeLessThanOrEqual(HOUSEHOLDS.length);
				expect(sum.householdsNewlyCovered).toBe(coveredCount(state.households.values()));
				const everProficient = [...state.residents.values()].filter((r) => r.proficientIn !== null).length;
				expect(sum.residentsNewlyProficient).toBe(everProficient);
				expect(sum.residentsNewlyProficient).toBeLessThanOrEqual(RESIDENTS.length);
				for (const g of BASIC_SKILL_GROUPS) expect(sum.residentsGainedByGroup[g]).toBeLessThanOrEqual(RESIDENTS.length);
			})
		);
	});

	it('each session counts no more than the residents it was about, and covered never goes back', () => {
		fc.assert(
			fc.property(historyArb, (sessions) => {
				let state = withHouseholds(...HOUSEHOLDS);
				sessions.forEach((events, i) => {
					const settled = settleSession(state, `s${i + 1}`, events);
					const counts = outcomeCountsOf(settled.state, `s${i + 1}`);
					expect(counts.householdsNewlyCovered).toBeLessThanOrEqual(settled.touched.length);
					expect(counts.residentsNewlyProficient).toBeLessThanOrEqual(settled.touched.length);
					for (const [id, h] of state.households) if (h.coveredIn !== null) expect(settled.state.households.get(id)?.coveredIn).toBe(h.coveredIn);
					for (const [key, r] of state.residents) {
						const after = settled.state.residents.get(key)!;
						if (r.proficientIn !== null) expect(after.proficientIn).toBe(r.proficientIn);
						for (const g of BASIC_SKILL_GROUPS) if (r.gainedIn[g] !== undefined) expect(after.gainedIn[g]).toBe(r.gainedIn[g]);
					}
					state = settled.state;
				});
			})
		);
	});

	it('covers a household exactly when, at a session\'s end, a resident in it is proficient', () => {
		fc.assert(
			fc.property(historyArb, (sessions) => {
				let state = withHouseholds(...HOUSEHOLDS);
				sessions.forEach((events, i) => {
					const sessionId = `s${i + 1}`;
					state = settleSession(state, sessionId, events).state;
					for (const h of state.households.values()) {
						const proficientInside = [...state.residents.values()].some((r) => r.householdId === h.id && isProficient(r));
						if (proficientInside) expect(h.coveredIn, `${h.id} after ${sessionId}`).not.toBeNull();
						if (h.coveredIn === sessionId) expect(proficientInside).toBe(true);
					}
				});
			})
		);
	});

	it('counts the same from stored rows as from memory (what survives retention is enough)', () => {
		fc.assert(
			fc.property(historyArb, (sessions) => {
				const inMemory = run(withHouseholds(...HOUSEHOLDS), sessions);
				let stored = withHouseholds(...HOUSEHOLDS);
				const counts: OutcomeCounts[] = [];
				sessions.forEach((events, i) => {
					const settled = settleSession(stored, `s${i + 1}`, events);
					counts.push(outcomeCountsOf(settled.state, `s${i + 1}`));
					// Write back only the changed rows, through JSON as IndexedDB would.
					const residents = new Map(stored.residents);
					const households = new Map(stored.households);
					for (const r of JSON.parse(JSON.stringify(settled.changedResidents)) as ResidentProgress[]) residents.set(r.residentKey, r);
					for (const h of JSON.parse(JSON.stringify(settled.changedHouseholds)) as Household[]) households.set(h.id, h);
					stored = outcomeStateOf(residents.values(), households.values());
				});
				expect(counts).toEqual(inMemory.counts);
			})
		);
	});
});
