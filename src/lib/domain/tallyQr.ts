// A tablet's pending tallies carried as QR codes where the hall has no network (issue 15 §2).
//
// The message is binary: [format 1][device id, 16 bytes][P-256 signature, 64 bytes][deflate-raw of
// the tallies' JSON]. The signature covers everything but itself, made with the tablet's private
// key (kiosk/tallyQr.ts), checked with the public half the tablet registered (server/tallyQr.ts).
// The message is written in base45 and cut into parts small enough for a phone to read off a screen:
//   TS1:<message id>:<part>:<parts>:<base45 slice>
// All of it is QR alphanumeric text, the densest mode a phone reads reliably. Only counts travel,
// as in an upload: nothing in a code names a resident.
import { base45Decode, base45Encode } from './base45';

export const TALLY_QR_PREFIX = 'TS1';
export const TALLY_QR_FORMAT = 1;
/** Base45 characters per code: version 11 at error correction M, about 60 modules a side. */
export const TALLY_QR_PART_CHARS = 350;
/** Tallies in one message: its codes (14 for 25 sessions of varied counts) are read in one sitting; more go in further messages. */
export const TALLY_QR_MAX_TALLIES = 25;
/** More parts than this is not a message from a tablet. */
export const TALLY_QR_MAX_PARTS = 99;
const DEVICE_BYTES = 16;
export const SIGNATURE_BYTES = 64;
const HEADER_BYTES = 1 + DEVICE_BYTES + SIGNATURE_BYTES;

export interface TallyQrPart {
	messageId: string;
	/** 1-based. */
	index: number;
	count: number;
	chunk: string;
}

export type PartProblem = 'not_tally_code' | 'malformed';

const PART = /^TS1:([0-9A-Z]{4,12}):(\d{1,2}):(\d{1,2}):(.+)$/s;

export function formatPart(part: TallyQrPart): string {
	return `${TALLY_QR_PREFIX}:${part.messageId}:${part.index}:${part.count}:${part.chunk}`;
}

/** What a scanned text says, or why it is not a part of a tally message. */
export function parsePart(text: string): { ok: true; part: TallyQrPart } | { ok: false; problem: PartProblem } {
	if (!text.startsWith(`${TALLY_QR_PREFIX}:`)) return { ok: false, problem: 'not_tally_code' };
	const m = PART.exec(text);
	if (!m) return { ok: false, problem: 'malformed' };
	const index = Number(m[2]);
	const count = Number(m[3]);
	if (count < 1 || count > TALLY_QR_MAX_PARTS || index < 1 || index > count) return { ok: false, problem: 'malformed' };
	return { ok: true, part: { messageId: m[1]!, index, count, chunk: m[4]! } };
}

/** Cuts a message (base45) into parts. */
export function splitMessage(messageId: string, text: string, chars = TALLY_QR_PART_CHARS): string[] {
	// Cut on a multiple of 3 so that every part but the last is whole base45 triples.
	const step = Math.max(3, chars - (chars % 3));
	const count = Math.max(1, Math.ceil(text.length / step));
	if (count > TALLY_QR_MAX_PARTS) throw new RangeError(`tally QR: ${count} parts is more than ${TALLY_QR_MAX_PARTS}`);
	return Array.from({ length: count }, (_, i) => formatPart({ messageId, index: i + 1, count, chunk: text.slice(i * step, (i + 1) * step) }));
}

/** Parts of one message as they are scanned, in any order and any number of times. */
export interface PartSet {
	messageId: string;
	count: number;
	chunks: (string | undefined)[];
}

export function emptyPartSet(part: TallyQrPart): PartSet {
	return { messageId: part.messageId, count: part.count, chunks: Array.from({ length: part.count }, () => undefined) };
}

/** The set with `part` in it; a part of another message, or one that disagrees on the count, starts a new set. */
export function addPart(set: PartSet | null, part: TallyQrPart): PartSet {
	const base = set && set.messageId === part.messageId && set.count === part.count ? set : emptyPartSet(part);
	const chunks = base.chunks.slice();
	chunks[part.index - 1] = part.chunk;
	return { ...base, chunks };
}

export function partsHeld(set: PartSet): number {
	return set.chunks.filter((c) => c !== undefined).length;
}

/** 1-based numbers of the parts not scanned yet. */
export function partsMissing(set: PartSet): number[] {
	return set.chunks.flatMap((c, i) => (c === undefined ? [i + 1] : []));
}

/** The whole message (base45) once every part is in, else null. */
export function joinedMessage(set: PartSet): string | null {
	return partsMissing(set).length ? null : set.chunks.join('');
}

// ---------------------------------------------------------------------------------------------
// The message's bytes

const HEX = '0123456789abcdef';

function uuidBytes(uuid: string): Uint8Array {
	const hex = uuid.replaceAll('-', '');
	if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`tally QR: "${uuid}" is not a UUID`);
	return Uint8Array.from({ length: DEVICE_BYTES }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

function uuidText(bytes: Uint8Array): string {
	const hex = [...bytes].map((b) => HEX[b >> 4]! + HEX[b & 15]!).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The bytes the signature covers: format, device and the compressed tallies. */
export function signedBytes(deviceId: string, body: Uint8Array): Uint8Array {
	const out = new Uint8Array(1 + DEVICE_BYTES + body.length);
	out[0] = TALLY_QR_FORMAT;
	out.set(uuidBytes(deviceId), 1);
	out.set(body, 1 + DEVICE_BYTES);
	return out;
}

/** The message as base45 text. `body` is the deflate-raw of the tallies' JSON. */
export function packMessage(deviceId: string, signature: Uint8Array, body: Uint8Array): string {
	if (signature.length !== SIGNATURE_BYTES) throw new RangeError(`tally QR: a signature is ${SIGNATURE_BYTES} bytes, got ${signature.length}`);
	const out = new Uint8Array(HEADER_BYTES + body.length);
	out[0] = TALLY_QR_FORMAT;
	out.set(uuidBytes(deviceId), 1);
	out.set(signature, 1 + DEVICE_BYTES);
	out.set(body, HEADER_BYTES);
	return base45Encode(out);
}

export interface UnpackedMessage {
	deviceId: string;
	signature: Uint8Array;
	body: Uint8Array;
	/** What the signature must cover. */
	signed: Uint8Array;
}

/** The message's parts, or null when the text is not one (not base45, another format, too short). */
export function unpackMessage(text: string): UnpackedMessage | null {
	const bytes = base45Decode(text);
	if (!bytes || bytes.length <= HEADER_BYTES || bytes[0] !== TALLY_QR_FORMAT) return null;
	const deviceId = uuidText(bytes.subarray(1, 1 + DEVICE_BYTES));
	const signature = bytes.slice(1 + DEVICE_BYTES, HEADER_BYTES);
	const body = bytes.slice(HEADER_BYTES);
	return { deviceId, signature, body, signed: signedBytes(deviceId, body) };
}

/** A short id for a message, from its signature: base45-safe letters and digits. */
export function messageIdOf(signature: Uint8Array): string {
	const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
	return Array.from(signature.subarray(0, 6), (b) => alphabet[b & 31]).join('');
}

// ---------------------------------------------------------------------------------------------
// What the server answers for a scanned message (server/tallyQr.ts), as the officer's page shows it

/** Why a whole message is refused. */
export type QrRefusal = 'malformed' | 'unknown_tablet' | 'no_key' | 'forged' | 'revoked';

export interface CollectedSession {
	sessionId: string | null;
	date: string | null;
	checkIns: number | null;
	assists: number | null;
	/** stored, replaced or unchanged; absent when the session was refused. */
	result?: string;
	error?: { code: string; message: string; field?: string };
}

/** A message refused whole: by its signature, or by the officer's reach over the tablet's team. */
export type CollectRefusal = QrRefusal | 'out_of_reach' | 'archived';

export type CollectResult =
	| { ok: true; teamId: string; teamName: string; deviceLabel: string; sessions: CollectedSession[] }
	| { ok: false; refusal: CollectRefusal; deviceLabel?: string; teamName?: string; revokedAt?: string };

