// When to try an upload again after a failure: exponential backoff with full jitter, so a
// district's tablets coming back online together do not hit the server in step.

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_CAP_MS = 60 * 60_000;

/** Delay before attempt number `attempts + 1`, given `random()` in [0, 1). */
export function retryDelayMs(attempts: number, random: () => number): number {
	const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
	// Never sooner than the base: a server that just failed gets a moment to recover.
	return Math.max(BACKOFF_BASE_MS, Math.floor(random() * ceiling));
}
