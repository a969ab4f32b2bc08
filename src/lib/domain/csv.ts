// CSV that Excel opens with Vietnamese intact: UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting.

export type Cell = string | number;

const BOM = '\uFEFF';

function quote(cell: Cell): string {
	let text = typeof cell === 'number' ? String(cell) : cell;
	// A cell starting with = + - @ would run as a formula in Excel (CSV injection): defuse it.
	if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
	return BOM + rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** Reads back what toCsv wrote (used by tests and by anyone checking an export). */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let inQuotes = false;
	const body = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < body.length; i++) {
		const ch = body[i]!;
		if (inQuotes) {
			if (ch === '"' && body[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (ch === '"') inQuotes = false;
			else cell += ch;
		} else if (ch === '"') inQuotes = true;
		else if (ch === ',') {
			row.push(cell);
			cell = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && body[i + 1] === '\n') i++;
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
		} else cell += ch;
	}
	if (cell !== '' || row.length > 0) {
		row.push(cell);
		rows.push(row);
	}
	return rows;
}
