// The scanner's settings: the defaults, and a field-tuning override read from localStorage so a
// hall (or `npm run bench`) can try other settings on the built app without a rebuild.
export interface ScannerOptions {
	fps?: number;
	/**
	 * Side of the square scan box, as a share of the shorter video side. At most 0.95: with a box
	 * as tall as the view (1), html5-qrcode 2.3.8 draws no shading and never decodes (the bench
	 * found 0.999 reads, 1 does not).
	 */
	boxShare?: number;
	/** Let html5-qrcode use the browser's native BarcodeDetector where there is one. */
	barcodeDetector?: boolean;
	/**
	 * html5-qrcode's mirror retry: after a frame without a code it mirrors its canvas and decodes
	 * again (the same pixels; the mirror applies from the next frame on). Its default is on.
	 */
	flip?: boolean;
	/** Decode only frames that differ from the last one (kiosk/frameGate.ts), and one a second at least. */
	gate?: boolean;
}

/**
 * No mirror retry: npm run bench (29/11/2026) measured card in view → greeting at a 239 ms median
 * with it and 107 ms without (an earlier run: 223 and 67 ms), with no misses either way and less CPU while idle. A card's QR seen
 * by a camera is never mirrored (a front camera's preview is mirrored on screen, not in frames).
 */
export const SCANNER_DEFAULTS: Required<ScannerOptions> = { fps: 10, boxShare: 0.8, barcodeDetector: true, flip: false, gate: true };

/**
 * Field tuning without a rebuild: localStorage key `tramso.scanner` may hold JSON such as
 * `{"fps":15,"boxShare":0.6,"barcodeDetector":false,"flip":false,"gate":false}` (any subset). Each
 * field is taken only within safe bounds (fps a whole number 1–30, boxShare 0.3–0.95,
 * barcodeDetector, flip and gate booleans);
 * anything else, or unreadable JSON, falls back to the caller's options and then the defaults.
 * `npm run bench` uses it to compare settings on the built app.
 */
export const SCANNER_TUNING_KEY = 'tramso.scanner';

export function scannerTuning(raw: string | null): ScannerOptions {
	if (!raw) return {};
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return {};
	}
	if (typeof value !== 'object' || value === null) return {};
	const { fps, boxShare, barcodeDetector, flip, gate } = value as Record<string, unknown>;
	const tuning: ScannerOptions = {};
	if (typeof fps === 'number' && Number.isInteger(fps) && fps >= 1 && fps <= 30) tuning.fps = fps;
	if (typeof boxShare === 'number' && boxShare >= 0.3 && boxShare <= 0.95) tuning.boxShare = boxShare;
	if (typeof barcodeDetector === 'boolean') tuning.barcodeDetector = barcodeDetector;
	if (typeof flip === 'boolean') tuning.flip = flip;
	if (typeof gate === 'boolean') tuning.gate = gate;
	return tuning;
}

export function storedTuning(): ScannerOptions {
	try {
		return scannerTuning(localStorage.getItem(SCANNER_TUNING_KEY));
	} catch {
		return {}; // storage blocked: the defaults do
	}
}
