// The enrolment form's server address: an enrolment code typed into it gets its own message.
import { describe, expect, it } from 'vitest';
import { checkServerAddress } from '$lib/kiosk/serverAddress';

describe('checkServerAddress', () => {
	it('takes an address with or without its scheme, or the whole enrolment link', () => {
		expect(checkServerAddress(' https://tramso.example.vn/ ')).toEqual({ ok: true, origin: 'https://tramso.example.vn' });
		expect(checkServerAddress('tramso.example.vn')).toEqual({ ok: true, origin: 'https://tramso.example.vn' });
		expect(checkServerAddress('http://192.168.1.20:3000')).toEqual({ ok: true, origin: 'http://192.168.1.20:3000' });
		expect(checkServerAddress('http://localhost:3000')).toEqual({ ok: true, origin: 'http://localhost:3000' });
		expect(checkServerAddress('https://tramso.example.vn/enrol#ABCDEFGHJKLM')).toEqual({ ok: true, origin: 'https://tramso.example.vn' });
	});
	it('says an enrolment code is not an address', () => {
		expect(checkServerAddress('ABCDEFGHJKLM')).toEqual({ ok: false, problem: 'looksLikeCode' });
		expect(checkServerAddress('abcd-efgh-jklm')).toEqual({ ok: false, problem: 'looksLikeCode' });
	});
	it('refuses empty, other schemes and text that is no address', () => {
		expect(checkServerAddress('  ')).toEqual({ ok: false, problem: 'empty' });
		expect(checkServerAddress('ftp://tramso.example.vn')).toEqual({ ok: false, problem: 'invalid' });
		expect(checkServerAddress('máy chủ xã')).toEqual({ ok: false, problem: 'invalid' });
		expect(checkServerAddress('https://')).toEqual({ ok: false, problem: 'invalid' });
	});
});
