// An enrolled tablet refreshes its team, roster and skills catalog (ETag: unchanged → 304).
import { json } from '@sveltejs/kit';
import { handleApi } from '$lib/server/api';
import { serverContext } from '$lib/server/context';
import { requireDevice } from '$lib/server/deviceAuth';
import { tabletConfig } from '$lib/server/tabletConfig';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ request }) =>
	handleApi(async () => {
		const { db } = await serverContext();
		const device = await requireDevice(db, request, new Date());
		const config = await tabletConfig(db, device.team_id);
		const etag = `"${config.version}"`;
		if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
		return json(config, { headers: { etag, 'cache-control': 'no-store' } });
	});
