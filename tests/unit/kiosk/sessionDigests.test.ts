// Closed sessions' digests (tablet database version 6): closing a session stores one, the period
// tally reads it instead of the session's rows, and a tablet updated from version 5 keeps all its
// data, counts the same, and gets digests for the sessions it closed before.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Dexie, { liveQuery } from 'dexie';
import { dropKioskDb, freshKioskDb, freshKioskDbName } from '../../fixtures/kioskDb';
import { KioskDb, STORES_V1 } from '$lib/kiosk/db';
import { checkInWithCard } from '$lib/kiosk/checkIn';
import { logAssist } from '$lib/kiosk/assists';
import { closeSession } from '$lib/kiosk/closeSession';
import { periodSummary, type PeriodSummary } from '$lib/kiosk/reports';
import type { CccdCard } from '$lib/domain/cccd';
import { CCCD_LE_VAN_NAM_EXPECTED, CCCD_TRAN_THI_HOA_EXPECTED } from '../../fixtures/cards';

const HOA: CccdCard = CCCD_TRAN_THI_HOA_EXPECTED;
const NAM: CccdCard = CCCD_LE_VAN_NAM_EXPECTED;
const LAN: CccdCard = { idNumber: '042190003344', fullName: 'Phạm Thị Lan', birthYear: 2010, gender: 'female' };
let db: KioskDb;

beforeEach(async () => {
	db = await freshKioskDb();
});
afterEach(() => dropKioskDb(db));

async function visit(card: CccdCard, iso: string, skillCodes = ['vneid_install'], outcome: 'done' | 'partly' = 'done') {
	const result = await checkInWithCard(db, card, new Date(iso));
	if (result.status === 'unknownPass') throw new Error('unexpected');
	const checkIn = (await db.checkIns.where('residentId').equals(result.resident.id).sortBy('at')).at(-1)!;
	await logAssist(db, { checkInId: checkIn.id, memberId: 'demo-member', skillCodes, outcome }, new Date(iso));
	return checkIn.sessionId;
}

/** Three sessions in period 2026-12 (15/11–14/12): two closed, today's still open. */
async function aMonth() {
	const first = await visit(HOA, '2026-11-20T01:00:00Z');
	await visit(NAM, '2026-11-20T01:10:00Z', ['bank_app', 'ewallet_qr'], 'partly');
	await closeSession(db, first, new Date('2026-11-20T05:00:00Z'));
	const second = await visit(HOA, '2026-12-02T01:00:00Z', ['zalo_video']);
	await visit(LAN, '2026-12-02T01:30:00Z');
	await closeSession(db, second, new Date('2026-12-02T05:00:00Z'));
	const open = await visit(NAM, '2026-12-10T01:00:00Z');
	return { closed: [first, second], open };
}

const plain = (s: PeriodSummary) => JSON.parse(JSON.stringify(s)) as unknown;

/** periodSummary as the leader view runs it: inside a Dexie live query (which may not write). */
function liveSummary(target: KioskDb, key: string): Promise<PeriodSummary> {
	return new Promise((resolve, reject) => {
		const sub = liveQuery(async () => await periodSummary(target, key)).subscribe({
			next: (v) => {
				sub.unsubscribe();
				resolve(v);
			},
			error: reject
		});
	});
}

describe('session digests', () => {
	it('are stored when a session closes, and the tally counts a closed session from its digest, not its rows', async () => {
		const { closed, open } = await aMonth();
		expect((await db.sessionDigests.toArray()).map((d) => [d.sessionId, d.version, d.checkIns, d.assists])).toEqual(
			expect.arrayContaining([
				[closed[0], 1, 2, 2],
				[closed[1], 1, 2, 2]
			])
		);
		expect(await db.sessionDigests.get(open)).toBeUndefined();
		const before = await periodSummary(db, '2026-12');
		expect(before.total).toMatchObject({ checkIns: 5, distinctResidents: 3, assists: 5, residentsByGender: { female: 2, male: 1 } });

		// A closed session's rows never change again; were they gone, its digest still counts them.
		await db.checkIns.where('sessionId').equals(closed[0]!).delete();
		await db.assists.where('sessionId').equals(closed[0]!).delete();
		expect(plain(await periodSummary(db, '2026-12'))).toEqual(plain(before));
		// The open session is read from its rows: a new assist there counts at once.
		await visit(LAN, '2026-12-10T02:00:00Z');
		expect((await periodSummary(db, '2026-12')).total).toMatchObject({ checkIns: 6, assists: 6 });
	});

	it('are ignored when the session was closed again at another version, and replaced', async () => {
		const { closed } = await aMonth();
		const before = await periodSummary(db, '2026-12');
		// A digest that does not match its session's version (as a stale one would) is not read.
		await db.sessionDigests.update(closed[0]!, { version: 0, checkIns: 99 });
		expect(plain(await liveSummary(db, '2026-12'))).toEqual(plain(before));
		await vi.waitFor(async () => expect((await db.sessionDigests.get(closed[0]!))?.version).toBe(1));
		expect((await db.sessionDigests.get(closed[0]!))?.checkIns).toBe(2);
	});
});

describe('a tablet updated from database version 5', () => {
	it('keeps every row, counts the same, and stores digests for sessions it closed before, from the first tally', async () => {
		await aMonth();
		const expected = plain(await periodSummary(db, '2026-12'));
		const tables = db.tables.map((t) => t.name).filter((n) => n !== 'sessionDigests');
		const dump = Object.fromEntries(await Promise.all(tables.map(async (n) => [n, await db.table(n).toArray()] as const)));

		// The same data as version 5 of the app left it: no digests table.
		const name = freshKioskDbName('digests-upgrade');
		const v5 = new Dexie(name);
		v5.version(1).stores(STORES_V1);
		v5.version(2).stores({});
		v5.version(3).stores({ residents: 'id, &idHash, &passId, lastSeenAt, hashedWithOldKey' });
		v5.version(4).stores({ submissions: 'period, state' });
		v5.version(5).stores({ progress: 'residentKey, householdId, proficientIn', households: 'id, coveredIn', outcomeEvents: 'id, sessionId, residentKey, at' });
		await v5.open();
		for (const n of tables) await v5.table(n).bulkAdd(dump[n]!);
		v5.close();

		const updated = new KioskDb(name);
		try {
			await updated.open();
			expect(updated.verno).toBe(6);
			for (const n of tables) expect(await updated.table(n).toArray(), n).toEqual(dump[n]);
			expect(await updated.sessionDigests.count()).toBe(0);

			expect(plain(await liveSummary(updated, '2026-12'))).toEqual(expected);
			// Written after the live query, in a transaction of its own: the two closed sessions.
			await vi.waitFor(async () => expect(await updated.sessionDigests.count()).toBe(2));
			expect(plain(await liveSummary(updated, '2026-12'))).toEqual(expected);
		} finally {
			updated.close();
			await updated.delete();
		}
	});
});
