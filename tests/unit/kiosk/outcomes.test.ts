// The five basic skills and households on a real IndexedDB implementation: what a member records,
// what a session's close counts (once per tablet), and what the retention rule keeps.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropKioskDb, freshKioskDb } from '../../fixtures/kioskDb';
import type { KioskDb } from '$lib/kiosk/db';
import { checkInWithCard, registerWithoutCard } from '$lib/kiosk/checkIn';
import { logAssist } from '$lib/kiosk/assists';
import { closeSession } from '$lib/kiosk/closeSession';
import { expireResidents } from '$lib/kiosk/retention';
import { addHousehold, correctMark, HouseholdLabelError, linkHousehold, liveOutcomes, OutcomeNotAllowedError, removeHousehold, renameHousehold, residentKeyOf } from '$lib/kiosk/outcomes';
import { validateAnySessionTally } from '$lib/domain/tallySchema';
import type { CccdCard } from '$lib/domain/cccd';

const at = (iso: string) => new Date(iso);
const HOA = { idNumber: '001058012345', fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' as const };
const NAM = { idNumber: '038095001122', fullName: 'Lê Văn Nam', birthYear: 1995, gender: 'male' as const };
const MEMBER = 'demo-member';
/** One skill of each basic group, in the groups' order. */
const SKILL = { publicServices: 'vneid_install', shopping: 'ecommerce', payment: 'bank_app', safety: 'scam_awareness', localPlatforms: 'online_learning' };

let db: KioskDb;
beforeEach(async () => {
	db = await freshKioskDb();
});
afterEach(() => dropKioskDb(db));

async function visit(card: Omit<CccdCard, 'issuedOn' | 'address'> & Partial<CccdCard>, when: string) {
	const result = await checkInWithCard(db, card as CccdCard, at(when));
	if (result.status === 'unknownPass') throw new Error('unexpected');
	const checkIn = (await db.checkIns.where('residentId').equals(result.resident.id).toArray()).find((c) => c.at === at(when).toISOString())!;
	return { checkIn, sessionId: checkIn.sessionId, resident: result.resident };
}

async function teach(checkInId: string, skills: string[], when: string, outcome: 'done' | 'partly' = 'done') {
	await logAssist(db, { checkInId, memberId: MEMBER, skillCodes: skills, outcome }, at(when));
}

describe('households on the tablet', () => {
	it('keeps a label and refuses one carrying a phone or ID number', async () => {
		const h = await addHousehold(db, '  Hộ ông Lê Văn Cường, xóm 3 ', at('2026-11-20T01:00:00Z'));
		expect(h).toMatchObject({ label: 'Hộ ông Lê Văn Cường, xóm 3', coveredIn: null });
		await expect(addHousehold(db, 'Hộ bà Hoa 0912 345 678', new Date())).rejects.toMatchObject({ problem: 'looksLikeNumber' });
		await expect(addHousehold(db, '   ', new Date())).rejects.toBeInstanceOf(HouseholdLabelError);
		expect((await db.households.toArray()).map((x) => x.label)).toEqual(['Hộ ông Lê Văn Cường, xóm 3']);
	});

	it('corrects a label, checked as a new one is; its links and coverage stay', async () => {
		const { checkIn } = await visit(HOA, '2026-11-20T01:00:00Z');
		const h = await addHousehold(db, 'Hộ bà Hao', at('2026-11-20T01:01:00Z'));
		await linkHousehold(db, { checkInId: checkIn.id, householdId: h.id, memberId: MEMBER }, at('2026-11-20T01:02:00Z'));
		await db.households.update(h.id, { coveredIn: checkIn.sessionId });
		expect(await renameHousehold(db, h.id, '  Hộ bà Hoa, xóm 3 ')).toBe('Hộ bà Hoa, xóm 3');
		await expect(renameHousehold(db, h.id, 'Hộ bà Hoa 0912 345 678')).rejects.toMatchObject({ problem: 'looksLikeNumber' });
		await expect(renameHousehold(db, h.id, ' ')).rejects.toBeInstanceOf(HouseholdLabelError);
		expect(await db.households.get(h.id)).toMatchObject({ id: h.id, label: 'Hộ bà Hoa, xóm 3', coveredIn: checkIn.sessionId, createdAt: h.createdAt });
		const live = await liveOutcomes(db, checkIn.sessionId);
		expect(live.byResidentId.get(checkIn.residentId)?.householdId).toBe(h.id);
		expect(await renameHousehold(db, 'nope', 'Hộ ông Nam')).toBeNull();
		expect(await db.households.count()).toBe(1);
	});

	it('a link names a resident of an open session and a household the tablet has', async () => {
		const { checkIn } = await visit(HOA, '2026-11-20T01:00:00Z');
		await expect(linkHousehold(db, { checkInId: checkIn.id, householdId: 'nope', memberId: MEMBER }, new Date())).rejects.toBeInstanceOf(
			OutcomeNotAllowedError
		);
		const h = await addHousehold(db, 'Hộ bà Hoa', at('2026-11-20T01:01:00Z'));
		const link = await linkHousehold(db, { checkInId: checkIn.id, householdId: h.id, memberId: MEMBER }, at('2026-11-20T01:02:00Z'));
		expect(link).toMatchObject({ kind: 'link', memberId: MEMBER, householdId: h.id, sessionId: checkIn.sessionId });
		expect(link.residentKey).not.toContain(HOA.idNumber);
		await closeSession(db, checkIn.sessionId, at('2026-11-20T04:00:00Z'));
		await expect(linkHousehold(db, { checkInId: checkIn.id, householdId: null, memberId: MEMBER }, new Date())).rejects.toThrow(/closed/i);
	});
});

describe('taking a household off the list', () => {
	it('an empty one goes; one with a resident (even linked only in the open session) or a covered one stays', async () => {
		const mistaken = await addHousehold(db, 'Hộ ông Tình (nhập nhầm)', at('2026-11-20T00:00:00Z'));
		const kept = await addHousehold(db, 'Hộ ông Phan Văn Tình, xóm 3', at('2026-11-20T00:00:00Z'));
		const { checkIn, sessionId } = await visit(HOA, '2026-11-20T01:00:00Z');
		await linkHousehold(db, { checkInId: checkIn.id, householdId: kept.id, memberId: MEMBER }, at('2026-11-20T01:01:00Z'));
		await expect(removeHousehold(db, kept.id, sessionId)).rejects.toMatchObject({ problem: 'hasMembers' });
		// Linked to the mistaken one and moved away in the same session: the close would still read
		// that link, so the household stays until the session is closed.
		await linkHousehold(db, { checkInId: checkIn.id, householdId: mistaken.id, memberId: MEMBER }, at('2026-11-20T01:02:00Z'));
		await linkHousehold(db, { checkInId: checkIn.id, householdId: kept.id, memberId: MEMBER }, at('2026-11-20T01:03:00Z'));
		await expect(removeHousehold(db, mistaken.id, sessionId)).rejects.toMatchObject({ problem: 'hasMembers' });
		await teach(checkIn.id, Object.values(SKILL), '2026-11-20T01:05:00Z');
		await closeSession(db, sessionId, at('2026-11-20T04:00:00Z'));
		await removeHousehold(db, mistaken.id, null);
		expect((await db.households.toArray()).map((h) => h.label)).toEqual(['Hộ ông Phan Văn Tình, xóm 3']);
		await expect(removeHousehold(db, kept.id, null)).rejects.toMatchObject({ problem: 'covered' });
	});
});

describe('a session close counts outcomes once per tablet', () => {
	it('three residents taught over three sessions: one becomes proficient and covers the household, once', async () => {
		const household = await addHousehold(db, 'Hộ ông Lê Văn Cường, xóm 3', at('2026-11-18T01:00:00Z'));
		const DUC = { idNumber: '042070000777', fullName: 'Lê Văn Đức', birthYear: 1970, gender: 'male' as const };

		// Session 1: Hoa does public services and payment; Nam is only partly there; Đức shops.
		const s1 = [await visit(HOA, '2026-11-18T01:00:00Z'), await visit(NAM, '2026-11-18T01:05:00Z'), await visit(DUC, '2026-11-18T01:06:00Z')];
		await linkHousehold(db, { checkInId: s1[0]!.checkIn.id, householdId: household.id, memberId: MEMBER }, at('2026-11-18T01:10:00Z'));
		await linkHousehold(db, { checkInId: s1[2]!.checkIn.id, householdId: household.id, memberId: MEMBER }, at('2026-11-18T01:10:30Z'));
		await teach(s1[0]!.checkIn.id, [SKILL.publicServices, SKILL.payment], '2026-11-18T01:11:00Z');
		await teach(s1[1]!.checkIn.id, [SKILL.safety], '2026-11-18T01:12:00Z', 'partly');
		await teach(s1[2]!.checkIn.id, [SKILL.shopping, 'zalo_video'], '2026-11-18T01:13:00Z');
		const live = await liveOutcomes(db, s1[0]!.sessionId);
		expect(live.byResidentId.get(s1[0]!.resident.id)?.marks).toEqual(['publicServices', 'payment']);
		expect(await db.progress.count()).toBe(0); // nothing is written before the close
		const t1 = await closeSession(db, s1[0]!.sessionId, at('2026-11-18T04:00:00Z'));
		expect(t1).toMatchObject({
			schema: 2,
			residentsNewlyProficient: 0,
			householdsNewlyCovered: 0,
			residentsGainedByGroup: { publicServices: 1, shopping: 1, payment: 1, safety: 0, localPlatforms: 0 }
		});
		expect(validateAnySessionTally(t1).ok).toBe(true);

		// Session 2: Hoa shops and stays safe; a member marks local platforms by mistake and clears it.
		const s2 = [await visit(HOA, '2026-11-19T01:00:00Z'), await visit(NAM, '2026-11-19T01:01:00Z')];
		await teach(s2[0]!.checkIn.id, [SKILL.shopping, SKILL.safety], '2026-11-19T01:05:00Z');
		await correctMark(db, { checkInId: s2[0]!.checkIn.id, group: 'localPlatforms', marked: true, memberId: MEMBER }, at('2026-11-19T01:06:00Z'));
		await correctMark(db, { checkInId: s2[0]!.checkIn.id, group: 'localPlatforms', marked: false, memberId: MEMBER }, at('2026-11-19T01:07:00Z'));
		await teach(s2[1]!.checkIn.id, [SKILL.safety], '2026-11-19T01:08:00Z');
		const t2 = await closeSession(db, s2[0]!.sessionId, at('2026-11-19T04:00:00Z'));
		expect(t2).toMatchObject({
			residentsNewlyProficient: 0,
			householdsNewlyCovered: 0,
			residentsGainedByGroup: { publicServices: 0, shopping: 1, payment: 0, safety: 2, localPlatforms: 0 }
		});

		// Session 3: Hoa learns on Bình dân học vụ số: all five, proficient; the household is covered.
		const s3 = await visit(HOA, '2026-11-20T01:00:00Z');
		await teach(s3.checkIn.id, ['binh_dan_hoc_vu_so'], '2026-11-20T01:05:00Z');
		expect((await liveOutcomes(db, s3.sessionId)).households[0]?.coveredIn).toBe(s3.sessionId);
		const t3 = await closeSession(db, s3.sessionId, at('2026-11-20T04:00:00Z'));
		expect(t3).toMatchObject({ distinctResidents: 1, residentsNewlyProficient: 1, householdsNewlyCovered: 1 });
		expect(t3.residentsGainedByGroup.localPlatforms).toBe(1);
		expect((await db.households.get(household.id))?.coveredIn).toBe(s3.sessionId);

		// Session 4: Đức becomes proficient too; the household was already covered.
		const s4 = await visit(DUC, '2026-11-21T01:00:00Z');
		await teach(s4.checkIn.id, Object.values(SKILL), '2026-11-21T01:05:00Z');
		const t4 = await closeSession(db, s4.sessionId, at('2026-11-21T04:00:00Z'));
		expect(t4).toMatchObject({ residentsNewlyProficient: 1, householdsNewlyCovered: 0 });
		// The stored progress has no name, and the corrections are on the tablet with who and when.
		expect(JSON.stringify(await db.progress.toArray())).not.toMatch(/Hoa|Nam|Đức|1958/);
		expect((await db.outcomeEvents.toArray()).filter((e) => e.kind === 'correction').map((e) => e.memberId)).toEqual([MEMBER, MEMBER]);
	});

	it('a resident whose name the retention rule erased is not counted again when they come back', async () => {
		const h = await addHousehold(db, 'Hộ bà Hoa', at('2026-01-10T00:00:00Z'));
		const first = await visit(HOA, '2026-01-10T01:00:00Z');
		await linkHousehold(db, { checkInId: first.checkIn.id, householdId: h.id, memberId: MEMBER }, at('2026-01-10T01:01:00Z'));
		await teach(first.checkIn.id, Object.values(SKILL), '2026-01-10T01:05:00Z');
		const t1 = await closeSession(db, first.sessionId, at('2026-01-10T04:00:00Z'));
		expect(t1).toMatchObject({ residentsNewlyProficient: 1, householdsNewlyCovered: 1 });
		await db.outbox.update(first.sessionId, { state: 'sent' });

		expect(await expireResidents(db, at('2026-06-01T00:00:00Z'))).toBe(1);
		expect((await db.residents.toArray())[0]).toMatchObject({ fullName: '' });
		// Who linked her, and when, went with her name; her marks stayed, under her card's hash.
		expect(await db.outcomeEvents.count()).toBe(0);
		expect(await db.progress.count()).toBe(1);

		const back = await visit(HOA, '2026-06-02T01:00:00Z');
		expect(residentKeyOf(back.resident)).toBe((await db.progress.toArray())[0]?.residentKey);
		await teach(back.checkIn.id, Object.values(SKILL), '2026-06-02T01:05:00Z');
		const t2 = await closeSession(db, back.sessionId, at('2026-06-02T04:00:00Z'));
		expect(t2).toMatchObject({ firstTimeResidents: 1, residentsNewlyProficient: 0, householdsNewlyCovered: 0 });
		expect(Object.values(t2.residentsGainedByGroup)).toEqual([0, 0, 0, 0, 0]);
	});

	it("a pass holder's progress goes with their pass at the retention period", async () => {
		const duc = await registerWithoutCard(db, { fullName: 'Phạm Văn Đức', birthYear: 1949, gender: 'male' }, at('2026-01-10T01:00:00Z'));
		const [checkIn] = await db.checkIns.toArray();
		await teach(checkIn!.id, [SKILL.safety], '2026-01-10T01:05:00Z');
		await closeSession(db, checkIn!.sessionId, at('2026-01-10T04:00:00Z'));
		expect(await db.progress.get(`pass:${duc.passId}`)).toMatchObject({ marks: ['safety'] });
		await db.outbox.update(checkIn!.sessionId, { state: 'sent' });
		expect(await expireResidents(db, at('2026-06-01T00:00:00Z'))).toBe(1);
		expect(await db.progress.count()).toBe(0);
	});
});
