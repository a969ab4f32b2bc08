// A team of its own for a spec whose tablet uploads: other specs' tablets upload to the demo team,
// whose report such a tablet could then not account for.
import { randomBytes } from 'node:crypto';
import { DEMO_TEAM_ID, E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { createEnrolmentCode } from '../../src/lib/server/devices';
import { createUnit } from '../../src/lib/server/orgTree';
import { addMember, createTeam, setMemberPin } from '../../src/lib/server/teams';
import { hashPin } from '../../src/lib/domain/pin';

const suffix = randomBytes(3).toString('hex');

/** The new team's leader: not a demo member's name (the leader view lists members by name). */
export const LEADER = { name: 'Hoàng Văn Duyệt', pin: '1357' };

/** A team of its own in a new village under the demo team's commune (whatever the demo tree's shape), with its leader and an enrolment code. */
export async function newTeam(label: string): Promise<{ teamId: string; villageId: string; communeId: string; code: string }> {
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	try {
		const now = new Date();
		const actor = 'system';
		const units = new Map((await db.selectFrom('org_units').select(['id', 'parent_id', 'kind']).execute()).map((u) => [u.id, u]));
		const demo = await db.selectFrom('teams').select('unit_id').where('id', '=', DEMO_TEAM_ID).executeTakeFirstOrThrow();
		let unit = units.get(demo.unit_id);
		while (unit && !['commune', 'ward', 'town'].includes(unit.kind)) unit = unit.parent_id ? units.get(unit.parent_id) : undefined;
		if (!unit) throw new Error('the demo team has no commune above it');
		const village = await createUnit(db, { name: `Thôn ${label} ${suffix}`, kind: 'village', parentId: unit.id, actor, now });
		const team = await createTeam(db, { unitId: village.id, name: `Tổ CĐS thôn ${label} ${suffix}`, level: 'village', phase: 'pilot', establishedOn: '2024-01-01', actor, now });
		const leader = await addMember(db, { teamId: team.id, fullName: LEADER.name, role: 'leader', background: 'Trưởng thôn', joinedOn: '2024-01-01', actor, now });
		await setMemberPin(db, { memberId: leader.id, pinHash: await hashPin(LEADER.pin, 1000), actor, now });
		return { teamId: team.id, villageId: village.id, communeId: unit.id, code: (await createEnrolmentCode(db, { teamId: team.id, createdBy: null, now, ttlHours: 2 })).code };
	} finally {
		await close();
	}
}
