// Server settings kept in the database: the reporting period rule and the deployment secrets.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEFAULT_PERIOD_RULE, isValidRule, periodOf, type PeriodRule } from '$lib/domain/period';
import { recordAudit } from './audit';
import type { Database } from './db/schema';
import { InputError } from './inputError';
import { rebuildPeriodTotals } from './periodTotals';

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

/** The settings key of the period rule (read alone below, or with other facts in one query). */
export const PERIOD_RULE_KEY = 'periodRule';

/** The rule its stored JSON holds; the default when none is stored or it is not valid. */
export function periodRuleFrom(stored: string | null | undefined): PeriodRule {
	const rule = stored ? (JSON.parse(stored) as PeriodRule) : undefined;
	return rule && isValidRule(rule) ? rule : DEFAULT_PERIOD_RULE;
}

export async function periodRuleSetting(db: Kysely<Database>): Promise<PeriodRule> {
	const row = await db.selectFrom('settings').select('value').where('key', '=', PERIOD_RULE_KEY).executeTakeFirst();
	return periodRuleFrom(row?.value);
}

export async function setPeriodRule(db: Kysely<Database>, rule: PeriodRule): Promise<void> {
	if (!isValidRule(rule)) throw new Error('period days must be whole numbers from 1 to 28');
	await putSetting(db, PERIOD_RULE_KEY, rule);
}

export interface PeriodRuleChange {
	from: PeriodRule;
	to: PeriodRule;
	/** Sessions and activities whose period changed under the new rule. */
	sessionsMoved: number;
	activitiesMoved: number;
}

/**
 * The province sets its own reporting period (Decree 09/2019 art. 8(5) leaves the closing date to
 * the agency that sets the report): the rule, and every stored session and activity filed again
 * under it, in one transaction, audited. Tablets take the rule with their next config.
 */
export async function changePeriodRule(db: Kysely<Database>, input: { rule: PeriodRule; actor: string; now: Date }): Promise<PeriodRuleChange> {
	const { rule } = input;
	if (!isValidRule(rule)) throw new InputError(Number.isInteger(rule.startDay) && rule.startDay >= 1 && rule.startDay <= 28 ? 'deadlineDay' : 'startDay', 'dayOutOfRange', 'period days are whole numbers from 1 to 28');
	return db.transaction().execute(async (trx) => {
		const from = await periodRuleSetting(trx);
		await putSetting(trx, 'periodRule', rule);
		// One update per day that changes period: a province's history has a few thousand days at most.
		const refile = async (days: { day: string; period: string }[], move: (day: string, from: string, to: string) => Promise<{ numUpdatedRows: bigint }>) => {
			let moved = 0;
			for (const { day, period } of days) {
				const next = periodOf(day, rule);
				if (next !== period) moved += Number((await move(day, period, next)).numUpdatedRows);
			}
			return moved;
		};
		const sessionsMoved = await refile(
			await trx.selectFrom('session_tallies').select(['session_date as day', 'period']).distinct().execute(),
			(day, from, to) => trx.updateTable('session_tallies').set({ period: to }).where('session_date', '=', day).where('period', '=', from).executeTakeFirst()
		);
		// The period sums follow the sessions they add up.
		if (sessionsMoved > 0) await rebuildPeriodTotals(trx);
		const activitiesMoved = await refile(
			await trx.selectFrom('activities').select(['activity_date as day', 'period']).distinct().execute(),
			(day, from, to) => trx.updateTable('activities').set({ period: to }).where('activity_date', '=', day).where('period', '=', from).executeTakeFirst()
		);
		const change = { from, to: rule, sessionsMoved, activitiesMoved };
		await recordAudit(trx, { actor: input.actor, action: 'settings.periodRule', subject: null, detail: { ...change }, now: input.now });
		return change;
	});
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
