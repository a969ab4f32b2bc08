// Issue 13 on both engines: a team's monthly submission from its tablet, the commune officer's
// approval (one team, all at once, two officers at once), returns and reopens, and the locked
// figures a late tally never changes silently.
import { beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Device, User } from '$lib/server/db/schema';
import { receivePeriodSubmission, teamReportState } from '$lib/server/submissions';
import { actOnTeam, actOnUnit, approvalRights, approvalSummary, approveAllTeams, ApprovalRefused, communesUnder, unitPeriodView } from '$lib/server/approvals';
import { storeTally } from '$lib/server/tallies';
import { tabletConfig } from '$lib/server/tabletConfig';
import { monthlyReport } from '$lib/server/reports/monthly';
import { reportCsv } from '$lib/server/reports/exports';
import { listAuditRows, resolveAuditNames } from '$lib/server/auditView';
import { auditSentence } from '$lib/i18n/auditText';
import { requireDevice } from '$lib/server/deviceAuth';
import { ApiError } from '$lib/server/api';
import { revokeDevice } from '$lib/server/devices';
import { sha256Hex } from '$lib/server/secrets';
import { InputError } from '$lib/server/inputError';
import { DEFAULT_PERIOD_RULE } from '$lib/domain/period';
import type { SessionTally } from '$lib/domain/tally';
import { sampleTally } from '../../fixtures/tallies';
import { databaseForEachTest, ENGINES, insertDucThoUnits, thrownBy } from '../../fixtures/serverDb';

const PERIOD = '2026-11'; // 15/10 – 14/11/2026, due 20/11
const at = (day: string, time = '03:00') => new Date(`2026-11-${day}T${time}:00.000Z`);
const rule = DEFAULT_PERIOD_RULE;
const CREATED = '2026-01-01T00:00:00.000Z';
const MEMBERS = ['m1', 'm2', 'm3'] as const;

/** Tỉnh Hà Tĩnh › Xã Đức Thọ › Thôn Trung Hòa, teams on the village; officers of the province and commune. */
async function prepare(db: Kysely<Database>, teams = 2): Promise<void> {
	await insertDucThoUnits(db, CREATED);
	const rows = Array.from({ length: teams }, (_, i) => ({
		id: `t${i + 1}`,
		unit_id: 'v',
		name: `Tổ ${String(i + 1).padStart(2, '0')}`,
		level: 'village' as const,
		phase: 'pilot' as const,
		established_on: '2024-03-01',
		archived_at: null,
		created_at: CREATED
	}));
	for (let i = 0; i < rows.length; i += 100) await db.insertInto('teams').values(rows.slice(i, i + 100)).execute();
	await db
		.insertInto('devices')
		.values(rows.map((t) => ({ id: `d-${t.id}`, team_id: t.id, label: 'Máy', token_hash: sha256Hex(`token-of-${t.id}-xxxxxxxxxxxxxxxx`), created_at: CREATED, revoked_at: null, last_seen_at: null, last_upload_at: null })))
		.execute();
	const user = (id: string, role: User['role'], unit_id: string | null, team_id: string | null = null) => ({
		id,
		username: id,
		display_name: { lan: 'Cán bộ Lan', minh: 'Cán bộ Minh', tinh: 'Cán bộ Tỉnh', leader: 'Tổ trưởng' }[id] ?? id,
		password_hash: 'x',
		role,
		unit_id,
		team_id,
		created_at: CREATED,
		disabled_at: null
	});
	await db.insertInto('users').values([user('lan', 'officer', 'c'), user('minh', 'officer', 'c'), user('tinh', 'officer', 'p'), user('leader', 'leader', null, 't1')]).execute();
}

describe.each(ENGINES)('submissions and approvals on %s', (engine) => {
	const t = databaseForEachTest(engine, (db) => prepare(db));
	let db: Kysely<Database>;
	beforeEach(() => void (db = t.db));

	const device = (team = 't1') => db.selectFrom('devices').selectAll().where('team_id', '=', team).executeTakeFirstOrThrow() as Promise<Device>;
	const userOf = (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow() as Promise<User>;

	/** A session of `people` residents... 4 assists each as sampleTally has them, dated `day` of November. */
	function tally(team: string, n: number, o: { version?: number; day?: string } = {}): SessionTally {
		const day = o.day ?? '10';
		return {
			...sampleTally({ sessionId: `00000000-0000-4000-8000-${team.slice(1).padStart(6, '0')}${String(n).padStart(6, '0')}`, teamId: team, memberIds: MEMBERS, version: o.version }),
			date: `2026-11-${day}`,
			startedAt: `2026-11-${day}T01:00:00.000Z`,
			endedAt: `2026-11-${day}T04:00:00.000Z`
		};
	}
	const upload = (s: SessionTally, now: Date) => storeTally(db, { tally: s, deviceId: `d-${s.teamId}`, rule, now });
	const submission = (team: string, sessions: SessionTally[], madeAt: Date, id: string = randomUUID()) => ({
		schema: 1,
		submissionId: id,
		teamId: team,
		period: PERIOD,
		sessions: sessions.map((s) => ({ sessionId: s.sessionId, version: s.version })),
		submittedAt: madeAt.toISOString()
	});
	const submit = async (team: string, body: unknown, now: Date) => receivePeriodSubmission(db, { body, device: await device(team), rule, now });
	const view = (now: Date) => unitPeriodView(db, { unitId: 'c', period: PERIOD, rule, now });
	const teamIn = async (id: string, now: Date) => (await view(now)).teams.find((x) => x.id === id)!;
	const actor = async (id: string, now: Date) => ({ user: await userOf(id), now });

	it('stores a submission exactly once: a resend after a lost answer is unchanged, and audited once', async () => {
		const sessions = [tally('t1', 1), tally('t1', 2)];
		for (const s of sessions) await upload(s, at('10'));
		const body = submission('t1', sessions, at('15'));
		expect(await submit('t1', body, at('15', '03:05'))).toEqual({
			result: 'stored',
			submissionId: body.submissionId,
			period: PERIOD,
			state: 'submitted',
			waitingFor: [],
			returnNote: null
		});
		expect(await submit('t1', body, at('15', '03:06'))).toMatchObject({ result: 'unchanged', state: 'submitted' });
		// Two copies at once (a resend racing its original) still give one row.
		const racing = await Promise.all([submit('t1', body, at('15', '03:07')), submit('t1', body, at('15', '03:07'))]);
		expect(racing.map((r) => r.result)).toEqual(['unchanged', 'unchanged']);
		expect(await db.selectFrom('period_submissions').select(['submission_id', 'state', 'received_at']).execute()).toEqual([
			{ submission_id: body.submissionId, state: 'current', received_at: at('15', '03:05').toISOString() }
		]);
		expect(await db.selectFrom('audit_events').select(['action', 'actor']).where('action', 'like', 'submission.%').execute()).toEqual([
			{ action: 'submission.stored', actor: 'device:d-t1' }
		]);
	});

	it('a submission naming sessions still on their way is stored and waits for them, naming them', async () => {
		const [s1, s2, s3] = [tally('t1', 1), tally('t1', 2), tally('t1', 3, { version: 2 })];
		await upload(s1, at('10'));
		await upload({ ...s3, version: 1 }, at('10'));
		const answer = await submit('t1', submission('t1', [s1, s2, s3], at('15')), at('15'));
		expect(answer.result).toBe('stored');
		expect(answer.waitingFor.sort()).toEqual([s2.sessionId, s3.sessionId].sort());
		const team = await teamIn('t1', at('15'));
		expect(team.status.waitingFor.map((r) => r.sessionId).sort()).toEqual([s2.sessionId, s3.sessionId].sort());
		// The officer cannot approve what is not all there yet.
		expect(await thrownBy(actOnTeam(db, { unitId: 'c', period: PERIOD, teamId: 't1', action: 'approve' }, await actor('lan', at('15'))))).toMatchObject({
			refusal: 'waitingForSessions'
		});
		await upload(s2, at('15', '04:00'));
		await upload(s3, at('15', '04:00'));
		expect(await teamReportState(db, { teamId: 't1', period: PERIOD, rule, now: at('15', '05:00') })).toMatchObject({ state: 'submitted', waitingFor: [] });
	});

	it('refuses with the reason: a period not started, another team, a bad shape, a revoked tablet', async () => {
		const early = { ...submission('t1', [], at('15')), period: '2026-12', submittedAt: at('15').toISOString() };
		// 2026-12 starts on 15/11: on 14/11 it has not started.
		expect(await thrownBy(submit('t1', early, new Date('2026-11-14T03:00:00.000Z')))).toMatchObject({ code: 'notStarted', field: 'period' });
		expect(await thrownBy(submit('t1', submission('t2', [], at('15')), at('15')))).toMatchObject({ code: 'wrongTeam', field: 'teamId' });
		const bad = await thrownBy(submit('t1', { ...submission('t1', [], at('15')), sessions: [{ sessionId: 'not-a-uuid', version: 1 }] }, at('15')));
		expect(bad).toBeInstanceOf(InputError);
		expect(bad).toMatchObject({ code: 'invalid', field: 'sessions.0.sessionId' });
		expect(await db.selectFrom('period_submissions').selectAll().execute()).toEqual([]);

		await revokeDevice(db, { deviceId: 'd-t1', actor: 'user:lan', now: at('15') });
		const request = new Request('http://x/api/v1/submissions', { method: 'POST', headers: { authorization: 'Bearer token-of-t1-xxxxxxxxxxxxxxxx' } });
		const revoked = await thrownBy(requireDevice(db, request, at('15')));
		expect(revoked).toBeInstanceOf(ApiError);
		expect(revoked).toMatchObject({ status: 401, code: 'device_revoked' });
	});

	it('a newer submission replaces the one in force; an older one or a resend of the replaced one changes nothing', async () => {
		const [s1, s2] = [tally('t1', 1), tally('t1', 2)];
		await upload(s1, at('10'));
		await upload(s2, at('12'));
		const first = submission('t1', [s1], at('11'));
		await submit('t1', first, at('11', '04:00'));
		expect((await teamIn('t1', at('12', '05:00'))).status.state).toBe('changed_since_submitted');
		const second = submission('t1', [s1, s2], at('13'));
		expect((await submit('t1', second, at('13', '04:00'))).result).toBe('replaced');
		expect((await submit('t1', first, at('13', '05:00'))).result).toBe('unchanged');
		expect((await submit('t1', submission('t1', [s1], at('12')), at('13', '05:00'))).result).toBe('unchanged');
		const rows = await db.selectFrom('period_submissions').select(['submission_id', 'state']).orderBy('received_at').execute();
		expect(rows).toEqual([
			{ submission_id: first.submissionId, state: 'replaced' },
			{ submission_id: second.submissionId, state: 'current' }
		]);
		expect((await teamIn('t1', at('13', '05:00'))).status).toMatchObject({ state: 'submitted', timeliness: 'on_time' });
	});

	it('submit → approve → a late tally → shown apart, totals unchanged → reopen (audited) → approve: totals include it', async () => {
		const sessions = [tally('t1', 1), tally('t1', 2)];
		for (const s of sessions) await upload(s, at('10'));
		await submit('t1', submission('t1', sessions, at('15')), at('15'));
		expect((await actOnTeam(db, { unitId: 'c', period: PERIOD, teamId: 't1', action: 'approve' }, await actor('lan', at('17')))).outcome).toBe('recorded');
		const approved = await teamIn('t1', at('17'));
		expect(approved).toMatchObject({ status: { state: 'approved', approvedAt: at('17').toISOString() }, approvedByName: 'Cán bộ Lan' });
		expect(approved.figures).toMatchObject({ locked: true, sessions: 2, lateArrivals: [] });
		expect(approved.figures.figures.assists).toBe(8);

		// The commune approves its period too: it is locked and sent up.
		await actOnUnit(db, { unitId: 'c', period: PERIOD, action: 'approve', level: 'commune' }, await actor('lan', at('17', '04:00')));
		expect((await view(at('17', '04:00'))).status.state).toBe('submitted');

		// A session held back by no network, and a corrected one, arrive after approval: stored, shown apart.
		const late = tally('t1', 3, { day: '12' });
		await upload(late, at('18'));
		await upload(tally('t1', 2, { version: 2 }), at('18'));
		expect(await db.selectFrom('session_tallies').select('session_id').where('session_id', '=', late.sessionId).execute()).toHaveLength(1);
		const shown = await view(at('18', '05:00'));
		const team = shown.teams.find((x) => x.id === 't1')!;
		expect(team.status.state).toBe('approved');
		expect(team.figures.figures.assists).toBe(8);
		expect(team.figures.lateArrivals.map((a) => [a.sessionId, a.kind, a.delta.assists])).toEqual([
			[sessions[1]!.sessionId, 'replaced', 0],
			[late.sessionId, 'new', 4]
		]);
		expect(shown.figures).toMatchObject({ locked: true, sessions: 2 });
		expect(shown.figures.figures.assists).toBe(8);
		expect(shown.figures.lateDelta.assists).toBe(4);
		// The monthly report (printed, exported) shows the approved figures too, the late ones counted apart.
		const report = await monthlyReport(db, { unitId: 'c', period: PERIOD, rule, now: at('18', '05:00') });
		expect(report.total.assists).toBe(8);
		expect(report.total.sessions).toBe(2);
		expect(report.teams.find((x) => x.id === 't1')).toMatchObject({ approved: true, lateArrivals: 2, sessions: 2 });
		expect(report.total.assistsBySkill).toEqual({ vneid_install: 4, vneid_level2: 2, bank_app: 2, scam_awareness: 2 });

		// Inside an approved commune period a team cannot be reopened; the commune is first, with a reason.
		const lan = await actor('lan', at('19'));
		expect(await thrownBy(actOnTeam(db, { unitId: 'c', period: PERIOD, teamId: 't1', action: 'reopen', note: 'Buổi đến muộn' }, lan))).toMatchObject({ refusal: 'lockedAbove' });
		expect(await thrownBy(actOnUnit(db, { unitId: 'c', period: PERIOD, action: 'reopen', level: 'commune', note: '  ' }, lan))).toMatchObject({ refusal: 'noteRequired', field: 'note' });
		await actOnUnit(db, { unitId: 'c', period: PERIOD, action: 'reopen', level: 'commune', note: 'Tổ gửi thêm buổi 12/11' }, lan);
		await actOnTeam(db, { unitId: 'c', period: PERIOD, teamId: 't1', action: 'reopen', note: 'Tổ gửi thêm buổi 12/11' }, lan);
		expect(await db.selectFrom('audit_events').select(['action', 'subject', 'detail']).where('action', 'like', '%.period.reopen').orderBy('action').execute()).toEqual([
			{ action: 'team.period.reopen', subject: 'team:t1', detail: expect.stringContaining('Tổ gửi thêm buổi 12/11') },
			{ action: 'unit.period.reopen', subject: 'unit:c', detail: expect.stringContaining('Tổ gửi thêm buổi 12/11') }
		]);
		const reopened = await teamIn('t1', at('19', '04:00'));
		expect(reopened.status.state).toBe('submitted');
		expect(reopened.figures).toMatchObject({ locked: false, lateArrivals: [] });

		await actOnTeam(db, { unitId: 'c', period: PERIOD, teamId: 't1', action: 'approve' }, await actor('lan', at('19', '05:00')));
		await actOnUnit(db, { unitId: 'c', period: PERIOD, action: 'approve', level: 'commune' }, await actor('lan', at('19', '06:00')));
		const again = await view(at('19', '07:00'));
		expect(again.teams.find((x) => x.id === 't1')!.figures).toMatchObject({ locked: true, sessions: 3, lateArrivals: [] });
		expect(again.figures).toMatchObject({ locked: true, sessions: 3, lateArrivals: [] });
		expect(again.figures.figures.assists).toBe(12);
		const reportAfter = await monthlyReport(db, { unitId: 'c', period: PERIOD, rule, now: at('19', '07:00') });
		expect(reportAfter.total.assists).toBe(12);
		expect(reportAfter.teams.find((x) => x.id === 't1')).toMatchObject({ approved: true, lateArrivals: 0, sessions: 3 });
		expect(again.status.state).toBe('submitted');
	});

	it('expected teams are those that existed during the period, not today\'s: one archived since still owes it, one archived before does not', async () => {
		await db.insertInto('teams').values([
			{ id: 't-since', unit_id: 'v', name: 'Tổ giải thể sau kỳ', level: 'village', phase: 'pilot', established_on: '2024-03-01', archived_at: '2026-11-20T03:00:00.000Z', created_at: CREATED },
			{ id: 't-before', unit_id: 'v', name: 'Tổ giải thể trước kỳ', level: 'village', phase: 'pilot', established_on: '2024-03-01', archived_at: '2026-10-01T03:00:00.000Z', created_at: CREATED },
			{ id: 't-later', unit_id: 'v', name: 'Tổ lập sau kỳ', level: 'village', phase: 'pilot', established_on: '2026-11-16', archived_at: null, created_at: CREATED }
		]).execute();
		const shown = await view(at('25'));
		const ids = shown.teams.map((x) => x.id);
		expect(ids).toContain('t-since');
		expect(ids).not.toContain('t-before');
		expect(shown.teams.find((x) => x.id === 't-since')!.status).toMatchObject({ expected: true, state: 'not_started' });
		expect(shown.teams.find((x) => x.id === 't-later')?.status.expected ?? false).toBe(false);
		expect(shown.status.completeness.expected).toBe(3); // t1, t2 and the one archived since
	});

	it('the commune\'s approval locks its teams\' figures in the report, those of a team that never submitted too', async () => {
		const s1 = tally('t1', 1);
		await upload(s1, at('10'));
		await upload(tally('t2', 1), at('10'));
		await submit('t1', submission('t1', [s1], at('15')), at('15'));
		const lan = await actor('lan', at('16'));
		await actOnTeam(db, { unitId: 'c', period: PERIOD, teamId: 't1', action: 'approve' }, lan);
		await actOnUnit(db, { unitId: 'c', period: PERIOD, action: 'approve', level: 'commune' }, lan);
		// Team 2 (never submitted) sends another session afterwards: stored, not in the approved report.
		await upload(tally('t2', 2, { day: '13' }), at('17'));
		const report = await monthlyReport(db, { unitId: 'c', period: PERIOD, rule, now: at('17', '05:00') });
		expect(report.total).toMatchObject({ sessions: 2, assists: 8 });
		expect(report.teams.find((x) => x.id === 't2')).toMatchObject({ approved: true, lateArrivals: 1, sessions: 1 });
		// The village's report says the same as the commune's.
		expect((await monthlyReport(db, { unitId: 'v', period: PERIOD, rule, now: at('17', '05:00') })).total.assists).toBe(8);
		// Reopened, the commune's period counts everything again.
		await actOnUnit(db, { unitId: 'c', period: PERIOD, action: 'reopen', level: 'commune', note: 'Tổ 02 gửi thêm' }, await actor('lan', at('18')));
		const reopened = await monthlyReport(db, { unitId: 'c', period: PERIOD, rule, now: at('18', '05:00') });
		expect(reopened.total).toMatchObject({ sessions: 3, assists: 12 });
		expect(reopened.teams.find((x) => x.id === 't2')?.approved).toBeUndefined();
	});

	it('two officers approving the same team at once give one approval', async () => {
		const s = tally('t1', 1);
		await upload(s, at('10'));
		await submit('t1', submission('t1', [s], at('15')), at('15'));
		const input = { unitId: 'c', period: PERIOD, teamId: 't1', action: 'approve' as const };
		const both = await Promise.all([actOnTeam(db, input, await actor('lan', at('17'))), actOnTeam(db, input, await actor('minh', at('17')))]);
		expect(both.map((r) => r.outcome).sort()).toEqual(['recorded', 'unchanged']);
		expect(await db.selectFrom('approval_events').select(['seq', 'action']).execute()).toEqual([{ seq: 0, action: 'approve' }]);
	});

	it('a returned report shows the officer\'s note to the team until it submits again', async () => {
		const s = tally('t1', 1);
		await upload(s, at('10'));
		await submit('t1', submission('t1', [s], at('15')), at('15'));
		const lan = await actor('lan', at('16'));
		const before = await tabletConfig(db, 't1', at('16'));
		expect(await thrownBy(actOnTeam(db, { unitId: 'c', period: PERIOD, teamId: 't1', action: 'return' }, lan))).toMatchObject({ refusal: 'noteRequired' });
		await actOnTeam(db, { unitId: 'c', period: PERIOD, teamId: 't1', action: 'return', note: 'Thiếu buổi ngày 12/11' }, lan);
		expect(await teamReportState(db, { teamId: 't1', period: PERIOD, rule, now: at('16') })).toMatchObject({ state: 'returned', returnNote: 'Thiếu buổi ngày 12/11' });
		// The leader reads it on the tablet at the next sync: the configuration carries it, under a new ETag.
		const config = await tabletConfig(db, 't1', at('16'));
		expect(config.periodReports).toEqual([
			{ period: PERIOD, state: 'returned', submissionId: expect.any(String), returnNote: 'Thiếu buổi ngày 12/11', waitingFor: 0 },
			{ period: '2026-12', state: 'not_started', submissionId: null, returnNote: null, waitingFor: 0 }
		]);
		expect(config.version).not.toBe(before.version);
		// The audit log says it in words.
		const rows = await listAuditRows(db, { limit: 10 });
		const names = await resolveAuditNames(db, rows);
		const sentences = rows.map((r) => auditSentence(r, names));
		expect(sentences).toContain('Cán bộ Lan trả lại báo cáo kỳ 11/2026 của Tổ 01: Thiếu buổi ngày 12/11');
		expect(sentences.some((line) => /gửi báo cáo kỳ 11\/2026 của Tổ 01$/.test(line))).toBe(true);
		const s2 = tally('t1', 2, { day: '12' });
		await upload(s2, at('17'));
		const answer = await submit('t1', submission('t1', [s, s2], at('17')), at('17'));
		expect(answer).toMatchObject({ result: 'replaced', state: 'submitted', returnNote: null });
		// The same sessions sent again after a return are the team's answer too.
		await actOnTeam(db, { unitId: 'c', period: PERIOD, teamId: 't1', action: 'return', note: 'Kiểm tra lại' }, await actor('lan', at('18')));
		expect((await submit('t1', submission('t1', [s, s2], at('18', '04:00')), at('18', '04:00'))).result).toBe('replaced');
	});

	it('the province approves the commune\'s period once the commune sent it; the commune officer cannot', async () => {
		const s = tally('t1', 1);
		await upload(s, at('10'));
		await submit('t1', submission('t1', [s], at('15')), at('15'));
		const lan = await userOf('lan');
		const tinh = await userOf('tinh');
		expect(await approvalRights(db, lan, 'c')).toEqual({ commune: true, province: false });
		expect(await approvalRights(db, tinh, 'c')).toEqual({ commune: true, province: true });
		expect(await approvalRights(db, await userOf('leader'), 'c')).toEqual({ commune: false, province: false });
		const input = { unitId: 'c', period: PERIOD };
		expect(await thrownBy(actOnUnit(db, { ...input, action: 'approve', level: 'province' }, { user: tinh, now: at('16') }))).toMatchObject({ refusal: 'lowerLevelFirst' });
		// A team still awaiting review holds the commune's approval back.
		expect(await thrownBy(actOnUnit(db, { ...input, action: 'approve', level: 'commune' }, { user: lan, now: at('16') }))).toMatchObject({ refusal: 'teamsAwaitingReview' });
		await actOnTeam(db, { ...input, teamId: 't1', action: 'approve' }, { user: lan, now: at('16') });
		await actOnUnit(db, { ...input, action: 'approve', level: 'commune' }, { user: lan, now: at('16', '04:00') });
		await actOnUnit(db, { ...input, action: 'return', level: 'province', note: 'Số liệu tổ 2 chưa có' }, { user: tinh, now: at('17') });
		let communes = await communesUnder(db, { unitId: 'p', period: PERIOD, rule, now: at('17') });
		expect(communes.map((c) => [c.id, c.status.state, c.status.returnNote])).toEqual([['c', 'returned', 'Số liệu tổ 2 chưa có']]);
		await actOnUnit(db, { ...input, action: 'approve', level: 'commune' }, { user: lan, now: at('18') });
		await actOnUnit(db, { ...input, action: 'approve', level: 'province' }, { user: tinh, now: at('18', '04:00') });
		communes = await communesUnder(db, { unitId: 'p', period: PERIOD, rule, now: at('18', '05:00') });
		expect(communes[0]).toMatchObject({ status: { state: 'approved' }, approvals: [{ level: 'commune', byName: 'Cán bộ Lan' }, { level: 'province', byName: 'Cán bộ Tỉnh' }] });
		expect(await thrownBy(actOnUnit(db, { unitId: 'v', period: PERIOD, action: 'approve', level: 'commune' }, { user: lan, now: at('18') }))).toMatchObject({ code: 'notCommune' });

		// Exports carry the approval state, who approved when, and each team's submission times.
		const summary = await approvalSummary(db, { unitId: 'c', period: PERIOD, rule, now: at('18', '05:00') });
		const csv = reportCsv(await monthlyReport(db, { unitId: 'c', period: PERIOD, rule, now: at('18', '05:00') }), summary);
		expect(csv).toContain('Duyệt: Tỉnh đã duyệt; xã duyệt bởi Cán bộ Lan lúc 18/11/2026 10:00; tỉnh duyệt bởi Cán bộ Tỉnh lúc 18/11/2026 11:00; tổ đã gửi 1/2, đã duyệt 1/2.');
		expect(csv).toContain('"Tổ 01","Đã duyệt","15/11/2026 10:00","15/11/2026 10:00","Cán bộ Lan","16/11/2026 10:00",0');
		expect(csv).toContain('"Tổ 02","Chưa bắt đầu","","","","",0');
		expect(await approvalSummary(db, { unitId: 'p', period: PERIOD, rule, now: at('18', '05:00') })).toEqual({
			kind: 'province', communes: 1, approvedCommunes: 1, submittedCommunes: 1, approvedTeams: 1, expectedTeams: 2
		});
		expect(await approvalSummary(db, { unitId: 'v', period: PERIOD, rule, now: at('18', '05:00') })).toBeNull();
	});
});

describe.each(ENGINES)('bulk approval on %s', (engine) => {
	const t = databaseForEachTest(engine, (db) => prepare(db, 52));

	it('approves 50 submitted teams in one request, skipping the one not submitted and the one waiting, each with why', async () => {
		const db = t.db;
		const sessions: SessionTally[] = [];
		for (let i = 1; i <= 52; i++) {
			const s = { ...sampleTally({ sessionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, teamId: `t${i}`, memberIds: MEMBERS }), date: '2026-11-10' };
			sessions.push(s);
			if (i !== 52) await storeTally(db, { tally: s, deviceId: `d-t${i}`, rule, now: at('10') });
		}
		for (let i = 1; i <= 50; i++) {
			const s = sessions[i - 1]!;
			const device = (await db.selectFrom('devices').selectAll().where('team_id', '=', `t${i}`).executeTakeFirstOrThrow()) as Device;
			await receivePeriodSubmission(db, { body: { schema: 1, submissionId: randomUUID(), teamId: `t${i}`, period: PERIOD, sessions: [{ sessionId: s.sessionId, version: 1 }], submittedAt: at('15').toISOString() }, device, rule, now: at('15') });
		}
		// Team 52 submitted a session that has not arrived.
		const d52 = (await db.selectFrom('devices').selectAll().where('team_id', '=', 't52').executeTakeFirstOrThrow()) as Device;
		await receivePeriodSubmission(db, { body: { schema: 1, submissionId: randomUUID(), teamId: 't52', period: PERIOD, sessions: [{ sessionId: sessions[51]!.sessionId, version: 1 }], submittedAt: at('15').toISOString() }, device: d52, rule, now: at('15') });
		const user = (await db.selectFrom('users').selectAll().where('id', '=', 'lan').executeTakeFirstOrThrow()) as User;

		const result = await approveAllTeams(db, { unitId: 'c', period: PERIOD, rule }, { user, now: at('17') });
		expect(result.approved).toHaveLength(50);
		expect(result.approved).toEqual(Array.from({ length: 50 }, (_, i) => `t${i + 1}`));
		expect(result.skipped).toEqual([
			{ teamId: 't51', code: 'notSubmitted' },
			{ teamId: 't52', code: 'waitingForSessions' }
		]);
		expect(Number((await db.selectFrom('approval_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(50);
		const view = await unitPeriodView(db, { unitId: 'c', period: PERIOD, rule, now: at('17') });
		expect(view.teams.filter((x) => x.status.state === 'approved')).toHaveLength(50);
		expect(view.status.completeness).toMatchObject({ expected: 52, submitted: 51, approved: 50 });
		// Pressed again: nothing more to approve, nothing recorded twice.
		const again = await approveAllTeams(db, { unitId: 'c', period: PERIOD, rule }, { user, now: at('17', '04:00') });
		expect(again.approved).toEqual([]);
		expect(Number((await db.selectFrom('approval_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(50);
	}, 60_000);
});

// ApprovalRefused carries the domain's code for the page's words.
it('an approval refusal is an InputError with the domain\'s code', () => {
	const e = new ApprovalRefused('noteRequired', 'note');
	expect(e).toBeInstanceOf(InputError);
	expect(e).toMatchObject({ code: 'noteRequired', field: 'note', refusal: 'noteRequired' });
});
