// Returns a kiosk screen to its resting state after a time without touches, so nobody's name
// stays on screen for the next person.
export class IdleTimer {
	#timer: ReturnType<typeof setTimeout> | undefined;
	#events = ['pointerdown', 'keydown', 'input', 'wheel'] as const;
	#onActivity = () => this.poke();

	constructor(
		private readonly ms: number,
		private readonly onIdle: () => void
	) {}

	/** Starts watching; returns the function that stops it (fits `$effect`'s cleanup). */
	watch(): () => void {
		for (const e of this.#events) window.addEventListener(e, this.#onActivity, { passive: true });
		this.poke();
		return () => {
			clearTimeout(this.#timer);
			for (const e of this.#events) window.removeEventListener(e, this.#onActivity);
		};
	}

	poke(): void {
		clearTimeout(this.#timer);
		this.#timer = setTimeout(this.onIdle, this.ms);
	}
}

/** Seconds of stillness before a resident-facing screen resets. */
export const RESIDENT_IDLE_MS = 60_000;
/** Team mode locks itself after this long without a touch. */
export const TEAM_IDLE_MS = 5 * 60_000;
