// Every storage test runs on both engines: an SQLite file and PostgreSQL. Each call gives a fresh,
// migrated, empty database: a temp file, or a new schema on the test PostgreSQL server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openMigratedDatabase, PG_MIGRATION_LOCK, type Engine, type ServerDb } from '../../../src/lib/server/db/connect';

/** TEST_DATABASE_URL, or the throw-away server tests/unit/global-setup.ts started. */
export const TEST_POSTGRES_URL = inject('testPostgresUrl');

export const ENGINES: Engine[] = process.env.SKIP_POSTGRES ? ['sqlite'] : ['sqlite', 'postgres'];

export interface TestDb extends ServerDb {
	/** Drops what the test made. */
	dispose(): Promise<void>;
}

export async function freshDatabase(engine: Engine): Promise<TestDb> {
	if (engine === 'sqlite') {
		const dir = mkdtempSync(join(tmpdir(), 'tramso-test-'));
		const server = await openMigratedDatabase(`file:${join(dir, 'test.db')}`);
		return {
			...server,
			dispose: async () => {
				await server.close();
				rmSync(dir, { recursive: true, force: true });
			}
		};
	}
	const schema = `t_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
	await admin.connect().catch((e: unknown) => {
		throw new Error(
			`PostgreSQL for the storage tests is not reachable at ${TEST_POSTGRES_URL} (set TEST_DATABASE_URL, or SKIP_POSTGRES=1 to run SQLite only): ${String(e)}`
		);
	});
	await admin.query(`CREATE SCHEMA ${schema}`);
	await admin.end();
	const url = new URL(TEST_POSTGRES_URL);
	url.searchParams.set('options', `-c search_path=${schema}`);
	const dropSchema = async () => {
		const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
		await cleanup.connect();
		// Dropping tables while another test's migrator inspects the catalogue breaks it: take turns.
		await cleanup.query('SELECT pg_advisory_lock($1)', [PG_MIGRATION_LOCK]);
		await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
		await cleanup.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATION_LOCK]);
		await cleanup.end();
	};
	const server = await openMigratedDatabase(url.toString()).catch(async (e: unknown) => {
		await dropSchema();
		throw e;
	});
	return {
		...server,
		dispose: async () => {
			await server.close();
			await dropSchema();
		}
	};
}
