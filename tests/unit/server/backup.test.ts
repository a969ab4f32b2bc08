// `npm run cli -- backup` / `restore` on the embedded SQLite database, while uploads keep arriving.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { openMigratedDatabase, type ServerDb } from '$lib/server/db/connect';
import { BackupError, backupSqlite, restoreSqlite, rowCounts } from '$lib/server/backup';
import { DEMO_DEVICE_ID, seedDemoData } from '$lib/server/demoData';
import { storeTally } from '$lib/server/tallies';
import { DEFAULT_PERIOD_RULE, localDateOf } from '$lib/domain/period';
import { DEMO_MEMBERS } from '$lib/domain/demo';
import { sampleTally } from '../../fixtures/tallies';
import { DEMO_TEAM_ID } from '../../fixtures/e2eServer';

let dir = '';
let live: ServerDb;
let liveFile = '';

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'tramso-backup-'));
	liveFile = join(dir, 'tramso.db');
	live = await openMigratedDatabase(`file:${liveFile}`);
	await seedDemoData(live.db, { now: new Date() });
});

afterEach(async () => {
	await live.close();
	rmSync(dir, { recursive: true, force: true });
});

/** One upload as the API stores it: a new session of the demo team, dated today. */
async function upload(): Promise<void> {
	const now = new Date();
	const today = localDateOf(now);
	const tally = sampleTally({ sessionId: randomUUID(), teamId: DEMO_TEAM_ID, memberIds: [DEMO_MEMBERS[0]!.id, DEMO_MEMBERS[1]!.id, DEMO_MEMBERS[2]!.id] });
	const start = new Date(now.getTime() - 2 * 3600_000);
	await storeTally(live.db, {
		tally: { ...tally, date: today, startedAt: start.toISOString(), endedAt: new Date(start.getTime() + 3600_000).toISOString() },
		deviceId: DEMO_DEVICE_ID,
		rule: DEFAULT_PERIOD_RULE,
		now,
		actor: `device:${DEMO_DEVICE_ID}`
	});
}

const open = (file: string) => new SQLite(file, { readonly: true });

describe('SQLite backup and restore', () => {
	it('a backup taken during uploads is whole: every session in it has all its counts, and it holds between the counts before and after', async () => {
		const before = rowCounts(open(liveFile)).session_tallies!;
		// The test's own uploads arrive from now on; demo tallies seeded for today may carry a
		// received_at in the last minutes or hours ahead (it depends on the time of day), so they
		// are told apart by the window, not by "the last ten minutes".
		const since = new Date().toISOString();
		let uploading = true;
		let uploads = 0;
		const uploader = (async () => {
			while (uploading) {
				await upload();
				uploads++;
				// Uploads arrive as requests do, each on its own turn of the event loop: better-sqlite3
				// answers Kysely without one, and a loop of microtasks would starve everything else.
				await new Promise((r) => setImmediate(r));
			}
		})();
		// Let uploads get going, then back up while they continue.
		while (uploads < 5) await new Promise((r) => setImmediate(r));
		const result = await backupSqlite(liveFile, join(dir, 'during.db'));
		const uploadsWhenDone = uploads;
		uploading = false;
		await uploader;

		const copy = open(result.file);
		const counts = rowCounts(copy);
		expect(counts).toEqual(result.counts);
		expect(uploadsWhenDone, 'uploads went on while the backup ran').toBeGreaterThan(5);
		expect(counts.session_tallies).toBeGreaterThanOrEqual(before);
		expect(counts.session_tallies).toBeLessThanOrEqual(rowCounts(open(liveFile)).session_tallies!);
		// No half-stored upload: each session's skill and member rows are all there (the sample
		// tally has 4 skills and 3 members).
		const partial = copy
			.prepare(
				`SELECT t.session_id FROM session_tallies t
				 WHERE t.team_id = ? AND t.received_at >= ? AND t.received_at <= ? AND (
				   (SELECT COUNT(*) FROM tally_skill_counts s WHERE s.session_id = t.session_id) <> 4 OR
				   (SELECT COUNT(*) FROM tally_member_counts m WHERE m.session_id = t.session_id) <> 3)`
			)
			.all(DEMO_TEAM_ID, since, new Date().toISOString());
		expect(partial).toEqual([]);
	});

	it('once uploads stop, the backup holds exactly the rows of the database, table by table; restore brings them back and keeps what it replaced', async () => {
		for (let i = 0; i < 10; i++) await upload();
		const result = await backupSqlite(liveFile, join(dir, 'quiet.db'));
		const liveCounts = rowCounts(open(liveFile));
		expect(result.counts).toEqual(liveCounts);
		expect(liveCounts.session_tallies).toBeGreaterThan(10);

		// Later uploads, then the server is stopped and the backup restored.
		for (let i = 0; i < 3; i++) await upload();
		await live.close();
		const restored = await restoreSqlite(result.file, liveFile, new Date('2026-11-30T08:00:00Z'));
		expect(restored.counts).toEqual(liveCounts);
		expect(rowCounts(open(liveFile))).toEqual(liveCounts);
		expect(restored.previousKeptAt).toMatch(/tramso\.db\.before-restore-2026-11-30T08-00-00-000Z$/);
		expect(rowCounts(open(restored.previousKeptAt!)).session_tallies).toBe(liveCounts.session_tallies! + 3);
		// The server opens the restored file as usual.
		live = await openMigratedDatabase(`file:${liveFile}`);
		expect((await live.db.selectFrom('session_tallies').select(live.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n).toBe(liveCounts.session_tallies);
	});

	it('never overwrites a file, and refuses to restore what is not a whole Trạm Số database', async () => {
		const taken = join(dir, 'taken.db');
		writeFileSync(taken, 'x');
		await expect(backupSqlite(liveFile, taken)).rejects.toThrow(/already exists/);
		await expect(backupSqlite(liveFile, join(dir, 'no-such-folder', 'b.db'))).rejects.toThrow(/does not exist/);
		await expect(restoreSqlite(taken, liveFile, new Date())).rejects.toBeInstanceOf(BackupError);
		const other = join(dir, 'other.db');
		new SQLite(other).exec('CREATE TABLE t (x)');
		await expect(restoreSqlite(other, liveFile, new Date())).rejects.toThrow(/not a Trạm Số database/);
		await expect(restoreSqlite(join(dir, 'missing.db'), liveFile, new Date())).rejects.toThrow(/does not exist/);
	});
});
