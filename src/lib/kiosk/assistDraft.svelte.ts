// The three-tap assist being put together in team mode: resident, skills, outcome.
import type { AssistRow } from './db';

export class AssistDraft {
	#checkInId = $state<string | null>(null);
	#skillCodes = $state<string[]>([]);
	#editing = $state<AssistRow | null>(null);

	/** The resident (their check-in) the assist is for. */
	get checkInId(): string | null {
		return this.#checkInId;
	}

	get skillCodes(): readonly string[] {
		return this.#skillCodes;
	}

	/** Set when an existing assist is being corrected instead of a new one logged. */
	get editing(): AssistRow | null {
		return this.#editing;
	}

	pickResident(checkInId: string): void {
		if (this.#editing) return;
		this.#checkInId = this.#checkInId === checkInId ? null : checkInId;
		this.#skillCodes = [];
	}

	toggleSkill(code: string): void {
		this.#skillCodes = this.#skillCodes.includes(code) ? this.#skillCodes.filter((c) => c !== code) : [...this.#skillCodes, code];
	}

	edit(assist: AssistRow): void {
		this.#editing = assist;
		this.#checkInId = assist.checkInId;
		this.#skillCodes = [...assist.skillCodes];
	}

	get ready(): boolean {
		return this.#checkInId !== null && this.#skillCodes.length > 0;
	}

	clear(): void {
		this.#checkInId = null;
		this.#skillCodes = [];
		this.#editing = null;
	}
}
