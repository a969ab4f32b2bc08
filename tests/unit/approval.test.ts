import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	approvalStatus,
	decideApproval,
	lockedSnapshot,
	planBulkApproval,
	type ApprovalContext,
	type ApprovalEvent,
	type ApprovalRequest
} from '$lib/domain/approval';
import { communeSnapshot, periodFigures, subtractCounts, sumCounts, teamSnapshot } from '$lib/domain/lockedFigures';
import { teamPeriodState, type TeamPeriodStatus } from '$lib/domain/teamPeriodState';
import { addCounts, emptyCounts, type Counts } from '$lib/domain/tally';
import { NOVEMBER, countsOf, session, submissionOf, uuid, type ServerSession } from '../fixtures/periodReports';
import type { StoredSubmission } from '$lib/domain/submission';

const AT = '2026-11-17T02:00:00.000Z';
/** Counts as a person reads them: a skill or member with 0 is no entry. */
const withoutZeros = (c: Counts): Counts => {
	const copy = structuredClone(c);
	for (const record of [copy.assistsBySkill, copy.assistsByMember]) for (const key of Object.keys(record)) if (record[key] === 0) delete record[key];
	return copy;
};
const request = (action: ApprovalRequest['action'], o: Partial<ApprovalRequest> = {}): ApprovalRequest => ({ action, level: 'commune', by: 'officer-lan', at: AT, ...o });

/** One team's period on the server: its sessions, submission and approval log, and what the officer sees. */
class TeamPeriod {
	sessions: ServerSession[] = [];
	submission: StoredSubmission | null = null;
	log: ApprovalEvent[] = [];
	communeLocked = false;
	private submissions = 0;

	constructor(readonly teamId = 'team-a') {}

	hold(s: ServerSession) {
		this.sessions = [...this.sessions.filter((x) => x.sessionId !== s.sessionId), s];
		return this;
	}
	submit() {
		this.submission = submissionOf(this.sessions, { teamId: this.teamId, id: ++this.submissions, madeOn: '2026-11-16' });
		// Arrives after anything already in the log (a return), as a real resubmission does.
		this.submission.receivedAt = new Date(Date.parse(AT) + 1000 * (this.log.length + 1)).toISOString();
		return this;
	}
	get status(): TeamPeriodStatus {
		return teamPeriodState({
			teamId: this.teamId,
			period: NOVEMBER,
			expected: true,
			submission: this.submission,
			sessions: this.sessions,
			approvalLog: this.log,
			today: '2026-11-17'
		});
	}
	context(): ApprovalContext {
		return { kind: 'team', status: approvalStatus(this.log), lockedAbove: this.communeLocked, team: this.status, snapshot: teamSnapshot(this.sessions) };
	}
	act(req: ApprovalRequest) {
		const decision = decideApproval({ ...req, at: new Date(Date.parse(AT) + 1000 * (this.log.length + 1)).toISOString() }, this.context());
		if (decision.ok && decision.outcome === 'recorded') this.log.push(decision.event);
		return decision;
	}
	get figures() {
		return periodFigures(lockedSnapshot(approvalStatus(this.log)), this.sessions);
	}
}

const submittedTeam = () => new TeamPeriod().hold(session(1)).hold(session(2)).submit();

describe('approving a team', () => {
	it('records the approval with a snapshot of the sessions it locks, and the team is approved', () => {
		const team = submittedTeam();
		const decision = team.act(request('approve'));
		expect(decision).toMatchObject({ ok: true, outcome: 'recorded', event: { seq: 0, action: 'approve', level: 'commune', by: 'officer-lan', note: null } });
		expect(team.status.state).toBe('approved');
		expect(team.figures).toMatchObject({ locked: true, sessions: 2, lateArrivals: [] });
		expect(team.figures.figures).toEqual(countsOf(3));
	});

	it('two approvals of the same period give one: the second is unchanged and returns the first', () => {
		const team = submittedTeam();
		const first = team.act(request('approve'));
		const second = team.act(request('approve', { by: 'officer-hoa' }));
		expect(second).toEqual({ ok: true, outcome: 'unchanged', event: (first as { event: ApprovalEvent }).event });
		expect(team.log).toHaveLength(1);
	});

	it('two officers deciding at once from the same state write the same seq: the unique (subject, period, seq) keeps one', () => {
		const team = submittedTeam();
		const context = team.context();
		const a = decideApproval(request('approve'), context);
		const b = decideApproval(request('approve', { by: 'officer-hoa' }), context);
		expect(a.ok && b.ok && a.event.seq === b.event.seq).toBe(true);
		// The loser re-reads the log with the winner's event and decides again: unchanged.
		team.log.push((a as { event: ApprovalEvent }).event);
		expect(decideApproval(request('approve', { by: 'officer-hoa' }), team.context())).toMatchObject({ ok: true, outcome: 'unchanged' });
	});

	it.each([
		['not started', () => new TeamPeriod(), 'notSubmitted'],
		['in progress', () => new TeamPeriod().hold(session(1)), 'notSubmitted'],
		['waiting for a session', () => submittedTeam().hold(session(2, { version: 0 })), 'waitingForSessions'],
		['changed since submitted', () => submittedTeam().hold(session(3)), 'changedSinceSubmitted'],
		['returned', () => { const t = submittedTeam(); t.act(request('return', { note: 'Sai số' })); return t; }, 'notSubmitted']
	])('refuses a team that is %s', (_name, make, code) => {
		const team = make();
		expect(team.act(request('approve'))).toEqual({ ok: false, code, field: null });
		expect(team.status.state).not.toBe('approved');
	});

	it('refuses a team inside a commune period that is approved, and a province-level approval of a team', () => {
		const team = submittedTeam();
		expect(team.act(request('approve', { level: 'province' }))).toMatchObject({ ok: false, code: 'wrongLevel' });
		team.communeLocked = true;
		expect(team.act(request('approve'))).toMatchObject({ ok: false, code: 'lockedAbove' });
	});
});

describe('returning and reopening', () => {
	it('a return needs a note the leader reads; the team is returned with it', () => {
		const team = submittedTeam();
		expect(team.act(request('return'))).toEqual({ ok: false, code: 'noteRequired', field: 'note' });
		expect(team.act(request('return', { note: '   ' }))).toEqual({ ok: false, code: 'noteRequired', field: 'note' });
		expect(team.act(request('return', { note: '  Thiếu   buổi 12/11 ' }))).toMatchObject({ ok: true, event: { action: 'return', note: 'Thiếu buổi 12/11' } });
		expect(team.status).toMatchObject({ state: 'returned', returnNote: 'Thiếu buổi 12/11' });
		team.hold(session(3)).submit();
		expect(team.status.state).toBe('submitted');
		expect(team.act(request('approve')).ok).toBe(true);
	});

	it('an approved team is reopened, not returned; nothing else can be reopened', () => {
		const team = submittedTeam();
		expect(team.act(request('reopen', { note: 'Lý do' }))).toMatchObject({ ok: false, code: 'notApproved' });
		team.act(request('approve'));
		expect(team.act(request('return', { note: 'Sai' }))).toMatchObject({ ok: false, code: 'alreadyApproved' });
		expect(team.act(request('reopen'))).toEqual({ ok: false, code: 'noteRequired', field: 'note' });
		expect(team.act(request('reopen', { note: 'Tổ gửi thêm một buổi' }))).toMatchObject({ ok: true, event: { seq: 1, action: 'reopen', note: 'Tổ gửi thêm một buổi' } });
		expect(approvalStatus(team.log).reopened?.note).toBe('Tổ gửi thêm một buổi');
		expect(team.status.state).toBe('submitted');
	});

	it('an approval comment is optional but must be text', () => {
		expect(submittedTeam().act(request('approve', { note: 'Đã đối chiếu sổ' }))).toMatchObject({ ok: true, event: { note: 'Đã đối chiếu sổ' } });
		expect(submittedTeam().act(request('approve', { note: 'x'.repeat(501) }))).toMatchObject({ ok: false, code: 'noteRequired', field: 'note' });
	});
});

describe('numbers that never change silently', () => {
	it('submit → approve → a late tally → shown apart, totals unchanged → reopen → approve: totals include it', () => {
		const team = submittedTeam();
		team.act(request('approve'));
		const approved = team.figures.figures;
		expect(approved.assists).toBe(3);

		// A new session and a newer version of an approved one reach the server after approval.
		team.hold(session(7)).hold(session(2, { version: 2, people: 5 }));
		const late = team.figures;
		expect(late.figures).toEqual(approved);
		expect(late.sessions).toBe(2);
		expect(late.lateArrivals.map((a) => [a.sessionId, a.kind, a.approvedVersion, a.currentVersion, a.delta.assists])).toEqual([
			[uuid(2), 'replaced', 1, 2, 3],
			[uuid(7), 'new', null, 1, 7]
		]);
		expect(late.lateDelta.assists).toBe(10);
		expect(late.lateDelta.assistsBySkill).toEqual({ vneid_install: 10 });
		expect(withoutZeros(addCounts(late.figures, late.lateDelta))).toEqual(sumCounts(team.sessions));
		expect(team.status.state).toBe('approved');

		// Approving again without a reopen changes nothing.
		expect(team.act(request('approve'))).toMatchObject({ outcome: 'unchanged' });
		expect(team.figures.figures).toEqual(approved);

		team.act(request('reopen', { note: 'Hai buổi đến sau khi duyệt' }));
		expect(team.figures).toMatchObject({ locked: false, lateArrivals: [] });
		expect(team.status.state).toBe('changed_since_submitted');
		expect(team.act(request('approve'))).toMatchObject({ ok: false, code: 'changedSinceSubmitted' });
		team.submit();
		expect(team.act(request('approve')).ok).toBe(true);
		expect(team.figures.figures.assists).toBe(1 + 5 + 7);
		expect(team.figures.lateArrivals).toEqual([]);
	});

	it('a session the approval held but the server no longer does is shown as withdrawn', () => {
		const figures = periodFigures([session(1), session(2)], [session(1)]);
		expect(figures.lateArrivals).toMatchObject([{ sessionId: uuid(2), kind: 'withdrawn', approvedVersion: 1, currentVersion: null }]);
		expect(figures.lateDelta).toEqual(subtractCounts(emptyCounts(), countsOf(2)));
		expect(figures.figures).toEqual(countsOf(3));
	});

	it('subtracting counts from themselves leaves nothing, keys included, and adding back gives the counts', () => {
		const c = countsOf(4);
		expect(subtractCounts(c, c)).toEqual(emptyCounts());
		const other = countsOf(9, 'bank_app');
		expect(withoutZeros(addCounts(c, subtractCounts(other, c)))).toEqual(other);
		// Ids from outside are only keys, even when they are Object.prototype's names.
		const odd = { ...countsOf(0), assists: 2, assistsBySkill: { constructor: 2 }, assistsByMember: JSON.parse('{"__proto__": 2}') as Record<string, number> };
		const difference = subtractCounts(odd, countsOf(0));
		expect(Object.entries(difference.assistsBySkill)).toEqual([['constructor', 2]]);
		expect(Object.entries(difference.assistsByMember)).toEqual([['__proto__', 2]]);
	});

	it('property: approved figures never change unless a reopen happened, and approved + late = what is held', () => {
		type Step =
			| { kind: 'hold'; n: number; people: number }
			| { kind: 'submit' }
			| { kind: 'approve' }
			| { kind: 'return' }
			| { kind: 'reopen' };
		const step: fc.Arbitrary<Step> = fc.oneof(
			{ arbitrary: fc.record({ kind: fc.constant('hold' as const), n: fc.integer({ min: 1, max: 6 }), people: fc.integer({ min: 0, max: 20 }) }), weight: 4 },
			{ arbitrary: fc.constant({ kind: 'submit' as const }), weight: 2 },
			{ arbitrary: fc.constant({ kind: 'approve' as const }), weight: 2 },
			fc.constant({ kind: 'return' as const }),
			fc.constant({ kind: 'reopen' as const })
		);
		fc.assert(
			fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
				const team = new TeamPeriod();
				for (const s of steps) {
					const before = team.figures;
					let reopened = false;
					if (s.kind === 'hold') {
						const held = team.sessions.find((x) => x.sessionId === uuid(s.n));
						team.hold(session(s.n, { version: (held?.version ?? 0) + 1, people: s.people }));
					} else if (s.kind === 'submit') team.submit();
					else {
						const decision = team.act(request(s.kind, { note: s.kind === 'approve' ? undefined : 'Lý do' }));
						reopened = s.kind === 'reopen' && decision.ok;
					}
					const after = team.figures;
					if (before.locked && !reopened) {
						expect(after.locked).toBe(true);
						expect(after.figures).toEqual(before.figures);
					}
					expect(after.locked).toBe(team.status.state === 'approved');
					expect(withoutZeros(addCounts(after.figures, after.lateDelta))).toEqual(withoutZeros(sumCounts(team.sessions)));
				}
			}),
			{ numRuns: 300 }
		);
	});
});

describe('bulk approval', () => {
	it('approves the 50 teams of a commune that qualify, in one go, and says why it skips the others', () => {
		const teams = Array.from({ length: 50 }, (_, i) => {
			const team = new TeamPeriod(`team-${i}`).hold(session(i * 2 + 1)).hold(session(i * 2 + 2));
			if (i % 10 === 7) return team; // in progress: not submitted
			team.submit();
			if (i % 10 === 8) team.hold(session(500 + i)); // changed since submitted
			if (i % 10 === 9) team.hold({ ...session(i * 2 + 2), version: 0 }); // its second session still on its way
			return team;
		});
		teams[0]!.act(request('approve'));
		const plan = planBulkApproval(teams.map((t) => t.status));
		expect(plan.approve).toHaveLength(50 - 5 - 5 - 5 - 1);
		expect(plan.skipped).toHaveLength(16);
		expect(plan.skipped.filter((s) => s.code === 'notSubmitted')).toHaveLength(5);
		expect(plan.skipped.filter((s) => s.code === 'changedSinceSubmitted')).toHaveLength(5);
		expect(plan.skipped.filter((s) => s.code === 'waitingForSessions')).toHaveLength(5);
		expect(plan.skipped.find((s) => s.teamId === 'team-0')?.code).toBe('alreadyApproved');

		const byId = new Map(teams.map((t) => [t.teamId, t]));
		for (const id of plan.approve) expect(byId.get(id)!.act(request('approve'))).toMatchObject({ ok: true, outcome: 'recorded' });
		expect(teams.filter((t) => t.status.state === 'approved')).toHaveLength(35);
		// Run again: nothing qualifies twice.
		expect(planBulkApproval(teams.map((t) => t.status)).approve).toEqual([]);
	});
});

describe("the commune's period", () => {
	const commune = (teams: TeamPeriod[], log: ApprovalEvent[]): ApprovalContext => ({
		kind: 'commune',
		status: approvalStatus(log),
		lockedAbove: false,
		teams: teams.map((t) => t.status),
		snapshot: communeSnapshot(teams.map((t) => ({ snapshot: lockedSnapshot(approvalStatus(t.log)), current: t.sessions })))
	});
	const record = (log: ApprovalEvent[], decision: ReturnType<typeof decideApproval>) => {
		if (!decision.ok) throw new Error(decision.code);
		log.push(decision.event);
	};

	it('is approved once no team waits for the officer, locking what its report shows; the province approves it in turn', () => {
		const approvedTeam = submittedTeam();
		const waiting = new TeamPeriod('team-b').hold(session(10)).submit();
		const working = new TeamPeriod('team-c').hold(session(20));
		const teams = [approvedTeam, waiting, working];
		approvedTeam.act(request('approve'));
		approvedTeam.hold(session(2, { version: 2, people: 9 })); // arrived after the team's approval
		const log: ApprovalEvent[] = [];

		expect(decideApproval(request('approve'), commune(teams, log))).toMatchObject({ ok: false, code: 'teamsAwaitingReview' });
		expect(decideApproval(request('approve', { level: 'province' }), commune(teams, log))).toMatchObject({ ok: false, code: 'lowerLevelFirst' });
		waiting.act(request('return', { note: 'Kiểm tra lại' }));
		record(log, decideApproval(request('approve'), commune(teams, log)));

		// Locked: the approved team at its approved version, the others with what they hold.
		const locked = periodFigures(lockedSnapshot(approvalStatus(log)), teams.flatMap((t) => t.sessions));
		expect(locked.figures.assists).toBe(1 + 2 + 10 + 20);
		expect(locked.lateArrivals.map((a) => a.sessionId)).toEqual([uuid(2)]);
		// Teams inside a locked commune period cannot be approved, returned or reopened.
		approvedTeam.communeLocked = true;
		expect(approvedTeam.act(request('reopen', { note: 'x' }))).toMatchObject({ ok: false, code: 'lockedAbove' });

		record(log, decideApproval(request('approve', { level: 'province', by: 'province-officer' }), commune(teams, log)));
		expect(decideApproval(request('reopen', { note: 'Sửa' }), commune(teams, log))).toMatchObject({ ok: false, code: 'lockedAbove' });
		expect(lockedSnapshot(approvalStatus(log))).toEqual(log[0]!.snapshot);
		expect(log[1]!.snapshot).toBeUndefined();
		record(log, decideApproval(request('reopen', { level: 'province', note: 'Xem lại' }), commune(teams, log)));
		record(log, decideApproval(request('reopen', { note: 'Có tổ gửi bổ sung' }), commune(teams, log)));
		expect(approvalStatus(log).approvals).toEqual([]);
	});

	it('the province returns a commune period it has not approved, with a note; the commune is unlocked', () => {
		const teams = [submittedTeam()];
		teams[0]!.act(request('approve'));
		const log: ApprovalEvent[] = [];
		expect(decideApproval(request('return', { level: 'province', note: 'Sớm quá' }), commune(teams, log))).toMatchObject({ ok: false, code: 'notSubmitted' });
		expect(decideApproval(request('return', { note: 'x' }), commune(teams, log))).toMatchObject({ ok: false, code: 'wrongLevel' });
		record(log, decideApproval(request('approve'), commune(teams, log)));
		expect(decideApproval(request('return', { level: 'province' }), commune(teams, log))).toMatchObject({ ok: false, code: 'noteRequired' });
		record(log, decideApproval(request('return', { level: 'province', note: 'Thiếu thôn Trung Hòa' }), commune(teams, log)));
		const status = approvalStatus(log);
		expect(status.approvals).toEqual([]);
		expect(status.returned?.note).toBe('Thiếu thôn Trung Hòa');
	});
});
