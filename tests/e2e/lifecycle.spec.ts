// Kiosk life over hours: a screen left alone forgets the resident, and a new version waits for a
// person to accept it instead of reloading under someone's half-filled form.
import { expect, test } from './cspGuard';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';

test('after 60 s without a touch, the no-card form returns to the camera and forgets what was typed', async ({ page }) => {
	await page.clock.install();
	await page.goto('/no-card');
	// The header names the team once the app has started, after the page's own mount: the idle
	// timer is set by then. Typed into the prerendered form before that, the minute would count
	// from the mount, not from the typing (the test once failed so in CI).
	await expect(page.getByText('Tổ công nghệ số cộng đồng thôn Trung Hòa')).toBeVisible();
	await page.getByLabel('Họ và tên').fill('Đặng Văn Khoa');
	await page.clock.fastForward(59_000);
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Đặng Văn Khoa');
	await page.clock.fastForward(2_000);
	await expect(page.getByRole('heading', { name: 'Đưa thẻ CCCD hoặc thẻ Trạm Số vào camera' })).toBeVisible();
	await page.goBack();
	await expect(page.getByLabel('Họ và tên')).toHaveValue('');
});

/** Serves a private copy of the built app, so the test can "deploy" a new version of it. */
async function startCopy(dir: string, port: number): Promise<ChildProcess> {
	// Not the test runner's NODE_OPTIONS: its loader hooks are not for the app.
	const { NODE_OPTIONS: _runnerOptions, ...env } = process.env;
	const server = spawn(process.execPath, [join(dir, 'index.js')], {
		env: { ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: `http://127.0.0.1:${port}`, DATABASE_URL: `file:${join(dir, 'tramso.db')}`, DEMO_DATA: 'off' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	await expect
		.poll(
			() =>
				new Promise<number>((resolve) =>
					get(`http://127.0.0.1:${port}/`, (res) => resolve(res.statusCode ?? 0)).on('error', () => resolve(0))
				),
			{ timeout: 15_000 }
		)
		.toBe(200);
	return server;
}

async function stop(server: ChildProcess | undefined): Promise<void> {
	if (!server || server.exitCode !== null) return;
	const exited = new Promise((resolve) => server.once('exit', resolve));
	server.kill();
	await exited;
}

test('a new version is offered, never forced: the half-filled form stays until a person taps update', async ({ page }) => {
	const port = 4190;
	// Inside the repo, so the copy resolves the app's node_modules like the original does.
	const dir = await mkdtemp(join(process.cwd(), '.e2e-deploy-'));
	let server: ChildProcess | undefined;
	try {
		await cp('build', dir, { recursive: true });
		server = await startCopy(dir, port);
		await page.goto(`http://127.0.0.1:${port}/no-card`);
		await page.evaluate(() => navigator.serviceWorker.ready);
		await page.reload();
		await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
		await page.getByLabel('Họ và tên').fill('Đặng Văn Khoa');
		await page.evaluate(() => ((window as unknown as { beforeUpdate: boolean }).beforeUpdate = true));

		// Deploy: the service worker script changes (the server is restarted, as a deploy does).
		await stop(server);
		await appendFile(join(dir, 'client', 'kiosk-sw.js'), '\n// next version\n');
		await rm(join(dir, 'client', 'kiosk-sw.js.gz'));
		await rm(join(dir, 'client', 'kiosk-sw.js.br'));
		server = await startCopy(dir, port);
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

		const prompt = page.getByRole('alertdialog');
		await expect(prompt).toContainText('Có phiên bản mới của Trạm Số.');
		await page.waitForTimeout(1_000);
		// The same page and form: nothing reloaded by itself.
		expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBe(true);
		await expect(page.getByLabel('Họ và tên')).toHaveValue('Đặng Văn Khoa');

		await prompt.getByRole('button', { name: 'Cập nhật' }).click();
		await expect
			.poll(() =>
				page
					.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate ?? false)
					.catch(() => true /* mid-reload: ask again */)
			)
			.toBe(false);
		await expect(page.getByRole('heading', { name: 'Đăng ký không cần thẻ' })).toBeVisible();
		await expect(prompt).toHaveCount(0);
	} finally {
		await stop(server);
		await rm(dir, { recursive: true, force: true });
	}
});
