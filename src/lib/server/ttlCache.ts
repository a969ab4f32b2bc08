// Values read on every tablet upload that change rarely (the skills catalog, the period rule):
// read them at most every few seconds. An officer's edit reaches uploads within the TTL.
const entries = new Map<string, { until: number; value: Promise<unknown> }>();

export function cachedFor<T>(key: string, ttlMs: number, load: () => Promise<T>, now = Date.now()): Promise<T> {
	const hit = entries.get(key);
	if (hit && hit.until > now) return hit.value as Promise<T>;
	const value = load();
	entries.set(key, { until: now + ttlMs, value });
	// A failed read is not remembered.
	value.catch(() => entries.delete(key));
	return value;
}
