// The one shape of a session tally that tablet and server both check (valibot).
import * as v from 'valibot';
import { daysBetween, isCalendarDate, localDateOf, type LocalDate } from './period';
import { AGE_BANDS, GENDERS } from './resident';
import { SKILL_CODE_PATTERN } from './skills';
import { OUTCOMES, findInconsistency, type SessionTally } from './tally';

const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
const countsByKeys = (keys: readonly string[]) =>
	v.strictObject(Object.fromEntries(keys.map((k) => [k, count])) as Record<string, typeof count>);
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));
const uuid = v.pipe(v.string(), v.uuid());
const isoInstant = v.pipe(v.string(), v.isoTimestamp());
/** A session lasts at most a day, and its instants fall within a day of its (Vietnam) date. */
export const MAX_SESSION_MS = 24 * 60 * 60 * 1000;
function withinADayOf(date: LocalDate, instant: string): boolean {
	const at = new Date(instant);
	// isoTimestamp lets through instants no calendar has (2026-02-31T…).
	return !Number.isNaN(at.getTime()) && Math.abs(daysBetween(date, localDateOf(at))) <= 1;
}
const countsById = (key: v.GenericSchema<string, string>) => v.pipe(v.record(key, count), v.check((r) => Object.keys(r).length <= 200, 'too many keys'));

export const SessionTallySchema = v.pipe(
	v.strictObject({
		schema: v.literal(1),
		sessionId: uuid,
		version: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000)),
		teamId: id,
		date: v.pipe(v.string(), v.isoDate(), v.check((d: string) => isCalendarDate(d), 'date is not a day in the calendar')),
		startedAt: isoInstant,
		endedAt: isoInstant,
		membersPresent: v.pipe(
			v.array(id),
			v.maxLength(50),
			v.check((ids) => new Set(ids).size === ids.length, 'a member is listed twice')
		),
		checkIns: count,
		distinctResidents: count,
		firstTimeResidents: count,
		residentsByGender: countsByKeys(GENDERS),
		residentsByAgeBand: countsByKeys(AGE_BANDS),
		assists: count,
		assistsByOutcome: countsByKeys(OUTCOMES),
		assistsBySkill: countsById(v.pipe(v.string(), v.regex(SKILL_CODE_PATTERN))),
		assistsByMember: countsById(id),
		assistsByGender: countsByKeys(GENDERS),
		assistsByAgeBand: countsByKeys(AGE_BANDS)
	}),
	v.forward(
		v.partialCheck([['date'], ['startedAt']], (t) => withinADayOf(t.date, t.startedAt), 'startedAt is not within a day of date'),
		['startedAt']
	),
	v.forward(
		v.partialCheck([['date'], ['endedAt']], (t) => withinADayOf(t.date, t.endedAt), 'endedAt is not within a day of date'),
		['endedAt']
	),
	v.forward(
		v.partialCheck([['startedAt'], ['endedAt']], (t) => Date.parse(t.startedAt) <= Date.parse(t.endedAt), 'endedAt is before startedAt'),
		['endedAt']
	),
	v.forward(
		v.partialCheck([['startedAt'], ['endedAt']], (t) => Date.parse(t.endedAt) - Date.parse(t.startedAt) <= MAX_SESSION_MS, 'the session lasts longer than 24 hours'),
		['endedAt']
	)
);

/**
 * The checks that need the server's clock and the team: a session is not dated before its team
 * was established, nor more than a day after today (a tablet clock a little ahead is forgiven).
 */
export function tallyDateProblem(date: LocalDate, context: { establishedOn: LocalDate; now: Date }): string | null {
	if (date < context.establishedOn) return `date is before the team was established (${context.establishedOn})`;
	if (daysBetween(localDateOf(context.now), date) > 1) return 'date is more than one day after today';
	return null;
}

export type TallyValidation = { ok: true; tally: SessionTally } | { ok: false; field: string; message: string };

/** Shape first, then whether the counts add up; the failure names the field. */
export function validateSessionTally(input: unknown): TallyValidation {
	const parsed = v.safeParse(SessionTallySchema, input);
	if (!parsed.success) {
		const issue = parsed.issues[0];
		// '' (a key named "") would read as no field at all.
		const field = (issue && v.getDotPath(issue)) || '(root)';
		return { ok: false, field, message: issue?.message ?? 'invalid tally' };
	}
	const tally = parsed.output as SessionTally;
	const bad = findInconsistency(tally);
	if (bad) return { ok: false, field: bad, message: `${bad} does not add up` };
	return { ok: true, tally };
}
