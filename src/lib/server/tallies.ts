// Session tallies arriving from tablets, stored exactly once per session UUID: the same or an
// older version changes nothing, a newer version replaces the row and its per-skill and
// per-member counts, in one transaction. Concurrent identical uploads race on the primary key.
import { randomUUID } from 'node:crypto';
import { CompiledQuery, PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { periodOf, type PeriodRule } from '$lib/domain/period';
import { reportedOutcomes, type AnySessionTally } from '$lib/domain/tally';
import { TALLY_COUNT_COLUMNS, type Database, type SessionTallyTable } from './db/schema';
import { addToPeriodTotals, type CountedSession } from './periodTotals';

export type StoreOutcome = 'stored' | 'replaced' | 'unchanged';

export class SessionOwnedElsewhereError extends Error {
	constructor(sessionId: string) {
		super(`session ${sessionId} belongs to another team`);
		this.name = 'SessionOwnedElsewhereError';
	}
}

export function tallyRow(tally: AnySessionTally, deviceId: string, rule: PeriodRule, now: Date): SessionTallyTable {
	const at = now.toISOString();
	return {
		session_id: tally.sessionId,
		team_id: tally.teamId,
		device_id: deviceId,
		version: tally.version,
		session_date: tally.date,
		period: periodOf(tally.date, rule),
		started_at: tally.startedAt,
		ended_at: tally.endedAt,
		received_at: at,
		updated_at: at,
		check_ins: tally.checkIns,
		distinct_residents: tally.distinctResidents,
		first_time_residents: tally.firstTimeResidents,
		residents_male: tally.residentsByGender.male,
		residents_female: tally.residentsByGender.female,
		residents_under18: tally.residentsByAgeBand.under18,
		residents_18_39: tally.residentsByAgeBand.from18to39,
		residents_40_59: tally.residentsByAgeBand.from40to59,
		residents_60plus: tally.residentsByAgeBand.from60,
		assists: tally.assists,
		assists_done: tally.assistsByOutcome.done,
		assists_partly: tally.assistsByOutcome.partly,
		assists_referred: tally.assistsByOutcome.referred,
		assists_male: tally.assistsByGender.male,
		assists_female: tally.assistsByGender.female,
		assists_under18: tally.assistsByAgeBand.under18,
		assists_18_39: tally.assistsByAgeBand.from18to39,
		assists_40_59: tally.assistsByAgeBand.from40to59,
		assists_60plus: tally.assistsByAgeBand.from60,
		members_present: JSON.stringify(tally.membersPresent),
		// Schema 1 reported no outcomes: NULL, never 0.
		residents_newly_proficient: tally.schema === 2 ? tally.residentsNewlyProficient : null,
		households_newly_covered: tally.schema === 2 ? tally.householdsNewlyCovered : null
	};
}

/** The per-group counts worth a row (a schema 1 tally has none). */
function groupCounts(tally: AnySessionTally): [string, number][] {
	return Object.entries(reportedOutcomes(tally)?.residentsGainedByGroup ?? {}).filter(([, n]) => n > 0);
}

/** The breakdown rows a tally is stored with: only non-zero counts (demo and bench seeding write the same). */
export function breakdownRows(tally: AnySessionTally) {
	const session_id = tally.sessionId;
	return {
		groups: groupCounts(tally).map(([basic_group, count]) => ({ session_id, basic_group, count })),
		skills: Object.entries(tally.assistsBySkill)
			.filter(([, n]) => n > 0)
			.map(([skill_code, count]) => ({ session_id, skill_code, count })),
		members: Object.entries(tally.assistsByMember)
			.filter(([, n]) => n > 0)
			.map(([member_id, count]) => ({ session_id, member_id, count }))
	};
}

// INSERT texts built once per table, columns and row count: a batch runs them for every tally, and
// building and compiling them through Kysely's builder cost more than SQLite's work on them.
const insertTexts = new Map<string, string>();
async function insertRows<T extends keyof Database>(
	trx: Transaction<Database>,
	table: T,
	columns: readonly (keyof Database[T] & string)[],
	rows: readonly Database[T][],
	suffix = ''
): Promise<number> {
	if (rows.length === 0) return 0;
	const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
	const key = `${table}(${columns.join(',')})${rows.length}${suffix}${postgres}`;
	let text = insertTexts.get(key);
	if (text === undefined) {
		const n = columns.length;
		const values = rows.map((_, r) => `(${columns.map((_, c) => (postgres ? `$${r * n + c + 1}` : '?')).join(', ')})`).join(', ');
		text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}${suffix}`;
		if (insertTexts.size > 2000) insertTexts.clear();
		insertTexts.set(key, text);
	}
	const result = await trx.executeQuery(CompiledQuery.raw(text, rows.flatMap((row) => columns.map((c) => row[c] as unknown))));
	return result.rows.length;
}

async function writeBreakdowns(trx: Transaction<Database>, tally: AnySessionTally): Promise<Pick<CountedSession, 'skills' | 'groups'>> {
	const { groups, skills, members } = breakdownRows(tally);
	await insertRows(trx, 'tally_group_counts', ['session_id', 'basic_group', 'count'], groups);
	await insertRows(trx, 'tally_skill_counts', ['session_id', 'skill_code', 'count'], skills);
	await insertRows(trx, 'tally_member_counts', ['session_id', 'member_id', 'count'], members);
	return { skills, groups };
}

const AUDIT_COLUMNS = ['id', 'at', 'actor', 'action', 'subject', 'detail'] as const;

export type StoreInput = { tally: AnySessionTally; deviceId: string; rule: PeriodRule; now: Date; actor?: string };

/**
 * Stores a validated tally (see domain/tallySchema.ts) sent by `deviceId` of `tally.teamId`.
 * With `actor`, a change is audited in the same transaction (one commit per upload).
 */
export async function storeTally(db: Kysely<Database>, input: StoreInput): Promise<StoreOutcome> {
	// On PostgreSQL the insert is tried first, alone; when it finds the session (tallies are never
	// deleted) the transaction below goes straight to replace or unchanged.
	const triedInsert = isPostgres(db);
	if (triedInsert) {
		const tried = await storeNewOnPostgres(db, input.tally, tallyRow(input.tally, input.deviceId, input.rule, input.now), input);
		if (tried === 'stored') return 'stored';
		// A re-send (the tablet did not hear the answer) ends here, without a transaction: what it
		// holds only grows (versions), so a version held at least as new stays so. The same checks,
		// in the same order, as storeInTransaction's.
		if (tried) {
			if (tried.teamId !== input.tally.teamId) throw new SessionOwnedElsewhereError(input.tally.sessionId);
			if (tried.version >= input.tally.version) return 'unchanged';
		}
	}
	return db.transaction().execute((trx) => storeInTransaction(trx, input, triedInsert));
}

const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Several tallies, in order, each exactly as storeTally stores it; a tally of a session another
 * team holds is refused alone (its place in the answer holds the error). On SQLite all of them in
 * one transaction: one commit for a tablet's batch instead of one per tally, which bounded batch
 * ingest. On PostgreSQL each on its own, as storeTally does (one statement for a new session):
 * one long transaction would hold the team's period-sum rows for the whole batch.
 */
export async function storeTallies(db: Kysely<Database>, inputs: readonly StoreInput[]): Promise<(StoreOutcome | SessionOwnedElsewhereError)[]> {
	const each = async (store: (input: StoreInput) => Promise<StoreOutcome>) => {
		const out: (StoreOutcome | SessionOwnedElsewhereError)[] = [];
		for (const input of inputs) {
			try {
				out.push(await store(input));
			} catch (e) {
				if (!(e instanceof SessionOwnedElsewhereError)) throw e;
				out.push(e);
			}
		}
		return out;
	};
	if (isPostgres(db)) return each((input) => storeTally(db, input));
	// The refusal is found by a read, before anything of that tally is written: the transaction goes on.
	// The period sums of the whole batch are added once, at the end (a batch of one team's tallies
	// touches a few sum rows, not one set per tally); nothing reads them inside the transaction.
	return db.transaction().execute(async (trx) => {
		const sums: SumChange[] = [];
		const out = await each((input) => storeInTransaction(trx, input, false, sums));
		await addToPeriodTotals(trx, sums);
		return out;
	});
}

type SumChange = { session: CountedSession; sign: 1 | -1 };

/**
 * The insert (unless PostgreSQL's statement already tried it), else replace or unchanged, in `trx`.
 * The changes to the period sums go to `sums` when given (the caller adds them before its commit),
 * else into the tables at once.
 */
async function storeInTransaction(trx: Transaction<Database>, input: StoreInput, triedInsert: boolean, sums?: SumChange[]): Promise<StoreOutcome> {
	const addSums = async (changes: SumChange[]) => (sums ? void sums.push(...changes) : addToPeriodTotals(trx, changes));
	const { tally } = input;
	const row = tallyRow(tally, input.deviceId, input.rule, input.now);
	const audit = async (outcome: StoreOutcome) => {
		if (!input.actor) return;
		// What recordAudit writes, through the prepared text.
		const entry = {
			id: randomUUID(),
			at: input.now.toISOString(),
			actor: input.actor,
			action: `tally.${outcome}`,
			subject: `team:${tally.teamId}`,
			detail: JSON.stringify({ sessionId: tally.sessionId, version: tally.version })
		};
		await insertRows(trx, 'audit_events', AUDIT_COLUMNS, [entry]);
	};
	const inserted =
		!triedInsert &&
		(await insertRows(trx, 'session_tallies', Object.keys(row) as (keyof SessionTallyTable)[], [row], ' ON CONFLICT (session_id) DO NOTHING RETURNING session_id')) > 0;
	if (inserted) {
		const breakdowns = await writeBreakdowns(trx, tally);
		await addSums([{ session: { row, ...breakdowns }, sign: 1 }]);
		await audit('stored');
		return 'stored';
	}
	// The row as held, locked on PostgreSQL until the commit: what a replacement takes out of
	// the period sums must be what it replaces, not a version another upload has just replaced.
	const existing = await trx
		.selectFrom('session_tallies')
		.selectAll()
		.where('session_id', '=', tally.sessionId)
		.$if(triedInsert, (q) => q.forUpdate())
		.executeTakeFirst();
	if (!existing) throw new Error(`session ${tally.sessionId} was neither stored nor found`);
	if (existing.team_id !== tally.teamId) throw new SessionOwnedElsewhereError(tally.sessionId);
	if (existing.version >= tally.version) return 'unchanged';
	const oldSkills = await trx.selectFrom('tally_skill_counts').select(['skill_code', 'count']).where('session_id', '=', tally.sessionId).execute();
	const oldGroups = await trx.selectFrom('tally_group_counts').select(['basic_group', 'count']).where('session_id', '=', tally.sessionId).execute();
	const { received_at: _firstArrival, ...newer } = row;
	await trx.updateTable('session_tallies').set(newer).where('session_id', '=', tally.sessionId).execute();
	await trx.deleteFrom('tally_skill_counts').where('session_id', '=', tally.sessionId).execute();
	await trx.deleteFrom('tally_member_counts').where('session_id', '=', tally.sessionId).execute();
	await trx.deleteFrom('tally_group_counts').where('session_id', '=', tally.sessionId).execute();
	const breakdowns = await writeBreakdowns(trx, tally);
	await addSums([
		{ session: { row: existing, skills: oldSkills, groups: oldGroups }, sign: -1 },
		{ session: { row: { ...row, received_at: existing.received_at }, ...breakdowns }, sign: 1 }
	]);
	await audit('replaced');
	return 'replaced';
}

/**
 * PostgreSQL, a session not seen before: the tally row, its counts and the audit row in one
 * statement (data-modifying CTEs, atomic on their own), one round trip instead of six (BEGIN, four
 * INSERTs, COMMIT); ingest over HTTP was bound by round trips (npm run bench). The counts and the
 * audit row are inserted only if the tally row was. When the session exists, the same statement
 * reads who holds it and its version (the caller answers a re-send from that); null when that row
 * is not yet visible to the statement (a concurrent upload's commit): the caller's transaction
 * then decides between replaced, unchanged and another team's.
 */
async function storeNewOnPostgres(
	db: Kysely<Database>,
	tally: AnySessionTally,
	row: SessionTallyTable,
	input: { now: Date; actor?: string }
): Promise<'stored' | { teamId: string; version: number } | null> {
	const columns = Object.keys(row) as (keyof SessionTallyTable)[];
	const counts = (entries: [string, number][]) =>
		entries.length > 0 ? sql.join(entries.map(([key, n]) => sql`(${key}, ${n}::integer)`)) : sql`(NULL::text, NULL::integer)`;
	// Sorted: uploads of one team take the period sums' row locks in the same order.
	const byKey = (a: [string, number], b: [string, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
	const skills = Object.entries(tally.assistsBySkill).filter(([, n]) => n > 0).sort(byKey);
	const members = Object.entries(tally.assistsByMember).filter(([, n]) => n > 0);
	const groups = groupCounts(tally).sort(byKey);
	const int = (n: number) => sql`${n}::integer`;
	const outcome = row.residents_newly_proficient !== null;
	const audit = input.actor
		? sql`, a AS (INSERT INTO audit_events (id, at, actor, action, subject, detail)
			SELECT ${randomUUID()}, ${input.now.toISOString()}, ${input.actor}, 'tally.stored', ${`team:${tally.teamId}`},
				${JSON.stringify({ sessionId: tally.sessionId, version: tally.version })} FROM t)`
		: sql``;
	const result = await sql<{ inserted: string | null; held_team: string | null; held_version: number | null }>`
		WITH t AS (
			INSERT INTO session_tallies (${sql.join(columns.map((c) => sql.ref(c)))})
			VALUES (${sql.join(columns.map((c) => row[c]))})
			ON CONFLICT (session_id) DO NOTHING
			RETURNING session_id
		), s AS (
			INSERT INTO tally_skill_counts (session_id, skill_code, count)
			SELECT t.session_id, v.code, v.n FROM t, (VALUES ${counts(skills)}) AS v(code, n) WHERE v.code IS NOT NULL
		), m AS (
			INSERT INTO tally_member_counts (session_id, member_id, count)
			SELECT t.session_id, v.id, v.n FROM t, (VALUES ${counts(members)}) AS v(id, n) WHERE v.id IS NOT NULL
		), g AS (
			INSERT INTO tally_group_counts (session_id, basic_group, count)
			SELECT t.session_id, v.g, v.n FROM t, (VALUES ${counts(groups)}) AS v(g, n) WHERE v.g IS NOT NULL
		), pt AS (
			INSERT INTO team_period_totals (period, team_id, sessions, first_received_at, outcome_sessions, residents_newly_proficient, households_newly_covered,
				${sql.join(TALLY_COUNT_COLUMNS.map((c) => sql.ref(c)))})
			SELECT ${row.period}, ${row.team_id}, 1, ${row.received_at}, ${int(outcome ? 1 : 0)}, ${int(row.residents_newly_proficient ?? 0)}, ${int(row.households_newly_covered ?? 0)},
				${sql.join(TALLY_COUNT_COLUMNS.map((c) => int(row[c])))}
			FROM t
			ON CONFLICT (period, team_id) DO UPDATE SET
				sessions = team_period_totals.sessions + 1,
				first_received_at = LEAST(team_period_totals.first_received_at, excluded.first_received_at),
				${sql.join(
					['outcome_sessions', 'residents_newly_proficient', 'households_newly_covered', ...TALLY_COUNT_COLUMNS].map((c) => sql`${sql.ref(c)} = ${sql.ref(`team_period_totals.${c}`)} + ${sql.ref(`excluded.${c}`)}`)
				)}
		), ps AS (
			INSERT INTO team_period_skills (period, team_id, skill_code, assists)
			SELECT ${row.period}, ${row.team_id}, v.code, v.n FROM t, (VALUES ${counts(skills)}) AS v(code, n) WHERE v.code IS NOT NULL
			ON CONFLICT (period, team_id, skill_code) DO UPDATE SET assists = team_period_skills.assists + excluded.assists
		), pg AS (
			INSERT INTO team_period_groups (period, team_id, basic_group, residents)
			SELECT ${row.period}, ${row.team_id}, v.g, v.n FROM t, (VALUES ${counts(groups)}) AS v(g, n) WHERE v.g IS NOT NULL
			ON CONFLICT (period, team_id, basic_group) DO UPDATE SET residents = team_period_groups.residents + excluded.residents
		)${audit}
		SELECT (SELECT session_id FROM t) AS inserted, h.team_id AS held_team, h.version AS held_version
		FROM (SELECT 1) AS one LEFT JOIN session_tallies h ON h.session_id = ${tally.sessionId} AND NOT EXISTS (SELECT 1 FROM t)`.execute(db);
	const answer = result.rows[0];
	if (answer?.inserted) return 'stored';
	return answer?.held_team != null && answer.held_version != null ? { teamId: answer.held_team, version: answer.held_version } : null;
}
