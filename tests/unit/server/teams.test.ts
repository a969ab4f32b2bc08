import { beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { hashPin, verifyPin, type PinHash } from '$lib/domain/pin';
import { listAudit } from '$lib/server/audit';
import type { Database, OrgUnit } from '$lib/server/db/schema';
import { archiveUnit, createUnit, loadTree } from '$lib/server/orgTree';
import { ensureDefaultSkills, listSkills } from '$lib/server/skills';
import {
	addMember,
	archiveTeam,
	createTeam,
	getTeam,
	listMembers,
	listTeams,
	markMemberLeft,
	setMemberPin,
	teamConfig,
	updateMember,
	updateTeam
} from '$lib/server/teams';
import { buildHaTinh, databaseForEachTest, ENGINES, rejectsWith, type HaTinh } from '../../fixtures/serverDb';
import type { TeamRole } from '$lib/domain/teamRules';
import { InputError } from '$lib/server/inputError';

const actor = 'user:officer-1';
const now = new Date('2025-08-01T03:00:00Z');

interface Place extends HaTinh {
	village2: OrgUnit;
}

async function buildPlace(db: Kysely<Database>): Promise<Place> {
	const place = await buildHaTinh(db, { actor, now });
	const village2 = await createUnit(db, { name: 'Thôn Đông Hòa', kind: 'village', parentId: place.commune.id, actor, now });
	return { ...place, village2 };
}

const villageTeam = (unitId: string, name = 'Tổ CĐS thôn Trung Hòa') =>
	({ unitId, name, level: 'village', phase: 'pilot', establishedOn: '2024-03-01', actor, now }) as const;
const communeTeam = (unitId: string, name = 'Tổ CĐS xã Tùng Ảnh') =>
	({ unitId, name, level: 'commune', phase: 'pilot', establishedOn: '2024-03-01', actor, now }) as const;

const rejects = rejectsWith(InputError);

/** Cheap hashes: the iteration count is not what these tests are about. */
const pin = (digits: string): Promise<PinHash> => hashPin(digits, 1000);

describe.each(ENGINES)('teams on %s', (engine) => {
	const t = databaseForEachTest(engine);
	let p: Place;
	beforeEach(async () => void (p = await buildPlace(t.db)));

	it('puts a team only on a unit of its level', async () => {
		await rejects(createTeam(t.db, communeTeam(p.village.id)), 'level', /commune-level team serves a commune, ward or town; Thôn Trung Hòa is a village/);
		await rejects(createTeam(t.db, villageTeam(p.commune.id)), 'level');
		await rejects(createTeam(t.db, communeTeam(p.district.id)), 'level');
		await rejects(createTeam(t.db, villageTeam(p.province.id)), 'level');
		await rejects(createTeam(t.db, villageTeam('missing')), 'unitId');
		await rejects(createTeam(t.db, { ...villageTeam(p.village.id), name: ' ' }), 'name');
		await rejects(createTeam(t.db, { ...villageTeam(p.village.id), phase: 'beta' as 'pilot' }), 'phase');
		await rejects(createTeam(t.db, { ...villageTeam(p.village.id), establishedOn: '2024-02-30' }), 'establishedOn');
		const group = await createUnit(t.db, { name: 'Tổ dân phố 3', kind: 'residentialGroup', parentId: p.commune.id, actor, now });
		const ward = await createUnit(t.db, { name: 'Phường Bắc Hồng', kind: 'ward', parentId: p.province.id, actor, now });
		await createTeam(t.db, villageTeam(group.id, 'Tổ CĐS TDP 3'));
		await createTeam(t.db, communeTeam(ward.id, 'Tổ CĐS phường Bắc Hồng'));
		const team = await createTeam(t.db, villageTeam(p.village.id));
		expect(team).toMatchObject({ unit_id: p.village.id, level: 'village', phase: 'pilot', established_on: '2024-03-01', archived_at: null });
		expect(await getTeam(t.db, team.id)).toEqual(team);
		expect((await listAudit(t.db, { subject: `team:${team.id}` })).map((e) => e.action)).toEqual(['team.create']);
	});

	it('keeps one active commune-level team per commune and one team per village', async () => {
		const first = await createTeam(t.db, communeTeam(p.commune.id));
		await rejects(createTeam(t.db, communeTeam(p.commune.id, 'Tổ thứ hai')), 'unitId', /already has an active commune-level team \(Tổ CĐS xã Tùng Ảnh\)/);
		await createTeam(t.db, villageTeam(p.village.id));
		await rejects(createTeam(t.db, villageTeam(p.village.id, 'Tổ khác')), 'unitId');
		// A team in each village of the commune is fine.
		await createTeam(t.db, villageTeam(p.village2.id, 'Tổ CĐS thôn Đông Hòa'));
		// Once archived, a new team may be set up.
		await archiveTeam(t.db, { id: first.id, actor, now });
		await rejects(archiveTeam(t.db, { id: first.id, actor, now }), 'id', /archived/);
		const second = await createTeam(t.db, communeTeam(p.commune.id, 'Tổ CĐS xã Tùng Ảnh (2025)'));
		expect(second.id).not.toBe(first.id);
	});

	it('holds the rules when two officers submit at once (a double-clicked form)', async () => {
		const teams = await Promise.allSettled([createTeam(t.db, communeTeam(p.commune.id, 'A')), createTeam(t.db, communeTeam(p.commune.id, 'B'))]);
		expect(teams.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const team = (teams.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>).value;
		const leaders = await Promise.allSettled(
			['Nguyễn Văn An', 'Trần Văn Bình', 'Lê Văn Cường'].map((fullName) =>
				addMember(t.db, { teamId: team.id, fullName, role: 'leader', background: '', joinedOn: '2024-03-01', actor, now })
			)
		);
		expect(leaders.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(leaders.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof InputError)).toBe(true);
		expect(await listTeams(t.db)).toHaveLength(1);
	});

	it('updates, archives and lists teams by unit', async () => {
		const commune = await createTeam(t.db, communeTeam(p.commune.id));
		const village = await createTeam(t.db, villageTeam(p.village.id));
		const updated = await updateTeam(t.db, { id: village.id, phase: 'expansion', establishedOn: '2024-05-01', actor, now });
		expect(updated).toMatchObject({ phase: 'expansion', established_on: '2024-05-01', name: village.name });
		await rejects(updateTeam(t.db, { id: village.id, establishedOn: '1/5/2024', actor, now }), 'establishedOn');
		const events = (await listAudit(t.db, { subject: `team:${village.id}` })).map((e) => e.action);
		await updateTeam(t.db, { id: village.id, phase: 'expansion', actor, now });
		expect((await listAudit(t.db, { subject: `team:${village.id}` })).map((e) => e.action)).toEqual(events);

		const tree = await loadTree(t.db);
		expect((await listTeams(t.db, { unitIds: tree.descendantIds(p.commune.id) })).map((x) => x.id).sort()).toEqual([commune.id, village.id].sort());
		expect((await listTeams(t.db, { unitIds: tree.descendantIds(p.village2.id) }))).toEqual([]);
		expect(await listTeams(t.db, { unitIds: [] })).toEqual([]);
		await archiveTeam(t.db, { id: village.id, actor, now });
		expect((await listTeams(t.db)).map((x) => x.id)).toEqual([commune.id]);
		expect((await listTeams(t.db, { includeArchived: true })).map((x) => x.name)).toEqual(['Tổ CĐS thôn Trung Hòa', 'Tổ CĐS xã Tùng Ảnh']);
		await rejects(updateTeam(t.db, { id: village.id, name: 'Mới', actor, now }), 'id', /archived/);
		// With its team archived, the village itself may now be archived.
		await archiveUnit(t.db, { id: p.village.id, actor, now });
		await rejects(createTeam(t.db, villageTeam(p.village.id)), 'unitId', /archived/);
	});

	it('keeps 3 core members with one leader; collaborators are extra', async () => {
		const team = await createTeam(t.db, villageTeam(p.village.id));
		const add = (fullName: string, role: TeamRole) =>
			addMember(t.db, { teamId: team.id, fullName, role, background: '', joinedOn: '2024-03-01', actor, now });
		const leader = await add('Nguyễn Văn An', 'leader');
		await rejects(add('Trần Văn Bình', 'leader'), 'role', /already has a leader \(Nguyễn Văn An\)/);
		await add('Lê Thị Cúc', 'deputy');
		await add('Phạm Văn Dũng', 'member');
		await rejects(add('Hoàng Thị Em', 'member'), 'role', /3 core members/);
		await add('Hoàng Thị Em', 'collaborator');
		await add('Võ Văn Phúc', 'collaborator');
		await rejects(addMember(t.db, { teamId: team.id, fullName: '', role: 'member', background: '', joinedOn: '2024-03-01', actor, now }), 'fullName');
		await rejects(addMember(t.db, { teamId: team.id, fullName: 'X', role: 'boss' as 'member', background: '', joinedOn: '2024-03-01', actor, now }), 'role');
		await rejects(addMember(t.db, { teamId: 'missing', fullName: 'X', role: 'member', background: '', joinedOn: '2024-03-01', actor, now }), 'teamId');
		expect((await listMembers(t.db, team.id)).map((m) => m.role)).toEqual(['leader', 'deputy', 'member', 'collaborator', 'collaborator']);

		// Handing over leadership: the old leader leaves, a collaborator steps up.
		const em = (await listMembers(t.db, team.id)).find((m) => m.full_name === 'Hoàng Thị Em')!;
		await rejects(updateMember(t.db, { memberId: em.id, role: 'leader', actor, now }), 'role');
		await markMemberLeft(t.db, { memberId: leader.id, leftOn: '2025-07-31', actor, now });
		const promoted = await updateMember(t.db, { memberId: em.id, role: 'leader', background: 'Trưởng thôn', actor, now });
		expect(promoted).toMatchObject({ role: 'leader', background: 'Trưởng thôn' });
	});

	it('marks a member as left without deleting the row, keeping the history', async () => {
		const team = await createTeam(t.db, villageTeam(p.village.id));
		const member = await addMember(t.db, { teamId: team.id, fullName: 'Nguyễn Văn An', role: 'member', background: 'Giáo viên', joinedOn: '2024-03-01', actor, now });
		await setMemberPin(t.db, { memberId: member.id, pinHash: await pin('2468'), actor, now });
		await rejects(markMemberLeft(t.db, { memberId: member.id, leftOn: '2024-02-01', actor, now }), 'leftOn');
		await rejects(markMemberLeft(t.db, { memberId: member.id, teamId: 'another-team', leftOn: '2025-07-31', actor, now }), 'memberId');
		const left = await markMemberLeft(t.db, { memberId: member.id, leftOn: '2025-07-31', actor, now });
		expect(left).toMatchObject({ status: 'left', left_on: '2025-07-31', pin_hash: null });
		await rejects(markMemberLeft(t.db, { memberId: member.id, leftOn: '2025-07-31', actor, now }), 'memberId', /has left/);
		await rejects(setMemberPin(t.db, { memberId: member.id, pinHash: await pin('1357'), actor, now }), 'memberId');

		expect(await listMembers(t.db, team.id)).toEqual([]);
		const all = await listMembers(t.db, team.id, { includeLeft: true });
		expect(all).toHaveLength(1);
		expect(all[0]).toMatchObject({ id: member.id, full_name: 'Nguyễn Văn An', status: 'left', joined_on: '2024-03-01', left_on: '2025-07-31' });
		const history = await listAudit(t.db, { subject: `member:${member.id}` });
		expect(history.map((e) => e.action).sort()).toEqual(['member.add', 'member.leave', 'member.pin']);
		expect(history.every((e) => e.actor === actor && JSON.parse(e.detail!).teamId === team.id)).toBe(true);
		expect(history.map((e) => e.detail).join()).not.toContain('hash');
		// A typo in a former member's name can still be fixed.
		expect(await updateMember(t.db, { memberId: member.id, fullName: 'Nguyễn Văn Ân', actor, now })).toMatchObject({ full_name: 'Nguyễn Văn Ân', status: 'left' });
		await rejects(updateMember(t.db, { memberId: member.id, joinedOn: '2025-08-01', actor, now }), 'joinedOn');
	});

	it('stores PIN hashes as given and refuses anything else', async () => {
		const team = await createTeam(t.db, villageTeam(p.village.id));
		const member = await addMember(t.db, { teamId: team.id, fullName: 'Nguyễn Văn An', role: 'leader', background: 'Trưởng thôn', joinedOn: '2024-03-01', actor, now });
		await rejects(setMemberPin(t.db, { memberId: member.id, pinHash: { algorithm: 'MD5' } as unknown as PinHash, actor, now }), 'pinHash');
		await setMemberPin(t.db, { memberId: member.id, pinHash: await pin('2468'), actor, now });
		const stored = (await teamConfig(t.db, team.id)).members[0]!.pin!;
		expect(await verifyPin('2468', stored)).toBe(true);
		expect(await verifyPin('1111', stored)).toBe(false);
		await setMemberPin(t.db, { memberId: member.id, pinHash: null, actor, now });
		expect((await teamConfig(t.db, team.id)).members[0]!.pin).toBeNull();
	});

	it('gives a tablet its team, active roster and skills, with a version that tracks changes', async () => {
		await ensureDefaultSkills(t.db);
		const team = await createTeam(t.db, villageTeam(p.village.id));
		const add = (fullName: string, role: TeamRole) =>
			addMember(t.db, { teamId: team.id, fullName, role, background: '', joinedOn: '2024-03-01', actor, now });
		const helper = await add('Võ Văn Phúc', 'collaborator');
		const member = await add('Phạm Văn Dũng', 'member');
		const leader = await add('Nguyễn Văn An', 'leader');
		const gone = await add('Trần Văn Bình', 'deputy');
		await markMemberLeft(t.db, { memberId: gone.id, leftOn: '2025-07-01', actor, now });
		const leaderPin = await pin('2468');
		await setMemberPin(t.db, { memberId: leader.id, pinHash: leaderPin, actor, now });

		const config = await teamConfig(t.db, team.id);
		expect(config.team).toEqual({
			id: team.id,
			name: 'Tổ CĐS thôn Trung Hòa',
			level: 'village',
			phase: 'pilot',
			establishedOn: '2024-03-01',
			unitPath: 'Thôn Trung Hòa, Xã Tùng Ảnh, Huyện Đức Thọ, Tỉnh Hà Tĩnh'
		});
		expect(config.members).toEqual([
			{ id: leader.id, fullName: 'Nguyễn Văn An', role: 'leader', pin: leaderPin, badge: 0 },
			{ id: member.id, fullName: 'Phạm Văn Dũng', role: 'member', pin: null, badge: 0 },
			{ id: helper.id, fullName: 'Võ Văn Phúc', role: 'collaborator', pin: null, badge: 0 }
		]);
		expect(config.skills).toEqual(await listSkills(t.db));
		expect(config.skills.length).toBeGreaterThan(5);
		expect(config.version).toMatch(/^[0-9a-f]{16}$/);

		// Nothing changed: same version. A roster change: a new one.
		expect((await teamConfig(t.db, team.id)).version).toBe(config.version);
		await updateTeam(t.db, { id: team.id, name: 'Tổ CĐS thôn Trung Hòa', actor, now });
		expect((await teamConfig(t.db, team.id)).version).toBe(config.version);
		await add('Lê Thị Cúc', 'collaborator');
		const afterAdd = (await teamConfig(t.db, team.id)).version;
		expect(afterAdd).not.toBe(config.version);
		expect((await teamConfig(t.db, team.id)).version).toBe(afterAdd);
		await markMemberLeft(t.db, { memberId: helper.id, leftOn: '2025-08-01', actor, now });
		expect((await teamConfig(t.db, team.id)).version).not.toBe(afterAdd);

		// Other teams' changes do not touch this team's version.
		const before = (await teamConfig(t.db, team.id)).version;
		const other = await createTeam(t.db, villageTeam(p.village2.id, 'Tổ CĐS thôn Đông Hòa'));
		await addMember(t.db, { teamId: other.id, fullName: 'Đặng Văn Giang', role: 'leader', background: '', joinedOn: '2024-03-01', actor, now });
		expect((await teamConfig(t.db, team.id)).version).toBe(before);
		await rejects(teamConfig(t.db, 'missing'), 'teamId');
	});
});
