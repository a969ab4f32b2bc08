// At most `limit` hits per key in any sliding window of `windowMs`: the rule the sign-in and
// enrolment limits apply. Pure: the hits' times in, the decision and the times to keep out.

export interface WindowRule {
	limit: number;
	windowMs: number;
}

export interface WindowDecision {
	allowed: boolean;
	/** 0 when allowed; otherwise how long until the next hit would be. */
	retryAfterMs: number;
	/** The hits to keep, oldest first: those still in the window, and this one when allowed. */
	times: number[];
}

/** Counts a hit at `now` (ms) unless `times` already holds `limit` hits in the window; a refused hit is not counted. */
export function slideWindow(times: readonly number[], now: number, rule: WindowRule): WindowDecision {
	const since = now - rule.windowMs;
	const recent = times.filter((t) => t > since).sort((a, b) => a - b);
	if (recent.length >= rule.limit) return { allowed: false, retryAfterMs: Math.max(1, recent[0]! + rule.windowMs - now), times: recent };
	return { allowed: true, retryAfterMs: 0, times: [...recent, now] };
}

export function isValidRule(rule: WindowRule): boolean {
	return Number.isInteger(rule.limit) && rule.limit > 0 && rule.windowMs > 0 && Number.isFinite(rule.windowMs);
}
