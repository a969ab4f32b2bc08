// Keeps the outbox moving while the kiosk runs: on start, when the network comes back, and on a
// timer; and refreshes the team's configuration from the server now and then.
import { fetchConfig, registerSigningKey, submitPeriod, uploadTally, uploadTallyBatch } from './serverApi';
import { ensureSigningKeyRegistered } from './tallyQr';
import { sendDueTallies } from './outboxSend';
import { applyPeriodReports, sendDueSubmissions } from './periodSubmission';
import { applyConfigUpdate, serverLink } from './enrolment';
import type { KioskDb } from './db';
import { kioskApp } from './app.svelte';

const TICK_MS = 30_000;
const CONFIG_EVERY_MS = 10 * 60_000;

export class OutboxSync {
	#sending = $state(false);
	#revoked = $state(false);
	#lastRunAt = $state<string | null>(null);
	#db: KioskDb | null = null;
	#lastConfigAt = 0;
	#queued = false;

	/** A send run is under way. */
	get sending(): boolean {
		return this.#sending;
	}

	/** The server said this tablet's token is revoked: nothing more is sent. */
	get revoked(): boolean {
		return this.#revoked;
	}

	get lastRunAt(): string | null {
		return this.#lastRunAt;
	}

	start(db: KioskDb): () => void {
		this.#db = db;
		const onOnline = () => void this.run();
		window.addEventListener('online', onOnline);
		const timer = setInterval(() => void this.run(), TICK_MS);
		void this.run();
		return () => {
			window.removeEventListener('online', onOnline);
			clearInterval(timer);
		};
	}

	/** Sends what is due now; `force` ignores the backoff (the leader tapped "send now"). */
	async run(force = false): Promise<void> {
		const db = this.#db;
		if (!db) return;
		if (this.#sending) {
			this.#queued = true;
			return;
		}
		this.#sending = true;
		try {
			if (force) {
				await db.outbox.where('state').equals('pending').modify({ nextAttemptAt: 0 });
				await db.submissions.where('state').equals('pending').modify({ nextAttemptAt: 0 });
			}
			await this.#refreshConfig(db, force);
			// Before the tallies: the key that lets an officer carry them as QR codes when the network is gone.
			await ensureSigningKeyRegistered(db, registerSigningKey).catch((e: unknown) => console.warn('outbox: signing key', e));
			const report = await sendDueTallies(db, uploadTally, () => new Date(), Math.random, uploadTallyBatch);
			// A period's submission goes after its tallies.
			const submissions = report.revoked ? { revoked: true } : await sendDueSubmissions(db, submitPeriod, () => new Date(), Math.random);
			this.#revoked = report.revoked || submissions.revoked;
			this.#lastRunAt = new Date().toISOString();
		} catch (e) {
			console.warn('outbox: sync failed', e);
		} finally {
			this.#sending = false;
		}
		if (this.#queued) {
			this.#queued = false;
			void this.run();
		}
	}

	async #refreshConfig(db: KioskDb, force: boolean): Promise<void> {
		const link = await serverLink(db);
		if (!link || link.revokedAt || (!force && Date.now() - this.#lastConfigAt < CONFIG_EVERY_MS)) return;
		const outcome = await fetchConfig(link.origin, link.token, link.configVersion);
		if (outcome.kind === 'ok') {
			this.#lastConfigAt = Date.now();
			if (outcome.value) {
				await applyConfigUpdate(db, outcome.value);
				await applyPeriodReports(db, outcome.value.periodReports, new Date());
				// The header names the team and its place: a renamed or merged commune shows at once.
				await kioskApp.reloadTeam(db);
			}
		}
	}
}

export const outboxSync = new OutboxSync();
