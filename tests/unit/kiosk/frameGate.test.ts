import { describe, expect, it } from 'vitest';
import { FrameGate, lumaOf, meanAbsDifference } from '$lib/kiosk/frameGate';

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
