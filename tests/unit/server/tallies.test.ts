import { beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { SessionOwnedElsewhereError, storeTallies, storeTally } from '$lib/server/tallies';
import { DEFAULT_PERIOD_RULE } from '$lib/domain/period';
import { computeCounts, type Outcome, type SessionTally, type TallyResident } from '$lib/domain/tally';
import { validateAnySessionTally, validateSessionTally } from '$lib/domain/tallySchema';
import type { SessionTallyV2 } from '$lib/domain/tally';
import { addBareTeams, databaseForEachTest, ENGINES } from '../../fixtures/serverDb';

const NOW = new Date('2026-11-20T03:00:00.000Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const rule = DEFAULT_PERIOD_RULE;

const RESIDENTS = new Map<string, TallyResident>([
	['r1', { id: 'r1', gender: 'male', birthYear: 1950 }],
	['r2', { id: 'r2', gender: 'female', birthYear: 1990 }],
	['r3', { id: 'r3', gender: 'female', birthYear: 2012 }]
]);

type Assist = [residentId: string, memberId: string, skills: string[], outcome: Outcome];
const FIRST_ASSISTS: Assist[] = [
	['r1', 'm1', ['vneid_install', 'vneid_level2'], 'done'],
	['r2', 'm2', ['bank_app'], 'partly'],
	['r3', 'm1', ['vneid_install'], 'referred']
];

/** A session tally as a tablet would send it, checked by the same validation the API runs. */
function makeTally(input: { sessionId: string; teamId?: string; version?: number; date?: string; assists?: Assist[] }): SessionTally {
	const date = input.date ?? '2026-11-14';
	const counts = computeCounts({
		residents: RESIDENTS,
		checkIns: [
			{ residentId: 'r1', firstVisit: true },
			{ residentId: 'r2', firstVisit: false },
			{ residentId: 'r3', firstVisit: true },
			{ residentId: 'r1', firstVisit: false }
		],
		assists: (input.assists ?? FIRST_ASSISTS).map(([residentId, memberId, skillCodes, outcome]) => ({ residentId, memberId, skillCodes, outcome })),
		atYear: Number(date.slice(0, 4))
	});
	const tally: SessionTally = {
		schema: 1,
		sessionId: input.sessionId,
		version: input.version ?? 1,
		teamId: input.teamId ?? 'team-a',
		date,
		startedAt: `${date}T01:00:00.000Z`,
		endedAt: `${date}T04:00:00.000Z`,
		membersPresent: ['m1', 'm2'],
		...counts
	};
	const checked = validateSessionTally(tally);
	expect(checked).toMatchObject({ ok: true });
	if (!checked.ok) throw new Error(`invalid test tally: ${checked.field}`);
	return checked.tally;
}

/** The same session as schema 2, with outcomes (r1 became proficient and covered a household). */
function makeTallyV2(input: Parameters<typeof makeTally>[0], outcomes?: Partial<Pick<SessionTallyV2, 'residentsNewlyProficient' | 'householdsNewlyCovered'>>): SessionTallyV2 {
	const tally: SessionTallyV2 = {
		...makeTally(input),
		schema: 2,
		residentsNewlyProficient: 1,
		householdsNewlyCovered: 1,
		residentsGainedByGroup: { publicServices: 2, shopping: 0, payment: 1, safety: 0, localPlatforms: 1 },
		...outcomes
	};
	const checked = validateAnySessionTally(tally);
	if (!checked.ok) throw new Error(`invalid test tally: ${checked.field}`);
	return checked.tally as SessionTallyV2;
}

describe.each(ENGINES)('storeTally on %s', (engine) => {
	const t = databaseForEachTest(engine, (db) => addBareTeams(db, 'team-a', 'team-b'));
	let db: Kysely<Database>;
	beforeEach(() => void (db = t.db));

	const rowOf = (sessionId: string) => db.selectFrom('session_tallies').selectAll().where('session_id', '=', sessionId).executeTakeFirstOrThrow();
	const skillsOf = async (sessionId: string) =>
		Object.fromEntries(
			(await db.selectFrom('tally_skill_counts').select(['skill_code', 'count']).where('session_id', '=', sessionId).execute()).map((r) => [r.skill_code, r.count])
		);
	const membersOf = async (sessionId: string) =>
		Object.fromEntries(
			(await db.selectFrom('tally_member_counts').select(['member_id', 'count']).where('session_id', '=', sessionId).execute()).map((r) => [r.member_id, r.count])
		);

	it('stores a session without assists: no skill or member counts, and its audit row', async () => {
		const sessionId = randomUUID();
		const tally = makeTally({ sessionId, assists: [] });
		expect(await storeTally(db, { tally, deviceId: 'dev-1', rule, now: NOW, actor: 'device:dev-1' })).toBe('stored');
		expect(await rowOf(sessionId)).toMatchObject({ assists: 0, check_ins: 4 });
		expect(await skillsOf(sessionId)).toEqual({});
		expect(await membersOf(sessionId)).toEqual({});
		const audit = await db.selectFrom('audit_events').select(['action', 'actor', 'subject', 'detail']).where('action', 'like', 'tally.%').execute();
		expect(audit).toEqual([{ action: 'tally.stored', actor: 'device:dev-1', subject: 'team:team-a', detail: JSON.stringify({ sessionId, version: 1 }) }]);
		expect(await storeTally(db, { tally, deviceId: 'dev-1', rule, now: later(1000), actor: 'device:dev-1' })).toBe('unchanged');
	});

	it('stores a new session with its counts, per skill and per member', async () => {
		const sessionId = randomUUID();
		expect(await storeTally(db, { tally: makeTally({ sessionId }), deviceId: 'dev-1', rule, now: NOW })).toBe('stored');
		expect(await rowOf(sessionId)).toMatchObject({
			team_id: 'team-a',
			device_id: 'dev-1',
			version: 1,
			session_date: '2026-11-14',
			period: '2026-11',
			received_at: NOW.toISOString(),
			updated_at: NOW.toISOString(),
			check_ins: 4,
			distinct_residents: 3,
			first_time_residents: 2,
			residents_male: 1,
			residents_female: 2,
			residents_under18: 1,
			residents_18_39: 1,
			residents_40_59: 0,
			residents_60plus: 1,
			assists: 3,
			assists_done: 1,
			assists_partly: 1,
			assists_referred: 1,
			assists_male: 1,
			assists_female: 2,
			assists_under18: 1,
			assists_18_39: 1,
			assists_40_59: 0,
			assists_60plus: 1,
			members_present: JSON.stringify(['m1', 'm2'])
		});
		expect(await skillsOf(sessionId)).toEqual({ vneid_install: 2, vneid_level2: 1, bank_app: 1 });
		expect(await membersOf(sessionId)).toEqual({ m1: 2, m2: 1 });
	});

	it('audits a stored or replaced tally in the same transaction, and an unchanged one not at all', async () => {
		const sessionId = randomUUID();
		const actor = 'device:dev-1';
		const events = () => db.selectFrom('audit_events').select('action').where('actor', '=', actor).orderBy('at').execute();
		await storeTally(db, { tally: makeTally({ sessionId }), deviceId: 'dev-1', rule, now: NOW, actor });
		await storeTally(db, { tally: makeTally({ sessionId }), deviceId: 'dev-1', rule, now: later(1_000), actor });
		await storeTally(db, { tally: makeTally({ sessionId, version: 2 }), deviceId: 'dev-1', rule, now: later(2_000), actor });
		expect((await events()).map((e) => e.action)).toEqual(['tally.stored', 'tally.replaced']);
	});

	it('changes nothing for the same version again, or a lower one', async () => {
		const sessionId = randomUUID();
		await storeTally(db, { tally: makeTally({ sessionId, version: 2 }), deviceId: 'dev-1', rule, now: NOW });
		const before = await rowOf(sessionId);
		expect(await storeTally(db, { tally: makeTally({ sessionId, version: 2 }), deviceId: 'dev-2', rule, now: later(60_000) })).toBe('unchanged');
		const lower = makeTally({ sessionId, version: 1, assists: [['r1', 'm1', ['scam_awareness'], 'done']] });
		expect(await storeTally(db, { tally: lower, deviceId: 'dev-2', rule, now: later(120_000) })).toBe('unchanged');
		expect(await rowOf(sessionId)).toEqual(before);
		expect(await skillsOf(sessionId)).toEqual({ vneid_install: 2, vneid_level2: 1, bank_app: 1 });
	});

	it('replaces the row and its per-skill and per-member counts with a higher version, keeping when it first arrived', async () => {
		const sessionId = randomUUID();
		await storeTally(db, { tally: makeTally({ sessionId }), deviceId: 'dev-1', rule, now: NOW });
		const newer = makeTally({
			sessionId,
			version: 3,
			assists: [
				['r1', 'm2', ['scam_awareness'], 'done'],
				['r2', 'm2', ['bank_app', 'ewallet'], 'done']
			]
		});
		expect(await storeTally(db, { tally: newer, deviceId: 'dev-2', rule, now: later(3_600_000) })).toBe('replaced');
		expect(await rowOf(sessionId)).toMatchObject({
			version: 3,
			device_id: 'dev-2',
			received_at: NOW.toISOString(),
			updated_at: later(3_600_000).toISOString(),
			assists: 2,
			assists_done: 2,
			assists_partly: 0,
			assists_referred: 0
		});
		expect(await skillsOf(sessionId)).toEqual({ scam_awareness: 1, bank_app: 1, ewallet: 1 });
		expect(await membersOf(sessionId)).toEqual({ m2: 2 });
		expect(await db.selectFrom('session_tallies').select('session_id').execute()).toHaveLength(1);
	});

	it('stores 20 parallel identical uploads exactly once', async () => {
		const sessionId = randomUUID();
		const tally = makeTally({ sessionId });
		const outcomes = await Promise.all(Array.from({ length: 20 }, () => storeTally(db, { tally, deviceId: 'dev-1', rule, now: NOW })));
		expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'unchanged')).toHaveLength(19);
		expect(await db.selectFrom('session_tallies').select('session_id').execute()).toHaveLength(1);
		expect(await skillsOf(sessionId)).toEqual({ vneid_install: 2, vneid_level2: 1, bank_app: 1 });
	});

	it("refuses a session of team A sent as team B's, whatever the version", async () => {
		const sessionId = randomUUID();
		await storeTally(db, { tally: makeTally({ sessionId, teamId: 'team-a', version: 2 }), deviceId: 'dev-a', rule, now: NOW });
		const before = await rowOf(sessionId);
		for (const version of [1, 2, 3]) {
			await expect(
				storeTally(db, { tally: makeTally({ sessionId, teamId: 'team-b', version }), deviceId: 'dev-b', rule, now: later(60_000) })
			).rejects.toBeInstanceOf(SessionOwnedElsewhereError);
		}
		expect(await rowOf(sessionId)).toEqual(before);
	});

	it('files a session in its reporting period: the 14th in this month, the 15th in the next', async () => {
		const on14 = randomUUID();
		const on15 = randomUUID();
		const dec15 = randomUUID();
		await storeTally(db, { tally: makeTally({ sessionId: on14, date: '2026-11-14' }), deviceId: 'dev-1', rule, now: NOW });
		await storeTally(db, { tally: makeTally({ sessionId: on15, date: '2026-11-15' }), deviceId: 'dev-1', rule, now: NOW });
		await storeTally(db, { tally: makeTally({ sessionId: dec15, date: '2026-12-15' }), deviceId: 'dev-1', rule, now: NOW });
		expect((await rowOf(on14)).period).toBe('2026-11');
		expect((await rowOf(on15)).period).toBe('2026-12');
		expect((await rowOf(dec15)).period).toBe('2027-01');
		const calendar = randomUUID();
		await storeTally(db, { tally: makeTally({ sessionId: calendar, date: '2026-11-15' }), deviceId: 'dev-1', rule: { startDay: 1, deadlineDay: 20 }, now: NOW });
		expect((await rowOf(calendar)).period).toBe('2026-11');
	});

	const groupsOf = async (sessionId: string) =>
		Object.fromEntries(
			(await db.selectFrom('tally_group_counts').select(['basic_group', 'count']).where('session_id', '=', sessionId).execute()).map((r) => [r.basic_group, r.count])
		);

	it('stores schema 1 and schema 2 side by side: schema 1 outcomes are NULL (not reported), schema 2 zeroes stay zero', async () => {
		const [v1, v2, v2zero] = [randomUUID(), randomUUID(), randomUUID()];
		await storeTally(db, { tally: makeTally({ sessionId: v1 }), deviceId: 'dev-1', rule, now: NOW });
		await storeTally(db, { tally: makeTallyV2({ sessionId: v2 }), deviceId: 'dev-1', rule, now: NOW, actor: 'device:dev-1' });
		const zero = makeTallyV2(
			{ sessionId: v2zero },
			{ residentsNewlyProficient: 0, householdsNewlyCovered: 0 }
		);
		zero.residentsGainedByGroup = { publicServices: 0, shopping: 0, payment: 0, safety: 0, localPlatforms: 0 };
		await storeTally(db, { tally: zero, deviceId: 'dev-1', rule, now: NOW });

		expect(await rowOf(v1)).toMatchObject({ assists: 3, residents_newly_proficient: null, households_newly_covered: null });
		expect(await rowOf(v2)).toMatchObject({ assists: 3, residents_newly_proficient: 1, households_newly_covered: 1 });
		expect(await rowOf(v2zero)).toMatchObject({ residents_newly_proficient: 0, households_newly_covered: 0 });
		expect(await groupsOf(v1)).toEqual({});
		expect(await groupsOf(v2)).toEqual({ publicServices: 2, payment: 1, localPlatforms: 1 });
		expect(await groupsOf(v2zero)).toEqual({});
		expect(await skillsOf(v2)).toEqual({ vneid_install: 2, vneid_level2: 1, bank_app: 1 });
	});

	it('a tablet updated mid-period replaces its schema 1 tally with schema 2, and back again leaves no stale group rows', async () => {
		const sessionId = randomUUID();
		await storeTally(db, { tally: makeTally({ sessionId }), deviceId: 'dev-1', rule, now: NOW });
		expect(await storeTally(db, { tally: makeTallyV2({ sessionId, version: 2 }), deviceId: 'dev-1', rule, now: later(1000) })).toBe('replaced');
		expect(await rowOf(sessionId)).toMatchObject({ version: 2, households_newly_covered: 1 });
		expect(await groupsOf(sessionId)).toEqual({ publicServices: 2, payment: 1, localPlatforms: 1 });
		expect(await storeTally(db, { tally: makeTally({ sessionId, version: 3 }), deviceId: 'dev-1', rule, now: later(2000) })).toBe('replaced');
		expect(await rowOf(sessionId)).toMatchObject({ version: 3, residents_newly_proficient: null, households_newly_covered: null });
		expect(await groupsOf(sessionId)).toEqual({});
	});

	it('stores a batch in order, each tally as storeTally would; a session of another team is refused alone', async () => {
		const [a, b, theirs] = [randomUUID(), randomUUID(), randomUUID()];
		expect(await storeTally(db, { tally: makeTally({ sessionId: theirs, teamId: 'team-b' }), deviceId: 'dev-b', rule, now: NOW })).toBe('stored');
		const results = await storeTallies(
			db,
			[makeTally({ sessionId: a }), makeTally({ sessionId: theirs }), makeTally({ sessionId: b, version: 2 }), makeTally({ sessionId: a }), makeTally({ sessionId: b, version: 3, assists: [] })].map((tally) => ({
				tally,
				deviceId: 'dev-1',
				rule,
				now: NOW,
				actor: 'device:dev-1'
			}))
		);
		expect(results.map((r) => (r instanceof SessionOwnedElsewhereError ? 'elsewhere' : r))).toEqual(['stored', 'elsewhere', 'stored', 'unchanged', 'replaced']);
		expect(await rowOf(a)).toMatchObject({ team_id: 'team-a', version: 1 });
		expect(await rowOf(b)).toMatchObject({ team_id: 'team-a', version: 3, assists: 0 });
		expect(await rowOf(theirs)).toMatchObject({ team_id: 'team-b', device_id: 'dev-b' });
		const audit = await db.selectFrom('audit_events').select(['action', 'detail']).where('actor', '=', 'device:dev-1').orderBy('at').execute();
		expect(audit.map((r) => r.action).sort()).toEqual(['tally.replaced', 'tally.stored', 'tally.stored']);
	});
});

