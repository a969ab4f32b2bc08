// Starts the kiosk once per page load: opens the database, seeds the demo team on a fresh
// install, asks the browser to keep the data. Screens wait for `ready` before touching data.
import { kioskDb, type KioskDb } from './db';
import { currentTeam, ensureSeeded, type TeamInfo } from './team';
import { requestPersistence } from './storage';
import { expireResidents } from './retention';

class KioskApp {
	ready = $state(false);
	team = $state<TeamInfo | null>(null);
	/** Set when the database cannot be opened (private mode, disk full, blocked). */
	failure = $state<unknown>(null);
	online = $state(true);
	#starting: Promise<KioskDb> | null = null;

	/** After enrolment or a configuration update the header shows the new team. */
	async reloadTeam(): Promise<void> {
		this.team = await currentTeam(await this.start());
	}

	start(): Promise<KioskDb> {
		this.#starting ??= (async () => {
			const db = kioskDb();
			try {
				await ensureSeeded(db);
				this.team = await currentTeam(db);
				this.ready = true;
			} catch (e) {
				this.failure = e;
				throw e;
			}
			void requestPersistence();
			void expireResidents(db, new Date()).catch((e: unknown) => console.warn('retention: could not expire residents', e));
			return db;
		})();
		return this.#starting;
	}
}

export const kioskApp = new KioskApp();
