// CSV that Excel opens with Vietnamese intact: UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting.
//
// Formula injection: Excel runs a cell that starts with = + - @ (or a tab or CR before one). On a
// computer whose list separator is ';' (Vietnamese Windows, where the decimal mark is a comma) Excel
// splits this comma-separated file at ';' and at line ends, quoted or not, so a cell can start in
// the middle of our text. Every text cell is therefore quoted, and a formula character is defused
// with an apostrophe wherever a cell could start in either convention.

export type Cell = string | number;

const BOM = '\uFEFF';

/** Where a cell may begin with ',' or ';' as separator: the start, or after ; CR LF, past any quotes. */
const FORMULA_START = /(?<=^|[;\r\n])("*)(?=[=+\-@\t\r])/g;
/** A text ending in ; CR or LF would let a ';'-reader start a cell at the row's CRLF. */
const ENDS_AT_CELL_START = /[;\r\n]$/;

export function defuseFormulas(text: string): string {
	const defused = text.replace(FORMULA_START, "$1'");
	return ENDS_AT_CELL_START.test(defused) ? `${defused} ` : defused;
}

/** Undoes defuseFormulas for a cell read back (the units import): apostrophes we put in come off. */
export function undefuseFormulas(cell: string): string {
	return cell.replace(/(?<=^|[;\r\n])("*)'(?=[=+\-@\t\r])/g, '$1');
}

function quote(cell: Cell): string {
	// Counts are never negative; a negative number would start a formula for a ';'-reader, so it is text.
	if (typeof cell === 'number' && !(cell < 0)) return String(cell);
	return `"${defuseFormulas(String(cell)).replace(/"/g, '""')}"`;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
	return BOM + rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

/**
 * Reads CSV as Excel does (used by the units import and by tests): a quote opens a quoted cell only
 * at the start of a cell; after the closing quote, characters up to the separator join the cell.
 * `separator` ';' reads a file as Excel set to the Vietnamese list separator would.
 */
export function parseCsv(text: string, separator: ',' | ';' = ','): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let inQuotes = false;
	let atCellStart = true;
	const body = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < body.length; i++) {
		const ch = body[i]!;
		if (inQuotes) {
			if (ch === '"' && body[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (ch === '"') inQuotes = false;
			else cell += ch;
			continue;
		}
		if (ch === '"' && atCellStart) {
			inQuotes = true;
			atCellStart = false;
		} else if (ch === separator) {
			row.push(cell);
			cell = '';
			atCellStart = true;
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && body[i + 1] === '\n') i++;
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			atCellStart = true;
		} else {
			cell += ch;
			atCellStart = false;
		}
	}
	if (cell !== '' || row.length > 0) {
		row.push(cell);
		rows.push(row);
	}
	return rows;
}

/** parseCsv's records, each with the physical line it starts on (a quoted cell may span lines), for
 * imports that name the line at fault. */
export function parseCsvLines(text: string, separator: ',' | ';' = ','): { line: number; cells: string[] }[] {
	let line = 1;
	return parseCsv(text, separator).map((cells) => {
		const at = line;
		line += 1 + cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
		return { line: at, cells };
	});
}
