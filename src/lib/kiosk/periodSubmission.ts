// The team submits its month from the leader view (issue 13): "Gửi báo cáo kỳ" queues one
// submission naming exactly the period's closed sessions (ids and versions); the outbox sends it
// after the period's tallies, exactly once (a resend carries the same id: the server answers
// "unchanged"). Where the report stands comes from the server's answer or, later, from the
// team's configuration (a return and its note reach the tablet at the next sync).
import { retryDelayMs } from '$lib/domain/backoff';
import type { PeriodReportStatus } from '$lib/domain/api';
import { periodRange, type PeriodKey } from '$lib/domain/period';
import { validateSubmission, type PeriodSubmission } from '$lib/domain/submission';
import { getSetting, newId, putSetting, type KioskDb, type SessionRow, type SubmissionRow } from './db';
import { SERVER_SETTING, serverLink, type ServerLink } from './enrolment';
import { currentTeam, periodRule } from './team';
import type { ApiOutcome } from './serverApi';

/** The reports' states the team's configuration last brought, and when: { asOf, reports }. */
export const PERIOD_REPORTS_SETTING = 'periodReports';

export interface SubmissionAnswerBody {
	result: string;
	submissionId: string;
	period: string;
	state: string;
	waitingFor: string[];
	returnNote: string | null;
}

export type SubmitFn = (origin: string, token: string, submission: PeriodSubmission) => Promise<ApiOutcome<SubmissionAnswerBody>>;

export type SessionUpload = 'open' | 'waiting' | 'uploaded';

export interface PeriodSessionLine {
	session: SessionRow;
	upload: SessionUpload;
}

/**
 * What the leader sees of the period's report: the sessions and whether each is closed and
 * uploaded, and the report's state here (not sent yet, queued, refused) or on the server.
 */
export type ReportView =
	| { kind: 'none' }
	| { kind: 'queued' }
	| { kind: 'refused'; code: string; field?: string; message: string }
	| { kind: 'changed' }
	| { kind: 'server'; state: string; waitingFor: number; returnNote: string | null; sentAt: string };

export interface PeriodReport {
	period: PeriodKey;
	sessions: PeriodSessionLine[];
	/** Sessions still open: close them before submitting. */
	open: number;
	enrolled: boolean;
	view: ReportView;
	/** The button is offered: enrolled, something closed, nothing open, and nothing the same already queued or sent. */
	canSubmit: boolean;
}

async function periodSessions(db: KioskDb, period: PeriodKey): Promise<SessionRow[]> {
	const range = periodRange(period, await periodRule(db));
	return db.sessions.where('date').between(range.first, range.last, true, true).sortBy('startedAt');
}

const refsOf = (sessions: SessionRow[]) => sessions.filter((s) => s.status === 'closed').map((s) => ({ sessionId: s.id, version: s.version }));

const sameRefs = (a: { sessionId: string; version: number }[], b: { sessionId: string; version: number }[]) =>
	a.length === b.length && a.every((r) => b.some((o) => o.sessionId === r.sessionId && o.version === r.version));

/** The period's report as the leader view shows it (read through live()). */
export async function periodReport(db: KioskDb, period: PeriodKey): Promise<PeriodReport> {
	const [sessions, row, link, reports] = await Promise.all([
		periodSessions(db, period),
		db.submissions.get(period),
		serverLink(db),
		getSetting<{ asOf: string; reports: PeriodReportStatus[] }>(db, PERIOD_REPORTS_SETTING)
	]);
	const outbox = await db.outbox.bulkGet(sessions.map((s) => s.id));
	const lines = sessions.map((session, i): PeriodSessionLine => {
		const out = outbox[i];
		const upload: SessionUpload =
			session.status === 'open' ? 'open' : out && out.state === 'sent' && out.version === session.version ? 'uploaded' : 'waiting';
		return { session, upload };
	});
	const open = lines.filter((l) => l.upload === 'open').length;
	const refs = refsOf(sessions);
	const changed = !!row && row.state !== 'refused' && !sameRefs(row.submission.sessions, refs);
	let view: ReportView = { kind: 'none' };
	if (row?.state === 'pending') view = { kind: 'queued' };
	else if (row?.state === 'refused') view = { kind: 'refused', code: row.refusal?.code ?? 'invalid', field: row.refusal?.field, message: row.lastError ?? '' };
	else if (row?.state === 'sent' && row.answer) {
		// The newer word wins: the configuration synced after the answer (an approval, a return).
		const synced = reports?.asOf;
		const fromConfig = reports?.reports.find((r) => r.period === period && r.submissionId === row.submission.submissionId);
		const useConfig = fromConfig && synced && row.sentAt && synced > row.sentAt;
		view = useConfig
			? { kind: 'server', state: fromConfig.state, waitingFor: fromConfig.waitingFor, returnNote: fromConfig.returnNote, sentAt: row.sentAt! }
			: { kind: 'server', state: row.answer.state, waitingFor: row.answer.waitingFor.length, returnNote: row.answer.returnNote, sentAt: row.sentAt! };
	}
	if (changed && view.kind === 'server' && view.state !== 'returned') view = { kind: 'changed' };
	const returned = view.kind === 'server' && view.state === 'returned';
	const enrolled = !!link && !link.revokedAt;
	const canSubmit = enrolled && refs.length > 0 && open === 0 && (!row || row.state === 'refused' || changed || returned);
	return { period, sessions: lines, open, enrolled, view, canSubmit };
}

/** Stores the reports' states a configuration brought. */
export async function applyPeriodReports(db: KioskDb, reports: PeriodReportStatus[] | undefined, now: Date): Promise<void> {
	if (!reports) return;
	await putSetting(db, PERIOD_REPORTS_SETTING, { asOf: now.toISOString(), reports });
}

export class NothingToSubmitError extends Error {
	constructor(readonly reason: 'notEnrolled' | 'openSessions' | 'noSessions') {
		super(`nothing to submit: ${reason}`);
		this.name = 'NothingToSubmitError';
	}
}

/** Queues the period's submission (replacing one not yet sent): the period's closed sessions at their versions. */
export async function queueSubmission(db: KioskDb, period: PeriodKey, now: Date): Promise<SubmissionRow> {
	const link = await serverLink(db);
	if (!link || link.revokedAt) throw new NothingToSubmitError('notEnrolled');
	return db.transaction('rw', [db.sessions, db.submissions, db.settings], async () => {
		const sessions = await periodSessions(db, period);
		if (sessions.some((s) => s.status === 'open')) throw new NothingToSubmitError('openSessions');
		const refs = refsOf(sessions);
		if (refs.length === 0) throw new NothingToSubmitError('noSessions');
		const team = await currentTeam(db);
		const submission: PeriodSubmission = { schema: 1, submissionId: newId(), teamId: team.id, period, sessions: refs, submittedAt: now.toISOString() };
		const checked = validateSubmission(submission);
		if (!checked.ok) throw new Error(`submission: ${checked.field} ${checked.message}`);
		const row: SubmissionRow = { period, submission: checked.submission, state: 'pending', attempts: 0, queuedAt: now.toISOString() };
		await db.submissions.put(row);
		return row;
	});
}

/** Records an answer unless the row was replaced meanwhile (the leader submitted again). */
async function settle(db: KioskDb, sent: SubmissionRow, change: Partial<SubmissionRow>): Promise<void> {
	await db.transaction('rw', db.submissions, async () => {
		const current = await db.submissions.get(sent.period);
		if (current && current.submission.submissionId === sent.submission.submissionId && current.state === 'pending') await db.submissions.update(sent.period, change);
	});
}

/**
 * Sends the submissions that are due, each after its period's tallies: one whose sessions still
 * wait in the outbox waits for them (the server would only answer "waiting").
 */
export async function sendDueSubmissions(db: KioskDb, submit: SubmitFn, now: () => Date, random: () => number): Promise<{ sent: number; revoked: boolean }> {
	const link = await serverLink(db);
	if (!link || link.revokedAt) return { sent: 0, revoked: !!link?.revokedAt };
	const due = (await db.submissions.where('state').equals('pending').toArray()).filter((row) => (row.nextAttemptAt ?? 0) <= now().getTime());
	let sent = 0;
	for (const row of due) {
		const pendingTallies = await db.outbox.bulkGet(row.submission.sessions.map((r) => r.sessionId));
		if (pendingTallies.some((t) => t?.state === 'pending')) continue;
		const attemptAt = now();
		const outcome = await submit(link.origin, link.token, row.submission);
		const base = { attempts: row.attempts + 1, lastAttemptAt: attemptAt.toISOString() };
		if (outcome.kind === 'ok') {
			const { result, state, waitingFor, returnNote } = outcome.value;
			await settle(db, row, { ...base, state: 'sent', sentAt: attemptAt.toISOString(), answer: { result, state, waitingFor, returnNote }, lastError: undefined });
			sent++;
		} else if (outcome.kind === 'refused' && outcome.code === 'device_revoked') {
			const revoked: ServerLink = { ...link, revokedAt: attemptAt.toISOString() };
			await db.settings.put({ key: SERVER_SETTING, value: revoked });
			return { sent, revoked: true };
		} else if (outcome.kind === 'refused') {
			await settle(db, row, { ...base, state: 'refused', refusal: { code: outcome.code, field: outcome.field }, lastError: outcome.message });
		} else {
			await settle(db, row, { ...base, nextAttemptAt: attemptAt.getTime() + retryDelayMs(base.attempts, random), lastError: outcome.message });
		}
	}
	return { sent, revoked: false };
}
