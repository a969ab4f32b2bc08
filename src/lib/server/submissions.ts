// A team's monthly submission arriving from its tablet (issue 13): stored exactly once; a resend
// after a lost answer is 'unchanged'; one naming sessions the server does not have yet is stored
// and waits for them (they are behind it in the same outbox), the answer naming them. The rules
// are domain/submission.ts's receiveSubmission; this reads what it needs and writes what it decides.
import type { Kysely, Transaction } from 'kysely';
import { DEFAULT_PERIOD_RULE, localDateOf, periodRange, type PeriodKey, type PeriodRule } from '$lib/domain/period';
import { receiveSubmission, validateSubmission, type SubmissionOutcome } from '$lib/domain/submission';
import { approvalStatus } from '$lib/domain/approval';
import { teamPeriodState, type TeamPeriodState } from '$lib/domain/teamPeriodState';
import { approvalLogs, currentSubmissions, heldSessions } from './approvals';
import { recordAudit } from './audit';
import type { Database, Device } from './db/schema';
import { InputError } from './inputError';
import { REPORT_TIME_ZONE } from './reports/monthly';

/** What the tablet is told: the outcome and where the team's report stands now. */
export interface SubmissionAnswer {
	result: SubmissionOutcome;
	submissionId: string;
	period: PeriodKey;
	state: TeamPeriodState;
	/** Session ids the submission names that the server does not hold at that version yet. */
	waitingFor: string[];
	/** The officer's note while the report is returned. */
	returnNote: string | null;
}

/** Where one team's report for a period stands, as the tablet shows it. */
export async function teamReportState(
	db: Kysely<Database>,
	input: { teamId: string; period: PeriodKey; rule?: PeriodRule; now: Date; timeZone?: string }
): Promise<{ state: TeamPeriodState; waitingFor: string[]; returnNote: string | null; submissionId: string | null }> {
	const timeZone = input.timeZone ?? REPORT_TIME_ZONE;
	const [held, submissions, logs] = await Promise.all([
		heldSessions(db, [input.teamId], input.period),
		currentSubmissions(db, [input.teamId], input.period),
		approvalLogs(db, 'team', [input.teamId], input.period)
	]);
	const submission = submissions.get(input.teamId) ?? null;
	const status = teamPeriodState({
		teamId: input.teamId,
		period: periodRange(input.period, input.rule ?? DEFAULT_PERIOD_RULE),
		expected: true,
		submission,
		sessions: held.get(input.teamId) ?? [],
		approvalLog: logs.get(input.teamId) ?? [],
		today: localDateOf(input.now, timeZone),
		timeZone
	});
	return { state: status.state, waitingFor: status.waitingFor.map((r) => r.sessionId), returnNote: status.returnNote, submissionId: submission?.submissionId ?? null };
}

const isUniqueViolation = (e: unknown) => /unique|duplicate key/i.test(String((e as Error)?.message ?? e));

/**
 * Checks and stores a submission `device` sent. Refusals are InputErrors naming the field: the
 * shape ('invalid', 'tooMany', 'duplicate'), another team's ('wrongTeam'), a period not started,
 * a clock far ahead, a reused id. A revoked tablet never gets here (deviceAuth refuses it).
 */
export async function receivePeriodSubmission(
	db: Kysely<Database>,
	input: { body: unknown; device: Device; rule?: PeriodRule; now: Date; timeZone?: string }
): Promise<SubmissionAnswer> {
	const checked = validateSubmission(input.body);
	if (!checked.ok) throw new InputError(checked.field, checked.code, checked.message);
	const incoming = checked.submission;
	if (incoming.teamId !== input.device.team_id) throw new InputError('teamId', 'wrongTeam', 'This tablet may only submit its own team\'s report.');
	const rule = input.rule ?? DEFAULT_PERIOD_RULE;
	const timeZone = input.timeZone ?? REPORT_TIME_ZONE;

	const store = (trx: Transaction<Database>) => async (): Promise<SubmissionOutcome> => {
		const held = (await currentSubmissions(trx, [incoming.teamId], incoming.period)).get(incoming.teamId) ?? null;
		// A resend of an earlier submission (replaced since) is answered as it was: unchanged.
		if (!held || held.submissionId !== incoming.submissionId) {
			const earlier = await trx.selectFrom('period_submissions').select('team_id').where('submission_id', '=', incoming.submissionId).executeTakeFirst();
			if (earlier) {
				if (earlier.team_id !== incoming.teamId) throw new InputError('submissionId', 'idReused', 'this submissionId was used for another submission');
				return 'unchanged';
			}
		}
		const log = (await approvalLogs(trx, 'team', [incoming.teamId], incoming.period)).get(incoming.teamId) ?? [];
		const receipt = receiveSubmission(held, incoming, { now: input.now, rule, timeZone, returnedAt: approvalStatus(log).returned?.at ?? null });
		if (!receipt.ok) throw new InputError(receipt.field, receipt.code, receipt.message);
		if (receipt.outcome === 'unchanged') return 'unchanged';
		if (held) {
			await trx.updateTable('period_submissions').set({ state: 'replaced' }).where('submission_id', '=', held.submissionId).execute();
		}
		const s = receipt.submission;
		await trx
			.insertInto('period_submissions')
			.values({
				submission_id: s.submissionId,
				team_id: s.teamId,
				period: s.period,
				sessions: JSON.stringify(s.sessions),
				submitted_at: s.submittedAt,
				received_at: s.receivedAt,
				device_id: input.device.id,
				state: 'current'
			})
			.execute();
		await recordAudit(trx, {
			actor: `device:${input.device.id}`,
			action: `submission.${receipt.outcome}`,
			subject: `team:${s.teamId}`,
			detail: { period: s.period, submissionId: s.submissionId, sessions: s.sessions.length },
			now: input.now
		});
		return receipt.outcome;
	};

	let result: SubmissionOutcome;
	try {
		result = await db.transaction().execute((trx) => store(trx)());
	} catch (e) {
		// Two copies of one submission at once (a resend racing its original): the loser reads the winner's.
		if (!isUniqueViolation(e)) throw e;
		result = await db.transaction().execute((trx) => store(trx)());
	}
	const now = await teamReportState(db, { teamId: incoming.teamId, period: incoming.period, rule, now: input.now, timeZone });
	return { result, submissionId: incoming.submissionId, period: incoming.period, state: now.state, waitingFor: now.waitingFor, returnNote: now.returnNote };
}
