// Security properties of the built server: the Content-Security-Policy, guessing limits on login
// and enrolment, the session cookie's flags, and that no ID number, address or resident name
// reaches the server's database or any export after a real check-in and upload.
import { request as httpRequest } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import { expect, test, type APIRequestContext } from './cspGuard';
import { CCCD_TRAN_THI_HOA, CCCD_TRAN_THI_HOA_EXPECTED } from '../fixtures/cards';
import { E2E_ADMIN_PASSWORD, E2E_BASE_URL, E2E_DATA_DIR, E2E_DATABASE_URL, DEMO_TEAM_ID, E2E_PORT } from '../fixtures/e2eServer';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { createEnrolmentCode } from '../../src/lib/server/devices';
import { createUser } from '../../src/lib/server/users';
import { localDateOf, periodOf } from '../../src/lib/domain/period';
import { DEMO, storedRows, unlockTeamMode } from './kiosk';
import { enrolByTypedCode } from './enrol';

/** As a browser posts a form: same Origin, and HTML wanted (else SvelteKit answers in JSON). */
const FORM_HEADERS = { origin: E2E_BASE_URL, accept: 'text/html' };

function directives(policy: string): Map<string, string[]> {
	return new Map(
		policy
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((parts) => parts[0])
			.map(([name, ...values]) => [name!, values])
	);
}

/** The directives every page's policy must hold, however it is delivered. */
function expectCoreDirectives(policy: string) {
	const d = directives(policy);
	expect(d.get('default-src')).toEqual(["'self'"]);
	expect(d.get('script-src')?.[0]).toBe("'self'");
	// Only 'self' plus kit's own hashes or nonce: never 'unsafe-inline' or 'unsafe-eval'.
	expect(d.get('script-src')!.slice(1).every((s) => /^'(sha256|nonce)-[A-Za-z0-9+/=]+'$/.test(s))).toBe(true);
	expect(d.get('object-src')).toEqual(["'none'"]);
	expect(d.get('base-uri')).toEqual(["'self'"]);
	expect(d.get('form-action')).toEqual(["'self'"]);
	expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
	expect(d.get('worker-src')).toEqual(["'self'"]);
	return d;
}

async function signedInAdmin(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }): Promise<APIRequestContext> {
	const admin = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: FORM_HEADERS });
	const signIn = await admin.post('/admin/login', { form: { username: 'admin', password: E2E_ADMIN_PASSWORD }, maxRedirects: 0 });
	expect(signIn.status()).toBe(303);
	return admin;
}

test.describe('Content-Security-Policy', () => {
	test('the prerendered kiosk carries it in a <meta>, hashing its one inline script', async ({ request }) => {
		const response = await request.get('/');
		const html = await response.text();
		const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(html);
		expect(meta, 'a CSP <meta> on /').not.toBeNull();
		const d = expectCoreDirectives(meta![1]!);
		expect(d.get('script-src')!.some((s) => s.startsWith("'sha256-"))).toBe(true);
		// Browsers ignore frame-ancestors in a <meta>; it must not pretend to be there.
		expect(d.has('frame-ancestors')).toBe(false);
	});

	test('server-rendered admin pages send it as a header, with a fresh nonce each time and frame-ancestors none', async ({ request, playwright }) => {
		const nonces = new Set<string>();
		for (let i = 0; i < 2; i++) {
			const response = await request.get('/admin/login');
			const policy = response.headers()['content-security-policy'];
			expect(policy, 'CSP header on /admin/login').toBeTruthy();
			const d = expectCoreDirectives(policy!);
			expect(d.get('frame-ancestors')).toEqual(["'none'"]);
			const nonce = d.get('script-src')!.find((s) => s.startsWith("'nonce-"))!;
			expect(nonce).toBeTruthy();
			// The page's inline script carries the same nonce.
			expect(await response.text()).toContain(`nonce="${nonce.slice(7, -1)}"`);
			nonces.add(nonce);
		}
		expect(nonces.size).toBe(2);

		const admin = await signedInAdmin(playwright);
		for (const path of ['/admin', `/admin/teams/${DEMO_TEAM_ID}`, '/admin/reports']) {
			const response = await admin.get(path);
			expect(response.status(), path).toBe(200);
			const d = expectCoreDirectives(response.headers()['content-security-policy'] ?? '');
			expect(d.get('frame-ancestors'), path).toEqual(["'none'"]);
		}
		await admin.dispose();
	});

	test('an injected inline script does not run, and the guard every test uses sees the violation', async ({ page, cspViolations }) => {
		await page.goto('/admin/login');
		await page.evaluate(() => {
			const script = document.createElement('script');
			script.textContent = 'window.__injected = true';
			document.body.append(script);
		});
		expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
		await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
		expect(cspViolations.join('\n')).toContain('script-src');
		// Seen and expected: cleared so the guard does not fail this test.
		cspViolations.length = 0;
	});
});

test.describe('guessing is slowed down', () => {
	test('the 6th wrong password in a minute locks the name out, even with the right password then', async ({ playwright }) => {
		const username = `brute.${randomBytes(3).toString('hex')}`;
		const password = 'the-right-password-1';
		const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
		try {
			await createUser(db, { username, displayName: 'Brute force target', password, role: 'admin', actor: 'system', now: new Date() });
		} finally {
			await close();
		}
		const client = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: FORM_HEADERS });
		const attempt = (pw: string, name = username) => client.post('/admin/login', { form: { username: name, password: pw }, maxRedirects: 0 });
		for (let i = 1; i <= 5; i++) {
			const wrong = await attempt(`wrong-${i}`);
			expect(wrong.status(), `wrong password ${i}`).toBe(400);
			expect(await wrong.text()).toContain('Sai tên đăng nhập hoặc mật khẩu.');
		}
		const sixth = await attempt('wrong-6');
		expect(sixth.status()).toBe(429);
		expect(await sixth.text()).toContain('Đăng nhập sai quá nhiều lần. Thử lại sau một phút.');
		// Locked means locked: the right password is refused too, and no session cookie is given.
		const right = await attempt(password);
		expect(right.status()).toBe(429);
		expect(right.headers()['set-cookie']).toBeUndefined();
		// Another name from the same address is not locked out by this one's guessing.
		expect((await attempt('wrong', 'admin')).status()).toBe(400);
		await client.dispose();
	});

	test('the 11th enrolment guess in a minute from one address gets 429, a real code included', async () => {
		// A loopback address of this test's own: other tests' enrolments from 127.0.0.1 do not count.
		const from = `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`;
		for (let i = 0; i < 10; i++) {
			const guess = await postJsonFrom(from, '/api/v1/devices/enroll', { code: `GUES-SING-${String(i).padStart(4, '0')}` });
			expect(guess.status, `guess ${i + 1}`).toBe(404);
			expect(guess.body).toMatchObject({ error: { code: 'enrolment_code_unknown' } });
		}
		const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
		const { code } = await createEnrolmentCode(db, { teamId: DEMO_TEAM_ID, createdBy: null, now: new Date() }).finally(close);
		const eleventh = await postJsonFrom(from, '/api/v1/devices/enroll', { code });
		expect(eleventh.status).toBe(429);
		expect(eleventh.headers['retry-after']).toBe('60');
		expect(eleventh.body).toMatchObject({ error: { code: 'too_many_attempts' } });
	});
});

test('the session cookie is HttpOnly, SameSite=Strict, Path=/ and, over plain http, not Secure', async ({ playwright }) => {
	const client = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: FORM_HEADERS });
	const signIn = await client.post('/admin/login', { form: { username: 'admin', password: E2E_ADMIN_PASSWORD }, maxRedirects: 0 });
	expect(signIn.status()).toBe(303);
	const cookie = signIn.headersArray().find((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith('tramso_session='));
	expect(cookie, 'a session cookie').toBeTruthy();
	const attributes = cookie!.value.split(';').slice(1).map((a) => a.trim().toLowerCase());
	expect(attributes).toContain('httponly');
	expect(attributes).toContain('samesite=strict');
	expect(attributes).toContain('path=/');
	expect(attributes.some((a) => a.startsWith('expires='))).toBe(true);
	expect(attributes).not.toContain('secure');
	// The session is what the server checks: the cookie alone opens the admin pages.
	expect((await client.get('/admin', { maxRedirects: 0 })).status()).toBe(200);
	await client.dispose();
});

test.describe('behind an HTTPS proxy', () => {
	// A second server from the same build, told to trust the proxy's x-forwarded-proto, as a
	// deployment behind nginx or Caddy would be (adapter-node's PROTOCOL_HEADER).
	const PORT = 4480 + (E2E_PORT % 10);
	const origin = `http://127.0.0.1:${PORT}`;
	let server: ChildProcess | undefined;
	let dataDir = '';

	test.beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'tramso-https-'));
		// No ORIGIN (it would fix the protocol): the scheme comes from the proxy's header.
		const { ORIGIN: _fixedOrigin, ...env } = process.env;
		server = spawn(process.execPath, ['build'], {
			env: { ...env, PORT: String(PORT), HOST: '127.0.0.1', PROTOCOL_HEADER: 'x-forwarded-proto', DATABASE_URL: `file:${join(dataDir, 'db.sqlite')}`, DEMO_DATA: 'off', ADMIN_PASSWORD: E2E_ADMIN_PASSWORD },
			stdio: 'ignore'
		});
		await expect.poll(async () => (await fetch(`${origin}/admin/login`).catch(() => null))?.status ?? 0, { timeout: 30_000 }).toBe(200);
	});

	test.afterAll(() => {
		server?.kill();
		rmSync(dataDir, { recursive: true, force: true });
	});

	test('the session cookie is Secure when the proxy says the request came over HTTPS, and only then', async () => {
		const signIn = (proto: 'https' | 'http') =>
			fetch(`${origin}/admin/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'x-forwarded-proto': proto, origin: `${proto}://127.0.0.1:${PORT}`, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ username: 'admin', password: E2E_ADMIN_PASSWORD })
			});
		const overHttps = await signIn('https');
		expect(overHttps.status).toBe(303);
		const secure = overHttps.headers.getSetCookie().find((c) => c.startsWith('tramso_session='));
		expect(secure?.split(';').map((a) => a.trim().toLowerCase())).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=strict', 'path=/']));
		const overHttp = await signIn('http');
		expect(overHttp.status).toBe(303);
		const plain = overHttp.headers.getSetCookie().find((c) => c.startsWith('tramso_session='));
		expect(plain?.toLowerCase()).not.toContain('secure');
		// HSTS only when the browser came over HTTPS: over http it would mean nothing, and a browser
		// that kept it would lock itself out of a server without a certificate.
		expect(overHttps.headers.get('strict-transport-security')).toBe('max-age=63072000');
		expect(overHttp.headers.get('strict-transport-security')).toBeNull();
	});
});

test('after a CCCD check-in and an upload, no ID number, address, birth date or resident name is on the server', async ({ page, playwright }) => {
	test.setTimeout(120_000);
	const card = CCCD_TRAN_THI_HOA.split('|');
	const address = card[5]!;
	// A household label never leaves the tablet either (issue 14).
	const household = 'Hộ ông Đậu Quang Vinh, xóm Bảo Mật';
	const secrets = [CCCD_TRAN_THI_HOA_EXPECTED.idNumber, address, card[3]!, CCCD_TRAN_THI_HOA_EXPECTED.fullName, household];

	// The tablet joins the server, the card is read at the camera, a member logs an assist, the
	// leader closes the session and it uploads.
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	await enrolByTypedCode(page);
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('button', { name: /Trần Thị Hoa/ }).first().click();
	await page.getByRole('button', { name: 'Cài đặt VNeID', exact: true }).click();
	await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
	await expect(page.getByText('Đã lưu hỗ trợ cho Trần Thị Hoa')).toBeVisible();
	// Hoa is put in a household the team names on the tablet.
	await page.getByRole('button', { name: /Trần Thị Hoa/ }).first().click();
	const panel = page.getByTestId('progress-panel');
	await panel.getByRole('button', { name: 'Chọn hộ' }).click();
	await panel.getByLabel(/Tên hộ mới/).fill(household);
	await panel.getByRole('button', { name: 'Thêm hộ và ghi vào' }).click();
	await expect(page.getByText(`Đã ghi Trần Thị Hoa vào ${household}`)).toBeVisible();
	await page.getByRole('button', { name: 'Đóng phiên' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await page.getByRole('button', { name: 'Gửi ngay' }).click();
	await expect(page.locator('tr[data-outbox-state="sent"]').first()).toBeVisible({ timeout: 15_000 });
	await expect(page.locator('tr[data-outbox-state="pending"]')).toHaveCount(0);

	// The check below is only worth something if the upload arrived: the server holds this session.
	const [sent] = await storedRows<{ tally: { sessionId: string; checkIns: number } }>(page, 'outbox');
	expect(sent!.tally.checkIns).toBeGreaterThanOrEqual(1);
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	const stored = await db.selectFrom('session_tallies').select(['session_id', 'check_ins']).where('session_id', '=', sent!.tally.sessionId).executeTakeFirst().finally(close);
	expect(stored).toMatchObject({ session_id: sent!.tally.sessionId });

	const found: string[] = [];
	const search = (where: string, text: string) => {
		for (const secret of secrets) if (text.includes(secret)) found.push(`${where} holds "${secret}"`);
	};

	// The server's database, every byte: the SQLite file and its write-ahead log.
	const dbFile = `${E2E_DATA_DIR}/tramso.db`;
	for (const file of [dbFile, `${dbFile}-wal`]) {
		if (!existsSync(file)) continue;
		const bytes = readFileSync(file);
		for (const secret of secrets) if (bytes.includes(Buffer.from(secret, 'utf8'))) found.push(`${file} holds "${secret}"`);
	}

	// Every export and printable page an officer can take away, for the commune and the village.
	const admin = await signedInAdmin(playwright);
	const period = periodOf(localDateOf(new Date()));
	for (const unit of ['demo-xa-duc-tho', 'demo-thon-trung-hoa']) {
		const query = `unit=${unit}&period=${period}`;
		for (const path of [
			`/admin/reports/export?${query}`,
			`/admin/reports/print?${query}`,
			`/admin/reports?${query}`,
			`/admin/commendations/export?${query}`,
			`/admin/commendations/print?${query}`,
			`/api/v1/reports/monthly?${query}`
		]) {
			const response = await admin.get(path);
			expect(response.status(), path).toBe(200);
			search(path, await response.text());
		}
		const xlsx = await admin.get(`/admin/reports/export?${query}&format=xlsx`);
		expect(xlsx.status()).toBe(200);
		search(`xlsx ${unit}`, await workbookText(await xlsx.body()));
	}
	for (const path of ['/admin/units/export', '/admin/audit', '/admin/devices', `/admin/teams/${DEMO_TEAM_ID}`, `/admin/teams/${DEMO_TEAM_ID}/activities`]) {
		const response = await admin.get(path);
		expect(response.status(), path).toBe(200);
		search(path, await response.text());
	}
	await admin.dispose();
	expect(found, found.join('\n')).toEqual([]);
});

interface TabletResidentKey {
	isCryptoKey: boolean;
	extractable: boolean;
	exportRefused: boolean;
	/** HMAC of the card's number under the stored key, as check-in makes it. */
	hash: string;
	storedHashes: string[];
}

/** Runs in the page: the tablet's stored resident key, what it does, and the residents' stored hashes. */
function readTabletResidentKey(idNumber: string): Promise<TabletResidentKey> {
	const all = <T>(db: IDBDatabase, store: string) =>
		new Promise<T[]>((resolve, reject) => {
			const request = db.transaction(store).objectStore(store).getAll();
			request.onsuccess = () => resolve(request.result as T[]);
			request.onerror = () => reject(request.error);
		});
	return new Promise((resolve, reject) => {
		const open = indexedDB.open('tramso-kiosk');
		open.onerror = () => reject(open.error);
		open.onsuccess = async () => {
			const db = open.result;
			try {
				const settings = await all<{ key: string; value: unknown }>(db, 'settings');
				const residents = await all<{ idHash?: string }>(db, 'residents');
				const key = settings.find((s) => s.key === 'residentKey')?.value as CryptoKey;
				const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`cccd:${idNumber}`));
				const exportRefused = await crypto.subtle.exportKey('raw', key).then(
					() => false,
					() => true
				);
				resolve({
					isCryptoKey: key instanceof CryptoKey,
					extractable: key.extractable,
					exportRefused,
					hash: Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join(''),
					storedHashes: residents.flatMap((r) => (r.idHash ? [r.idHash] : []))
				});
			} catch (e) {
				reject(e);
			} finally {
				db.close();
			}
		};
	});
}

test('the resident key is the tablet\'s own: non-extractable after a real check-in; the server sends and keeps none', async ({ page }) => {
	test.setTimeout(90_000);
	const idNumber = CCCD_TRAN_THI_HOA_EXPECTED.idNumber;
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	const key = await page.evaluate(readTabletResidentKey, idNumber);
	expect(key).toMatchObject({ isCryptoKey: true, extractable: false, exportRefused: true });
	// The stored key is the one check-in used: Hoa's stored hash is its HMAC of her number.
	expect(key.storedHashes).toContain(key.hash);

	// Enrolment: the body has no key, and the tablet keeps its own.
	const enrolResponse = page.waitForResponse((r) => r.url().endsWith('/api/v1/devices/enroll') && r.request().method() === 'POST');
	await enrolByTypedCode(page);
	const enrolment = (await (await enrolResponse).json()) as Record<string, unknown>;
	expect(enrolment).toHaveProperty('token');
	expect(Object.keys(enrolment).filter((k) => /resident/i.test(k))).toEqual([]);
	const server = (await storedRows<{ key: string; value: { token: string } }>(page, 'settings')).find((s) => s.key === 'server');
	const config = await page.request.get('/api/v1/config', { headers: { authorization: `Bearer ${server!.value.token}` } });
	expect(config.status()).toBe(200);
	expect(JSON.stringify(await config.json())).not.toMatch(/resident/i);

	// A new page load (a reload of the kiosk) finds the same key: Hoa's hash has not changed.
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
	expect(await page.evaluate(readTabletResidentKey, idNumber)).toMatchObject({ extractable: false, exportRefused: true, hash: key.hash });

	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	const settings = await db.selectFrom('settings').select('key').execute().finally(close);
	expect(settings.filter((s) => /resident/i.test(s.key))).toEqual([]);
});

/** Every cell of every sheet, as text. */
async function workbookText(bytes: Buffer): Promise<string> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	const cells: string[] = [];
	workbook.eachSheet((sheet) => {
		cells.push(sheet.name);
		sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text ?? cell.value))));
	});
	expect(cells.length).toBeGreaterThan(5);
	return cells.join('\n');
}

/** POSTs JSON to the e2e server from a chosen loopback source address (Linux routes all of 127/8 locally). */
function postJsonFrom(localAddress: string, path: string, body: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }> {
	const payload = JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{ host: '127.0.0.1', port: E2E_PORT, path, method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
			}
		);
		req.on('error', reject);
		req.end(payload);
	});
}
