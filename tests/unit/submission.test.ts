import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	MAX_SESSIONS_PER_SUBMISSION,
	receiveSubmission,
	sameSessions,
	validateSubmission,
	type PeriodSubmission,
	type StoredSubmission
} from '$lib/domain/submission';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SUBMISSION: PeriodSubmission = {
	schema: 1,
	submissionId: uuid(900),
	teamId: 'team-trung-hoa',
	period: '2026-11',
	sessions: [
		{ sessionId: uuid(1), version: 1 },
		{ sessionId: uuid(2), version: 3 }
	],
	submittedAt: '2026-11-14T10:00:00.000Z'
};
// 16 Nov 2026, 09:00 in Vietnam.
const NOW = new Date('2026-11-16T02:00:00.000Z');
const held = (s: PeriodSubmission, receivedAt = '2026-11-15T03:00:00.000Z'): StoredSubmission => ({ ...s, receivedAt });

describe('validateSubmission', () => {
	it('accepts a submission, also after JSON, and one with no sessions (a month without any is still a report)', () => {
		expect(validateSubmission(JSON.parse(JSON.stringify(SUBMISSION)))).toEqual({ ok: true, submission: SUBMISSION });
		expect(validateSubmission({ ...SUBMISSION, sessions: [] }).ok).toBe(true);
	});

	it.each([
		['period', { period: '2026-13' }],
		['period', { period: '26-11' }],
		['teamId', { teamId: 'team one' }],
		['submissionId', { submissionId: 'not-a-uuid' }],
		['submittedAt', { submittedAt: '2026-02-31T10:00:00.000Z' }],
		['submittedAt', { submittedAt: 'yesterday' }],
		['sessions.1.version', { sessions: [{ sessionId: uuid(1), version: 1 }, { sessionId: uuid(2), version: 0 }] }],
		['sessions.0.sessionId', { sessions: [{ sessionId: 'x', version: 1 }] }],
		['schema', { schema: 2 }]
	])('refuses a bad %s as invalid, naming the field', (field, change) => {
		const result = validateSubmission({ ...SUBMISSION, ...change });
		expect(result).toMatchObject({ ok: false, field, code: 'invalid' });
	});

	it('refuses an unknown key', () => {
		expect(validateSubmission({ ...SUBMISSION, approved: true })).toMatchObject({ ok: false, code: 'invalid' });
	});

	it('refuses a session listed twice, naming the second listing', () => {
		const sessions = [{ sessionId: uuid(1), version: 1 }, { sessionId: uuid(2), version: 1 }, { sessionId: uuid(1), version: 2 }];
		expect(validateSubmission({ ...SUBMISSION, sessions })).toMatchObject({ ok: false, field: 'sessions.2.sessionId', code: 'duplicate' });
	});

	it(`accepts ${MAX_SESSIONS_PER_SUBMISSION} sessions and refuses one more as too many`, () => {
		const many = (n: number) => Array.from({ length: n }, (_, i) => ({ sessionId: uuid(i + 1), version: 1 }));
		expect(validateSubmission({ ...SUBMISSION, sessions: many(MAX_SESSIONS_PER_SUBMISSION) }).ok).toBe(true);
		expect(validateSubmission({ ...SUBMISSION, sessions: many(MAX_SESSIONS_PER_SUBMISSION + 1) })).toMatchObject({
			ok: false,
			field: 'sessions',
			code: 'tooMany'
		});
	});

	it('never throws and always names a field and a code on anything', () => {
		fc.assert(
			fc.property(fc.anything(), (input) => {
				const result = validateSubmission(input);
				if (!result.ok) expect(result.field.length * result.code.length).toBeGreaterThan(0);
			}),
			{ numRuns: 2000 }
		);
	});
});

describe('sameSessions', () => {
	it('ignores order, minds versions', () => {
		const [a, b] = SUBMISSION.sessions as [PeriodSubmission['sessions'][0], PeriodSubmission['sessions'][0]];
		expect(sameSessions([a, b], [b, a])).toBe(true);
		expect(sameSessions([a, b], [a, { ...b, version: 4 }])).toBe(false);
		expect(sameSessions([a, b], [a])).toBe(false);
	});
});

describe('receiveSubmission', () => {
	it('stores a first submission with the server clock as receivedAt', () => {
		expect(receiveSubmission(null, SUBMISSION, { now: NOW })).toEqual({ ok: true, outcome: 'stored', submission: { ...SUBMISSION, receivedAt: NOW.toISOString() } });
	});

	it('a resend after a lost answer is unchanged and keeps the first arrival time', () => {
		const first = held(SUBMISSION);
		expect(receiveSubmission(first, structuredClone(SUBMISSION), { now: NOW })).toEqual({ ok: true, outcome: 'unchanged', submission: first });
	});

	it('a new submission naming other versions or sessions replaces the one held', () => {
		const newer = { ...SUBMISSION, submissionId: uuid(901), submittedAt: '2026-11-15T10:00:00.000Z', sessions: [{ sessionId: uuid(1), version: 2 }] };
		expect(receiveSubmission(held(SUBMISSION), newer, { now: NOW })).toEqual({ ok: true, outcome: 'replaced', submission: { ...newer, receivedAt: NOW.toISOString() } });
	});

	it('a second press with the same sessions is unchanged, unless the officer returned the report since', () => {
		const again = { ...SUBMISSION, submissionId: uuid(902), submittedAt: '2026-11-15T11:00:00.000Z', sessions: [...SUBMISSION.sessions].reverse() };
		const first = held(SUBMISSION);
		expect(receiveSubmission(first, again, { now: NOW })).toMatchObject({ outcome: 'unchanged', submission: first });
		expect(receiveSubmission(first, again, { now: NOW, returnedAt: '2026-11-15T08:00:00.000Z' })).toMatchObject({ outcome: 'replaced', submission: again });
		// A return before the held submission arrived was already answered by it.
		expect(receiveSubmission(first, again, { now: NOW, returnedAt: '2026-11-15T01:00:00.000Z' })).toMatchObject({ outcome: 'unchanged' });
	});

	it('an older submission delivered after a newer one changes nothing', () => {
		const newer = held({ ...SUBMISSION, submissionId: uuid(903), submittedAt: '2026-11-15T10:00:00.000Z', sessions: [] });
		expect(receiveSubmission(newer, SUBMISSION, { now: NOW })).toEqual({ ok: true, outcome: 'unchanged', submission: newer });
	});

	it('refuses a used submissionId with another body', () => {
		const other = { ...SUBMISSION, sessions: [] };
		expect(receiveSubmission(held(SUBMISSION), other, { now: NOW })).toMatchObject({ ok: false, field: 'submissionId', code: 'idReused' });
	});

	it("refuses a period that has not started on the server's calendar", () => {
		// 2026-12 starts on 15 Nov; 2027-01 on 15 Dec.
		const december = { ...SUBMISSION, period: '2026-12', submittedAt: '2026-11-15T10:00:00.000Z' };
		expect(receiveSubmission(null, december, { now: NOW }).ok).toBe(true);
		expect(receiveSubmission(null, { ...SUBMISSION, period: '2027-01' }, { now: NOW })).toMatchObject({ ok: false, field: 'period', code: 'notStarted' });
		// 14 Nov 2026 at 18:00 UTC is already 15 Nov in Vietnam: the hall's calendar decides.
		expect(receiveSubmission(null, december, { now: new Date('2026-11-14T18:00:00.000Z') }).ok).toBe(true);
		expect(receiveSubmission(null, december, { now: new Date('2026-11-14T16:59:59.000Z') })).toMatchObject({ code: 'notStarted' });
		// With calendar months, 2026-12 has not started on 16 Nov.
		expect(receiveSubmission(null, december, { now: NOW, rule: { startDay: 1, deadlineDay: 20 } })).toMatchObject({ code: 'notStarted' });
	});

	it('refuses a tablet clock more than a day ahead, and a submission dated before its period', () => {
		expect(receiveSubmission(null, { ...SUBMISSION, submittedAt: '2026-11-17T10:00:00.000Z' }, { now: NOW }).ok).toBe(true);
		expect(receiveSubmission(null, { ...SUBMISSION, submittedAt: '2026-11-18T10:00:00.000Z' }, { now: NOW })).toMatchObject({ field: 'submittedAt', code: 'inFuture' });
		expect(receiveSubmission(null, { ...SUBMISSION, submittedAt: '2026-10-14T10:00:00.000Z' }, { now: NOW })).toMatchObject({ field: 'submittedAt', code: 'beforePeriod' });
	});

	it('resending any received submission is always unchanged (property)', () => {
		const refs = fc.uniqueArray(fc.record({ sessionId: fc.integer({ min: 1, max: 50 }).map(uuid), version: fc.integer({ min: 1, max: 9 }) }), {
			selector: (r) => r.sessionId,
			maxLength: 20
		});
		fc.assert(
			fc.property(refs, refs, fc.boolean(), fc.boolean(), (a, other, resubmitSame, returned) => {
				const b = resubmitSame ? [...a].reverse() : other;
				const first = receiveSubmission(null, { ...SUBMISSION, sessions: a }, { now: NOW });
				if (!first.ok) throw new Error('refused');
				const second = { ...SUBMISSION, submissionId: uuid(950), submittedAt: '2026-11-15T10:00:00.000Z', sessions: b };
				const context = { now: new Date(NOW.getTime() + 60_000), returnedAt: returned ? new Date(NOW.getTime() + 1000).toISOString() : null };
				const after = receiveSubmission(first.submission, second, context);
				if (!after.ok) throw new Error('refused');
				expect(after.outcome).toBe(sameSessions(a, b) && !returned ? 'unchanged' : 'replaced');
				expect(receiveSubmission(after.submission, second, context)).toEqual({ ok: true, outcome: 'unchanged', submission: after.submission });
			})
		);
	});
});
