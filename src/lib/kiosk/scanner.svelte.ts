// The one door to the camera decoder. html5-qrcode throws if stop() runs while start() is still
// pending ("already under transition"), so every start and stop goes through one queue here;
// the rest of the app sees only `state` and the decoded text, and the decoder can be swapped.
import type { Html5Qrcode } from 'html5-qrcode';
import { FrameGate, lumaOf, lumaThumbOfPlane, THUMB_HEIGHT, THUMB_WIDTH } from './frameGate';
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
				wrapDecoding(this.#decoder, settings.gate, settings.flip, () => this.#handling);
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

/**
 * What of html5-qrcode 2.3.8's scan loop the gate hooks into: each tick (`foreverScan`) draws the
 * video's frame on `canvasElement`, then `scanContext` decodes it, then the next tick is set.
 */
interface ScanLoop {
	canvasElement?: HTMLCanvasElement | null;
	scanContext: (onSuccess: unknown, onError: unknown) => Promise<boolean>;
	foreverScan: (config: { fps: number }, onSuccess: unknown, onError: unknown) => void;
	shouldScan: boolean;
	renderedCamera: { getSurface(): HTMLVideoElement } | null;
	foreverScanTimeout?: ReturnType<typeof setTimeout>;
	getTimeoutFps(fps: number): number;
	__gated?: boolean;
}

/** 8-bit YUV layouts, whose first plane is the frame's luma. */
const YUV_FORMATS = new Set(['I420', 'I420A', 'I422', 'I444', 'NV12']);

/**
 * The luma thumbnail of the video's current frame, read from the frame's own Y plane (WebCodecs).
 * Drawing a camera frame on a canvas converts all of it to RGB on the main thread, which was most
 * of the idle CPU once decoding was gated (npm run bench, CPU 4×); copying the planes is a copy.
 * Gives null, and stays off, where the frames are not YUV in memory (the caller draws instead).
 */
class VideoLuma {
	#buffer: Uint8Array<ArrayBuffer> | null = null;
	#off = typeof VideoFrame === 'undefined';

	async read(video: HTMLVideoElement): Promise<Uint8Array | null> {
		if (this.#off || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return null;
		let frame: VideoFrame | null = null;
		try {
			frame = new VideoFrame(video);
			if (!frame.format || !YUV_FORMATS.has(frame.format)) {
				this.#off = true;
				return null;
			}
			const size = frame.allocationSize();
			if (!this.#buffer || this.#buffer.length < size) this.#buffer = new Uint8Array(size);
			const [luma] = await frame.copyTo(this.#buffer);
			const { width, height } = frame.visibleRect!;
			return luma ? lumaThumbOfPlane(this.#buffer, luma.offset, luma.stride, width, height) : null;
		} catch {
			this.#off = true;
			return null;
		} finally {
			frame?.close();
		}
	}
}

/**
 * Wraps html5-qrcode's scan loop: while `paused()` no frame is decoded; with `gate`, a frame is
 * decoded only when the picture changed (kiosk/frameGate.ts), by a thumbnail compared with the
 * last. The thumbnail comes from the video's frame before html5-qrcode draws it (VideoLuma), so an
 * unchanged hall costs neither the drawing nor the decode; where that cannot be read, from the
 * frame html5-qrcode just drew (and always with `flip`, html5-qrcode's mirror retry). A skipped
 * frame reads as "no code here", as a decoded empty frame would.
 */
function wrapDecoding(decoder: Html5Qrcode, gate: boolean, flip: boolean, paused: () => boolean): void {
	const loop = decoder as unknown as ScanLoop;
	if (loop.__gated || typeof loop.scanContext !== 'function' || typeof loop.foreverScan !== 'function') return;
	const decode = loop.scanContext.bind(decoder);
	const drawAndDecode = loop.foreverScan.bind(decoder);
	const frames = gate ? new FrameGate() : null;
	const video = new VideoLuma();
	/** The frame being drawn was already let through on its video thumbnail. */
	let passedOnVideo = false;

	loop.foreverScan = (config, onSuccess, onError) => {
		// With the mirror retry, html5-qrcode mirrors every other drawing: only the drawn frame tells
		// a mirrored card from the last look at it (npm run bench: 1.1 s to a greeting otherwise).
		if (!frames || flip || !loop.shouldScan || !loop.renderedCamera) return drawAndDecode(config, onSuccess, onError);
		void video.read(loop.renderedCamera.getSurface()).then((luma) => {
			if (!loop.shouldScan) return; // stopped meanwhile
			passedOnVideo = luma !== null && !paused() && frames.shouldDecode(luma, performance.now());
			if (luma === null || passedOnVideo) return drawAndDecode(config, onSuccess, onError);
			// The same hall, or a code being handled: no drawing, the next tick as html5-qrcode sets it.
			loop.foreverScanTimeout = setTimeout(() => loop.foreverScan(config, onSuccess, onError), loop.getTimeoutFps(config.fps));
		});
	};

	const thumb = document.createElement('canvas');
	thumb.width = THUMB_WIDTH;
	thumb.height = THUMB_HEIGHT;
	const context = frames ? thumb.getContext('2d', { willReadFrequently: true }) : null;
	loop.scanContext = (onSuccess, onError) => {
		if (paused()) return Promise.resolve(false);
		const frame = loop.canvasElement;
		if (passedOnVideo || !frames || !context || !frame || frame.width === 0) return decode(onSuccess, onError);
		context.drawImage(frame, 0, 0, THUMB_WIDTH, THUMB_HEIGHT);
		const luma = lumaOf(context.getImageData(0, 0, THUMB_WIDTH, THUMB_HEIGHT).data);
		return frames.shouldDecode(luma, performance.now()) ? decode(onSuccess, onError) : Promise.resolve(false);
	};
	loop.__gated = true;
}
