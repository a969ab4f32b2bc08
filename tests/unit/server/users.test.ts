import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import * as argon2 from '@node-rs/argon2';
import type { Database } from '$lib/server/db/schema';
import {
	changeOwnPassword,
	changePassword,
	createSession,
	createUser,
	deleteSession,
	disableUser,
	ensureAdmin,
	listUsers,
	purgeExpiredSessions,
	sessionUser,
	verifyLogin
} from '$lib/server/users';
import { sha256Hex } from '$lib/server/secrets';
import { addBareTeams, databaseForEachTest, ENGINES } from '../../fixtures/serverDb';
import { InputError } from '$lib/server/inputError';

// The real argon2, watched: a login for an unknown user must still cost one verification.
vi.mock('@node-rs/argon2', async (importOriginal) => {
	const actual = await importOriginal<typeof import('@node-rs/argon2')>();
	return { ...actual, verify: vi.fn(actual.verify) };
});

const NOW = new Date('2026-11-10T02:00:00.000Z');
const HOUR = 3_600_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);
const PASSWORD = 'mật khẩu dài 2026';

async function inputError(promise: Promise<unknown>): Promise<InputError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(InputError);
	return error as InputError;
}

describe.each(ENGINES)('users on %s', (engine) => {
	const t = databaseForEachTest(engine, (db) => addBareTeams(db, 'team-a'));
	let db: Kysely<Database>;
	beforeEach(() => void (db = t.db));

	const officer = (overrides: Partial<Parameters<typeof createUser>[1]> = {}) =>
		createUser(db, {
			username: 'Lan.Nguyen ',
			displayName: ' Nguyễn  Thị Lan ',
			password: PASSWORD,
			role: 'officer',
			unitId: 'unit-team-a',
			actor: 'user:root',
			now: NOW,
			...overrides
		});

	it('creates an officer with an argon2id hash, normalised names, audited without the password', async () => {
		const user = await officer();
		expect(user).toMatchObject({ username: 'lan.nguyen', display_name: 'Nguyễn Thị Lan', role: 'officer', unit_id: 'unit-team-a', team_id: null, disabled_at: null });
		expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		const stored = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
		expect(stored).toEqual(user);
		const [event] = await db.selectFrom('audit_events').selectAll().where('action', '=', 'user.create').execute();
		expect(event).toMatchObject({ actor: 'user:root', subject: `user:${user.id}` });
		expect(event?.detail).not.toContain(PASSWORD);
		expect(event?.detail).not.toContain(user.password_hash);
	});

	it('refuses bad input, naming the field', async () => {
		expect((await inputError(officer({ username: 'ab' }))).field).toBe('username');
		expect((await inputError(officer({ username: 'lan nguyen' }))).field).toBe('username');
		expect((await inputError(officer({ username: 'lân' }))).field).toBe('username');
		expect((await inputError(officer({ password: 'short pw!' }))).field).toBe('password');
		expect((await inputError(officer({ displayName: '   ' }))).field).toBe('displayName');
		expect((await inputError(officer({ role: 'root' as 'admin' }))).field).toBe('role');
		expect((await inputError(officer({ unitId: undefined }))).field).toBe('unitId');
		expect((await inputError(officer({ unitId: 'no-such-unit' }))).field).toBe('unitId');
		expect((await inputError(officer({ role: 'leader', unitId: undefined }))).field).toBe('teamId');
		expect((await inputError(officer({ role: 'leader', unitId: undefined, teamId: 'no-such-team' }))).field).toBe('teamId');
		expect((await inputError(officer({ role: 'admin', unitId: undefined, teamId: 'team-a' }))).field).toBe('teamId');
		expect(await db.selectFrom('users').select('id').execute()).toEqual([]);
		await officer();
		const taken = await inputError(officer({ username: 'LAN.NGUYEN' }));
		expect(taken.field).toBe('username');
		expect(taken.message).toMatch(/taken/);
	});

	it('creates a leader bound to a team', async () => {
		const leader = await createUser(db, { username: 'hung', displayName: 'Trần Văn Hùng', password: PASSWORD, role: 'leader', teamId: 'team-a', actor: 'system', now: NOW });
		expect(leader).toMatchObject({ role: 'leader', team_id: 'team-a', unit_id: null });
	});

	it('verifies logins; unknown users still cost one argon2 verification; disabled users are refused', async () => {
		const user = await officer();
		expect((await verifyLogin(db, ' LAN.nguyen', PASSWORD))?.id).toBe(user.id);
		expect(await verifyLogin(db, 'lan.nguyen', PASSWORD + 'x')).toBeNull();
		const verify = vi.mocked(argon2.verify);
		verify.mockClear();
		expect(await verifyLogin(db, 'nobody', PASSWORD)).toBeNull();
		expect(verify).toHaveBeenCalledTimes(1);

		await officer({ username: 'second', displayName: 'Second officer' });
		expect(await disableUser(db, { userId: user.id, actor: 'user:root', now: NOW })).toBe(true);
		verify.mockClear();
		expect(await verifyLogin(db, 'lan.nguyen', PASSWORD)).toBeNull();
		expect(verify).toHaveBeenCalledTimes(1);
	});

	it('keeps sessions as hashes; they end at expiry (and are deleted), at logout, and when the user is disabled', async () => {
		const user = await officer();
		const session = await createSession(db, user.id, NOW);
		expect(session.expiresAt).toBe(later(12 * HOUR).toISOString());
		const [row] = await db.selectFrom('user_sessions').selectAll().execute();
		expect(row?.id_hash).toBe(sha256Hex(session.token));
		expect(await sessionUser(db, session.token, later(HOUR))).toEqual(user);
		expect(await sessionUser(db, 'not-a-session', NOW)).toBeNull();

		expect(await sessionUser(db, session.token, later(12 * HOUR))).toBeNull();
		expect(await db.selectFrom('user_sessions').select('id_hash').execute()).toEqual([]);

		const short = await createSession(db, user.id, NOW, 1);
		expect(short.expiresAt).toBe(later(HOUR).toISOString());
		await deleteSession(db, short.token);
		expect(await sessionUser(db, short.token, NOW)).toBeNull();

		const again = await createSession(db, user.id, NOW);
		await officer({ username: 'other' });
		await disableUser(db, { userId: user.id, actor: 'user:root', now: NOW });
		expect(await sessionUser(db, again.token, NOW)).toBeNull();
		expect(await db.selectFrom('user_sessions').select('id_hash').execute()).toEqual([]);
	});

	it('purges expired sessions', async () => {
		const user = await officer();
		await createSession(db, user.id, NOW, 1);
		const live = await createSession(db, user.id, NOW, 24);
		expect(await purgeExpiredSessions(db, later(2 * HOUR))).toBe(1);
		expect((await sessionUser(db, live.token, later(2 * HOUR)))?.id).toBe(user.id);
	});

	it('creates the first admin once, with a generated password shown to the caller', async () => {
		const first = await ensureAdmin(db, { now: NOW });
		expect(first).toMatchObject({ created: true, username: 'admin', generated: true });
		if (!first.created) return;
		expect(first.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect((await verifyLogin(db, 'admin', first.password))?.role).toBe('admin');
		expect(await ensureAdmin(db, { password: 'another password', now: NOW })).toEqual({ created: false });
		expect(await db.selectFrom('users').select('id').execute()).toHaveLength(1);
	});

	it('creates the first admin with ADMIN_PASSWORD, refusing a short one, and not when users exist', async () => {
		await expect(ensureAdmin(db, { password: 'short', now: NOW })).rejects.toBeInstanceOf(InputError);
		expect(await ensureAdmin(db, { password: 'a long enough secret', now: NOW })).toEqual({
			created: true,
			username: 'admin',
			password: 'a long enough secret',
			generated: false
		});
		expect(await verifyLogin(db, 'admin', 'a long enough secret')).not.toBeNull();
	});

	it('does nothing when another account exists', async () => {
		await officer();
		expect(await ensureAdmin(db, { now: NOW })).toEqual({ created: false });
	});

	it('changes a password, ending every other session, audited', async () => {
		const user = await officer();
		const here = await createSession(db, user.id, NOW);
		const elsewhere = await createSession(db, user.id, NOW);
		expect(await changePassword(db, { userId: user.id, password: 'a brand new secret', actor: `user:${user.id}`, now: NOW, keepSessionToken: here.token })).toBe(true);
		expect(await verifyLogin(db, 'lan.nguyen', PASSWORD)).toBeNull();
		expect(await verifyLogin(db, 'lan.nguyen', 'a brand new secret')).not.toBeNull();
		expect(await sessionUser(db, here.token, NOW)).not.toBeNull();
		expect(await sessionUser(db, elsewhere.token, NOW)).toBeNull();
		expect((await inputError(changePassword(db, { userId: user.id, password: 'short', actor: 'system', now: NOW }))).field).toBe('password');
		expect((await inputError(changePassword(db, { userId: user.id, password: 'lan.nguyen-2026-12', actor: 'system', now: NOW }))).field).toBe('password');
		expect(await changePassword(db, { userId: 'nobody', password: 'a brand new secret', actor: 'system', now: NOW })).toBe(false);
		const events = await db.selectFrom('audit_events').selectAll().where('action', '=', 'user.changePassword').execute();
		expect(events).toHaveLength(1);
		expect(events[0]?.subject).toBe(`user:${user.id}`);
	});

	it('refuses a weak password for every role: short, common, or holding the username', async () => {
		for (const [password, problem] of [
			['1234567890', 'tooShort'],
			['123456789012', 'common'],
			['Password1234!', 'common'],
			['lan.nguyen.2026', 'containsUsername']
		] as const) {
			const error = await inputError(officer({ password }));
			expect(error.code, password).toBe('passwordRule');
			expect(error.params.problem, password).toBe(problem);
		}
		await expect(ensureAdmin(db, { password: 'my-admin-secret-2026', now: NOW })).rejects.toMatchObject({ code: 'passwordRule' });
		expect(await db.selectFrom('users').select('id').execute()).toHaveLength(0);
	});

	it('lets a user change their own password with the current one, signing out their other sessions', async () => {
		const user = await officer();
		const here = await createSession(db, user.id, NOW);
		const elsewhere = await createSession(db, user.id, NOW);
		const change = (currentPassword: string, newPassword: string) =>
			changeOwnPassword(db, { userId: user.id, currentPassword, newPassword, sessionToken: here.token, now: NOW });
		expect((await inputError(change('not my password', 'ba con gà trống gáy'))).field).toBe('currentPassword');
		expect((await inputError(change(PASSWORD, 'qwerty123456'))).field).toBe('password');
		expect(await sessionUser(db, elsewhere.token, NOW), 'a refused change signs nobody out').not.toBeNull();
		await change(PASSWORD, 'ba con gà trống gáy');
		expect(await verifyLogin(db, 'lan.nguyen', 'ba con gà trống gáy')).not.toBeNull();
		expect(await sessionUser(db, here.token, NOW)).not.toBeNull();
		expect(await sessionUser(db, elsewhere.token, NOW)).toBeNull();
		const events = await db.selectFrom('audit_events').selectAll().where('action', '=', 'user.changePassword').execute();
		expect(events.map((e) => [e.actor, e.subject])).toEqual([[`user:${user.id}`, `user:${user.id}`]]);
	});

	it('disables users, but never the last active admin', async () => {
		const admin = await ensureAdmin(db, { password: 'a long enough secret', now: NOW });
		expect(admin.created).toBe(true);
		const adminId = (await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
		expect((await inputError(disableUser(db, { userId: adminId, actor: 'system', now: NOW }))).field).toBe('userId');
		const second = await createUser(db, { username: 'admin2', displayName: 'Admin 2', password: PASSWORD, role: 'admin', actor: 'system', now: NOW });
		expect(await disableUser(db, { userId: adminId, actor: `user:${second.id}`, now: later(HOUR) })).toBe(true);
		expect(await disableUser(db, { userId: adminId, actor: `user:${second.id}`, now: later(HOUR) })).toBe(false);
		expect(await disableUser(db, { userId: 'nobody', actor: 'system', now: NOW })).toBe(false);
		const [event] = await db.selectFrom('audit_events').selectAll().where('action', '=', 'user.disable').execute();
		expect(event).toMatchObject({ actor: `user:${second.id}`, subject: `user:${adminId}`, at: later(HOUR).toISOString() });
	});

	it('lists users by username, never with their password hash', async () => {
		await officer({ username: 'zoe' });
		const lan = await officer();
		await officer({ username: 'minh' });
		const all = await listUsers(db);
		expect(all.map((u) => u.username)).toEqual(['lan.nguyen', 'minh', 'zoe']);
		expect(all.every((u) => !('password_hash' in u))).toBe(true);
		await disableUser(db, { userId: lan.id, actor: 'system', now: NOW });
		expect((await listUsers(db, { includeDisabled: false })).map((u) => u.username)).toEqual(['minh', 'zoe']);
		expect((await listUsers(db))[0]?.disabled_at).toBe(NOW.toISOString());
	});
});
