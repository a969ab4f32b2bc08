import { describe, expect, it } from 'vitest';
import { FrameGate, lumaOf, lumaThumbOfPlane, meanAbsDifference, THUMB_HEIGHT, THUMB_WIDTH } from '$lib/kiosk/frameGate';

const flat = (value: number, n = 32 * 24) => new Uint8Array(n).fill(value);
/** A card: the middle third of the thumbnail turns white over a grey hall. */
const withCard = () => {
	const luma = flat(90);
	for (let y = 8; y < 16; y++) for (let x = 11; x < 21; x++) luma[y * 32 + x] = 240;
	return luma;
};

describe('FrameGate', () => {
	it('decodes the first frame, skips the same hall, and decodes a card coming in at once', () => {
		const gate = new FrameGate({ threshold: 2, maxSkipMs: 1000 });
		expect(gate.shouldDecode(flat(90), 0)).toBe(true);
		for (let t = 100; t < 900; t += 100) expect(gate.shouldDecode(flat(90), t)).toBe(false);
		expect(gate.shouldDecode(withCard(), 950)).toBe(true);
		expect(gate.decoded).toBe(2);
		expect(gate.seen).toBe(10);
	});

	it('ignores camera noise of a level or so, and still decodes a still picture once a second', () => {
		const gate = new FrameGate({ threshold: 2, maxSkipMs: 1000 });
		gate.shouldDecode(flat(90), 0);
		const noisy = flat(90).map((v, i) => v + ((i * 7) % 3) - 1);
		expect(gate.shouldDecode(noisy, 100)).toBe(false);
		expect(gate.shouldDecode(flat(91), 200)).toBe(false);
		expect(gate.shouldDecode(flat(90), 1000)).toBe(true);
		expect(gate.shouldDecode(flat(90), 1100)).toBe(false);
	});

	it('measures luma and differences as expected', () => {
		expect([...lumaOf([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255])]).toEqual([255, 0, 76]);
		expect(meanAbsDifference(flat(10, 4), flat(14, 4))).toBe(4);
		expect(meanAbsDifference(flat(10, 4), flat(10, 5))).toBe(Infinity);
	});
});

describe('lumaThumbOfPlane', () => {
	/** A 640 × 480 Y plane with row padding (stride 704) after a 100-byte header, grey, with a white card in its middle third. */
	const plane = (card: boolean) => {
		const stride = 704;
		const offset = 100;
		const bytes = new Uint8Array(offset + stride * 480).fill(7); // padding and header: never read
		for (let y = 0; y < 480; y++)
			for (let x = 0; x < 640; x++) bytes[offset + y * stride + x] = card && x >= 220 && x < 420 && y >= 160 && y < 320 ? 240 : 90;
		return { bytes, offset, stride };
	};

	it('shrinks the frame to the thumbnail, reading neither the header nor the row padding', () => {
		const { bytes, offset, stride } = plane(false);
		const thumb = lumaThumbOfPlane(bytes, offset, stride, 640, 480);
		expect(thumb.length).toBe(THUMB_WIDTH * THUMB_HEIGHT);
		expect([...new Set(thumb)]).toEqual([90]);
	});

	it('shows a card where it is, and the gate sees it come in', () => {
		const { bytes, offset, stride } = plane(true);
		const thumb = lumaThumbOfPlane(bytes, offset, stride, 640, 480);
		// Cell (16, 12) is inside the card, (2, 2) is the hall.
		expect(thumb[12 * THUMB_WIDTH + 16]).toBe(240);
		expect(thumb[2 * THUMB_WIDTH + 2]).toBe(90);
		const gate = new FrameGate({ threshold: 2, maxSkipMs: 1000 });
		gate.shouldDecode(lumaThumbOfPlane(plane(false).bytes, offset, stride, 640, 480), 0);
		expect(gate.shouldDecode(thumb, 100)).toBe(true);
	});

	it('averages each cell, so a single noisy pixel barely moves it', () => {
		const { bytes, offset, stride } = plane(false);
		const quiet = lumaThumbOfPlane(bytes, offset, stride, 640, 480);
		for (let i = 0; i < 480; i += 3) bytes[offset + i * stride + ((i * 13) % 640)] = 255;
		expect(meanAbsDifference(quiet, lumaThumbOfPlane(bytes, offset, stride, 640, 480))).toBeLessThan(2);
	});

	it('reads a portrait frame and an odd size without leaving the plane', () => {
		const bytes = new Uint8Array(481 * 641).fill(50);
		expect([...new Set(lumaThumbOfPlane(bytes, 0, 481, 481, 641))]).toEqual([50]);
		expect(lumaThumbOfPlane(bytes, 0, 0, 0, 0).every((v) => v === 0)).toBe(true);
	});
});
