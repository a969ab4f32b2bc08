// The tablet's side of the tally QR codes (issue 15 §2). At its first sync after enrolment the
// tablet makes a P-256 key pair, keeps the private half in IndexedDB as a non-extractable CryptoKey
// (no script can read it out, not even this app's), and registers the public half with the server
// over its token. Where the hall has no network, the leader view shows the pending tallies as
// signed codes (domain/tallyQr.ts) for an officer's phone to carry to the server.
import { messageIdOf, packMessage, signedBytes, splitMessage, TALLY_QR_MAX_TALLIES } from '$lib/domain/tallyQr';
import type { AnySessionTally } from '$lib/domain/tally';
import { getSetting, putSetting, type KioskDb } from './db';
import { serverLink } from './enrolment';
import type { ApiOutcome } from './serverApi';
import { compressText } from './compress';

export const SIGNING_KEY_SETTING = 'signingKey';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

interface StoredSigningKey {
	privateKey: CryptoKey;
	publicKey: JsonWebKey;
	/** The device id the server holds the public key for: a tablet enrolled again registers again. */
	registeredFor?: string;
}

async function storedKey(db: KioskDb): Promise<StoredSigningKey | undefined> {
	return getSetting<StoredSigningKey>(db, SIGNING_KEY_SETTING);
}

async function makeKey(db: KioskDb): Promise<StoredSigningKey> {
	const pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
	const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
	const key: StoredSigningKey = { privateKey: pair.privateKey, publicKey: { kty, crv, x, y } };
	await putSetting(db, SIGNING_KEY_SETTING, key);
	return key;
}

export type RegisterFn = (origin: string, token: string, key: JsonWebKey) => Promise<ApiOutcome<unknown>>;

/**
 * Makes the key if there is none and registers it with the server the tablet is enrolled with,
 * once per enrolment. A network failure leaves it for the next sync; a refusal is logged (a key
 * already registered for this device means codes would not verify: the leader view says so).
 */
export async function ensureSigningKeyRegistered(db: KioskDb, register: RegisterFn): Promise<void> {
	const link = await serverLink(db);
	if (!link || link.revokedAt || !globalThis.crypto?.subtle) return;
	const key = (await storedKey(db)) ?? (await makeKey(db));
	if (key.registeredFor === link.deviceId) return;
	const outcome = await register(link.origin, link.token, key.publicKey);
	if (outcome.kind === 'ok') await putSetting(db, SIGNING_KEY_SETTING, { ...key, registeredFor: link.deviceId });
	else if (outcome.kind === 'refused') console.warn('tally QR: the server refused the signing key', outcome.message);
}

export interface TallyQrMessage {
	/** The codes' texts, in order. */
	parts: string[];
	sessionIds: string[];
}

export type TallyQrState =
	| { kind: 'ready'; messages: TallyQrMessage[]; sessions: number }
	| { kind: 'nothing' }
	/** Not enrolled with a server: there is nobody to carry the codes to. */
	| { kind: 'not-enrolled' }
	/** Enrolled, but the key never reached the server (no network since): codes would not verify. */
	| { kind: 'no-key' };

/** The sessions waiting to be sent, as signed codes: up to TALLY_QR_MAX_TALLIES sessions per message. */
export async function pendingTallyCodes(db: KioskDb): Promise<TallyQrState> {
	const link = await serverLink(db);
	if (!link || link.revokedAt) return { kind: 'not-enrolled' };
	const key = await storedKey(db);
	if (!key || key.registeredFor !== link.deviceId) return { kind: 'no-key' };
	const rows = (await db.outbox.where('state').equals('pending').toArray()).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
	if (!rows.length) return { kind: 'nothing' };
	// The same codes while the same tallies wait: a signature is random, so signing again would give
	// new codes, and an officer who had read half of them before the leader reopened would start over.
	const what = JSON.stringify([link.deviceId, rows.map((r) => [r.sessionId, r.version])]);
	if (lastSigned?.what !== what) {
		const messages: TallyQrMessage[] = [];
		for (let i = 0; i < rows.length; i += TALLY_QR_MAX_TALLIES) {
			const group = rows.slice(i, i + TALLY_QR_MAX_TALLIES);
			messages.push(await signedMessage(link.deviceId, key.privateKey, group.map((r) => r.tally)));
		}
		lastSigned = { what, messages };
	}
	return { kind: 'ready', messages: lastSigned.messages, sessions: rows.length };
}

let lastSigned: { what: string; messages: TallyQrMessage[] } | null = null;

/** One message: the tallies compressed, signed with the tablet's key, cut into codes. */
export async function signedMessage(deviceId: string, privateKey: CryptoKey, tallies: readonly AnySessionTally[]): Promise<TallyQrMessage> {
	const body = await compressText(JSON.stringify(tallies), 'deflate-raw');
	if (!body) throw new Error('tally QR: this browser cannot compress (CompressionStream deflate-raw)');
	const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, signedBytes(deviceId, body) as BufferSource));
	return { parts: splitMessage(messageIdOf(signature), packMessage(deviceId, signature, body)), sessionIds: tallies.map((t) => t.sessionId) };
}
