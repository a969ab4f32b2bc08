// The one door to the camera decoder. html5-qrcode throws if stop() runs while start() is still
// pending ("already under transition"), so every start and stop goes through one queue here;
// the rest of the app sees only `state` and the decoded text, and the decoder can be swapped.
import type { Html5Qrcode } from 'html5-qrcode';
import { FrameGate, lumaOf, THUMB_HEIGHT, THUMB_WIDTH } from './frameGate';
import { SCANNER_DEFAULTS, storedTuning, type ScannerOptions } from './scannerTuning';
import { START_MARKS } from './marks';

export type { ScannerOptions };

export type ScannerState = 'idle' | 'starting' | 'running' | 'failed';

/** The longest decoding waits for a code's handling (see start). */
const MAX_HANDLING_MS = 5000;

/** The back camera, as html5-qrcode asks for it ({ facingMode }: it adds nothing else). */
const CAMERA = { audio: false, video: { facingMode: 'environment' } } as const;

/**
 * The decoder's code (kiosk/decoder.ts). A page that may lose its network before the camera starts
 * (the officer's /admin/collect) calls it early.
 */
export function loadDecoder() {
	return import('./decoder');
}

export class QrScanner {
	state = $state<ScannerState>('idle');
	/** Why the camera failed (permission, no device), for the log; the screen says it plainly. */
	failure = $state<string | null>(null);

	#decoder: Html5Qrcode | null = null;
	#queue: Promise<void> = Promise.resolve();
	#onCode: ((text: string) => unknown) | null = null;
	/** A code is being handled: no decoding meanwhile (see start). */
	#handling = false;

	/**
	 * html5-qrcode calls `video.play()` without handling its promise; leaving the screen while the
	 * camera starts removes the video and that promise rejects ("The play() request was
	 * interrupted…") as an uncaught error. Only that rejection, from a video no longer on the
	 * page, is dropped here; any other keeps being reported.
	 */
	#dropInterruptedPlay = (event: PromiseRejectionEvent) => {
		const reason: unknown = event.reason;
		if (reason instanceof DOMException && reason.name === 'AbortError' && /play\(\)/.test(reason.message)) event.preventDefault();
	};

	#enqueue(step: () => Promise<void>): Promise<void> {
		this.#queue = this.#queue.then(step, step);
		return this.#queue;
	}

	/**
	 * Loads the decoder lazily (the check-in screen paints before it arrives) and starts the camera.
	 * When `onCode` returns a promise, no frame is decoded until it settles: on a tablet-class CPU a
	 * decode takes most of a tick, and decoding the card again and again while its check-in is
	 * saved delayed the greeting (npm run bench: scan → greeting at CPU 4×).
	 */
	start(elementId: string, onCode: (text: string) => unknown, options: ScannerOptions = {}): Promise<void> {
		this.#onCode = onCode;
		return this.#enqueue(async () => {
			if (this.state === 'running') return;
			this.state = 'starting';
			this.failure = null;
			// The camera opens while the decoder's code loads (opening one takes a while, more so on a
			// tablet): html5-qrcode then asks for a device that is already open. Same constraints as
			// html5-qrcode's, so it is the same camera; this stream goes once the decoder's runs.
			const early = navigator.mediaDevices?.getUserMedia(CAMERA).catch(() => null) ?? Promise.resolve(null);
			try {
				const settings: Required<ScannerOptions> = { ...SCANNER_DEFAULTS, ...options, ...storedTuning() };
				const { Html5Qrcode, Html5QrcodeSupportedFormats } = await loadDecoder();
				performance.mark(START_MARKS.scannerLoaded);
				window.addEventListener('unhandledrejection', this.#dropInterruptedPlay);
				this.#decoder ??= new Html5Qrcode(elementId, {
					verbose: false,
					formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
					useBarCodeDetectorIfSupported: settings.barcodeDetector
				});
				wrapDecoding(this.#decoder, settings.gate, () => this.#handling);
				const share = settings.boxShare;
				await this.#decoder.start(
					CAMERA.video,
					{
						fps: settings.fps,
						disableFlip: !settings.flip,
						qrbox: (w, h) => {
							// html5-qrcode throws below 50 px; a video measured after its screen closed is 0 × 0.
							const side = Math.max(50, Math.floor(Math.min(w, h) * share));
							return { width: side, height: side };
						}
					},
					(text) => {
						if (this.state !== 'running' || this.#handling) return;
						const handled = this.#onCode?.(text);
						if (handled instanceof Promise) {
							this.#handling = true;
							// At most a few seconds: a save that never ends must not leave the camera blind.
							const cap = new Promise((resolve) => setTimeout(resolve, MAX_HANDLING_MS));
							void Promise.race([handled.catch(() => {}), cap]).then(() => (this.#handling = false));
						}
					},
					() => {
						// Most frames hold no QR: not an error worth reporting.
					}
				);
				this.state = 'running';
				performance.mark(START_MARKS.cameraRunning);
			} catch (e) {
				this.failure = e instanceof Error ? e.message : String(e);
				this.state = 'failed';
			} finally {
				void early.then((stream) => stream?.getTracks().forEach((track) => track.stop()));
			}
		});
	}

	stop(): Promise<void> {
		// A component's onDestroy also runs after server rendering: there is no camera, and the
		// clean-up timer below would touch `window` outside any request and end the server process.
		if (typeof window === 'undefined') return Promise.resolve();
		return this.#enqueue(async () => {
			const decoder = this.#decoder;
			this.#decoder = null;
			this.#onCode = null;
			if (decoder && this.state === 'running') {
				try {
					await decoder.stop();
					decoder.clear();
				} catch {
					// Already stopped by the browser (tab hidden, device unplugged), or stopped before
					// the video played (html5-qrcode then fails half-way, after closing the camera):
					// the element goes with the screen, and the next start makes a new decoder.
				}
			}
			// After the stop: a play() interrupted by leaving the screen rejects around now.
			setTimeout(() => {
				if (this.state === 'idle') window.removeEventListener('unhandledrejection', this.#dropInterruptedPlay);
			}, 1000);
			this.state = 'idle';
		});
	}
}

/** What of html5-qrcode 2.3.8's scan loop the gate hooks into: each frame is drawn on `canvasElement`, then `scanContext` decodes it. */
interface ScanLoop {
	canvasElement?: HTMLCanvasElement | null;
	scanContext: (onSuccess: unknown, onError: unknown) => Promise<boolean>;
	__gated?: boolean;
}

/**
 * Wraps html5-qrcode's decode step: while `paused()` no frame is decoded; with `gate`, a frame is
 * decoded only when the picture changed (kiosk/frameGate.ts): the frame it just drew is shrunk to a
 * thumbnail and compared with the last. A skipped frame reads as "no code here", as a decoded
 * empty frame would.
 */
function wrapDecoding(decoder: Html5Qrcode, gate: boolean, paused: () => boolean): void {
	const loop = decoder as unknown as ScanLoop;
	if (loop.__gated || typeof loop.scanContext !== 'function') return;
	const decode = loop.scanContext.bind(decoder);
	const frames = gate ? new FrameGate() : null;
	const thumb = document.createElement('canvas');
	thumb.width = THUMB_WIDTH;
	thumb.height = THUMB_HEIGHT;
	const context = frames ? thumb.getContext('2d', { willReadFrequently: true }) : null;
	loop.scanContext = (onSuccess, onError) => {
		if (paused()) return Promise.resolve(false);
		const frame = loop.canvasElement;
		if (!frames || !context || !frame || frame.width === 0) return decode(onSuccess, onError);
		context.drawImage(frame, 0, 0, THUMB_WIDTH, THUMB_HEIGHT);
		const luma = lumaOf(context.getImageData(0, 0, THUMB_WIDTH, THUMB_HEIGHT).data);
		return frames.shouldDecode(luma, performance.now()) ? decode(onSuccess, onError) : Promise.resolve(false);
	};
	loop.__gated = true;
}
