// The tablet's data rules on a real IndexedDB implementation: check-in, assists, closing, and
// joining a server without losing or mis-filing anything made before.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropKioskDb, freshKioskDb } from '../../fixtures/kioskDb';
import type { KioskDb } from '$lib/kiosk/db';
import { DEMO_TEAM, SETTING } from '$lib/kiosk/team';
import { checkInWithCard, checkInWithPass, registerWithoutCard } from '$lib/kiosk/checkIn';
import { logAssist, deleteAssist, AssistNotAllowedError } from '$lib/kiosk/assists';
import { closeSession } from '$lib/kiosk/closeSession';
import { validateAnySessionTally } from '$lib/domain/tallySchema';
import { SessionClosedError } from '$lib/kiosk/sessions';
import { applyEnrolment, confirmHeldSessions } from '$lib/kiosk/enrolment';
import { DEFAULT_SKILLS } from '$lib/domain/skills';
import type { EnrolResponse } from '$lib/domain/api';
import { hashPin } from '$lib/domain/pin';

const HOA = { idNumber: '001058012345', fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' as const };
const at = (iso: string) => new Date(iso);
let db: KioskDb;

beforeEach(async () => {
	db = await freshKioskDb();
});
afterEach(() => dropKioskDb(db));

describe('check-in', () => {
	it('queues a card holder once per session and recognises them next time without storing the number', async () => {
		const first = await checkInWithCard(db, HOA, at('2026-11-20T01:00:00Z'));
		expect(first).toMatchObject({ status: 'checkedIn', queueNumber: 1, firstVisit: true });
		const again = await checkInWithCard(db, HOA, at('2026-11-20T01:05:00Z'));
		expect(again).toMatchObject({ status: 'alreadyQueued', queueNumber: 1 });
		const nextDay = await checkInWithCard(db, HOA, at('2026-11-21T01:00:00Z'));
		expect(nextDay).toMatchObject({ status: 'checkedIn', queueNumber: 1, firstVisit: false });
		expect(await db.residents.count()).toBe(1);
		expect(await db.sessions.count()).toBe(2);
		expect(JSON.stringify(await db.residents.toArray())).not.toContain(HOA.idNumber);
	});

	it('a pass nobody registered on this tablet is refused; a registered one checks in', async () => {
		expect(await checkInWithPass(db, '0'.repeat(32), new Date())).toEqual({ status: 'unknownPass' });
		const registered = await registerWithoutCard(db, { fullName: 'Phạm Văn Đức', birthYear: 1949, gender: 'male' }, at('2026-11-20T01:00:00Z'));
		expect(registered.queueNumber).toBe(1);
		const byPass = await checkInWithPass(db, registered.passId, at('2026-11-20T02:00:00Z'));
		expect(byPass).toMatchObject({ status: 'alreadyQueued', queueNumber: 1 });
	});

	it('counts who is still waiting ahead', async () => {
		await checkInWithCard(db, HOA, at('2026-11-20T01:00:00Z'));
		const nam = await checkInWithCard(db, { ...HOA, idNumber: '038095001122', fullName: 'Lê Văn Nam', birthYear: 1995, gender: 'male' }, at('2026-11-20T01:01:00Z'));
		expect(nam).toMatchObject({ queueNumber: 2, waitingAhead: 1 });
	});
});

describe('assists and closing', () => {
	it('a closed session is frozen and its tally waits in the outbox', async () => {
		await checkInWithCard(db, HOA, at('2026-11-20T01:00:00Z'));
		const [checkIn] = await db.checkIns.toArray();
		const assist = await logAssist(db, { checkInId: checkIn!.id, memberId: 'demo-member', skillCodes: ['vneid_install', 'vneid_install', 'vneid_level2'], outcome: 'done' }, at('2026-11-20T01:30:00Z'));
		expect(assist.skillCodes).toEqual(['vneid_install', 'vneid_level2']);
		await expect(deleteAssist(db, assist.id, 'demo-leader')).rejects.toBeInstanceOf(AssistNotAllowedError);

		const tally = await closeSession(db, checkIn!.sessionId, at('2026-11-20T04:00:00Z'));
		expect(tally).toMatchObject({ version: 1, checkIns: 1, assists: 1, membersPresent: ['demo-member'], assistsBySkill: { vneid_install: 1, vneid_level2: 1 } });
		expect(await db.outbox.get(checkIn!.sessionId)).toMatchObject({ state: 'pending', version: 1 });
		await expect(logAssist(db, { checkInId: checkIn!.id, memberId: 'demo-member', skillCodes: ['zalo_video'], outcome: 'done' }, new Date())).rejects.toBeInstanceOf(SessionClosedError);
		await expect(closeSession(db, checkIn!.sessionId, new Date())).rejects.toBeInstanceOf(SessionClosedError);
		// A later check-in opens a new session for the same day.
		const later = await checkInWithCard(db, HOA, at('2026-11-20T05:00:00Z'));
		expect(later.status).toBe('checkedIn');
	});
});

describe('closing what the server would refuse (issue 10)', () => {
	it('a session closed days later ends 24 hours after it started, and goes out', async () => {
		await checkInWithCard(db, HOA, at('2026-11-20T01:00:00Z'));
		const [checkIn] = await db.checkIns.toArray();
		const session = await db.sessions.get(checkIn!.sessionId);
		const tally = await closeSession(db, checkIn!.sessionId, at('2026-11-23T09:00:00Z'));
		expect(Date.parse(tally.endedAt) - Date.parse(session!.startedAt)).toBe(24 * 60 * 60 * 1000);
		expect(validateAnySessionTally(tally).ok).toBe(true);
		expect(await db.outbox.get(checkIn!.sessionId)).toMatchObject({ state: 'pending' });
	});

	it('a tally the shared schema refuses is kept in the outbox as refused, with the reason, never sent', async () => {
		await checkInWithCard(db, HOA, at('2026-11-20T01:00:00Z'));
		const [checkIn] = await db.checkIns.toArray();
		await db.sessions.update(checkIn!.sessionId, { membersPresent: ['demo-member', 'demo-member'] });
		const tally = await closeSession(db, checkIn!.sessionId, at('2026-11-20T04:00:00Z'));
		expect(tally.checkIns).toBe(1);
		expect(await db.sessions.get(checkIn!.sessionId)).toMatchObject({ status: 'closed' });
		expect(await db.outbox.get(checkIn!.sessionId)).toMatchObject({ state: 'refused', lastError: 'invalid_tally: a member is listed twice (membersPresent)', tally });
	});
});

describe('enrolment', () => {
	async function enrolment(): Promise<EnrolResponse> {
		return {
			deviceId: 'dev-1',
			token: 'tok'.repeat(10),
			server: { name: 'Huyện Đức Thọ' },
			team: { id: 'team-real', name: 'Tổ CNS thôn Trung Hòa', level: 'village', phase: 'pilot', establishedOn: '2022-10-15', unitPath: 'Thôn Trung Hòa' },
			members: [
				{ id: 'demo-leader', fullName: 'Nguyễn Văn An', role: 'leader', pin: await hashPin('1111', 1000), badge: 1 },
				{ id: 'srv-2', fullName: 'Hồ Thị Lan', role: 'collaborator', pin: await hashPin('5555', 1000), badge: 0 },
				{ id: 'srv-3', fullName: 'Chưa có PIN', role: 'member', pin: null, badge: 0 }
			],
			skills: DEFAULT_SKILLS.slice(0, 5),
			version: 'v1',
			periodRule: { startDay: 15, deadlineDay: 20 }
		};
	}

	it('keeps records made in demo mode, holds their tallies, and re-files them under the new team when confirmed', async () => {
		await checkInWithCard(db, HOA, at('2026-11-20T01:00:00Z'));
		const [checkIn] = await db.checkIns.toArray();
		await logAssist(db, { checkInId: checkIn!.id, memberId: 'demo-member', skillCodes: ['bank_app'], outcome: 'partly' }, at('2026-11-20T01:30:00Z'));
		await logAssist(db, { checkInId: checkIn!.id, memberId: 'demo-leader', skillCodes: ['bank_app'], outcome: 'done' }, at('2026-11-20T01:40:00Z'));
		await closeSession(db, checkIn!.sessionId, at('2026-11-20T04:00:00Z'));

		await applyEnrolment(db, 'https://server.test', await enrolment(), at('2026-11-21T00:00:00Z'));
		expect((await db.settings.get(SETTING.team))?.value).toMatchObject({ id: 'team-real', demo: false });
		expect((await db.members.filter((m) => m.active).toArray()).map((m) => m.id).sort()).toEqual(['demo-leader', 'srv-2']);
		expect(await db.skills.count()).toBe(5);
		expect((await db.outbox.get(checkIn!.sessionId))?.state).toBe('held');

		expect(await confirmHeldSessions(db)).toBe(1);
		const row = await db.outbox.get(checkIn!.sessionId);
		expect(row).toMatchObject({ state: 'pending', tally: { teamId: 'team-real', assistsByMember: { 'demo-leader': 1, unassigned: 1 } } });
		expect(row!.tally.membersPresent.sort()).toEqual(['demo-leader']);
		expect(DEMO_TEAM.id).not.toBe('team-real');
	});

	it('recognises a resident registered before enrolment: the key is the tablet\'s and enrolment does not touch it', async () => {
		await checkInWithCard(db, HOA, at('2026-11-20T01:00:00Z'));
		const [before] = await db.residents.toArray();
		const settingsBefore = (await db.settings.toArray()).map((s) => s.key).sort();
		// An older server still sends a resident key: it is ignored, not stored.
		const sharedKey = Buffer.alloc(32, 7).toString('base64');
		await applyEnrolment(db, 'https://server.test', { ...(await enrolment()), residentKey: sharedKey } as EnrolResponse, at('2026-11-21T00:00:00Z'));
		expect((await db.settings.toArray()).map((s) => s.key).sort()).toEqual([...settingsBefore, 'server'].sort());
		expect(JSON.stringify(await db.settings.toArray())).not.toContain(sharedKey);

		const next = await checkInWithCard(db, HOA, at('2026-11-22T01:00:00Z'));
		expect(next).toMatchObject({ status: 'checkedIn', firstVisit: false });
		expect(await db.residents.toArray()).toEqual([{ ...before, lastSeenAt: '2026-11-22T01:00:00.000Z' }]);
	});
});

describe('retention', () => {
	it('erases name and recognition keys of residents not seen for the retention period once their sessions are uploaded', async () => {
		const { expireResidents } = await import('$lib/kiosk/retention');
		await checkInWithCard(db, HOA, at('2026-01-10T01:00:00Z'));
		const [checkIn] = await db.checkIns.toArray();
		await closeSession(db, checkIn!.sessionId, at('2026-01-10T04:00:00Z'));
		const registered = await registerWithoutCard(db, { fullName: 'Phạm Văn Đức', birthYear: 1949, gender: 'male' }, at('2026-01-11T01:00:00Z'));

		// 100 days later: Hoa's session is still waiting for upload, so nothing is erased yet.
		expect(await expireResidents(db, at('2026-04-21T00:00:00Z'))).toBe(0);
		await db.outbox.update(checkIn!.sessionId, { state: 'sent' });
		expect(await expireResidents(db, at('2026-04-21T00:00:00Z'))).toBe(1);
		const hoa = (await db.residents.toArray()).find((r) => r.birthYear === 1958)!;
		expect(hoa).toMatchObject({ fullName: '', gender: 'female', birthYear: 1958 });
		expect(hoa.idHash).toBeUndefined();
		// Đức's session (11 Jan) is open, not uploaded: he keeps his pass.
		expect((await db.residents.where('passId').equals(registered.passId).first())?.fullName).toBe('Phạm Văn Đức');
		// Hoa comes back: she is a new person to the tablet now.
		expect(await checkInWithCard(db, HOA, at('2026-04-22T01:00:00Z'))).toMatchObject({ status: 'checkedIn', firstVisit: true });
	});
});
