// Starts the kiosk once per page load: opens the database, seeds the demo team on a fresh
// install, asks the browser to keep the data. Screens wait for `ready` before touching data.
// The database code (Dexie) is imported here, not at the top, so the first paint does not wait
// for it: the check-in prompt is on screen while it loads.
import type { KioskDb } from './db';
import type { TeamInfo } from './team';
import { START_MARKS } from './marks';

class KioskApp {
	ready = $state(false);
	team = $state<TeamInfo | null>(null);
	/** Set when the database cannot be opened (private mode, disk full, blocked). */
	failure = $state<unknown>(null);
	online = $state(true);
	#starting: Promise<KioskDb> | null = null;
	#hold: Promise<unknown> | null = null;

	/**
	 * Puts off opening the database until `until` settles, or `maxMs` passed (a camera waiting for
	 * a person to allow it must not keep the other screens waiting). The check-in screen holds it
	 * while its camera starts: both want the main thread, and the camera is what a resident needs
	 * first (npm run bench: first load offline). A code read meanwhile waits for the open in the flow.
	 */
	holdStart(until: Promise<unknown>, maxMs = 2000): void {
		if (this.#starting) return;
		this.#hold = Promise.race([until.catch(() => {}), new Promise((resolve) => setTimeout(resolve, maxMs))]);
	}

	/** After enrolment or a configuration update the header shows the new team. */
	async reloadTeam(from?: KioskDb): Promise<void> {
		const db = from ?? (await this.start());
		const { currentTeam } = await import('./boot');
		this.team = await currentTeam(db);
	}

	start(): Promise<KioskDb> {
		this.#starting ??= (async () => {
			try {
				if (this.#hold) await this.#hold;
				const { openKiosk } = await import('./boot');
				const { db, team } = await openKiosk();
				performance.mark(START_MARKS.kioskReady);
				this.team = team;
				this.ready = true;
				return db;
			} catch (e) {
				this.failure = e;
				throw e;
			}
		})();
		return this.#starting;
	}
}

export const kioskApp = new KioskApp();
