// The tablet's API calls when the connection dies half way through the server's answer: found by
// the network-flapping e2e test, where a cut answer escaped as an exception and stopped the run.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchConfig, uploadTally } from '$lib/kiosk/serverApi';
import { emptyCounts, type SessionTally } from '$lib/domain/tally';

const tally: SessionTally = {
	...emptyCounts(),
	schema: 1,
	sessionId: '6f1c1d1e-8a44-4b8e-9d55-0d6a2c2f4b11',
	version: 1,
	teamId: 'team-1',
	date: '2026-11-20',
	startedAt: '2026-11-20T01:00:00.000Z',
	endedAt: '2026-11-20T04:00:00.000Z',
	membersPresent: []
};

/** A 2xx whose body stops half way: the status line arrived, then the connection died. */
function cutAnswer(status: number, text: string): Response {
	const bytes = new TextEncoder().encode(text);
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(bytes.subarray(0, Math.floor(bytes.length / 2)));
			controller.error(new TypeError('network error'));
		}
	});
	return new Response(body, { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => vi.unstubAllGlobals());

describe('an answer cut off after its status', () => {
	it('makes an upload a retry, not an exception', async () => {
		vi.stubGlobal('fetch', async () => cutAnswer(201, JSON.stringify({ result: 'stored', sessionId: tally.sessionId, version: 1 })));
		const outcome = await uploadTally('https://server.test', 'token', tally);
		expect(outcome).toMatchObject({ kind: 'retry', status: 201 });
	});

	it('makes a configuration refresh a retry too', async () => {
		vi.stubGlobal('fetch', async () => cutAnswer(200, JSON.stringify({ version: 'v2', team: { id: 'team-1' } })));
		expect(await fetchConfig('https://server.test', 'token', 'v1')).toMatchObject({ kind: 'retry', status: 200 });
	});

	it('still reads a whole answer', async () => {
		vi.stubGlobal('fetch', async () => Response.json({ result: 'unchanged', sessionId: tally.sessionId, version: 1 }, { status: 200 }));
		expect(await uploadTally('https://server.test', 'token', tally)).toEqual({ kind: 'ok', value: 'unchanged' });
	});
});
