import { describe, expect, it } from 'vitest';
import { crossSiteFormRefusal, originRefusalResponse } from '$lib/server/originCheck';

const SERVER = new URL('http://192.168.1.10:3000/admin/login');
const form = (headers: Record<string, string>, method = 'POST') =>
	new Request(SERVER, { method, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: method === 'GET' ? undefined : 'a=1' });

describe('cross-site form check', () => {
	it('lets a form from the server’s own address through, and what no form can send', () => {
		expect(crossSiteFormRefusal(form({ origin: 'http://192.168.1.10:3000' }), SERVER)).toBeNull();
		expect(crossSiteFormRefusal(new Request(SERVER), SERVER)).toBeNull();
		const json = new Request(SERVER, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://elsewhere' }, body: '{}' });
		expect(crossSiteFormRefusal(json, SERVER)).toBeNull();
	});

	it('refuses a form from another origin, a scheme mismatch and a form that names no origin, for every unsafe method and form type', () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain;charset=UTF-8', 'application/x-sveltekit-formdata']) {
				expect(crossSiteFormRefusal(form({ origin: 'http://evil.example', 'content-type': type }, method), SERVER)).toEqual({ formOrigin: 'http://evil.example', serverOrigin: 'http://192.168.1.10:3000' });
			}
		}
		expect(crossSiteFormRefusal(form({ origin: 'https://192.168.1.10:3000' }), SERVER)?.formOrigin).toBe('https://192.168.1.10:3000');
		expect(crossSiteFormRefusal(form({}), SERVER)).toEqual({ formOrigin: null, serverOrigin: 'http://192.168.1.10:3000' });
	});

	it('says in Vietnamese first what the administrator should set, and escapes what the browser sent', async () => {
		const behindProxy = originRefusalResponse({ formOrigin: 'https://tramso.example.vn', serverOrigin: 'http://tramso.example.vn' }, 'text/html');
		expect(behindProxy.status).toBe(403);
		const page = await behindProxy.text();
		expect(page.indexOf('Máy chủ chưa nhận biểu mẫu này')).toBeLessThan(page.indexOf('The server did not accept this form'));
		expect(page).toContain('ORIGIN=https://tramso.example.vn');
		expect(page).toContain('PROTOCOL_HEADER=x-forwarded-proto');
		const hostile = await originRefusalResponse({ formOrigin: 'http://x"><script>alert(1)</script>', serverOrigin: 'http://a' }, 'text/html').text();
		expect(hostile).not.toContain('<script>');
		const json = originRefusalResponse({ formOrigin: null, serverOrigin: 'http://a' }, 'application/json');
		expect(((await json.json()) as { error: { code: string } }).error.code).toBe('cross_site_form');
	});
});
