// Each team's sums per period, kept beside the sessions they add up (migration 0009): the monthly
// report reads a province's 5,000 team rows instead of summing its ~40,000 sessions (and their
// per-skill rows) on every request, and "since the start" reads 24 rows per team instead of every
// session ever stored. Every writer of sessions keeps them in the same transaction: storeTally
// (stored, replaced), the bulk seeding (demoData) and the period rule's refile (settings.ts), which
// rebuilds them. The sums are exactly what summing the sessions gives; tests compare the two.
import { CompiledQuery, PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { TALLY_COUNT_COLUMNS, type Database, type SessionTallyTable, type TeamPeriodGroupsTable, type TeamPeriodSkillsTable, type TeamPeriodTotalsTable, type PeriodTotalsTables } from './db/schema';

type CountColumn = (typeof TALLY_COUNT_COLUMNS)[number];

type Executor = Kysely<Database> | Transaction<Database>;

/** One session as it counts in the sums: its row, and its non-zero per-skill and per-group counts. */
export interface CountedSession {
	row: Pick<SessionTallyTable, 'team_id' | 'period' | 'received_at' | CountColumn | 'residents_newly_proficient' | 'households_newly_covered'>;
	skills: readonly { skill_code: string; count: number }[];
	groups: readonly { basic_group: string; count: number }[];
}

const keyOf = (period: string, teamId: string) => `${period}\u0000${teamId}`;

interface Delta {
	totals: Map<string, TeamPeriodTotalsTable>;
	skills: Map<string, TeamPeriodSkillsTable>;
	groups: Map<string, TeamPeriodGroupsTable>;
	/** Team-periods a session left: their earliest arrival is read again, and emptied rows go. */
	left: Map<string, { period: string; team_id: string }>;
}

/** The sessions' sums per team and period, `sign` -1 to take sessions out. Pure. */
export function periodDelta(sessions: readonly { session: CountedSession; sign: 1 | -1 }[]): Delta {
	const delta: Delta = { totals: new Map(), skills: new Map(), groups: new Map(), left: new Map() };
	for (const { session, sign } of sessions) {
		const { row } = session;
		const key = keyOf(row.period, row.team_id);
		let t = delta.totals.get(key);
		if (!t) {
			t = {
				period: row.period,
				team_id: row.team_id,
				sessions: 0,
				// A placeholder that never wins the MIN when only sessions leave (see applyPeriodDelta).
				first_received_at: '\uffff',
				outcome_sessions: 0,
				residents_newly_proficient: 0,
				households_newly_covered: 0,
				...(Object.fromEntries(TALLY_COUNT_COLUMNS.map((c) => [c, 0])) as Record<CountColumn, number>)
			};
			delta.totals.set(key, t);
		}
		t.sessions += sign;
		for (const c of TALLY_COUNT_COLUMNS) t[c] += sign * row[c];
		if (row.residents_newly_proficient !== null) {
			t.outcome_sessions += sign;
			t.residents_newly_proficient += sign * row.residents_newly_proficient;
		}
		t.households_newly_covered += sign * (row.households_newly_covered ?? 0);
		if (sign > 0 && row.received_at < t.first_received_at) t.first_received_at = row.received_at;
		if (sign < 0) delta.left.set(key, { period: row.period, team_id: row.team_id });
		for (const s of session.skills) {
			const k = `${key}\u0000${s.skill_code}`;
			const sum = delta.skills.get(k) ?? { period: row.period, team_id: row.team_id, skill_code: s.skill_code, assists: 0 };
			sum.assists += sign * s.count;
			delta.skills.set(k, sum);
		}
		for (const g of session.groups) {
			const k = `${key}\u0000${g.basic_group}`;
			const sum = delta.groups.get(k) ?? { period: row.period, team_id: row.team_id, basic_group: g.basic_group, residents: 0 };
			sum.residents += sign * g.count;
			delta.groups.set(k, sum);
		}
	}
	return delta;
}

// Multi-row upserts: the bound parameters per statement stay far under SQLite's 32,766.
const ROWS_PER_STATEMENT = 500;
const sortedBy = <T>(rows: Iterable<T>, key: (r: T) => string) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

const TOTALS_COLUMNS = ['period', 'team_id', 'sessions', 'first_received_at', 'outcome_sessions', 'residents_newly_proficient', 'households_newly_covered', ...TALLY_COUNT_COLUMNS] as const;
const ADDED_COLUMNS = TOTALS_COLUMNS.filter((c) => c !== 'period' && c !== 'team_id' && c !== 'first_received_at');

interface Upsert<R> {
	table: keyof PeriodTotalsTables;
	columns: readonly (keyof R & string)[];
	conflict: string;
	set: string;
}
const UPSERTS = {
	totals: {
		table: 'team_period_totals',
		columns: TOTALS_COLUMNS,
		conflict: 'period, team_id',
		set: [
			// The earlier arrival; ISO-8601 UTC text sorts as time.
			'first_received_at = CASE WHEN excluded.first_received_at < team_period_totals.first_received_at THEN excluded.first_received_at ELSE team_period_totals.first_received_at END',
			...ADDED_COLUMNS.map((c) => `${c} = team_period_totals.${c} + excluded.${c}`)
		].join(', ')
	} satisfies Upsert<TeamPeriodTotalsTable>,
	skills: { table: 'team_period_skills', columns: ['period', 'team_id', 'skill_code', 'assists'], conflict: 'period, team_id, skill_code', set: 'assists = team_period_skills.assists + excluded.assists' } satisfies Upsert<TeamPeriodSkillsTable>,
	groups: { table: 'team_period_groups', columns: ['period', 'team_id', 'basic_group', 'residents'], conflict: 'period, team_id, basic_group', set: 'residents = team_period_groups.residents + excluded.residents' } satisfies Upsert<TeamPeriodGroupsTable>
};

// The statements' text by engine and row count. Built once: every upload runs them, and building
// and compiling them through Kysely's builder was a fifth of the server's CPU per tally.
const upsertText = new Map<string, string>();
function upsertSql(upsert: Upsert<never>, rows: number, postgres: boolean): string {
	const key = `${upsert.table}:${rows}:${postgres}`;
	let text = upsertText.get(key);
	if (text === undefined) {
		const n = upsert.columns.length;
		const values = Array.from({ length: rows }, (_, r) => `(${upsert.columns.map((_, c) => (postgres ? `$${r * n + c + 1}` : '?')).join(', ')})`).join(', ');
		text = `INSERT INTO ${upsert.table} (${upsert.columns.join(', ')}) VALUES ${values} ON CONFLICT (${upsert.conflict}) DO UPDATE SET ${upsert.set}`;
		upsertText.set(key, text);
	}
	return text;
}

async function upsertAll<R>(db: Executor, upsert: Upsert<R>, rows: readonly R[]): Promise<void> {
	const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
	for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
		const part = rows.slice(i, i + ROWS_PER_STATEMENT);
		const params = part.flatMap((r) => upsert.columns.map((c) => r[c] as unknown));
		await db.executeQuery(CompiledQuery.raw(upsertSql(upsert as Upsert<never>, part.length, postgres), params));
	}
}

/**
 * Adds the sessions' sums into the tables (in the caller's transaction). Rows are written in key
 * order, so two uploads of one team on PostgreSQL take their row locks in the same order.
 */
export async function addToPeriodTotals(db: Executor, sessions: readonly { session: CountedSession; sign: 1 | -1 }[]): Promise<void> {
	const delta = periodDelta(sessions);
	await upsertAll(db, UPSERTS.totals, sortedBy(delta.totals.values(), (t) => keyOf(t.period, t.team_id)));
	await upsertAll(db, UPSERTS.skills, sortedBy(delta.skills.values(), (s) => `${keyOf(s.period, s.team_id)}\u0000${s.skill_code}`));
	await upsertAll(db, UPSERTS.groups, sortedBy(delta.groups.values(), (g) => `${keyOf(g.period, g.team_id)}\u0000${g.basic_group}`));
	// Where a session left (a replaced tally, or one whose date moved it), rows that now add up
	// nothing go (the report reads a row as "reported"), and the earliest arrival is read again
	// from the sessions, which the caller has already written.
	for (const { period, team_id } of delta.left.values()) {
		await db.deleteFrom('team_period_skills').where('period', '=', period).where('team_id', '=', team_id).where('assists', '=', 0).execute();
		await db.deleteFrom('team_period_groups').where('period', '=', period).where('team_id', '=', team_id).where('residents', '=', 0).execute();
		await db.deleteFrom('team_period_totals').where('period', '=', period).where('team_id', '=', team_id).where('sessions', '<=', 0).execute();
		await db
			.updateTable('team_period_totals')
			.set((eb) => ({
				first_received_at: eb
					.selectFrom('session_tallies')
					.select((s) => s.fn.coalesce(s.fn.min('received_at'), sql.lit('')).as('first'))
					.where('session_tallies.period', '=', period)
					.where('session_tallies.team_id', '=', team_id)
					.$castTo<string>()
			}))
			.where('period', '=', period)
			.where('team_id', '=', team_id)
			.execute();
	}
}

/**
 * The sums of every session as stored, from scratch (the period rule's refile moves sessions across
 * periods by the thousand). On PostgreSQL the tables are locked first, so an upload that commits
 * meanwhile adds its session after the rebuild, never into sums that already hold it.
 */
export async function rebuildPeriodTotals(trx: Transaction<Database>): Promise<void> {
	if (trx.getExecutor().adapter instanceof PostgresAdapter) {
		await sql`LOCK TABLE team_period_totals, team_period_skills, team_period_groups IN EXCLUSIVE MODE`.execute(trx);
	}
	await trx.deleteFrom('team_period_skills').execute();
	await trx.deleteFrom('team_period_groups').execute();
	await trx.deleteFrom('team_period_totals').execute();
	await sql`${sql.raw(PERIOD_TOTALS_FROM_SESSIONS)}`.execute(trx);
	await sql`${sql.raw(PERIOD_SKILLS_FROM_SESSIONS)}`.execute(trx);
	await sql`${sql.raw(PERIOD_GROUPS_FROM_SESSIONS)}`.execute(trx);
}

const COUNT_LIST = TALLY_COUNT_COLUMNS.join(', ');
/** Every team-period's sums from the sessions (portable SQL; migration 0009 back-fills with its own copy). */
export const PERIOD_TOTALS_FROM_SESSIONS = `INSERT INTO team_period_totals (period, team_id, sessions, first_received_at, outcome_sessions, residents_newly_proficient, households_newly_covered, ${COUNT_LIST})
	SELECT period, team_id, COUNT(*), MIN(received_at), COUNT(residents_newly_proficient), COALESCE(SUM(residents_newly_proficient), 0), COALESCE(SUM(households_newly_covered), 0),
		${TALLY_COUNT_COLUMNS.map((c) => `SUM(${c})`).join(', ')}
	FROM session_tallies GROUP BY period, team_id`;
export const PERIOD_SKILLS_FROM_SESSIONS = `INSERT INTO team_period_skills (period, team_id, skill_code, assists)
	SELECT st.period, st.team_id, k.skill_code, SUM(k.count) FROM session_tallies st JOIN tally_skill_counts k ON k.session_id = st.session_id
	GROUP BY st.period, st.team_id, k.skill_code HAVING SUM(k.count) <> 0`;
export const PERIOD_GROUPS_FROM_SESSIONS = `INSERT INTO team_period_groups (period, team_id, basic_group, residents)
	SELECT st.period, st.team_id, g.basic_group, SUM(g.count) FROM session_tallies st JOIN tally_group_counts g ON g.session_id = st.session_id
	GROUP BY st.period, st.team_id, g.basic_group HAVING SUM(g.count) <> 0`;
