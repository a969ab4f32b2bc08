// The keys that hash residents' ID numbers on this tablet. Each tablet makes its own on first start
// and keeps it in IndexedDB as a non-extractable CryptoKey: it is never exported, never sent, and
// the server has none. A resident first seen at another hall is a first visit here.
//
// Tablets from before kept raw key bytes: the deployment's shared key from enrolment (and the demo
// key before it). On the first start of this version those bytes are imported as non-extractable
// "old keys" and deleted; the old keys recognise residents hashed with them once, and each is
// re-keyed at that visit (so nobody becomes a first-time resident because of the move). The old
// keys are deleted as soon as no resident row needs them: every one has come back, or been erased
// by the retention period (retention.ts).
import { generateResidentKey, importResidentKey } from '$lib/domain/residentKey';
import { getSetting, type KioskDb } from './db';

export const RESIDENT_KEY_SETTING = {
	/** This tablet's own key (CryptoKey, extractable false). */
	own: 'residentKey',
	/** Keys from before the move (CryptoKey[], extractable false), while a resident still needs one. */
	old: 'oldResidentKeys',
	/** Raw bytes written by earlier app versions: converted to `old` and deleted at start. */
	rawShared: 'residentKeySecret',
	rawPrevious: 'previousResidentKeySecrets'
} as const;

export interface ResidentKeys {
	own: CryptoKey;
	old: CryptoKey[];
}

/** True while some resident's ID hash was made with an old key. Inside a transaction over residents. */
async function oldKeysNeeded(db: KioskDb): Promise<boolean> {
	return (await db.residents.where('hashedWithOldKey').equals(1).count()) > 0;
}

/**
 * This tablet's key, made (and any raw old key converted) on first call. Two tabs starting at
 * once both make a key, but the transaction keeps only the first one stored and both use it.
 */
export async function ensureResidentKey(db: KioskDb): Promise<CryptoKey> {
	const [own, rawShared, rawPrevious] = await Promise.all([
		getSetting<CryptoKey>(db, RESIDENT_KEY_SETTING.own),
		getSetting<Uint8Array>(db, RESIDENT_KEY_SETTING.rawShared),
		getSetting<Uint8Array[]>(db, RESIDENT_KEY_SETTING.rawPrevious)
	]);
	if (own && !rawShared && !rawPrevious) return own;
	// WebCrypto is not an IndexedDB request: awaiting it inside the transaction would commit it.
	// So keys are made first and the transaction decides which are kept.
	const made = own ?? (await generateResidentKey());
	const raw = [rawShared, ...(rawPrevious ?? [])].filter((k): k is Uint8Array => k instanceof Uint8Array && k.length >= 32);
	const imported = await Promise.all(raw.map(importResidentKey));
	return db.transaction('rw', [db.settings, db.residents], async () => {
		const stored = await getSetting<CryptoKey>(db, RESIDENT_KEY_SETTING.own);
		if (!stored) await db.settings.put({ key: RESIDENT_KEY_SETTING.own, value: made });
		const rawLeft = await db.settings.bulkGet([RESIDENT_KEY_SETTING.rawShared, RESIDENT_KEY_SETTING.rawPrevious]);
		if (rawLeft.some(Boolean)) {
			// Not yet converted by another tab.
			if (await oldKeysNeeded(db)) {
				const old = (await getSetting<CryptoKey[]>(db, RESIDENT_KEY_SETTING.old)) ?? [];
				await db.settings.put({ key: RESIDENT_KEY_SETTING.old, value: [...old, ...imported] });
			}
			await db.settings.bulkDelete([RESIDENT_KEY_SETTING.rawShared, RESIDENT_KEY_SETTING.rawPrevious]);
		}
		return stored ?? made;
	});
}

/**
 * The keys as last read, per database: every card read needs them, and reading them (four settings)
 * was a good part of a check-in on a tablet-class CPU (npm run bench: scan → greeting). The own key
 * never changes once made; old keys are only ever dropped, and forgetOldKeysIfUnused drops the
 * copy (a copy still holding a key another tab dropped costs one needless hash, nothing else).
 */
const known = new WeakMap<KioskDb, ResidentKeys>();

/** The tablet's key and any old keys still needed to recognise a resident once. */
export async function residentKeys(db: KioskDb): Promise<ResidentKeys> {
	const cached = known.get(db);
	if (cached) return cached;
	const own = await ensureResidentKey(db);
	const keys = { own, old: (await getSetting<CryptoKey[]>(db, RESIDENT_KEY_SETTING.old)) ?? [] };
	known.set(db, keys);
	return keys;
}

/** Deletes the old keys once no resident needs them. Inside a 'rw' transaction over residents and settings. */
export async function forgetOldKeysIfUnused(db: KioskDb): Promise<void> {
	if (!(await oldKeysNeeded(db))) {
		known.delete(db);
		await db.settings.delete(RESIDENT_KEY_SETTING.old);
	}
}
