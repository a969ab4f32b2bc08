// Helpers for bench/server.ts: statistics, cleanup that survives errors and signals, fresh
// databases per engine, the built server as a child process, and a keep-alive HTTP client.
// Everything talks to 127.0.0.1 only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openMigratedDatabase, type Engine, type ServerDb } from '../src/lib/server/db/connect';
import type { Database } from '../src/lib/server/db/schema';

/** The command line's options, or a one-line reason on stderr and exit status 2. */
export function optionsOrExit<T>(parse: () => T): T {
	try {
		return parse();
	} catch (e) {
		console.error(`bench: ${e instanceof Error ? e.message : String(e)} (--help lists the options)`);
		process.exit(2);
	}
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(values: readonly number[]): number {
	if (values.length === 0) return NaN;
	const s = [...values].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return NaN;
	const s = Float64Array.from(values).sort();
	const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
	return s[rank]!;
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

export const nowMs = () => performance.now();

/** The commit measured, marked when src/ has changes not yet committed. */
export function gitHead(root: string): string | undefined {
	try {
		const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		return dirty ? `${head} (src/ modified)` : head;
	} catch {
		return undefined;
	}
}

/** What the figures were measured on. */
export function machineInfo() {
	return { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version };
}

// ---------------------------------------------------------------------------------------------
// Cleanup: a stack of async disposers, run once on success, error or signal. Children are also
// killed synchronously on 'exit' in case the async path never ran.

type Disposer = { name: string; run: () => Promise<void> | void };
const disposers: Disposer[] = [];
const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let cleaning: Promise<void> | undefined;

export function onCleanup(name: string, run: () => Promise<void> | void): () => Promise<void> {
	const d: Disposer = { name, run };
	disposers.push(d);
	// Running it early (when the phase is done) removes it from the stack.
	return async () => {
		const i = disposers.indexOf(d);
		if (i < 0) return;
		disposers.splice(i, 1);
		await d.run();
	};
}

/** Set when cleanup starts (signal, watchdog, error): loops stop at their next step. */
export const stopping = { now: false };

export function cleanupAll(): Promise<void> {
	stopping.now = true;
	cleaning ??= (async () => {
		while (disposers.length > 0) {
			const d = disposers.pop()!;
			try {
				await withTimeout(Promise.resolve(d.run()), 15_000, `cleanup ${d.name}`);
			} catch (e) {
				console.error(`bench: cleanup of ${d.name} failed: ${String(e)}`);
			}
		}
	})();
	return cleaning;
}

process.on('exit', () => {
	for (const child of liveChildren) {
		try {
			child.kill('SIGKILL');
		} catch {
			/* already gone */
		}
	}
	for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs a bench's main: cleans up (servers, temp databases, schemas) on success, on an error and on
 * Ctrl-C, then exits with main's code (1 on an error, 130 on a signal).
 */
export function runBench(main: () => Promise<number>, beforeExit: () => void = () => {}): void {
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			console.error(`bench: ${signal}, cleaning up`);
			void cleanupAll().finally(() => process.exit(130));
		});
	}
	main()
		.then(async (code) => {
			await withTimeout(cleanupAll(), 60_000, 'cleanup');
			beforeExit();
			process.exit(code);
		})
		.catch(async (e: unknown) => {
			console.error(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
			await cleanupAll().catch(() => {});
			beforeExit();
			process.exit(1);
		});
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	return Promise.race([
		promise,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
		})
	]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Fresh databases

export const DEFAULT_POSTGRES_URL = 'postgres://tramso:tramso@127.0.0.1:5432/tramso_test';

export function postgresBaseUrl(): string {
	return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
}

function assertLoopback(url: string): void {
	const host = new URL(url).hostname;
	if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
		throw new Error(`bench: refusing to use a database that is not on this machine (${host})`);
	}
}

async function pgAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: postgresBaseUrl(), connectionTimeoutMillis: 10_000 });
	await client.connect();
	try {
		return await run(client);
	} finally {
		await client.end();
	}
}

export interface BenchDb {
	engine: Engine;
	/** What the server child gets as DATABASE_URL. */
	url: string;
	/** This process's handle (throws while closed). */
	readonly db: Kysely<Database>;
	/** Closes this process's handle and deletes the database (temp dir or schema). */
	dispose(): Promise<void>;
	/** Closes this process's handle only (the data stays, e.g. for the server child). */
	closeHandle(): Promise<void>;
	/** Opens a new handle on the same database. */
	reopen(): Promise<void>;
}

/** A fresh, migrated, empty database: an SQLite file in a temp dir or a new PostgreSQL schema. */
export async function freshDatabase(engine: Engine, label: string): Promise<BenchDb> {
	let handle: ServerDb | undefined;
	let url: string;
	let drop: () => Promise<void> | void;
	if (engine === 'sqlite') {
		const dir = mkdtempSync(join(tmpdir(), `tramso-bench-${label}-`));
		liveDirs.add(dir);
		url = `file:${join(dir, 'bench.db')}`;
		drop = () => {
			rmSync(dir, { recursive: true, force: true });
			liveDirs.delete(dir);
		};
	} else {
		const base = postgresBaseUrl();
		assertLoopback(base);
		// The pid lets a later run drop what a killed run left behind (sweepOrphanSchemas).
		const schema = `bench_${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}_p${process.pid}_${randomBytes(4).toString('hex')}`;
		await pgAdmin((c) => c.query(`CREATE SCHEMA ${schema}`));
		const u = new URL(base);
		u.search = '';
		// Written by hand: URLSearchParams would encode the space as '+', which pg does not decode.
		url = `${u.toString()}?options=-c%20search_path%3D${schema}`;
		drop = () => pgAdmin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined);
	}
	const closeHandle = async () => {
		const h = handle;
		handle = undefined;
		await h?.close();
	};
	const dispose = onCleanup(`${engine} database ${label}`, async () => {
		await closeHandle();
		await drop();
	});
	try {
		handle = await openMigratedDatabase(url);
	} catch (e) {
		await dispose();
		throw e;
	}
	return {
		engine,
		url,
		get db() {
			if (!handle) throw new Error(`bench: database ${label} is closed`);
			return handle.db;
		},
		dispose,
		closeHandle,
		reopen: async () => {
			await closeHandle();
			handle = await openMigratedDatabase(url);
		}
	};
}

/** Drops bench schemas of bench processes that no longer run on this machine (killed runs). */
export async function sweepOrphanSchemas(): Promise<string[]> {
	const rows = await pgAdmin((c) => c.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname ~ '^bench_[a-z0-9]+_p[0-9]+_[0-9a-f]+$'`));
	const dropped: string[] = [];
	for (const { nspname } of rows.rows) {
		const pid = Number(/_p(\d+)_/.exec(nspname)![1]);
		if (pid === process.pid || pidAlive(pid)) continue;
		await pgAdmin((c) => c.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`));
		dropped.push(nspname);
	}
	return dropped;
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Whether PostgreSQL answers (a clear error beats a stack trace from deep inside a phase). */
export async function checkPostgres(): Promise<void> {
	assertLoopback(postgresBaseUrl());
	try {
		await withTimeout(
			pgAdmin((c) => c.query('SELECT 1')),
			15_000,
			'connecting to PostgreSQL'
		);
	} catch (e) {
		throw new Error(`PostgreSQL is not reachable at ${postgresBaseUrl()} (set BENCH_DATABASE_URL, or --engines sqlite): ${String(e)}`);
	}
}

// ---------------------------------------------------------------------------------------------
// The built server as a child process

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
		});
	});
}

export interface ServerChild {
	origin: string;
	pid: number;
	/** Last lines the server printed (for error messages). */
	log(): string;
	stop(): Promise<void>;
}

export async function startServer(input: {
	root: string;
	databaseUrl: string;
	extraEnv?: Record<string, string>;
	/** Flags for node before `build`, e.g. --cpu-prof. */
	nodeArgs?: string[];
	startTimeoutMs?: number;
}): Promise<ServerChild> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const env: Record<string, string> = {};
	for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
	// tsx's loader must not leak into the server; the server must not see the bench's settings.
	delete env.NODE_OPTIONS;
	Object.assign(env, {
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: origin,
		DATABASE_URL: input.databaseUrl,
		DEMO_DATA: 'off',
		ADMIN_PASSWORD: `bench-${randomBytes(12).toString('hex')}`,
		NODE_ENV: 'production',
		...input.extraEnv
	});
	const child = spawn(process.execPath, ['--import', pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'parent-watch.mjs')).href, ...(input.nodeArgs ?? []), 'build'], { cwd: input.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	liveChildren.add(child);
	const lines: string[] = [];
	const keep = (chunk: Buffer) => {
		for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(line);
		if (lines.length > 200) lines.splice(0, lines.length - 200);
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	const exitPromise = new Promise<void>((resolve) =>
		child.once('exit', (code, signal) => {
			exited = { code, signal };
			liveChildren.delete(child);
			resolve();
		})
	);
	const stop = async () => {
		if (exited) return;
		child.kill('SIGTERM');
		const killed = await Promise.race([exitPromise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
		if (!killed) {
			child.kill('SIGKILL');
			await Promise.race([exitPromise, new Promise((r) => setTimeout(r, 5_000))]);
		}
	};
	const unregister = onCleanup(`server pid ${child.pid}`, stop);
	const log = () => lines.slice(-30).join('\n');

	// Ready when it answers: an unauthenticated config request gets a quick 401.
	const deadline = Date.now() + (input.startTimeoutMs ?? 30_000);
	const probeAgent = new http.Agent({ keepAlive: false });
	for (;;) {
		if (exited) {
			await unregister();
			throw new Error(`the server exited at start (code ${exited.code}, signal ${exited.signal}):\n${log()}`);
		}
		if (Date.now() > deadline) {
			await unregister();
			throw new Error(`the server did not answer within ${input.startTimeoutMs ?? 30_000} ms:\n${log()}`);
		}
		try {
			const res = await request(probeAgent, origin, { method: 'GET', path: '/api/v1/config', timeoutMs: 2_000 });
			if (res.status === 401) break;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { origin, pid: child.pid!, log, stop: unregister };
}

// ---------------------------------------------------------------------------------------------
// HTTP: node:http with a keep-alive agent (less client CPU than fetch, which matters when client
// and server share two cores). `fetch` is available through --client fetch for comparison.

export interface HttpResult {
	status: number;
	body: string;
}

/** Requests re-sent because the server had just closed the idle keep-alive socket they went out on. */
export const httpRetries = { count: 0 };

type RequestInput = { method: 'GET' | 'POST'; path: string; body?: Buffer; headers?: Record<string, string>; timeoutMs?: number };

/**
 * One request. The server drops keep-alive sockets idle for 5 s (Node's keepAliveTimeout), so a
 * request that goes out on such a socket as it closes fails with ECONNRESET before the server
 * read it; as Node's documentation advises, that case (and only that) is sent once more.
 */
export async function request(agent: http.Agent, origin: string, input: RequestInput): Promise<HttpResult> {
	try {
		return await requestOnce(agent, origin, input);
	} catch (e) {
		if (!(e instanceof Error && (e as NodeJS.ErrnoException).code === 'ECONNRESET' && (e as { reusedSocket?: boolean }).reusedSocket)) throw e;
		httpRetries.count++;
		return requestOnce(agent, origin, input);
	}
}

function requestOnce(agent: http.Agent, origin: string, input: RequestInput): Promise<HttpResult> {
	const url = new URL(origin);
	if (url.hostname !== '127.0.0.1') return Promise.reject(new Error(`bench: refusing to talk to ${url.hostname}`));
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				agent,
				host: '127.0.0.1',
				port: Number(url.port),
				method: input.method,
				path: input.path,
				headers: {
					...(input.body ? { 'content-type': 'application/json', 'content-length': String(input.body.byteLength) } : {}),
					...input.headers
				}
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			}
		);
		req.setTimeout(input.timeoutMs ?? 30_000, () => req.destroy(new Error(`request ${input.method} ${input.path} timed out`)));
		req.on('error', (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket })));
		req.end(input.body);
	});
}

/** POSTs JSON; `token` adds `Authorization: Bearer …`. */
export type Poster = (path: string, body: Buffer, token?: string, headers?: Record<string, string>) => Promise<HttpResult>;

export function makePoster(kind: 'http' | 'fetch', origin: string, concurrency: number): { post: Poster; close(): void } {
	if (kind === 'fetch') {
		// Node's fetch keeps connections alive by default (its global undici dispatcher).
		return {
			post: async (path, body, token, headers) => {
				const res = await fetch(`${origin}${path}`, {
					method: 'POST',
					body: body as unknown as BodyInit, // a Buffer is a Uint8Array; TS 5.9's lib types disagree
					headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
					signal: AbortSignal.timeout(30_000)
				});
				return { status: res.status, body: await res.text() };
			},
			close: () => {}
		};
	}
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
	// Idle keep-alive sockets would hold up the server's graceful shutdown: close them first.
	const dispose = onCleanup('http client', () => agent.destroy());
	return {
		post: (path, body, token, headers) => request(agent, origin, { method: 'POST', path, body, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }),
		close: () => void dispose()
	};
}
