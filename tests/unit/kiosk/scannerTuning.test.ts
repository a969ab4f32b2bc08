// The scanner's field-tuning override: what a hall (or the bench) writes to localStorage is taken
// only within safe bounds, so a typo can slow the scanner down but never break it.
import { describe, expect, it } from 'vitest';
import { SCANNER_DEFAULTS, scannerTuning } from '$lib/kiosk/scannerTuning';

describe('scannerTuning', () => {
	it('takes every field within bounds', () => {
		expect(scannerTuning('{"fps":25,"boxShare":0.6,"barcodeDetector":false,"flip":false}')).toEqual({ fps: 25, boxShare: 0.6, barcodeDetector: false, flip: false });
		expect(scannerTuning('{"gate":false}')).toEqual({ gate: false });
		expect(scannerTuning('{"gate":"no"}')).toEqual({});
		expect(scannerTuning('{"fps":1,"boxShare":0.95}')).toEqual({ fps: 1, boxShare: 0.95 });
		expect(scannerTuning('{"fps":30,"boxShare":0.3}')).toEqual({ fps: 30, boxShare: 0.3 });
	});

	it('keeps the defaults for a missing key or unreadable JSON', () => {
		expect(scannerTuning(null)).toEqual({});
		expect(scannerTuning('')).toEqual({});
		expect(scannerTuning('{fps: 15')).toEqual({});
		expect(scannerTuning('15')).toEqual({});
		expect(scannerTuning('null')).toEqual({});
	});

	it('drops each field out of bounds or of the wrong type, and keeps the others', () => {
		expect(scannerTuning('{"fps":0,"boxShare":0.7}')).toEqual({ boxShare: 0.7 });
		expect(scannerTuning('{"fps":31}')).toEqual({});
		expect(scannerTuning('{"fps":12.5}')).toEqual({});
		expect(scannerTuning('{"fps":"15"}')).toEqual({});
		expect(scannerTuning('{"boxShare":0.2}')).toEqual({});
		expect(scannerTuning('{"boxShare":1.5,"fps":15}')).toEqual({ fps: 15 });
		// A box as tall as the view never decodes in html5-qrcode 2.3.8.
		expect(scannerTuning('{"boxShare":1}')).toEqual({});
		expect(scannerTuning('{"barcodeDetector":"no"}')).toEqual({});
		expect(scannerTuning('{"flip":0}')).toEqual({});
	});

	it('leaves the shipped defaults as they were', () => {
		expect(SCANNER_DEFAULTS).toEqual({ fps: 10, boxShare: 0.8, barcodeDetector: true, flip: false, gate: true });
	});
});
