// What a session (or a period) adds up to: counts only, never who. This is what leaves the tablet.
import { AGE_BANDS, GENDERS, ageBand, type AgeBand, type Gender } from './resident';
import { BASIC_SKILL_GROUPS } from './basicSkills';
import { outcomeCountsOf, type OutcomeCounts, type OutcomeState } from './outcomes';

export type Outcome = 'done' | 'partly' | 'referred';
export const OUTCOMES: readonly Outcome[] = ['done', 'partly', 'referred'];

export interface TallyResident {
	id: string;
	gender: Gender;
	birthYear: number;
}
export interface TallyCheckIn {
	residentId: string;
	/** The resident's first check-in ever on this kiosk. */
	firstVisit: boolean;
}
export interface TallyAssist {
	residentId: string;
	memberId: string;
	skillCodes: readonly string[];
	outcome: Outcome;
}

export interface Counts {
	checkIns: number;
	distinctResidents: number;
	firstTimeResidents: number;
	residentsByGender: Record<Gender, number>;
	residentsByAgeBand: Record<AgeBand, number>;
	assists: number;
	assistsByOutcome: Record<Outcome, number>;
	/** An assist that taught two skills counts once here per skill. */
	assistsBySkill: Record<string, number>;
	assistsByMember: Record<string, number>;
	assistsByGender: Record<Gender, number>;
	assistsByAgeBand: Record<AgeBand, number>;
}

export interface SessionTally extends Counts {
	schema: 1;
	sessionId: string;
	/** Raised each time a closed session's tally changes; the server keeps the highest. */
	version: number;
	teamId: string;
	/** Local calendar date of the session, 'YYYY-MM-DD'. */
	date: string;
	startedAt: string;
	endedAt: string;
	membersPresent: string[];
}

/**
 * Schema 2 adds the session's outcomes (the five basic skills, households covered). A schema 1
 * tally, from a tablet not yet updated, reported no outcomes: reports show "not reported" for it,
 * never zero (reportedOutcomes).
 */
export type SessionTallyV2 = Omit<SessionTally, 'schema'> & OutcomeCounts & { schema: 2 };
export type AnySessionTally = SessionTally | SessionTallyV2;

/** The tally's outcome counts, or null when its schema had none to report. */
export function reportedOutcomes(tally: AnySessionTally): OutcomeCounts | null {
	if (tally.schema !== 2) return null;
	const { residentsNewlyProficient, householdsNewlyCovered, residentsGainedByGroup } = tally;
	return { residentsNewlyProficient, householdsNewlyCovered, residentsGainedByGroup };
}

/** The session's outcomes as computeCounts takes them: the state the session was settled into (outcomes.ts). */
export interface SessionOutcomeInput {
	sessionId: string;
	settled: { state: OutcomeState; touched: readonly string[] };
	/** Each resident's key (their HMAC), by resident id, for the residents the session refers to. */
	residentKeys: ReadonlyMap<string, string>;
}

interface CountInput {
	residents: ReadonlyMap<string, TallyResident>;
	checkIns: readonly TallyCheckIn[];
	assists: readonly TallyAssist[];
	atYear: number;
}

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> =>
	Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
/** A record keyed by ids from outside (skill codes, member ids): no prototype, so a key such as
 * 'constructor' or '__proto__' is just a key. */
const idRecord = (): Record<string, number> => Object.create(null) as Record<string, number>;
const add = (record: Record<string, number>, key: string, n: number) => {
	record[key] = (Object.hasOwn(record, key) ? record[key]! : 0) + n;
};
const bump = (record: Record<string, number>, key: string) => add(record, key, 1);

export function emptyCounts(): Counts {
	return {
		checkIns: 0,
		distinctResidents: 0,
		firstTimeResidents: 0,
		residentsByGender: zeroes(GENDERS),
		residentsByAgeBand: zeroes(AGE_BANDS),
		assists: 0,
		assistsByOutcome: zeroes(OUTCOMES),
		assistsBySkill: idRecord(),
		assistsByMember: idRecord(),
		assistsByGender: zeroes(GENDERS),
		assistsByAgeBand: zeroes(AGE_BANDS)
	};
}

/**
 * Counts check-ins and assists, and with `outcomes` the session's outcomes too (schema 2).
 * `atYear` fixes the age bands (the session's or period's year). A resident missing from
 * `residents`, or an outcome about a resident who did not check in, is a programming error: it
 * throws rather than miscount.
 */
export function computeCounts(input: CountInput & { outcomes: SessionOutcomeInput }): Counts & OutcomeCounts;
export function computeCounts(input: CountInput): Counts;
export function computeCounts(input: CountInput & { outcomes?: SessionOutcomeInput }): Counts | (Counts & OutcomeCounts) {
	const counts = countVisits(input);
	if (!input.outcomes) return counts;
	const { sessionId, settled, residentKeys } = input.outcomes;
	// Outcomes come from team mode's queue: only about residents who checked in. That is what
	// keeps newly covered households within the session's distinct residents.
	const present = new Set(input.checkIns.map((c) => residentKeys.get(c.residentId)));
	const absent = settled.touched.find((key) => !present.has(key));
	if (absent !== undefined) throw new Error('tally: an outcome for a resident who did not check in');
	return { ...counts, ...outcomeCountsOf(settled.state, sessionId) };
}

function countVisits(input: CountInput): Counts {
	const counts = emptyCounts();
	const residentOf = (id: string) => {
		const r = input.residents.get(id);
		if (!r) throw new Error(`tally: unknown resident ${id}`);
		return r;
	};

	const seen = new Set<string>();
	const firstTimers = new Set<string>();
	for (const c of input.checkIns) {
		counts.checkIns++;
		if (c.firstVisit) firstTimers.add(c.residentId);
		if (seen.has(c.residentId)) continue;
		seen.add(c.residentId);
		const r = residentOf(c.residentId);
		bump(counts.residentsByGender, r.gender);
		bump(counts.residentsByAgeBand, ageBand(r.birthYear, input.atYear));
	}
	counts.distinctResidents = seen.size;
	counts.firstTimeResidents = firstTimers.size;

	for (const a of input.assists) {
		const r = residentOf(a.residentId);
		counts.assists++;
		bump(counts.assistsByOutcome, a.outcome);
		bump(counts.assistsByMember, a.memberId);
		bump(counts.assistsByGender, r.gender);
		bump(counts.assistsByAgeBand, ageBand(r.birthYear, input.atYear));
		for (const code of new Set(a.skillCodes)) bump(counts.assistsBySkill, code);
	}
	return counts;
}

/** Adds counts of several sessions (distinct residents then over-count people who came twice). */
export function addCounts(a: Counts, b: Counts): Counts {
	const sum = emptyCounts();
	const addRecord = (into: Record<string, number>, ...from: Record<string, number>[]) => {
		for (const rec of from) for (const [k, v] of Object.entries(rec)) add(into, k, v);
	};
	sum.checkIns = a.checkIns + b.checkIns;
	sum.distinctResidents = a.distinctResidents + b.distinctResidents;
	sum.firstTimeResidents = a.firstTimeResidents + b.firstTimeResidents;
	sum.assists = a.assists + b.assists;
	addRecord(sum.residentsByGender, a.residentsByGender, b.residentsByGender);
	addRecord(sum.residentsByAgeBand, a.residentsByAgeBand, b.residentsByAgeBand);
	addRecord(sum.assistsByOutcome, a.assistsByOutcome, b.assistsByOutcome);
	addRecord(sum.assistsBySkill, a.assistsBySkill, b.assistsBySkill);
	addRecord(sum.assistsByMember, a.assistsByMember, b.assistsByMember);
	addRecord(sum.assistsByGender, a.assistsByGender, b.assistsByGender);
	addRecord(sum.assistsByAgeBand, a.assistsByAgeBand, b.assistsByAgeBand);
	return sum;
}

const total = (record: Record<string, number>) => Object.values(record).reduce((s, v) => s + v, 0);

/**
 * The first field whose counts do not add up, or null. The server answers 422 naming it;
 * the tablet checks the same before queueing an upload.
 */
export function findInconsistency(c: Counts): string | null {
	if (c.distinctResidents > c.checkIns) return 'distinctResidents';
	if (c.firstTimeResidents > c.distinctResidents) return 'firstTimeResidents';
	if (total(c.residentsByGender) !== c.distinctResidents) return 'residentsByGender';
	if (total(c.residentsByAgeBand) !== c.distinctResidents) return 'residentsByAgeBand';
	if (total(c.assistsByOutcome) !== c.assists) return 'assistsByOutcome';
	if (total(c.assistsByMember) !== c.assists) return 'assistsByMember';
	if (total(c.assistsByGender) !== c.assists) return 'assistsByGender';
	if (total(c.assistsByAgeBand) !== c.assists) return 'assistsByAgeBand';
	const perSkill = Object.values(c.assistsBySkill);
	if (perSkill.some((n) => n > c.assists) || (c.assists > 0 && total(c.assistsBySkill) < c.assists)) {
		return 'assistsBySkill';
	}
	return null;
}

/**
 * The first outcome field that cannot be true of the session, or null. Every count is of residents
 * of the session (a household is covered through one of them, each in one household at a time).
 */
export function findOutcomeInconsistency(c: Counts & OutcomeCounts): string | null {
	if (c.residentsNewlyProficient > c.distinctResidents) return 'residentsNewlyProficient';
	if (c.householdsNewlyCovered > c.distinctResidents) return 'householdsNewlyCovered';
	for (const group of BASIC_SKILL_GROUPS) {
		if (c.residentsGainedByGroup[group] > c.distinctResidents) return `residentsGainedByGroup.${group}`;
	}
	return null;
}
