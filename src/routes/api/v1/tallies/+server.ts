// A tablet uploads one closed session's tally. Exactly once per session UUID: the answer says
// whether it was stored, replaced an older version, or changed nothing.
import { json } from '@sveltejs/kit';
import { handleApi, MAX_TALLY_BODY_BYTES, readJson } from '$lib/server/api';
import { serverContext } from '$lib/server/context';
import { markUpload } from '$lib/server/devices';
import { ingestTally, requireUploader } from '$lib/server/ingest';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ request }) =>
	handleApi(async () => {
		const { db } = await serverContext();
		const now = new Date();
		const { device, facts } = await requireUploader(db, request, now);
		const { tally, result } = await ingestTally(db, device, await readJson(request, MAX_TALLY_BODY_BYTES), now, { facts });
		await markUpload(db, device, now);
		return json({ result, sessionId: tally.sessionId, version: tally.version }, { status: result === 'stored' ? 201 : 200 });
	});
