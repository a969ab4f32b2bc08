import { beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '$lib/server/audit';
import { deleteActivity, getActivity, listActivities, recordActivity, updateActivity, type ActivityInput } from '$lib/server/activities';
import type { Member, Team } from '$lib/server/db/schema';
import { setPeriodRule } from '$lib/server/settings';
import { addMember, archiveTeam, createTeam, markMemberLeft } from '$lib/server/teams';
import { buildTrungHoaTeam, databaseForEachTest, ENGINES, rejectsWith } from '../../fixtures/serverDb';
import { InputError } from '$lib/server/inputError';

const actor = 'user:leader-1';
const now = new Date('2025-08-20T03:00:00Z'); // 20/08/2025 10:00 in Vietnam

const rejects = rejectsWith(InputError);

describe.each(ENGINES)('team activities on %s', (engine) => {
	const t = databaseForEachTest(engine);
	let team: Team;
	let other: Team;
	let leader: Member;
	let deputy: Member;
	let late: Member;
	let stranger: Member;

	beforeEach(async () => {
		const at = new Date('2024-01-01T00:00:00Z');
		const place = await buildTrungHoaTeam(t.db, { actor, now: at });
		({ team, leader, deputy } = place);
		other = await createTeam(t.db, { unitId: place.commune.id, name: 'Tổ CĐS xã Tùng Ảnh', level: 'commune', phase: 'pilot', establishedOn: '2024-03-01', actor, now: at });
		const member = (teamId: string, fullName: string, role: 'leader' | 'collaborator', joinedOn = '2024-03-01') =>
			addMember(t.db, { teamId, fullName, role, background: 'Trưởng thôn', joinedOn, actor, now: at });
		late = await member(team.id, 'Võ Văn Đức', 'collaborator', '2025-08-01');
		stranger = await member(other.id, 'Phạm Văn Khánh', 'leader');
	});

	const input = (over: Partial<ActivityInput> = {}): ActivityInput => ({
		teamId: team.id,
		kind: 'outreach',
		date: '2025-08-10',
		title: '  Phát thanh  trên loa xã về VNeID ',
		memberIds: [deputy.id, leader.id, leader.id],
		peopleReached: 40,
		note: 'Phát 3 buổi sáng',
		actor,
		now,
		...over
	});

	it('records an activity under the period of its date, audited', async () => {
		const a = await recordActivity(t.db, input());
		expect(a).toMatchObject({
			teamId: team.id,
			kind: 'outreach',
			date: '2025-08-10',
			period: '2025-08',
			title: 'Phát thanh trên loa xã về VNeID',
			memberIds: [leader.id, deputy.id].sort(),
			peopleReached: 40,
			note: 'Phát 3 buổi sáng',
			createdBy: actor,
			createdAt: now.toISOString()
		});
		expect(await getActivity(t.db, a.id)).toEqual(a);
		// The 15th belongs to the next period under the default rule (15th–14th).
		expect((await recordActivity(t.db, input({ date: '2025-08-15', kind: 'training', peopleReached: 0, note: '' }))).period).toBe('2025-09');
		const [audit] = await listAudit(t.db, { subject: `activity:${a.id}` });
		expect(audit).toMatchObject({ actor, action: 'activity.record', at: now.toISOString() });
		expect(JSON.parse(audit!.detail!)).toMatchObject({ teamId: team.id, kind: 'outreach', period: '2025-08', peopleReached: 40 });
	});

	it('files by the period rule in the settings', async () => {
		await setPeriodRule(t.db, { startDay: 1, deadlineDay: 5 });
		expect((await recordActivity(t.db, input({ date: '2025-08-15' }))).period).toBe('2025-08');
	});

	it('refuses bad input, naming the field', async () => {
		await rejects(recordActivity(t.db, input({ kind: 'party' })), 'kind');
		await rejects(recordActivity(t.db, input({ date: '2025-02-30' })), 'date');
		await rejects(recordActivity(t.db, input({ date: '10/08/2025' })), 'date');
		await rejects(recordActivity(t.db, input({ date: '2025-08-21' })), 'date'); // tomorrow in Vietnam
		await rejects(recordActivity(t.db, input({ date: '2024-02-29' })), 'date'); // before the team existed
		await rejects(recordActivity(t.db, input({ title: '   ' })), 'title');
		await rejects(recordActivity(t.db, input({ title: 'x'.repeat(201) })), 'title');
		await rejects(recordActivity(t.db, input({ memberIds: [] })), 'memberIds');
		await rejects(recordActivity(t.db, input({ memberIds: [stranger.id] })), 'memberIds');
		await rejects(recordActivity(t.db, input({ memberIds: ['nobody'] })), 'memberIds');
		await rejects(recordActivity(t.db, input({ memberIds: [late.id], date: '2025-07-31' })), 'memberIds'); // joined 01/08
		await rejects(recordActivity(t.db, input({ peopleReached: -1 })), 'peopleReached');
		await rejects(recordActivity(t.db, input({ peopleReached: 2.5 })), 'peopleReached');
		await rejects(recordActivity(t.db, input({ peopleReached: Number.NaN })), 'peopleReached');
		await rejects(recordActivity(t.db, input({ note: 'x'.repeat(1001) })), 'note');
		await rejects(recordActivity(t.db, input({ teamId: 'nope' })), 'teamId');
		expect(await listActivities(t.db)).toEqual([]);
		expect((await listAudit(t.db)).filter((e) => e.action.startsWith('activity.'))).toEqual([]);

		// A member who left counts for the days before they left, not after.
		await markMemberLeft(t.db, { memberId: deputy.id, leftOn: '2025-08-05', actor, now });
		await rejects(recordActivity(t.db, input({ date: '2025-08-10' })), 'memberIds');
		expect((await recordActivity(t.db, input({ date: '2025-08-05' }))).memberIds).toHaveLength(2);
		await archiveTeam(t.db, { id: team.id, actor, now });
		await rejects(recordActivity(t.db, input({ date: '2025-08-05' })), 'teamId');
	});

	it('updates what changed, re-files a new date and checks the members again; a no-op writes nothing', async () => {
		const a = await recordActivity(t.db, input());
		const same = await updateActivity(t.db, { id: a.id, title: 'Phát thanh trên loa xã về VNeID', peopleReached: 40, actor, now });
		expect(same).toEqual(a);
		expect((await listAudit(t.db, { subject: `activity:${a.id}` })).map((e) => e.action)).toEqual(['activity.record']);

		const later = new Date('2025-08-25T03:00:00Z');
		const b = await updateActivity(t.db, { id: a.id, teamId: team.id, date: '2025-08-16', peopleReached: 55, memberIds: [late.id], actor, now: later });
		expect(b).toMatchObject({ date: '2025-08-16', period: '2025-09', peopleReached: 55, memberIds: [late.id], title: a.title, note: a.note });
		expect(await getActivity(t.db, a.id)).toEqual(b);
		const [audit] = await listAudit(t.db, { subject: `activity:${a.id}` });
		expect(audit!.action).toBe('activity.update');
		expect(JSON.parse(audit!.detail!)).toEqual({
			teamId: team.id,
			from: { date: '2025-08-10', period: '2025-08', memberIds: a.memberIds, peopleReached: 40 },
			to: { date: '2025-08-16', period: '2025-09', memberIds: [late.id], peopleReached: 55 }
		});
		// Moving it back before the collaborator joined fails on the members, and changes nothing.
		await rejects(updateActivity(t.db, { id: a.id, date: '2025-07-20', actor, now: later }), 'memberIds');
		await rejects(updateActivity(t.db, { id: a.id, kind: 'nap', actor, now: later }), 'kind');
		// Another team's page cannot reach it.
		await rejects(updateActivity(t.db, { id: a.id, teamId: other.id, title: 'x', actor, now: later }), 'id');
		expect(await getActivity(t.db, a.id)).toEqual(b);
		// The note can be cleared.
		expect((await updateActivity(t.db, { id: a.id, note: '', actor, now: later })).note).toBeNull();
	});

	it('deletes softly: gone from lists, the row and the trail stay', async () => {
		const a = await recordActivity(t.db, input());
		await rejects(deleteActivity(t.db, { id: a.id, teamId: other.id, actor, now }), 'id');
		await deleteActivity(t.db, { id: a.id, teamId: team.id, actor, now });
		expect(await listActivities(t.db, { teamId: team.id })).toEqual([]);
		expect(await getActivity(t.db, a.id)).toBeUndefined();
		const row = await t.db.selectFrom('activities').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
		expect(row.deleted_at).toBe(now.toISOString());
		await rejects(deleteActivity(t.db, { id: a.id, actor, now }), 'id');
		await rejects(updateActivity(t.db, { id: a.id, title: 'again', actor, now }), 'id');
		expect((await listAudit(t.db, { subject: `activity:${a.id}` })).map((e) => e.action).sort()).toEqual(['activity.delete', 'activity.record']);
	});

	it('lists by team and period, newest first', async () => {
		const x = await recordActivity(t.db, input({ date: '2025-08-01', title: 'A' }));
		const y = await recordActivity(t.db, input({ date: '2025-08-12', title: 'B', kind: 'dxTask' }));
		const z = await recordActivity(t.db, input({ date: '2025-07-01', title: 'C', kind: 'initiative' }));
		const w = await recordActivity(t.db, input({ teamId: other.id, memberIds: [stranger.id], title: 'D' }));
		expect((await listActivities(t.db, { teamId: team.id })).map((a) => a.id)).toEqual([y.id, x.id, z.id]);
		expect((await listActivities(t.db, { teamId: team.id, period: '2025-08' })).map((a) => a.id)).toEqual([y.id, x.id]);
		expect((await listActivities(t.db, { period: '2025-08' })).map((a) => a.id)).toEqual([y.id, w.id, x.id]);
		expect((await listActivities(t.db, { teamId: other.id })).map((a) => a.title)).toEqual(['D']);
	});
});
