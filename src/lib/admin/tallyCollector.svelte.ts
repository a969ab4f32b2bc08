// The officer's phone at /admin/collect (issue 15 §2): parts of a tablet's message come in from the
// camera in any order; once all are in, the message goes to the server. Where the phone has no
// network either, the message is kept in the phone's storage and sent when the network is back —
// the officer's walk to the hall must not be wasted.
import { addPart, joinedMessage, parsePart, partsHeld, partsMissing, type CollectResult, type PartSet } from '$lib/domain/tallyQr';

export type SendOutcome =
	| { kind: 'answered'; result: CollectResult }
	/** No answer (no network, server down): keep the message and try again later. */
	| { kind: 'unreachable' }
	/** The sign-in ran out: keep the message; it goes once the officer signs in again. */
	| { kind: 'signed-out' };

export type SendFn = (message: string) => Promise<SendOutcome>;

/** A short-lived word under the camera about the code just seen. */
export type ScanNotice = 'not-tally' | 'malformed' | 'already' | 'kept' | 'signed-out';

const KEPT_KEY = 'tramso.collect.kept';

export class TallyCollector {
	/** The message being read. */
	parts = $state<PartSet | null>(null);
	/** The server's answers, newest first. */
	results = $state<CollectResult[]>([]);
	/** Messages read but not yet answered by the server. */
	kept = $state<string[]>([]);
	notice = $state<ScanNotice | null>(null);
	sending = $state(false);

	#send: SendFn;
	#storage: Storage | null;
	/** Messages read in this page already (joined text): the tablet keeps cycling its codes. */
	#read = new Set<string>();
	/** Their ids, so that their codes seen again start no new count. */
	#readIds = new Set<string>();
	#flushing: Promise<void> | null = null;

	constructor(send: SendFn, storage: Storage | null) {
		this.#send = send;
		this.#storage = storage;
		this.kept = this.#load();
		for (const message of this.kept) this.#read.add(message);
	}

	get held(): number {
		return this.parts ? partsHeld(this.parts) : 0;
	}

	get missing(): number[] {
		return this.parts ? partsMissing(this.parts) : [];
	}

	/** A code the camera read. */
	scanned(text: string): void {
		const parsed = parsePart(text);
		if (!parsed.ok) {
			this.notice = parsed.problem === 'not_tally_code' ? 'not-tally' : 'malformed';
			return;
		}
		if (this.#readIds.has(parsed.part.messageId)) {
			// The tablet keeps cycling codes this page has already joined and sent: no new count of
			// "1/3 read" for them, which would tell the officer to keep scanning.
			this.parts = null;
			this.notice = 'already';
			if (this.kept.length) void this.flush();
			return;
		}
		const next = addPart(this.parts, parsed.part);
		this.parts = next;
		this.notice = null;
		const message = joinedMessage(next);
		if (message === null) return;
		this.parts = null;
		if (this.#read.has(message)) {
			this.notice = 'already';
			// Read again while still unsent: a good moment to try (no 'online' event fires when a phone's
			// Wi-Fi was up all along and only the internet behind it came back).
			if (this.kept.length) void this.flush();
			return;
		}
		this.#read.add(message);
		this.#readIds.add(next.messageId);
		this.kept = [...this.kept, message];
		this.#save();
		void this.flush();
	}

	/** Sends what is kept, oldest first; stops at the first that cannot go now. A call during a run joins it. */
	flush(): Promise<void> {
		this.#flushing ??= this.#drain().finally(() => (this.#flushing = null));
		return this.#flushing;
	}

	async #drain(): Promise<void> {
		this.sending = true;
		try {
			// Re-read each turn: a message completed while another was on its way goes in this run.
			while (this.kept.length) {
				const message = this.kept[0]!;
				const outcome = await this.#send(message).catch((): SendOutcome => ({ kind: 'unreachable' }));
				if (outcome.kind !== 'answered') {
					this.notice = outcome.kind === 'signed-out' ? 'signed-out' : 'kept';
					return;
				}
				this.results = [outcome.result, ...this.results];
				this.kept = this.kept.slice(1);
				this.#save();
			}
			if (this.notice === 'kept' || this.notice === 'signed-out') this.notice = null;
		} finally {
			this.sending = false;
		}
	}

	#load(): string[] {
		try {
			const value: unknown = JSON.parse(this.#storage?.getItem(KEPT_KEY) ?? '[]');
			return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
		} catch {
			return [];
		}
	}

	#save(): void {
		try {
			if (this.kept.length) this.#storage?.setItem(KEPT_KEY, JSON.stringify(this.kept));
			else this.#storage?.removeItem(KEPT_KEY);
		} catch {
			// Storage full or blocked: the message stays in this page until it is sent.
		}
	}
}
