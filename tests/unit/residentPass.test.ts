import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	encodeResidentPass,
	looksLikeResidentPass,
	newResidentPassId,
	parseResidentPass
} from '$lib/domain/residentPass';

const ID = '0123456789abcdef0123456789abcdef';

describe('newResidentPassId', () => {
	it('gives 32 lowercase hex digits from 16 random bytes', () => {
		let asked = 0;
		const id = newResidentPassId((bytes) => {
			asked = bytes.length;
			bytes.set([0x00, 0x01, 0x0f, 0x10, 0xab, 0xff, 0x7f, 0x80, 1, 2, 3, 4, 5, 6, 7, 8]);
			return bytes;
		});
		expect(asked).toBe(16);
		expect(id).toBe('00010f10abff7f800102030405060708');
	});

	it('works with the platform random source and gives different ids', () => {
		const rnd = (b: Uint8Array) => crypto.getRandomValues(b);
		const a = newResidentPassId(rnd);
		const b = newResidentPassId(rnd);
		expect(a).toMatch(/^[0-9a-f]{32}$/);
		expect(b).toMatch(/^[0-9a-f]{32}$/);
		expect(a).not.toBe(b);
	});
});

describe('encodeResidentPass / parseResidentPass', () => {
	it('round-trips', () => {
		const text = encodeResidentPass(ID);
		expect(text).toBe(`TRAMSO:R1:${ID}`);
		expect(parseResidentPass(text)).toBe(ID);
		expect(looksLikeResidentPass(text)).toBe(true);
	});

	it('accepts uppercase hex and answers it lowercase', () => {
		expect(parseResidentPass(`TRAMSO:R1:${ID.toUpperCase()}`)).toBe(ID);
	});

	it('accepts surrounding white space', () => {
		expect(parseResidentPass(`  TRAMSO:R1:${ID}\n`)).toBe(ID);
		expect(looksLikeResidentPass(`  TRAMSO:R1:${ID}\n`)).toBe(true);
	});

	it('refuses to encode something that is not a pass id', () => {
		expect(() => encodeResidentPass('')).toThrow();
		expect(() => encodeResidentPass(ID.slice(1))).toThrow();
		expect(() => encodeResidentPass(`${ID}0`)).toThrow();
		expect(() => encodeResidentPass(ID.toUpperCase())).toThrow();
		expect(() => encodeResidentPass('g'.repeat(32))).toThrow();
	});

	it('rejects malformed passes', () => {
		expect(parseResidentPass('TRAMSO:R1:')).toBeNull();
		expect(parseResidentPass(`TRAMSO:R1:${ID.slice(2)}`)).toBeNull();
		expect(parseResidentPass(`TRAMSO:R1:${ID}00`)).toBeNull();
		expect(parseResidentPass(`TRAMSO:R1:${'z'.repeat(32)}`)).toBeNull();
		expect(parseResidentPass(`TRAMSO:R1:${ID}|x`)).toBeNull();
		expect(parseResidentPass(`TRAMSO:R1: ${ID}`)).toBeNull();
		expect(parseResidentPass(`TRAMSO:R2:${ID}`)).toBeNull();
		expect(parseResidentPass(ID)).toBeNull();
		expect(parseResidentPass('')).toBeNull();
	});

	it('looksLikeResidentPass only looks at the prefix', () => {
		expect(looksLikeResidentPass('TRAMSO:R1:garbage')).toBe(true);
		expect(looksLikeResidentPass('tramso:r1:' + ID)).toBe(false);
		expect(looksLikeResidentPass('001089012345||Trần Thị Hoa|15031958|Nữ')).toBe(false);
	});

	it('property: every 128-bit id round-trips', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (bytes, upper) => {
				const id = newResidentPassId((b) => {
					b.set(bytes);
					return b;
				});
				const text = encodeResidentPass(id);
				expect(parseResidentPass(upper ? text.replace(id, id.toUpperCase()) : text)).toBe(id);
			}),
			{ numRuns: 500 }
		);
	});

	it('property: never throws, and answers a 32-hex id or null', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.string().map((s) => `TRAMSO:R1:${s}`)), (raw) => {
				const id = parseResidentPass(raw);
				if (id !== null) expect(id).toMatch(/^[0-9a-f]{32}$/);
			}),
			{ numRuns: 1000 }
		);
	});
});
