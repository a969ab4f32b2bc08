// What the check-in screen shows, driven by codes from the camera. Each code is handled once:
// the scanner pauses while a greeting or a message is on screen.
import { classifyScannedCode } from '$lib/domain/scannedCode';
import type { ScanRejection } from '$lib/i18n/kioskText';
import { checkInWithCard, checkInWithPass, type QueuedCheckIn } from './checkIn';
import type { KioskDb } from './db';

export type CheckInScreen =
	| { kind: 'scanning' }
	| { kind: 'working' }
	| { kind: 'greeting'; result: QueuedCheckIn }
	| { kind: 'rejected'; reason: ScanRejection }
	| { kind: 'failed'; error: unknown };

/** How long a greeting stays up without a tap, and a "that is not a card" message. */
export const GREETING_MS = 15_000;
export const REJECTION_MS = 5_000;

export class CheckInFlow {
	screen = $state<CheckInScreen>({ kind: 'scanning' });
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly db: () => Promise<KioskDb>,
		private readonly scanner: { pause(): void; resume(): void }
	) {}

	async handleCode(text: string, now = new Date()): Promise<void> {
		if (this.screen.kind !== 'scanning') return;
		this.scanner.pause();
		this.screen = { kind: 'working' };
		const code = classifyScannedCode(text);
		if (code.kind === 'rejected') return this.#show({ kind: 'rejected', reason: code.reason }, REJECTION_MS);
		try {
			const db = await this.db();
			const result = code.kind === 'cccd' ? await checkInWithCard(db, code.card, now) : await checkInWithPass(db, code.passId, now);
			if (result.status === 'unknownPass') return this.#show({ kind: 'rejected', reason: 'unknown_pass' }, REJECTION_MS);
			this.#show({ kind: 'greeting', result }, GREETING_MS);
		} catch (error) {
			this.#show({ kind: 'failed', error }, REJECTION_MS);
		}
	}

	/** Back to the camera with nobody's name on screen. */
	reset(): void {
		clearTimeout(this.#timer);
		this.screen = { kind: 'scanning' };
		this.scanner.resume();
	}

	dispose(): void {
		clearTimeout(this.#timer);
	}

	#show(screen: CheckInScreen, ms: number): void {
		clearTimeout(this.#timer);
		this.screen = screen;
		this.#timer = setTimeout(() => this.reset(), ms);
	}
}
