// The tablet's calls to the district server. Every answer is sorted into: it worked, the server
// refused this for good (keep it and show why), or try again later (network, 5xx, 429).
import type { BatchItemResult, BatchResponse, EnrolResponse, TallyUploadResult, TeamConfig } from '$lib/domain/api';
import type { AnySessionTally } from '$lib/domain/tally';
import { compressText } from './compress';

export type ApiOutcome<T> =
	| { kind: 'ok'; value: T }
	| { kind: 'refused'; status: number; code: string; message: string; field?: string }
	| { kind: 'retry'; status: number | null; message: string };

const TIMEOUT_MS = 20_000;

async function call<T>(url: string, init: RequestInit, read: (r: Response) => Promise<T>): Promise<ApiOutcome<T>> {
	let response: Response;
	try {
		response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), cache: 'no-store' });
	} catch (e) {
		return { kind: 'retry', status: null, message: e instanceof Error ? e.message : String(e) };
	}
	if (response.ok || response.status === 304) {
		// The connection can die after the status line: the server may have acted, but the tablet
		// did not hear its answer, so this is a retry like any network failure (uploads are
		// idempotent). Thrown, it would abort the whole send run and stall every row behind it.
		try {
			return { kind: 'ok', value: await read(response) };
		} catch (e) {
			return { kind: 'retry', status: response.status, message: e instanceof Error ? e.message : String(e) };
		}
	}
	const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; field?: string } } | null;
	const message = body?.error?.message ?? `HTTP ${response.status}`;
	if (response.status >= 500 || response.status === 429 || response.status === 408) {
		return { kind: 'retry', status: response.status, message };
	}
	return { kind: 'refused', status: response.status, code: body?.error?.code ?? 'http_error', message, field: body?.error?.field };
}

const jsonHeaders = (token?: string) => ({
	'content-type': 'application/json',
	...(token ? { authorization: `Bearer ${token}` } : {})
});

export function enrolDevice(origin: string, code: string, label: string): Promise<ApiOutcome<EnrolResponse>> {
	return call(`${origin}/api/v1/devices/enroll`, { method: 'POST', headers: jsonHeaders(), body: JSON.stringify({ code, label }) }, (r) =>
		r.json()
	);
}

/** null when the server says nothing changed since `etag`. */
export function fetchConfig(origin: string, token: string, etag: string | null): Promise<ApiOutcome<TeamConfig | null>> {
	const headers: Record<string, string> = { authorization: `Bearer ${token}` };
	if (etag) headers['if-none-match'] = `"${etag}"`;
	return call(`${origin}/api/v1/config`, { headers }, async (r) => (r.status === 304 ? null : ((await r.json()) as TeamConfig)));
}

export function uploadTally(origin: string, token: string, tally: AnySessionTally): Promise<ApiOutcome<TallyUploadResult>> {
	return call(`${origin}/api/v1/tallies`, { method: 'POST', headers: jsonHeaders(token), body: JSON.stringify(tally) }, async (r) => {
		const body = (await r.json()) as { result: TallyUploadResult };
		return body.result;
	});
}

/**
 * A backlog in one request (POST /tallies/batch), gzip-compressed: a week's tallies over a 2G link
 * in one round trip and a fifth of the bytes. One result per tally, in order.
 */
export async function uploadTallyBatch(origin: string, token: string, tallies: readonly AnySessionTally[]): Promise<ApiOutcome<BatchItemResult[]>> {
	const text = JSON.stringify({ tallies });
	const zipped = await compressText(text, 'gzip');
	const headers: Record<string, string> = jsonHeaders(token);
	if (zipped) headers['content-encoding'] = 'gzip';
	return call(`${origin}/api/v1/tallies/batch`, { method: 'POST', headers, body: zipped ? new Blob([zipped as BlobPart]) : text }, async (r) => ((await r.json()) as BatchResponse).results);
}

/** The team's monthly submission (issue 13): the answer says where the team's report stands. */
export function submitPeriod(
	origin: string,
	token: string,
	submission: import('$lib/domain/submission').PeriodSubmission
): Promise<ApiOutcome<import('./periodSubmission').SubmissionAnswerBody>> {
	return call(`${origin}/api/v1/submissions`, { method: 'POST', headers: jsonHeaders(token), body: JSON.stringify(submission) }, (r) => r.json());
}

/** Registers the public key the tablet signs its tally QR codes with (issue 15 §2). */
export function registerSigningKey(origin: string, token: string, key: JsonWebKey): Promise<ApiOutcome<{ result: string }>> {
	return call(`${origin}/api/v1/devices/signing-key`, { method: 'PUT', headers: jsonHeaders(token), body: JSON.stringify({ key }) }, (r) => r.json());
}
