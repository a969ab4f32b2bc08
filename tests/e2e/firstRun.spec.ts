// The server started exactly as README's `npm start` starts it (`node build` after the build), with
// nothing in the environment README does not ask for: no ORIGIN, no ADMIN_PASSWORD, no
// DATABASE_URL. Every other spec runs a server with settings; this one is how a new user meets it,
// and where "signing in answers 403 Cross-site POST form submissions are forbidden" was hiding.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from './cspGuard';

const BUILD_DIR = fileURLToPath(new URL('../../build', import.meta.url));

/** README's default port when it is free here, else any free one (PORT is README's own setting). */
async function readmePort(): Promise<number> {
	const tryListen = (port: number) =>
		new Promise<number | null>((resolve) => {
			const probe = createServer();
			probe.once('error', () => resolve(null));
			probe.listen(port, () => {
				const address = probe.address();
				probe.close(() => resolve(typeof address === 'object' && address ? address.port : null));
			});
		});
	return (await tryListen(3000)) ?? (await tryListen(0))!;
}

let server: ChildProcess | undefined;
let workDir = '';
let port = 0;
let adminPassword = '';
let output = '';

test.beforeAll(async () => {
	// A fresh folder as the working directory: the data goes to its ./data, as on a new install.
	workDir = mkdtempSync(join(tmpdir(), 'tramso-first-run-'));
	port = await readmePort();
	const readmeEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
	if (port !== 3000) readmeEnv.PORT = String(port);
	server = spawn(process.execPath, [BUILD_DIR], { cwd: workDir, env: readmeEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	server.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	server.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	await expect
		.poll(() => (/Listening on/.test(output) ? (output.match(/with the password (\S+)/)?.[1] ?? '') : ''), { timeout: 60_000, message: 'the server listens and prints the admin password' })
		.not.toBe('');
	adminPassword = output.match(/with the password (\S+)/)![1]!;
});

test.afterAll(() => {
	server?.kill();
	rmSync(workDir, { recursive: true, force: true });
});

async function signIn(page: Page, origin: string) {
	await page.goto(`${origin}/admin`);
	await expect(page).toHaveURL(/\/admin\/login/);
	await page.getByLabel('Tên đăng nhập').fill('admin');
	await page.getByLabel('Mật khẩu').fill(adminPassword);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { name: 'Tổng quan' })).toBeVisible();
	expect(new URL(page.url()).origin).toBe(origin);
}

test('the admin signs in with the printed password at http://localhost, as README says', async ({ page }) => {
	await signIn(page, `http://localhost:${port}`);
});

test('another computer on the office network signs in at the server address', async ({ browser }) => {
	// 127.0.0.2 is this machine under another address: to the server, a browser that did not type
	// "localhost", as an officer's PC typing http://<server address>:3000 would.
	const context = await browser.newContext();
	await signIn(await context.newPage(), `http://127.0.0.2:${port}`);
	await context.close();
});

test('a form from another site is refused with a page that says, in Vietnamese, what to set', async ({ page }) => {
	const origin = `http://localhost:${port}`;
	// The browser on https (a proxy the server was not told about) posts to a server that sees http.
	const response = await page.request.post(`${origin}/admin/login`, {
		headers: { origin: `https://localhost:${port}`, accept: 'text/html' },
		form: { username: 'admin', password: adminPassword }
	});
	expect(response.status()).toBe(403);
	const text = await response.text();
	expect(text).toContain('Máy chủ chưa nhận biểu mẫu này');
	expect(text).toContain(`ORIGIN=https://localhost:${port}`);
	expect(text).toContain('PROTOCOL_HEADER=x-forwarded-proto');
	// And no session was made: the sign-in page still asks for a password.
	await page.goto(`${origin}/admin`);
	await expect(page).toHaveURL(/\/admin\/login/);
});
