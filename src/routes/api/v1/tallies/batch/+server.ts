// A tablet's backlog in one request (issue 15 §1): up to 100 tallies, plain or gzip-compressed,
// each checked and stored exactly as a single upload is (lib/server/ingest.ts), one result per
// item. A bad item refuses only itself; the request fails as a whole only for what concerns it
// all (the token, the body's size or shape).
import { json } from '@sveltejs/kit';
import { ApiError, handleApi, MAX_BATCH_BODY_BYTES, MAX_BATCH_INFLATED_BYTES, MAX_BATCH_TALLIES, readMaybeGzippedJson } from '$lib/server/api';
import { serverContext } from '$lib/server/context';
import { markUpload } from '$lib/server/devices';
import { ingestEach, requireUploader } from '$lib/server/ingest';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ request }) =>
	handleApi(async () => {
		const { db } = await serverContext();
		const now = new Date();
		const { device, facts } = await requireUploader(db, request, now);
		const body = await readMaybeGzippedJson(request, MAX_BATCH_BODY_BYTES, MAX_BATCH_INFLATED_BYTES);
		const tallies = typeof body === 'object' && body !== null ? (body as { tallies?: unknown }).tallies : undefined;
		if (!Array.isArray(tallies)) throw new ApiError(422, 'invalid_batch', 'The body is { "tallies": [ … ] }.', 'tallies');
		if (tallies.length === 0 || tallies.length > MAX_BATCH_TALLIES) {
			throw new ApiError(422, 'invalid_batch', `A batch holds 1 to ${MAX_BATCH_TALLIES} tallies.`, 'tallies');
		}
		// In order: the same session twice in one batch is stored, then unchanged.
		const results = await ingestEach(db, device, tallies, now, { facts });
		await markUpload(db, device, now);
		return json({ results });
	});
