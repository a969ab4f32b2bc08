// The sign-in and enrolment limits: the sliding-window rule (pure), and the limiter that keeps its
// hits in the database, so two server processes on one database allow the tries of one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { slideWindow } from '$lib/domain/slidingWindow';
import { RateLimiter } from '$lib/server/rateLimit';
import { openMigratedDatabase } from '$lib/server/db/connect';
import { ENGINES, freshDatabase } from '../../fixtures/serverDb';

const T0 = 1_800_000_000_000;

describe('slideWindow', () => {
	it('allows `limit` hits in a window, then says when to retry; the oldest hit leaving frees one place', () => {
		const rule = { limit: 2, windowMs: 1000 };
		let times: number[] = [];
		const hit = (now: number) => {
			const d = slideWindow(times, now, rule);
			times = d.times;
			return { allowed: d.allowed, retryAfterMs: d.retryAfterMs };
		};
		expect(hit(T0).allowed).toBe(true);
		expect(hit(T0 + 500).allowed).toBe(true);
		expect(hit(T0 + 999)).toEqual({ allowed: false, retryAfterMs: 1 });
		expect(hit(T0 + 1000).allowed).toBe(true);
		expect(hit(T0 + 1001)).toEqual({ allowed: false, retryAfterMs: 499 });
		expect(hit(T0 + 1500).allowed).toBe(true);
	});

	it('never allows more than `limit` hits in any window, and a refusal is right about when to retry', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 6 }),
				fc.integer({ min: 1, max: 5000 }),
				fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2000 })), { maxLength: 80 }),
				(limit, windowMs, gaps) => {
					let kept: number[] = [];
					const allowed: number[] = [];
					let now = T0;
					for (const gap of gaps) {
						now += gap;
						const inWindow = (at: number) => allowed.filter((x) => x > at - windowMs).length;
						const decision = slideWindow(kept, now, { limit, windowMs });
						kept = decision.times;
						if (decision.allowed) {
							allowed.push(now);
							expect(inWindow(now)).toBeLessThanOrEqual(limit);
						} else {
							expect(inWindow(now)).toBe(limit);
							// A place frees up at the announced time, and not a millisecond earlier.
							const retryAt = now + decision.retryAfterMs;
							expect(inWindow(retryAt)).toBeLessThan(limit);
							if (decision.retryAfterMs > 1) expect(inWindow(retryAt - 1)).toBe(limit);
						}
						// What is kept is exactly the allowed hits still in the window.
						expect(kept).toEqual(allowed.filter((x) => x > now - windowMs));
					}
				}
			)
		);
	});
});

describe.each(ENGINES)('RateLimiter in the database on %s', (engine) => {
	it('counts per limit and key; refund takes back the latest hit; reset forgets; nonsense rules are refused', async () => {
		const t = await freshDatabase(engine);
		try {
			const login = new RateLimiter(t.db, 'login', { limit: 2, windowMs: 60_000 });
			const enrol = new RateLimiter(t.db, 'enrol', { limit: 2, windowMs: 60_000 });
			expect(await login.hit('lan|10.0.0.2', T0)).toEqual({ allowed: true, retryAfterMs: 0 });
			expect(await login.hit('lan|10.0.0.2', T0 + 1000)).toEqual({ allowed: true, retryAfterMs: 0 });
			expect(await login.hit('lan|10.0.0.2', T0 + 10_000)).toEqual({ allowed: false, retryAfterMs: 50_000 });
			// Another limit with the same key, and another key, are apart.
			expect((await enrol.hit('lan|10.0.0.2', T0 + 10_000)).allowed).toBe(true);
			expect((await login.hit('hung|10.0.0.2', T0 + 10_000)).allowed).toBe(true);
			await login.refund('lan|10.0.0.2');
			expect((await login.hit('lan|10.0.0.2', T0 + 11_000)).allowed).toBe(true);
			await login.reset('lan|10.0.0.2');
			expect((await login.hit('lan|10.0.0.2', T0 + 12_000)).allowed).toBe(true);
			await login.refund('never seen');
			await login.reset('never seen');
			// No username or address at rest: keys are hashed.
			const rows = await t.db.selectFrom('rate_limit_hits').select('key_hash').execute();
			expect(rows.map((r) => r.key_hash).join(' ')).not.toMatch(/lan|10\.0\.0\.2/);
			expect(() => new RateLimiter(t.db, 'x', { limit: 0, windowMs: 1000 })).toThrow(RangeError);
			expect(() => new RateLimiter(t.db, 'x', { limit: 1, windowMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
		} finally {
			await t.dispose();
		}
	});

	it('sweeps rows whose hits have all left the window', async () => {
		const t = await freshDatabase(engine);
		try {
			const limiter = new RateLimiter(t.db, 'login', { limit: 5, windowMs: 1000 });
			for (let i = 0; i < 50; i++) await limiter.hit(`user${i}|10.0.0.1`, T0);
			expect(await t.db.selectFrom('rate_limit_hits').select('key_hash').execute()).toHaveLength(50);
			await limiter.hit('late|10.0.0.1', T0 + 5000);
			expect(await t.db.selectFrom('rate_limit_hits').select('key_hash').execute()).toHaveLength(1);
		} finally {
			await t.dispose();
		}
	});

	// Several processes share PostgreSQL (README, "More than one server"); SQLite is one process's file.
	it.runIf(engine === 'postgres')('two server processes on one database allow the tries of one, hit at once', async () => {
		const t = await freshDatabase(engine);
		// A second connection pool to the same database: what another process would hold.
		const other = await openMigratedDatabase(t.url);
		try {
			const rule = { limit: 5, windowMs: 60_000 };
			const a = new RateLimiter(t.db, 'login', rule);
			const b = new RateLimiter(other.db, 'login', rule);
			const decisions = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? a : b).hit('lan|10.0.0.9', T0 + i)));
			expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
		} finally {
			await other.close();
			await t.dispose();
		}
	});
});
