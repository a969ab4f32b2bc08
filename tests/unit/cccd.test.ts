import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCccdQr, parseDdMmYyyy, type CccdParseResult, type CccdRejection } from '$lib/domain/cccd';

const ADDRESS = 'Thôn Trung, Tùng Ảnh, Đức Thọ, Hà Tĩnh';
const REAL = `001089012345|123456789|Trần Thị Hoa|15031958|Nữ|${ADDRESS}|01012021`;

const REASONS: readonly CccdRejection[] = [
	'empty',
	'url',
	'payment',
	'not_cccd',
	'bad_id_number',
	'bad_name',
	'bad_birth_date',
	'bad_gender'
];

function expectCard(result: CccdParseResult) {
	expect(result.ok).toBe(true);
	if (!result.ok) throw new Error(`expected a card, got ${result.reason}`);
	return result.card;
}

function expectReason(raw: string, reason: CccdRejection) {
	const result = parseCccdQr(raw);
	expect(result).toEqual({ ok: false, reason });
}

describe('parseCccdQr: real cards and their variants', () => {
	it('parses the standard 7-field QR', () => {
		expect(parseCccdQr(REAL)).toEqual({
			ok: true,
			card: { idNumber: '001089012345', fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' }
		});
	});

	it('never carries the address (nor the old ID or the issue date) in the result', () => {
		const json = JSON.stringify(parseCccdQr(REAL));
		expect(json).not.toContain(ADDRESS);
		expect(json).not.toContain('Thôn Trung');
		expect(json).not.toContain('Hà Tĩnh');
		expect(json).not.toContain('123456789');
		expect(json).not.toContain('01012021');
		const card = expectCard(parseCccdQr(REAL));
		expect(Object.keys(card).sort()).toEqual(['birthYear', 'fullName', 'gender', 'idNumber']);
	});

	it('accepts an empty old-ID field', () => {
		const card = expectCard(parseCccdQr(`001089012345||Trần Thị Hoa|15031958|Nữ|${ADDRESS}|01012021`));
		expect(card).toEqual({ idNumber: '001089012345', fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' });
	});

	it('accepts a male card', () => {
		const card = expectCard(parseCccdQr('042070001234||Nguyễn Văn An|01011970|Nam|Xóm 1, Đức Thọ|20052022'));
		expect(card.gender).toBe('male');
		expect(card.birthYear).toBe(1970);
		expect(card.fullName).toBe('Nguyễn Văn An');
	});

	it('accepts trailing separators', () => {
		expectCard(parseCccdQr(`${REAL}|`));
		expectCard(parseCccdQr(`${REAL}||`));
		const card = expectCard(parseCccdQr(`${REAL}|||`));
		expect(card.idNumber).toBe('001089012345');
	});

	it('accepts a missing issue date', () => {
		const card = expectCard(parseCccdQr(`001089012345|123456789|Trần Thị Hoa|15031958|Nữ|${ADDRESS}`));
		expect(card.birthYear).toBe(1958);
	});

	it('accepts missing address and issue date (fields end at gender)', () => {
		const card = expectCard(parseCccdQr('001089012345|123456789|Trần Thị Hoa|15031958|Nữ'));
		expect(card.gender).toBe('female');
		expectCard(parseCccdQr('001089012345|123456789|Trần Thị Hoa|15031958|Nữ|'));
	});

	it('accepts extra fields after the issue date', () => {
		const card = expectCard(parseCccdQr(`${REAL}|extra|more|01012031`));
		expect(card).toEqual({ idNumber: '001089012345', fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' });
	});

	it('accepts surrounding white space and white space around fields', () => {
		expectCard(parseCccdQr(`  \n\t${REAL}\r\n `));
		const card = expectCard(parseCccdQr(` 001089012345 | 123456789 |  Trần   Thị  Hoa  | 15031958 | Nữ | ${ADDRESS} | 01012021 `));
		expect(card.idNumber).toBe('001089012345');
		expect(card.fullName).toBe('Trần Thị Hoa');
	});

	it('accepts a leading byte-order mark', () => {
		const card = expectCard(parseCccdQr(`\uFEFF${REAL}`));
		expect(card.idNumber).toBe('001089012345');
		expectCard(parseCccdQr(`\uFEFF  ${REAL}  `));
	});

	it('normalises a decomposed (NFD) name and gender to NFC', () => {
		const nfd = REAL.normalize('NFD');
		expect(nfd).not.toBe(REAL);
		const card = expectCard(parseCccdQr(nfd));
		expect(card.fullName).toBe('Trần Thị Hoa'.normalize('NFC'));
		expect(card.fullName).toBe(card.fullName.normalize('NFC'));
		expect(card.fullName.length).toBe('Trần Thị Hoa'.normalize('NFC').length);
		expect(card.gender).toBe('female');
	});

	it('accepts gender spelled in other cases and without diacritics', () => {
		const withGender = (g: string) => parseCccdQr(`001089012345||Trần Thị Hoa|15031958|${g}|${ADDRESS}`);
		expect(expectCard(withGender('NỮ')).gender).toBe('female');
		expect(expectCard(withGender('nữ')).gender).toBe('female');
		expect(expectCard(withGender('Nu')).gender).toBe('female');
		expect(expectCard(withGender('NAM')).gender).toBe('male');
		expect(expectCard(withGender('nam')).gender).toBe('male');
	});

	it('takes the birth year from a 29 February of a leap year', () => {
		const card = expectCard(parseCccdQr('001089012345||Lê Văn Bình|29022000|Nam'));
		expect(card.birthYear).toBe(2000);
	});
});

describe('parseCccdQr: rejections with a reason', () => {
	it('empty', () => {
		expectReason('', 'empty');
		expectReason('   \n\t ', 'empty');
		expectReason('\uFEFF', 'empty');
		expectReason('\uFEFF  ', 'empty');
	});

	it('url', () => {
		expectReason('https://dichvucong.gov.vn/p/home/dvc-trang-chu.html', 'url');
		expectReason('http://example.com', 'url');
		expectReason('HTTPS://EXAMPLE.COM/A', 'url');
		expectReason('www.example.com', 'url');
		expectReason('WWW.vneid.gov.vn', 'url');
		expectReason('zalo://conversation?id=1', 'url');
		expectReason('  https://example.com  ', 'url');
		// A URL that happens to hold pipes is still a URL.
		expectReason('https://example.com/?q=a|b|c|d|e|f', 'url');
	});

	it('payment (VietQR / EMVCo)', () => {
		expectReason(
			'00020101021238570010A00000072701270006970436011300110123456780208QRIBFTTA53037045802VN62150811Chuyen tien6304ABCD',
			'payment'
		);
		expectReason('000201010211', 'payment');
	});

	it('not_cccd', () => {
		expectReason('hello', 'not_cccd');
		expectReason('Xin chào bà con', 'not_cccd');
		expectReason('{"id":"001089012345","name":"Trần Thị Hoa"}', 'not_cccd');
		expectReason('[1,2,3]', 'not_cccd');
		expectReason('001089012345', 'not_cccd');
		expectReason('TRAMSO:R2:abc', 'not_cccd');
		// Pipes but too few fields.
		expectReason('001089012345|123456789|Trần Thị Hoa', 'not_cccd');
		// Pipes but the first field is not a number.
		expectReason(`ABC089012345|123456789|Trần Thị Hoa|15031958|Nữ|${ADDRESS}`, 'not_cccd');
	});

	it('not_cccd for an over-long text even if it looks like a card', () => {
		expectReason(`${REAL}|${'x'.repeat(1200)}`, 'not_cccd');
	});

	it('bad_id_number (11 or 13 digits)', () => {
		expectReason(`00108901234|123456789|Trần Thị Hoa|15031958|Nữ|${ADDRESS}|01012021`, 'bad_id_number');
		expectReason(`0010890123456|123456789|Trần Thị Hoa|15031958|Nữ|${ADDRESS}|01012021`, 'bad_id_number');
		expectReason(`123456789||Trần Thị Hoa|15031958|Nữ`, 'bad_id_number');
	});

	it('bad_name', () => {
		expectReason(`001089012345|123456789||15031958|Nữ|${ADDRESS}`, 'bad_name');
		expectReason(`001089012345|123456789|   |15031958|Nữ|${ADDRESS}`, 'bad_name');
		expectReason(`001089012345|123456789|Trần Thị Hoa 2|15031958|Nữ|${ADDRESS}`, 'bad_name');
		expectReason(`001089012345|123456789|<script>alert(1)</script>|15031958|Nữ|${ADDRESS}`, 'bad_name');
		expectReason(`001089012345|123456789|{name}|15031958|Nữ|${ADDRESS}`, 'bad_name');
		expectReason(`001089012345|123456789|${'A'.repeat(81)}|15031958|Nữ|${ADDRESS}`, 'bad_name');
	});

	it('accepts a name of exactly 80 characters', () => {
		const card = expectCard(parseCccdQr(`001089012345||${'A'.repeat(80)}|15031958|Nữ`));
		expect(card.fullName).toHaveLength(80);
	});

	it('bad_birth_date', () => {
		const withBirth = (d: string) => `001089012345|123456789|Trần Thị Hoa|${d}|Nữ|${ADDRESS}|01012021`;
		expectReason(withBirth('31022000'), 'bad_birth_date');
		expectReason(withBirth('00011990'), 'bad_birth_date');
		expectReason(withBirth('29022001'), 'bad_birth_date');
		expectReason(withBirth('01131990'), 'bad_birth_date');
		expectReason(withBirth('01001990'), 'bad_birth_date');
		expectReason(withBirth('1503195'), 'bad_birth_date');
		expectReason(withBirth('1958-03-15'), 'bad_birth_date');
		expectReason(withBirth(''), 'bad_birth_date');
		expectReason(withBirth('15031899'), 'bad_birth_date');
		expectReason(withBirth('01012101'), 'bad_birth_date');
	});

	it('bad_gender', () => {
		const withGender = (g: string) => `001089012345|123456789|Trần Thị Hoa|15031958|${g}|${ADDRESS}|01012021`;
		expectReason(withGender(''), 'bad_gender');
		expectReason(withGender('X'), 'bad_gender');
		expectReason(withGender('Khác'), 'bad_gender');
		expectReason(`001089012345|123456789|Trần Thị Hoa|15031958|`, 'bad_gender');
	});

	it('never echoes the address, even when rejecting', () => {
		const rejected = parseCccdQr(`001089012345|123456789|Trần Thị Hoa|15031958|X|${ADDRESS}|01012021`);
		expect(rejected.ok).toBe(false);
		expect(JSON.stringify(rejected)).not.toContain(ADDRESS);
	});
});

describe('parseDdMmYyyy', () => {
	it('reads real dates and refuses impossible ones', () => {
		expect(parseDdMmYyyy('15031958')).toEqual({ day: 15, month: 3, year: 1958 });
		expect(parseDdMmYyyy('29022024')).toEqual({ day: 29, month: 2, year: 2024 });
		expect(parseDdMmYyyy('29021900')).toBeNull(); // 1900 is not a leap year
		expect(parseDdMmYyyy('31042000')).toBeNull();
		expect(parseDdMmYyyy('31122100')).toEqual({ day: 31, month: 12, year: 2100 });
		expect(parseDdMmYyyy('01011900')).toEqual({ day: 1, month: 1, year: 1900 });
		expect(parseDdMmYyyy('1a032000')).toBeNull();
		expect(parseDdMmYyyy('١٥٠٣١٩٥٨')).toBeNull(); // non-ASCII digits
	});
});

// ---------- property-based ----------

const RUNS = 2000;

const anyString = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme' }),
	fc.string({ unit: 'binary' }),
	fc.string({ unit: 'binary-ascii' }),
	fc.string({ unit: 'grapheme-composite' })
);

function checkShape(result: CccdParseResult) {
	if (result.ok) {
		expect(result.card.idNumber).toMatch(/^\d{12}$/);
		expect(['male', 'female']).toContain(result.card.gender);
		expect(Number.isInteger(result.card.birthYear)).toBe(true);
		expect(result.card.fullName.length).toBeGreaterThan(0);
		expect(result.card.fullName.length).toBeLessThanOrEqual(80);
	} else {
		expect(REASONS).toContain(result.reason);
	}
}

describe('parseCccdQr: properties', () => {
	it('never throws for any string', () => {
		fc.assert(
			fc.property(anyString, (raw) => {
				checkShape(parseCccdQr(raw));
			}),
			{ numRuns: RUNS }
		);
	});

	it('never throws for |-joined arbitrary fields, and answers a 12-digit card or a known reason', () => {
		const field = fc.oneof(
			anyString,
			fc.stringMatching(/^\d{9,13}$/),
			fc.stringMatching(/^\d{8}$/),
			fc.constantFrom('', ' ', 'Nam', 'Nữ', 'Nu', 'NAM', 'x', 'Trần Thị Hoa', '\uFEFF', 'https://a.b', '000201')
		);
		fc.assert(
			fc.property(fc.array(field, { maxLength: 12 }), fc.boolean(), (fields, bom) => {
				const raw = (bom ? '\uFEFF' : '') + fields.join('|');
				checkShape(parseCccdQr(raw));
			}),
			{ numRuns: RUNS }
		);
	});

	const LETTERS =
		'aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ';
	const letter = fc.constantFrom(...Array.from(LETTERS));
	const word = fc
		.tuple(letter, fc.array(letter, { minLength: 0, maxLength: 7 }))
		.map(([first, rest]) => first.toUpperCase() + rest.join(''));
	const vnName = fc.array(word, { minLength: 1, maxLength: 5 }).map((ws) => ws.join(' '));
	const birth = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true });
	const ddmmyyyy = (d: Date) =>
		String(d.getUTCDate()).padStart(2, '0') + String(d.getUTCMonth() + 1).padStart(2, '0') + String(d.getUTCFullYear());
	const address = fc.string({ unit: 'grapheme', maxLength: 120 });

	it('round-trips a generated valid card', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^\d{12}$/),
				fc.option(fc.stringMatching(/^\d{9}$/), { nil: '' }),
				vnName,
				birth,
				fc.constantFrom('Nam', 'Nữ'),
				address,
				fc.option(birth, { nil: undefined }),
				fc.boolean(),
				(id, oldId, name, born, gender, addr, issued, decompose) => {
					const parts = [id, oldId, name, ddmmyyyy(born), gender, addr];
					if (issued) parts.push(ddmmyyyy(issued));
					let raw = parts.join('|');
					if (decompose) raw = raw.normalize('NFD');
					const result = parseCccdQr(raw);
					const card = expectCard(result);
					expect(card.idNumber).toBe(id);
					expect(card.fullName).toBe(name.normalize('NFC'));
					expect(card.birthYear).toBe(born.getUTCFullYear());
					expect(card.gender).toBe(gender === 'Nam' ? 'male' : 'female');
					expect(Object.keys(card).sort()).toEqual(['birthYear', 'fullName', 'gender', 'idNumber']);
				}
			),
			{ numRuns: RUNS }
		);
	});
});
