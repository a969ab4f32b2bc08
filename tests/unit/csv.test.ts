import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv, toCsv } from '../../src/lib/domain/csv';

const BOM = '\uFEFF';

describe('toCsv', () => {
	it('starts with a byte-order mark and ends every row with CRLF', () => {
		const csv = toCsv([
			['a', 'b'],
			['c', 'd']
		]);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(csv).toBe(`${BOM}a,b\r\nc,d\r\n`);
		expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
	});

	it('writes numbers unquoted, including negative and decimal numbers', () => {
		expect(toCsv([[1, 0, -1, 2.5, 1000000]])).toBe(`${BOM}1,0,-1,2.5,1000000\r\n`);
	});

	it('quotes commas, quotes and newlines (RFC 4180)', () => {
		expect(toCsv([['a,b']])).toBe(`${BOM}"a,b"\r\n`);
		expect(toCsv([['say "hi"']])).toBe(`${BOM}"say ""hi"""\r\n`);
		expect(toCsv([['line1\nline2']])).toBe(`${BOM}"line1\nline2"\r\n`);
		expect(toCsv([['line1\r\nline2']])).toBe(`${BOM}"line1\r\nline2"\r\n`);
		expect(toCsv([['"']])).toBe(`${BOM}""""\r\n`);
	});

	it('leaves plain text and empty cells unquoted', () => {
		expect(toCsv([['Trần Thị Hoa', '', 'Đức Thọ']])).toBe(`${BOM}Trần Thị Hoa,,Đức Thọ\r\n`);
	});

	it('defuses formula-looking text cells with a leading apostrophe', () => {
		expect(toCsv([['=SUM(1)']])).toBe(`${BOM}'=SUM(1)\r\n`);
		expect(toCsv([['+1']])).toBe(`${BOM}'+1\r\n`);
		expect(toCsv([['-1']])).toBe(`${BOM}'-1\r\n`);
		expect(toCsv([['@x']])).toBe(`${BOM}'@x\r\n`);
		expect(toCsv([['\tx']])).toBe(`${BOM}'\tx\r\n`);
		expect(toCsv([['\rx']])).toBe(`${BOM}"'\rx"\r\n`);
		// Defused and quoted when it also holds a comma or a quote.
		expect(toCsv([['=HYPERLINK("http://x","y")']])).toBe(`${BOM}"'=HYPERLINK(""http://x"",""y"")"\r\n`);
	});

	it('does not defuse a formula character that is not first', () => {
		expect(toCsv([['a=b', '1+1', 'x@y.vn']])).toBe(`${BOM}a=b,1+1,x@y.vn\r\n`);
	});

	it('writes an empty table as just the BOM and a line end', () => {
		expect(toCsv([])).toBe(`${BOM}\r\n`);
	});
});

describe('parseCsv', () => {
	it('reads back Vietnamese text', () => {
		const rows = [
			['Họ và tên', 'Năm sinh', 'Giới tính', 'Kỹ năng'],
			['Trần Thị Hoa', '1958', 'Nữ', 'Cài đặt VNeID, kích hoạt mức 2'],
			['Nguyễn Văn Ấn', '1990', 'Nam', 'Nhận biết "lừa đảo" trực tuyến'],
			['Lê Thị Ngọc Ánh', '2010', 'Nữ', 'Ví điện tử\nthanh toán QR']
		];
		expect(parseCsv(toCsv(rows))).toEqual(rows);
	});

	it('reads numbers back as their text', () => {
		expect(parseCsv(toCsv([['n', 3, -1, 2.5]]))).toEqual([['n', '3', '-1', '2.5']]);
	});

	it('reads defused cells back with their apostrophe', () => {
		expect(parseCsv(toCsv([['=SUM(1)', '+1', '-1', '@x']]))).toEqual([["'=SUM(1)", "'+1", "'-1", "'@x"]]);
	});

	it('accepts LF-only and CR-only line ends, no final line end, and no BOM', () => {
		expect(parseCsv('a,b\nc,d\n')).toEqual([
			['a', 'b'],
			['c', 'd']
		]);
		expect(parseCsv('a,b\rc,d')).toEqual([
			['a', 'b'],
			['c', 'd']
		]);
		expect(parseCsv(`${BOM}a,"b,c"`)).toEqual([['a', 'b,c']]);
	});

	it('keeps empty cells, including trailing ones', () => {
		expect(parseCsv('a,,\r\n,b,\r\n')).toEqual([
			['a', '', ''],
			['', 'b', '']
		]);
	});

	it('reads nothing from an empty text', () => {
		expect(parseCsv('')).toEqual([]);
		expect(parseCsv(BOM)).toEqual([]);
	});
});

// ---------- property-based ----------

describe('csv properties', () => {
	const cell = fc
		.oneof(
			fc.string(),
			fc.string({ unit: 'grapheme' }),
			fc.string({ unit: fc.constantFrom('a', 'ă', 'Đ', 'ữ', ',', '"', '\r', '\n', ' ', '=', '+', '-', '@', '\t', "'") })
		)
		.filter((s) => !/^[=+\-@\t\r]/.test(s));
	const rowsArb = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });

	it('parseCsv(toCsv(rows)) gives the rows back', () => {
		fc.assert(
			fc.property(rowsArb, (rows) => {
				expect(parseCsv(toCsv(rows))).toEqual(rows);
			}),
			{ numRuns: 2000 }
		);
	});

	it('every formula-looking text cell comes back behind an apostrophe', () => {
		const risky = fc
			.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string())
			.map(([first, rest]) => first + rest);
		fc.assert(
			fc.property(fc.array(risky, { minLength: 1, maxLength: 5 }), (row) => {
				const [back] = parseCsv(toCsv([row]));
				expect(back).toEqual(row.map((c) => `'${c}`));
			}),
			{ numRuns: 1000 }
		);
	});

	it('numbers come back as String(n), never defused', () => {
		fc.assert(
			fc.property(fc.array(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 6 }), (row) => {
				expect(parseCsv(toCsv([row]))).toEqual([row.map((n) => String(n))]);
			}),
			{ numRuns: 500 }
		);
	});
});
