// What JavaScript the check-in screen `/` loads before its first paint, read from the build: the
// prerendered page's modulepreload links and entry imports, and everything those import
// statically (not `import()`: that loads later, e.g. the scanner). Sizes are those of the
// precompressed .gz/.br files adapter-node serves (gzip computed when a file has none).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export interface JsFile {
	/** URL path, e.g. /_app/immutable/chunks/abc.js */
	path: string;
	raw: number;
	gzip: number;
	brotli: number;
	/** A guess at what the file mostly is, for the report ('' when unknown). */
	what: string;
}

export interface InitialJs {
	files: JsFile[];
	raw: number;
	gzip: number;
	brotli: number;
	/** The build's chunk holding html5-qrcode, which must not be among `files`. */
	scannerChunk: string | null;
	scannerInitial: boolean;
}

// Static imports in Vite's minified output: `import{a as b}from"./x.js"`, `import"./x.js"`,
// `export{a}from"./x.js"`. `import(` (dynamic) is excluded by requiring no parenthesis.
const STATIC_IMPORT = /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g;
const MODULEPRELOAD = /<link\b[^>]*\brel=["']?modulepreload["']?[^>]*>/g;
const HREF = /\bhref=["']?([^"'\s>]+)/;
const ENTRY_IMPORT = /import\(\s*["']([^"']+\.js)["']\s*\)/g;

export function staticImports(source: string): string[] {
	return [...source.matchAll(STATIC_IMPORT)].map((m) => m[1]!);
}

// Markers left in minified code by the libraries that weigh most.
const KNOWN: [string, RegExp][] = [
	['dexie', /\bDexie\b.*\bDexie\b/s],
	['svelte runtime', /hydration_mismatch/],
	['workbox-window', /workbox/i],
	['html5-qrcode', /qr-shaded-region/]
];

function sizeOf(clientDir: string, urlPath: string): JsFile {
	const file = join(clientDir, urlPath);
	const body = readFileSync(file);
	const text = body.toString('utf8');
	const gz = `${file}.gz`;
	const br = `${file}.br`;
	return {
		path: urlPath,
		raw: body.byteLength,
		gzip: existsSync(gz) ? statSync(gz).size : gzipSync(body, { level: 9 }).byteLength,
		brotli: existsSync(br) ? statSync(br).size : brotliCompressSync(body).byteLength,
		what: urlPath.includes('/nodes/') ? 'route' : urlPath.includes('/entry/') ? 'kit entry' : (KNOWN.find(([, re]) => re.test(text))?.[0] ?? '')
	};
}

/** Initial JS of a prerendered page (default: `/` = build/prerendered/index.html). */
export function initialJs(root: string, page = 'index.html'): InitialJs {
	const clientDir = join(root, 'build', 'client');
	const html = readFileSync(join(root, 'build', 'prerendered', page), 'utf8');
	const roots = [
		...[...html.matchAll(MODULEPRELOAD)].map((m) => HREF.exec(m[0])?.[1]).filter((h): h is string => !!h),
		// SvelteKit's inline boot script imports the entries (they are also modulepreloaded).
		...[...html.matchAll(ENTRY_IMPORT)].map((m) => m[1]!)
	].map((href) => posix.resolve('/', href));

	const seen = new Set<string>();
	const queue = [...roots];
	while (queue.length > 0) {
		const path = queue.shift()!;
		if (seen.has(path)) continue;
		if (!existsSync(join(clientDir, path))) throw new Error(`initial JS: ${path} is linked from ${page} but not in build/client`);
		seen.add(path);
		const source = readFileSync(join(clientDir, path), 'utf8');
		for (const spec of staticImports(source)) queue.push(posix.resolve(posix.dirname(path), spec));
	}
	const files = [...seen].map((p) => sizeOf(clientDir, p)).sort((a, b) => b.gzip - a.gzip);
	const scannerChunk = findScannerChunk(clientDir);
	return {
		files,
		raw: files.reduce((s, f) => s + f.raw, 0),
		gzip: files.reduce((s, f) => s + f.gzip, 0),
		brotli: files.reduce((s, f) => s + f.brotli, 0),
		scannerChunk,
		scannerInitial: scannerChunk !== null && seen.has(scannerChunk)
	};
}

/** The chunk with html5-qrcode (the id of the shading it draws over the camera is unique to it). */
function findScannerChunk(clientDir: string): string | null {
	const dir = join(clientDir, '_app', 'immutable', 'chunks');
	if (!existsSync(dir)) return null;
	for (const name of readdirSync(dir).sort()) {
		if (!name.endsWith('.js')) continue;
		if (readFileSync(join(dir, name), 'utf8').includes('qr-shaded-region')) return `/_app/immutable/chunks/${name}`;
	}
	return null;
}
