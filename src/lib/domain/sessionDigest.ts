// A session's rows boiled down to what a period tally needs of them, so a closed session (whose
// rows never change again) is counted from one small record instead of its hundreds of check-ins
// and assists (issue 15: a month of a busy hall at CPU 4× spent most of its time reading rows).
//
// The counts made from digests are exactly computeCounts' over the same rows: the distinct
// residents of a period are the union of the sessions' residents, and who a resident was (gender,
// birth year) is taken as computeCounts' callers take it: from their last check-in that carries it,
// across the period, else from the resident table (rows from before tablet database version 2).
import { ageBand, type Gender } from './resident';
import { emptyCounts, type Counts, type TallyAssist, type TallyCheckIn, type TallyResident } from './tally';

/** Bits of SessionDigest.flags. */
export const DIGEST_CHECKED_IN = 1;
export const DIGEST_FIRST_VISIT = 2;
/** The resident's gender and birth year are in the digest, from their check-in in this session. */
export const DIGEST_WHO = 4;

/**
 * One session's counts, per resident it refers to. Parallel arrays (index i is one resident), not
 * one object per resident: IndexedDB reads back a few arrays much faster than hundreds of objects.
 */
export interface SessionDigest {
	checkIns: number;
	residentIds: string[];
	flags: number[];
	/** '' when the check-in did not carry it (DIGEST_WHO unset). */
	genders: (Gender | '')[];
	/** 0 when the check-in did not carry it (DIGEST_WHO unset). */
	birthYears: number[];
	/** Assists given to each resident. */
	assistsOf: number[];
	assists: number;
	/** [key, count] in the order the assists first named them (as computeCounts fills its records). */
	assistsByOutcome: [string, number][];
	assistsByMember: [string, number][];
	assistsBySkill: [string, number][];
}

export interface DigestCheckIn extends TallyCheckIn {
	gender?: Gender;
	birthYear?: number;
}

/** The digest of one session's check-ins and assists (in the order the tablet reads them). */
export function digestSession(checkIns: readonly DigestCheckIn[], assists: readonly TallyAssist[]): SessionDigest {
	const d: SessionDigest = { checkIns: 0, residentIds: [], flags: [], genders: [], birthYears: [], assistsOf: [], assists: 0, assistsByOutcome: [], assistsByMember: [], assistsBySkill: [] };
	const index = new Map<string, number>();
	const at = (id: string) => {
		let i = index.get(id);
		if (i === undefined) {
			i = d.residentIds.length;
			index.set(id, i);
			d.residentIds.push(id);
			d.flags.push(0);
			d.genders.push('');
			d.birthYears.push(0);
			d.assistsOf.push(0);
		}
		return i;
	};
	for (const c of checkIns) {
		const i = at(c.residentId);
		d.checkIns++;
		d.flags[i]! |= DIGEST_CHECKED_IN | (c.firstVisit ? DIGEST_FIRST_VISIT : 0);
		if (c.gender && c.birthYear !== undefined) {
			d.flags[i]! |= DIGEST_WHO;
			d.genders[i] = c.gender;
			d.birthYears[i] = c.birthYear;
		}
	}
	const tally = (pairs: [string, number][]) => {
		const slot = new Map<string, number>();
		return (key: string) => {
			const j = slot.get(key);
			if (j === undefined) {
				slot.set(key, pairs.length);
				pairs.push([key, 1]);
			} else pairs[j]![1]++;
		};
	};
	const [outcome, member, skill] = [tally(d.assistsByOutcome), tally(d.assistsByMember), tally(d.assistsBySkill)];
	for (const a of assists) {
		d.assistsOf[at(a.residentId)]!++;
		d.assists++;
		outcome(a.outcome);
		member(a.memberId);
		for (const code of new Set(a.skillCodes)) skill(code);
	}
	return d;
}

/** Who each resident was, as the period's check-ins say (the last one that carries it wins). */
export function digestResidents(digests: readonly SessionDigest[]): Map<string, TallyResident> {
	const residents = new Map<string, TallyResident>();
	for (const d of digests) {
		for (let i = 0; i < d.residentIds.length; i++) {
			if (d.flags[i]! & DIGEST_WHO) residents.set(d.residentIds[i]!, { id: d.residentIds[i]!, gender: d.genders[i] as Gender, birthYear: d.birthYears[i]! });
		}
	}
	return residents;
}

/** Residents the digests refer to whose check-ins did not say who they were: read them from the resident table. */
export function residentsMissing(digests: readonly SessionDigest[], known: ReadonlyMap<string, TallyResident>): string[] {
	const missing = new Set<string>();
	for (const d of digests) for (const id of d.residentIds) if (!known.has(id)) missing.add(id);
	return [...missing];
}

/**
 * The counts of the sessions together (one session: its own counts), as computeCounts gives them
 * over all their rows with `residents` (digestResidents, completed from the resident table).
 */
export function countDigests(digests: readonly SessionDigest[], residents: ReadonlyMap<string, TallyResident>, atYear: number): Counts {
	const counts = emptyCounts();
	const residentOf = (id: string) => {
		const r = residents.get(id);
		if (!r) throw new Error(`tally: unknown resident ${id}`);
		return r;
	};
	const seen = new Set<string>();
	const firstTimers = new Set<string>();
	const add = (record: Record<string, number>, key: string, n: number) => {
		record[key] = (Object.hasOwn(record, key) ? record[key]! : 0) + n;
	};
	for (const d of digests) {
		counts.checkIns += d.checkIns;
		counts.assists += d.assists;
		for (let i = 0; i < d.residentIds.length; i++) {
			const id = d.residentIds[i]!;
			const flags = d.flags[i]!;
			if (flags & DIGEST_FIRST_VISIT) firstTimers.add(id);
			if (flags & DIGEST_CHECKED_IN && !seen.has(id)) {
				seen.add(id);
				const r = residentOf(id);
				add(counts.residentsByGender, r.gender, 1);
				add(counts.residentsByAgeBand, ageBand(r.birthYear, atYear), 1);
			}
			const n = d.assistsOf[i]!;
			if (n > 0) {
				const r = residentOf(id);
				add(counts.assistsByGender, r.gender, n);
				add(counts.assistsByAgeBand, ageBand(r.birthYear, atYear), n);
			}
		}
		for (const [k, n] of d.assistsByOutcome) add(counts.assistsByOutcome, k, n);
		for (const [k, n] of d.assistsByMember) add(counts.assistsByMember, k, n);
		for (const [k, n] of d.assistsBySkill) add(counts.assistsBySkill, k, n);
	}
	counts.distinctResidents = seen.size;
	counts.firstTimeResidents = firstTimers.size;
	return counts;
}
