// Decode only when the picture changes (issue 15 §4): nobody at the camera means the same hall,
// frame after frame, and ZXing's decode of it is most of the tablet's idle CPU. Each frame is
// shrunk to a thumbnail; a frame is decoded when its thumbnail differs from the last one by more
// than camera noise, or when `maxSkipMs` passed since the last decode (a card held perfectly still
// after a blurred first look is still read). Pure: the caller draws the thumbnail.

export interface FrameGateOptions {
	/** Mean absolute difference of luma (0–255) per thumbnail pixel above which a frame is new. */
	threshold: number;
	/** Decode at least this often, changed or not. */
	maxSkipMs: number;
}

export const FRAME_GATE_DEFAULTS: FrameGateOptions = { threshold: 2, maxSkipMs: 1000 };
/** The thumbnail's size: enough to see a card come in, small enough to cost nothing to read. */
export const THUMB_WIDTH = 32;
export const THUMB_HEIGHT = 24;

/** Luma of RGBA pixels (ITU-R BT.601 weights, integer maths). */
export function lumaOf(rgba: ArrayLike<number>): Uint8Array {
	const out = new Uint8Array(Math.floor(rgba.length / 4));
	for (let i = 0, p = 0; p < out.length; i += 4, p++) out[p] = (rgba[i]! * 77 + rgba[i + 1]! * 150 + rgba[i + 2]! * 29) >> 8;
	return out;
}

/** Samples averaged per thumbnail pixel, along each side of its cell: enough to even out camera noise. */
const CELL_SAMPLES = 4;

/**
 * The thumbnail's luma straight from an 8-bit luma plane (the Y plane of a camera's YUV frame):
 * each thumbnail pixel is the mean of a grid of samples across its cell of the plane, as a
 * downscaled drawing would be, without converting the whole frame to RGB first.
 */
export function lumaThumbOfPlane(plane: Uint8Array, offset: number, stride: number, width: number, height: number): Uint8Array {
	const out = new Uint8Array(THUMB_WIDTH * THUMB_HEIGHT);
	if (width <= 0 || height <= 0) return out;
	const cellWidth = width / THUMB_WIDTH;
	const cellHeight = height / THUMB_HEIGHT;
	for (let ty = 0; ty < THUMB_HEIGHT; ty++) {
		for (let tx = 0; tx < THUMB_WIDTH; tx++) {
			let sum = 0;
			for (let sy = 0; sy < CELL_SAMPLES; sy++) {
				const row = Math.min(height - 1, Math.floor((ty + (sy + 0.5) / CELL_SAMPLES) * cellHeight));
				for (let sx = 0; sx < CELL_SAMPLES; sx++) {
					const column = Math.min(width - 1, Math.floor((tx + (sx + 0.5) / CELL_SAMPLES) * cellWidth));
					sum += plane[offset + row * stride + column]!;
				}
			}
			out[ty * THUMB_WIDTH + tx] = Math.round(sum / (CELL_SAMPLES * CELL_SAMPLES));
		}
	}
	return out;
}

export function meanAbsDifference(a: Uint8Array, b: Uint8Array): number {
	if (a.length !== b.length || a.length === 0) return Infinity;
	let sum = 0;
	for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
	return sum / a.length;
}

export class FrameGate {
	#last: Uint8Array | null = null;
	#lastDecodeAt = -Infinity;
	/** Frames seen and frames let through, for the bench and the tests. */
	seen = 0;
	decoded = 0;

	constructor(private readonly options: FrameGateOptions = FRAME_GATE_DEFAULTS) {}

	/** Whether to decode the frame whose thumbnail luma is `luma`, seen at `now` (ms). */
	shouldDecode(luma: Uint8Array, now: number): boolean {
		this.seen++;
		const changed = this.#last === null || meanAbsDifference(luma, this.#last) > this.options.threshold;
		this.#last = luma;
		if (!changed && now - this.#lastDecodeAt < this.options.maxSkipMs) return false;
		this.#lastDecodeAt = now;
		this.decoded++;
		return true;
	}
}
