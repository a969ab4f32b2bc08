// Server settings kept in the database: the reporting period rule and the deployment secrets.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEFAULT_PERIOD_RULE, isValidRule, type PeriodRule } from '$lib/domain/period';
import type { Database } from './db/schema';

async function getSetting<T>(db: Kysely<Database>, key: string): Promise<T | undefined> {
	const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
	return row ? (JSON.parse(row.value) as T) : undefined;
}

async function putSetting(db: Kysely<Database>, key: string, value: unknown): Promise<void> {
	await db
		.insertInto('settings')
		.values({ key, value: JSON.stringify(value) })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
		.execute();
}

export async function periodRuleSetting(db: Kysely<Database>): Promise<PeriodRule> {
	const rule = await getSetting<PeriodRule>(db, 'periodRule');
	return rule && isValidRule(rule) ? rule : DEFAULT_PERIOD_RULE;
}

export async function setPeriodRule(db: Kysely<Database>, rule: PeriodRule): Promise<void> {
	if (!isValidRule(rule)) throw new Error('period days must be whole numbers from 1 to 28');
	await putSetting(db, 'periodRule', rule);
}

/** A random 32-byte base64 secret kept under `key`, made on first use (two racing starts agree). */
async function deploymentSecret(db: Kysely<Database>, key: string): Promise<string> {
	const existing = await getSetting<string>(db, key);
	if (existing) return existing;
	const secret = randomBytes(32).toString('base64');
	await db
		.insertInto('settings')
		.values({ key, value: JSON.stringify(secret) })
		.onConflict((oc) => oc.column('key').doNothing())
		.execute();
	return (await getSetting<string>(db, key)) ?? secret;
}

/**
 * The key that signs members' badges (HMAC). It never leaves the server, not even to tablets:
 * whoever holds it can print a badge for anyone. (The server holds no resident key: tablets make
 * their own.)
 */
export async function badgeSecret(db: Kysely<Database>): Promise<string> {
	return deploymentSecret(db, 'badgeSecret');
}
