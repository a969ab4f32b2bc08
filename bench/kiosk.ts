// Kiosk benchmark for Trạm Số: the tablet side, measured in Debian's Chromium against the built
// app (`node build`), as bench/index.ts runs it (`npm run bench`):
//   scan       fake camera: from the QR's first frame delivered to the page to the greeting on
//              screen, for several scanner settings (localStorage `tramso.scanner`, see
//              src/lib/kiosk/scannerTuning.ts); a fresh context (fresh IndexedDB) per sample, so
//              every sample is a first check-in of the same card, never "already in the queue".
//   firstload  offline start with the CPU throttled 4×: navigation → camera view usable, from a
//              cold browser start on a profile whose service worker holds the app; and the
//              initial JavaScript of `/` from the build, checked against what the browser fetched.
//   tablet     a year of a busy hall (100,000 assists) in the app's IndexedDB: the leader view's
//              period tally (its performance.measure), its render, and a naive full-table scan.
import { cpSync, mkdirSync, mkdtempSync, openSync, closeSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { CCCD_TRAN_THI_HOA } from '../tests/fixtures/cards';
import { FAKE_CAMERA_FLAGS, writeQrVideo } from '../tests/fixtures/y4m';
import { chromiumPath } from '../scripts/chromium-path.js';
import { DEMO_MEMBERS } from '../src/lib/domain/demo';
import { SCANNER_DEFAULTS, SCANNER_TUNING_KEY, type ScannerOptions } from '../src/lib/kiosk/scannerTuning';
import { PERIOD_TALLY_MEASURE } from '../src/lib/kiosk/reports';
import { START_MARKS } from '../src/lib/kiosk/marks';
import { initialJs, type InitialJs } from './initialJs';
import { generateTabletData, TIME_ZONE, type TabletData } from './tabletData';
import { median, nowMs, onCleanup, percentile, round, startServer, stopping, type ServerChild } from './support';

// Lets context.route see the service worker's own requests (on by default in recent Playwright;
// playwright.config.ts sets it too).
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

export const KIOSK_TARGETS = { scanMs: 300, firstLoadMs: 700, initialJsGzipKB: 80, periodTallyMs: 100, periodTallyCpu4Ms: 200 } as const;
export type KioskPhase = 'scan' | 'firstload' | 'tablet';
export const KIOSK_PHASES: readonly KioskPhase[] = ['scan', 'firstload', 'tablet'];

export interface KioskOptions {
	root: string;
	quick: boolean;
	phases: ReadonlySet<KioskPhase>;
	log: (line: string) => void;
	/** Samples per scanner setting (default 9, quick 3). */
	scanSamples?: number;
	/** Assists seeded for the tablet phase (default 100,000, quick 20,000). */
	assists?: number;
	/** Measured cold starts in the first-load phase (default 7, quick 2). */
	coldStarts?: number;
	/**
	 * Where to write a Chromium trace of each measured cold start (`trace-N.json`, with the page's
	 * CPU profile; open in DevTools' Performance panel). Tracing slows the page: its figures are
	 * for finding where the time goes, not for the table.
	 */
	traceDir?: string;
}

// As playwright.config.ts: tried on these machines (ENGINEERING.md). Root needs --no-sandbox;
// without the networking flags Chromium keeps calling hosts this network cannot reach.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const executablePath = () => chromiumPath() ?? undefined;

const CONTEXT: BrowserContextOptions = {
	locale: 'vi-VN',
	timezoneId: TIME_ZONE,
	permissions: ['camera'],
	viewport: { width: 1280, height: 800 }
};

// tsx (esbuild keepNames) wraps named functions in `__name(...)`: functions handed to the page
// need that helper there too.
const NAME_SHIM = { content: 'globalThis.__name ??= (f) => f;' };

async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
	const context = await browser.newContext({ ...CONTEXT, ...options });
	await context.addInitScript(NAME_SHIM);
	return context;
}

async function launch(args: string[] = []): Promise<Browser> {
	const browser = await chromium.launch({ executablePath: executablePath(), args: [...CHROMIUM_ARGS, ...args] });
	const dispose = onCleanup('chromium', () => browser.close().catch(() => {}));
	browser.once('disconnected', () => void dispose());
	return browser;
}

const stats = (xs: number[]) => ({ medianMs: round(median(xs), 1), p90Ms: round(percentile(xs, 90), 1), minMs: round(Math.min(...xs), 1), maxMs: round(Math.max(...xs), 1), samplesMs: xs.map((x) => round(x, 1)) });

// ---------------------------------------------------------------------------------------------
// 1. Scan → greeting

/** The camera file plays at a real tablet camera's rate. */
const VIDEO_FPS = 30;
/** Blank frames first: the scanner settles, and its CPU use is sampled over one second of them. */
const BLANK_S = 3;
/** How long the card is held up; no greeting within it is a miss. */
const HOLD_S = 3;
/** A solid block in the top-left corner of every QR frame: outside any centred square qrbox. */
const MARKER = { x: 0, y: 0, size: 48 } as const;
const WIDTH = 640;
const HEIGHT = 480;

/** Blank frames, then the card: the QR frames carry the marker the page watches for. */
function writeScanVideo(file: string): void {
	const blank = BLANK_S * VIDEO_FPS;
	const qr = HOLD_S * VIDEO_FPS;
	writeQrVideo(file, [{ payload: null, frames: blank }, { payload: CCCD_TRAN_THI_HOA, frames: qr }], { fps: VIDEO_FPS, width: WIDTH, height: HEIGHT });
	// Paint the marker into the Y plane of each QR frame (layout: header line, then per frame
	// "FRAME\n" + Y + U + V; see tests/fixtures/y4m.ts).
	const fd = openSync(file, 'r+');
	try {
		const head = Buffer.alloc(200);
		readSync(fd, head, 0, head.length, 0);
		const headerLength = head.indexOf(0x0a) + 1;
		const frameBytes = 'FRAME\n'.length + WIDTH * HEIGHT * 1.5;
		const row = Buffer.alloc(MARKER.size, 16); // limited-range black
		for (let f = blank; f < blank + qr; f++) {
			const yPlane = headerLength + f * frameBytes + 'FRAME\n'.length;
			for (let y = MARKER.y; y < MARKER.y + MARKER.size; y++) writeSync(fd, row, 0, row.length, yPlane + y * WIDTH + MARKER.x);
		}
	} finally {
		closeSync(fd);
	}
}

interface ScanProbe {
	/** While true the probe samples nothing: the idle CPU figure is the app's, not the probe's. */
	paused: boolean;
	/** The card came while the probe was paused: its arrival time is unknown, the sample is void. */
	tainted: boolean;
	blankSeen: boolean;
	frames: number;
	firstQrAt: number | null;
	greetingAt: number | null;
	greetingText: string | null;
	error: string | null;
	barcodeDetector: boolean;
	/** ZXing decodes of the scan box (start, duration; ms on the page's clock), latest 100. */
	decodes: { at: number; ms: number }[];
}

/**
 * In the page from its start: a requestVideoFrameCallback loop on html5-qrcode's <video> samples
 * the marker (a 1×1 canvas) on every frame the page receives and keeps the presentation time of
 * the first marked frame after a blank one; a MutationObserver notes the greeting, timed at the
 * next animation frame (when it is painted).
 */
function scanProbe(marker: { x: number; y: number; size: number }) {
	const probe: ScanProbe = { paused: false, tainted: false, blankSeen: false, frames: 0, firstQrAt: null, greetingAt: null, greetingText: null, error: null, barcodeDetector: 'BarcodeDetector' in window, decodes: [] };
	(window as unknown as { __benchScan: ScanProbe }).__benchScan = probe;
	// One ZXing decode: html5-qrcode's decoder reads the scan box's pixels (getImageData on its
	// canvas, the only large one read) and decodes them synchronously, before the next microtask.
	const getImageData = CanvasRenderingContext2D.prototype.getImageData;
	CanvasRenderingContext2D.prototype.getImageData = function (this: CanvasRenderingContext2D, ...args: Parameters<typeof getImageData>) {
		if (this.canvas.width >= 100) {
			const at = performance.now();
			queueMicrotask(() => {
				probe.decodes.push({ at, ms: performance.now() - at });
				if (probe.decodes.length > 100) probe.decodes.shift();
			});
		}
		return getImageData.apply(this, args);
	} as typeof getImageData;
	const canvas = document.createElement('canvas');
	canvas.width = 1;
	canvas.height = 1;
	const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
	let watching = false;
	let greetingSeen = false;
	const inset = Math.floor(marker.size / 4);
	const watch = (video: HTMLVideoElement) => {
		let wasPaused = false;
		const onFrame = (now: number, meta: VideoFrameCallbackMetadata) => {
			probe.frames++;
			if (probe.paused) {
				wasPaused = true;
				video.requestVideoFrameCallback(onFrame);
				return;
			}
			try {
				ctx.drawImage(video, marker.x + inset, marker.y + inset, marker.size - 2 * inset, marker.size - 2 * inset, 0, 0, 1, 1);
				const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
				const dark = (r! + g! + b!) / 3 < 80;
				if (wasPaused && dark && probe.blankSeen && probe.firstQrAt === null) probe.tainted = true;
				wasPaused = false;
				if (!dark) probe.blankSeen = true;
				else if (probe.blankSeen && probe.firstQrAt === null) probe.firstQrAt = Math.min(meta.presentationTime ?? now, now);
			} catch (e) {
				probe.error = String(e);
			}
			if (probe.greetingAt === null) video.requestVideoFrameCallback(onFrame);
		};
		video.requestVideoFrameCallback(onFrame);
	};
	new MutationObserver(() => {
		if (!watching) {
			const video = document.querySelector<HTMLVideoElement>('#qr-reader video');
			if (video) {
				watching = true;
				watch(video);
			}
		}
		if (!greetingSeen) {
			const heading = document.querySelector('.greeting h1');
			if (heading) {
				greetingSeen = true;
				probe.greetingText = heading.textContent;
				requestAnimationFrame(() => (probe.greetingAt = performance.now()));
			}
		}
	}).observe(document, { childList: true, subtree: true });
}

interface ScanSetting {
	label: string;
	tuning: ScannerOptions;
	/** Chromium's CPU throttling for the page (4 = a tablet-class CPU); 1 or absent: none. */
	cpu?: number;
}

export interface ScanSettingResult extends Partial<ReturnType<typeof stats>> {
	label: string;
	tuning: Required<ScannerOptions>;
	samples: number;
	misses: number;
	/** Greetings that were not Trần Thị Hoa's first check-in (would be a bench fault). */
	wrong: number;
	/** Median share of a core the page's main thread is busy while the camera sees no card. */
	idleMainThreadBusy?: number;
	cpu?: number;
	/**
	 * Where a scan's time goes (medians over the samples that greeted): the wait for the decoder's
	 * next tick, the ZXing decode that read the card (the floor is half a tick plus one decode), and
	 * from its end to the greeting painted.
	 */
	split?: ScanSplit & { samples: number };
}

export interface ScanResult {
	video: { fps: number; blankS: number; holdS: number; width: number; height: number };
	barcodeDetector: 'present' | 'not present';
	settings: ScanSettingResult[];
	recommended: string | null;
	defaultLabel: string;
}

/** Share of one core the page's main thread is busy (CDP TaskDuration) over `ms`. */
async function mainThreadBusy(context: BrowserContext, page: Page, ms: number): Promise<number> {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Performance.enable');
	const read = async () => {
		const { metrics } = await cdp.send('Performance.getMetrics');
		const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
		return { task: get('TaskDuration'), at: get('Timestamp') };
	};
	const a = await read();
	await page.waitForTimeout(ms);
	const b = await read();
	await cdp.detach();
	return (b.task - a.task) / (b.at - a.at);
}

interface ScanSplit {
	/** Card on screen → the decode that read it started (the decoder's tick). */
	waitMs: number;
	/** That ZXing decode. */
	decodeMs: number;
	/** Its end → the greeting painted (the app: database write, render). */
	afterMs: number;
	/**
	 * One strict-durability IndexedDB commit of a check-in-sized row, in the same page after the
	 * greeting (a scratch database): what the check-in's save cannot go below, as the kiosk saves
	 * with 'strict' durability so a power cut loses no confirmed check-in (kiosk/db.ts).
	 */
	commitMs: number;
}

/** Median of 5 strict commits of one row into a scratch database, ms (see ScanSplit.commitMs). */
async function strictCommitMs(): Promise<number> {
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const open = indexedDB.open('bench-commit-floor', 1);
		open.onupgradeneeded = () => open.result.createObjectStore('rows', { keyPath: 'id' });
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(open.error);
	});
	const times: number[] = [];
	for (let i = 0; i < 5; i++) {
		const at = performance.now();
		await new Promise<void>((resolve, reject) => {
			const tx = db.transaction('rows', 'readwrite', { durability: 'strict' });
			tx.objectStore('rows').put({ id: crypto.randomUUID(), sessionId: crypto.randomUUID(), residentId: crypto.randomUUID(), at: new Date().toISOString(), queueNumber: i + 1, firstVisit: true, gender: 'female', birthYear: 1961 });
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
		times.push(performance.now() - at);
	}
	db.close();
	return times.sort((a, b) => a - b)[2]!;
}

async function scanOnce(browser: Browser, origin: string, tuning: ScannerOptions, cpu = 1): Promise<{ ms: number | null; text: string | null; barcodeDetector: boolean; busy: number | null; void?: boolean; split?: ScanSplit | null }> {
	const context = await newContext(browser, { serviceWorkers: 'block' });
	try {
		await context.addInitScript(([key, value]) => localStorage.setItem(key, value), [SCANNER_TUNING_KEY, JSON.stringify(tuning)] as const);
		await context.addInitScript(scanProbe, MARKER);
		const page = await context.newPage();
		if (cpu > 1) await throttle(context, page, cpu);
		await page.goto(`${origin}/`);
		// The camera starts after the database opened; then blank frames, while the decoder
		// scans and finds nothing: its cost when nobody is at the tablet.
		await page.waitForSelector('#qr-reader[data-scanner-state="running"]', { timeout: 30_000 });
		// The screen opens the database and loads the check-in code once the camera runs: the idle
		// figure is the steady state after that.
		await waitForMark(page, START_MARKS.checkInWarm, 10_000).catch(() => {});
		// The probe's own per-frame pixel read would count as the app's work: paused meanwhile.
		await page.evaluate(() => ((window as unknown as { __benchScan: ScanProbe }).__benchScan.paused = true));
		const idleBusy = await mainThreadBusy(context, page, 1000);
		await page.evaluate(() => ((window as unknown as { __benchScan: ScanProbe }).__benchScan.paused = false));
		const cardCameDuring = await page.evaluate(() => (window as unknown as { __benchScan: ScanProbe }).__benchScan.firstQrAt !== null);
		await page.waitForFunction(() => (window as unknown as { __benchScan: ScanProbe }).__benchScan.firstQrAt !== null, null, { timeout: 30_000, polling: 50 });
		try {
			await page.waitForFunction(() => (window as unknown as { __benchScan: ScanProbe }).__benchScan.greetingAt !== null, null, { timeout: HOLD_S * 1000, polling: 50 });
		} catch {
			/* a miss: judged below on the page's own clock */
		}
		const probe = await page.evaluate(() => (window as unknown as { __benchScan: ScanProbe }).__benchScan);
		if (probe.error) throw new Error(`scan probe: ${probe.error}`);
		if (probe.tainted) return { ms: null, text: null, barcodeDetector: probe.barcodeDetector, busy: null, void: true };
		const ms = probe.greetingAt !== null && probe.firstQrAt !== null ? probe.greetingAt - probe.firstQrAt : null;
		// The decode that read the card: the first to start once the card was on screen.
		const hit = probe.firstQrAt !== null && probe.greetingAt !== null ? probe.decodes.find((d) => d.at >= probe.firstQrAt! && d.at < probe.greetingAt!) : undefined;
		const split = hit ? { waitMs: hit.at - probe.firstQrAt!, decodeMs: hit.ms, afterMs: probe.greetingAt! - (hit.at + hit.ms), commitMs: await page.evaluate(strictCommitMs) } : null;
		return { ms: ms !== null && ms <= HOLD_S * 1000 ? ms : null, text: probe.greetingText, barcodeDetector: probe.barcodeDetector, busy: cardCameDuring ? null : idleBusy, split };
	} finally {
		await context.close();
	}
}

async function runScanSetting(origin: string, videoFile: string, setting: ScanSetting, samples: number, log: (s: string) => void): Promise<ScanSettingResult & { barcodeDetectorPresent: boolean }> {
	const browser = await launch(FAKE_CAMERA_FLAGS(videoFile));
	const times: number[] = [];
	const busy: number[] = [];
	let misses = 0;
	let wrong = 0;
	let present = false;
	const splits: ScanSplit[] = [];
	try {
		// One unmeasured sample: Chromium's first camera start and code caching.
		await scanOnce(browser, origin, setting.tuning, setting.cpu);
		for (let i = 0; i < samples && !stopping.now; i++) {
			const r = await scanOnce(browser, origin, setting.tuning, setting.cpu);
			present = r.barcodeDetector;
			if (r.void) {
				i--; // the card came while the probe was paused: measure again
				continue;
			}
			if (r.busy !== null) busy.push(r.busy);
			if (r.ms === null) misses++;
			else if (!r.text?.includes('Trần Thị Hoa')) wrong++;
			else {
				times.push(r.ms);
				if (r.split) splits.push(r.split);
			}
		}
	} finally {
		await browser.close();
	}
	const result = {
		label: setting.label,
		tuning: { ...SCANNER_DEFAULTS, ...setting.tuning },
		samples,
		misses,
		wrong,
		...(times.length ? stats(times) : {}),
		idleMainThreadBusy: busy.length ? round(median(busy), 2) : undefined,
		cpu: setting.cpu ?? 1,
		split: splits.length
			? {
					waitMs: round(median(splits.map((x) => x.waitMs)), 1),
					decodeMs: round(median(splits.map((x) => x.decodeMs)), 1),
					afterMs: round(median(splits.map((x) => x.afterMs)), 1),
					commitMs: round(median(splits.map((x) => x.commitMs)), 1),
					samples: splits.length
				}
			: undefined,
		barcodeDetectorPresent: present
	};
	log(`  ${setting.label.padEnd(28)} median ${fmt(result.medianMs)}  p90 ${fmt(result.p90Ms)}  misses ${misses}/${samples}${wrong ? `  WRONG ${wrong}` : ''}  main thread busy while idle ${pct(result.idleMainThreadBusy)}`);
	if (result.split) {
		const floor = 500 / result.tuning.fps + result.split.decodeMs;
		const durableFloor = floor + result.split.commitMs;
		const ratio = (f: number) => (result.medianMs !== undefined ? round(result.medianMs / f, 2) : '–');
		log(`    split (medians): card → decode starts ${fmt(result.split.waitMs)}, one decode ${fmt(result.split.decodeMs)}, decode → greeting painted ${fmt(result.split.afterMs)}; floor (half a tick at fps ${result.tuning.fps} + one decode) ${fmt(floor)}, the median is ${ratio(floor)}× it`);
		log(`    one strict IndexedDB commit ${fmt(result.split.commitMs)}; floor with it (the check-in is saved durably before the greeting) ${fmt(durableFloor)}, the median is ${ratio(durableFloor)}× it`);
	}
	return result;
}

const sameTuning = (a: Required<ScannerOptions>, b: Required<ScannerOptions>) => (Object.keys(a) as (keyof ScannerOptions)[]).every((k) => a[k] === b[k]);
const pct = (share: number | undefined) => (share === undefined ? '–' : `${Math.round(share * 100)} %`);
const fmt = (ms: number | undefined) => (ms === undefined ? '–' : `${Math.round(ms)} ms`);
const label = (t: Required<ScannerOptions>) => `fps ${t.fps}, box ${t.boxShare}${t.flip ? ', flip' : ', no flip'}${t.barcodeDetector ? '' : ', no BarcodeDetector'}${t.gate ? '' : ', every frame decoded'}`;

async function benchScan(origin: string, dir: string, opts: KioskOptions): Promise<ScanResult> {
	const videoFile = join(dir, 'scan.y4m');
	writeScanVideo(videoFile);
	const samples = opts.scanSamples ?? (opts.quick ? 3 : 9);
	const def = SCANNER_DEFAULTS;
	const setting = (t: ScannerOptions, cpu = 1): ScanSetting => {
		const tuning = { ...def, ...t };
		const isDefault = sameTuning(tuning, def);
		return { label: label(tuning) + (isDefault ? ' (default)' : '') + (cpu > 1 ? `, CPU ${cpu}×` : ''), tuning, cpu };
	};
	// The default on a tablet-class CPU (4× slower), with and without the frame gate; then one
	// factor at a time around the default, then the winners of each factor together.
	const throttled = [setting({}, CPU_RATE), setting({ gate: false }, CPU_RATE)];
	const plan: ScanSetting[] = opts.quick
		? [setting({}), ...throttled]
		: [setting({}), ...throttled, setting({ fps: 15 }), setting({ fps: 30 }), setting({ boxShare: 0.6 }), setting({ boxShare: 0.95 }), setting({ flip: !def.flip }), setting({ gate: false })];
	opts.log(`scan → greeting: ${samples} fresh check-ins per setting; camera ${VIDEO_FPS} fps, card shown after ${BLANK_S} s for ${HOLD_S} s (no greeting in that time = miss)`);
	const results: (ScanSettingResult & { barcodeDetectorPresent: boolean })[] = [];
	for (const s of plan) {
		if (stopping.now) break;
		results.push(await runScanSetting(origin, videoFile, s, samples, opts.log));
	}
	const present = results.some((r) => r.barcodeDetectorPresent);
	if (!opts.quick && !stopping.now) {
		const reliable = results.filter((r) => r.misses === 0 && r.wrong === 0 && r.medianMs !== undefined && (r.cpu ?? 1) === 1);
		// The best value of one factor among the runs that changed only that factor.
		const best = <K extends keyof ScannerOptions>(key: K): Required<ScannerOptions>[K] =>
			reliable
				.filter((r) => (Object.keys(def) as (keyof ScannerOptions)[]).every((k) => k === key || r.tuning[k] === def[k]))
				.sort((a, b) => a.medianMs! - b.medianMs!)[0]?.tuning[key] ?? def[key];
		const combined = { ...def, fps: best('fps'), boxShare: best('boxShare'), flip: best('flip') };
		if (!results.some((r) => sameTuning(r.tuning, combined))) results.push(await runScanSetting(origin, videoFile, setting(combined), samples, opts.log));
		if (present) results.push(await runScanSetting(origin, videoFile, setting({ barcodeDetector: false }), samples, opts.log));
	}
	opts.log(`  BarcodeDetector: ${present ? 'present (compared on/off above)' : 'not present in this Chromium (html5-qrcode decodes with ZXing-js); no figure'}`);
	const recommended = recommend(results);
	return {
		video: { fps: VIDEO_FPS, blankS: BLANK_S, holdS: HOLD_S, width: WIDTH, height: HEIGHT },
		barcodeDetector: present ? 'present' : 'not present',
		settings: results.map(({ barcodeDetectorPresent: _p, ...r }) => r),
		recommended,
		defaultLabel: results[0]?.label ?? ''
	};
}

/**
 * The fastest setting with no miss; among those within 10 % of it (this machine's noise), the
 * one whose scanning costs least CPU while nobody is at the tablet (battery, heat).
 */
function recommend(results: ScanSettingResult[]): string | null {
	const reliable = results.filter((r) => r.misses === 0 && r.wrong === 0 && r.medianMs !== undefined && (r.cpu ?? 1) === 1).sort((a, b) => a.medianMs! - b.medianMs!);
	const fastest = reliable[0];
	if (!fastest) return null;
	const cpu = (r: ScanSettingResult) => r.idleMainThreadBusy ?? Infinity;
	const close = reliable.filter((r) => r.medianMs! <= fastest.medianMs! * 1.1).sort((a, b) => cpu(a) - cpu(b) || a.medianMs! - b.medianMs!);
	return close[0]!.label;
}

// ---------------------------------------------------------------------------------------------
// 2. First load offline, CPU 4×

interface LoadProbe {
	usableAt: number | null;
}

/** In the page from its start: when the camera runs and the prompt heading shows. */
function loadProbe() {
	const probe: LoadProbe = { usableAt: null };
	(window as unknown as { __benchLoad: LoadProbe }).__benchLoad = probe;
	const observer = new MutationObserver(() => {
		if (probe.usableAt !== null) return;
		const reader = document.querySelector('#qr-reader[data-scanner-state="running"]');
		const prompt = document.getElementById('prompt');
		if (reader && prompt && prompt.getClientRects().length > 0) {
			probe.usableAt = performance.now();
			observer.disconnect();
		}
	});
	observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-scanner-state'] });
}

export interface FirstLoadResult {
	cpuThrottle: number;
	/** Cold: a browser start on the installed profile, offline. */
	cold: ReturnType<typeof stats> & { fcpMedianMs: number };
	/** Warm: reloads in that browser, offline. */
	warm: ReturnType<typeof stats>;
	/** The scanner's chunk was requested after the first contentful paint, in every cold sample. */
	scannerAfterPaint: boolean;
	/** Where a cold start's time goes: medians of each step, ms from navigation (START_MARKS in the app). */
	split: LoadSplit;
	/**
	 * The floor: a bare page that only calls getUserMedia and plays the video, cold browser start on
	 * the same profile, offline, its navigation through the same service worker, CPU 4×; from
	 * navigation to the video playing. One after each cold app start.
	 */
	floor?: ReturnType<typeof stats>;
	/** kB = 1000 bytes, as Vite's build report and Chromium's DevTools count. */
	initialJs: InitialJs & { gzipKB: number };
	/** What the browser fetched (online, no service worker yet) before it asked for the scanner's chunk. */
	fetchedBeforeLoad: { files: number; transferBytes: number; notInBuildList: string[]; buildListNotFetched: string[] };
}

const CPU_RATE = 4;

interface LoadSplit {
	html: number;
	domContentLoaded: number;
	fcp: number;
	scannerLoaded: number;
	kioskReady: number;
	cameraRunning: number;
}

/**
 * The floor page: nothing but a video element and getUserMedia. The bench stores it, in a copy of
 * the installed profile, in the service worker's precache in place of a page the kiosk never opens
 * at start (/enrol): a navigation there is then served offline by the same worker, from the same
 * cache, as the check-in screen is.
 */
const FLOOR_PATH = '/enrol';
const FLOOR_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body>
<video id="v" muted playsinline style="width:640px;height:480px"></video>
<script>
const v = document.getElementById('v');
v.addEventListener('playing', () => { window.__floorAt = performance.now(); }, { once: true });
navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then((s) => { v.srcObject = s; return v.play(); }).catch((e) => { window.__floorError = String(e); });
</script></body></html>`;

/** Puts the floor page into the profile's precache (see FLOOR_PATH). */
async function installFloorPage(launch: () => Promise<BrowserContext>, origin: string): Promise<void> {
	const context = await launch();
	try {
		await context.route('**/*', (route) => route.abort('internetdisconnected'));
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(`${origin}/`);
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
		const replaced = await page.evaluate(
			async ([path, html]) => {
				let n = 0;
				for (const name of await caches.keys()) {
					const cache = await caches.open(name);
					for (const request of await cache.keys()) {
						if (new URL(request.url).pathname !== path) continue;
						await cache.put(request, new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
						n++;
					}
				}
				return n;
			},
			[FLOOR_PATH, FLOOR_HTML] as const
		);
		if (replaced === 0) throw new Error(`camera floor: ${FLOOR_PATH} is not in the service worker's cache`);
	} finally {
		await context.close();
	}
}

async function cameraFloorOnce(launch: () => Promise<BrowserContext>, origin: string): Promise<number> {
	const context = await launch();
	try {
		await context.route('**/*', (route) => route.abort('internetdisconnected'));
		await context.setOffline(true);
		const page = context.pages()[0] ?? (await context.newPage());
		await throttle(context, page);
		await page.goto(`${origin}${FLOOR_PATH}`);
		type Floor = { __floorAt?: number; __floorError?: string };
		await page.waitForFunction(() => (window as unknown as Floor).__floorAt !== undefined || (window as unknown as Floor).__floorError !== undefined, null, { timeout: 60_000, polling: 50 });
		const r = await page.evaluate(() => ({ at: (window as unknown as Floor).__floorAt, error: (window as unknown as Floor).__floorError, controlled: navigator.serviceWorker.controller !== null }));
		if (r.error || r.at === undefined) throw new Error(`camera floor page: ${r.error}`);
		if (!r.controlled) throw new Error('camera floor page: not served by the service worker');
		return r.at;
	} finally {
		await context.close();
	}
}

/** Until the app has left the user-timing mark `name` (START_MARKS). */
async function waitForMark(page: Page, name: string, timeout: number): Promise<void> {
	await page.waitForFunction((mark) => performance.getEntriesByName(mark, 'mark').length > 0, name, { timeout, polling: 50 });
}

/** Chromium tracing on the page's own session, started before its navigation (see KioskOptions.traceDir). */
async function startTrace(context: BrowserContext, page: Page): Promise<{ save(file: string, extra: object): Promise<void> }> {
	const cdp = await context.newCDPSession(page);
	const events: unknown[] = [];
	cdp.on('Tracing.dataCollected', (e: { value: unknown[] }) => events.push(...e.value));
	const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'loading', 'disabled-by-default-v8.cpu_profiler'];
	await cdp.send('Tracing.start', { categories: categories.join(','), transferMode: 'ReportEvents' });
	return {
		async save(file, extra) {
			const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
			await cdp.send('Tracing.end');
			await complete;
			writeFileSync(file, JSON.stringify({ traceEvents: events, ...extra }));
		}
	};
}

async function throttle(context: BrowserContext, page: Page, rate = CPU_RATE): Promise<void> {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

async function benchFirstLoad(origin: string, dir: string, opts: KioskOptions): Promise<FirstLoadResult> {
	const js = initialJs(opts.root);
	const blankVideo = join(dir, 'blank.y4m');
	writeQrVideo(blankVideo, [{ payload: null, frames: 15 }]);
	const profile = join(dir, 'profile');
	mkdirSync(profile, { recursive: true });
	const launchAt = (dir: string) => () => chromium.launchPersistentContext(dir, { executablePath: executablePath(), args: [...CHROMIUM_ARGS, ...FAKE_CAMERA_FLAGS(blankVideo)], ...CONTEXT });
	const launchProfile = launchAt(profile);
	const floorProfile = join(dir, 'profile-floor');
	const launchFloor = launchAt(floorProfile);

	// Install: online, let the service worker take the page, as a tablet's first visit does.
	let fetched: FirstLoadResult['fetchedBeforeLoad'];
	{
		const context = await launchProfile();
		try {
			await context.addInitScript(NAME_SHIM);
			const page = context.pages()[0] ?? (await context.newPage());
			await page.goto(`${origin}/`, { waitUntil: 'load' });
			// The page's initial JavaScript is what it asked for before the scanner's chunk, the first
			// lazy import (at the check-in screen's mount). Not "before load": with the CSS inside the
			// page, the load event no longer waits for the modules.
			await waitForMark(page, START_MARKS.scannerLoaded, 30_000);
			const resources = await page.evaluate((scanner) => {
				const all = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
				const cutoff = all.find((r) => scanner && r.name.endsWith(scanner))?.startTime ?? Infinity;
				return all
					.filter((r) => r.startTime < cutoff && new URL(r.name).pathname.endsWith('.js'))
					.map((r) => ({ path: new URL(r.name).pathname, transfer: r.encodedBodySize }));
			}, js.scannerChunk);
			const built = new Set(js.files.map((f) => f.path));
			const got = new Set(resources.map((r) => r.path));
			fetched = {
				files: resources.length,
				transferBytes: resources.reduce((s, r) => s + r.transfer, 0),
				notInBuildList: [...got].filter((p) => !built.has(p)),
				buildListNotFetched: [...built].filter((p) => !got.has(p))
			};
			await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
			await page.reload(); // a first install may not control the page yet
			await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
			await page.waitForSelector('#qr-reader[data-scanner-state="running"]', { timeout: 30_000 });
		} finally {
			await context.close();
		}
	}

	cpSync(profile, floorProfile, { recursive: true });
	await installFloorPage(launchFloor, origin);

	const coldRuns = opts.coldStarts ?? (opts.quick ? 2 : 7);
	if (opts.traceDir) mkdirSync(opts.traceDir, { recursive: true });
	const warmPerCold = opts.quick ? 1 : 2;
	const cold: number[] = [];
	const fcps: number[] = [];
	const warm: number[] = [];
	let scannerAfterPaint = true;
	const splits: LoadSplit[] = [];
	const floor: number[] = [];
	opts.log(`first load offline, CPU ${CPU_RATE}×: ${coldRuns} cold browser starts on the installed profile, ${warmPerCold} reload(s) each`);
	// One unmeasured start: the profile's first offline start also settles caches.
	for (let run = -1; run < coldRuns && !stopping.now; run++) {
		const context = await launchProfile();
		try {
			await context.addInitScript(NAME_SHIM);
			await context.addInitScript(loadProbe);
			// Nothing reaches the network, not the page and not the service worker.
			await context.route('**/*', (route) => route.abort('internetdisconnected'));
			await context.setOffline(true);
			const page = context.pages()[0] ?? (await context.newPage());
			await throttle(context, page);
			const measure = async () => {
				await page.waitForFunction(() => (window as unknown as { __benchLoad: LoadProbe }).__benchLoad?.usableAt != null, null, { timeout: 60_000, polling: 100 });
				// The database may open after the camera runs (the check-in screen puts it off): its mark too.
				await waitForMark(page, START_MARKS.kioskReady, 10_000).catch(() => {});
				return page.evaluate(
					([scanner, marks]) => {
						const usable = (window as unknown as { __benchLoad: LoadProbe }).__benchLoad.usableAt!;
						const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
						const scannerStart = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((r) => scanner && r.name.endsWith(scanner))?.startTime ?? NaN;
						const controlled = navigator.serviceWorker.controller !== null;
						const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
						const mark = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN;
						const split = { html: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd, fcp, scannerLoaded: mark(marks.scannerLoaded), kioskReady: mark(marks.kioskReady), cameraRunning: mark(marks.cameraRunning) };
						return { usable, fcp, scannerStart, controlled, split };
					},
					[js.scannerChunk, START_MARKS] as const
				);
			};
			const tracing = opts.traceDir && run >= 0 ? await startTrace(context, page) : null;
			await page.goto(`${origin}/`);
			const first = await measure();
			if (tracing) await tracing.save(join(opts.traceDir!, `trace-${run}.json`), { usable: first.usable, split: first.split });
			if (!first.controlled) throw new Error('first load: the page offline was not served by the service worker');
			if (run >= 0) {
				cold.push(first.usable);
				fcps.push(first.fcp);
				splits.push(first.split);
				if (!(first.scannerStart > first.fcp)) scannerAfterPaint = false;
			}
			for (let w = 0; w < warmPerCold && run >= 0; w++) {
				await page.reload();
				warm.push((await measure()).usable);
			}
		} finally {
			await context.close();
		}
		// The floor, after each app start, on the same profile and the same terms.
		const f = await cameraFloorOnce(launchFloor, origin);
		if (run >= 0) floor.push(f);
	}
	const med = (key: keyof LoadSplit) => round(median(splits.map((x) => x[key]).filter((v) => Number.isFinite(v))), 1);
	const result: FirstLoadResult = {
		cpuThrottle: CPU_RATE,
		cold: { ...stats(cold), fcpMedianMs: round(median(fcps), 1) },
		warm: stats(warm),
		scannerAfterPaint,
		split: { html: med('html'), domContentLoaded: med('domContentLoaded'), fcp: med('fcp'), scannerLoaded: med('scannerLoaded'), kioskReady: med('kioskReady'), cameraRunning: med('cameraRunning') },
		floor: floor.length ? stats(floor) : undefined,
		initialJs: { ...js, gzipKB: round(js.gzip / 1000, 1) },
		fetchedBeforeLoad: fetched
	};
	opts.log(`  cold start → camera usable: median ${fmt(result.cold.medianMs)} (p90 ${fmt(result.cold.p90Ms)}), first paint ${fmt(result.cold.fcpMedianMs)}; warm reload ${fmt(result.warm.medianMs)}; scanner loaded after paint: ${scannerAfterPaint ? 'yes' : 'NO'}`);
	const sp = result.split;
	opts.log(`  where the cold start goes (medians, ms from navigation): HTML from the service worker ${sp.html}, DOMContentLoaded ${sp.domContentLoaded}, first paint ${sp.fcp}, scanner code loaded ${sp.scannerLoaded}, database open ${sp.kioskReady}, camera running ${sp.cameraRunning}`);
	if (result.floor) opts.log(`  floor: a bare page that only starts the camera, offline through the same service worker, CPU ${CPU_RATE}×: median ${fmt(result.floor.medianMs)} (p90 ${fmt(result.floor.p90Ms)}); the app is ${round(result.cold.medianMs / result.floor.medianMs, 2)}× it`);
	opts.log(`  initial JS of /: ${js.files.length} files, ${result.initialJs.gzipKB} kB gzip (${round(js.brotli / 1000, 1)} kB brotli, ${round(js.raw / 1000, 1)} kB raw); biggest:`);
	for (const f of js.files.slice(0, 5)) opts.log(`    ${(round(f.gzip / 1000, 1) + ' kB').padStart(8)}  ${f.path}${f.what ? `  (${f.what})` : ''}`);
	opts.log(`  browser before the scanner's chunk: ${fetched.files} JS files, ${round(fetched.transferBytes / 1000, 1)} kB transferred (brotli)${fetched.notInBuildList.length ? `; not in the build's list: ${fetched.notInBuildList.join(', ')}` : ''}${fetched.buildListNotFetched.length ? `; listed but not fetched: ${fetched.buildListNotFetched.join(', ')}` : ''}`);
	return result;
}

// ---------------------------------------------------------------------------------------------
// 3. Tablet data at scale

export interface TabletResult {
	scale: { sessions: number; assists: number; checkIns: number; residents: number; members: number; period: string; periodSessions: number; periodAssists: number; periodCheckIns: number };
	seedS: number;
	/** The leader view's tally on opening (its performance.measure), alongside the render. */
	tallyOnOpen: ReturnType<typeof stats>;
	/** The same tally re-run in the open view (period ‹ then ›): no page work alongside. */
	tally: ReturnType<typeof stats>;
	/** Tap on "Báo cáo của tổ" → the period's totals on screen, with the right numbers. */
	render: ReturnType<typeof stats>;
	/** getAll of every row, then filter and count in JS, in the same page. */
	naive: ReturnType<typeof stats>;
	/** naive / tally (re-run), medians of the same runs. */
	ratio: number;
	/** The re-run tally with the page's CPU throttled 4× (a tablet-class CPU, issue 15). */
	tallyCpu4?: ReturnType<typeof stats>;
	/**
	 * At CPU 4×, same runs (tallyRawReads): bare IndexedDB reads of the period's check-ins and assists
	 * (one getAll per session; the floor of counting from rows) and of its sessions' digests (the
	 * floor of counting from digests, which the tally does for closed sessions).
	 */
	floorCpu4?: { rows: ReturnType<typeof stats>; digests: ReturnType<typeof stats> };
	/**
	 * Where the tally's time goes: its reads done raw (medians): the period's check-ins and assists,
	 * which it reads, and the residents they name, which it no longer reads since check-ins carry
	 * gender and birth year (kept to show what that saved).
	 */
	reads: { rowsMs: number; residentsMs: number; residents: number };
}

const CHUNK = 5000;

async function seedTablet(page: Page, data: TabletData): Promise<void> {
	// The demo seeding (the app's first start) wrote the team, the demo members and the skills.
	await page.evaluate(async (extra) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('tramso-kiosk');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const tx = db.transaction('members', 'readwrite');
		const store = tx.objectStore('members');
		const template = await new Promise<{ pin: unknown }>((resolve, reject) => {
			const get = store.get('demo-member');
			get.onsuccess = () => resolve(get.result as { pin: unknown });
			get.onerror = () => reject(get.error);
		});
		for (const m of extra) store.put({ ...m, pin: template.pin });
		await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
		db.close();
	}, data.extraMembers);
	const stores: [string, unknown[]][] = [
		['residents', data.residents],
		['sessions', data.sessions],
		['checkIns', data.checkIns],
		['assists', data.assists],
		['outbox', data.outbox]
	];
	for (const [store, rows] of stores) {
		for (let i = 0; i < rows.length; i += CHUNK) {
			await page.evaluate(
				async ({ store, rows }) => {
					const db = await new Promise<IDBDatabase>((resolve, reject) => {
						const open = indexedDB.open('tramso-kiosk');
						open.onsuccess = () => resolve(open.result);
						open.onerror = () => reject(open.error);
					});
					const tx = db.transaction(store, 'readwrite');
					const os = tx.objectStore(store);
					for (const row of rows) os.put(row);
					await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
					db.close();
				},
				{ store, rows: rows.slice(i, i + CHUNK) }
			);
		}
	}
}

/** The naive way: read every row of the four stores, keep the period's, count in JS. */
function naiveTally(range: { first: string; last: string }) {
	return new Promise<{ ms: number; checkIns: number; assists: number; distinctResidents: number }>((resolve, reject) => {
		const open = indexedDB.open('tramso-kiosk');
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const db = open.result;
			const start = performance.now();
			const tx = db.transaction(['sessions', 'checkIns', 'assists', 'residents'], 'readonly');
			const all = (store: string) =>
				new Promise<unknown[]>((res, rej) => {
					const r = tx.objectStore(store).getAll();
					r.onsuccess = () => res(r.result);
					r.onerror = () => rej(r.error);
				});
			void Promise.all([all('sessions'), all('checkIns'), all('assists'), all('residents')]).then(([sessions, checkIns, assists, residents]) => {
				type Row = Record<string, unknown>;
				const ids = new Set((sessions as Row[]).filter((s) => (s.date as string) >= range.first && (s.date as string) <= range.last).map((s) => s.id as string));
				const people = new Map((residents as Row[]).map((r) => [r.id as string, r]));
				const year = Number(range.last.slice(0, 4));
				const band = (birthYear: number) => {
					const age = year - birthYear;
					return age < 18 ? 'under18' : age < 40 ? 'from18to39' : age < 60 ? 'from40to59' : 'from60';
				};
				const count = (rec: Record<string, number>, key: string) => (rec[key] = (rec[key] ?? 0) + 1);
				const seen = new Set<string>();
				const first = new Set<string>();
				const byGender: Record<string, number> = {};
				const byBand: Record<string, number> = {};
				let nCheckIns = 0;
				for (const c of checkIns as Row[]) {
					if (!ids.has(c.sessionId as string)) continue;
					nCheckIns++;
					const rid = c.residentId as string;
					if (c.firstVisit) first.add(rid);
					if (seen.has(rid)) continue;
					seen.add(rid);
					const p = people.get(rid)!;
					count(byGender, p.gender as string);
					count(byBand, band(p.birthYear as number));
				}
				const byOutcome: Record<string, number> = {};
				const bySkill: Record<string, number> = {};
				const byMember: Record<string, number> = {};
				let nAssists = 0;
				for (const a of assists as Row[]) {
					if (!ids.has(a.sessionId as string)) continue;
					nAssists++;
					const p = people.get(a.residentId as string)!;
					count(byOutcome, a.outcome as string);
					count(byMember, a.memberId as string);
					count(byGender, `assist:${p.gender as string}`);
					count(byBand, `assist:${band(p.birthYear as number)}`);
					for (const code of new Set(a.skillCodes as string[])) count(bySkill, code);
				}
				const ms = performance.now() - start;
				db.close();
				resolve({ ms, checkIns: nCheckIns, assists: nAssists, distinctResidents: seen.size });
			}, reject);
		};
	});
}

/**
 * The tally's reads done raw in the same page, to show where its time goes and its floors: the
 * period's check-ins and assists (one getAll per session on the sessionId index: what the tally
 * read before digests), their residents (one get each: what it read before check-ins kept gender
 * and birth year), and the period's digests (one get per session: what it reads now).
 */
function tallyRawReads(range: { first: string; last: string }) {
	return new Promise<{ rowsMs: number; rows: number; residentsMs: number; residents: number; digestsMs: number; digests: number }>((resolve, reject) => {
		const open = indexedDB.open('tramso-kiosk');
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const db = open.result;
			const req = <T>(r: IDBRequest<T>) =>
				new Promise<T>((res, rej) => {
					r.onsuccess = () => res(r.result);
					r.onerror = () => rej(r.error);
				});
			void (async () => {
				let tx = db.transaction(['sessions']);
				const sessions = (await req(tx.objectStore('sessions').index('date').getAll(IDBKeyRange.bound(range.first, range.last)))) as { id: string }[];
				tx = db.transaction(['checkIns', 'assists']);
				let t = performance.now();
				const rows = (await Promise.all(['checkIns', 'assists'].flatMap((store) => sessions.map((s) => req(tx.objectStore(store).index('sessionId').getAll(s.id)))))) as { residentId: string }[][];
				const rowsMs = performance.now() - t;
				const ids = [...new Set(rows.flat().map((r) => r.residentId))];
				tx = db.transaction(['residents']);
				t = performance.now();
				await Promise.all(ids.map((id) => req(tx.objectStore('residents').get(id))));
				const residentsMs = performance.now() - t;
				tx = db.transaction(['sessionDigests']);
				t = performance.now();
				const digests = await Promise.all(sessions.map((s) => req(tx.objectStore('sessionDigests').get(s.id))));
				const digestsMs = performance.now() - t;
				db.close();
				resolve({ rowsMs, rows: rows.reduce((n, r) => n + r.length, 0), residentsMs, residents: ids.length, digestsMs, digests: digests.filter(Boolean).length });
			})().catch(reject);
		};
	});
}

interface LeaderProbe {
	clickAt: number;
	shownAt: number | null;
}

async function unlockLeader(page: Page, origin: string): Promise<void> {
	const leader = DEMO_MEMBERS.find((m) => m.role === 'leader')!;
	await page.goto(`${origin}/team`);
	await page.getByRole('button', { name: new RegExp(leader.fullName) }).click({ timeout: 30_000 });
	for (const digit of leader.pin) await page.getByRole('button', { name: digit, exact: true }).click();
	await page.getByRole('button', { name: 'Mở khóa' }).click();
	await page.getByText(`Đang làm việc: ${leader.fullName}`).waitFor({ timeout: 30_000 });
}

/** Opens the leader view by its link, as a leader does; resolves when the right totals show. */
async function openLeader(page: Page, expectedCheckIns: number): Promise<{ renderMs: number; tallyMs: number; detail: unknown }> {
	await page.evaluate((expected) => {
		const probe: LeaderProbe = { clickAt: performance.now(), shownAt: null };
		(window as unknown as { __benchLeader: LeaderProbe }).__benchLeader = probe;
		const observer = new MutationObserver(() => {
			const dd = document.querySelector('dl.headline dd');
			if (dd && dd.textContent?.trim() === String(expected)) {
				observer.disconnect();
				requestAnimationFrame(() => (probe.shownAt = performance.now()));
			}
		});
		observer.observe(document, { childList: true, subtree: true, characterData: true });
		document.querySelector<HTMLAnchorElement>('a[href="/leader"]')!.click();
	}, expectedCheckIns);
	await page.waitForFunction(() => (window as unknown as { __benchLeader: LeaderProbe }).__benchLeader.shownAt !== null, null, { timeout: 60_000, polling: 50 });
	return page.evaluate((name) => {
		const probe = (window as unknown as { __benchLeader: LeaderProbe }).__benchLeader;
		const m = (performance.getEntriesByName(name, 'measure') as PerformanceMeasure[]).filter((e) => e.startTime >= probe.clickAt && (e.detail as { assists?: number })?.assists);
		return { renderMs: probe.shownAt! - probe.clickAt, tallyMs: m[0]?.duration ?? NaN, detail: m[0]?.detail };
	}, PERIOD_TALLY_MEASURE);
}

/** Period ‹ then ›: the view re-runs the tally of the same period; returns that measure. */
async function rerunTally(page: Page, expectedCheckIns: number): Promise<number> {
	const before = await page.evaluate((name) => performance.getEntriesByName(name, 'measure').length, PERIOD_TALLY_MEASURE);
	await page.getByRole('button', { name: 'Kỳ trước' }).click();
	await page.waitForFunction(([name, n]) => performance.getEntriesByName(name as string, 'measure').length > (n as number), [PERIOD_TALLY_MEASURE, before] as const);
	const mid = before + 1;
	await page.getByRole('button', { name: 'Kỳ sau' }).click();
	await page.waitForFunction(([name, n]) => performance.getEntriesByName(name as string, 'measure').length > (n as number), [PERIOD_TALLY_MEASURE, mid] as const);
	await page.waitForFunction((expected) => document.querySelector('dl.headline dd')?.textContent?.trim() === String(expected), expectedCheckIns);
	return page.evaluate((name) => {
		const all = performance.getEntriesByName(name, 'measure');
		return all[all.length - 1]!.duration;
	}, PERIOD_TALLY_MEASURE);
}

async function benchTablet(origin: string, opts: KioskOptions): Promise<TabletResult> {
	const assists = opts.assists ?? (opts.quick ? 20_000 : 100_000);
	const sessions = Math.max(10, Math.round(assists / 400));
	const data = generateTabletData({ assists, sessions, residents: Math.max(1000, Math.round(assists / 12.5)) });
	const periodSessions = data.sessions.filter((s) => s.date >= data.period.first && s.date <= data.period.last).length;
	const runs = opts.quick ? 2 : 7;
	opts.log(`tablet data: ${data.sessions.length} sessions, ${data.assists.length.toLocaleString('en-US')} assists, ${data.checkIns.length.toLocaleString('en-US')} check-ins, ${data.residents.length.toLocaleString('en-US')} residents; period ${data.period.key} (${data.period.first} – ${data.period.last}, ${periodSessions} sessions); ${runs} runs`);

	const browser = await launch();
	try {
		const context = await newContext(browser, { serviceWorkers: 'block' });
		const page = await context.newPage();
		// The app's first start seeds the demo team; then the year goes in beside it.
		await page.goto(`${origin}/team`);
		await page.getByRole('button', { name: /Nguyễn Văn An/ }).waitFor({ timeout: 30_000 });
		const t = nowMs();
		await seedTablet(page, data);
		const seedS = round((nowMs() - t) / 1000, 1);
		opts.log(`  seeded in ${seedS} s`);

		const onOpen: number[] = [];
		const renders: number[] = [];
		const reruns: number[] = [];
		const naive: number[] = [];
		const reads: { rowsMs: number; residentsMs: number; residents: number }[] = [];
		// One unmeasured round first: the leader route's code and IndexedDB's caches.
		for (let run = -1; run < runs && !stopping.now; run++) {
			await unlockLeader(page, origin);
			const open = await openLeader(page, data.expected.checkIns);
			const detail = open.detail as { checkIns: number; assists: number } | undefined;
			if (!detail || detail.assists !== data.expected.assists || detail.checkIns !== data.expected.checkIns) {
				throw new Error(`tablet: the leader view counted ${JSON.stringify(detail)}, expected ${data.expected.checkIns} check-ins and ${data.expected.assists} assists`);
			}
			const rerun = await rerunTally(page, data.expected.checkIns);
			const n = await page.evaluate(naiveTally, { first: data.period.first, last: data.period.last });
			if (n.assists !== data.expected.assists || n.checkIns !== data.expected.checkIns || n.distinctResidents !== data.expected.distinctResidents) {
				throw new Error(`tablet: the naive scan counted ${JSON.stringify(n)}, expected ${data.expected.checkIns} check-ins, ${data.expected.assists} assists`);
			}
			const { rowsMs, residentsMs, residents } = await page.evaluate(tallyRawReads, { first: data.period.first, last: data.period.last });
			const r = { rowsMs, residentsMs, residents };
			if (run < 0) continue;
			reads.push(r);
			onOpen.push(open.tallyMs);
			renders.push(open.renderMs);
			reruns.push(rerun);
			naive.push(n.ms);
		}
		// The same tally on a tablet-class CPU: Chromium throttled 4×, re-run in the open view.
		await throttle(context, page);
		const throttled: number[] = [];
		const floorRows: number[] = [];
		const floorDigests: number[] = [];
		for (let run = -1; run < runs && !stopping.now; run++) {
			const ms = await rerunTally(page, data.expected.checkIns);
			const floor = await page.evaluate(tallyRawReads, { first: data.period.first, last: data.period.last });
			if (floor.rows !== data.expected.checkIns + data.expected.assists || floor.digests !== periodSessions) {
				throw new Error(`tablet: the floor read ${floor.rows} rows and ${floor.digests} digests, expected ${data.expected.checkIns + data.expected.assists} and ${periodSessions}`);
			}
			if (run >= 0) {
				throttled.push(ms);
				floorRows.push(floor.rowsMs);
				floorDigests.push(floor.digestsMs);
			}
		}
		await context.close();
		const result: TabletResult = {
			scale: {
				sessions: data.sessions.length,
				assists: data.assists.length,
				checkIns: data.checkIns.length,
				residents: data.residents.length,
				members: DEMO_MEMBERS.length + data.extraMembers.length,
				period: data.period.key,
				periodSessions,
				periodAssists: data.expected.assists,
				periodCheckIns: data.expected.checkIns
			},
			seedS,
			tallyOnOpen: stats(onOpen),
			tally: stats(reruns),
			render: stats(renders),
			naive: stats(naive),
			ratio: round(median(naive) / median(reruns), 1),
			tallyCpu4: throttled.length ? stats(throttled) : undefined,
			floorCpu4: floorRows.length ? { rows: stats(floorRows), digests: stats(floorDigests) } : undefined,
			reads: { rowsMs: round(median(reads.map((r) => r.rowsMs)), 1), residentsMs: round(median(reads.map((r) => r.residentsMs)), 1), residents: reads[0]?.residents ?? 0 }
		};
		opts.log(`  period tally: ${fmt(result.tally.medianMs)} re-run in the open view, ${fmt(result.tallyOnOpen.medianMs)} while it opens; naive scan ${fmt(result.naive.medianMs)} (${result.ratio}×); leader view tap → totals ${fmt(result.render.medianMs)}`);
		if (result.tallyCpu4) opts.log(`  period tally at CPU ${CPU_RATE}×: ${fmt(result.tallyCpu4.medianMs)} (p90 ${fmt(result.tallyCpu4.p90Ms)})`);
		if (result.floorCpu4) opts.log(`  floors at CPU ${CPU_RATE}×, bare IndexedDB: the period's ${(data.expected.checkIns + data.expected.assists).toLocaleString('en-US')} rows ${fmt(result.floorCpu4.rows.medianMs)}, its ${periodSessions} digests ${fmt(result.floorCpu4.digests.medianMs)}`);
		opts.log(`  the tally's reads done raw: check-ins and assists ${fmt(result.reads.rowsMs)}; reading the ${result.reads.residents.toLocaleString('en-US')} residents too (as before check-ins kept gender and birth year) would add ${fmt(result.reads.residentsMs)}`);
		return result;
	} finally {
		await browser.close();
	}
}

// ---------------------------------------------------------------------------------------------

export interface KioskResults {
	chromium: string;
	scan?: ScanResult;
	firstLoad?: FirstLoadResult;
	tablet?: TabletResult;
	seconds: number;
}

export async function runKiosk(opts: KioskOptions): Promise<KioskResults> {
	const started = nowMs();
	const dir = mkdtempSync(join(tmpdir(), 'tramso-bench-kiosk-'));
	const removeDir = onCleanup('kiosk temp dir', () => rmSync(dir, { recursive: true, force: true }));
	let server: ServerChild | undefined;
	try {
		server = await startServer({ root: opts.root, databaseUrl: `file:${join(dir, 'server.db')}` });
		const probe = await launch();
		const version = probe.version();
		await probe.close();
		opts.log(`kiosk: built app at ${server.origin}, Chromium ${version}`);
		const results: KioskResults = { chromium: version, seconds: 0 };
		if (opts.phases.has('scan')) results.scan = await benchScan(server.origin, dir, opts);
		if (opts.phases.has('firstload') && !stopping.now) results.firstLoad = await benchFirstLoad(server.origin, dir, opts);
		if (opts.phases.has('tablet') && !stopping.now) results.tablet = await benchTablet(server.origin, opts);
		results.seconds = round((nowMs() - started) / 1000, 1);
		return results;
	} finally {
		await server?.stop();
		await removeDir();
	}
}
