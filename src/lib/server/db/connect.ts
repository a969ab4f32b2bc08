// Opens the server database: an SQLite file by default (better-sqlite3, WAL), PostgreSQL when
// DATABASE_URL is a postgres:// URL. Everything above this file speaks Kysely only.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
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

export async function openDatabase(url = process.env.DATABASE_URL): Promise<ServerDb> {
	if (url && /^postgres(ql)?:\/\//.test(url)) {
		const { default: pg } = await import('pg');
		// COUNT and SUM come back as strings by default; tallies stay far below 2^53.
		pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
		pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
		const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		const pgSchema = /search_path(?:=|%3D)([A-Za-z_][A-Za-z0-9_]*)/.exec(url)?.[1] ?? 'public';
		return { db, engine: 'postgres', pgSchema, close: () => db.destroy() };
	}
	const path = url ? url.replace(/^(sqlite|file):(\/\/)?/, '') : DEFAULT_SQLITE_PATH;
	const { default: SQLite } = await import('better-sqlite3');
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new SQLite(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
	return { db, engine: 'sqlite', close: () => db.destroy() };
}

/** Opens and migrates: what the server and the CLI do at start. */
export async function openMigratedDatabase(url = process.env.DATABASE_URL): Promise<ServerDb> {
	const server = await openDatabase(url);
	try {
		await migrateToLatest(server.db as unknown as Kysely<unknown>, server.pgSchema);
	} catch (e) {
		await server.close();
		throw e;
	}
	return server;
}
