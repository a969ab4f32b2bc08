import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { enrolmentQrPayload, parseEnrolmentQr } from '$lib/domain/api';

const code = fc.stringMatching(/^[A-Za-z0-9-]{4,40}$/);
const origin = fc.constantFrom('https://tramso.ductho.vn', 'http://127.0.0.1:4173', 'https://so.hatinh.gov.vn:8443');

describe('the enrolment QR', () => {
	it('reads back what the server printed', () => {
		fc.assert(
			fc.property(origin, code, (o, c) => {
				expect(parseEnrolmentQr(enrolmentQrPayload(o, c))).toEqual({ serverOrigin: o, code: c });
			}),
			{ numRuns: 2000 }
		);
	});

	it('never throws on what a camera may read, and refuses what it did not make', () => {
		const junk = fc.oneof(
			fc.string({ unit: 'grapheme', maxLength: 200 }),
			fc.webUrl({ withFragments: true, withQueryParameters: true }),
			fc.tuple(origin, fc.string({ maxLength: 60 })).map(([o, h]) => `${o}/enrol#${h}`),
			fc.tuple(origin, fc.stringMatching(/^(%[0-9A-Fa-f]{0,2}|[A-Za-z0-9])*$/)).map(([o, h]) => `${o}/enrol#${h}`)
		);
		fc.assert(
			fc.property(junk, (text) => {
				const parsed = parseEnrolmentQr(text);
				if (parsed) expect(parsed.code).toMatch(/^[A-Za-z0-9-]{4,40}$/);
			}),
			{ numRuns: 3000 }
		);
	});

	it.each([
		['a broken %-escape in the code', 'https://tramso.ductho.vn/enrol#AB%E0%A4%A'],
		['another path', 'https://tramso.ductho.vn/admin#ABCDEFGH'],
		['another scheme', 'ftp://tramso.ductho.vn/enrol#ABCDEFGH'],
		['a bank QR', '00020101021138570010A000000727'],
		['a code with spaces', 'https://tramso.ductho.vn/enrol#AB%20CD%20EF']
	])('refuses %s', (_what, text) => {
		expect(parseEnrolmentQr(text)).toBeNull();
	});
});
