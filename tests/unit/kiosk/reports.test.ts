// The leader's period numbers, from check-ins and assists made the way the kiosk makes them:
// only the period's sessions count, a resident who came twice is one person in the total, and
// each tally leaves the user-timing measure that `npm run bench` reads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropKioskDb, freshKioskDb, freshKioskDbName } from '../../fixtures/kioskDb';
import { KioskDb } from '$lib/kiosk/db';
import { checkInWithCard } from '$lib/kiosk/checkIn';
import { logAssist } from '$lib/kiosk/assists';
import { PERIOD_TALLY_MEASURE, periodSummary, sessionSummary } from '$lib/kiosk/reports';
import type { CccdCard } from '$lib/domain/cccd';
import Dexie from 'dexie';

const HOA: CccdCard = { idNumber: '001058012345', fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' };
const NAM: CccdCard = { idNumber: '038095001122', fullName: 'Lê Văn Nam', birthYear: 1995, gender: 'male' };
let db: KioskDb;

beforeEach(async () => {
	db = await freshKioskDb();
});
afterEach(() => dropKioskDb(db));

/** Checks the card in at `iso` and logs one assist for it by the demo member. */
async function visit(card: CccdCard, iso: string, skillCodes = ['vneid_install']) {
	const result = await checkInWithCard(db, card, new Date(iso));
	if (result.status === 'unknownPass') throw new Error('unexpected');
	const checkIn = (await db.checkIns.where('residentId').equals(result.resident.id).sortBy('at')).at(-1)!;
	await logAssist(db, { checkInId: checkIn.id, memberId: 'demo-member', skillCodes, outcome: 'done' }, new Date(iso));
}

describe('periodSummary', () => {
	it("counts the period's sessions, each on its own and together, and nothing outside it", async () => {
		// Period 2026-12 runs 15/11 to 14/12 (Vietnam dates; 01:00Z is 08:00 there).
		await visit(HOA, '2026-11-14T01:00:00Z'); // the day before: period 2026-11
		await visit(HOA, '2026-11-20T01:00:00Z');
		await visit(NAM, '2026-11-20T01:10:00Z', ['bank_app', 'ewallet_qr']);
		await visit(HOA, '2026-12-02T01:00:00Z');

		const summary = await periodSummary(db, '2026-12');
		expect(summary.period).toMatchObject({ first: '2026-11-15', last: '2026-12-14' });
		expect(summary.sessions.map((s) => [s.session.date, s.counts.checkIns, s.counts.assists])).toEqual([
			['2026-11-20', 2, 2],
			['2026-12-02', 1, 1]
		]);
		expect(summary.total).toMatchObject({
			checkIns: 3,
			distinctResidents: 2,
			firstTimeResidents: 1, // Hoa's first visit was in the period before
			residentsByGender: { female: 1, male: 1 },
			assists: 3,
			assistsByOutcome: { done: 3, partly: 0, referred: 0 }
		});
		expect({ ...summary.total.assistsBySkill }).toEqual({ vneid_install: 2, bank_app: 1, ewallet_qr: 1 });

		const earlier = await periodSummary(db, '2026-11');
		expect(earlier.total).toMatchObject({ checkIns: 1, distinctResidents: 1, firstTimeResidents: 1, assists: 1 });
		expect((await periodSummary(db, '2027-01')).total.checkIns).toBe(0);

		const day = await sessionSummary(db, summary.sessions[0]!.session);
		expect(day.counts).toEqual(summary.sessions[0]!.counts);
	});

	it('leaves a performance measure saying what it counted', async () => {
		await visit(HOA, '2026-11-20T01:00:00Z');
		performance.clearMeasures(PERIOD_TALLY_MEASURE);
		await periodSummary(db, '2026-12');
		const [measure] = performance.getEntriesByName(PERIOD_TALLY_MEASURE, 'measure') as PerformanceMeasure[];
		expect(measure!.duration).toBeGreaterThanOrEqual(0);
		expect(measure!.detail).toEqual({ period: '2026-12', sessions: 1, checkIns: 1, assists: 1 });
	});
});

describe('who a resident was, kept on the check-in', () => {
	it('counts the same without resident rows, and falls back to them for rows made before version 2', async () => {
		await visit(HOA, '2026-11-20T01:00:00Z');
		await visit(NAM, '2026-11-20T01:10:00Z', ['bank_app']);
		const withSnapshot = await periodSummary(db, '2026-12');
		const rows = await db.checkIns.toArray();
		expect(rows.map((c) => [c.gender, c.birthYear]).sort()).toEqual([
			['female', 1958],
			['male', 1995]
		]);
		// As rows written before version 2 look: the tally must then read the residents.
		await db.checkIns.toCollection().modify((c) => {
			delete c.gender;
			delete c.birthYear;
		});
		const fromResidents = await periodSummary(db, '2026-12');
		expect(fromResidents.total).toEqual(withSnapshot.total);
		expect(withSnapshot.total.residentsByGender).toEqual({ male: 1, female: 1 });
	});

	it('the version 2 upgrade fills them in on check-ins a version 1 tablet wrote', async () => {
		db.close();
		await db.delete();
		const name = freshKioskDbName('reports-upgrade');
		const v1 = new Dexie(name);
		v1.version(1).stores({ residents: 'id, &idHash, &passId, lastSeenAt', checkIns: 'id, sessionId, residentId, &[sessionId+residentId], at' });
		await v1.table('residents').add({ id: 'r1', fullName: 'Trần Thị Hoa', gender: 'female', birthYear: 1958, createdAt: '', lastSeenAt: '' });
		await v1.table('checkIns').add({ id: 'c1', sessionId: 's1', residentId: 'r1', at: '', queueNumber: 1, firstVisit: true });
		v1.close();
		db = new KioskDb(name);
		expect(await db.checkIns.get('c1')).toMatchObject({ gender: 'female', birthYear: 1958 });
	});
});
