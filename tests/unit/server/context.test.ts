// First start with a guessable ADMIN_PASSWORD: the server refuses to start and says why,
// rather than create an admin anyone could sign in as (issue 10 §8).
import { afterEach, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const saved = { ...process.env };
let dir = '';
afterEach(() => {
	process.env = { ...saved };
	vi.restoreAllMocks();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

it('refuses to start with a weak ADMIN_PASSWORD, naming the variable and the reason', async () => {
	dir = mkdtempSync(join(tmpdir(), 'tramso-context-'));
	process.env.DATABASE_URL = `file:${join(dir, 'db.sqlite')}`;
	process.env.DEMO_DATA = 'off';
	process.env.ADMIN_PASSWORD = 'admin-1234567890';
	const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
	vi.resetModules();
	const { serverContext } = await import('$lib/server/context');
	await expect(serverContext()).rejects.toThrow(/ADMIN_PASSWORD is refused: password must not contain the username/);
	expect(logged).toHaveBeenCalledWith(expect.stringContaining('ADMIN_PASSWORD is refused'));
});
