// Over-size bodies get the API's 413 answer, also when the tablet (or anyone) streams them chunked,
// through the same node request adapter the built server uses.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequest, setResponse } from '@sveltejs/kit/node';
import { json } from '@sveltejs/kit';
import { handleApi, MAX_TALLY_BODY_BYTES, readJson } from '$lib/server/api';

let server: http.Server;
let port: number;

beforeAll(async () => {
	server = http.createServer(async (req, res) => {
		// adapter-node's default BODY_SIZE_LIMIT.
		const request = await getRequest({ request: req, base: 'http://localhost', bodySizeLimit: 512 * 1024 });
		await setResponse(res, await handleApi(async () => json({ read: await readJson(request, MAX_TALLY_BODY_BYTES) })));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** POSTs `bytes` of JSON-ish text in 8 KiB chunks, with or without a content-length. */
function post(bytes: number, chunked: boolean): Promise<{ status: number; body: unknown }> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string | number> = { 'content-type': 'application/json' };
		if (chunked) headers['transfer-encoding'] = 'chunked';
		else headers['content-length'] = bytes;
		const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/tallies', headers });
		req.on('response', (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d: string) => (text += d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
		});
		req.on('error', reject);
		const chunk = Buffer.alloc(8192, ' ');
		for (let sent = 0; sent < bytes; sent += chunk.length) req.write(chunk.subarray(0, Math.min(chunk.length, bytes - sent)));
		req.end();
	});
}

const tooLarge = { error: { code: 'body_too_large', message: `The body is larger than ${MAX_TALLY_BODY_BYTES} bytes.` } };

describe('request body size', () => {
	it('answers 413 with the error body to a chunked upload over 64 KiB (issue 10), not a dropped connection', async () => {
		expect(await post(100 * 1024, true)).toEqual({ status: 413, body: tooLarge });
		// Far past adapter-node's own limit too.
		expect(await post(3 * 1024 * 1024, true)).toEqual({ status: 413, body: tooLarge });
	});

	it('answers 413 the same way to a declared over-size body', async () => {
		expect(await post(100 * 1024, false)).toEqual({ status: 413, body: tooLarge });
	});

	it('still reads a chunked body within the limit', async () => {
		expect(await post(60 * 1024, true)).toEqual({ status: 400, body: { error: { code: 'invalid_json', message: 'The body is not valid JSON.' } } });
	});
});
