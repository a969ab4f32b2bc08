// The tablet's own resident key: made once on the device, non-extractable, the same after a restart;
// and the move of a tablet that held the deployment's shared key (raw bytes) to its own.
import { afterEach, describe, expect, it } from 'vitest';
import { freshKioskDbName } from '../../fixtures/kioskDb';
import Dexie from 'dexie';
import { KioskDb, STORES_V1, type ResidentRow } from '$lib/kiosk/db';
import { ensureSeeded } from '$lib/kiosk/team';
import { ensureResidentKey, RESIDENT_KEY_SETTING, residentKeys } from '$lib/kiosk/residentKeys';
import { checkInWithCard } from '$lib/kiosk/checkIn';
import { closeSession } from '$lib/kiosk/closeSession';
import { expireResidents } from '$lib/kiosk/retention';
import { importResidentKey, residentIdHash } from '$lib/domain/residentKey';

const HOA = { idNumber: '001058012345', fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' as const };
const NAM = { idNumber: '038095001122', fullName: 'Lê Văn Nam', birthYear: 1995, gender: 'male' as const };
const SHARED = new Uint8Array(32).fill(7); // the deployment's key an older server sent every tablet
const DEMO = new Uint8Array(32).fill(9); // the key this tablet made before it was enrolled
const at = (iso: string) => new Date(iso);

const opened: Dexie[] = [];
function open<T extends Dexie>(db: T): T {
	opened.push(db);
	return db;
}
const freshName = () => freshKioskDbName('resident-keys');

afterEach(async () => {
	for (const db of opened.splice(0)) db.close();
});

async function storedKey(db: KioskDb): Promise<CryptoKey> {
	return (await db.settings.get(RESIDENT_KEY_SETTING.own))?.value as CryptoKey;
}

describe('the tablet\'s own resident key', () => {
	it('is made on first start, non-extractable, and not made again', async () => {
		const db = open(new KioskDb(freshName()));
		await ensureSeeded(db, 1000);
		const key = await storedKey(db);
		expect(key).toBeInstanceOf(CryptoKey);
		expect(key.extractable).toBe(false);
		expect(key.usages).toEqual(['sign']);
		expect(key.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' }, length: 256 });
		await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
		await expect(crypto.subtle.exportKey('jwk', key)).rejects.toThrow();

		const hash = await residentIdHash(HOA.idNumber, key);
		await ensureSeeded(db, 1000);
		expect(await residentIdHash(HOA.idNumber, await storedKey(db))).toBe(hash);
		expect(await db.settings.filter((s) => s.value instanceof CryptoKey).count()).toBe(1);
	});

	it('gives the same hash after the database is closed and opened again (a reload)', async () => {
		const name = freshName();
		const first = open(new KioskDb(name));
		await ensureSeeded(first, 1000);
		await checkInWithCard(first, HOA, at('2026-11-20T01:00:00Z'));
		const [stored] = await first.residents.toArray();
		first.close();

		const reopened = open(new KioskDb(name));
		const { own, old } = await residentKeys(reopened);
		expect(old).toEqual([]);
		expect(own.extractable).toBe(false);
		expect(await residentIdHash(HOA.idNumber, own)).toBe(stored!.idHash);
		expect(await checkInWithCard(reopened, HOA, at('2026-11-21T01:00:00Z'))).toMatchObject({ status: 'checkedIn', firstVisit: false });
		expect(await reopened.residents.count()).toBe(1);
	});

	it('two tabs starting at once end up with one key', async () => {
		const name = freshName();
		const [tabA, tabB] = [open(new KioskDb(name)), open(new KioskDb(name))];
		const [a, b] = await Promise.all([ensureResidentKey(tabA), ensureResidentKey(tabB)]);
		const stored = await storedKey(tabA);
		const hash = await residentIdHash(HOA.idNumber, stored);
		expect(await residentIdHash(HOA.idNumber, a)).toBe(hash);
		expect(await residentIdHash(HOA.idNumber, b)).toBe(hash);
		expect(await residentIdHash(HOA.idNumber, await storedKey(tabB))).toBe(hash);
	});

	it('each tablet has its own: the same card gives different hashes on two tablets', async () => {
		const [one, two] = [open(new KioskDb(freshName())), open(new KioskDb(freshName()))];
		await Promise.all([ensureSeeded(one, 1000), ensureSeeded(two, 1000)]);
		expect(await residentIdHash(HOA.idNumber, await storedKey(one))).not.toBe(await residentIdHash(HOA.idNumber, await storedKey(two)));
	});
});

/**
 * A database as the previous app version left it (Dexie version 2): raw key bytes in settings
 * (the shared key from enrolment, the demo key before it) and residents hashed with them.
 */
async function olderTablet(name: string, residents: Omit<ResidentRow, 'createdAt' | 'lastSeenAt'>[], lastSeenAt = '2026-11-01T01:00:00.000Z') {
	const old = new Dexie(name);
	old.version(1).stores(STORES_V1);
	old.version(2).stores({});
	await old.table('settings').bulkPut([
		{ key: 'residentKeySecret', value: SHARED },
		{ key: 'previousResidentKeySecrets', value: [DEMO] }
	]);
	await old.table('residents').bulkPut(residents.map((r) => ({ ...r, createdAt: lastSeenAt, lastSeenAt })));
	old.close();
}

const hashWith = async (raw: Uint8Array, idNumber: string) => residentIdHash(idNumber, await importResidentKey(raw));

describe('a tablet that held the shared key moves to its own', () => {
	it('deletes the raw bytes, recognises each resident once with the old key, re-keys them, then forgets the old key', async () => {
		const name = freshName();
		await olderTablet(name, [
			{ id: 'hoa', idHash: await hashWith(SHARED, HOA.idNumber), fullName: HOA.fullName, birthYear: 1958, gender: 'female' },
			{ id: 'nam', idHash: await hashWith(DEMO, NAM.idNumber), fullName: NAM.fullName, birthYear: 1995, gender: 'male' },
			{ id: 'duc', passId: 'f'.repeat(32), fullName: 'Phạm Văn Đức', birthYear: 1949, gender: 'male' }
		]);
		const db = open(new KioskDb(name));
		await ensureSeeded(db, 1000);

		const settings = await db.settings.toArray();
		expect(settings.filter((s) => s.value instanceof Uint8Array || (Array.isArray(s.value) && s.value[0] instanceof Uint8Array))).toEqual([]);
		expect(settings.map((s) => s.key)).not.toContain('residentKeySecret');
		expect(settings.map((s) => s.key)).not.toContain('previousResidentKeySecrets');
		const { own, old } = await residentKeys(db);
		expect([own, ...old].map((k) => k.extractable)).toEqual([false, false, false]);
		expect(await residentIdHash(HOA.idNumber, own)).not.toBe(await hashWith(SHARED, HOA.idNumber));
		expect((await db.residents.where('hashedWithOldKey').equals(1).primaryKeys()).sort()).toEqual(['hoa', 'nam']);

		// Hoa comes back: the same resident, not a first visit, and now hashed with this tablet's key.
		const hoa = await checkInWithCard(db, HOA, at('2026-11-20T01:00:00Z'));
		expect(hoa).toMatchObject({ status: 'checkedIn', firstVisit: false, resident: { id: 'hoa' } });
		const rekeyed = (await db.residents.get('hoa'))!;
		expect(rekeyed.idHash).toBe(await residentIdHash(HOA.idNumber, own));
		expect(rekeyed.hashedWithOldKey).toBeUndefined();
		expect((await residentKeys(db)).old).toHaveLength(2); // Nam still needs one

		// Nam, registered before enrolment, is recognised too; he was the last: the old keys go.
		expect(await checkInWithCard(db, NAM, at('2026-11-20T01:05:00Z'))).toMatchObject({ firstVisit: false, resident: { id: 'nam' } });
		expect(await db.settings.get(RESIDENT_KEY_SETTING.old)).toBeUndefined();
		expect(await db.residents.count()).toBe(3);

		// The tally counts no first-time resident, and both are recognised by the own key from now on.
		const [checkIn] = await db.checkIns.toArray();
		expect((await closeSession(db, checkIn!.sessionId, at('2026-11-20T04:00:00Z'))).firstTimeResidents).toBe(0);
		expect(await checkInWithCard(db, HOA, at('2026-11-21T01:00:00Z'))).toMatchObject({ firstVisit: false, resident: { id: 'hoa' } });
	});

	it('the old key goes when retention erases the last resident it could recognise', async () => {
		const name = freshName();
		await olderTablet(name, [{ id: 'hoa', idHash: await hashWith(SHARED, HOA.idNumber), fullName: HOA.fullName, birthYear: 1958, gender: 'female' }], '2026-01-10T01:00:00.000Z');
		const db = open(new KioskDb(name));
		await ensureSeeded(db, 1000);
		expect((await residentKeys(db)).old).toHaveLength(2);
		expect(await expireResidents(db, at('2026-06-01T00:00:00Z'))).toBe(1); // no check-in waits for upload
		expect(await db.settings.get(RESIDENT_KEY_SETTING.old)).toBeUndefined();
		expect((await db.residents.get('hoa'))!.hashedWithOldKey).toBeUndefined();
		expect(await checkInWithCard(db, HOA, at('2026-06-02T01:00:00Z'))).toMatchObject({ firstVisit: true });
	});

	it('keeps no old key when no resident was hashed with one', async () => {
		const name = freshName();
		await olderTablet(name, [{ id: 'duc', passId: 'f'.repeat(32), fullName: 'Phạm Văn Đức', birthYear: 1949, gender: 'male' }]);
		const db = open(new KioskDb(name));
		await ensureSeeded(db, 1000);
		expect(await db.settings.get(RESIDENT_KEY_SETTING.old)).toBeUndefined();
		expect(await db.settings.get('residentKeySecret')).toBeUndefined();
		expect((await storedKey(db)).extractable).toBe(false);
	});

	it('two tabs moving at once convert the old keys once', async () => {
		const name = freshName();
		await olderTablet(name, [{ id: 'hoa', idHash: await hashWith(SHARED, HOA.idNumber), fullName: HOA.fullName, birthYear: 1958, gender: 'female' }]);
		const [tabA, tabB] = [open(new KioskDb(name)), open(new KioskDb(name))];
		await Promise.all([ensureResidentKey(tabA), ensureResidentKey(tabB)]);
		expect((await residentKeys(tabA)).old).toHaveLength(2); // the shared key and the demo key, once each
		await ensureSeeded(tabB, 1000);
		expect(await checkInWithCard(tabB, HOA, at('2026-11-20T01:00:00Z'))).toMatchObject({ firstVisit: false, resident: { id: 'hoa' } });
	});
});
