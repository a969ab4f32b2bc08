// The leader's numbers: per-session tallies and the reporting period's totals, from local data.
import { computeCounts, emptyCounts, type Counts, type TallyResident } from '$lib/domain/tally';
import { periodRange, type Period, type PeriodKey } from '$lib/domain/period';
import type { KioskDb, SessionRow } from './db';
import { tallyResidents } from './sessions';
import { periodRule } from './team';

export interface SessionSummary {
	session: SessionRow;
	counts: Counts;
}

export interface PeriodSummary {
	period: Period;
	sessions: SessionSummary[];
	/** Counted over the whole period: a resident who came twice is one distinct resident. */
	total: Counts;
}

/**
 * The check-ins and assists of some sessions, with the residents they refer to. One `equals`
 * query per session, not `anyOf`: Dexie runs `equals` as one IndexedDB getAll on the index range,
 * but `anyOf` as a cursor stepping row by row through the index, which with a year of data
 * (100,000 assists) took seconds for a month instead of about a tenth of a second (npm run bench).
 */
async function sessionData(db: KioskDb, sessionIds: string[]) {
	const perSession = <T>(query: (sessionId: string) => Promise<T[]>) => Promise.all(sessionIds.map(query)).then((groups) => groups.flat());
	return db.transaction('r', [db.checkIns, db.assists, db.residents], async () => {
		const [checkIns, assists] = await Promise.all([
			perSession((id) => db.checkIns.where('sessionId').equals(id).toArray()),
			perSession((id) => db.assists.where('sessionId').equals(id).toArray())
		]);
		// Who each resident was comes with their check-in; only rows from before that (and an
		// assist whose check-in is gone, which closing prevents) need the resident table.
		const residents = new Map<string, TallyResident>();
		for (const c of checkIns) if (c.gender && c.birthYear !== undefined) residents.set(c.residentId, { id: c.residentId, gender: c.gender, birthYear: c.birthYear });
		const missing = [...checkIns, ...assists].map((row) => row.residentId).filter((id) => !residents.has(id));
		if (missing.length > 0) for (const [id, r] of await tallyResidents(db, missing)) residents.set(id, r);
		return { checkIns, assists, residents };
	});
}

export async function sessionSummary(db: KioskDb, session: SessionRow): Promise<SessionSummary> {
	const data = await sessionData(db, [session.id]);
	return { session, counts: computeCounts({ ...data, atYear: Number(session.date.slice(0, 4)) }) };
}

/** User-timing name of one periodSummary call (npm run bench reads it from the leader view). */
export const PERIOD_TALLY_MEASURE = 'tramso:period-tally';

/**
 * The period's sessions, each counted, and the period's total. Each call leaves a
 * `performance.measure` named PERIOD_TALLY_MEASURE (cheap; DevTools and the bench read it) whose
 * detail says how much it counted.
 */
export async function periodSummary(db: KioskDb, key: PeriodKey): Promise<PeriodSummary> {
	const start = performance.now();
	const summary = await computePeriodSummary(db, key);
	const { total } = summary;
	performance.measure(PERIOD_TALLY_MEASURE, {
		start,
		detail: { period: key, sessions: summary.sessions.length, checkIns: total.checkIns, assists: total.assists }
	});
	return summary;
}

async function computePeriodSummary(db: KioskDb, key: PeriodKey): Promise<PeriodSummary> {
	const period = periodRange(key, await periodRule(db));
	const sessions = await db.sessions.where('date').between(period.first, period.last, true, true).sortBy('startedAt');
	if (sessions.length === 0) return { period, sessions: [], total: emptyCounts() };
	// Read the period once, then count each session from it and the whole period.
	const { checkIns, assists, residents } = await sessionData(db, sessions.map((s) => s.id));
	const bySession = <T extends { sessionId: string }>(rows: T[]) => {
		const groups = new Map<string, T[]>();
		for (const row of rows) {
			const group = groups.get(row.sessionId);
			if (group) group.push(row);
			else groups.set(row.sessionId, [row]);
		}
		return groups;
	};
	const [checkInsOf, assistsOf] = [bySession(checkIns), bySession(assists)];
	const summaries = sessions.map((session) => ({
		session,
		counts: computeCounts({
			residents,
			checkIns: checkInsOf.get(session.id) ?? [],
			assists: assistsOf.get(session.id) ?? [],
			atYear: Number(session.date.slice(0, 4))
		})
	}));
	// First visits are per person: a resident's first-ever check-in falls in at most one session.
	const total = computeCounts({ residents, checkIns, assists, atYear: Number(period.last.slice(0, 4)) });
	return { period, sessions: summaries, total };
}
