// Slows guessing of passwords and enrolment codes (domain/slidingWindow.ts) for every server
// process at once: the hits live in the database, so N processes behind one proxy allow the tries
// of one, not N times them. A key's row is read and written in one transaction under a row lock
// (PostgreSQL) or SQLite's single writer. Keys are stored hashed: no usernames or addresses at rest.
import { createHash } from 'node:crypto';
import { PostgresAdapter, type Kysely } from 'kysely';
import { isValidRule, slideWindow, type WindowRule } from '$lib/domain/slidingWindow';
import type { Database } from './db/schema';

export interface RateLimitDecision {
	allowed: boolean;
	/** 0 when allowed; otherwise how long until the next hit would be. */
	retryAfterMs: number;
}

const keyHash = (name: string, key: string) => createHash('sha256').update(`${name}\u0000${key}`).digest('base64url');

export class RateLimiter {
	readonly limit: number;
	readonly windowMs: number;
	/** When this process last swept out rows whose hits have all left the window. */
	#sweptAt = 0;

	constructor(
		private readonly db: Kysely<Database>,
		/** Which limit: 'login', 'loginAddress', 'enrol'. Keys of two limits never meet. */
		readonly name: string,
		rule: WindowRule
	) {
		if (!isValidRule(rule)) throw new RangeError(`RateLimiter ${name}: limit must be a positive integer and windowMs positive`);
		this.limit = rule.limit;
		this.windowMs = rule.windowMs;
	}

	/** Counts a hit at `now` (ms) unless the key is over its limit; refused hits are not counted. */
	async hit(key: string, now: number): Promise<RateLimitDecision> {
		const id = keyHash(this.name, key);
		const decision = await this.db.transaction().execute(async (trx) => {
			await trx.insertInto('rate_limit_hits').values({ key_hash: id, hits: '[]', expires_ms: now + this.windowMs }).onConflict((oc) => oc.column('key_hash').doNothing()).execute();
			let read = trx.selectFrom('rate_limit_hits').select('hits').where('key_hash', '=', id);
			if (trx.getExecutor().adapter instanceof PostgresAdapter) read = read.forUpdate();
			const row = await read.executeTakeFirstOrThrow();
			const result = slideWindow(JSON.parse(row.hits) as number[], now, this);
			await trx.updateTable('rate_limit_hits').set({ hits: JSON.stringify(result.times), expires_ms: (result.times.at(-1) ?? now) + this.windowMs }).where('key_hash', '=', id).execute();
			return result;
		});
		await this.sweep(now);
		return { allowed: decision.allowed, retryAfterMs: decision.retryAfterMs };
	}

	/** Takes back the latest hit of a key: an attempt that turned out not to count (a success). */
	async refund(key: string): Promise<void> {
		const id = keyHash(this.name, key);
		await this.db.transaction().execute(async (trx) => {
			let read = trx.selectFrom('rate_limit_hits').select('hits').where('key_hash', '=', id);
			if (trx.getExecutor().adapter instanceof PostgresAdapter) read = read.forUpdate();
			const row = await read.executeTakeFirst();
			if (!row) return;
			const times = JSON.parse(row.hits) as number[];
			times.pop();
			await trx.updateTable('rate_limit_hits').set({ hits: JSON.stringify(times) }).where('key_hash', '=', id).execute();
		});
	}

	/** Forgets a key, e.g. after a successful login. */
	async reset(key: string): Promise<void> {
		await this.db.deleteFrom('rate_limit_hits').where('key_hash', '=', keyHash(this.name, key)).execute();
	}

	/** At most once a window per process: a row whose latest hit has left its window counts nothing. */
	private async sweep(now: number): Promise<void> {
		if (now - this.#sweptAt < this.windowMs) return;
		this.#sweptAt = now;
		await this.db.deleteFrom('rate_limit_hits').where('expires_ms', '<', now).execute();
	}
}
