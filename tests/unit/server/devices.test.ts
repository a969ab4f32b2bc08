import { beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import {
	ENROLMENT_CODE_ALPHABET,
	authenticateDevice,
	createEnrolmentCode,
	enrollDevice,
	listDevices,
	markUpload,
	normaliseEnrolmentCode,
	revokeDevice
} from '$lib/server/devices';
import { randomToken, sha256Hex, timingSafeEqualHex } from '$lib/server/secrets';
import { tabletConfig } from '$lib/server/tabletConfig';
import { addBareTeam, addBareTeams, databaseForEachTest, ENGINES } from '../../fixtures/serverDb';

const NOW = new Date('2026-11-10T02:00:00.000Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;
const CODE_FORMAT = new RegExp(`^[${ENROLMENT_CODE_ALPHABET}]{4}-[${ENROLMENT_CODE_ALPHABET}]{4}-[${ENROLMENT_CODE_ALPHABET}]{4}$`);

const auditOf = (db: Kysely<Database>, action: string) => db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();

describe('secrets', () => {
	it('makes base64url tokens of the asked length, different each time', () => {
		const a = randomToken();
		expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(randomToken(12)).toHaveLength(16);
		expect(randomToken()).not.toBe(a);
		expect(() => randomToken(0)).toThrow(RangeError);
	});

	it('hashes with SHA-256 and compares hex in constant time, never throwing', () => {
		expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		const h = sha256Hex('x');
		expect(timingSafeEqualHex(h, h.toUpperCase())).toBe(true);
		expect(timingSafeEqualHex(h, sha256Hex('y'))).toBe(false);
		expect(timingSafeEqualHex(h, h.slice(2))).toBe(false);
		expect(timingSafeEqualHex('zz', 'zz')).toBe(false);
		expect(timingSafeEqualHex('abc', 'abc')).toBe(false);
		expect(timingSafeEqualHex('', '')).toBe(true);
	});
});

describe('normaliseEnrolmentCode', () => {
	it('uppercases and drops dashes and white space', () => {
		expect(normaliseEnrolmentCode(' abcd-efgh jkmn\t')).toBe('ABCDEFGHJKMN');
		expect(normaliseEnrolmentCode('ABCD--EFGH  JKMN')).toBe('ABCDEFGHJKMN');
	});
});

describe.each(ENGINES)('devices on %s', (engine) => {
	const t = databaseForEachTest(engine, (db) => addBareTeams(db, 'team-a', 'team-b'));
	let db: Kysely<Database>;
	beforeEach(() => void (db = t.db));

	const enrol = async (teamId = 'team-a', label = 'Máy nhà văn hóa') => {
		const { code } = await createEnrolmentCode(db, { teamId, createdBy: null, now: NOW });
		const result = await enrollDevice(db, { code, label, now: NOW });
		if (!result.ok) throw new Error(`enrolment failed: ${result.reason}`);
		return result;
	};

	it('creates a grouped code from the unambiguous alphabet, keeping only its hash, audited', async () => {
		const { code, expiresAt } = await createEnrolmentCode(db, { teamId: 'team-a', createdBy: 'u1', now: NOW });
		expect(code).toMatch(CODE_FORMAT);
		expect(code).not.toMatch(/[01OIL]/);
		expect(expiresAt).toBe(later(24 * HOUR).toISOString());
		const rows = await db.selectFrom('enrolment_codes').selectAll().execute();
		expect(rows).toEqual([
			{
				code_hash: sha256Hex(code.replaceAll('-', '')),
				team_id: 'team-a',
				created_by: 'u1',
				created_at: NOW.toISOString(),
				expires_at: expiresAt,
				used_at: null,
				device_id: null
			}
		]);
		const [event] = await auditOf(db, 'enrolment.create');
		expect(event).toMatchObject({ actor: 'user:u1', subject: 'team:team-a' });
		expect(event?.detail).not.toContain(code);
	});

	it('honours ttlHours, audits the system as creator, and refuses unknown or archived teams and bad ttl', async () => {
		const { expiresAt } = await createEnrolmentCode(db, { teamId: 'team-b', createdBy: null, now: NOW, ttlHours: 2 });
		expect(expiresAt).toBe(later(2 * HOUR).toISOString());
		expect((await auditOf(db, 'enrolment.create'))[0]?.actor).toBe('system');
		await addBareTeam(db, 'team-old', true);
		await expect(createEnrolmentCode(db, { teamId: 'team-old', createdBy: null, now: NOW })).rejects.toThrow(/archived/);
		await expect(createEnrolmentCode(db, { teamId: 'nope', createdBy: null, now: NOW })).rejects.toThrow(/does not exist/);
		await expect(createEnrolmentCode(db, { teamId: 'team-a', createdBy: null, now: NOW, ttlHours: Number.NaN })).rejects.toThrow(RangeError);
		await expect(createEnrolmentCode(db, { teamId: 'team-a', createdBy: null, now: NOW, ttlHours: 0 })).rejects.toThrow(RangeError);
	});

	it('enrols a tablet once: code typed in lowercase without dashes works, a second use is refused', async () => {
		const { code } = await createEnrolmentCode(db, { teamId: 'team-a', createdBy: null, now: NOW });
		const typed = code.replaceAll('-', ' ').toLowerCase();
		const result = await enrollDevice(db, { code: typed, label: '  Máy   thôn Trung Hòa ', now: later(HOUR) });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.teamId).toBe('team-a');
		expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const device = await db.selectFrom('devices').selectAll().where('id', '=', result.deviceId).executeTakeFirstOrThrow();
		expect(device).toMatchObject({ team_id: 'team-a', label: 'Máy thôn Trung Hòa', token_hash: sha256Hex(result.token), revoked_at: null });
		const claimed = await db.selectFrom('enrolment_codes').selectAll().executeTakeFirstOrThrow();
		expect(claimed).toMatchObject({ used_at: later(HOUR).toISOString(), device_id: result.deviceId });
		const [event] = await auditOf(db, 'device.enroll');
		expect(event).toMatchObject({ actor: `device:${result.deviceId}`, subject: 'team:team-a' });
		expect(event?.detail).not.toContain(result.token);

		expect(await enrollDevice(db, { code, label: 'again', now: later(HOUR) })).toEqual({ ok: false, reason: 'used' });
		expect(await db.selectFrom('devices').select('id').execute()).toHaveLength(1);
	});

	it('says why a code does not work: unknown, or expired at its expiry instant', async () => {
		const { code, expiresAt } = await createEnrolmentCode(db, { teamId: 'team-a', createdBy: null, now: NOW, ttlHours: 1 });
		expect(await enrollDevice(db, { code: 'ABCD-EFGH-JKMN', label: 'x', now: NOW })).toEqual({ ok: false, reason: 'unknown' });
		expect(await enrollDevice(db, { code, label: 'x', now: new Date(expiresAt) })).toEqual({ ok: false, reason: 'expired' });
		expect(await db.selectFrom('devices').select('id').execute()).toEqual([]);
		const ok = await enrollDevice(db, { code, label: '', now: new Date(Date.parse(expiresAt) - 1) });
		expect(ok.ok).toBe(true);
		if (ok.ok) expect((await listDevices(db))[0]?.label).toBe('Máy tính bảng');
	});

	it('lets exactly one of 10 parallel enrolments with one code through', async () => {
		const { code } = await createEnrolmentCode(db, { teamId: 'team-a', createdBy: null, now: NOW });
		const results = await Promise.all(Array.from({ length: 10 }, (_, i) => enrollDevice(db, { code, label: `tablet ${i}`, now: NOW })));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason))).toEqual(Array(9).fill('used'));
		expect(await db.selectFrom('devices').select('id').execute()).toHaveLength(1);
		expect(await auditOf(db, 'device.enroll')).toHaveLength(1);
	});

	it('authenticates by token, refuses unknown and revoked tokens', async () => {
		const a = await enrol();
		const auth = await authenticateDevice(db, a.token, NOW);
		expect(auth.ok && auth.device.id).toBe(a.deviceId);
		expect(await authenticateDevice(db, randomToken(), NOW)).toEqual({ ok: false, reason: 'unknown' });
		expect(await authenticateDevice(db, '', NOW)).toEqual({ ok: false, reason: 'unknown' });

		expect(await revokeDevice(db, { deviceId: a.deviceId, actor: 'user:u1', now: later(HOUR) })).toBe(true);
		expect(await authenticateDevice(db, a.token, later(HOUR))).toEqual({ ok: false, reason: 'revoked' });
		expect(await revokeDevice(db, { deviceId: a.deviceId, actor: 'user:u1', now: later(HOUR) })).toBe(false);
		expect(await revokeDevice(db, { deviceId: 'nope', actor: 'user:u1', now: later(HOUR) })).toBe(false);
		const events = await auditOf(db, 'device.revoke');
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ actor: 'user:u1', subject: `device:${a.deviceId}`, at: later(HOUR).toISOString() });
		expect(JSON.parse(events[0]?.detail ?? '{}')).toMatchObject({ teamId: 'team-a' });
	});

	it('notes last_seen_at at most once a minute', async () => {
		const a = await enrol();
		const seen = async () => (await db.selectFrom('devices').select('last_seen_at').executeTakeFirstOrThrow()).last_seen_at;
		expect(await seen()).toBe(NOW.toISOString());
		const soon = await authenticateDevice(db, a.token, later(30_000));
		expect(soon.ok && soon.device.last_seen_at).toBe(NOW.toISOString());
		expect(await seen()).toBe(NOW.toISOString());
		const after = await authenticateDevice(db, a.token, later(61_000));
		expect(after.ok && after.device.last_seen_at).toBe(later(61_000).toISOString());
		expect(await seen()).toBe(later(61_000).toISOString());
	});

	it('gives a tablet no resident key, in its enrolment or config, and keeps none', async () => {
		const enrolled = await enrol('team-a');
		// Both API bodies are this configuration plus the device's id, token and server name.
		const config = await tabletConfig(db, enrolled.teamId);
		expect(Object.keys(config).sort()).toEqual(['members', 'periodReports', 'skills', 'team', 'version', 'periodRule'].sort());
		expect(JSON.stringify(config)).not.toMatch(/resident/i);
		const settings = await db.selectFrom('settings').select('key').execute();
		expect(settings.filter((s) => /resident/i.test(s.key))).toEqual([]);
	});

	it('marks uploads and lists devices newest first, optionally by team', async () => {
		const first = await enrol('team-a');
		const { code } = await createEnrolmentCode(db, { teamId: 'team-b', createdBy: null, now: NOW });
		const second = await enrollDevice(db, { code, label: 'b', now: later(HOUR) });
		if (!second.ok) throw new Error('enrolment failed');
		await markUpload(db, { id: first.deviceId, last_upload_at: null }, later(2 * HOUR));
		expect((await listDevices(db)).map((d) => d.id)).toEqual([second.deviceId, first.deviceId]);
		const [onlyA] = await listDevices(db, { teamIds: ['team-a'] });
		expect(onlyA).toMatchObject({ id: first.deviceId, last_upload_at: later(2 * HOUR).toISOString() });
		expect(await listDevices(db, { teamIds: ['team-a', 'team-b'] })).toHaveLength(2);
		expect(await listDevices(db, { teamIds: [] })).toEqual([]);
	});

	it('marks an upload at most once a minute, sending nothing when the authenticated row shows one', async () => {
		const tablet = await enrol('team-a');
		const uploadAt = async () => (await listDevices(db, { teamIds: ['team-a'] }))[0]!.last_upload_at;
		await markUpload(db, { id: tablet.deviceId, last_upload_at: null }, later(HOUR));
		expect(await uploadAt()).toBe(later(HOUR).toISOString());
		// The row the request authenticated with says 30 s ago: no query at all, even if the
		// database were behind it (here it is not; a stale row would only delay the mark a minute).
		const seen: string[] = [];
		const watched = db.withPlugin({ transformQuery: (args) => (seen.push(args.node.kind), args.node), transformResult: async (args) => args.result });
		await markUpload(watched, { id: tablet.deviceId, last_upload_at: later(HOUR).toISOString() }, later(HOUR + 30_000));
		expect(seen).toEqual([]);
		expect(await uploadAt()).toBe(later(HOUR).toISOString());
		await markUpload(watched, { id: tablet.deviceId, last_upload_at: later(HOUR).toISOString() }, later(HOUR + 61_000));
		expect(seen).toEqual(['UpdateQueryNode']);
		expect(await uploadAt()).toBe(later(HOUR + 61_000).toISOString());
	});
});
