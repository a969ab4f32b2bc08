// Writes the PWA icons (static/icons/*.png) with no image library: a dark-green tile with three
// QR-style finder squares and a check mark block. Run once; the PNGs are committed.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
const crc32 = (buf) => {
	let c = 0xffffffff;
	for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
};

function icon(size) {
	const green = [11, 61, 46];
	const white = [255, 255, 255];
	const yellow = [250, 204, 21];
	const u = size / 16; // a 16×16 grid, kept inside the maskable safe zone (centre 80%)
	const inSquare = (x, y, gx, gy, n) => x >= gx * u && x < (gx + n) * u && y >= gy * u && y < (gy + n) * u;
	const finder = (x, y, gx, gy) =>
		inSquare(x, y, gx, gy, 4) && !(inSquare(x, y, gx + 1, gy + 1, 2) && !inSquare(x, y, gx + 1.5, gy + 1.5, 1));
	const rows = [];
	for (let y = 0; y < size; y++) {
		const row = Buffer.alloc(1 + size * 3);
		for (let x = 0; x < size; x++) {
			let c = green;
			if (finder(x, y, 3, 3) || finder(x, y, 9, 3) || finder(x, y, 3, 9)) c = white;
			if (inSquare(x, y, 9, 9, 4)) c = yellow;
			row.set(c, 1 + x * 3);
		}
		rows.push(row);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // truecolour RGB
	return Buffer.concat([
		Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0))
	]);
}

mkdirSync('static/icons', { recursive: true });
for (const size of [192, 512]) writeFileSync(`static/icons/icon-${size}.png`, icon(size));
console.log('wrote static/icons/icon-192.png and icon-512.png');
