// The one shape of a session tally that tablet and server both check (valibot).
import * as v from 'valibot';
import { AGE_BANDS, GENDERS } from './resident';
import { SKILL_CODE_PATTERN } from './skills';
import { OUTCOMES, findInconsistency, type SessionTally } from './tally';

const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
const countsByKeys = (keys: readonly string[]) =>
	v.strictObject(Object.fromEntries(keys.map((k) => [k, count])) as Record<string, typeof count>);
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));
const uuid = v.pipe(v.string(), v.uuid());
const isoInstant = v.pipe(v.string(), v.isoTimestamp());
const countsById = (key: v.GenericSchema<string, string>) => v.pipe(v.record(key, count), v.check((r) => Object.keys(r).length <= 200, 'too many keys'));

export const SessionTallySchema = v.pipe(
	v.strictObject({
		schema: v.literal(1),
		sessionId: uuid,
		version: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000)),
		teamId: id,
		date: v.pipe(v.string(), v.isoDate()),
		startedAt: isoInstant,
		endedAt: isoInstant,
		membersPresent: v.pipe(v.array(id), v.maxLength(50)),
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
		v.partialCheck([['startedAt'], ['endedAt']], (t) => Date.parse(t.startedAt) <= Date.parse(t.endedAt), 'endedAt is before startedAt'),
		['endedAt']
	)
);

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
