// What a session changed for the five basic skills: who gained which group, who became
// proficient, which households became covered. Counted once per tablet, in the session where it
// first held at the session's end. Pure: the tablet keeps the state (outcomes' Dexie tables) and
// settles each session into it when the session closes.
import { BASIC_SKILL_GROUPS, type BasicSkillGroup } from './basicSkills';
import { isCovered, type Household } from './households';
import { applyEvent, emptyProgress, inTimeOrder, isProficient, settleProgress, type OutcomeEvent, type ResidentProgress } from './progress';

/** Everything counting needs, from every session settled so far. */
export interface OutcomeState {
	/** By resident key. */
	residents: ReadonlyMap<string, ResidentProgress>;
	/** By household id. */
	households: ReadonlyMap<string, Household>;
}

export interface SettledSession {
	state: OutcomeState;
	/** The residents the session's events were about (keys), each once. */
	touched: string[];
	/** Rows the session changed, to write back. */
	changedResidents: ResidentProgress[];
	changedHouseholds: Household[];
}

export interface OutcomeCounts {
	residentsNewlyProficient: number;
	householdsNewlyCovered: number;
	/** Per basic skill group, the residents who gained it in this session (for the first time). */
	residentsGainedByGroup: Record<BasicSkillGroup, number>;
}

export function emptyOutcomeState(): OutcomeState {
	return { residents: new Map(), households: new Map() };
}

/** The state from its stored rows (one per resident key, one per household). */
export function outcomeStateOf(residents: Iterable<ResidentProgress>, households: Iterable<Household>): OutcomeState {
	return {
		residents: new Map([...residents].map((r) => [r.residentKey, r])),
		households: new Map([...households].map((h) => [h.id, h]))
	};
}

/** The residents (keys) who belong to a household now. */
export function householdMembers(state: OutcomeState, householdId: string): string[] {
	return [...state.residents.values()].filter((r) => r.householdId === householdId).map((r) => r.residentKey);
}

export function emptyOutcomeCounts(): OutcomeCounts {
	return {
		residentsNewlyProficient: 0,
		householdsNewlyCovered: 0,
		residentsGainedByGroup: Object.fromEntries(BASIC_SKILL_GROUPS.map((g) => [g, 0])) as Record<BasicSkillGroup, number>
	};
}

/**
 * Applies a session's events (any order: they are sorted by time) to the state, then makes the
 * session's first-time counts from where things stand at its end: a mark given and cleared within
 * the session, or a resident linked to the wrong household and moved, counts nothing. A household
 * is covered when one of its residents is proficient at the session's end; a resident changes
 * household or loses a mark later, and it stays covered. Linking to a household the state does not
 * hold is a programming error and throws.
 *
 * Settling an open session gives what the tablet shows live; only its close writes the state.
 */
export function settleSession(state: OutcomeState, sessionId: string, events: readonly OutcomeEvent[]): SettledSession {
	const residents = new Map(state.residents);
	const households = new Map(state.households);
	const touched: string[] = [];
	for (const event of inTimeOrder(events)) {
		if (event.kind === 'link' && event.householdId !== null && !households.has(event.householdId)) {
			throw new Error(`outcomes: unknown household ${event.householdId}`);
		}
		const before = residents.get(event.residentKey);
		if (!touched.includes(event.residentKey)) touched.push(event.residentKey);
		residents.set(event.residentKey, applyEvent(before ?? emptyProgress(event.residentKey), event));
	}

	const changedResidents: ResidentProgress[] = [];
	const changedHouseholds: Household[] = [];
	for (const key of touched) {
		const settled = settleProgress(residents.get(key)!, sessionId);
		residents.set(key, settled);
		changedResidents.push(settled);
		const household = settled.householdId === null ? undefined : households.get(settled.householdId);
		if (household && !isCovered(household) && isProficient(settled)) {
			const covered = { ...household, coveredIn: sessionId };
			households.set(household.id, covered);
			changedHouseholds.push(covered);
		}
	}
	return { state: { residents, households }, touched, changedResidents, changedHouseholds };
}

/**
 * The session's outcome counts, read from a state the session has been settled into: what the
 * state attributes to this session. Reading it again (a re-tally) gives the same numbers.
 */
export function outcomeCountsOf(state: OutcomeState, sessionId: string): OutcomeCounts {
	const counts = emptyOutcomeCounts();
	for (const progress of state.residents.values()) {
		if (progress.proficientIn === sessionId) counts.residentsNewlyProficient++;
		for (const group of BASIC_SKILL_GROUPS) if (progress.gainedIn[group] === sessionId) counts.residentsGainedByGroup[group]++;
	}
	for (const household of state.households.values()) if (household.coveredIn === sessionId) counts.householdsNewlyCovered++;
	return counts;
}

/** Adds outcome counts of several sessions (a period): first-time counts never overlap, so sums are exact. */
export function addOutcomeCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
	const sum = emptyOutcomeCounts();
	sum.residentsNewlyProficient = a.residentsNewlyProficient + b.residentsNewlyProficient;
	sum.householdsNewlyCovered = a.householdsNewlyCovered + b.householdsNewlyCovered;
	for (const g of BASIC_SKILL_GROUPS) sum.residentsGainedByGroup[g] = a.residentsGainedByGroup[g] + b.residentsGainedByGroup[g];
	return sum;
}
