// Opens the server database: an SQLite file by default (better-sqlite3, WAL), PostgreSQL when
// DATABASE_URL is a postgres:// URL. Everything above this file speaks Kysely only.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Database } from './schema';
import { migrateToLatest } from './migrations';

export type Engine = 'sqlite' | 'postgres';

export interface ServerDb {
	db: Kysely<Database>;
	engine: Engine;
	/** PostgreSQL only: the schema the tables live in (from `options=-c search_path=…`, else public). */
	pgSchema?: string;
	close(): Promise<void>;
}

export const DEFAULT_SQLITE_PATH = './data/tramso.db';

/**
 * Held while migrating on PostgreSQL. Kysely's migrator inspects every table of the database,
 * which fails if another process is creating or dropping tables (another schema's migrations,
 * a second server starting) at that moment: migrations take turns.
 */
export const PG_MIGRATION_LOCK = 7_263_001;

export const isPostgresUrl = (url: string | undefined): url is string => Boolean(url && /^postgres(ql)?:\/\//.test(url));

/** The SQLite file a DATABASE_URL names (`file:…`, `sqlite:…`, a bare path, or the default). */
export const sqlitePathOf = (url: string | undefined): string => (url ? url.replace(/^(sqlite|file):(\/\/)?/, '') : DEFAULT_SQLITE_PATH);

export async function openDatabase(url = process.env.DATABASE_URL): Promise<ServerDb> {
	if (isPostgresUrl(url)) {
		const { default: pg } = await import('pg');
		// COUNT and SUM come back as strings by default; tallies stay far below 2^53.
		pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
		pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
		const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
		pool.on('connect', withoutNulParameters);
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		const pgSchema = /search_path(?:=|%3D)([A-Za-z_][A-Za-z0-9_]*)/.exec(url)?.[1] ?? 'public';
		return { db, engine: 'postgres', pgSchema, close: () => db.destroy() };
	}
	const path = sqlitePathOf(url);
	const { default: SQLite } = await import('better-sqlite3');
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new SQLite(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
	return { db, engine: 'sqlite', close: () => db.destroy() };
}

/**
 * PostgreSQL refuses text holding U+0000 ("invalid byte sequence for encoding UTF8"), so a NUL in
 * a login name, an id in a URL or a JSON string would turn into a 500. No stored text holds one,
 * so a parameter's NUL becomes U+FFFD: a lookup finds nothing, as it would on SQLite.
 */
function withoutNulParameters(client: import('pg').PoolClient): void {
	const query = client.query.bind(client) as (...args: unknown[]) => unknown;
	const clean = (value: unknown) => (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value);
	client.query = ((text: unknown, values?: unknown, ...rest: unknown[]) =>
		query(text, Array.isArray(values) ? values.map(clean) : values, ...rest)) as typeof client.query;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh; the tablet upload path repeats the same few dozen SQL
 * texts, and preparing was the largest cost after executing (bench/server.ts profile). Statements
 * are reused by SQL text, the oldest dropped past the bound. Safe because nothing here streams
 * (`iterate`) a result while another query could use the same statement.
 */
function withStatementCache(sqlite: SqliteDatabase): SqliteDatabase {
	const cache = new Map<string, SqliteStatement>();
	return {
		close: () => sqlite.close(),
		prepare(source: string) {
			let statement = cache.get(source);
			if (!statement) {
				statement = sqlite.prepare(source);
				if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
				cache.set(source, statement);
			}
			return statement;
		}
	};
}

/** Opens and migrates: what the server and the CLI do at start. */
export async function openMigratedDatabase(url = process.env.DATABASE_URL): Promise<ServerDb> {
	const server = await openDatabase(url);
	try {
		if (server.engine === 'postgres') {
			await server.db.connection().execute(async (conn) => {
				await sql`select pg_advisory_lock(${PG_MIGRATION_LOCK})`.execute(conn);
				try {
					await migrateToLatest(conn as unknown as Kysely<unknown>, server.pgSchema);
				} finally {
					await sql`select pg_advisory_unlock(${PG_MIGRATION_LOCK})`.execute(conn);
				}
			});
		} else {
			await migrateToLatest(server.db as unknown as Kysely<unknown>);
		}
	} catch (e) {
		await server.close();
		throw e;
	}
	return server;
}
