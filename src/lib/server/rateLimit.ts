// Slows guessing of passwords and enrolment codes: at most `limit` hits per key in any sliding
// window of `windowMs`. In memory, per server process; the limits are small (5, 10), so keeping the
// times of the hits is exact and cheap. Memory stays bounded: beyond `maxKeys` the keys hit least
// recently are forgotten.

export interface RateLimitOptions {
	limit: number;
	windowMs: number;
	/** Default 10,000. */
	maxKeys?: number;
}

export interface RateLimitDecision {
	allowed: boolean;
	/** 0 when allowed; otherwise how long until the next hit would be. */
	retryAfterMs: number;
}

export const DEFAULT_MAX_KEYS = 10_000;

export class RateLimiter {
	readonly limit: number;
	readonly windowMs: number;
	readonly maxKeys: number;
	/** Times of allowed hits per key, oldest first. Map order is least recently hit first. */
	private readonly hits = new Map<string, number[]>();

	constructor(opts: RateLimitOptions) {
		const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
		if (!positiveInt(opts.limit)) throw new RangeError(`RateLimiter: limit must be a positive integer, got ${opts.limit}`);
		if (!(opts.windowMs > 0 && Number.isFinite(opts.windowMs))) throw new RangeError(`RateLimiter: windowMs must be positive, got ${opts.windowMs}`);
		const maxKeys = opts.maxKeys ?? DEFAULT_MAX_KEYS;
		if (!positiveInt(maxKeys)) throw new RangeError(`RateLimiter: maxKeys must be a positive integer, got ${maxKeys}`);
		this.limit = opts.limit;
		this.windowMs = opts.windowMs;
		this.maxKeys = maxKeys;
	}

	/** Counts a hit at `now` (ms) unless the key is over its limit; refused hits are not counted. */
	hit(key: string, now: number): RateLimitDecision {
		const times = this.recent(key, now);
		// Delete and set again: the key moves to the end, the most recently hit.
		this.hits.delete(key);
		this.hits.set(key, times);
		if (times.length >= this.limit) {
			this.evict();
			return { allowed: false, retryAfterMs: Math.max(1, times[0]! + this.windowMs - now) };
		}
		times.push(now);
		this.evict();
		return { allowed: true, retryAfterMs: 0 };
	}

	/** Takes back the latest hit of a key: an attempt that turned out not to count (a success). */
	refund(key: string): void {
		this.hits.get(key)?.pop();
	}

	/** Forgets a key, e.g. after a successful login. */
	reset(key: string): void {
		this.hits.delete(key);
	}

	/** Keys held now (for tests and monitoring). */
	get size(): number {
		return this.hits.size;
	}

	private recent(key: string, now: number): number[] {
		const times = this.hits.get(key) ?? [];
		const since = now - this.windowMs;
		let expired = 0;
		while (expired < times.length && times[expired]! <= since) expired++;
		return expired > 0 ? times.slice(expired) : times;
	}

	private evict(): void {
		for (const key of this.hits.keys()) {
			if (this.hits.size <= this.maxKeys) return;
			this.hits.delete(key);
		}
	}
}
