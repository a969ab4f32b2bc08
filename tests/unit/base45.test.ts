import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base45Decode, base45Encode } from '$lib/domain/base45';

const text = (s: string) => new TextEncoder().encode(s);

describe('base45 (RFC 9285)', () => {
	it('encodes the RFC examples', () => {
		expect(base45Encode(text('AB'))).toBe('BB8');
		expect(base45Encode(text('Hello!!'))).toBe('%69 VD92EX0');
		expect(base45Encode(text('base-45'))).toBe('UJCLQE7W581');
		expect(base45Encode(new Uint8Array())).toBe('');
	});

	it('decodes the RFC example', () => {
		expect(new TextDecoder().decode(base45Decode('QED8WEX0')!)).toBe('ietf!');
	});

	it('refuses text that is not base45', () => {
		expect(base45Decode('GGW')).toBeNull(); // 65536: one above two bytes
		expect(base45Decode('abc')).toBeNull(); // lowercase is outside the alphabet
		expect(base45Decode('BB8B')).toBeNull(); // a lone trailing character
		expect(base45Decode(':U')).toBeNull(); // 44 + 30·45 = 1394 > 255
	});

	it('round-trips any bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
				expect(base45Decode(base45Encode(bytes))).toEqual(bytes);
			})
		);
	});
});
