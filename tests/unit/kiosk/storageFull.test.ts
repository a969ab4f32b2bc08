// A full tablet: the quota error is recognised however it arrives, and every save that fails on it
// leaves nothing half-written (each is one transaction, so an earlier write rolls back with it).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropKioskDb, freshKioskDb } from '../../fixtures/kioskDb';
import Dexie from 'dexie';
import type { KioskDb } from '$lib/kiosk/db';
import { checkInWithCard, registerWithoutCard } from '$lib/kiosk/checkIn';
import { logAssist } from '$lib/kiosk/assists';
import { closeSession } from '$lib/kiosk/closeSession';
import { isQuotaError } from '$lib/kiosk/storage';
import { unlockMember } from '$lib/kiosk/unlock';

const quotaDom = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('isQuotaError', () => {
	it('recognises the browser error, bare or wrapped the ways Dexie and our code wrap it', () => {
		expect(isQuotaError(quotaDom())).toBe(true);
		// Chromium's commit-time failure, as Dexie 4 reports it: AbortError with the DOMException inside.
		expect(isQuotaError(new Dexie.AbortError('QuotaExceededError', quotaDom()))).toBe(true);
		expect(isQuotaError(new Dexie.QuotaExceededError('full'))).toBe(true);
		expect(isQuotaError(new Dexie.BulkError('1 of 2 failed', { 1: quotaDom() }))).toBe(true);
		expect(isQuotaError(new Error('could not save', { cause: new Dexie.AbortError('abort', quotaDom()) }))).toBe(true);
		// Firefox's spelling.
		expect(isQuotaError(Object.assign(new Error('quota'), { name: 'NS_ERROR_DOM_QUOTA_REACHED' }))).toBe(true);
	});

	it('does not call other failures "storage full"', () => {
		for (const e of [
			new Error('boom'),
			new DOMException('key exists', 'ConstraintError'),
			new Dexie.AbortError('aborted', new DOMException('x', 'UnknownError')),
			new Dexie.BulkError('1 failed', { 0: new Dexie.ConstraintError('dup') }),
			Object.assign(new Error('code 22 but not a DOMException'), { code: 22 }),
			'QuotaExceededError',
			null,
			undefined
		]) {
			expect(isQuotaError(e), String(e)).toBe(false);
		}
	});

	it('stops on an error that wraps itself', () => {
		const loop: { name: string; inner?: unknown } = { name: 'AbortError' };
		loop.inner = loop;
		expect(isQuotaError(loop)).toBe(false);
	});
});

/** Makes every write to one object store fail as a full disk does, until `restore` is called. */
function failWritesTo(storeName: string): () => void {
	const proto = globalThis.IDBObjectStore.prototype;
	const original = { add: proto.add, put: proto.put };
	for (const method of ['add', 'put'] as const) {
		proto[method] = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
			if (this.name === storeName) throw quotaDom();
			return original[method].apply(this, args);
		};
	}
	return () => Object.assign(proto, original);
}

const HOA = { idNumber: '001058012345', fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' as const };
let db: KioskDb;
let restore = () => {};

beforeEach(async () => {
	db = await freshKioskDb();
});
afterEach(() => {
	restore();
	return dropKioskDb(db);
});

async function everything() {
	const [residents, sessions, checkIns, assists, outbox] = await Promise.all([
		db.residents.toArray(),
		db.sessions.toArray(),
		db.checkIns.toArray(),
		db.assists.toArray(),
		db.outbox.toArray()
	]);
	return { residents, sessions, checkIns, assists, outbox };
}

describe('a save that hits a full disk leaves nothing half-written', () => {
	it('check-in: no resident and no session without the check-in', async () => {
		restore = failWritesTo('checkIns');
		const failure = await checkInWithCard(db, HOA, new Date()).catch((e: unknown) => e);
		expect(isQuotaError(failure)).toBe(true);
		expect(await everything()).toMatchObject({ residents: [], sessions: [], checkIns: [] });
		restore();
		expect(await checkInWithCard(db, HOA, new Date())).toMatchObject({ status: 'checkedIn', queueNumber: 1 });
	});

	it('no-card registration: no resident without a place in the queue', async () => {
		restore = failWritesTo('checkIns');
		const failure = await registerWithoutCard(db, { fullName: 'Phạm Văn Đức', birthYear: 1949, gender: 'male' }, new Date()).catch((e: unknown) => e);
		expect(isQuotaError(failure)).toBe(true);
		expect(await everything()).toMatchObject({ residents: [], sessions: [], checkIns: [] });
	});

	it('assist: not stored, and the member is not marked present by it', async () => {
		await checkInWithCard(db, HOA, new Date());
		const [checkIn] = await db.checkIns.toArray();
		const before = await everything();
		// The assist row is written first, the session's presence list after it: fail the second.
		restore = failWritesTo('sessions');
		const failure = await logAssist(db, { checkInId: checkIn!.id, memberId: 'demo-member', skillCodes: ['bank_app'], outcome: 'done' }, new Date()).catch(
			(e: unknown) => e
		);
		expect(isQuotaError(failure)).toBe(true);
		expect(await everything()).toEqual(before);
	});

	it('closing: the session stays open when its tally cannot be queued', async () => {
		await checkInWithCard(db, HOA, new Date());
		const [session] = await db.sessions.toArray();
		restore = failWritesTo('outbox');
		const failure = await closeSession(db, session!.id, new Date()).catch((e: unknown) => e);
		expect(isQuotaError(failure)).toBe(true);
		expect(await db.sessions.get(session!.id)).toMatchObject({ status: 'open', version: 0 });
		expect(await db.sessions.get(session!.id)).not.toHaveProperty('endedAt');
		expect(await db.outbox.count()).toBe(0);
		restore();
		await closeSession(db, session!.id, new Date());
		expect(await db.sessions.get(session!.id)).toMatchObject({ status: 'closed', version: 1 });
		expect(await db.outbox.count()).toBe(1);
	});

	it('unlocking with the right PIN still works on a full disk, so the leader can act on it', async () => {
		restore = failWritesTo('settings');
		expect(await unlockMember(db, 'demo-leader', '1111', new Date())).toMatchObject({ ok: true });
		// A wrong PIN must be counted; when it cannot be, the attempt is refused, not let through.
		await expect(unlockMember(db, 'demo-leader', '9999', new Date())).rejects.toSatisfy(isQuotaError);
	});
});
