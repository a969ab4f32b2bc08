// Fuzzes the real request handlers (the +server.ts files and admin form actions) with what a
// broken tablet, a confused script or an attacker might send: arbitrary JSON, near-valid tallies,
// text that is not JSON, wrong content types, oversized and lying bodies, odd query strings and
// headers. Whatever comes in, the answer is one of the documented statuses, never a 500, and a
// refusal says what was wrong: { error: { code, message, field? } }, with `field` on every 422.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RequestEvent } from '@sveltejs/kit';
import type { SessionTally } from '$lib/domain/tally';
import { isPeriodKey, localDateOf, periodOf } from '$lib/domain/period';
import type { User } from '$lib/server/db/schema';
import { ENGINES, TEST_POSTGRES_URL } from '../../fixtures/serverDb';
import type { Engine } from '$lib/server/db/connect';
import { sampleTally } from '../../fixtures/tallies';
import { checkName } from '$lib/domain/text';
import { LOGIN_TRIES_PER_ADDRESS } from '$lib/server/context';

const MAX_TALLY_BYTES = 64 * 1024;
/** fast-check runs per property (about 7 × this many requests in all); PostgreSQL is slower per query. */
const RUNS: Record<Engine, number> = { sqlite: 1000, postgres: 150 };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------------------------------------
// A fresh database URL per engine (the server context opens it from DATABASE_URL).

async function freshUrl(engine: Engine): Promise<{ url: string; drop: () => Promise<void> }> {
	if (engine === 'sqlite') {
		const dir = mkdtempSync(join(tmpdir(), 'tramso-fuzz-'));
		return { url: `file:${join(dir, 'fuzz.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
	}
	const schema = `fuzz_${randomBytes(6).toString('hex')}`;
	const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
	await client.connect();
	await client.query(`CREATE SCHEMA ${schema}`);
	await client.end();
	const url = new URL(TEST_POSTGRES_URL);
	url.searchParams.set('options', `-c search_path=${schema}`);
	return {
		url: url.toString(),
		drop: async () => {
			const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
			await cleanup.connect();
			await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
			await cleanup.end();
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Requests and the checks every answer must pass

let addressCounter = 0;
/** A new client address per request: the enrolment limit (10 a minute per address) is tested on its own. */
const nextAddress = () => `10.${(++addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;

/** The slice of a RequestEvent the handlers read. */
function event(
	request: Request,
	extra: { locals?: { user: User | null }; params?: Record<string, string>; address?: string; setCookie?: (name: string, value: string, options: object) => void } = {}
) {
	const address = extra.address ?? nextAddress();
	const cookies = { get: () => undefined, set: extra.setCookie ?? (() => undefined), delete: () => undefined, getAll: () => [], serialize: () => '' };
	return {
		request,
		url: new URL(request.url),
		params: extra.params ?? {},
		locals: extra.locals ?? { user: null },
		cookies,
		getClientAddress: () => address
	} as Partial<RequestEvent> as never;
}

interface Answer {
	status: number;
	body: unknown;
}

async function answerOf(response: Response): Promise<Answer> {
	const text = await response.text();
	let body: unknown = null;
	if (text) {
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
	}
	return { status: response.status, body };
}

/** The documented error shape; a 422 names the field. Returns the error for further checks. */
function expectErrorBody(answer: Answer): { code: string; message: string; field?: string } {
	const error = (answer.body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
	expect(error, `HTTP ${answer.status} without {error}: ${JSON.stringify(answer.body)}`).toBeTruthy();
	expect(typeof error!.code).toBe('string');
	expect((error!.code as string).length).toBeGreaterThan(0);
	expect(typeof error!.message).toBe('string');
	expect((error!.message as string).trim().length).toBeGreaterThan(0);
	if (answer.status === 422) {
		expect(typeof error!.field, `422 without a field: ${JSON.stringify(error)}`).toBe('string');
		expect((error!.field as string).length).toBeGreaterThan(0);
	}
	return error as { code: string; message: string; field?: string };
}

function expectDocumented(answer: Answer, allowed: readonly number[], context: unknown) {
	expect(allowed, `HTTP ${answer.status} for ${JSON.stringify(context)?.slice(0, 300)}: ${JSON.stringify(answer.body)?.slice(0, 300)}`).toContain(answer.status);
	if (answer.status >= 400) expectErrorBody(answer);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Values that break validators: wrong types, edge numbers, numbers as text, huge and odd strings, deep nesting. */
const nastyValue: fc.Arbitrary<Json> = fc.oneof(
	fc.constantFrom<Json>(null, true, false, [], {}, '', 'NaN', 'Infinity', '-1', '1e308', '0x10', ' 1', '1 ', '１', '__proto__', 'constructor'),
	fc.constantFrom<Json>(-1, -0, 0.5, 1e308, -1e308, 2 ** 53, 1_000_001, Number.MIN_VALUE, 1e-7),
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.constantFrom('x'.repeat(10_000), 'ạ'.repeat(5_000), '\u0000'.repeat(20), '\u202e\u200b\ufeff', '😀'.repeat(100)),
	fc.integer({ min: 1, max: 2_000 }).map((depth) => {
		let v: Json = 1;
		for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
		return v;
	}),
	fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>
);

/** Every path into an object, leaves and inner objects alike. */
function pathsOf(value: Json, prefix: string[] = []): string[][] {
	if (value === null || typeof value !== 'object') return [prefix];
	const inner = Array.isArray(value) ? value.map((v, i) => pathsOf(v, [...prefix, String(i)])) : Object.entries(value).map(([k, v]) => pathsOf(v, [...prefix, k]));
	return [...(prefix.length ? [prefix] : []), ...inner.flat()];
}

type Mutation = { kind: 'replace'; path: string[]; value: Json } | { kind: 'remove'; path: string[] } | { kind: 'add'; path: string[]; key: string; value: Json };

function mutate(base: Json, m: Mutation): Json {
	const copy = structuredClone(base) as Record<string, Json>;
	const parentPath = m.kind === 'add' ? m.path : m.path.slice(0, -1);
	let parent: Json = copy;
	for (const key of parentPath) parent = (parent as Record<string, Json>)[key]!;
	if (parent === null || typeof parent !== 'object') return copy;
	const target = parent as Record<string, Json>;
	if (m.kind === 'replace') target[m.path.at(-1)!] = m.value;
	else if (m.kind === 'remove') {
		if (Array.isArray(target)) target.splice(Number(m.path.at(-1)), 1);
		else delete target[m.path.at(-1)!];
	} else if (!Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
	return copy;
}

function mutationOf(base: Json): fc.Arbitrary<Mutation> {
	const paths = pathsOf(base);
	const objects = [[] as string[], ...paths.filter((p) => {
		let v: Json = base;
		for (const k of p) v = (v as Record<string, Json>)[k]!;
		return v !== null && typeof v === 'object' && !Array.isArray(v);
	})];
	return fc.oneof(
		fc.record({ kind: fc.constant('replace' as const), path: fc.constantFrom(...paths), value: nastyValue }),
		fc.record({ kind: fc.constant('remove' as const), path: fc.constantFrom(...paths) }),
		fc.record({
			kind: fc.constant('add' as const),
			path: fc.constantFrom(...objects),
			key: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'extra')),
			value: nastyValue
		})
	);
}

/** Text that is not JSON, or JSON that is not what was asked for. */
const notJsonText = fc.oneof(
	fc.string({ unit: 'grapheme', maxLength: 200 }),
	fc.constantFrom('', ' ', '{', '{"code":', '[1,2', 'null', 'true', '"code"', '{"a":1}}', '\ufeff{}', 'NaN', '{"code": NaN}', "{'code':'x'}", '{"__proto__":{"admin":true}}'),
	fc.jsonValue().map((v) => JSON.stringify(v)),
	fc.integer({ min: 1_000, max: 30_000 }).map((n) => '['.repeat(n) + ']'.repeat(n))
);

/** A body as bytes: text, or bytes that are not UTF-8 at all. */
const rawBody = fc.oneof(notJsonText.map((t) => new TextEncoder().encode(t)), fc.uint8Array({ maxLength: 300 }));

const contentType = fc.constantFrom(
	'application/json',
	'application/json; charset=utf-8',
	'text/plain',
	'application/x-www-form-urlencoded',
	'multipart/form-data; boundary=x',
	'application/xml',
	'',
	'application/json; charset=latin1'
);

/** Oversized bodies: declared honestly, not declared (streamed), or declared small and then sent large. */
function oversized(limit: number) {
	return fc.record({ extra: fc.integer({ min: 1, max: 3 * limit }), declare: fc.constantFrom('honest', 'none', 'lie') });
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
	const chunk = 16 * 1024;
	let offset = 0;
	return new ReadableStream({
		pull(controller) {
			if (offset >= bytes.length) return controller.close();
			controller.enqueue(bytes.slice(offset, offset + chunk));
			offset += chunk;
		}
	});
}

function post(path: string, body: Uint8Array | string, headers: Record<string, string> = {}, declare: 'honest' | 'none' | 'lie' = 'honest'): Request {
	const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
	const h = new Headers(headers);
	if (declare === 'honest') h.set('content-length', String(bytes.length));
	if (declare === 'lie') h.set('content-length', '10');
	return new Request(`http://kiosk.test${path}`, { method: 'POST', headers: h, body: declare === 'honest' ? bytes : streamOf(bytes), duplex: 'half' } as RequestInit);
}

// ---------------------------------------------------------------------------------------------

for (const engine of ENGINES) {
	describe(`API fuzz on ${engine}`, { timeout: 120_000 }, () => {
		const runs = RUNS[engine];
		let drop: () => Promise<void> = async () => undefined;
		let close: () => Promise<void> = async () => undefined;
		let routes: {
			enroll: typeof import('../../../src/routes/api/v1/devices/enroll/+server');
			tallies: typeof import('../../../src/routes/api/v1/tallies/+server');
			batch: typeof import('../../../src/routes/api/v1/tallies/batch/+server');
			submissions: typeof import('../../../src/routes/api/v1/submissions/+server');
			config: typeof import('../../../src/routes/api/v1/config/+server');
			monthly: typeof import('../../../src/routes/api/v1/reports/monthly/+server');
			login: typeof import('../../../src/routes/admin/login/+page.server');
			units: typeof import('../../../src/routes/admin/units/+page.server');
			activities: typeof import('../../../src/routes/admin/teams/[id]/activities/+page.server');
			approvals: typeof import('../../../src/routes/admin/approvals/+page.server');
			signingKey: typeof import('../../../src/routes/api/v1/devices/signing-key/+server');
		};
		let newCode: () => Promise<string>;
		const world = {} as {
			token: string;
			revokedToken: string;
			teamA1: string;
			teamB1: string;
			communeA: string;
			communeB: string;
			villageA1: string;
			officerA: User;
			leaderA1: User;
			admin: User;
			tally: SessionTally;
		};

		beforeAll(async () => {
			const fresh = await freshUrl(engine);
			drop = fresh.drop;
			process.env.DATABASE_URL = fresh.url;
			process.env.DEMO_DATA = 'off';
			process.env.ADMIN_PASSWORD = 'fuzz-hall-keeper-pass';
			// A fresh module graph: the server context is a process-wide singleton per engine.
			vi.resetModules();
			const { serverContext } = await import('$lib/server/context');
			const ctx = await serverContext();
			close = () => ctx.db.destroy();
			routes = {
				enroll: await import('../../../src/routes/api/v1/devices/enroll/+server'),
				tallies: await import('../../../src/routes/api/v1/tallies/+server'),
				batch: await import('../../../src/routes/api/v1/tallies/batch/+server'),
				submissions: await import('../../../src/routes/api/v1/submissions/+server'),
				config: await import('../../../src/routes/api/v1/config/+server'),
				monthly: await import('../../../src/routes/api/v1/reports/monthly/+server'),
				login: await import('../../../src/routes/admin/login/+page.server'),
				units: await import('../../../src/routes/admin/units/+page.server'),
				activities: await import('../../../src/routes/admin/teams/[id]/activities/+page.server'),
				approvals: await import('../../../src/routes/admin/approvals/+page.server'),
				signingKey: await import('../../../src/routes/api/v1/devices/signing-key/+server')
			};
			const { createUnit } = await import('$lib/server/orgTree');
			const { createTeam, addMember } = await import('$lib/server/teams');
			const { createEnrolmentCode, enrollDevice, revokeDevice } = await import('$lib/server/devices');
			const { createUser } = await import('$lib/server/users');
			const db = ctx.db;
			const now = new Date();
			const actor = 'system';
			const province = await createUnit(db, { name: 'Tỉnh Thử', kind: 'province', parentId: null, actor, now });
			const communeA = await createUnit(db, { name: 'Xã A', kind: 'commune', parentId: province.id, actor, now });
			const communeB = await createUnit(db, { name: 'Xã B', kind: 'commune', parentId: province.id, actor, now });
			const villageA1 = await createUnit(db, { name: 'Thôn A1', kind: 'village', parentId: communeA.id, actor, now });
			const villageB1 = await createUnit(db, { name: 'Thôn B1', kind: 'village', parentId: communeB.id, actor, now });
			const team = (unitId: string, name: string) => createTeam(db, { unitId, name, level: 'village', phase: 'pilot', establishedOn: '2022-10-15', actor, now });
			const teamA1 = await team(villageA1.id, 'Tổ A1');
			const teamB1 = await team(villageB1.id, 'Tổ B1');
			const members = [];
			for (const [fullName, role] of [['Nguyễn Văn An', 'leader'], ['Trần Thị Bình', 'deputy'], ['Lê Văn Cường', 'member']] as const) {
				members.push(await addMember(db, { teamId: teamA1.id, fullName, role, background: '', joinedOn: '2022-10-15', actor, now }));
			}
			newCode = async () => (await createEnrolmentCode(db, { teamId: teamA1.id, createdBy: null, now: new Date() })).code;
			const enrolled = await enrollDevice(db, { code: await newCode(), label: 'A1', now });
			const revoked = await enrollDevice(db, { code: await newCode(), label: 'A1 cũ', now });
			if (!enrolled.ok || !revoked.ok) throw new Error('enrolment failed in setup');
			await revokeDevice(db, { deviceId: revoked.deviceId, actor, now });
			const user = (username: string, role: 'officer' | 'leader', scope: { unitId?: string; teamId?: string }) =>
				createUser(db, { username, displayName: username, password: 'fuzz-password-1', role, ...scope, actor, now });
			Object.assign(world, {
				token: enrolled.token,
				revokedToken: revoked.token,
				teamA1: teamA1.id,
				teamB1: teamB1.id,
				communeA: communeA.id,
				communeB: communeB.id,
				villageA1: villageA1.id,
				officerA: await user('officer.a', 'officer', { unitId: communeA.id }),
				leaderA1: await user('leader.a1', 'leader', { teamId: teamA1.id }),
				admin: await db.selectFrom('users').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow()
			});
			const [m1, m2, m3] = members.map((m) => m.id) as [string, string, string];
			world.tally = sampleTally({ sessionId: randomUUID(), teamId: teamA1.id, memberIds: [m1, m2, m3] });
		});

		afterAll(async () => {
			await close();
			await drop();
			delete process.env.DATABASE_URL;
		});

		const TALLY_STATUSES = [200, 201, 400, 401, 403, 409, 413, 422] as const;
		const bearer = () => ({ authorization: `Bearer ${world.token}`, 'content-type': 'application/json' });
		const upload = async (body: Uint8Array | string, headers: Record<string, string> = bearer(), declare: 'honest' | 'none' | 'lie' = 'honest') =>
			answerOf(await routes.tallies.POST(event(post('/api/v1/tallies', body, headers, declare))));

		const uploadBatch = async (body: Uint8Array | string, headers: Record<string, string> = bearer()) =>
			answerOf(await routes.batch.POST(event(post('/api/v1/tallies/batch', body, headers))));
		const freshTally = () => ({ ...world.tally, sessionId: randomUUID() });
		type BatchAnswer = { results: ({ sessionId: string; result: string } | { sessionId: string | null; status: number; error: { code: string; field?: string } })[] };

		it('POST /tallies/batch: 50 sessions in one request, one bad item refused alone, a repeat unchanged; resent, all unchanged', async () => {
			const tallies = Array.from({ length: 50 }, freshTally);
			const otherTeams = { ...freshTally(), teamId: world.teamB1 };
			const body = JSON.stringify({ tallies: [...tallies.slice(0, 20), otherTeams, ...tallies.slice(20), tallies[0]] });
			const first = await uploadBatch(body);
			expect(first.status).toBe(200);
			const results = (first.body as BatchAnswer).results;
			expect(results).toHaveLength(52);
			expect(results.filter((r) => 'result' in r && r.result === 'stored')).toHaveLength(50);
			expect(results[20]).toEqual({ sessionId: otherTeams.sessionId, status: 403, error: expect.objectContaining({ code: 'wrong_team', field: 'teamId' }) });
			expect(results[51]).toMatchObject({ sessionId: tallies[0]!.sessionId, result: 'unchanged' });
			const { serverContext } = await import('$lib/server/context');
			const { db } = await serverContext();
			const stored = await db.selectFrom('session_tallies').select('session_id').where('session_id', 'in', [...tallies.map((t) => t.sessionId), otherTeams.sessionId]).execute();
			expect(stored).toHaveLength(50);
			// The answer was lost: the tablet sends the same batch again.
			const again = (await uploadBatch(body)).body as BatchAnswer;
			expect(again.results.filter((r) => 'result' in r && r.result === 'unchanged')).toHaveLength(51);
		});

		it('POST /tallies/batch: a gzip-compressed body is read; a bomb, broken gzip, 101 items or a body of another shape are refused whole', async () => {
			const { gzipSync } = await import('node:zlib');
			const tallies = Array.from({ length: 30 }, freshTally);
			const gz = { ...bearer(), 'content-encoding': 'gzip' };
			const zipped = await uploadBatch(gzipSync(JSON.stringify({ tallies })), gz);
			expect(zipped.status).toBe(200);
			expect((zipped.body as BatchAnswer).results.every((r) => 'result' in r && r.result === 'stored')).toBe(true);
			const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, ' '));
			expect(bomb.length).toBeLessThan(256 * 1024);
			expect((await uploadBatch(bomb, gz)).status).toBe(413);
			expect((await uploadBatch(new Uint8Array([1, 2, 3, 4]), gz)).status).toBe(400);
			expect((await uploadBatch('{}', { ...bearer(), 'content-encoding': 'br' })).status).toBe(415);
			const tooMany = await uploadBatch(JSON.stringify({ tallies: Array.from({ length: 101 }, freshTally) }));
			expect(tooMany).toMatchObject({ status: 422, body: { error: { code: 'invalid_batch', field: 'tallies' } } });
			expect((await uploadBatch(JSON.stringify([world.tally]))).status).toBe(422);
			expect((await uploadBatch(JSON.stringify({ tallies: [] }))).status).toBe(422);
			expect((await uploadBatch(JSON.stringify({ tallies: [world.tally] }), { authorization: `Bearer ${world.revokedToken}` })).status).toBe(401);
		});

		it('POST /tallies/batch: any items at all get one documented answer each, never a 500', async () => {
			await fc.assert(
				fc.asyncProperty(fc.array(fc.oneof(fc.jsonValue(), fc.constant(freshTally())), { minLength: 1, maxLength: 5 }), async (items) => {
					const answer = await uploadBatch(JSON.stringify({ tallies: items }));
					expect(answer.status).toBe(200);
					const results = (answer.body as BatchAnswer).results;
					expect(results).toHaveLength(items.length);
					for (const r of results) if ('error' in r) expect([403, 409, 422]).toContain(r.status);
				}),
				{ numRuns: Math.max(20, Math.floor(runs / 10)) }
			);
		});

		it('the unmutated tally is stored: the fuzzing starts from a body the server accepts', async () => {
			const answer = await upload(JSON.stringify(world.tally));
			expect(answer.status).toBe(201);
			expect(answer.body).toMatchObject({ result: 'stored', sessionId: world.tally.sessionId });
		});

		it("POST /tallies: the issue's dates get 422 naming the field, and nothing is stored (issue 10)", async () => {
			const at = (date: string, startedAt: string, endedAt: string) => ({ ...world.tally, sessionId: randomUUID(), date, startedAt, endedAt });
			const tomorrowPlus2 = new Date(Date.now() + 3 * 86_400_000).toISOString();
			const cases: [object, string, RegExp][] = [
				[at('2026-02-31', '2026-02-28T01:00:00.000Z', '2026-02-28T02:00:00.000Z'), 'date', /calendar/],
				[at('0001-01-01', '0001-01-01T01:00:00.000Z', '0001-01-01T02:00:00.000Z'), 'date', /before the team was established/],
				[at('9999-12-31', '9999-12-31T01:00:00.000Z', '9999-12-31T02:00:00.000Z'), 'date', /after today/],
				[at(tomorrowPlus2.slice(0, 10), tomorrowPlus2, tomorrowPlus2), 'date', /after today/],
				[at('2022-10-14', '2022-10-14T01:00:00.000Z', '2022-10-14T02:00:00.000Z'), 'date', /before the team was established/],
				[at('2026-11-20', '2020-01-01T01:00:00.000Z', '2030-01-01T01:00:00.000Z'), 'startedAt', /within a day/],
				[{ ...world.tally, sessionId: randomUUID(), membersPresent: Array.from({ length: 50 }, () => world.tally.membersPresent[0]) }, 'membersPresent', /twice/]
			];
			for (const [tally, field, message] of cases) {
				const answer = await upload(JSON.stringify(tally));
				expect(answer.status, JSON.stringify(tally)).toBe(422);
				expect(answer.body).toMatchObject({ error: { code: 'invalid_tally', field, message: expect.stringMatching(message) } });
			}
			const { db } = await (await import('$lib/server/context')).serverContext();
			const ids = cases.map(([t]) => (t as { sessionId: string }).sessionId);
			expect(await db.selectFrom('session_tallies').select('session_id').where('session_id', 'in', ids).execute()).toEqual([]);
		});

		it('POST /tallies: near-valid tallies (one field replaced, removed or added) get a documented answer naming the field', async () => {
			await fc.assert(
				fc.asyncProperty(mutationOf(world.tally as unknown as Json), fc.boolean(), async (m, freshSession) => {
					const base = { ...world.tally, ...(freshSession ? { sessionId: randomUUID() } : {}) } as unknown as Json;
					const body = mutate(base, m);
					const answer = await upload(JSON.stringify(body));
					expectDocumented(answer, TALLY_STATUSES, m);
					// A value of the wrong type at a field the schema knows: the refusal names that field
					// (or a place inside the value put there).
					const typeBroken = m.kind === 'replace' && (m.value === null || typeof m.value === 'boolean' || Array.isArray(m.value) || (typeof m.value === 'object' && typeof getAt(base, m.path) !== 'object'));
					if (typeBroken && answer.status === 422) {
						const field = expectErrorBody(answer).field!;
						const path = m.path.join('.');
						expect(field === path || field.startsWith(`${path}.`), `${field} for ${JSON.stringify(m)}`).toBe(true);
					}
				}),
				{ numRuns: runs * 2 }
			);
		});

		it('POST /tallies: arbitrary JSON, text that is not JSON and bytes that are not UTF-8 are refused with 400 or 422', async () => {
			await fc.assert(
				fc.asyncProperty(fc.oneof(fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))), rawBody), contentType, async (bytes, type) => {
					const answer = await upload(bytes, { ...bearer(), 'content-type': type });
					expectDocumented(answer, [400, 413, 422], { bytes: Buffer.from(bytes).toString('base64').slice(0, 80), type });
				}),
				{ numRuns: runs }
			);
		});

		it('POST /tallies: bodies over 64 KiB get 413, however their size is declared', async () => {
			await fc.assert(
				fc.asyncProperty(oversized(MAX_TALLY_BYTES), async ({ extra, declare }) => {
					const padded = JSON.stringify({ ...world.tally, pad: 'x'.repeat(MAX_TALLY_BYTES + extra) });
					const answer = await upload(padded, bearer(), declare as 'honest');
					expectDocumented(answer, [413], { extra, declare });
				}),
				{ numRuns: 30 }
			);
		});

		it('POST /tallies: a missing, malformed, unknown or revoked token gets 401 before the body is read', async () => {
			const authorization = fc.oneof(
				fc.constant(undefined),
				fc.string({ maxLength: 60 }),
				fc.string({ maxLength: 250 }).map((s) => `Bearer ${s}`),
				fc.constantFrom(`Bearer ${'A'.repeat(43)}`, 'Bearer', 'bearer x', 'Basic YWRtaW46YWRtaW4='),
				fc.constant('revoked')
			);
			await fc.assert(
				fc.asyncProperty(authorization, async (auth) => {
					const headers: Record<string, string> = { 'content-type': 'application/json' };
					if (auth === 'revoked') headers.authorization = `Bearer ${world.revokedToken}`;
					else if (auth !== undefined) headers.authorization = auth;
					const answer = await upload(JSON.stringify(world.tally), headers);
					expectDocumented(answer, [401], auth);
				}),
				{ numRuns: runs / 2 }
			);
		});

		// The team's monthly submission (issue 13): the period of today, naming the stored tally.
		const submitBody = () => {
			const period = periodOf(localDateOf(new Date()));
			return { schema: 1, submissionId: randomUUID(), teamId: world.teamA1, period, sessions: [{ sessionId: world.tally.sessionId, version: 1 }], submittedAt: new Date().toISOString() };
		};
		const submit = async (body: Uint8Array | string, headers: Record<string, string> = bearer()) =>
			answerOf(await routes.submissions.POST(event(post('/api/v1/submissions', body, headers))));

		it('POST /submissions: a valid one is stored, its resend unchanged; near-valid ones get a documented answer naming the field', async () => {
			const valid = submitBody();
			expect((await submit(JSON.stringify(valid))).status).toBe(201);
			const again = await submit(JSON.stringify(valid));
			expect(again.status).toBe(200);
			expect(again.body).toMatchObject({ result: 'unchanged', submissionId: valid.submissionId });
			await fc.assert(
				fc.asyncProperty(mutationOf(valid as unknown as Json), fc.boolean(), async (m, freshId) => {
					const base = { ...valid, ...(freshId ? { submissionId: randomUUID() } : {}) } as unknown as Json;
					const answer = await submit(JSON.stringify(mutate(base, m)));
					expectDocumented(answer, [200, 201, 400, 403, 409, 422], m);
					if (answer.status >= 400) expect(expectErrorBody(answer).field, JSON.stringify(m)).toBeDefined();
				}),
				{ numRuns: runs }
			);
		});

		it('POST /submissions: arbitrary bodies get 400 or 422, a revoked or missing token 401, another team 403', async () => {
			await fc.assert(
				fc.asyncProperty(fc.oneof(fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))), rawBody), async (bytes) => {
					expectDocumented(await submit(bytes), [400, 413, 422], Buffer.from(bytes).toString('base64').slice(0, 80));
				}),
				{ numRuns: runs / 2 }
			);
			expect((await submit(JSON.stringify(submitBody()), { 'content-type': 'application/json', authorization: `Bearer ${world.revokedToken}` })).body).toMatchObject({ error: { code: 'device_revoked' } });
			expect((await submit(JSON.stringify(submitBody()), { 'content-type': 'application/json' })).status).toBe(401);
			const other = await submit(JSON.stringify({ ...submitBody(), teamId: world.teamB1 }));
			expect(other.status).toBe(403);
			expect(other.body).toMatchObject({ error: { code: 'wrong_team', field: 'teamId' } });
		});

		it("POST /tallies: another team's tally is refused with 403 naming teamId", async () => {
			const answer = await upload(JSON.stringify({ ...world.tally, sessionId: randomUUID(), teamId: world.teamB1 }));
			expect(answer.status).toBe(403);
			expect(expectErrorBody(answer)).toMatchObject({ code: 'wrong_team', field: 'teamId' });
		});

		const ENROL_STATUSES = [201, 400, 404, 409, 410, 413, 422] as const;
		const enrol = async (body: Uint8Array | string, headers: Record<string, string> = { 'content-type': 'application/json' }, address?: string, declare: 'honest' | 'none' | 'lie' = 'honest') =>
			answerOf(await routes.enroll.POST(event(post('/api/v1/devices/enroll', body, headers, declare), { address })));

		it('POST /devices/enroll: arbitrary bodies, codes and labels get a documented answer', async () => {
			const body = fc.oneof(
				fc.jsonValue().map((v) => JSON.stringify(v)),
				fc.record({ code: nastyValue, label: fc.option(nastyValue, { nil: undefined }) }).map((b) => JSON.stringify(b)),
				fc.record({ code: fc.string({ minLength: 4, maxLength: 40 }), extra: nastyValue }).map((b) => JSON.stringify(b)),
				notJsonText
			);
			await fc.assert(
				fc.asyncProperty(body, contentType, async (text, type) => {
					const answer = await enrol(text, { 'content-type': type });
					expectDocumented(answer, ENROL_STATUSES, text.slice(0, 200));
					expect(answer.status).not.toBe(201);
				}),
				{ numRuns: runs }
			);
		});

		it('POST /devices/enroll: a real code with any label enrols once, then says the code was used', async () => {
			const label = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('\u0000\u0000\u0000', ' \t\n ', '<script>alert(1)</script>'));
			await fc.assert(
				fc.asyncProperty(label, async (l) => {
					const code = await newCode();
					const first = await enrol(JSON.stringify({ code: code.toLowerCase(), label: l }));
					if (l.trim() !== '' && !checkName(l, 80).ok) {
						// A label no one could read is refused before the code is claimed (issue 10).
						expectDocumented(first, [422], l);
						expect((first.body as { error: { field: string } }).error.field).toBe('label');
						l = 'Máy thôn A1';
						expectDocumented(await enrol(JSON.stringify({ code, label: l })), [201], l);
					} else expectDocumented(first, [201], l);
					const again = await enrol(JSON.stringify({ code, label: l }));
					expectDocumented(again, [409], l);
				}),
				{ numRuns: Math.max(20, runs / 10) }
			);
		});

		it('POST /devices/enroll: bodies over 4 KiB get 413', async () => {
			await fc.assert(
				fc.asyncProperty(oversized(4096), async ({ extra, declare }) => {
					const answer = await enrol(JSON.stringify({ code: 'ABCD-EFGH-JKMN', label: 'x'.repeat(4096 + extra) }), undefined, undefined, declare as 'honest');
					expectDocumented(answer, [413], { extra, declare });
				}),
				{ numRuns: 20 }
			);
		});

		it('POST /devices/enroll: the 11th guess in a minute from one address gets 429, whatever it holds', async () => {
			const address = nextAddress();
			for (let i = 0; i < 10; i++) expect((await enrol(JSON.stringify({ code: `WRONG-CODE-${i}` }), undefined, address)).status).toBe(404);
			const answer = await enrol(JSON.stringify({ code: await newCode() }), undefined, address);
			expectDocumented(answer, [429], 'eleventh');
			// Another address is not held back by the first one's guessing.
			expect((await enrol(JSON.stringify({ code: 'WRONG-CODE-X' }))).status).toBe(404);
		});

		it('GET /config: any If-None-Match and any Authorization get 200, 304 or 401', async () => {
			const first = await routes.config.GET(event(new Request('http://kiosk.test/api/v1/config', { headers: { authorization: `Bearer ${world.token}` } })));
			expect(first.status).toBe(200);
			const etag = first.headers.get('etag')!;
			await fc.assert(
				fc.asyncProperty(
					fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(etag, `W/${etag}`, `${etag}, "x"`, '*', etag.slice(1, -1))),
					fc.constantFrom('good', 'revoked', 'none', 'junk'),
					async (ifNoneMatch, auth) => {
						const headers = new Headers();
						try {
							headers.set('if-none-match', ifNoneMatch);
						} catch {
							return; // not a header value a client can send
						}
						if (auth === 'good') headers.set('authorization', `Bearer ${world.token}`);
						if (auth === 'revoked') headers.set('authorization', `Bearer ${world.revokedToken}`);
						if (auth === 'junk') headers.set('authorization', `Bearer ${ifNoneMatch.replace(/[^A-Za-z0-9]/g, '')}`);
						const answer = await answerOf(await routes.config.GET(event(new Request('http://kiosk.test/api/v1/config', { headers }))));
						expectDocumented(answer, auth === 'good' ? [200, 304] : [401], { ifNoneMatch, auth });
						if (auth === 'good') expect(answer.status === 304).toBe(ifNoneMatch === etag);
					}
				),
				{ numRuns: runs }
			);
		});

		it('GET /reports/monthly: any unit and period, signed in or not, get 200, 400, 401, 403 or 404', async () => {
			const unit = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom(world.communeA, world.communeB, world.villageA1, `${world.communeA} `, '', '%00', '\u0000'));
			const period = fc.oneof(
				fc.string({ maxLength: 12 }),
				fc.constantFrom('2026-11', '2026-00', '2026-13', '2026-1', ' 2026-11', '2026-11\n', '99999-11', '0000-01', '2026-11-01', '２０２６-11')
			);
			const who = fc.constantFrom<User | null>(null, world.admin, world.officerA, world.leaderA1);
			await fc.assert(
				fc.asyncProperty(unit, period, who, fc.boolean(), async (u, p, user, repeat) => {
					const url = new URL('http://kiosk.test/api/v1/reports/monthly');
					url.searchParams.set('unit', u);
					url.searchParams.set('period', p);
					if (repeat) url.searchParams.append('unit', world.communeB);
					const answer = await answerOf(await routes.monthly.GET(event(new Request(url), { locals: { user } })));
					expectDocumented(answer, [200, 400, 401, 403, 404], { u, p, user: user?.username });
					if (!user) expect(answer.status).toBe(401);
					// Officer A never reads commune B, and a leader never reads another commune.
					if (user && user.role !== 'admin' && u === world.communeB && isPeriodKey(p)) expect(answer.status).toBe(403);
				}),
				{ numRuns: runs }
			);
		});

		// Form actions answer with fail(status, data) or a redirect; anything thrown besides a
		// redirect or an HTTP error would be a 500.
		async function runAction(run: () => unknown): Promise<{ status: number; data?: unknown }> {
			try {
				const out = (await run()) as { status?: number; data?: unknown } | undefined;
				if (out && typeof out === 'object' && 'status' in out && typeof out.status === 'number' && 'data' in out) return { status: out.status, data: out.data };
				return { status: 200, data: out };
			} catch (e) {
				const thrown = e as { status?: number; location?: string; body?: { message?: string } };
				if (typeof thrown?.status === 'number' && (thrown.location || thrown.body?.message)) return { status: thrown.status, data: thrown.location ?? thrown.body?.message };
				throw e;
			}
		}

		const form = (fields: Record<string, string | string[]>) => {
			const f = new FormData();
			for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) f.append(k, one);
			return f;
		};
		const formPost = (path: string, fields: Record<string, string | string[]>) => new Request(`http://kiosk.test${path}`, { method: 'POST', body: form(fields) });

		it('login action: any username and password is refused with a reason, never a crash', async () => {
			const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 50 }), fc.string({ unit: 'binary', maxLength: 50 }), fc.constantFrom('admin', ' ADMIN ', 'admin\u0000', "' OR 1=1 --", 'x'.repeat(5_000)));
			await fc.assert(
				fc.asyncProperty(text, text, async (username, password) => {
					const out = await runAction(() => routes.login.actions.default!(event(formPost('/admin/login', { username, password }))));
					expect([400, 429], JSON.stringify({ username, password, out }).slice(0, 300)).toContain(out.status);
					expect(['failed', 'rateLimited']).toContain((out.data as { error?: string }).error);
				}),
				{ numRuns: Math.max(20, runs / 10) }
			);
			// The right password signs in (a redirect), so the refusals above were about the input.
			const ok = await runAction(() => routes.login.actions.default!(event(formPost('/admin/login?next=/admin/teams', { username: 'Admin ', password: 'fuzz-hall-keeper-pass' }))));
			expect(ok).toEqual({ status: 303, data: '/admin/teams' });
		});

		it('login action: one address spraying a password over many usernames is stopped, whatever the usernames', async () => {
			// An office's officers behind one address sign in all day: right passwords do not count.
			const office = '198.51.100.20';
			for (let i = 0; i < LOGIN_TRIES_PER_ADDRESS + 1; i++) {
				const out = await runAction(() => routes.login.actions.default!(event(formPost('/admin/login', { username: 'admin', password: 'fuzz-hall-keeper-pass' }), { address: office })));
				expect(out.status).toBe(303);
			}
			const sprayer = '203.0.113.77';
			const statuses: number[] = [];
			for (let i = 0; i < LOGIN_TRIES_PER_ADDRESS + 1; i++) {
				const out = await runAction(() => routes.login.actions.default!(event(formPost('/admin/login', { username: `nobody${i}`, password: 'Password1234' }), { address: sprayer })));
				statuses.push(out.status);
			}
			expect(statuses.slice(0, LOGIN_TRIES_PER_ADDRESS).every((s) => s === 400)).toBe(true);
			expect(statuses.at(-1)).toBe(429);
			// Even the right password waits from that address; another address signs in.
			const right = formPost('/admin/login', { username: 'admin', password: 'fuzz-hall-keeper-pass' });
			expect((await runAction(() => routes.login.actions.default!(event(right, { address: sprayer })))).status).toBe(429);
			const elsewhere = formPost('/admin/login', { username: 'admin', password: 'fuzz-hall-keeper-pass' });
			expect((await runAction(() => routes.login.actions.default!(event(elsewhere)))).status).toBe(303);
		});

		it('login action: the session cookie is Secure when the request came over HTTPS (adapter-node: ORIGIN or PROTOCOL_HEADER), never readable by scripts', async () => {
			for (const origin of ['https://tramso.example.vn', 'http://127.0.0.1:3000']) {
				const set: { name: string; options: Record<string, unknown> }[] = [];
				const request = new Request(`${origin}/admin/login`, { method: 'POST', body: form({ username: 'admin', password: 'fuzz-hall-keeper-pass' }) });
				const out = await runAction(() => routes.login.actions.default!(event(request, { setCookie: (name, _value, options) => set.push({ name, options: options as Record<string, unknown> }) })));
				expect(out.status).toBe(303);
				expect(set).toHaveLength(1);
				expect(set[0]).toMatchObject({ name: 'tramso_session', options: { httpOnly: true, sameSite: 'strict', path: '/', secure: origin.startsWith('https:') } });
			}
		});

		it("units create action: any fields get saved, a 400 naming the problem, or a 403 outside the officer's commune", async () => {
			const field = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 130 }), nastyValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
			const parent = fc.oneof(field, fc.constantFrom(world.communeA, world.communeB, world.villageA1, ''));
			const kind = fc.oneof(field, fc.constantFrom('village', 'commune', 'residentialGroup', 'province'));
			await fc.assert(
				fc.asyncProperty(field, kind, parent, fc.constantFrom(world.officerA, world.admin, world.leaderA1), async (name, k, parentId, user) => {
					const out = await runAction(() => routes.units.actions.create!(event(formPost('/admin/units?/create', { name, kind: k, parentId }), { locals: { user } })));
					expect([200, 400, 403], JSON.stringify(out)).toContain(out.status);
					if (out.status !== 200) expect(String((out.data as { error?: { message?: string } }).error?.message ?? '').length).toBeGreaterThan(0);
					if (out.status === 200 && user.role !== 'admin') expect([world.communeA, world.villageA1]).toContain(parentId.trim());
				}),
				{ numRuns: runs / 2 }
			);
		});

		it("approval actions: any fields get a recorded step or a refusal with its code; outside the officer's commune 403; a leader never", async () => {
			const field = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), nastyValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
			const period = periodOf(localDateOf(new Date()));
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom('team', 'all', 'unit'),
					fc.record({
						unit: fc.oneof(field, fc.constantFrom(world.communeA, world.communeB, world.villageA1)),
						period: fc.oneof(field, fc.constantFrom(period, '2024-01', '2026-13')),
						teamId: fc.oneof(field, fc.constantFrom(world.teamA1, world.teamB1)),
						action: fc.oneof(field, fc.constantFrom('approve', 'return', 'reopen')),
						level: fc.oneof(field, fc.constantFrom('commune', 'province')),
						note: field
					}),
					fc.constantFrom(world.officerA, world.admin, world.leaderA1),
					async (name, fields, user) => {
						const action = routes.approvals.actions[name as 'team' | 'all' | 'unit']!;
						const out = await runAction(() => action(event(formPost(`/admin/approvals?/${name}`, fields), { locals: { user } })));
						expect([200, 400, 403], JSON.stringify({ name, fields, out }).slice(0, 400)).toContain(out.status);
						if (out.status !== 200) expect(String((out.data as { error?: { code?: string } }).error?.code ?? '').length).toBeGreaterThan(0);
						if (user.role === 'leader') expect(out.status).toBe(403);
						if (user.role === 'officer' && fields.unit === world.communeB) expect(out.status).toBe(403);
					}
				),
				// A whole number (150 / 4 is not one, and fast-check then never stops).
				{ numRuns: Math.floor(runs / 4) }
			);
		});

		it('activity record action: any fields get recorded, or a refusal naming the field', async () => {
			const field = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), nastyValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
			await fc.assert(
				fc.asyncProperty(
					fc.record({
						kind: fc.oneof(field, fc.constantFrom('training', 'outreach', 'initiative', 'dxTask')),
						date: fc.oneof(field, fc.constantFrom('2026-11-10', '2026-02-30', '1900-01-01', '9999-12-31')),
						title: field,
						memberIds: fc.array(field, { maxLength: 3 }),
						peopleReached: fc.oneof(field, fc.constantFrom('12', '-1', '1e308', '1.5', '')),
						note: field
					}),
					fc.constantFrom(world.leaderA1, world.officerA),
					fc.constantFrom(world.teamA1, world.teamB1, 'no-such-team'),
					async (fields, user, teamId) => {
						const out = await runAction(() =>
							routes.activities.actions.record!(event(formPost(`/admin/teams/${teamId}/activities?/record`, fields), { locals: { user }, params: { id: teamId } }))
						);
						expect([200, 400, 403, 404], JSON.stringify({ fields, out }).slice(0, 400)).toContain(out.status);
						if (out.status === 400) expect(String((out.data as { error?: { field?: string } }).error?.field ?? '').length).toBeGreaterThan(0);
						if (teamId === world.teamB1) expect(out.status).toBe(403);
						if (teamId === 'no-such-team') expect(out.status).toBe(404);
					}
				),
				{ numRuns: runs / 2 }
			);
		});

		it('PUT /devices/signing-key: any body gets a documented answer; a key is registered once, the same again is fine, another is refused', async () => {
			const put = (body: string, token: string | null = world.token) => {
				const request = new Request('http://kiosk.test/api/v1/devices/signing-key', {
					method: 'PUT',
					headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
					body
				});
				return Promise.resolve(routes.signingKey.PUT(event(request) as never)).then(answerOf);
			};
			await fc.assert(
				fc.asyncProperty(fc.oneof(fc.json(), fc.string(), fc.record({ key: fc.jsonValue() }).map((v) => JSON.stringify(v))), async (body) => {
					expect([400, 413, 422]).toContain((await put(body)).status);
				}),
				{ numRuns: runs }
			);
			const keyOf = async () => {
				const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
				const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
				return JSON.stringify({ key: { kty, crv, x, y } });
			};
			const key = await keyOf();
			expect((await put(key, null)).status).toBe(401);
			expect((await put(key, world.revokedToken)).body).toMatchObject({ error: { code: 'device_revoked' } });
			expect(await put(key)).toMatchObject({ status: 201, body: { result: 'registered' } });
			expect(await put(key)).toMatchObject({ status: 200, body: { result: 'unchanged' } });
			expect(await put(await keyOf())).toMatchObject({ status: 409, body: { error: { code: 'key_registered', field: 'key' } } });
		});
	});
}

function getAt(value: Json, path: string[]): Json | undefined {
	let v: Json | undefined = value;
	for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, Json>)[key] : undefined;
	return v;
}
