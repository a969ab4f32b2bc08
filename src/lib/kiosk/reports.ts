// The leader's numbers: per-session tallies and the reporting period's totals, from local data.
import { emptyCounts, type Counts } from '$lib/domain/tally';
import { countDigests, digestResidents, residentsMissing } from '$lib/domain/sessionDigest';
import { periodRange, type Period, type PeriodKey } from '$lib/domain/period';
import type { KioskDb, SessionDigestRow, SessionRow } from './db';
import { digestFromRows, saveDigestsLater, usableDigest } from './sessionDigests';
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
 * What the tally needs of some sessions: each closed session's stored digest, or the digest of its
 * rows (an open session; one closed before digests existed, whose digest is then stored for next
 * time), and who the residents were. One `equals` query per session, not `anyOf`: Dexie runs
 * `equals` as one IndexedDB getAll on the index range, `anyOf` as a cursor stepping row by row.
 * Reading a month of rows was most of the tally's time (npm run bench); a digest is one record.
 */
async function sessionData(db: KioskDb, sessions: SessionRow[]) {
	const { digests, unsaved, residents } = await db.transaction('r', [db.sessionDigests, db.checkIns, db.assists, db.residents], async () => {
		const stored = await db.sessionDigests.bulkGet(sessions.map((s) => s.id));
		const unsaved: SessionDigestRow[] = [];
		const digests = await Promise.all(
			sessions.map(async (session, i) => {
				const usable = usableDigest(session, stored[i]);
				if (usable) return usable;
				const digest = await digestFromRows(db, session.id);
				if (session.status === 'closed') unsaved.push({ ...digest, sessionId: session.id, version: session.version });
				return digest;
			})
		);
		// Who each resident was comes with their check-in; only rows from before that (and an
		// assist whose check-in is gone, which closing prevents) need the resident table.
		const residents = digestResidents(digests);
		const missing = residentsMissing(digests, residents);
		if (missing.length > 0) for (const [id, r] of await tallyResidents(db, missing)) residents.set(id, r);
		return { digests, unsaved, residents };
	});
	saveDigestsLater(db, unsaved);
	return { digests, residents };
}

export async function sessionSummary(db: KioskDb, session: SessionRow): Promise<SessionSummary> {
	const { digests, residents } = await sessionData(db, [session]);
	return { session, counts: countDigests(digests, residents, Number(session.date.slice(0, 4))) };
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
	const { digests, residents } = await sessionData(db, sessions);
	const summaries = sessions.map((session, i) => ({ session, counts: countDigests([digests[i]!], residents, Number(session.date.slice(0, 4))) }));
	// First visits are per person: a resident's first-ever check-in falls in at most one session.
	const total = countDigests(digests, residents, Number(period.last.slice(0, 4)));
	return { period, sessions: summaries, total };
}
