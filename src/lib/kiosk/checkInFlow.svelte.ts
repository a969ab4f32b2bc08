// What the check-in screen shows, driven by codes from the camera. The decoder reports a code in
// view about ten times a second, so a card counts once until it has left the camera; a different
// card is handled at once, even over the previous person's greeting, so the queue keeps moving.
// A team member's badge is not a check-in: it hands the member to team mode (onBadge).
import { classifyScannedCode } from '$lib/domain/scannedCode';
import type { ScanRejection } from '$lib/i18n/kioskText';
import type { BadgeScanRefusal } from './badgeScan';
import type { QueuedCheckIn } from './checkIn';
import type { KioskDb, MemberRow } from './db';

export type CheckInScreen =
	| { kind: 'scanning' }
	| { kind: 'working' }
	| { kind: 'greeting'; result: QueuedCheckIn }
	| { kind: 'rejected'; reason: ScanRejection }
	| { kind: 'badgeRefused'; reason: BadgeScanRefusal }
	| { kind: 'failed'; error: unknown };

/** How long a greeting or a message stays up after the card left the camera and nobody tapped. */
export const GREETING_MS = 15_000;
export const REJECTION_MS = 5_000;
/** A failed save (a full disk) asks someone to act: it stays up longer. Scanning goes on meanwhile. */
export const FAILURE_MS = 30_000;
/** A code not seen for this long has left the camera; showing it again counts again. */
export const CARD_GONE_MS = 1_500;

export class CheckInFlow {
	#screen = $state<CheckInScreen>({ kind: 'scanning' });
	#timer: ReturnType<typeof setTimeout> | undefined;
	#screenMs = 0;
	#lastCode: { text: string; seenAt: number } | null = null;

	constructor(
		private readonly db: () => Promise<KioskDb>,
		/** A valid badge: the screen opens team mode with this member chosen. */
		private readonly onBadge: (member: MemberRow) => void = () => {}
	) {}

	/** What the screen shows; only the flow changes it. */
	get screen(): CheckInScreen {
		return this.#screen;
	}

	async handleCode(text: string, now = new Date()): Promise<void> {
		const last = this.#lastCode;
		const stillInView = last !== null && last.text === text && now.getTime() - last.seenAt < CARD_GONE_MS;
		this.#lastCode = { text, seenAt: now.getTime() };
		if (stillInView) {
			// Keep its greeting or message up while the card is held there.
			if (this.screen.kind === 'greeting' || this.screen.kind === 'rejected' || this.screen.kind === 'badgeRefused') this.#restartTimer();
			return;
		}
		if (this.screen.kind === 'working') return;

		this.#screen = { kind: 'working' };
		const code = classifyScannedCode(text);
		if (code.kind === 'rejected') {
			if (code.reason === 'bad_badge') return this.#show({ kind: 'badgeRefused', reason: 'bad_badge' }, REJECTION_MS);
			return this.#show({ kind: 'rejected', reason: code.reason }, REJECTION_MS);
		}
		try {
			// Loaded on the first scan, not with the screen: they bring the database code.
			const [db, { checkBadge }, { checkInWithCard, checkInWithPass }] = await Promise.all([this.db(), import('./badgeScan'), import('./checkIn')]);
			if (code.kind === 'badge') {
				const scan = await checkBadge(db, code.badge);
				if (!scan.ok) return this.#show({ kind: 'badgeRefused', reason: scan.reason }, REJECTION_MS);
				this.reset();
				return this.onBadge(scan.member);
			}
			const result = code.kind === 'cccd' ? await checkInWithCard(db, code.card, now) : await checkInWithPass(db, code.passId, now);
			if (result.status === 'unknownPass') return this.#show({ kind: 'rejected', reason: 'unknown_pass' }, REJECTION_MS);
			this.#show({ kind: 'greeting', result }, GREETING_MS);
		} catch (error) {
			this.#show({ kind: 'failed', error }, FAILURE_MS);
		}
	}

	/** Back to the camera with nobody's name on screen. */
	reset(): void {
		clearTimeout(this.#timer);
		this.#screen = { kind: 'scanning' };
	}

	dispose(): void {
		clearTimeout(this.#timer);
	}

	#show(screen: CheckInScreen, ms: number): void {
		this.#screen = screen;
		this.#screenMs = ms;
		this.#restartTimer();
	}

	#restartTimer(): void {
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.reset(), this.#screenMs);
	}
}
