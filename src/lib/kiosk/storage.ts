// Asking the browser to keep the kiosk's data, and turning storage failures into plain words.

export interface StorageStatus {
	persisted: boolean | null;
	usage: number | null;
	quota: number | null;
}

/** Asks once for persistent storage (granted to installed apps); returns what the browser says. */
export async function requestPersistence(): Promise<boolean | null> {
	if (!navigator.storage?.persist) return null;
	try {
		return (await navigator.storage.persisted()) || (await navigator.storage.persist());
	} catch {
		return null;
	}
}

export async function storageStatus(): Promise<StorageStatus> {
	const persisted = navigator.storage?.persisted ? await navigator.storage.persisted().catch(() => null) : null;
	const estimate = navigator.storage?.estimate ? await navigator.storage.estimate().catch(() => null) : null;
	return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

/**
 * Whether a failed write failed because the origin's storage is full: the one place that decides,
 * so every screen says "storage full" for the same errors. Browsers and Dexie spell it differently:
 * Chromium's DOMException `QuotaExceededError` (legacy code 22), Firefox's `NS_ERROR_DOM_QUOTA_REACHED`;
 * Dexie wraps it in an `AbortError` (`inner`), a `BulkError` lists it among `failures`, and code of
 * ours may pass it on as `cause`. Looks through all of them, a few levels deep.
 */
export function isQuotaError(e: unknown): boolean {
	const seen = new Set<unknown>();
	const look = (err: unknown, depth: number): boolean => {
		if (!err || typeof err !== 'object' || depth > 4 || seen.has(err)) return false;
		seen.add(err);
		const { name, code, inner, cause, failures } = err as {
			name?: unknown;
			code?: unknown;
			inner?: unknown;
			cause?: unknown;
			failures?: unknown;
		};
		if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
		if (code === 22 && err instanceof DOMException) return true;
		const nested = [inner, cause, ...(Array.isArray(failures) ? failures : [])];
		return nested.some((n) => look(n, depth + 1));
	};
	return look(e, 0);
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(1)} ${units[unit]}`;
}
