import { beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '$lib/server/audit';
import { createUnit } from '$lib/server/orgTree';
import { archiveTeam, createTeam, markMemberLeft, teamConfig } from '$lib/server/teams';
import { badgeIsValid, badgePayload, issueBadge, issueTeamBadges, revokeBadge } from '$lib/server/badges';
import { badgeSecret } from '$lib/server/settings';
import { parseBadge } from '$lib/domain/badge';
import type { Member, Team } from '$lib/server/db/schema';
import { buildTrungHoaTeam, databaseForEachTest, ENGINES, rejectsWith } from '../../fixtures/serverDb';
import { InputError } from '$lib/server/inputError';

const actor = 'user:officer-1';
const now = new Date('2025-08-01T03:00:00Z');
const tick = (seconds: number) => new Date(now.getTime() + seconds * 1000);

const fails = rejectsWith(InputError);

describe.each(ENGINES)('badges on %s', (engine) => {
	const t = databaseForEachTest(engine);
	let team: Team;
	let other: Team;
	let an: Member;
	let binh: Member;

	beforeEach(async () => {
		const place = await buildTrungHoaTeam(t.db, { actor, now });
		({ team, leader: an, deputy: binh } = place);
		const village2 = await createUnit(t.db, { name: 'Thôn Đông Hòa', kind: 'village', parentId: place.commune.id, actor, now });
		other = await createTeam(t.db, { unitId: village2.id, name: 'Tổ CĐS thôn Đông Hòa', level: 'village', phase: 'pilot', establishedOn: '2024-03-01', actor, now });
	});

	it('issues, reissues and revokes: each step audited, only the card in force is valid', async () => {
		expect(await badgePayload(t.db, an)).toBeNull();
		const first = await issueBadge(t.db, { memberId: an.id, teamId: team.id, actor, now: tick(1) });
		expect(first.badge_version).toBe(1);
		const card1 = (await badgePayload(t.db, first))!;
		expect(card1).toMatch(new RegExp(`^TRAMSO:B1:${team.id}:${an.id}:1:[A-Za-z0-9_-]{22}$`));
		expect(await badgeIsValid(t.db, card1)).toBe(true);

		const second = await issueBadge(t.db, { memberId: an.id, actor, now: tick(2) });
		expect(second.badge_version).toBe(2);
		const card2 = (await badgePayload(t.db, second))!;
		expect(await badgeIsValid(t.db, card1)).toBe(false);
		expect(await badgeIsValid(t.db, card2)).toBe(true);

		const revoked = await revokeBadge(t.db, { memberId: an.id, teamId: team.id, actor, now: tick(3) });
		expect(revoked.badge_version).toBe(-2);
		expect(await badgePayload(t.db, revoked)).toBeNull();
		expect(await badgeIsValid(t.db, card2)).toBe(false);
		await fails(revokeBadge(t.db, { memberId: an.id, actor, now }), 'memberId');

		// After a revocation the next card is new: neither earlier card comes back.
		const third = await issueBadge(t.db, { memberId: an.id, actor, now: tick(4) });
		expect(third.badge_version).toBe(3);
		expect(await badgeIsValid(t.db, card2)).toBe(false);

		const audit = (await listAudit(t.db, { subject: `member:${an.id}` })).filter((e) => e.action.startsWith('member.badge'));
		expect(audit.map((e) => [e.action, JSON.parse(e.detail ?? 'null')]).reverse()).toEqual([
			['member.badge', { teamId: team.id, version: 1, previous: 0 }],
			['member.badge', { teamId: team.id, version: 2, previous: 1 }],
			['member.badgeRevoke', { teamId: team.id, revoked: 2 }],
			['member.badge', { teamId: team.id, version: 3, previous: -2 }]
		]);
	});

	it('a forged or tampered card is not valid; the badge secret is its own and stays put', async () => {
		const issued = await issueBadge(t.db, { memberId: an.id, actor, now });
		const card = (await badgePayload(t.db, issued))!;
		const parsed = parseBadge(card);
		if (!parsed.ok) throw new Error('unreadable card');
		expect(await badgeIsValid(t.db, card.replace(`:${an.id}:`, `:${binh.id}:`))).toBe(false);
		expect(await badgeIsValid(t.db, `${card.slice(0, -1)}${card.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
		expect(await badgeIsValid(t.db, 'hello')).toBe(false);
		const secret = await badgeSecret(t.db);
		expect(Buffer.from(secret, 'base64')).toHaveLength(32);
		expect(await badgeSecret(t.db)).toBe(secret);
		expect(await badgePayload(t.db, issued)).toBe(card); // reprinting gives the same card
	});

	it('only active members of the given team, of a team still working', async () => {
		await fails(issueBadge(t.db, { memberId: an.id, teamId: other.id, actor, now }), 'memberId');
		await fails(issueBadge(t.db, { memberId: 'nobody', actor, now }), 'memberId');
		const gone = await markMemberLeft(t.db, { memberId: binh.id, leftOn: '2025-07-01', actor, now });
		await fails(issueBadge(t.db, { memberId: binh.id, actor, now }), 'memberId');
		expect(await badgePayload(t.db, { ...gone, badge_version: 4 })).toBeNull();
		await archiveTeam(t.db, { id: team.id, actor, now });
		await fails(issueBadge(t.db, { memberId: an.id, actor, now }), 'teamId');
		await fails(issueTeamBadges(t.db, { teamId: team.id, onlyMissing: true, actor, now }), 'teamId');
	});

	it('issues the whole team: those missing a card, or everyone', async () => {
		await issueBadge(t.db, { memberId: an.id, actor, now });
		const missing = await issueTeamBadges(t.db, { teamId: team.id, onlyMissing: true, actor, now });
		expect(missing.map((m) => [m.full_name, m.badge_version])).toEqual([['Trần Thị Bình', 1]]);
		expect(await issueTeamBadges(t.db, { teamId: team.id, onlyMissing: true, actor, now })).toEqual([]);
		const all = await issueTeamBadges(t.db, { teamId: team.id, onlyMissing: false, actor, now });
		expect(all.map((m) => [m.full_name, m.badge_version])).toEqual([
			['Nguyễn Văn An', 2],
			['Trần Thị Bình', 2]
		]);
	});

	it('the tablet config carries each member badge version, and a new card changes the config version', async () => {
		const before = await teamConfig(t.db, team.id);
		expect(before.members.map((m) => m.badge)).toEqual([0, 0]);
		await issueBadge(t.db, { memberId: binh.id, actor, now });
		await issueBadge(t.db, { memberId: binh.id, actor, now });
		const after = await teamConfig(t.db, team.id);
		expect(after.members.map((m) => [m.fullName, m.badge])).toEqual([
			['Nguyễn Văn An', 0],
			['Trần Thị Bình', 2]
		]);
		expect(after.version).not.toBe(before.version);
		await revokeBadge(t.db, { memberId: binh.id, actor, now });
		expect((await teamConfig(t.db, team.id)).members[1]!.badge).toBe(-2);
	});
});
