// The headers every answer carries, over every kind of route the server has: the prerendered kiosk
// pages (served before the app's hooks), server-rendered admin pages, exports, the report JSON,
// the device API and static files. And the kiosk cannot be framed by another site.
import { request, type APIRequestContext } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './cspGuard';
import { E2E_ADMIN_PASSWORD, E2E_BASE_URL } from '../fixtures/e2eServer';
import { newEnrolmentCode } from './enrol';
import { localDateOf, periodOf } from '../../src/lib/domain/period';

let officer: APIRequestContext;
let tablet: APIRequestContext;

test.beforeAll(async () => {
	officer = await request.newContext({ baseURL: E2E_BASE_URL });
	const signIn = await officer.post('/admin/login', {
		headers: { origin: E2E_BASE_URL, accept: 'text/html' },
		form: { username: 'admin', password: E2E_ADMIN_PASSWORD },
		maxRedirects: 0
	});
	expect(signIn.status()).toBe(303);
	const enrolled = await (await request.newContext({ baseURL: E2E_BASE_URL })).post('/api/v1/devices/enroll', { data: { code: await newEnrolmentCode(), label: 'headers spec' } });
	expect(enrolled.status()).toBe(201);
	const { token } = (await enrolled.json()) as { token: string };
	tablet = await request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
});

test.afterAll(async () => {
	await officer?.dispose();
	await tablet?.dispose();
});

test('every kind of route sends the security headers; signed-in answers are never cached', async () => {
	const period = periodOf(localDateOf(new Date()));
	const kioskHtml = await (await officer.get('/')).text();
	const someScript = kioskHtml.match(/\/_app\/immutable\/[^"']+\.js/)?.[0];
	expect(someScript, 'the kiosk page names its scripts').toBeTruthy();
	const routes: { what: string; path: string; via: APIRequestContext; private: boolean }[] = [
		{ what: 'prerendered check-in', path: '/', via: officer, private: false },
		{ what: 'prerendered team mode', path: '/team', via: officer, private: false },
		{ what: 'prerendered leader view', path: '/leader', via: officer, private: false },
		{ what: 'static script', path: someScript!, via: officer, private: false },
		{ what: 'web manifest', path: '/manifest.webmanifest', via: officer, private: false },
		{ what: 'sign-in page', path: '/admin/login', via: officer, private: true },
		{ what: 'signed-in dashboard', path: '/admin', via: officer, private: true },
		{ what: 'monthly report page', path: `/admin/reports?period=${period}`, via: officer, private: true },
		{ what: 'report CSV export', path: `/admin/reports/export?period=${period}`, via: officer, private: true },
		{ what: 'units CSV export', path: '/admin/units/export', via: officer, private: true },
		{ what: 'report JSON', path: `/api/v1/reports/monthly?unit=demo-ha-tinh&period=${period}`, via: officer, private: true },
		{ what: 'tablet config', path: '/api/v1/config', via: tablet, private: true }
	];
	for (const route of routes) {
		const response = await route.via.get(route.path, { maxRedirects: 0 });
		const headers = response.headers();
		const at = `${route.what} (${route.path}, ${response.status()})`;
		expect(response.status(), at).toBeLessThan(400);
		expect(headers['x-content-type-options'], at).toBe('nosniff');
		expect(headers['x-frame-options'], at).toBe('DENY');
		expect(headers['content-security-policy'], at).toContain("frame-ancestors 'none'");
		expect(headers['referrer-policy'], at).toBe('same-origin');
		// Plain http here: HSTS only over HTTPS (security.spec.ts checks that side).
		expect(headers['strict-transport-security'], at).toBeUndefined();
		if (route.private) expect(headers['cache-control'], at).toBe('no-store');
	}
});

test('another site cannot show the kiosk in a frame', async ({ page, cspViolations }) => {
	// A page on another origin frames the kiosk twice: as the server answers it, and (the control)
	// the same answer with the framing headers taken out, which must load: so what refuses the first
	// frame is the headers, not the browser or the network. The other site is a real server on
	// loopback, since Chromium refuses a page it thinks public any frame on this machine.
	const control = `${E2E_BASE_URL}/?framing-headers-removed`;
	const otherSite = createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/html' });
		res.end(`<iframe src="${E2E_BASE_URL}/"></iframe><iframe src="${control}"></iframe>`);
	});
	await new Promise<void>((resolve) => otherSite.listen(0, '127.0.0.1', resolve));
	const { port } = otherSite.address() as AddressInfo;
	await page.route(control, async (route) => {
		const real = await route.fetch();
		const headers = { ...real.headers() };
		delete headers['x-frame-options'];
		delete headers['content-security-policy'];
		await route.fulfill({ response: real, headers });
	});
	try {
		await page.goto(`http://127.0.0.1:${port}/`);
		const frameAt = (url: string) => page.frames().find((f) => f.url() === url);
		await expect.poll(async () => (await frameAt(control)?.locator('body').innerText().catch(() => '')) ?? '', { message: 'the control frame shows the kiosk' }).toContain('Trạm Số');
		// Chromium replaces a refused frame with its error page, which names the reason.
		const refused = page.frames().find((f) => f.url() === 'chrome-error://chromewebdata/');
		expect(refused, 'the real kiosk frame was refused').toBeTruthy();
		expect(frameAt(`${E2E_BASE_URL}/`)).toBeUndefined();
		// The one violation this test means to cause: the kiosk's policy refusing the frame.
		const expected = cspViolations.filter((line) => line.includes('frame-ancestors'));
		expect(expected.length).toBeGreaterThan(0);
		cspViolations.splice(0, cspViolations.length, ...cspViolations.filter((line) => !expected.includes(line)));
	} finally {
		otherSite.close();
	}
});
