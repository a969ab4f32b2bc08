import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { communePeriodState, completenessOf, isExpected, provinceApproval } from '$lib/domain/completeness';
import type { ApprovalEvent } from '$lib/domain/approval';
import type { TeamPeriodState, TeamPeriodStatus, Timeliness } from '$lib/domain/teamPeriodState';
import { NOVEMBER } from '../fixtures/periodReports';

const team = (state: TeamPeriodState, o: Partial<TeamPeriodStatus> = {}): TeamPeriodStatus => ({
	teamId: `team-${state}`,
	state,
	expected: true,
	waitingFor: [],
	changedSince: [],
	timeliness: null,
	completeAt: null,
	returnNote: null,
	approvedBy: null,
	approvedAt: null,
	...o
});
const submitted = (timeliness: Timeliness, state: TeamPeriodState = 'submitted') => team(state, { timeliness });
const approve = (seq: number, level: 'commune' | 'province'): ApprovalEvent => ({ seq, action: 'approve', level, at: '2026-11-21T02:00:00.000Z', by: 'x', note: null });

describe('isExpected: the teams that existed during the period (15 Oct – 14 Nov 2026)', () => {
	it.each([
		['established before, still there', { establishedOn: '2025-03-01', endedOn: null }, true],
		['established on the last day', { establishedOn: '2026-11-14', endedOn: null }, true],
		['established the day after it ended', { establishedOn: '2026-11-15', endedOn: null }, false],
		['archived since (today is not what counts)', { establishedOn: '2025-03-01', endedOn: '2026-11-20' }, true],
		['merged away on its first day', { establishedOn: '2025-03-01', endedOn: '2026-10-15' }, true],
		['dissolved the day before it started', { establishedOn: '2025-03-01', endedOn: '2026-10-14' }, false]
	])('%s', (_name, lifetime, expected) => {
		expect(isExpected(lifetime, NOVEMBER)).toBe(expected);
	});
});

describe('completenessOf', () => {
	it('reporting rate = submitted ÷ expected; on time = by the deadline; held up and late apart', () => {
		const teams = [
			submitted('on_time'),
			submitted('on_time', 'approved'),
			submitted('held_up_offline', 'submitted_late'),
			submitted('late', 'submitted_late'),
			submitted('pending'),
			submitted('on_time', 'changed_since_submitted'),
			team('returned', { timeliness: 'on_time' }),
			team('returned', { timeliness: 'late' }),
			team('not_started'),
			team('not_started'),
			// Not expected: neither helps nor hurts.
			{ ...submitted('on_time', 'approved'), expected: false }
		];
		expect(completenessOf(teams)).toEqual({
			expected: 10,
			submitted: 6,
			onTime: 3,
			heldUpOffline: 1,
			late: 1,
			approved: 1,
			reportingRate: 0.6,
			onTimeRate: 0.3,
			approvedShare: 0.1
		});
	});

	it('says nothing (null), not 0 %, when no team was expected', () => {
		expect(completenessOf([{ ...team('not_started'), expected: false }])).toMatchObject({ expected: 0, reportingRate: null, onTimeRate: null, approvedShare: null });
	});

	it('property: approved ≤ submitted ≤ expected and on time + held up + late ≤ submitted', () => {
		const states: TeamPeriodState[] = ['not_started', 'in_progress', 'submitted', 'submitted_late', 'changed_since_submitted', 'returned', 'approved'];
		const arb = fc.array(
			fc.record({
				state: fc.constantFrom(...states),
				expected: fc.boolean(),
				timeliness: fc.constantFrom<Timeliness | null>('on_time', 'held_up_offline', 'late', 'pending', null)
			}),
			{ maxLength: 60 }
		);
		fc.assert(
			fc.property(arb, (rows) => {
				const c = completenessOf(rows.map((r) => team(r.state, r)));
				expect(c.approved).toBeLessThanOrEqual(c.submitted);
				expect(c.submitted).toBeLessThanOrEqual(c.expected);
				expect(c.onTime + c.heldUpOffline + c.late).toBeLessThanOrEqual(c.submitted);
				if (c.reportingRate !== null) expect(c.reportingRate).toBeLessThanOrEqual(1);
			})
		);
	});
});

describe("a commune's period and the province", () => {
	it.each<[string, TeamPeriodStatus[], ApprovalEvent[], string]>([
		['not_started: no team has anything', [team('not_started'), team('not_started')], [], 'not_started'],
		['in_progress: a team is working', [team('in_progress'), team('not_started')], [], 'in_progress'],
		['in_progress: a team awaits review', [team('approved'), submitted('on_time')], [], 'in_progress'],
		['ready: every expected team approved', [team('approved'), team('approved'), { ...team('not_started'), expected: false }], [], 'ready'],
		['submitted: the commune approved its period', [team('approved'), team('in_progress')], [approve(0, 'commune')], 'submitted'],
		['approved: the province approved it', [team('approved')], [approve(0, 'commune'), approve(1, 'province')], 'approved'],
		['ready needs at least one expected team', [{ ...team('not_started'), expected: false }], [], 'not_started']
	])('%s', (_name, teams, log, state) => {
		expect(communePeriodState('xa-duc-tho', teams, log).state).toBe(state);
	});

	it('returned by the province, with its note', () => {
		const log: ApprovalEvent[] = [approve(0, 'commune'), { seq: 1, action: 'return', level: 'province', at: '2026-11-22T02:00:00.000Z', by: 'p', note: 'Thiếu số liệu' }];
		expect(communePeriodState('xa-duc-tho', [team('approved')], log)).toMatchObject({ state: 'returned', returnNote: 'Thiếu số liệu' });
	});

	it('how much of the province report is approved: teams approved ÷ expected, communes approved ÷ communes', () => {
		const ducTho = [team('approved'), team('approved'), team('submitted', { timeliness: 'on_time' })];
		const tungAnh = [team('approved'), team('approved')];
		const hoaLac = [team('not_started')];
		const communes = [
			{ teams: ducTho, status: communePeriodState('duc-tho', ducTho, []) },
			{ teams: tungAnh, status: communePeriodState('tung-anh', tungAnh, [approve(0, 'commune'), approve(1, 'province')]) },
			{ teams: hoaLac, status: communePeriodState('hoa-lac', hoaLac, []) }
		];
		const province = provinceApproval(communes);
		expect(province).toMatchObject({ communes: 3, approvedCommunes: 1, submittedCommunes: 1, approvedCommuneShare: 1 / 3 });
		expect(province.completeness).toMatchObject({ expected: 6, submitted: 5, approved: 4, approvedShare: 4 / 6 });
	});
});
