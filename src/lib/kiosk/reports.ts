// The leader's numbers: per-session tallies and the reporting period's totals, from local data.
import { computeCounts, emptyCounts, type Counts } from '$lib/domain/tally';
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

async function countsFor(db: KioskDb, sessionIds: string[], atYear: number): Promise<Counts> {
	if (sessionIds.length === 0) return emptyCounts();
	const [checkIns, assists] = await Promise.all([
		db.checkIns.where('sessionId').anyOf(sessionIds).toArray(),
		db.assists.where('sessionId').anyOf(sessionIds).toArray()
	]);
	const residents = await tallyResidents(db, [...checkIns.map((c) => c.residentId), ...assists.map((a) => a.residentId)]);
	// First visits are per person: a resident's first-ever check-in falls in at most one session.
	return computeCounts({ residents, checkIns, assists, atYear });
}

export async function sessionSummary(db: KioskDb, session: SessionRow): Promise<SessionSummary> {
	return { session, counts: await countsFor(db, [session.id], Number(session.date.slice(0, 4))) };
}

export async function periodSummary(db: KioskDb, key: PeriodKey): Promise<PeriodSummary> {
	const period = periodRange(key, await periodRule(db));
	const sessions = await db.sessions.where('date').between(period.first, period.last, true, true).sortBy('startedAt');
	const atYear = Number(period.last.slice(0, 4));
	const summaries = await Promise.all(sessions.map((s) => sessionSummary(db, s)));
	return { period, sessions: summaries, total: await countsFor(db, sessions.map((s) => s.id), atYear) };
}
