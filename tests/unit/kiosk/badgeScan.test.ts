// The tablet's side of member badges: badge versions arrive with the roster, and the check-in
// camera's badge check refuses what the roster does not hold, with the reason.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropKioskDb, freshKioskDb } from '../../fixtures/kioskDb';
import type { KioskDb } from '$lib/kiosk/db';
import { applyConfigUpdate, applyEnrolment } from '$lib/kiosk/enrolment';
import { checkBadge } from '$lib/kiosk/badgeScan';
import { DEFAULT_SKILLS } from '$lib/domain/skills';
import type { EnrolResponse, TeamConfigMember } from '$lib/domain/api';
import { hashPin } from '$lib/domain/pin';

const TEAM = 'team-real';
let db: KioskDb;

beforeEach(async () => {
	db = await freshKioskDb();
});
afterEach(() => dropKioskDb(db));

async function roster(): Promise<TeamConfigMember[]> {
	const pin = await hashPin('1111', 1000);
	return [
		{ id: 'an', fullName: 'Nguyễn Văn An', role: 'leader', pin, badge: 1 },
		{ id: 'binh', fullName: 'Trần Thị Bình', role: 'deputy', pin, badge: 2 },
		{ id: 'cuong', fullName: 'Lê Văn Cường', role: 'member', pin, badge: -1 },
		{ id: 'no-pin', fullName: 'Chưa có PIN', role: 'collaborator', pin: null, badge: 1 }
	];
}

async function enrol(members: TeamConfigMember[]): Promise<void> {
	const enrolment: EnrolResponse = {
		deviceId: 'dev-1',
		token: 'tok'.repeat(10),
		server: { name: 'Huyện Đức Thọ' },
		team: { id: TEAM, name: 'Tổ CNS thôn Trung Hòa', level: 'village', phase: 'pilot', establishedOn: '2022-10-15', unitPath: 'Thôn Trung Hòa' },
		members,
		skills: DEFAULT_SKILLS.slice(0, 3),
		version: 'v1',
		periodRule: { startDay: 15, deadlineDay: 20 }
	};
	await applyEnrolment(db, 'https://server.test', enrolment, new Date('2026-11-21T00:00:00Z'));
}

const reason = async (memberId: string, version: number, teamId = TEAM) => {
	const result = await checkBadge(db, { teamId, memberId, version });
	return result.ok ? `ok:${result.member.fullName}` : result.reason;
};

describe('member badges on the tablet', () => {
	it('a demo tablet has no badge list: every badge is refused as such', async () => {
		expect(await reason('demo-leader', 1, 'demo-tung-anh-trung-hoa')).toBe('demo_tablet');
	});

	it('takes badge versions with the roster and accepts only the card in force', async () => {
		await enrol(await roster());
		expect((await db.members.get('an'))?.badgeVersion).toBe(1);
		expect(await reason('an', 1)).toBe('ok:Nguyễn Văn An');
		expect(await reason('binh', 2)).toBe('ok:Trần Thị Bình');
		expect(await reason('binh', 1)).toBe('old_card'); // reissued
		expect(await reason('cuong', 1)).toBe('old_card'); // revoked
		expect(await reason('binh', 3)).toBe('not_synced');
		expect(await reason('an', 1, 'another-team')).toBe('other_team');
		expect(await reason('no-pin', 1)).toBe('unknown_member');
		expect(await reason('stranger', 1)).toBe('unknown_member');
	});

	it('a member who left keeps their row but not their badge; a reissue reaches the tablet with the config', async () => {
		await enrol(await roster());
		const [an, binh] = await roster();
		await applyConfigUpdate(db, {
			team: { id: TEAM, name: 'Tổ CNS thôn Trung Hòa', level: 'village', phase: 'pilot', establishedOn: '2022-10-15', unitPath: 'Thôn Trung Hòa' },
			members: [{ ...an!, badge: 2 }, binh!],
			skills: DEFAULT_SKILLS.slice(0, 3),
			version: 'v2',
			periodRule: { startDay: 15, deadlineDay: 20 }
		});
		expect(await reason('cuong', 1)).toBe('member_left');
		expect(await reason('an', 1)).toBe('old_card');
		expect(await reason('an', 2)).toBe('ok:Nguyễn Văn An');
	});
});
