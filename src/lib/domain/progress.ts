// A resident's progress toward the five basic digital skills, on the tablet only. Pure.
//
// What is kept is keyed by the resident's key: the HMAC of their CCCD number (or of their pass
// id), as the tablet already recognises them. It holds no name, birth year, gender or address:
// the five marks, the household the resident belongs to, and in which session each first-time
// count was made. That record outlives the retention rule that erases the resident's name, so a
// resident who comes back is never counted newly proficient (or a group newly gained) twice.
import { BASIC_SKILL_GROUPS, sortedGroups, type BasicSkillGroup } from './basicSkills';
import type { Outcome } from './tally';

export interface ResidentProgress {
	/** The resident's HMAC key (never the ID number, never the row id that retention may renew). */
	residentKey: string;
	/** The groups the resident can do now, in BASIC_SKILL_GROUPS order. */
	marks: BasicSkillGroup[];
	/** The household the resident belongs to now (one at a time), or null. */
	householdId: string | null;
	/** The session in which each group was first counted as gained; a count is never made twice. */
	gainedIn: Partial<Record<BasicSkillGroup, string>>;
	/** The session in which the resident was first counted proficient in all five, or null. */
	proficientIn: string | null;
}

/**
 * What happens to a resident's progress during a session, in time order.
 * - done: an assist with outcome "done" (the resident did it by themselves), with the groups of its
 *   skills in the catalog at that time. Not stored: derived from the session's assists.
 * - correction: a member sets or clears one mark. Stored on the tablet, with who and when (audit).
 * - link: a member puts the resident in a household, or takes them out (null). Stored likewise.
 */
export type OutcomeEvent =
	| { kind: 'done'; residentKey: string; at: string; groups: readonly BasicSkillGroup[] }
	| { kind: 'correction'; residentKey: string; at: string; group: BasicSkillGroup; marked: boolean; memberId: string }
	| { kind: 'link'; residentKey: string; at: string; householdId: string | null; memberId: string };

export function emptyProgress(residentKey: string): ResidentProgress {
	return { residentKey, marks: [], householdId: null, gainedIn: {}, proficientIn: null };
}

export function isProficient(progress: Pick<ResidentProgress, 'marks'>): boolean {
	return progress.marks.length === BASIC_SKILL_GROUPS.length;
}

/** What the greeting and the queue show: each of the five groups, marked or not, in order. */
export function fiveMarks(progress: Pick<ResidentProgress, 'marks'> | undefined): { group: BasicSkillGroup; marked: boolean }[] {
	const have = new Set(progress?.marks ?? []);
	return BASIC_SKILL_GROUPS.map((group) => ({ group, marked: have.has(group) }));
}

/** The next groups to teach: those not yet marked, in order. */
export function groupsToTeach(progress: Pick<ResidentProgress, 'marks'> | undefined): BasicSkillGroup[] {
	return fiveMarks(progress)
		.filter((m) => !m.marked)
		.map((m) => m.group);
}

/**
 * The done-event of an assist, or null: only "done" gives marks, and only skills that count
 * toward a group. An assist edited away from "done" before the session closes gives nothing.
 */
export function doneEvent(
	assist: { skillCodes: readonly string[]; outcome: Outcome; at: string },
	residentKey: string,
	groupOf: (skillCode: string) => BasicSkillGroup | null
): OutcomeEvent | null {
	if (assist.outcome !== 'done') return null;
	const groups = sortedGroups(assist.skillCodes.map(groupOf).filter((g): g is BasicSkillGroup => g !== null));
	return groups.length === 0 ? null : { kind: 'done', residentKey, at: assist.at, groups };
}

/**
 * One event applied to a resident's marks and household. Counts are not made here: they are made
 * when the session is settled (outcomes.ts), so a mis-tap put right in the same session counts
 * nothing.
 */
export function applyEvent(progress: ResidentProgress, event: OutcomeEvent): ResidentProgress {
	if (event.residentKey !== progress.residentKey) throw new Error('progress: event for another resident');
	switch (event.kind) {
		case 'done':
			return { ...progress, marks: sortedGroups([...progress.marks, ...event.groups]) };
		case 'correction': {
			const marks = event.marked ? [...progress.marks, event.group] : progress.marks.filter((g) => g !== event.group);
			return { ...progress, marks: sortedGroups(marks) };
		}
		case 'link':
			return { ...progress, householdId: event.householdId };
	}
}

/**
 * Records the first-time counts a settled session earns: each group marked now and never counted
 * before, and proficiency if all five are marked now and it was never counted. A mark cleared by a
 * correction leaves its count standing (an uploaded tally is not taken back); regaining it later
 * does not count again.
 */
export function settleProgress(progress: ResidentProgress, sessionId: string): ResidentProgress {
	const gainedIn = { ...progress.gainedIn };
	for (const group of progress.marks) gainedIn[group] ??= sessionId;
	const proficientIn = progress.proficientIn ?? (isProficient(progress) ? sessionId : null);
	return { ...progress, gainedIn, proficientIn };
}

/** Events in the order they happened; equal instants keep their given order. */
export function inTimeOrder<E extends { at: string }>(events: readonly E[]): E[] {
	return events
		.map((event, index) => ({ event, index }))
		.sort((a, b) => (a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : a.index - b.index))
		.map((x) => x.event);
}
