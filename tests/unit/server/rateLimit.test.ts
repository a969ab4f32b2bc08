import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RateLimiter } from '$lib/server/rateLimit';

const T0 = 1_800_000_000_000;

describe('RateLimiter', () => {
	it('allows `limit` hits per key in a window, then says when to retry', () => {
		const limiter = new RateLimiter({ limit: 5, windowMs: 60_000 });
		for (let i = 0; i < 5; i++) expect(limiter.hit('lan|10.0.0.2', T0 + i * 1000)).toEqual({ allowed: true, retryAfterMs: 0 });
		expect(limiter.hit('lan|10.0.0.2', T0 + 10_000)).toEqual({ allowed: false, retryAfterMs: 50_000 });
		expect(limiter.hit('hung|10.0.0.2', T0 + 10_000).allowed).toBe(true);
	});

	it('slides: the oldest hit leaving the window frees one place; refused hits do not count', () => {
		const limiter = new RateLimiter({ limit: 2, windowMs: 1000 });
		expect(limiter.hit('k', T0).allowed).toBe(true);
		expect(limiter.hit('k', T0 + 500).allowed).toBe(true);
		expect(limiter.hit('k', T0 + 999)).toEqual({ allowed: false, retryAfterMs: 1 });
		expect(limiter.hit('k', T0 + 1000).allowed).toBe(true);
		expect(limiter.hit('k', T0 + 1001)).toEqual({ allowed: false, retryAfterMs: 499 });
		expect(limiter.hit('k', T0 + 1500).allowed).toBe(true);
	});

	it('takes back the latest hit on refund, and nothing when there is none', () => {
		const limiter = new RateLimiter({ limit: 2, windowMs: 60_000 });
		limiter.refund('k');
		limiter.hit('k', T0);
		limiter.hit('k', T0 + 1);
		limiter.refund('k');
		expect(limiter.hit('k', T0 + 2).allowed).toBe(true);
		expect(limiter.hit('k', T0 + 3).allowed).toBe(false);
	});

	it('forgets a key on reset', () => {
		const limiter = new RateLimiter({ limit: 1, windowMs: 60_000 });
		limiter.hit('k', T0);
		expect(limiter.hit('k', T0).allowed).toBe(false);
		limiter.reset('k');
		expect(limiter.hit('k', T0).allowed).toBe(true);
		limiter.reset('never seen');
	});

	it('bounds memory, forgetting the keys hit least recently', () => {
		const limiter = new RateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 3 });
		for (const key of ['a', 'b', 'c']) limiter.hit(key, T0);
		expect(limiter.hit('a', T0 + 1).allowed).toBe(false); // 'a' is now the most recent
		limiter.hit('d', T0 + 2);
		expect(limiter.size).toBe(3);
		expect(limiter.hit('a', T0 + 3).allowed).toBe(false);
		expect(limiter.hit('b', T0 + 4).allowed).toBe(true); // 'b' was evicted
		expect(new RateLimiter({ limit: 1, windowMs: 1 }).maxKeys).toBe(10_000);
	});

	it('holds at most maxKeys keys however many arrive', () => {
		const limiter = new RateLimiter({ limit: 5, windowMs: 60_000, maxKeys: 100 });
		for (let i = 0; i < 5000; i++) limiter.hit(`user${i}|10.0.${i % 250}.1`, T0 + i);
		expect(limiter.size).toBe(100);
	});

	it('refuses nonsense options', () => {
		expect(() => new RateLimiter({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
		expect(() => new RateLimiter({ limit: 1.5, windowMs: 1000 })).toThrow(RangeError);
		expect(() => new RateLimiter({ limit: 1, windowMs: 0 })).toThrow(RangeError);
		expect(() => new RateLimiter({ limit: 1, windowMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
		expect(() => new RateLimiter({ limit: 1, windowMs: 1000, maxKeys: 0 })).toThrow(RangeError);
	});

	it('never allows more than `limit` hits of a key in any window, and a refusal is right about when to retry', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 6 }),
				fc.integer({ min: 1, max: 5000 }),
				fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2000 }))), { maxLength: 80 }),
				(limit, windowMs, steps) => {
					const limiter = new RateLimiter({ limit, windowMs });
					const allowed: Record<string, number[]> = { a: [], b: [] };
					let now = T0;
					for (const [key, gap] of steps) {
						now += gap;
						const times = allowed[key]!;
						const inWindow = () => times.filter((x) => x > now - windowMs).length;
						const decision = limiter.hit(key, now);
						if (decision.allowed) {
							times.push(now);
							expect(inWindow()).toBeLessThanOrEqual(limit);
						} else {
							expect(inWindow()).toBe(limit);
							expect(decision.retryAfterMs).toBeGreaterThan(0);
							// A place frees up at the announced time, and not a millisecond earlier.
							const heldAt = (at: number) => times.filter((x) => x > at - windowMs).length;
							const retryAt = now + decision.retryAfterMs;
							expect(heldAt(retryAt)).toBeLessThan(limit);
							if (decision.retryAfterMs > 1) expect(heldAt(retryAt - 1)).toBe(limit);
						}
					}
				}
			),
			// Hits at one instant leave the window together.
			{ examples: [[2, 100, [['a', 0], ['a', 0], ['a', 0]]]] }
		);
	});
});
