// Residents' personal data does not stay on the tablet forever: once every session a resident
// came to has been uploaded and they have not been seen for the retention period, their name
// and the keys that recognise them are erased. Birth year and gender stay (they are what the
// local tallies are made of); the person can no longer be recognised or named. Old resident keys
// (from before this tablet had its own) go with the last resident they could recognise.
//
// The five basic skills pull the other way (issue 14): a resident must never be counted newly
// proficient, nor a household newly covered, twice on this tablet. So a card holder's progress row
// (keyed by the HMAC of the card number, holding the five marks, the household and the sessions
// the counts were made in; no name) outlives this rule: the same card read again finds it. What
// goes with the name is the members' corrections and links (who did what, when), and a pass
// holder's progress: an erased pass can never check in again, so nothing could match it.
import type { KioskDb } from './db';
import { DEFAULT_RETENTION_DAYS, SETTING } from './team';
import { getSetting } from './db';
import { forgetOldKeysIfUnused } from './residentKeys';
import { residentKeyOf } from './outcomes';

const DAY_MS = 86_400_000;

export async function expireResidents(db: KioskDb, now: Date): Promise<number> {
	const days = (await getSetting<number>(db, SETTING.retentionDays)) ?? DEFAULT_RETENTION_DAYS;
	const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
	return db.transaction('rw', [db.residents, db.checkIns, db.outbox, db.settings, db.progress, db.outcomeEvents], async () => {
		const stale = await db.residents.where('lastSeenAt').below(cutoff).filter((r) => r.fullName !== '').toArray();
		if (stale.length === 0) return 0;
		const uploaded = new Set((await db.outbox.where('state').equals('sent').toArray()).map((r) => r.sessionId));
		const checkIns = await db.checkIns.where('residentId').anyOf(stale.map((r) => r.id)).toArray();
		const notUploaded = new Set(checkIns.filter((c) => !uploaded.has(c.sessionId)).map((c) => c.residentId));
		const expired = stale.filter((r) => !notUploaded.has(r.id));
		await db.residents.bulkPut(
			expired.map(({ idHash: _hash, hashedWithOldKey: _old, passId: _pass, ...rest }) => ({ ...rest, fullName: '' }))
		);
		const keys = expired.map(residentKeyOf).filter((k): k is string => k !== null);
		if (keys.length > 0) {
			await db.outcomeEvents.where('residentKey').anyOf(keys).delete();
			await db.progress.bulkDelete(keys.filter((k) => k.startsWith('pass:')));
		}
		await forgetOldKeysIfUnused(db);
		return expired.length;
	});
}
