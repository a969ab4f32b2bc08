// A tablet registers the public half of the key it signs its tally QR codes with (issue 15 §2),
// once, over its token. The same key again is fine; another key is refused (server/tallyQr.ts).
import { json } from '@sveltejs/kit';
import { ApiError, handleApi, readJson } from '$lib/server/api';
import { serverContext } from '$lib/server/context';
import { requireDevice } from '$lib/server/deviceAuth';
import { registerSigningKey } from '$lib/server/tallyQr';
import type { RequestHandler } from './$types';

export const PUT: RequestHandler = ({ request }) =>
	handleApi(async () => {
		const { db } = await serverContext();
		const now = new Date();
		const device = await requireDevice(db, request, now);
		const body = await readJson(request, 2048);
		const key = typeof body === 'object' && body !== null ? (body as { key?: unknown }).key : undefined;
		const result = await registerSigningKey(db, device, key, now);
		if (result === 'invalid') throw new ApiError(422, 'invalid_key', 'The key is a P-256 public key as a JWK: { "key": { "kty": "EC", "crv": "P-256", "x": …, "y": … } }.', 'key');
		if (result === 'conflict') throw new ApiError(409, 'key_registered', 'This tablet already registered another signing key. Enrol it again to change it.', 'key');
		return json({ result }, { status: result === 'registered' ? 201 : 200 });
	});
