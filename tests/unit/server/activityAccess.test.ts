import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityAccess } from '$lib/server/activityAccess';
import type { Team, User } from '$lib/server/db/schema';
import { createUnit } from '$lib/server/orgTree';
import { archiveTeam, createTeam } from '$lib/server/teams';
import { ENGINES, freshDatabase, type TestDb } from '../../fixtures/serverDb';

const actor = 'system';
const now = new Date('2025-08-01T00:00:00Z');
const user = (over: Partial<User>): User => ({ id: 'u', username: 'u', display_name: 'U', password_hash: 'x', role: 'officer', unit_id: null, team_id: null, created_at: now.toISOString(), disabled_at: null, ...over });

describe.each(ENGINES)('who may record a team’s activities on %s', (engine) => {
	let t: TestDb;
	let village: Team;
	let commune: Team;
	let elsewhere: Team;
	let units: Record<string, string>;

	beforeAll(async () => {
		t = await freshDatabase(engine);
		const d = await createUnit(t.db, { name: 'Huyện Đức Thọ', kind: 'district', parentId: null, actor, now });
		const c = await createUnit(t.db, { name: 'Xã Tùng Ảnh', kind: 'commune', parentId: d.id, actor, now });
		const v = await createUnit(t.db, { name: 'Thôn Trung Hòa', kind: 'village', parentId: c.id, actor, now });
		const c2 = await createUnit(t.db, { name: 'Thị trấn Đức Thọ', kind: 'town', parentId: d.id, actor, now });
		units = { d: d.id, c: c.id, v: v.id, c2: c2.id };
		const team = (unitId: string, level: 'commune' | 'village', name: string) => createTeam(t.db, { unitId, name, level, phase: 'pilot', establishedOn: '2024-01-01', actor, now });
		village = await team(v.id, 'village', 'Tổ thôn Trung Hòa');
		commune = await team(c.id, 'commune', 'Tổ xã Tùng Ảnh');
		elsewhere = await team(c2.id, 'commune', 'Tổ thị trấn');
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('lets its leader, the commune officer and an admin record; others neither see nor record', async () => {
		expect(await activityAccess(t.db, user({ role: 'admin' }), elsewhere)).toEqual({ canSee: true, canRecord: true });
		expect(await activityAccess(t.db, user({ role: 'leader', team_id: village.id }), village)).toEqual({ canSee: true, canRecord: true });
		expect(await activityAccess(t.db, user({ role: 'leader', team_id: village.id }), commune)).toEqual({ canSee: false, canRecord: false });
		expect(await activityAccess(t.db, user({ role: 'leader', team_id: commune.id }), village)).toEqual({ canSee: false, canRecord: false });
		const officer = user({ role: 'officer', unit_id: units.c! });
		expect(await activityAccess(t.db, officer, village)).toEqual({ canSee: true, canRecord: true });
		expect(await activityAccess(t.db, officer, commune)).toEqual({ canSee: true, canRecord: true });
		expect(await activityAccess(t.db, officer, elsewhere)).toEqual({ canSee: false, canRecord: false });
		expect(await activityAccess(t.db, user({ role: 'officer', unit_id: null }), village)).toEqual({ canSee: false, canRecord: false });
	});

	it('keeps an archived team’s activities read-only', async () => {
		const archived = await archiveTeam(t.db, { id: elsewhere.id, actor, now });
		expect(await activityAccess(t.db, user({ role: 'admin' }), archived)).toEqual({ canSee: true, canRecord: false });
	});
});
