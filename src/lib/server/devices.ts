// Tablets join a team with a one-time enrolment code an officer reads aloud or shows as a QR, and
// then prove who they are with the bearer token they got back. The server keeps only SHA-256s of
// codes and tokens: a copy of the database lets nobody enrol or upload.
import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from './audit';
import type { Database, Device } from './db/schema';
import { requireNameInput } from './inputError';
import { randomToken, sha256Hex } from './secrets';

/** No 0/O, 1/I/L: nothing a resident, an officer or a phone line can mix up. 31 symbols. */
export const ENROLMENT_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** 12 symbols of 31: about 59 bits, far beyond what 10 tries a minute can guess in a day. */
export const ENROLMENT_CODE_LENGTH = 12;
export const DEFAULT_ENROLMENT_TTL_HOURS = 24;
const MAX_ENROLMENT_TTL_HOURS = 24 * 30;
const DEFAULT_DEVICE_LABEL = 'Máy tính bảng';
const MAX_LABEL_LENGTH = 80;
/** last_seen_at is for the officer's device list, not an audit trail: one write a minute is plenty. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export type EnrolResult =
	| { ok: true; deviceId: string; token: string; teamId: string }
	| { ok: false; reason: 'unknown' | 'used' | 'expired' };

export type DeviceAuthResult<T extends Device = Device> = { ok: true; device: T } | { ok: false; reason: 'unknown' | 'revoked' };

/** What the officer typed, read or scanned, as it was hashed: uppercase, no dashes or white space. */
export function normaliseEnrolmentCode(input: string): string {
	return input.replace(/[\s-]+/g, '').toUpperCase();
}

function newEnrolmentCode(): string {
	let raw = '';
	// randomInt is unbiased, unlike a byte taken modulo 31.
	for (let i = 0; i < ENROLMENT_CODE_LENGTH; i++) raw += ENROLMENT_CODE_ALPHABET[randomInt(ENROLMENT_CODE_ALPHABET.length)];
	return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

const hoursLater = (now: Date, hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();

async function requireLiveTeam(db: Kysely<Database>, teamId: string): Promise<void> {
	const team = await db.selectFrom('teams').select('archived_at').where('id', '=', teamId).executeTakeFirst();
	if (!team) throw new Error(`team ${teamId} does not exist`);
	if (team.archived_at) throw new Error(`team ${teamId} is archived`);
}

/** A one-time code, shown once as XXXX-XXXX-XXXX; only its hash is kept. */
export async function createEnrolmentCode(
	db: Kysely<Database>,
	input: { teamId: string; createdBy: string | null; now: Date; ttlHours?: number }
): Promise<{ code: string; expiresAt: string }> {
	const ttlHours = input.ttlHours ?? DEFAULT_ENROLMENT_TTL_HOURS;
	if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > MAX_ENROLMENT_TTL_HOURS) {
		throw new RangeError(`ttlHours must be more than 0 and at most ${MAX_ENROLMENT_TTL_HOURS}, got ${ttlHours}`);
	}
	await requireLiveTeam(db, input.teamId);
	const code = newEnrolmentCode();
	const expiresAt = hoursLater(input.now, ttlHours);
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('enrolment_codes')
			.values({
				code_hash: sha256Hex(normaliseEnrolmentCode(code)),
				team_id: input.teamId,
				created_by: input.createdBy,
				created_at: input.now.toISOString(),
				expires_at: expiresAt,
				used_at: null,
				device_id: null
			})
			.execute();
		await recordAudit(trx, {
			actor: input.createdBy ? `user:${input.createdBy}` : 'system',
			action: 'enrolment.create',
			subject: `team:${input.teamId}`,
			detail: { expiresAt },
			now: input.now
		});
	});
	return { code, expiresAt };
}

/** The label the officer's device list shows: a visible name (domain/text.ts), or the default when none is given. */
export function checkDeviceLabel(label: string | undefined): string {
	if (label === undefined || label.trim() === '') return DEFAULT_DEVICE_LABEL;
	return requireNameInput(label, 'label', MAX_LABEL_LENGTH);
}

/** Why a code could not be claimed. */
async function refusal(db: Kysely<Database>, codeHash: string): Promise<'unknown' | 'used' | 'expired'> {
	const row = await db.selectFrom('enrolment_codes').select('used_at').where('code_hash', '=', codeHash).executeTakeFirst();
	if (!row) return 'unknown';
	return row.used_at ? 'used' : 'expired';
}

/**
 * Claims the code and creates the device in one transaction. The claim is a single conditional
 * UPDATE, so of several tablets racing with one code exactly one gets a row back: PostgreSQL
 * re-checks `used_at IS NULL` after the first claimer commits, SQLite runs them one at a time.
 */
/** Throws an InputError on 'label', before the code is claimed, for a label that is not a visible name. */
export async function enrollDevice(db: Kysely<Database>, input: { code: string; label?: string; now: Date }): Promise<EnrolResult> {
	const label = checkDeviceLabel(input.label);
	const codeHash = sha256Hex(normaliseEnrolmentCode(input.code));
	const at = input.now.toISOString();
	const deviceId = randomUUID();
	const token = randomToken(32);
	const teamId = await db.transaction().execute(async (trx) => {
		const claimed = await trx
			.updateTable('enrolment_codes')
			.set({ used_at: at, device_id: deviceId })
			.where('code_hash', '=', codeHash)
			.where('used_at', 'is', null)
			.where('expires_at', '>', at)
			.returning('team_id')
			.executeTakeFirst();
		if (!claimed) return null;
		await trx
			.insertInto('devices')
			.values({
				id: deviceId,
				team_id: claimed.team_id,
				label,
				token_hash: sha256Hex(token),
				created_at: at,
				revoked_at: null,
				last_seen_at: at,
				last_upload_at: null,
				signing_key: null
			})
			.execute();
		await recordAudit(trx, {
			actor: `device:${deviceId}`,
			action: 'device.enroll',
			subject: `team:${claimed.team_id}`,
			detail: { deviceId, label },
			now: input.now
		});
		return claimed.team_id;
	});
	if (teamId === null) return { ok: false, reason: await refusal(db, codeHash) };
	return { ok: true, deviceId, token, teamId };
}

/** The device a bearer token belongs to, unless it was revoked. Notes when it was last seen. */
/** The query that finds a token's tablet; a caller may select more in the same round trip (ingest.ts). */
export function deviceByToken(db: Kysely<Database>, token: string) {
	return db.selectFrom('devices').selectAll('devices').where('devices.token_hash', '=', sha256Hex(token));
}

export async function authenticateDevice(db: Kysely<Database>, token: string, now: Date): Promise<DeviceAuthResult> {
	return admitDevice(db, await deviceByToken(db, token).executeTakeFirst(), now);
}

/** What a token's row (deviceByToken) makes of the request: unknown, revoked, or the tablet, seen now. */
export async function admitDevice<T extends Device>(db: Kysely<Database>, device: T | undefined, now: Date): Promise<DeviceAuthResult<T>> {
	if (!device) return { ok: false, reason: 'unknown' };
	if (device.revoked_at) return { ok: false, reason: 'revoked' };
	const at = now.toISOString();
	const staleBefore = new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS).toISOString();
	if (device.last_seen_at === null || device.last_seen_at < staleBefore) {
		await db
			.updateTable('devices')
			.set({ last_seen_at: at })
			.where('id', '=', device.id)
			// Guarded again in SQL so concurrent requests of one tablet write once.
			.where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', staleBefore)]))
			.execute();
		device.last_seen_at = at;
	}
	return { ok: true, device };
}

/** Disconnects a tablet: its token stops working at once. False when it was unknown or already revoked. */
export async function revokeDevice(db: Kysely<Database>, input: { deviceId: string; actor: string; now: Date }): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const revoked = await trx
			.updateTable('devices')
			.set({ revoked_at: input.now.toISOString() })
			.where('id', '=', input.deviceId)
			.where('revoked_at', 'is', null)
			.returning(['team_id', 'label'])
			.executeTakeFirst();
		if (!revoked) return false;
		await recordAudit(trx, {
			actor: input.actor,
			action: 'device.revoke',
			subject: `device:${input.deviceId}`,
			detail: { teamId: revoked.team_id, label: revoked.label },
			now: input.now
		});
		return true;
	});
}

/**
 * Written at most once a minute per device: a burst of uploads would otherwise pay a commit each.
 * `device` is the row the request authenticated with: when it shows an upload within the minute,
 * nothing is sent to the database at all (as authenticateDevice does for last_seen_at).
 */
export async function markUpload(db: Kysely<Database>, device: Pick<Device, 'id' | 'last_upload_at'>, now: Date): Promise<void> {
	const aMinuteAgo = new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS).toISOString();
	if (device.last_upload_at !== null && device.last_upload_at >= aMinuteAgo) return;
	await db
		.updateTable('devices')
		.set({ last_upload_at: now.toISOString() })
		.where('id', '=', device.id)
		.where((eb) => eb.or([eb('last_upload_at', 'is', null), eb('last_upload_at', '<', aMinuteAgo)]))
		.execute();
}

/** Newest first. `teamIds` limits the list to those teams; an empty list gives no devices. */
export async function listDevices(db: Kysely<Database>, filter: { teamIds?: string[] } = {}): Promise<Device[]> {
	if (filter.teamIds && filter.teamIds.length === 0) return [];
	let query = db.selectFrom('devices').selectAll().orderBy('created_at', 'desc').orderBy('id');
	if (filter.teamIds) query = query.where('team_id', 'in', filter.teamIds);
	return query.execute();
}
