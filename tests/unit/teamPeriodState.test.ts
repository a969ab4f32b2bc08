import { describe, expect, it } from 'vitest';
import { teamPeriodState, type TeamPeriodInput } from '$lib/domain/teamPeriodState';
import type { ApprovalEvent } from '$lib/domain/approval';
import { NOVEMBER, session, submissionOf, uuid } from '../fixtures/periodReports';

const input = (o: Partial<TeamPeriodInput>): TeamPeriodInput => ({
	teamId: 'team-a',
	period: NOVEMBER,
	expected: true,
	submission: null,
	sessions: [],
	approvalLog: [],
	today: '2026-11-16',
	...o
});
const event = (seq: number, action: ApprovalEvent['action'], at: string, note: string | null = null): ApprovalEvent => ({
	seq,
	action,
	level: 'commune',
	at,
	by: 'officer-lan',
	note
});

const S1 = session(1);
const S2 = session(2, { version: 2 });
const ON_TIME = submissionOf([S1, S2]);

describe('teamPeriodState: before submitting', () => {
	it('not_started with nothing, in_progress once a session is on the server', () => {
		expect(teamPeriodState(input({})).state).toBe('not_started');
		expect(teamPeriodState(input({ sessions: [S1] })).state).toBe('in_progress');
	});

	it('carries whether the team was expected', () => {
		expect(teamPeriodState(input({ expected: false })).expected).toBe(false);
	});
});

describe('teamPeriodState: submitted', () => {
	it('submitted on time when the submission and its sessions were on the server by the 20th', () => {
		const status = teamPeriodState(input({ submission: ON_TIME, sessions: [S1, S2] }));
		expect(status).toMatchObject({ state: 'submitted', timeliness: 'on_time', waitingFor: [], changedSince: [], completeAt: ON_TIME.receivedAt });
	});

	it('waits for named sessions the server does not hold yet, or holds at an older version, and says which', () => {
		const status = teamPeriodState(input({ submission: ON_TIME, sessions: [session(2, { version: 1 })] }));
		expect(status.state).toBe('submitted');
		expect(status.timeliness).toBe('pending');
		expect(status.completeAt).toBeNull();
		expect(status.waitingFor).toEqual([{ sessionId: uuid(1), version: 1 }, { sessionId: uuid(2), version: 2 }]);
	});

	it('a session that arrives after the deadline makes the report reach the server late', () => {
		const lateSession = session(2, { version: 2, receivedOn: '2026-11-21' });
		const status = teamPeriodState(input({ submission: ON_TIME, sessions: [S1, lateSession], today: '2026-11-22' }));
		expect(status).toMatchObject({ state: 'submitted_late', timeliness: 'held_up_offline', completeAt: lateSession.receivedAt });
	});

	it('held up by no network: made on the tablet by the 20th, on the server after it', () => {
		const status = teamPeriodState(input({ submission: submissionOf([S1, S2], { madeOn: '2026-11-19', receivedOn: '2026-11-23' }), sessions: [S1, S2], today: '2026-11-23' }));
		expect(status).toMatchObject({ state: 'submitted_late', timeliness: 'held_up_offline' });
	});

	it('late: made on the tablet after the 20th', () => {
		const status = teamPeriodState(input({ submission: submissionOf([S1, S2], { madeOn: '2026-11-21' }), sessions: [S1, S2], today: '2026-11-23' }));
		expect(status).toMatchObject({ state: 'submitted_late', timeliness: 'late' });
	});

	it('late: a named session that ended on the tablet after the 20th', () => {
		const lateEnd = session(2, { version: 2, endedOn: '2026-11-21' });
		const status = teamPeriodState(input({ submission: submissionOf([S1, lateEnd], { madeOn: '2026-11-19', receivedOn: '2026-11-22' }), sessions: [S1, lateEnd], today: '2026-11-23' }));
		expect(status.timeliness).toBe('late');
	});

	it('still waiting after the deadline: submitted late, held up when it was made in time', () => {
		const status = teamPeriodState(input({ submission: ON_TIME, sessions: [S1], today: '2026-11-21' }));
		expect(status).toMatchObject({ state: 'submitted_late', timeliness: 'held_up_offline', completeAt: null });
		expect(status.waitingFor).toHaveLength(1);
	});

	it('the 20th itself is on time, in Vietnam: 20 Nov 23:30 there is 16:30 UTC', () => {
		const lastMinute = { ...submissionOf([]), receivedAt: '2026-11-20T16:30:00.000Z' };
		expect(teamPeriodState(input({ submission: lastMinute, today: '2026-11-21' })).timeliness).toBe('on_time');
		const aMinuteLate = { ...lastMinute, receivedAt: '2026-11-20T17:00:00.000Z' };
		expect(teamPeriodState(input({ submission: aMinuteLate, today: '2026-11-21' })).timeliness).toBe('held_up_offline');
	});
});

describe('teamPeriodState: changed since submitted', () => {
	it('a session closed after submitting', () => {
		const status = teamPeriodState(input({ submission: ON_TIME, sessions: [S1, S2, session(3)] }));
		expect(status.state).toBe('changed_since_submitted');
		expect(status.changedSince).toEqual([{ sessionId: uuid(3), submittedVersion: null, heldVersion: 1 }]);
	});

	it('a session changed after submitting (a newer version on the server)', () => {
		const status = teamPeriodState(input({ submission: ON_TIME, sessions: [S1, session(2, { version: 3 })] }));
		expect(status.state).toBe('changed_since_submitted');
		expect(status.changedSince).toEqual([{ sessionId: uuid(2), submittedVersion: 2, heldVersion: 3 }]);
	});

	it('submitted again with the change: submitted', () => {
		const S2v3 = session(2, { version: 3 });
		expect(teamPeriodState(input({ submission: submissionOf([S1, S2v3], { id: 1 }), sessions: [S1, S2v3] })).state).toBe('submitted');
	});
});

describe('teamPeriodState: returned and approved', () => {
	const returned = event(0, 'return', '2026-11-16T02:00:00.000Z', 'Thiếu buổi ngày 12/11');

	it('returned, with the note, until the team submits again', () => {
		const status = teamPeriodState(input({ submission: ON_TIME, sessions: [S1, S2], approvalLog: [returned] }));
		expect(status).toMatchObject({ state: 'returned', returnNote: 'Thiếu buổi ngày 12/11' });
		// A session added after the return does not end it: only a new submission does.
		expect(teamPeriodState(input({ submission: ON_TIME, sessions: [S1, S2, session(3)], approvalLog: [returned] })).state).toBe('returned');
		const again = submissionOf([S1, S2, session(3)], { id: 2, madeOn: '2026-11-17' });
		expect(teamPeriodState(input({ submission: again, sessions: [S1, S2, session(3)], approvalLog: [returned], today: '2026-11-17' }))).toMatchObject({
			state: 'submitted',
			returnNote: null
		});
	});

	it('approved, by whom and when; a reopen goes back to what the submission says', () => {
		const approved = event(0, 'approve', '2026-11-17T02:00:00.000Z');
		expect(teamPeriodState(input({ submission: ON_TIME, sessions: [S1, S2], approvalLog: [approved] }))).toMatchObject({
			state: 'approved',
			approvedBy: 'officer-lan',
			approvedAt: '2026-11-17T02:00:00.000Z'
		});
		// A session changed after approval leaves it approved: the change is shown apart (lockedFigures).
		expect(teamPeriodState(input({ submission: ON_TIME, sessions: [S1, session(2, { version: 3 })], approvalLog: [approved] })).state).toBe('approved');
		const reopened = [approved, event(1, 'reopen', '2026-11-18T02:00:00.000Z', 'Có buổi đến muộn')];
		expect(teamPeriodState(input({ submission: ON_TIME, sessions: [S1, S2], approvalLog: reopened }))).toMatchObject({ state: 'submitted', approvedBy: null });
		expect(teamPeriodState(input({ submission: ON_TIME, sessions: [S1, session(2, { version: 3 })], approvalLog: reopened })).state).toBe('changed_since_submitted');
	});

	it('after a reopen, what arrived while approved is the officer\'s to approve; anything else still waits for the team', () => {
		const approved = event(0, 'approve', '2026-11-17T02:00:00.000Z');
		const reopened = [approved, event(1, 'reopen', '2026-11-19T02:00:00.000Z', 'Có buổi đến muộn')];
		const late = [S1, session(2, { version: 3, receivedOn: '2026-11-18' }), session(3, { endedOn: '2026-11-12', receivedOn: '2026-11-18' })];
		expect(teamPeriodState(input({ submission: ON_TIME, sessions: late, approvalLog: [approved] })).state).toBe('approved');
		expect(teamPeriodState(input({ submission: ON_TIME, sessions: late, approvalLog: reopened, today: '2026-11-19' }))).toMatchObject({ state: 'submitted', changedSince: [] });
		// One more arriving after the reopen is the team's change: it submits again.
		const after = [...late, session(4, { receivedOn: '2026-11-19' })];
		expect(teamPeriodState(input({ submission: ON_TIME, sessions: after, approvalLog: reopened, today: '2026-11-20' }))).toMatchObject({
			state: 'changed_since_submitted',
			changedSince: [{ sessionId: uuid(4), submittedVersion: null, heldVersion: 1 }]
		});
	});
});
