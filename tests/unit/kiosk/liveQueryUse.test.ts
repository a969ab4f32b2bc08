// Screens read Dexie only through `live()` (src/lib/kiosk/live.svelte.ts): a bare `liveQuery(` in a
// component brought back both stale-screen bugs (state read inside the callback, and a callback
// that is not `async` losing Dexie's tracking after its first await).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function svelteFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : svelteFiles(path);
		return /\.svelte(\.ts)?$/.test(entry.name) ? [path] : [];
	});
}

describe('reading Dexie on screen', () => {
	const files = svelteFiles('src');
	const helper = join('src', 'lib', 'kiosk', 'live.svelte.ts');

	it('finds the screens to check', () => {
		expect(files).toContain(join('src', 'routes', '(kiosk)', 'leader', '+page.svelte'));
		expect(files).toContain(helper);
	});

	it('has no bare liveQuery( outside the live() helper', () => {
		const offenders = files.filter((file) => file !== helper && /\bliveQuery\s*\(/.test(readFileSync(file, 'utf8')));
		expect(offenders).toEqual([]);
	});
});
