// The leader's "Gửi báo cáo kỳ" on the tablet (issue 13): the submission names exactly the
// period's closed sessions, waits in the outbox behind their tallies, goes exactly once (a resend
// carries the same id), and the leader reads where the report stands.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropKioskDb, freshKioskDb } from '../../fixtures/kioskDb';
import type { KioskDb, OutboxRow, SessionRow } from '$lib/kiosk/db';
import { SERVER_SETTING, type ServerLink } from '$lib/kiosk/enrolment';
import { applyPeriodReports, NothingToSubmitError, periodReport, queueSubmission, sendDueSubmissions, type SubmitFn } from '$lib/kiosk/periodSubmission';
import { currentTeam } from '$lib/kiosk/team';
import { emptyCounts } from '$lib/domain/tally';
import type { PeriodSubmission } from '$lib/domain/submission';

let db: KioskDb;
const PERIOD = '2026-11';
const link: ServerLink = {
	origin: 'https://server.test',
	name: 'Test',
	deviceId: 'dev-1',
	token: 'token-abcdefghijklmnopqrstuvwxyz',
	enrolledAt: '2026-10-01T00:00:00.000Z',
	configVersion: 'v1'
};
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function session(n: number, o: { status?: SessionRow['status']; version?: number; date?: string; uploaded?: boolean } = {}) {
	const team = await currentTeam(db);
	const date = o.date ?? '2026-11-10';
	const row: SessionRow = { id: id(n), teamId: team.id, date, startedAt: `${date}T01:00:00.000Z`, status: o.status ?? 'closed', membersPresent: [], version: o.version ?? 1 };
	await db.sessions.put(row);
	if (row.status === 'closed') {
		const out: OutboxRow = {
			sessionId: row.id,
			version: row.version,
			tally: { ...emptyCounts(), schema: 1, sessionId: row.id, version: row.version, teamId: team.id, date, startedAt: row.startedAt, endedAt: `${date}T04:00:00.000Z`, membersPresent: [] },
			state: o.uploaded === false ? 'pending' : 'sent',
			attempts: 0,
			queuedAt: `${date}T04:00:00.000Z`
		};
		await db.outbox.put(out);
	}
}

/** A server that records what it received and answers as told. */
function server(answers: ('ok' | 'lost' | 'refused' | 'revoked')[]) {
	const received: PeriodSubmission[] = [];
	const submit: SubmitFn = async (_origin, _token, submission) => {
		const answer = answers.shift() ?? 'ok';
		if (answer !== 'refused' && answer !== 'revoked') received.push(submission);
		if (answer === 'lost') return { kind: 'retry', status: null, message: 'connection reset' };
		if (answer === 'refused') return { kind: 'refused', status: 422, code: 'submission_notStarted', message: 'not started', field: 'period' };
		if (answer === 'revoked') return { kind: 'refused', status: 401, code: 'device_revoked', message: 'revoked' };
		const ids = new Set(received.map((s) => s.submissionId));
		return { kind: 'ok', value: { result: ids.size === received.length ? 'stored' : 'unchanged', submissionId: submission.submissionId, period: submission.period, state: 'submitted', waitingFor: [], returnNote: null } };
	};
	return { submit, received };
}

beforeEach(async () => {
	db = await freshKioskDb();
	await db.settings.put({ key: SERVER_SETTING, value: link });
});
afterEach(() => dropKioskDb(db));

describe('the period report on the tablet', () => {
	it('lists the period\'s sessions as closed and uploaded or waiting, and offers the button only when nothing is open', async () => {
		await session(1);
		await session(2, { uploaded: false });
		await session(9, { date: '2026-10-10' }); // the period before: not listed
		let report = await periodReport(db, PERIOD);
		expect(report.sessions.map((l) => [l.session.id, l.upload])).toEqual([
			[id(1), 'uploaded'],
			[id(2), 'waiting']
		]);
		expect(report).toMatchObject({ open: 0, enrolled: true, canSubmit: true, view: { kind: 'none' } });
		await session(3, { status: 'open', date: '2026-11-12' });
		report = await periodReport(db, PERIOD);
		expect(report).toMatchObject({ open: 1, canSubmit: false });
		await expect(queueSubmission(db, PERIOD, new Date('2026-11-15T03:00:00.000Z'))).rejects.toEqual(new NothingToSubmitError('openSessions'));
		expect(await db.submissions.count()).toBe(0);
	});

	it('an unenrolled tablet cannot submit', async () => {
		await db.settings.delete(SERVER_SETTING);
		await session(1);
		expect((await periodReport(db, PERIOD)).canSubmit).toBe(false);
		await expect(queueSubmission(db, PERIOD, new Date())).rejects.toEqual(new NothingToSubmitError('notEnrolled'));
	});

	it('queues one submission naming exactly the closed sessions at their versions; it goes after their tallies, exactly once', async () => {
		await session(1, { version: 3 });
		await session(2, { uploaded: false });
		const row = await queueSubmission(db, PERIOD, new Date('2026-11-15T03:00:00.000Z'));
		const team = await currentTeam(db);
		expect(row.submission).toMatchObject({ schema: 1, teamId: team.id, period: PERIOD, submittedAt: '2026-11-15T03:00:00.000Z' });
		expect(row.submission.sessions).toEqual([
			{ sessionId: id(1), version: 3 },
			{ sessionId: id(2), version: 1 }
		]);
		expect((await periodReport(db, PERIOD)).view).toEqual({ kind: 'queued' });

		const s = server(['lost', 'ok']);
		const now = () => new Date('2026-11-15T04:00:00.000Z');
		// Session 2's tally is still in the outbox: the submission waits for it.
		expect(await sendDueSubmissions(db, s.submit, now, () => 0.5)).toEqual({ sent: 0, revoked: false });
		expect(s.received).toEqual([]);
		await db.outbox.update(id(2), { state: 'sent' });
		// The answer is lost: it stays queued, and goes again later with the same id.
		expect((await sendDueSubmissions(db, s.submit, now, () => 0.5)).sent).toBe(0);
		expect(await db.submissions.get(PERIOD)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'connection reset' });
		expect((await sendDueSubmissions(db, s.submit, now, () => 0.5)).sent).toBe(0); // backing off
		const later = () => new Date('2026-11-15T06:00:00.000Z');
		expect((await sendDueSubmissions(db, s.submit, later, () => 0.5)).sent).toBe(1);
		expect(s.received.map((x) => x.submissionId)).toEqual([row.submission.submissionId, row.submission.submissionId]);
		expect(await db.submissions.get(PERIOD)).toMatchObject({ state: 'sent', answer: { state: 'submitted' } });
		expect((await sendDueSubmissions(db, s.submit, later, () => 0.5)).sent).toBe(0);
		expect(s.received).toHaveLength(2);
		const report = await periodReport(db, PERIOD);
		expect(report).toMatchObject({ canSubmit: false, view: { kind: 'server', state: 'submitted', waitingFor: 0 } });
	});

	it('a session changed after submitting asks for the report again; a refusal is kept with its reason', async () => {
		await session(1);
		await queueSubmission(db, PERIOD, new Date('2026-11-15T03:00:00.000Z'));
		await sendDueSubmissions(db, server(['ok']).submit, () => new Date('2026-11-15T04:00:00.000Z'), () => 0.5);
		await session(1, { version: 2 });
		expect(await periodReport(db, PERIOD)).toMatchObject({ canSubmit: true, view: { kind: 'changed' } });
		const second = await queueSubmission(db, PERIOD, new Date('2026-11-16T03:00:00.000Z'));
		expect(second.submission.sessions).toEqual([{ sessionId: id(1), version: 2 }]);
		await sendDueSubmissions(db, server(['refused']).submit, () => new Date('2026-11-16T04:00:00.000Z'), () => 0.5);
		expect(await db.submissions.get(PERIOD)).toMatchObject({ state: 'refused', refusal: { code: 'submission_notStarted', field: 'period' } });
		expect(await periodReport(db, PERIOD)).toMatchObject({ canSubmit: true, view: { kind: 'refused', code: 'submission_notStarted' } });
	});

	it('the officer\'s return reaches the leader with the next configuration, and the team can submit again', async () => {
		await session(1);
		const row = await queueSubmission(db, PERIOD, new Date('2026-11-15T03:00:00.000Z'));
		await sendDueSubmissions(db, server(['ok']).submit, () => new Date('2026-11-15T04:00:00.000Z'), () => 0.5);
		await applyPeriodReports(
			db,
			[{ period: PERIOD, state: 'returned', submissionId: row.submission.submissionId, returnNote: 'Thiếu buổi ngày 12/11', waitingFor: 0 }],
			new Date('2026-11-16T01:00:00.000Z')
		);
		expect(await periodReport(db, PERIOD)).toMatchObject({ canSubmit: true, view: { kind: 'server', state: 'returned', returnNote: 'Thiếu buổi ngày 12/11' } });
	});

	it('a revoked tablet stops sending and keeps the submission queued', async () => {
		await session(1);
		await queueSubmission(db, PERIOD, new Date('2026-11-15T03:00:00.000Z'));
		expect(await sendDueSubmissions(db, server(['revoked']).submit, () => new Date('2026-11-15T04:00:00.000Z'), () => 0.5)).toEqual({ sent: 0, revoked: true });
		expect(await db.submissions.get(PERIOD)).toMatchObject({ state: 'pending' });
		expect(((await db.settings.get(SERVER_SETTING))?.value as ServerLink).revokedAt).toBeDefined();
	});
});
