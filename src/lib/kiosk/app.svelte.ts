// Starts the kiosk once per page load: opens the database, seeds the demo team on a fresh
// install, asks the browser to keep the data. Screens wait for `ready` before touching data.
// The database code (Dexie) is imported here, not at the top, so the first paint does not wait
// for it: the check-in prompt is on screen while it loads.
import type { KioskDb } from './db';
import type { TeamInfo } from './team';

class KioskApp {
	ready = $state(false);
	team = $state<TeamInfo | null>(null);
	/** Set when the database cannot be opened (private mode, disk full, blocked). */
	failure = $state<unknown>(null);
	online = $state(true);
	#starting: Promise<KioskDb> | null = null;

	/** After enrolment or a configuration update the header shows the new team. */
	async reloadTeam(from?: KioskDb): Promise<void> {
		const db = from ?? (await this.start());
		const { currentTeam } = await import('./boot');
		this.team = await currentTeam(db);
	}

	start(): Promise<KioskDb> {
		this.#starting ??= (async () => {
			try {
				const { openKiosk } = await import('./boot');
				const { db, team } = await openKiosk();
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
