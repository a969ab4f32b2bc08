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

/** Dexie may wrap the browser's QuotaExceededError (in `inner`); look through the wrapping. */
export function isQuotaError(e: unknown): boolean {
	for (let err: unknown = e, depth = 0; err && depth < 5; depth++) {
		const name = (err as { name?: string }).name;
		if (name === 'QuotaExceededError') return true;
		err = (err as { inner?: unknown }).inner;
	}
	return false;
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
