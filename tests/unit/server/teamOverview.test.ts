import { describe, expect, it } from 'vitest';
import { createUnit } from '$lib/server/orgTree';
import { addMember, createTeam, markMemberLeft } from '$lib/server/teams';
import { teamOverviews, teamsInReach } from '$lib/server/teamOverview';
import { databaseForEachTest, ENGINES } from '../../fixtures/serverDb';
import type { TeamRole } from '$lib/domain/teamRules';

const actor = 'system';
const now = new Date('2025-08-01T03:00:00Z');

describe.each(ENGINES)('team overview on %s', (engine) => {
	const t = databaseForEachTest(engine);

	it("lists each team in the user's reach, in tree order, with its warnings", async () => {
		const province = await createUnit(t.db, { name: 'Tỉnh Hà Tĩnh', kind: 'province', parentId: null, actor, now });
		const commune = await createUnit(t.db, { name: 'Xã Tùng Ảnh', kind: 'commune', parentId: province.id, actor, now });
		const village = await createUnit(t.db, { name: 'Thôn Trung Hòa', kind: 'village', parentId: commune.id, actor, now });
		const other = await createUnit(t.db, { name: 'Xã Đức Lạng', kind: 'commune', parentId: province.id, actor, now });
		const team = (unitId: string, name: string, level: 'commune' | 'village') => createTeam(t.db, { unitId, name, level, phase: 'pilot', establishedOn: '2024-03-01', actor, now });
		// Named so that by name the village would come first.
		const villageTeam = await team(village.id, 'A – Tổ thôn Trung Hòa', 'village');
		const communeTeam = await team(commune.id, 'B – Tổ xã Tùng Ảnh', 'commune');
		const otherTeam = await team(other.id, 'C – Tổ xã Đức Lạng', 'commune');
		const add = (teamId: string, fullName: string, role: TeamRole, background: string) =>
			addMember(t.db, { teamId, fullName, role, background, joinedOn: '2024-03-01', actor, now });
		await add(villageTeam.id, 'An', 'leader', 'Trưởng thôn');
		await add(villageTeam.id, 'Bình', 'deputy', 'Bí thư chi đoàn thôn');
		const cuong = await add(villageTeam.id, 'Cường', 'member', 'Giáo viên');
		await add(villageTeam.id, 'Đức', 'collaborator', 'Sinh viên');
		await add(communeTeam.id, 'Dũng', 'leader', 'Phó Chủ tịch UBND xã');
		await add(communeTeam.id, 'Hương', 'deputy', 'Giáo viên');
		await add(communeTeam.id, 'Khánh', 'member', 'Công chức văn hóa - xã hội');

		const officer = { role: 'officer' as const, unit_id: commune.id, team_id: null };
		const rows = await teamOverviews(t.db, officer);
		expect(rows.map((r) => [r.name, r.unitPath, r.coreCount, r.collaboratorCount, r.warnings])).toEqual([
			['B – Tổ xã Tùng Ảnh', 'Xã Tùng Ảnh', 3, 0, ['communeNoYouthUnion']],
			['A – Tổ thôn Trung Hòa', 'Xã Tùng Ảnh › Thôn Trung Hòa', 3, 1, []]
		]);
		await markMemberLeft(t.db, { memberId: cuong.id, leftOn: '2025-01-01', actor, now });
		expect((await teamOverviews(t.db, officer))[1]?.warnings).toEqual(['coreTooFew']);

		const admin = await teamOverviews(t.db, { role: 'admin', unit_id: null, team_id: null });
		expect(admin.map((r) => [r.name, r.unitPath])).toEqual([
			['C – Tổ xã Đức Lạng', 'Tỉnh Hà Tĩnh › Xã Đức Lạng'],
			['B – Tổ xã Tùng Ảnh', 'Tỉnh Hà Tĩnh › Xã Tùng Ảnh'],
			['A – Tổ thôn Trung Hòa', 'Tỉnh Hà Tĩnh › Xã Tùng Ảnh › Thôn Trung Hòa']
		]);
		expect(admin[0]?.warnings).toEqual(['coreTooFew', 'noLeader', 'communeNoYouthUnion', 'communeNoItOfficer']);
		expect((await teamsInReach(t.db, { role: 'leader', unit_id: null, team_id: otherTeam.id })).map((x) => x.id)).toEqual([otherTeam.id]);
		expect(await teamsInReach(t.db, { role: 'officer', unit_id: null, team_id: null })).toEqual([]);
	});
});
