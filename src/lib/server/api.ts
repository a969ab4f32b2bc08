// The tablet API's conventions: every error is { error: { code, message, field? } } with a
// fitting status; bodies are size-checked before they are parsed.
import { gunzipSync } from 'node:zlib';
import { json } from '@sveltejs/kit';

export const MAX_TALLY_BODY_BYTES = 64 * 1024;
/** A batch of tallies (issue 15): on the wire, and once inflated. */
export const MAX_BATCH_BODY_BYTES = 256 * 1024;
export const MAX_BATCH_INFLATED_BYTES = 2 * 1024 * 1024;
export const MAX_BATCH_TALLIES = 100;

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly field?: string,
		readonly headers?: Record<string, string>
	) {
		super(message);
	}
}

export function errorResponse(e: ApiError, headers?: Record<string, string>): Response {
	return json({ error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } }, { status: e.status, headers });
}

/** Runs a handler; ApiErrors become their JSON answer, anything else a logged 500 without details. */
export async function handleApi(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (e) {
		if (e instanceof ApiError) return errorResponse(e, e.status === 429 ? { 'retry-after': '60' } : e.headers);
		console.error('api: unexpected error', e);
		return errorResponse(new ApiError(500, 'internal', 'The server could not handle this request.'));
	}
}

/** How much of an over-size body without a declared length is read and thrown away before answering. */
const MAX_DISCARDED_BYTES = 1024 * 1024;

/**
 * Reads past an over-size body so the 413 reaches the client. Cancelling the stream would destroy
 * the socket (adapter-node) and a chunked upload would see a dropped connection instead; past
 * MAX_DISCARDED_BYTES (or adapter-node's BODY_SIZE_LIMIT, which errors the stream) reading stops.
 * Whether the body was read to its end: if not, the connection cannot carry another request.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
	let discarded = 0;
	try {
		while (discarded <= MAX_DISCARDED_BYTES) {
			const { done, value } = await reader.read();
			if (done) return true;
			discarded += value.byteLength;
		}
	} catch {
		// The stream gave up on its own size limit: nothing more to read.
	}
	return false;
}

/** Reads a JSON body of at most `limit` bytes (413 beyond it, declared or chunked; 400 if it is not JSON). */
export async function readJson(request: Request, limit: number): Promise<unknown> {
	return parseJson(await readBytes(request, limit));
}

/**
 * A JSON body that may come gzip-compressed (`Content-Encoding: gzip`): a week's tallies from a
 * village on a 2G link. `limit` bounds the bytes on the wire, `inflatedLimit` what they inflate to.
 */
export async function readMaybeGzippedJson(request: Request, limit: number, inflatedLimit: number): Promise<unknown> {
	const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
	if (encoding === 'identity') return readJson(request, Math.min(limit, inflatedLimit));
	if (encoding !== 'gzip') throw new ApiError(415, 'unsupported_encoding', 'The body may be sent plain or gzip-compressed.');
	const compressed = await readBytes(request, limit);
	let inflated: Buffer;
	try {
		inflated = gunzipSync(compressed, { maxOutputLength: inflatedLimit });
	} catch (e) {
		if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
			throw new ApiError(413, 'body_too_large', `The body inflates to more than ${inflatedLimit} bytes.`);
		}
		throw new ApiError(400, 'invalid_gzip', 'The body is not valid gzip.');
	}
	return parseJson(inflated);
}

async function readBytes(request: Request, limit: number): Promise<Buffer> {
	const tooLarge = (headers?: Record<string, string>) => new ApiError(413, 'body_too_large', `The body is larger than ${limit} bytes.`, undefined, headers);
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > limit) throw tooLarge();
	const reader = request.body?.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	while (reader) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			throw tooLarge((await discardRest(reader)) ? undefined : { connection: 'close' });
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks);
}

function parseJson(bytes: Uint8Array): unknown {
	const text = new TextDecoder().decode(bytes);
	try {
		return JSON.parse(text);
	} catch {
		throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.');
	}
}

export function bearerToken(request: Request): string | null {
	const header = request.headers.get('authorization') ?? '';
	const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header.trim());
	return match?.[1] ?? null;
}
