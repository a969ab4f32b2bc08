// Filling the tablet's storage on demand, for the storage-full tests.
//
// How, and why this way (probed on Chromium 156 here): CDP `Storage.overrideQuotaForOrigin` is
// enforced for IndexedDB, but the browser's IndexedDB backend caches the space it last saw for up to
// 30 s (BucketContext::kBucketSpaceCacheTimeLimit) and lets writes through from that allowance
// without asking the quota manager. Lowering the quota alone therefore leaves small writes working
// for up to half a minute. A write bigger than the cached allowance makes the backend ask again, so:
// the origin starts with a modest quota (ROOMY, so the allowance is at most that), and `fill()`
// lowers the quota and then tries to store a scratch value bigger than ROOMY in a database of its
// own. That write is refused, the backend now knows there is no space, and every later write asks
// the quota manager: the kiosk's next save meets a full disk at once. `free()` restores ROOMY; the
// next write asks again and gets the space.
import { expect, type CDPSession, type Page } from '@playwright/test';

const MiB = 2 ** 20;
/** Far above what the kiosk stores (its IndexedDB and the service worker's precache of ~2.5 MB). */
const ROOMY = 64 * MiB;
const SCRATCH_DB = 'storage-test-scratch';

export class TabletStorage {
	private constructor(
		private readonly page: Page,
		private readonly cdp: CDPSession,
		private readonly origin: string
	) {}

	/** Call before the page first loads the app: the quota must be modest from the first write on. */
	static async attach(page: Page, baseURL: string): Promise<TabletStorage> {
		const storage = new TabletStorage(page, await page.context().newCDPSession(page), new URL(baseURL).origin);
		await storage.setQuota(ROOMY);
		return storage;
	}

	/** Creates the scratch database while there is room (call once the app's page has loaded). */
	async prepare(): Promise<void> {
		expect(await this.page.evaluate(scratchWrite, { name: SCRATCH_DB, bytes: 1 })).toBe('stored');
	}

	/** From now on every write of the origin fails with QuotaExceededError. */
	async fill(): Promise<void> {
		await this.setQuota(1);
		// Also the proof that the browser enforces it now, so a test cannot pass on a disk with room.
		expect(await this.page.evaluate(scratchWrite, { name: SCRATCH_DB, bytes: ROOMY + MiB })).toBe('QuotaExceededError');
	}

	async free(): Promise<void> {
		await this.setQuota(ROOMY);
	}

	private async setQuota(quotaSize: number): Promise<void> {
		await this.cdp.send('Storage.overrideQuotaForOrigin', { origin: this.origin, quotaSize });
	}
}

/** Runs in the page: stores `bytes` zero bytes in its own database; says 'stored' or why not. */
function scratchWrite({ name, bytes }: { name: string; bytes: number }): Promise<string> {
	return new Promise((resolve) => {
		const open = indexedDB.open(name, 1);
		open.onupgradeneeded = () => open.result.createObjectStore('scratch');
		open.onerror = () => resolve(`open failed: ${open.error?.name}`);
		open.onsuccess = () => {
			const db = open.result;
			const tx = db.transaction('scratch', 'readwrite');
			tx.objectStore('scratch').put(new Uint8Array(bytes), 'fill');
			tx.oncomplete = () => (db.close(), resolve('stored'));
			tx.onabort = () => (db.close(), resolve(tx.error?.name ?? 'aborted'));
		};
	});
}
