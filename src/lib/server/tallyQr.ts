// Tallies that reached the server as QR codes (issue 15 §2): a hall without network shows its
// pending tallies as codes, an officer's phone scans them at /admin/collect. Each tablet signs its
// codes with its own P-256 key: the tablet made the pair and registered the public half over its
// token (PUT /api/v1/devices/signing-key), so a copy of this database can check codes, never make
// them — as with tokens, of which the server keeps only hashes. The tallies are then stored on the
// upload's own path (ingest.ts), exactly once: the tablet's later upload answers "unchanged".
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import { unpackMessage, TALLY_QR_MAX_TALLIES, type CollectedSession, type CollectResult, type QrRefusal } from '$lib/domain/tallyQr';
import type { Database, Device, User } from './db/schema';
import { recordAudit } from './audit';
import { ingestEach } from './ingest';
import { teamAccess } from './teamAccess';
import { getTeam } from './teams';

/** A message's tallies inflate to at most this (25 tallies take ~25 KB). */
const MAX_INFLATED_BYTES = 256 * 1024;

export type SigningKeyResult = 'registered' | 'unchanged' | 'conflict' | 'invalid';

const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;

/** The key as stored: a P-256 public JWK with its four fields only, or null when `jwk` is not one. */
export function canonicalSigningKey(jwk: unknown): string | null {
	if (typeof jwk !== 'object' || jwk === null) return null;
	const { kty, crv, x, y } = jwk as Record<string, unknown>;
	if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string' || !B64URL_32.test(x) || !B64URL_32.test(y)) return null;
	const key = { kty, crv, x, y };
	try {
		createPublicKey({ key, format: 'jwk' }); // throws for a point off the curve
	} catch {
		return null;
	}
	return JSON.stringify(key);
}

/**
 * Keeps the tablet's public key. A tablet registers once; the same key again (an answer lost on the
 * way) is fine, another key is a conflict: a stolen token must not replace what checks the codes.
 */
export async function registerSigningKey(db: Kysely<Database>, device: Pick<Device, 'id' | 'team_id' | 'signing_key'>, jwk: unknown, now: Date): Promise<SigningKeyResult> {
	const key = canonicalSigningKey(jwk);
	if (!key) return 'invalid';
	if (device.signing_key !== null) return device.signing_key === key ? 'unchanged' : 'conflict';
	return db.transaction().execute(async (trx) => {
		const set = await trx.updateTable('devices').set({ signing_key: key }).where('id', '=', device.id).where('signing_key', 'is', null).executeTakeFirst();
		if (Number(set.numUpdatedRows) === 0) {
			const now = await trx.selectFrom('devices').select('signing_key').where('id', '=', device.id).executeTakeFirst();
			return now?.signing_key === key ? 'unchanged' : 'conflict';
		}
		await recordAudit(trx, { actor: `device:${device.id}`, action: 'device.signing_key', subject: `team:${device.team_id}`, detail: { deviceId: device.id }, now });
		return 'registered';
	});
}

export type OpenedQr =
	| { ok: true; device: Device; tallies: unknown[] }
	| { ok: false; refusal: QrRefusal; device?: Device };

function publicKey(stored: string): KeyObject {
	return createPublicKey({ key: JSON.parse(stored) as JsonWebKey, format: 'jwk' });
}

/**
 * Checks a scanned message (its parts joined, base45): which tablet made it, that it was not
 * altered, that the tablet is still connected; then its tallies, not yet checked as tallies.
 */
export async function openTallyQr(db: Kysely<Database>, message: string): Promise<OpenedQr> {
	const unpacked = unpackMessage(message); // never trimmed: a space is a base45 digit
	if (!unpacked) return { ok: false, refusal: 'malformed' };
	const device = await db.selectFrom('devices').selectAll().where('id', '=', unpacked.deviceId).executeTakeFirst();
	if (!device) return { ok: false, refusal: 'unknown_tablet' };
	if (device.signing_key === null) return { ok: false, refusal: 'no_key', device };
	const genuine = verify('sha256', unpacked.signed, { key: publicKey(device.signing_key), dsaEncoding: 'ieee-p1363' }, unpacked.signature);
	if (!genuine) return { ok: false, refusal: 'forged', device };
	// A revoked tablet's codes are refused even when genuine: whoever holds it is not the team any more.
	if (device.revoked_at !== null) return { ok: false, refusal: 'revoked', device };
	let tallies: unknown;
	try {
		tallies = JSON.parse(inflateRawSync(unpacked.body, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8'));
	} catch {
		// Signed by the tablet yet not readable: a tablet bug, not a forgery.
		return { ok: false, refusal: 'malformed', device };
	}
	if (!Array.isArray(tallies) || tallies.length === 0 || tallies.length > TALLY_QR_MAX_TALLIES) return { ok: false, refusal: 'malformed', device };
	return { ok: true, device, tallies };
}

/** Who brought which tablet's codes, beside each tally's own 'tally.stored'. */
async function auditCollect(db: Kysely<Database>, input: { userId: string; device: Device; sessions: number; stored: number; now: Date }): Promise<void> {
	await recordAudit(db, {
		actor: `user:${input.userId}`,
		action: 'tally.collect',
		subject: `team:${input.device.team_id}`,
		detail: { deviceId: input.device.id, label: input.device.label, sessions: input.sessions, stored: input.stored },
		now: input.now
	});
}

const numberOr = (value: unknown) => (typeof value === 'number' ? value : null);
const stringOr = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * An officer's scanned message, checked and stored: the tablet's signature, the officer's reach over
 * its team (an officer of another commune gets 'out_of_reach'), then each tally as an upload.
 */
export async function collectTallyMessage(db: Kysely<Database>, input: { user: User; message: string; now: Date }): Promise<CollectResult> {
	const opened = await openTallyQr(db, input.message);
	if (!opened.ok) {
		const device = opened.device;
		const about = device ? { deviceLabel: device.label, teamName: (await getTeam(db, device.team_id))?.name } : {};
		return { ok: false, refusal: opened.refusal, ...about, ...(opened.refusal === 'revoked' ? { revokedAt: device?.revoked_at ?? undefined } : {}) };
	}
	// teamAccess reads the team too: its name for a refusal comes from there.
	const access = await teamAccess(db, input.user, opened.device.team_id);
	const about = { deviceLabel: opened.device.label, teamName: access?.team.name };
	if (!access?.canSee) return { ok: false, refusal: 'out_of_reach', ...about };
	if (!access.canRecord) return { ok: false, refusal: 'archived', ...about };
	const results = await ingestEach(db, opened.device, opened.tallies, input.now, { actor: `user:${input.user.id}` });
	const sessions = results.map((r, i): CollectedSession => {
		const raw = (opened.tallies[i] ?? {}) as Record<string, unknown>;
		const counts = { date: stringOr(raw.date), checkIns: numberOr(raw.checkIns), assists: numberOr(raw.assists) };
		return 'result' in r ? { sessionId: r.sessionId, ...counts, result: r.result } : { sessionId: r.sessionId, ...counts, error: r.error };
	});
	await auditCollect(db, { userId: input.user.id, device: opened.device, sessions: sessions.length, stored: sessions.filter((s) => s.result === 'stored' || s.result === 'replaced').length, now: input.now });
	return { ok: true, teamId: access.team.id, teamName: access.team.name, deviceLabel: opened.device.label, sessions };
}
