import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuse } from '$lib/server/auth';
import { teamAccess } from '$lib/server/teamAccess';
import type { Team, User } from '$lib/server/db/schema';
import { createUnit } from '$lib/server/orgTree';
import { archiveTeam, createTeam } from '$lib/server/teams';
import { ENGINES, freshDatabase, type TestDb } from '../../fixtures/serverDb';

const actor = 'system';
const now = new Date('2025-08-01T00:00:00Z');
const user = (over: Partial<User>): User => ({ id: 'u', username: 'u', display_name: 'U', password_hash: 'x', role: 'officer', unit_id: null, team_id: null, created_at: now.toISOString(), disabled_at: null, ...over });

describe.each(ENGINES)('who may see, manage and record a team on %s', (engine) => {
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

	/** What the user may do with the team, as 'see', 'manage' and 'record' joined; '' for nothing. */
	const may = async (who: User, team: Team) => {
		const access = await teamAccess(t.db, who, team.id);
		return [access?.canSee && 'see', access?.canManage && 'manage', access?.canRecord && 'record'].filter(Boolean).join(' ');
	};

	it('lets its leader see and record, the commune officer and an admin also manage; others nothing', async () => {
		expect(await may(user({ role: 'admin' }), elsewhere)).toBe('see manage record');
		expect(await may(user({ role: 'leader', team_id: village.id }), village)).toBe('see record');
		expect(await may(user({ role: 'leader', team_id: village.id }), commune)).toBe('');
		expect(await may(user({ role: 'leader', team_id: commune.id }), village)).toBe('');
		const officer = user({ role: 'officer', unit_id: units.c! });
		expect(await may(officer, village)).toBe('see manage record');
		expect(await may(officer, commune)).toBe('see manage record');
		expect(await may(officer, elsewhere)).toBe('');
		expect(await may(user({ role: 'officer', unit_id: null }), village)).toBe('');
	});

	it('has no answer for a team that does not exist', async () => {
		expect(await teamAccess(t.db, user({ role: 'admin' }), 'no-such-team')).toBeNull();
	});

	it('keeps an archived team read-only for everyone, its roster and badges as well as its activities', async () => {
		const archived = await archiveTeam(t.db, { id: elsewhere.id, actor, now });
		expect(await may(user({ role: 'admin' }), archived)).toBe('see');
		expect(await may(user({ role: 'officer', unit_id: units.c2! }), archived)).toBe('see');
		expect(await may(user({ role: 'leader', team_id: archived.id }), archived)).toBe('see');
	});
});

describe('a refused page', () => {
	it('carries a code for the admin error page and the Vietnamese words for a download', () => {
		let thrown: unknown;
		try {
			refuse(403, 'teamOutOfReach');
		} catch (e) {
			thrown = e;
		}
		expect(thrown).toMatchObject({ status: 403, body: { code: 'teamOutOfReach', message: 'Tổ này nằm ngoài phạm vi của bạn.' } });
	});
});
