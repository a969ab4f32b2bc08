// The one shape of a session tally that tablet and server both check (valibot).
import * as v from 'valibot';
import { daysBetween, isCalendarDate, localDateOf, type LocalDate } from './period';
import { AGE_BANDS, GENDERS } from './resident';
import { SKILL_CODE_PATTERN } from './skills';
import { BASIC_SKILL_GROUPS } from './basicSkills';
import { OUTCOMES, findInconsistency, findOutcomeInconsistency, type AnySessionTally, type SessionTally, type SessionTallyV2 } from './tally';

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

/** What every schema carries: the session, who was there, and its visits and assists. */
const SESSION_ENTRIES = {
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
};

/** Schema 2's outcomes; a group this version does not know is refused, naming it. */
const OUTCOME_ENTRIES = {
	residentsNewlyProficient: count,
	householdsNewlyCovered: count,
	residentsGainedByGroup: countsByKeys(BASIC_SKILL_GROUPS)
};

type TimedTally = { date: string; startedAt: string; endedAt: string };
/** The session's instants against its date and each other, naming the field that is off. */
function withSessionTimes<S extends v.GenericSchema<unknown, TimedTally>>(shape: S): v.GenericSchema<unknown, v.InferOutput<S>> {
	// Typed as any timed tally: valibot cannot check partialCheck's paths against a generic shape.
	const timed: v.GenericSchema<unknown, TimedTally> = shape;
	const checked = v.pipe(
		timed,
		v.forward(
			v.partialCheck([['date'], ['startedAt']], (t: TimedTally) => withinADayOf(t.date, t.startedAt), 'startedAt is not within a day of date'),
			['startedAt']
		),
		v.forward(
			v.partialCheck([['date'], ['endedAt']], (t: TimedTally) => withinADayOf(t.date, t.endedAt), 'endedAt is not within a day of date'),
			['endedAt']
		),
		v.forward(
			v.partialCheck([['startedAt'], ['endedAt']], (t: TimedTally) => Date.parse(t.startedAt) <= Date.parse(t.endedAt), 'endedAt is before startedAt'),
			['endedAt']
		),
		v.forward(
			v.partialCheck(
				[['startedAt'], ['endedAt']],
				(t: TimedTally) => Date.parse(t.endedAt) - Date.parse(t.startedAt) <= MAX_SESSION_MS,
				'the session lasts longer than 24 hours'
			),
			['endedAt']
		)
	);
	return checked as v.GenericSchema<unknown, v.InferOutput<S>>;
}

/** Schema 1: what tablets not yet updated send (outcomes not reported). */
export const SessionTallySchema = withSessionTimes(v.strictObject({ schema: v.literal(1), ...SESSION_ENTRIES }));

/** Schema 2: schema 1 and the session's outcomes (the five basic skills, households covered). */
export const SessionTallyV2Schema = withSessionTimes(v.strictObject({ schema: v.literal(2), ...SESSION_ENTRIES, ...OUTCOME_ENTRIES }));

/**
 * The checks that need the server's clock and the team: a session is not dated before its team
 * was established, nor more than a day after today (a tablet clock a little ahead is forgiven).
 */
export function tallyDateProblem(date: LocalDate, context: { establishedOn: LocalDate; now: Date }): string | null {
	if (date < context.establishedOn) return `date is before the team was established (${context.establishedOn})`;
	if (daysBetween(localDateOf(context.now), date) > 1) return 'date is more than one day after today';
	return null;
}

type Refusal = { ok: false; field: string; message: string };
export type TallyValidation = { ok: true; tally: SessionTally } | Refusal;
export type AnyTallyValidation = { ok: true; tally: AnySessionTally } | Refusal;

function refusal(issues: readonly v.BaseIssue<unknown>[]): Refusal {
	const issue = issues[0];
	// '' (a key named "") would read as no field at all.
	const field = (issue && v.getDotPath(issue)) || '(root)';
	return { ok: false, field, message: issue?.message ?? 'invalid tally' };
}

const doesNotAddUp = (field: string): Refusal => ({ ok: false, field, message: `${field} does not add up` });

/** Schema 1 only: shape first, then whether the counts add up; the failure names the field. */
export function validateSessionTally(input: unknown): TallyValidation {
	const parsed = v.safeParse(SessionTallySchema, input);
	if (!parsed.success) return refusal(parsed.issues);
	const tally = parsed.output as SessionTally;
	const bad = findInconsistency(tally);
	return bad ? doesNotAddUp(bad) : { ok: true, tally };
}

/**
 * Schema 1 or 2, told apart by `schema` (an unknown schema is refused naming it): what the
 * server's ingest (POST /api/v1/tallies) and the tablet's close run.
 */
export function validateAnySessionTally(input: unknown): AnyTallyValidation {
	const schema = typeof input === 'object' && input !== null ? (input as { schema?: unknown }).schema : undefined;
	if (schema !== 2) return validateSessionTally(input);
	const parsed = v.safeParse(SessionTallyV2Schema, input);
	if (!parsed.success) return refusal(parsed.issues);
	const tally = parsed.output as SessionTallyV2;
	const bad = findInconsistency(tally) ?? findOutcomeInconsistency(tally);
	return bad ? doesNotAddUp(bad) : { ok: true, tally };
}
