// A team's monthly submission: the leader says "this is our month", naming exactly the sessions
// (id and version) it covers. Tablet and server check the same schema; the server decides what a
// submission does to the one it already holds (receiveSubmission). Pure: no clock, no database.
import * as v from 'valibot';
import { isPeriodKey, localDateOf, daysBetween, periodRange, DEFAULT_PERIOD_RULE, type PeriodRule } from './period';

/** A month of sessions: a hall holds one or two a day, so 400 is far above any real month. */
export const MAX_SESSIONS_PER_SUBMISSION = 400;

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));
const uuid = v.pipe(v.string(), v.uuid());
// isoTimestamp lets through instants no calendar has (2026-02-31T…).
const instant = v.pipe(
	v.string(),
	v.isoTimestamp(),
	v.check((s: string) => !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().slice(0, 10) === s.slice(0, 10), 'not a real instant')
);

export const SessionRefSchema = v.strictObject({
	sessionId: uuid,
	version: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))
});
export type SessionRef = v.InferOutput<typeof SessionRefSchema>;

// The refusals a person is told about by name; any other shape problem is 'invalid'.
const TOO_MANY = 'tooMany';
const DUPLICATE = 'duplicate';

export const PeriodSubmissionSchema = v.strictObject({
	schema: v.literal(1),
	/** Made on the tablet when the leader presses "Gửi báo cáo kỳ": a resend carries the same id. */
	submissionId: uuid,
	teamId: id,
	period: v.pipe(v.string(), v.check((key: string) => isPeriodKey(key), 'not a period YYYY-MM')),
	sessions: v.pipe(
		v.array(SessionRefSchema),
		v.maxLength(MAX_SESSIONS_PER_SUBMISSION, TOO_MANY),
		v.check((refs) => new Set(refs.map((r) => r.sessionId)).size === refs.length, DUPLICATE)
	),
	/** The tablet's clock when the leader submitted: "finished on time" is judged on it. */
	submittedAt: instant
});
export type PeriodSubmission = v.InferOutput<typeof PeriodSubmissionSchema>;

/** A submission as the server holds it: with the server's clock when it arrived. */
export interface StoredSubmission extends PeriodSubmission {
	receivedAt: string;
}

export type SubmissionRefusalCode =
	| 'invalid'
	| 'tooMany'
	| 'duplicate'
	| 'notStarted'
	| 'inFuture'
	| 'beforePeriod'
	| 'idReused';

export interface SubmissionRefusal {
	ok: false;
	field: string;
	code: SubmissionRefusalCode;
	message: string;
}

export type SubmissionValidation = { ok: true; submission: PeriodSubmission } | SubmissionRefusal;

const refuse = (field: string, code: SubmissionRefusalCode, message: string): SubmissionRefusal => ({ ok: false, field, code, message });

/** The shape, on both sides; the failure names the field (a duplicate names the second listing). */
export function validateSubmission(input: unknown): SubmissionValidation {
	const parsed = v.safeParse(PeriodSubmissionSchema, input);
	if (parsed.success) return { ok: true, submission: parsed.output };
	const issue = parsed.issues[0]!;
	const field = v.getDotPath(issue) || '(root)';
	if (issue.message === TOO_MANY) return refuse('sessions', 'tooMany', `more than ${MAX_SESSIONS_PER_SUBMISSION} sessions`);
	if (issue.message === DUPLICATE) {
		const refs = (input as { sessions: SessionRef[] }).sessions;
		const index = refs.findIndex((r, i) => refs.findIndex((other) => other.sessionId === r.sessionId) < i);
		return refuse(`sessions.${index}.sessionId`, 'duplicate', 'a session is listed twice');
	}
	return refuse(field, 'invalid', issue.message);
}

/** Same sessions at the same versions, in any order. */
export function sameSessions(a: readonly SessionRef[], b: readonly SessionRef[]): boolean {
	if (a.length !== b.length) return false;
	const versions = new Map(a.map((r) => [r.sessionId, r.version]));
	return b.every((r) => versions.get(r.sessionId) === r.version);
}

export type SubmissionOutcome = 'stored' | 'replaced' | 'unchanged';

export type SubmissionReceipt = { ok: true; outcome: SubmissionOutcome; submission: StoredSubmission } | SubmissionRefusal;

export interface ReceiveContext {
	/** The server's clock. */
	now: Date;
	rule?: PeriodRule;
	timeZone?: string;
	/** When the officer last returned the team's report for this period, if ever (ISO instant). */
	returnedAt?: string | null;
}

/**
 * What an incoming (validated) submission does to the one the server holds for the team and period:
 * - the same submissionId again (a resend after a lost answer) is 'unchanged', and a different body
 *   under a used id is refused: an id names one act of the leader;
 * - a new id naming the same sessions at the same versions is 'unchanged' too (a second press of
 *   the button), unless the officer returned the report since: then it is the team's answer;
 * - a new id naming other sessions or versions replaces it, unless it was made before the one held
 *   (two tablets of one team, delivered out of order): the newer act stands, 'unchanged'.
 * Refused: a period that has not started on the server's calendar, a tablet clock more than a day
 * ahead, or a submission dated before its period began.
 */
export function receiveSubmission(held: StoredSubmission | null, incoming: PeriodSubmission, context: ReceiveContext): SubmissionReceipt {
	const timeZone = context.timeZone ?? 'Asia/Ho_Chi_Minh';
	const today = localDateOf(context.now, timeZone);
	const period = periodRange(incoming.period, context.rule ?? DEFAULT_PERIOD_RULE);
	if (period.first > today) return refuse('period', 'notStarted', `the period ${incoming.period} starts on ${period.first}`);
	const submittedOn = localDateOf(new Date(incoming.submittedAt), timeZone);
	if (daysBetween(today, submittedOn) > 1) return refuse('submittedAt', 'inFuture', 'submittedAt is more than one day after today');
	if (submittedOn < period.first) return refuse('submittedAt', 'beforePeriod', `submittedAt is before the period starts (${period.first})`);

	const stored: StoredSubmission = { ...incoming, receivedAt: context.now.toISOString() };
	if (!held) return { ok: true, outcome: 'stored', submission: stored };
	if (held.teamId !== incoming.teamId || held.period !== incoming.period) throw new Error('receiveSubmission: held submission is for another team or period');
	if (held.submissionId === incoming.submissionId) {
		if (sameSessions(held.sessions, incoming.sessions) && held.submittedAt === incoming.submittedAt) {
			return { ok: true, outcome: 'unchanged', submission: held };
		}
		return refuse('submissionId', 'idReused', 'this submissionId was used for another submission');
	}
	if (Date.parse(incoming.submittedAt) < Date.parse(held.submittedAt)) return { ok: true, outcome: 'unchanged', submission: held };
	const returnedSince = !!context.returnedAt && Date.parse(context.returnedAt) > Date.parse(held.receivedAt);
	if (sameSessions(held.sessions, incoming.sessions) && !returnedSince) return { ok: true, outcome: 'unchanged', submission: held };
	return { ok: true, outcome: 'replaced', submission: stored };
}

