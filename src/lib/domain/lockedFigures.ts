// Numbers that never change silently: once a period's figures are approved they are the sum of
// the approval's snapshot (each session at the version approved), whatever arrives afterwards.
// A session that arrives, or is replaced by a newer version, after the approval is stored by the
// server as always, and shown apart here with its effect until the officer reopens and approves again.
import { addCounts, emptyCounts, type Counts } from './tally';

/** One session's counts at one version. */
export interface SessionFigures {
	sessionId: string;
	version: number;
	counts: Counts;
}

export interface LateArrival {
	sessionId: string;
	/** new: not in the approval; replaced: a newer version; withdrawn: approved but no longer held. */
	kind: 'new' | 'replaced' | 'withdrawn';
	/** The version approved (null for a new session). */
	approvedVersion: number | null;
	/** The version held now (null when withdrawn). */
	currentVersion: number | null;
	/** What it would change: current − approved. */
	delta: Counts;
}

export interface PeriodFigures {
	/** True when an approval fixes `figures`. */
	locked: boolean;
	/** What the report shows: the approved figures when locked, else everything held. */
	figures: Counts;
	sessions: number;
	/** Sessions that differ from the approval, in session-id order; empty when not locked. */
	lateArrivals: LateArrival[];
	/** The sum of the late arrivals' deltas. */
	lateDelta: Counts;
}

const negated = <K extends string>(record: Record<K, number>): Record<K, number> =>
	Object.fromEntries(Object.entries<number>(record).map(([key, n]) => [key, -n])) as Record<K, number>;

/** a − b: what replacing b by a changes. A skill or member whose difference is 0 is left out. */
export function subtractCounts(a: Counts, b: Counts): Counts {
	const difference = addCounts(a, {
		checkIns: -b.checkIns,
		distinctResidents: -b.distinctResidents,
		firstTimeResidents: -b.firstTimeResidents,
		residentsByGender: negated(b.residentsByGender),
		residentsByAgeBand: negated(b.residentsByAgeBand),
		assists: -b.assists,
		assistsByOutcome: negated(b.assistsByOutcome),
		assistsBySkill: negated(b.assistsBySkill),
		assistsByMember: negated(b.assistsByMember),
		assistsByGender: negated(b.assistsByGender),
		assistsByAgeBand: negated(b.assistsByAgeBand)
	});
	for (const record of [difference.assistsBySkill, difference.assistsByMember]) {
		for (const key of Object.keys(record)) if (record[key] === 0) delete record[key];
	}
	return difference;
}

export function sumCounts(sessions: readonly { counts: Counts }[]): Counts {
	return sessions.reduce((total, s) => addCounts(total, s.counts), emptyCounts());
}

/** The figures of a period given the approval's snapshot (null: not approved) and the sessions held now. */
export function periodFigures(snapshot: readonly SessionFigures[] | null, current: readonly SessionFigures[]): PeriodFigures {
	if (!snapshot) return { locked: false, figures: sumCounts(current), sessions: current.length, lateArrivals: [], lateDelta: emptyCounts() };
	const approved = new Map(snapshot.map((s) => [s.sessionId, s]));
	const held = new Map(current.map((s) => [s.sessionId, s]));
	const lateArrivals: LateArrival[] = [];
	for (const id of [...new Set([...approved.keys(), ...held.keys()])].sort()) {
		const was = approved.get(id);
		const now = held.get(id);
		if (was && now && was.version === now.version) continue;
		lateArrivals.push({
			sessionId: id,
			kind: !was ? 'new' : now ? 'replaced' : 'withdrawn',
			approvedVersion: was?.version ?? null,
			currentVersion: now?.version ?? null,
			delta: subtractCounts(now?.counts ?? emptyCounts(), was?.counts ?? emptyCounts())
		});
	}
	return {
		locked: true,
		figures: sumCounts(snapshot),
		sessions: snapshot.length,
		lateArrivals,
		lateDelta: lateArrivals.reduce((total, a) => addCounts(total, a.delta), emptyCounts())
	};
}

/** What approving a team locks: the sessions it holds now (teamApprovalProblem made sure they are
 * the ones its submission names, or, after a reopen, those and the late arrivals the officer reopened for). */
export function teamSnapshot(current: readonly SessionFigures[]): SessionFigures[] {
	return [...current].sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));
}

/**
 * What approving the commune's period locks: the figures its report shows at that moment, so an
 * approved team counts at its approved versions (its late arrivals stay apart) and any other team
 * with everything it holds.
 */
export function communeSnapshot(teams: readonly { snapshot: readonly SessionFigures[] | null; current: readonly SessionFigures[] }[]): SessionFigures[] {
	return teamSnapshot(teams.flatMap((t) => t.snapshot ?? t.current));
}
