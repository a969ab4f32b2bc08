import type { Handle, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { serverContext } from '$lib/server/context';
import { sessionUser } from '$lib/server/users';
import { SESSION_COOKIE } from '$lib/server/auth';
import { crossSiteFormRefusal, originRefusalResponse } from '$lib/server/originCheck';

// Open and migrate the database at start, not on the first request (and not while prerendering).
export const init: ServerInit = async () => {
	if (!building) await serverContext();
};

// Tablets may be served the app from one address and upload to another: the device API answers
// any origin. It uses bearer tokens, never cookies, so this opens nothing to other sites.
const DEVICE_API = /^\/api\/v1\/(devices\/enroll|config|tallies)$/;
const CORS_HEADERS = {
	'access-control-allow-origin': '*',
	'access-control-allow-methods': 'GET, POST, OPTIONS',
	'access-control-allow-headers': 'authorization, content-type, if-none-match',
	'access-control-expose-headers': 'etag',
	'access-control-max-age': '86400'
};

export const handle: Handle = async ({ event, resolve }) => {
	const refusal = crossSiteFormRefusal(event.request, event.url);
	if (refusal) return originRefusalResponse(refusal, event.request.headers.get('accept'));
	if (DEVICE_API.test(event.url.pathname)) {
		if (event.request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS });
		const response = await resolve(event);
		for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
		return response;
	}
	event.locals.user = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token && !building && (event.url.pathname.startsWith('/admin') || event.url.pathname.startsWith('/api/'))) {
		const { db } = await serverContext();
		event.locals.user = await sessionUser(db, token, new Date());
	}
	return resolve(event);
};
