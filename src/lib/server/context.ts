// The server's one database and the things that live as long as the process: opened, migrated
// and (on a fresh install) filled with demo data before the first request is answered.
import type { Kysely } from 'kysely';
import { openMigratedDatabase, type Engine } from './db/connect';
import type { Database } from './db/schema';
import { ensureDefaultSkills } from './skills';
import { ensureAdmin } from './users';
import { seedDemoData } from './demoData';
import { RateLimiter } from './rateLimit';

export interface ServerContext {
	db: Kysely<Database>;
	engine: Engine;
	/** 5 tries a minute per username and address. */
	loginLimiter: RateLimiter;
	/** 10 tries a minute per address: enrolment codes are short enough to guess otherwise. */
	enrolLimiter: RateLimiter;
}

let starting: Promise<ServerContext> | undefined;

export function serverContext(): Promise<ServerContext> {
	starting ??= start();
	return starting;
}

async function start(): Promise<ServerContext> {
	const { db, engine } = await openMigratedDatabase();
	const now = new Date();
	await ensureDefaultSkills(db);
	if (process.env.DEMO_DATA !== 'off') await seedDemoData(db, { now });
	const admin = await ensureAdmin(db, { password: process.env.ADMIN_PASSWORD, now });
	if (admin.created) {
		console.log(
			admin.generated
				? `Trạm Số: created the admin account. Sign in at /admin as "admin" with the password ${admin.password} (shown once; change it).`
				: 'Trạm Số: created the admin account "admin" with the password from ADMIN_PASSWORD.'
		);
	}
	console.log(`Trạm Số: database ready (${engine}).`);
	return {
		db,
		engine,
		loginLimiter: new RateLimiter({ limit: 5, windowMs: 60_000 }),
		enrolLimiter: new RateLimiter({ limit: 10, windowMs: 60_000 })
	};
}
