// Opening the tablet's database: everything that needs Dexie at start, in one module that the
// check-in screen imports after it has painted (Dexie is the largest part of the first load).
import { kioskDb, type KioskDb } from './db';
import { currentTeam, ensureSeeded, type TeamInfo } from './team';
import { requestPersistence } from './storage';
import { expireResidents } from './retention';

export interface OpenedKiosk {
	db: KioskDb;
	team: TeamInfo | null;
}

export async function openKiosk(): Promise<OpenedKiosk> {
	const db = kioskDb();
	await ensureSeeded(db);
	const team = await currentTeam(db);
	void requestPersistence();
	void expireResidents(db, new Date()).catch((e: unknown) => console.warn('retention: could not expire residents', e));
	return { db, team };
}

export { currentTeam };
