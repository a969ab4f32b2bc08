// What the notice after "Đóng phiên" says: where the session's tally is, from its outbox row and
// whether the tablet can send (pure, so the rule is tested without a browser).
import type { OutboxRow } from './db';

/** Where a just-closed session's tally is, as the notice after closing says it. */
export type CloseSendStatus =
	/** No server to send to (demo mode, or the tablet was revoked): kept on the tablet. */
	| 'kept'
	/** Enrolled, but the browser is offline: sent when the network returns. */
	| 'offline'
	| 'sending'
	| 'sent'
	| 'refused'
	/** A send ran and the tally is still waiting (server unreachable): retried with backoff. */
	| 'willRetry';

export interface CloseSendInput {
	/** Linked to a server that has not revoked this tablet. */
	canSend: boolean;
	online: boolean;
	/** The outbox is being sent right now. */
	sending: boolean;
	row: OutboxRow | undefined;
}

export function closeSendStatus({ canSend, online, sending, row }: CloseSendInput): CloseSendStatus {
	if (row?.state === 'sent') return 'sent';
	if (row?.state === 'refused') return 'refused';
	if (!canSend) return 'kept';
	if (sending) return 'sending';
	if (!online) return 'offline';
	return 'willRetry';
}
