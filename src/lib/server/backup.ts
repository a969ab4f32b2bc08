// Backups of the embedded SQLite database, safe while the server runs and takes uploads: SQLite's
// online backup API (through better-sqlite3) copies a consistent snapshot page by page. Restoring
// copies a checked backup back the same way, after keeping the current database beside it, so a
// restore loses nothing either. PostgreSQL deployments use pg_dump / pg_restore (README).
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';

/** Rows per table: what an operator compares between a database and its backup. */
export type RowCounts = Record<string, number>;

export class BackupError extends Error {}

/** Pages per step after the first: all of them, so writes between steps cannot restart it forever. */
const ALL_REMAINING_PAGES = 0x7fffffff;

function tableNames(db: SQLite.Database): string[] {
	return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

export function rowCounts(db: SQLite.Database): RowCounts {
	const counts: RowCounts = {};
	for (const name of tableNames(db)) counts[name] = (db.prepare(`SELECT COUNT(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }).n;
	return counts;
}

/** Opens a file read-only and checks it is a whole Trạm Số database; throws BackupError if not. */
function openCheckedDatabase(file: string, what: string): SQLite.Database {
	if (!existsSync(file)) throw new BackupError(`${what} ${file} does not exist.`);
	let db: SQLite.Database;
	try {
		db = new SQLite(file, { readonly: true, fileMustExist: true });
		const integrity = db.pragma('integrity_check', { simple: true });
		if (integrity !== 'ok') throw new BackupError(`${what} ${file} is damaged (integrity check: ${String(integrity)}).`);
	} catch (e) {
		if (e instanceof BackupError) throw e;
		throw new BackupError(`${what} ${file} is not an SQLite database: ${(e as Error).message}`);
	}
	if (!tableNames(db).includes('kysely_migration')) {
		db.close();
		throw new BackupError(`${what} ${file} is not a Trạm Số database (it has no migration table).`);
	}
	return db;
}

async function copyDatabase(source: SQLite.Database, destination: string): Promise<void> {
	await source.backup(destination, { progress: () => ALL_REMAINING_PAGES });
}

export interface BackupResult {
	readonly file: string;
	readonly bytes: number;
	readonly counts: RowCounts;
}

/** Copies the live database at `databaseFile` to a new file `destination` (never over an existing one). */
export async function backupSqlite(databaseFile: string, destination: string): Promise<BackupResult> {
	const target = resolve(destination);
	if (existsSync(target)) throw new BackupError(`${target} already exists: choose a new file name, so no backup is overwritten.`);
	if (!existsSync(dirname(target))) throw new BackupError(`The folder ${dirname(target)} does not exist.`);
	const source = openCheckedDatabase(databaseFile, 'The database');
	try {
		await copyDatabase(source, target);
	} finally {
		source.close();
	}
	const copy = openCheckedDatabase(target, 'The new backup');
	try {
		return { file: target, bytes: statSync(target).size, counts: rowCounts(copy) };
	} finally {
		copy.close();
	}
}

export interface RestoreResult {
	readonly counts: RowCounts;
	/** Where the database that was replaced now is; null when there was none. */
	readonly previousKeptAt: string | null;
}

/**
 * Replaces the database at `databaseFile` with the backup `backupFile`. The server must be stopped:
 * a running one would go on with what it had in memory. The replaced database is kept as
 * `<file>.before-restore-<time>`.
 */
export async function restoreSqlite(backupFile: string, databaseFile: string, now: Date): Promise<RestoreResult> {
	const backup = openCheckedDatabase(resolve(backupFile), 'The backup');
	try {
		let previousKeptAt: string | null = null;
		if (existsSync(databaseFile)) {
			previousKeptAt = `${databaseFile}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
			const current = new SQLite(databaseFile, { readonly: true, fileMustExist: true });
			try {
				await copyDatabase(current, previousKeptAt);
			} finally {
				current.close();
			}
		}
		// Through SQLite, not a file copy: the live file's write-ahead log is dealt with properly.
		await copyDatabase(backup, databaseFile);
		const restored = openCheckedDatabase(databaseFile, 'The restored database');
		try {
			return { counts: rowCounts(restored), previousKeptAt };
		} finally {
			restored.close();
		}
	} finally {
		backup.close();
	}
}
