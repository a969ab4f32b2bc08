import { describe, expect, it } from 'vitest';
import { applyEvent, doneEvent, emptyProgress, fiveMarks, groupsToTeach, inTimeOrder, isProficient, settleProgress, type OutcomeEvent } from '$lib/domain/progress';
import { DEFAULT_SKILLS, skillGroupLookup } from '$lib/domain/skills';

const groupOf = skillGroupLookup(DEFAULT_SKILLS);
const AT = '2026-11-30T02:00:00.000Z';

describe('doneEvent', () => {
	it('gives the groups of a "done" assist\'s skills, each once, in order', () => {
		expect(doneEvent({ skillCodes: ['bank_app', 'vneid_install', 'utility_bills', 'zalo_video'], outcome: 'done', at: AT }, 'k1', groupOf)).toEqual({
			kind: 'done',
			residentKey: 'k1',
			at: AT,
			groups: ['publicServices', 'payment']
		});
	});

	it('gives nothing for "partly" or "referred": the resident did not do it by themselves', () => {
		expect(doneEvent({ skillCodes: ['bank_app'], outcome: 'partly', at: AT }, 'k1', groupOf)).toBeNull();
		expect(doneEvent({ skillCodes: ['bank_app'], outcome: 'referred', at: AT }, 'k1', groupOf)).toBeNull();
	});

	it('gives nothing for skills that count toward no group', () => {
		expect(doneEvent({ skillCodes: ['zalo_video', 'retired_code'], outcome: 'done', at: AT }, 'k1', groupOf)).toBeNull();
	});
});

describe('a resident\'s marks', () => {
	const done = (...groups: ('publicServices' | 'shopping' | 'payment' | 'safety' | 'localPlatforms')[]): OutcomeEvent => ({ kind: 'done', residentKey: 'k1', at: AT, groups });

	it('grow with done assists, and proficient is all five', () => {
		let p = emptyProgress('k1');
		p = applyEvent(p, done('payment', 'publicServices'));
		expect(p.marks).toEqual(['publicServices', 'payment']);
		expect(isProficient(p)).toBe(false);
		expect(groupsToTeach(p)).toEqual(['shopping', 'safety', 'localPlatforms']);
		p = applyEvent(p, done('shopping', 'safety', 'localPlatforms'));
		expect(isProficient(p)).toBe(true);
		expect(groupsToTeach(p)).toEqual([]);
	});

	it('are five marks on screen, marked or not, for anyone (even a resident never helped)', () => {
		expect(fiveMarks(undefined).map((m) => m.marked)).toEqual([false, false, false, false, false]);
		expect(fiveMarks({ marks: ['safety'] })).toEqual([
			{ group: 'publicServices', marked: false },
			{ group: 'shopping', marked: false },
			{ group: 'payment', marked: false },
			{ group: 'safety', marked: true },
			{ group: 'localPlatforms', marked: false }
		]);
	});

	it('can be corrected either way by a member', () => {
		let p = applyEvent(emptyProgress('k1'), done('safety'));
		p = applyEvent(p, { kind: 'correction', residentKey: 'k1', at: AT, group: 'safety', marked: false, memberId: 'm1' });
		expect(p.marks).toEqual([]);
		p = applyEvent(p, { kind: 'correction', residentKey: 'k1', at: AT, group: 'shopping', marked: true, memberId: 'm1' });
		expect(p.marks).toEqual(['shopping']);
	});

	it('refuse an event about someone else', () => {
		expect(() => applyEvent(emptyProgress('k2'), done('safety'))).toThrow();
	});
});

describe('settleProgress', () => {
	it('counts each group and proficiency in the first session they hold at the end of, and never again', () => {
		const all = applyEvent(emptyProgress('k1'), { kind: 'done', residentKey: 'k1', at: AT, groups: ['publicServices', 'shopping', 'payment', 'safety', 'localPlatforms'] });
		const s1 = settleProgress(applyEvent(emptyProgress('k1'), { kind: 'done', residentKey: 'k1', at: AT, groups: ['safety'] }), 's1');
		expect(s1.gainedIn).toEqual({ safety: 's1' });
		expect(s1.proficientIn).toBeNull();
		const s2 = settleProgress({ ...all, gainedIn: s1.gainedIn }, 's2');
		expect(s2.gainedIn).toEqual({ publicServices: 's2', shopping: 's2', payment: 's2', safety: 's1', localPlatforms: 's2' });
		expect(s2.proficientIn).toBe('s2');
		expect(settleProgress(s2, 's3')).toEqual(s2);
	});
});

describe('inTimeOrder', () => {
	it('sorts by time and keeps the given order at the same instant', () => {
		const rows = [
			{ at: '2026-11-30T02:00:01.000Z', n: 1 },
			{ at: '2026-11-30T02:00:00.000Z', n: 2 },
			{ at: '2026-11-30T02:00:01.000Z', n: 3 }
		];
		expect(inTimeOrder(rows).map((r) => r.n)).toEqual([2, 1, 3]);
	});
});
