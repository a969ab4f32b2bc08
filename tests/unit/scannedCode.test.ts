import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyScannedCode } from '$lib/domain/scannedCode';
import { encodeResidentPass } from '$lib/domain/residentPass';
import { encodeBadge } from '$lib/domain/badge';

const ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const CCCD = '001089012345|123456789|Trần Thị Hoa|15031958|Nữ|Thôn Trung, Tùng Ảnh, Đức Thọ, Hà Tĩnh|01012021';

describe('classifyScannedCode', () => {
	it('a resident pass → kind residentPass', () => {
		expect(classifyScannedCode(encodeResidentPass(ID))).toEqual({ kind: 'residentPass', passId: ID });
	});

	it('a resident pass in uppercase hex → kind residentPass, lowercase id', () => {
		expect(classifyScannedCode(`TRAMSO:R1:${ID.toUpperCase()}`)).toEqual({ kind: 'residentPass', passId: ID });
	});

	it('a malformed resident pass → rejected bad_resident_pass', () => {
		expect(classifyScannedCode('TRAMSO:R1:')).toEqual({ kind: 'rejected', reason: 'bad_resident_pass' });
		expect(classifyScannedCode('TRAMSO:R1:1234')).toEqual({ kind: 'rejected', reason: 'bad_resident_pass' });
		expect(classifyScannedCode(`TRAMSO:R1:${ID}ff`)).toEqual({ kind: 'rejected', reason: 'bad_resident_pass' });
		expect(classifyScannedCode(`  TRAMSO:R1:${'x'.repeat(32)}  `)).toEqual({
			kind: 'rejected',
			reason: 'bad_resident_pass'
		});
	});

	it('a member badge → kind badge', () => {
		const badge = { teamId: 'demo-tung-anh-trung-hoa', memberId: 'demo-leader', version: 3, signature: 'A'.repeat(22) };
		expect(classifyScannedCode(` ${encodeBadge(badge)}\n`)).toEqual({ kind: 'badge', badge });
	});

	it('a malformed badge → rejected bad_badge, not a CCCD message', () => {
		expect(classifyScannedCode('TRAMSO:B1:')).toEqual({ kind: 'rejected', reason: 'bad_badge' });
		expect(classifyScannedCode('TRAMSO:B1:team:member:0:' + 'A'.repeat(22))).toEqual({ kind: 'rejected', reason: 'bad_badge' });
		expect(classifyScannedCode('TRAMSO:B2:team:member:1:' + 'A'.repeat(22))).toEqual({ kind: 'rejected', reason: 'bad_badge' });
	});

	it('a CCCD → kind cccd with the card and no address', () => {
		const result = classifyScannedCode(CCCD);
		expect(result).toEqual({
			kind: 'cccd',
			card: { idNumber: '001089012345', fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' }
		});
		expect(JSON.stringify(result)).not.toContain('Thôn Trung');
	});

	it('a URL → rejected url', () => {
		expect(classifyScannedCode('https://vneid.gov.vn')).toEqual({ kind: 'rejected', reason: 'url' });
		expect(classifyScannedCode('www.example.com')).toEqual({ kind: 'rejected', reason: 'url' });
	});

	it('a bank QR → rejected payment; plain text → not_cccd; nothing → empty', () => {
		expect(classifyScannedCode('00020101021138570010A000000727')).toEqual({ kind: 'rejected', reason: 'payment' });
		expect(classifyScannedCode('hello')).toEqual({ kind: 'rejected', reason: 'not_cccd' });
		expect(classifyScannedCode('')).toEqual({ kind: 'rejected', reason: 'empty' });
	});

	it('passes CCCD rejections through', () => {
		expect(classifyScannedCode('00108901234||Trần Thị Hoa|15031958|Nữ')).toEqual({
			kind: 'rejected',
			reason: 'bad_id_number'
		});
		expect(classifyScannedCode('001089012345||Trần Thị Hoa|31022000|Nữ')).toEqual({
			kind: 'rejected',
			reason: 'bad_birth_date'
		});
	});

	it('property: never throws and always answers one of the four kinds', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.string({ unit: 'binary' }),
					fc.string().map((s) => `TRAMSO:R1:${s}`),
					fc.string().map((s) => `TRAMSO:B1:${s}`)
				),
				(raw) => {
					const r = classifyScannedCode(raw);
					expect(['cccd', 'residentPass', 'badge', 'rejected']).toContain(r.kind);
				}
			),
			{ numRuns: 1000 }
		);
	});
});
