// Accounts of admins, commune officers and team leaders on the server's web UI. Passwords are
// argon2id hashes; a session is a random cookie value of which only the SHA-256 is kept.
import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { recordAudit } from './audit';
import type { Database, User, UserRole } from './db/schema';
import { InputError, requireNameInput } from './inputError';
import { randomToken, sha256Hex } from './secrets';
import { passwordProblem, passwordProblemText } from '$lib/domain/password';

/** A user as pages may see it: never the password hash. */
export type PublicUser = Omit<User, 'password_hash'>;

export const USER_ROLES: readonly UserRole[] = ['admin', 'officer', 'leader'];
const MAX_DISPLAY_NAME_LENGTH = 80;
const USERNAME_PATTERN = /^[a-z0-9._-]{3,40}$/;
export const DEFAULT_SESSION_TTL_HOURS = 12;
export const ADMIN_USERNAME = 'admin';

// OWASP's argon2id minimum (also the library's defaults), written out so a library upgrade does
// not silently change them. Argon2id is the library's default algorithm.
const HASH_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function normaliseUsername(input: string): string {
	return input.trim().toLowerCase();
}

function checkUsername(input: string): string {
	const username = normaliseUsername(input);
	if (!USERNAME_PATTERN.test(username)) {
		throw new InputError('username', 'invalid', 'username must be 3 to 40 characters: lowercase letters, digits, dot, dash or underscore');
	}
	return username;
}

/** The domain rule (domain/password.ts); the error's message says which part failed. */
function checkPassword(password: string, username: string): void {
	const problem = passwordProblem(password, username);
	// params.problem lets a page say why in the reader's language.
	if (problem) throw new InputError('password', 'passwordRule', passwordProblemText(problem), { problem });
}

function checkDisplayName(input: string): string {
	return requireNameInput(input, 'displayName', MAX_DISPLAY_NAME_LENGTH);
}

const hashPassword = (password: string) => hash(password, HASH_OPTIONS);

/** A malformed stored hash is a failed login, not a crash. */
async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

/** An officer sees a unit's area, a leader one team; an admin needs neither. Only the one that fits is kept. */
async function checkScope(
	db: Kysely<Database>,
	role: UserRole,
	unitId: string | null,
	teamId: string | null
): Promise<{ unit_id: string | null; team_id: string | null }> {
	if (!USER_ROLES.includes(role)) throw new InputError('role', 'invalid', `role must be one of ${USER_ROLES.join(', ')}`);
	if (role !== 'officer' && unitId) throw new InputError('unitId', 'invalid', 'unitId is only for officers');
	if (role !== 'leader' && teamId) throw new InputError('teamId', 'invalid', 'teamId is only for leaders');
	if (role === 'officer') {
		if (!unitId) throw new InputError('unitId', 'invalid', 'an officer needs unitId');
		const unit = await db.selectFrom('org_units').select('id').where('id', '=', unitId).where('archived_at', 'is', null).executeTakeFirst();
		if (!unit) throw new InputError('unitId', 'invalid', `unitId ${unitId} is not a current unit`);
	}
	if (role === 'leader') {
		if (!teamId) throw new InputError('teamId', 'invalid', 'a leader needs teamId');
		const team = await db.selectFrom('teams').select('id').where('id', '=', teamId).where('archived_at', 'is', null).executeTakeFirst();
		if (!team) throw new InputError('teamId', 'invalid', `teamId ${teamId} is not a current team`);
	}
	return { unit_id: unitId || null, team_id: teamId || null };
}

async function usernameTaken(db: Kysely<Database>, username: string): Promise<boolean> {
	return !!(await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst());
}

const takenError = (username: string) => new InputError('username', 'invalid', `username ${username} is already taken`);

export async function createUser(
	db: Kysely<Database>,
	input: {
		username: string;
		displayName: string;
		password: string;
		role: UserRole;
		unitId?: string | null;
		teamId?: string | null;
		actor: string;
		now: Date;
	}
): Promise<User> {
	const username = checkUsername(input.username);
	const displayName = checkDisplayName(input.displayName);
	checkPassword(input.password, username);
	const scope = await checkScope(db, input.role, input.unitId ?? null, input.teamId ?? null);
	if (await usernameTaken(db, username)) throw takenError(username);
	const user: User = {
		id: randomUUID(),
		username,
		display_name: displayName,
		password_hash: await hashPassword(input.password),
		role: input.role,
		...scope,
		created_at: input.now.toISOString(),
		disabled_at: null
	};
	try {
		await db.transaction().execute(async (trx) => {
			await trx.insertInto('users').values(user).execute();
			await recordAudit(trx, {
				actor: input.actor,
				action: 'user.create',
				subject: `user:${user.id}`,
				detail: { username, role: user.role, unitId: user.unit_id, teamId: user.team_id },
				now: input.now
			});
		});
	} catch (e) {
		// Two creations of one name raced past the check above: the unique index decided.
		if (await usernameTaken(db, username)) throw takenError(username);
		throw e;
	}
	return user;
}

let dummyHash: Promise<string> | undefined;
/** Hashed once, lazily; ensureAdmin warms it at start so the first unknown login is not slower. */
const dummyPasswordHash = () => (dummyHash ??= hashPassword(randomToken(16)));

/**
 * The user, when the password is theirs and the account is not disabled; null otherwise. An
 * unknown username still costs one argon2 verification, so the answer time does not tell whether
 * the account exists.
 */
export async function verifyLogin(db: Kysely<Database>, username: string, password: string): Promise<User | null> {
	const user = await db.selectFrom('users').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();
	if (!user) {
		await passwordMatches(await dummyPasswordHash(), password);
		return null;
	}
	const matches = await passwordMatches(user.password_hash, password);
	return matches && !user.disabled_at ? user : null;
}

/** A new session cookie value; only its SHA-256 is stored. */
export async function createSession(
	db: Kysely<Database>,
	userId: string,
	now: Date,
	ttlHours = DEFAULT_SESSION_TTL_HOURS
): Promise<{ token: string; expiresAt: string }> {
	const token = randomToken(32);
	const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
	await db
		.insertInto('user_sessions')
		.values({ id_hash: sha256Hex(token), user_id: userId, created_at: now.toISOString(), expires_at: expiresAt })
		.execute();
	return { token, expiresAt };
}

/** The signed-in user of a session cookie; null when unknown, expired (then deleted) or disabled. */
export async function sessionUser(db: Kysely<Database>, token: string, now: Date): Promise<User | null> {
	const idHash = sha256Hex(token);
	const row = await db
		.selectFrom('user_sessions')
		.innerJoin('users', 'users.id', 'user_sessions.user_id')
		.selectAll('users')
		.select('user_sessions.expires_at as session_expires_at')
		.where('user_sessions.id_hash', '=', idHash)
		.executeTakeFirst();
	if (!row) return null;
	const { session_expires_at: expiresAt, ...user } = row;
	if (expiresAt <= now.toISOString()) {
		await db.deleteFrom('user_sessions').where('id_hash', '=', idHash).execute();
		return null;
	}
	return user.disabled_at ? null : user;
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
	await db.deleteFrom('user_sessions').where('id_hash', '=', sha256Hex(token)).execute();
}

/** Housekeeping: sessions nobody came back to are otherwise only deleted when presented. */
export async function purgeExpiredSessions(db: Kysely<Database>, now: Date): Promise<number> {
	const result = await db.deleteFrom('user_sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
	return Number(result.numDeletedRows);
}

/**
 * At first start, with no account at all, creates 'admin' with the given password (ADMIN_PASSWORD)
 * or a generated one the caller shows once. With any account present it does nothing.
 */
export async function ensureAdmin(
	db: Kysely<Database>,
	input: { password?: string; now: Date }
): Promise<{ created: false } | { created: true; username: 'admin'; password: string; generated: boolean }> {
	await dummyPasswordHash();
	const any = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
	if (any) return { created: false };
	const generated = !input.password;
	const password = input.password || randomToken(12);
	try {
		await createUser(db, { username: ADMIN_USERNAME, displayName: 'Quản trị viên', password, role: 'admin', actor: 'system', now: input.now });
	} catch (e) {
		// Another server process sharing the database created it first.
		if (e instanceof InputError && e.field === 'username') return { created: false };
		throw e;
	}
	return { created: true, username: ADMIN_USERNAME, password, generated };
}

/**
 * Sets a new password and signs the user out everywhere, except the session in `keepSessionToken`
 * (the one that made the change). False when the user does not exist.
 */
export async function changePassword(
	db: Kysely<Database>,
	input: { userId: string; password: string; actor: string; now: Date; keepSessionToken?: string }
): Promise<boolean> {
	const user = await db.selectFrom('users').select('username').where('id', '=', input.userId).executeTakeFirst();
	if (!user) return false;
	checkPassword(input.password, user.username);
	const passwordHash = await hashPassword(input.password);
	return db.transaction().execute(async (trx) => {
		const updated = await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', input.userId).returning('id').executeTakeFirst();
		if (!updated) return false;
		let sessions = trx.deleteFrom('user_sessions').where('user_id', '=', input.userId);
		if (input.keepSessionToken) sessions = sessions.where('id_hash', '!=', sha256Hex(input.keepSessionToken));
		await sessions.execute();
		await recordAudit(trx, { actor: input.actor, action: 'user.changePassword', subject: `user:${input.userId}`, now: input.now });
		return true;
	});
}

/**
 * A signed-in user changes their own password: the current one first (a session left open on a
 * shared computer must not be enough), then the new one under the rule. Every other session of
 * theirs ends; the one making the change stays. Audited as done by the user.
 */
export async function changeOwnPassword(
	db: Kysely<Database>,
	input: { userId: string; currentPassword: string; newPassword: string; sessionToken: string; now: Date }
): Promise<void> {
	const user = await db.selectFrom('users').select(['password_hash', 'disabled_at']).where('id', '=', input.userId).executeTakeFirst();
	if (!user || user.disabled_at || !(await passwordMatches(user.password_hash, input.currentPassword))) {
		throw new InputError('currentPassword', 'invalid', 'the current password is wrong');
	}
	await changePassword(db, { userId: input.userId, password: input.newPassword, actor: `user:${input.userId}`, now: input.now, keepSessionToken: input.sessionToken });
}

/** Ordered by username. */
export async function listUsers(db: Kysely<Database>, filter: { includeDisabled?: boolean } = {}): Promise<PublicUser[]> {
	let query = db
		.selectFrom('users')
		.select(['id', 'username', 'display_name', 'role', 'unit_id', 'team_id', 'created_at', 'disabled_at'])
		.orderBy('username');
	if (filter.includeDisabled === false) query = query.where('disabled_at', 'is', null);
	return query.execute();
}

/**
 * Disables an account and ends its sessions; the row stays (the audit trail names it). Refuses to
 * disable the last active admin, which would lock everyone out. False when unknown or already disabled.
 */
export async function disableUser(db: Kysely<Database>, input: { userId: string; actor: string; now: Date }): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const user = await trx.selectFrom('users').select(['role', 'disabled_at']).where('id', '=', input.userId).executeTakeFirst();
		if (!user || user.disabled_at) return false;
		if (user.role === 'admin') {
			const otherAdmin = await trx
				.selectFrom('users')
				.select('id')
				.where('role', '=', 'admin')
				.where('disabled_at', 'is', null)
				.where('id', '!=', input.userId)
				.executeTakeFirst();
			if (!otherAdmin) throw new InputError('userId', 'invalid', 'the last active admin cannot be disabled');
		}
		const updated = await trx
			.updateTable('users')
			.set({ disabled_at: input.now.toISOString() })
			.where('id', '=', input.userId)
			.where('disabled_at', 'is', null)
			.returning('id')
			.executeTakeFirst();
		if (!updated) return false;
		await trx.deleteFrom('user_sessions').where('user_id', '=', input.userId).execute();
		await recordAudit(trx, { actor: input.actor, action: 'user.disable', subject: `user:${input.userId}`, now: input.now });
		return true;
	});
}
