// The server's one database and the things that live as long as the process: opened, migrated
// and (on a fresh install) filled with demo data before the first request is answered.
import type { Kysely } from 'kysely';
import { openMigratedDatabase, type Engine } from './db/connect';
import type { Database } from './db/schema';
import { ensureDefaultSkills } from './skills';
import { InputError } from './inputError';
import { ensureAdmin } from './users';
import { MIN_PASSWORD_LENGTH } from '$lib/domain/password';
import { seedDemoData } from './demoData';
import { RateLimiter } from './rateLimit';
import { bringTreeToToday } from './orgHistory';

/** How often the mirrors of today's tree are checked for a dated change whose day has come. */
const TREE_CHECK_MS = 60 * 60 * 1000;

export interface ServerContext {
	db: Kysely<Database>;
	engine: Engine;
	/** 5 tries a minute per username and address. */
	loginLimiter: RateLimiter;
	/** 20 wrong passwords a minute per address, whatever the usernames: against password spraying. */
	loginAddressLimiter: RateLimiter;
	/** 10 tries a minute per address: enrolment codes are short enough to guess otherwise. */
	enrolLimiter: RateLimiter;
}

/** A hall's officers may share one address (a commune office's NAT): room for several people's typos. */
export const LOGIN_TRIES_PER_ADDRESS = 20;

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
	const admin = await ensureAdmin(db, { password: process.env.ADMIN_PASSWORD, now }).catch((e: unknown) => {
		if (!(e instanceof InputError && e.code === 'passwordRule')) throw e;
		// Refuse to start rather than create an admin anyone could guess.
		const message = `Trạm Số: ADMIN_PASSWORD is refused: ${e.message}. Set another (at least ${MIN_PASSWORD_LENGTH} characters, not a common password, without "admin") or unset it to have one generated.`;
		console.error(message);
		throw new Error(message);
	});
	if (admin.created) {
		console.log(
			admin.generated
				? `Trạm Số: created the admin account. Sign in at /admin as "admin" with the password ${admin.password} (shown once; change it at /admin/account).`
				: 'Trạm Số: created the admin account "admin" with the password from ADMIN_PASSWORD.'
		);
	}
	await bringTreeToToday(db, now);
	setInterval(() => bringTreeToToday(db, new Date()).catch((e: unknown) => console.error('Trạm Số: bringing the org tree to today failed', e)), TREE_CHECK_MS).unref();
	console.log(`Trạm Số: database ready (${engine}).`);
	return {
		db,
		engine,
		loginLimiter: new RateLimiter(db, 'login', { limit: 5, windowMs: 60_000 }),
		loginAddressLimiter: new RateLimiter(db, 'loginAddress', { limit: LOGIN_TRIES_PER_ADDRESS, windowMs: 60_000 }),
		enrolLimiter: new RateLimiter(db, 'enrol', { limit: 10, windowMs: 60_000 })
	};
}
