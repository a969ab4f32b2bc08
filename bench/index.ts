// `npm run bench`: the kiosk phases (bench/kiosk.ts, in Chromium against the built app), then the
// server phases (bench/server.ts, as a child), one table of every figure against its target, and
// bench/results.json updated so a regression shows in review.
//
//   npm run bench                              # build, then everything (≈ 12–15 min on 2 cores)
//   npm run bench -- --quick                   # smoke run: kiosk ≈ 1 min, then the server's quick run
//   npx tsx bench/index.ts --phases scan,tablet   # some phases (needs a build: npm run build)
//
// Flags: --phases scan,firstload,tablet,server; --quick; --out FILE (default bench/results.json; a
// --quick or --trace run writes $TMPDIR/tramso-bench-quick-results.json unless --out is given, so
// smoke or slowed figures never replace measured ones); --scan-samples N; --assists N; --cold-starts
// N (first load, default 7); --trace DIR (a Chromium trace with CPU profile per measured cold
// start); --engines sqlite,postgres and --server-args "--count 2000 …" go to bench/server.ts.
// Phases not run keep their previous entry in the file. Exits non-zero on errors only.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KIOSK_PHASES, KIOSK_TARGETS, runKiosk, type KioskPhase, type KioskResults, type ScanSettingResult } from './kiosk';
import { gitHead, machineInfo, onCleanup, optionsOrExit, runBench } from './support';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ALL_PHASES = [...KIOSK_PHASES, 'server'] as const;
type Phase = (typeof ALL_PHASES)[number];

function parseOptions() {
	const { values } = parseArgs({
		options: {
			phases: { type: 'string', default: ALL_PHASES.join(',') },
			quick: { type: 'boolean', default: false },
			out: { type: 'string' },
			'scan-samples': { type: 'string' },
			assists: { type: 'string' },
			'cold-starts': { type: 'string' },
			trace: { type: 'string' },
			engines: { type: 'string' },
			'server-args': { type: 'string', default: '' },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 14).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
		process.exit(0);
	}
	const phases = new Set(values.phases.split(',').map((p) => p.trim()).filter(Boolean) as Phase[]);
	for (const p of phases) if (!ALL_PHASES.includes(p)) throw new Error(`--phases: unknown phase "${p}" (${ALL_PHASES.join(', ')})`);
	const int = (name: string, v: string | undefined, min: number, max: number) => {
		if (v === undefined) return undefined;
		const n = Number(v);
		if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
		return n;
	};
	return {
		phases,
		quick: values.quick,
		// Traced figures are slowed by the tracing: never over the measured ones either.
		out: values.out ? resolve(values.out) : values.quick || values.trace ? undefined : join(ROOT, 'bench', 'results.json'),
		scanSamples: int('scan-samples', values['scan-samples'], 1, 100),
		assists: int('assists', values.assists, 1000, 1_000_000),
		coldStarts: int('cold-starts', values['cold-starts'], 1, 50),
		traceDir: values.trace ? resolve(values.trace) : undefined,
		engines: values.engines,
		serverArgs: values['server-args'].split(/\s+/).filter(Boolean)
	};
}

// ---------------------------------------------------------------------------------------------
// The server phases, as a child process with its own table

function runServerBench(outFile: string): Promise<unknown> {
	const args = [join(ROOT, 'bench', 'server.ts'), '--out', outFile, ...(opts.quick ? ['--quick'] : []), ...(opts.engines ? ['--engines', opts.engines] : []), ...opts.serverArgs];
	const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
	return new Promise((resolvePromise, reject) => {
		const child = spawn(tsx, args, { cwd: ROOT, stdio: 'inherit' });
		const dispose = onCleanup('server bench', () => {
			if (child.exitCode === null) child.kill('SIGTERM');
		});
		child.once('error', reject);
		child.once('exit', (code, signal) => {
			void dispose();
			if (code !== 0) return reject(new Error(`bench/server.ts exited with ${code ?? signal}`));
			try {
				resolvePromise(JSON.parse(readFileSync(outFile, 'utf8')));
			} catch (e) {
				reject(e);
			}
		});
	});
}

// ---------------------------------------------------------------------------------------------
// The summary table

type Row = { figure: string; value: string; target: string; met: boolean | null };

const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);
const perS = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : `${Math.round(n).toLocaleString('en-US')}/s`);

// The server's JSON as bench/server.ts writes it today; read defensively (it may change).
interface ServerJson {
	targets?: { ingestPerSecond?: number; provinceReportMs?: number; batchToDriver?: number };
	engines?: Record<string, { ingest?: { summary?: { httpStoredPerS?: number; ratioHttpToDirectConc?: number; directConcPerS?: number; ratioHttpToDriver?: number; driverConcPerS?: number; httpBatchPerS?: number; ratioHttpBatchToDriver?: number } }; reports?: { province?: { teams?: number; months?: number; rootReport?: { medianMs?: number }; xlsx?: { medianMs?: number } } } }>;
}

function summaryRows(kiosk: Partial<KioskResults> | undefined, server: ServerJson | undefined): Row[] {
	const rows: Row[] = [];
	const scan = kiosk?.scan;
	if (scan) {
		const def = scan.settings[0];
		const cells = (s: ScanSettingResult) => `${ms(s.medianMs)} (p90 ${ms(s.p90Ms)}, misses ${s.misses}/${s.samples}, idle CPU ${s.idleMainThreadBusy === undefined ? '–' : `${Math.round(s.idleMainThreadBusy * 100)} %`})`;
		if (def) rows.push({ figure: `scan → greeting, ${def.label}`, value: cells(def), target: `≤ ${KIOSK_TARGETS.scanMs} ms`, met: def.medianMs !== undefined && def.medianMs <= KIOSK_TARGETS.scanMs && def.misses === 0 });
		for (const s of scan.settings.slice(1)) {
			rows.push({ figure: `  ${s.label}`, value: cells(s), target: '', met: null });
			if (s.split && (s.cpu ?? 1) > 1) {
				const floor = 500 / s.tuning.fps + s.split.decodeMs;
				rows.push({ figure: '    wait for the tick / one decode / decode → greeting; floor (half a tick + one decode)', value: `${ms(s.split.waitMs)} / ${ms(s.split.decodeMs)} / ${ms(s.split.afterMs)}; ${ms(floor)} (${s.medianMs !== undefined ? (s.medianMs / floor).toFixed(2) : '–'}× it)`, target: '', met: null });
				// Older results have no commit figure.
				if (s.split.commitMs !== undefined) {
					const durable = floor + s.split.commitMs;
					rows.push({ figure: '    one strict IndexedDB commit; floor with it (the check-in is saved durably first)', value: `${ms(s.split.commitMs)}; ${ms(durable)} (${s.medianMs !== undefined ? (s.medianMs / durable).toFixed(2) : '–'}× it)`, target: '', met: null });
				}
			}
		}
		rows.push({ figure: '  BarcodeDetector', value: scan.barcodeDetector, target: '', met: null });
		rows.push({ figure: '  fastest reliable', value: scan.recommended ?? '–', target: '', met: null });
	}
	const fl = kiosk?.firstLoad;
	if (fl) {
		rows.push({ figure: `first load offline, CPU ${fl.cpuThrottle}×: cold start → camera usable`, value: `${ms(fl.cold.medianMs)} (p90 ${ms(fl.cold.p90Ms)})`, target: `≤ ${KIOSK_TARGETS.firstLoadMs} ms`, met: fl.cold.medianMs <= KIOSK_TARGETS.firstLoadMs });
		rows.push({ figure: '  first contentful paint / warm reload → usable', value: `${ms(fl.cold.fcpMedianMs)} / ${ms(fl.warm.medianMs)}`, target: '', met: null });
		if (fl.floor) rows.push({ figure: '  floor: a bare page that only starts the camera, same worker, CPU 4×', value: `${ms(fl.floor.medianMs)} (p90 ${ms(fl.floor.p90Ms)}; the app is ${(fl.cold.medianMs / fl.floor.medianMs).toFixed(2)}× it)`, target: '', met: null });
		if (fl.split) rows.push({ figure: '  split: paint / decoder loaded / camera running / database open', value: `${ms(fl.split.fcp)} / ${ms(fl.split.scannerLoaded)} / ${ms(fl.split.cameraRunning)} / ${ms(fl.split.kioskReady)}`, target: '', met: null });
		rows.push({ figure: 'initial JS of / (gzip)', value: `${fl.initialJs.gzipKB} kB in ${fl.initialJs.files.length} files`, target: `≤ ${KIOSK_TARGETS.initialJsGzipKB} kB`, met: fl.initialJs.gzipKB <= KIOSK_TARGETS.initialJsGzipKB });
		rows.push({ figure: '  scanner loaded after paint', value: fl.scannerAfterPaint && !fl.initialJs.scannerInitial ? 'yes' : 'no', target: 'yes', met: fl.scannerAfterPaint && !fl.initialJs.scannerInitial });
	}
	const t = kiosk?.tablet;
	if (t) {
		rows.push({ figure: `period tally, ${t.scale.assists.toLocaleString('en-US')} assists stored (${t.scale.periodAssists.toLocaleString('en-US')} in period)`, value: ms(t.tally.medianMs), target: `≤ ${KIOSK_TARGETS.periodTallyMs} ms`, met: t.tally.medianMs <= KIOSK_TARGETS.periodTallyMs });
		rows.push({ figure: '  the same while the leader view opens', value: ms(t.tallyOnOpen.medianMs), target: '', met: null });
		if (t.tallyCpu4) rows.push({ figure: '  the same, CPU throttled 4× (a tablet-class CPU)', value: `${ms(t.tallyCpu4.medianMs)} (p90 ${ms(t.tallyCpu4.p90Ms)})`, target: `≤ ${KIOSK_TARGETS.periodTallyCpu4Ms} ms`, met: t.tallyCpu4.medianMs <= KIOSK_TARGETS.periodTallyCpu4Ms });
		if (t.tallyCpu4 && t.floorCpu4) rows.push({ figure: '  floors at CPU 4×: bare reads of the period\'s rows / of its digests', value: `${ms(t.floorCpu4.rows.medianMs)} / ${ms(t.floorCpu4.digests.medianMs)} (the tally is ${(t.tallyCpu4.medianMs / t.floorCpu4.rows.medianMs).toFixed(2)}× / ${(t.tallyCpu4.medianMs / t.floorCpu4.digests.medianMs).toFixed(1)}×)`, target: '', met: null });
		rows.push({ figure: '  naive full-table scan, same page', value: `${ms(t.naive.medianMs)} (${t.ratio}× the tally)`, target: '', met: null });
		rows.push({ figure: 'leader view: tap → period totals on screen', value: ms(t.render.medianMs), target: '', met: null });
	}
	for (const [engine, r] of Object.entries(server?.engines ?? {})) {
		const target = server?.targets?.ingestPerSecond ?? 1000;
		const s = r.ingest?.summary;
		if (s) rows.push({ figure: `server ${engine}: HTTP ingest, stored`, value: `${perS(s.httpStoredPerS)}${s.ratioHttpToDirectConc ? ` (${s.ratioHttpToDirectConc.toFixed(2)}× storeTally direct)` : ''}`, target: `≥ ${target.toLocaleString('en-US')}/s`, met: (s.httpStoredPerS ?? 0) >= target });
		if (s?.ratioHttpToDriver !== undefined) rows.push({ figure: '  against the same rows straight through the driver', value: `${s.ratioHttpToDriver.toFixed(2)}× (${perS(s.driverConcPerS)})`, target: '', met: null });
		const batchTarget = server?.targets?.batchToDriver ?? 0.7;
		if (s?.ratioHttpBatchToDriver !== undefined) rows.push({ figure: `server ${engine}: HTTP ingest in gzip batches of 20, against the driver`, value: `${s.ratioHttpBatchToDriver.toFixed(2)}× (${perS(s.httpBatchPerS)})`, target: `≥ ${batchTarget}×`, met: s.ratioHttpBatchToDriver >= batchTarget });
		const p = r.reports?.province;
		const reportTarget = server?.targets?.provinceReportMs ?? 300;
		if (p?.rootReport) rows.push({ figure: `server ${engine}: monthly report, province (${p.teams} teams × ${p.months} months)`, value: ms(p.rootReport.medianMs), target: `≤ ${reportTarget} ms`, met: (p.rootReport.medianMs ?? Infinity) <= reportTarget });
		if (p?.xlsx) rows.push({ figure: `  XLSX export of it`, value: ms(p.xlsx.medianMs), target: '', met: null });
	}
	return rows;
}

function formatTable(rows: Row[]): string {
	const cells = [['figure', 'measured (median)', 'target', ''], ...rows.map((r) => [r.figure, r.value, r.target, r.met === null ? '' : r.met ? 'met' : 'NOT MET'])];
	const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => [...c[i]!].length)));
	const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
	return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------


const opts = optionsOrExit(parseOptions);

async function main(): Promise<number> {
	const log = (s: string) => console.log(s);
	if (!existsSync(join(ROOT, 'build', 'index.js'))) throw new Error('build/index.js is missing: run `npm run build` first (npm run bench does)');
	const startedAt = new Date();
	log(`Trạm Số benchmark${opts.quick ? ' (quick)' : ''}: phases ${[...opts.phases].join(', ')}; commit ${gitHead(ROOT) ?? '?'}; built ${statSync(join(ROOT, 'build', 'index.js')).mtime.toISOString()}; ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

	const kioskPhases = new Set(KIOSK_PHASES.filter((p) => opts.phases.has(p))) as Set<KioskPhase>;
	let kiosk: KioskResults | undefined;
	if (kioskPhases.size > 0) {
		kiosk = await runKiosk({ root: ROOT, quick: opts.quick, phases: kioskPhases, log, scanSamples: opts.scanSamples, assists: opts.assists, coldStarts: opts.coldStarts, traceDir: opts.traceDir });
		log(`kiosk phases: ${kiosk.seconds} s`);
	}

	let server: ServerJson | undefined;
	if (opts.phases.has('server')) {
		const dir = mkdtempSync(join(os.tmpdir(), 'tramso-bench-server-'));
		const removeDir = onCleanup('server json dir', () => rmSync(dir, { recursive: true, force: true }));
		log('\nserver phases (bench/server.ts):');
		server = (await runServerBench(join(dir, 'server.json'))) as ServerJson;
		await removeDir();
	}

	// Merge: phases run now replace their entries; the others keep theirs, with their own dates.
	const out = opts.out ?? join(os.tmpdir(), 'tramso-bench-quick-results.json');
	const previous = opts.out && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
	const prevKiosk = (previous.kiosk ?? {}) as Record<string, unknown>;
	const measuredAt = startedAt.toISOString();
	const stamp = <T extends object>(x: T | undefined) => (x ? { measuredAt, ...x } : undefined);
	const merged = {
		date: measuredAt.slice(0, 10),
		quick: opts.quick,
		commit: gitHead(ROOT),
		machine: { ...machineInfo(), chromium: kiosk?.chromium ?? (prevKiosk.chromium as string | undefined), loadavgEnd: os.loadavg() },
		targets: { kiosk: KIOSK_TARGETS, server: server?.targets ?? (previous.targets as { server?: unknown } | undefined)?.server },
		kiosk: {
			chromium: kiosk?.chromium ?? prevKiosk.chromium,
			scan: stamp(kiosk?.scan) ?? prevKiosk.scan,
			firstLoad: stamp(kiosk?.firstLoad) ?? prevKiosk.firstLoad,
			tablet: stamp(kiosk?.tablet) ?? prevKiosk.tablet
		},
		server: stamp(server) ?? previous.server
	};
	writeFileSync(out, JSON.stringify(merged, null, '\t') + '\n');

	const rows = summaryRows(merged.kiosk as Partial<KioskResults>, merged.server as ServerJson | undefined);
	log(`\nTrạm Số benchmark, ${merged.date}${opts.quick ? ' (QUICK: smoke figures, few samples)' : ''}; medians; results in ${out}\n`);
	log(formatTable(rows));
	const notRun = ALL_PHASES.filter((p) => !opts.phases.has(p));
	if (notRun.length && opts.out) log(`\n(phases not run now — ${notRun.join(', ')} — show their earlier figures from ${out})`);
	return 0;
}

runBench(main);
