// The check-in screen's first load carries neither the database code (Dexie) nor the decoder
// (html5-qrcode): both load after the screen painted (npm run bench: first load offline). Twice a
// static import slipped in through a small helper (the header's teamPlace from kiosk/team.ts, the
// greeting's five marks) and the first load went from 52 to 97 kB gzip unnoticed until the bench
// ran. This follows the static imports from the check-in screen and its layout, as the bundler
// does (dynamic import() and `import type` bring nothing into the first load).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['src/routes/(kiosk)/+layout.svelte', 'src/routes/(kiosk)/+page.svelte'];
const FORBIDDEN = ['dexie', 'html5-qrcode'];

/** Static, non-type imports of a source file (scripts only for .svelte). */
function staticImportsOf(source: string): string[] {
	const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
	const found: string[] = [];
	for (const m of code.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
		if (m[1]) continue; // import type … / export type …
		found.push(m[2]!);
	}
	return found;
}

function resolveImport(from: string, spec: string): string | null {
	const base = spec.startsWith('$lib/') ? join('src/lib', spec.slice(5)) : spec.startsWith('.') ? join(dirname(from), spec) : null;
	if (base === null) return null; // a package
	for (const candidate of [base, `${base}.ts`, `${base}.svelte.ts`, `${base}.js`, join(base, 'index.ts')]) {
		if (existsSync(candidate) && !candidate.endsWith('/')) {
			try {
				readFileSync(candidate);
				return candidate;
			} catch {
				/* a directory */
			}
		}
	}
	return null;
}

/** Every package the roots reach through static imports, with one path to it. */
function packagesReached(roots: string[]): Map<string, string[]> {
	const reached = new Map<string, string[]>();
	const seen = new Set<string>();
	const walk = (file: string, path: string[]) => {
		const key = resolve(file);
		if (seen.has(key)) return;
		seen.add(key);
		// Paraglide's compiled messages import nothing of interest and are large.
		if (file.includes('/paraglide/')) return;
		for (const spec of staticImportsOf(readFileSync(file, 'utf8'))) {
			const target = resolveImport(file, spec);
			if (target) walk(target, [...path, target]);
			else if (!spec.startsWith('.') && !spec.startsWith('$')) {
				const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
				if (!reached.has(pkg)) reached.set(pkg, [...path, spec]);
			}
		}
	};
	for (const root of roots) walk(root, [root]);
	return reached;
}

describe("the check-in screen's first load", () => {
	it('reads the imports it should (the walk finds svelte and the scanner wrapper)', () => {
		const reached = packagesReached(ROOTS);
		expect(reached.has('svelte')).toBe(true);
		expect(staticImportsOf("import type { A } from 'dexie';\nimport { b } from './b';\nconst x = import('html5-qrcode');")).toEqual(['./b']);
	});

	it.each(FORBIDDEN)('does not import %s statically', (pkg) => {
		const path = packagesReached(ROOTS).get(pkg);
		expect(path, path?.join(' → ')).toBeUndefined();
	});
});
