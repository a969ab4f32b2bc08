// The storage engine's own ceiling for tally ingest: the same rows the server writes for one
// upload (the tally row, its per-skill and per-member counts, the audit row, and the additions to
// the team's period sums that the report reads, lib/server/periodTotals.ts), inserted straight
// through the driver (better-sqlite3 or pg) in this process, one transaction per tally as the
// server commits them. No Kysely, no validation, no HTTP: what the bench compares HTTP against.
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { DEFAULT_PERIOD_RULE } from '../src/lib/domain/period';
import type { SessionTally } from '../src/lib/domain/tally';
import type { Engine } from '../src/lib/server/db/connect';
import { tallyRow } from '../src/lib/server/tallies';
import { TALLY_COUNT_COLUMNS } from '../src/lib/server/db/schema';

type Row = Record<string, string | number | null>;

interface Statements {
	tally: string;
	skill: string;
	member: string;
	audit: string;
	periodTotals: string;
}

function rowsOf(tally: SessionTally, now: Date) {
	const row = tallyRow(tally, 'bench-driver', DEFAULT_PERIOD_RULE, now) as unknown as Row;
	// In key order, as storeTally takes the period sums' row locks.
	const skills = Object.entries(tally.assistsBySkill).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1));
	const members = Object.entries(tally.assistsByMember).filter(([, n]) => n > 0);
	const audit = [randomUUID(), now.toISOString(), 'device:bench-driver', 'tally.stored', `team:${tally.teamId}`, JSON.stringify({ sessionId: tally.sessionId, version: tally.version })];
	return { row, skills, members, audit };
}

function statements(columns: string[], placeholder: (i: number) => string): Statements {
	const p = (from: number, n: number) => Array.from({ length: n }, (_, i) => placeholder(from + i)).join(', ');
	return {
		tally: `INSERT INTO session_tallies (${columns.join(', ')}) VALUES (${p(1, columns.length)}) ON CONFLICT (session_id) DO NOTHING`,
		skill: `INSERT INTO tally_skill_counts (session_id, skill_code, count) VALUES (${p(1, 3)})`,
		member: `INSERT INTO tally_member_counts (session_id, member_id, count) VALUES (${p(1, 3)})`,
		audit: `INSERT INTO audit_events (id, at, actor, action, subject, detail) VALUES (${p(1, 6)})`,
		periodTotals: `INSERT INTO team_period_totals (period, team_id, sessions, first_received_at, outcome_sessions, residents_newly_proficient, households_newly_covered, ${TALLY_COUNT_COLUMNS.join(', ')})
			VALUES (${p(1, 7 + TALLY_COUNT_COLUMNS.length)})
			ON CONFLICT (period, team_id) DO UPDATE SET sessions = team_period_totals.sessions + excluded.sessions,
				first_received_at = CASE WHEN excluded.first_received_at < team_period_totals.first_received_at THEN excluded.first_received_at ELSE team_period_totals.first_received_at END,
				${['outcome_sessions', 'residents_newly_proficient', 'households_newly_covered', ...TALLY_COUNT_COLUMNS].map((c) => `${c} = team_period_totals.${c} + excluded.${c}`).join(', ')}`
	};
}

/** The tally's additions to its team's period sums: the totals row's values, then each skill's. */
function periodSums(row: Row, skills: [string, number][]) {
	const proficient = row.residents_newly_proficient as number | null;
	const totals = [row.period, row.team_id, 1, row.received_at, proficient === null ? 0 : 1, proficient ?? 0, (row.households_newly_covered as number | null) ?? 0, ...TALLY_COUNT_COLUMNS.map((c) => row[c])];
	return { totals, skills: skills.map(([code, n]) => [row.period, row.team_id, code, n]) };
}

function periodSkills(rows: number, placeholder: (i: number) => string): string {
	const values = Array.from({ length: rows }, (_, r) => `(${[1, 2, 3, 4].map((k) => placeholder(r * 4 + k)).join(', ')})`).join(', ');
	return `INSERT INTO team_period_skills (period, team_id, skill_code, assists) VALUES ${values}
		ON CONFLICT (period, team_id, skill_code) DO UPDATE SET assists = team_period_skills.assists + excluded.assists`;
}

function multiRow(table: string, key: string, rows: number): string {
	const values = Array.from({ length: rows }, (_, r) => `($${r * 3 + 1}, $${r * 3 + 2}, $${r * 3 + 3})`).join(', ');
	return `INSERT INTO ${table} (session_id, ${key}, count) VALUES ${values}`;
}

export interface DriverInserter {
	/** Inserts each tally in its own transaction, `concurrency` at a time (SQLite's driver is synchronous: one). */
	insert(tally: SessionTally): Promise<void>;
	close(): Promise<void>;
}

export async function openDriverInserter(engine: Engine, url: string, concurrency: number): Promise<DriverInserter> {
	if (engine === 'sqlite') {
		const { default: SQLite } = await import('better-sqlite3');
		const sqlite = new SQLite(url.replace(/^(sqlite|file):(\/\/)?/, ''));
		sqlite.pragma('journal_mode = WAL');
		// The server's pragmas (src/lib/server/db/connect.ts), so the ceiling does the same work.
		sqlite.pragma('synchronous = NORMAL');
		sqlite.pragma('foreign_keys = ON');
		sqlite.pragma('busy_timeout = 5000');
		type Prepared = Record<keyof Statements, Statement<unknown[]>> & { columns: string[]; periodSkill: Statement<unknown[]> };
		let prepared: Prepared | null = null;
		return {
			async insert(tally) {
				const { row, skills, members, audit } = rowsOf(tally, new Date());
				if (!prepared) {
					const columns = Object.keys(row);
					const sql = statements(columns, () => '?');
					prepared = {
						columns,
						tally: sqlite.prepare(sql.tally),
						skill: sqlite.prepare(sql.skill),
						member: sqlite.prepare(sql.member),
						audit: sqlite.prepare(sql.audit),
						periodTotals: sqlite.prepare(sql.periodTotals),
						periodSkill: sqlite.prepare(periodSkills(1, () => '?'))
					};
				}
				const s = prepared;
				sqlite.transaction(() => {
					s.tally.run(s.columns.map((c) => row[c]));
					for (const [code, n] of skills) s.skill.run(tally.sessionId, code, n);
					for (const [id, n] of members) s.member.run(tally.sessionId, id, n);
					s.audit.run(audit);
					const sums = periodSums(row, skills);
					s.periodTotals.run(sums.totals);
					for (const values of sums.skills) s.periodSkill.run(values);
				})();
			},
			async close() {
				sqlite.close();
			}
		};
	}
	const { default: pg } = await import('pg');
	const pool = new pg.Pool({ connectionString: url, max: concurrency });
	return {
		async insert(tally) {
			const { row, skills, members, audit } = rowsOf(tally, new Date());
			const columns = Object.keys(row);
			const sql = statements(columns, (i) => `$${i}`);
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				await client.query(sql.tally, columns.map((c) => row[c]));
				// One multi-row INSERT per table, as Kysely's `.values([...])` sends them.
				if (skills.length > 0) await client.query(multiRow('tally_skill_counts', 'skill_code', skills.length), skills.flatMap(([code, n]) => [tally.sessionId, code, n]));
				if (members.length > 0) await client.query(multiRow('tally_member_counts', 'member_id', members.length), members.flatMap(([id, n]) => [tally.sessionId, id, n]));
				await client.query(sql.audit, audit);
				const sums = periodSums(row, skills);
				await client.query(sql.periodTotals, sums.totals);
				if (sums.skills.length > 0) await client.query(periodSkills(sums.skills.length, (i) => `$${i}`), sums.skills.flat());
				await client.query('COMMIT');
			} catch (e) {
				await client.query('ROLLBACK').catch(() => {});
				throw e;
			} finally {
				client.release();
			}
		},
		close: () => pool.end()
	};
}
