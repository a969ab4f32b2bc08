// Residents' personal data does not stay on the tablet forever: once every session a resident
// came to has been uploaded and they have not been seen for the retention period, their name
// and the keys that recognise them are erased. Birth year and gender stay (they are what the
// local tallies are made of); the person can no longer be recognised or named. Old resident keys
// (from before this tablet had its own) go with the last resident they could recognise.
import type { KioskDb } from './db';
import { DEFAULT_RETENTION_DAYS, SETTING } from './team';
import { getSetting } from './db';
import { forgetOldKeysIfUnused } from './residentKeys';

const DAY_MS = 86_400_000;

export async function expireResidents(db: KioskDb, now: Date): Promise<number> {
	const days = (await getSetting<number>(db, SETTING.retentionDays)) ?? DEFAULT_RETENTION_DAYS;
	const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
	return db.transaction('rw', [db.residents, db.checkIns, db.outbox, db.settings], async () => {
		const stale = await db.residents.where('lastSeenAt').below(cutoff).filter((r) => r.fullName !== '').toArray();
		if (stale.length === 0) return 0;
		const uploaded = new Set((await db.outbox.where('state').equals('sent').toArray()).map((r) => r.sessionId));
		const checkIns = await db.checkIns.where('residentId').anyOf(stale.map((r) => r.id)).toArray();
		const notUploaded = new Set(checkIns.filter((c) => !uploaded.has(c.sessionId)).map((c) => c.residentId));
		const expired = stale.filter((r) => !notUploaded.has(r.id));
		await db.residents.bulkPut(
			expired.map(({ idHash: _hash, hashedWithOldKey: _old, passId: _pass, ...rest }) => ({ ...rest, fullName: '' }))
		);
		await forgetOldKeysIfUnused(db);
		return expired.length;
	});
}
