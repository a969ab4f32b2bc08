// One uploaded tally, checked and stored for the tablet that sent it: the single upload route and
// the batch route (a week's backlog in one request) take this one path. A refusal is an ApiError
// with the field at fault; a refusal is final on the tablet, so it is never made on stale data.
import { UNASSIGNED_MEMBER, type BatchItemResult, type TallyUploadResult } from '$lib/domain/api';
import { tallyDateProblem, validateAnySessionTally } from '$lib/domain/tallySchema';
import type { AnySessionTally } from '$lib/domain/tally';
import type { Kysely } from 'kysely';
import { ApiError } from './api';
import { requireDeviceBy } from './deviceAuth';
import { admitDevice, deviceByToken } from './devices';
import type { Database, Device } from './db/schema';
import type { PeriodRule } from '$lib/domain/period';
import { PERIOD_RULE_KEY, periodRuleFrom } from './settings';
import { knownSkillCodes } from './skills';
import { SessionOwnedElsewhereError, storeTallies, storeTally } from './tallies';
import { cachedFor } from './ttlCache';

const SETTINGS_TTL_MS = 10_000;

/**
 * The first id not in the (cached) set, confirmed against a fresh read before it counts: a skill or
 * member added seconds ago (or by another server process) must not be refused.
 */
async function firstUnknown(key: string, load: () => Promise<Set<string>>, ids: string[]): Promise<string | undefined> {
	const cached = await cachedFor(key, SETTINGS_TTL_MS, load);
	if (ids.every((id) => cached.has(id))) return undefined;
	const fresh = await load();
	return ids.find((id) => !fresh.has(id));
}

export interface Ingested {
	tally: AnySessionTally;
	result: TallyUploadResult;
}

/** What checking a tally reads once per request: the team's establishment date. */
type TeamFacts = { establishedOn: string } | null;

/**
 * What a request's tallies are checked and filed with, read fresh: the team's establishment date
 * and the period rule. The rule is never cached: an admin's change files every stored tally again,
 * and a tally filed under a rule cached a moment before would miss that.
 */
export interface IngestFacts {
	team: TeamFacts;
	rule: PeriodRule;
}

type FactsRow = { established_on: string | null; period_rule: string | null };

const factsOf = (row: FactsRow): IngestFacts => ({ team: row.established_on ? { establishedOn: row.established_on } : null, rule: periodRuleFrom(row.period_rule) });

/** IngestFacts of a team, in one query (an officer's QR collect; tablets get them with their token). */
async function ingestFacts(db: Kysely<Database>, teamId: string): Promise<IngestFacts> {
	const row = await db
		.selectNoFrom((eb) => [
			eb.selectFrom('teams').select('established_on').where('id', '=', teamId).as('established_on'),
			eb.selectFrom('settings').select('value').where('key', '=', PERIOD_RULE_KEY).as('period_rule')
		])
		.executeTakeFirstOrThrow();
	return factsOf(row);
}

/**
 * The uploading tablet (requireDevice's checks and refusals) and its IngestFacts, in one round
 * trip with the token's lookup. Each query costs CPU in the server (driver, protocol) and in the
 * database, and CPU bounds single uploads (npm run bench): a new session is two queries, this one
 * and storeTally's one statement.
 */
export async function requireUploader(db: Kysely<Database>, request: Request, now: Date): Promise<{ device: Device; facts: IngestFacts }> {
	const row = await requireDeviceBy(request, async (token) =>
		admitDevice(
			db,
			await deviceByToken(db, token)
				.select((eb) => [
					eb.selectFrom('teams').select('established_on').whereRef('teams.id', '=', 'devices.team_id').as('established_on'),
					eb.selectFrom('settings').select('value').where('key', '=', PERIOD_RULE_KEY).as('period_rule')
				])
				.executeTakeFirst(),
			now
		)
	);
	const { established_on, period_rule, ...device } = row;
	return { device, facts: factsOf({ established_on, period_rule }) };
}

/** Checks `raw` as a tally (schema 1 or 2) of the device's own team; throws ApiError (422, 403). Writes nothing. */
async function checkTally(db: Kysely<Database>, device: Pick<Device, 'id' | 'team_id'>, raw: unknown, now: Date, team: TeamFacts): Promise<AnySessionTally> {
	const checked = validateAnySessionTally(raw);
	if (!checked.ok) throw new ApiError(422, 'invalid_tally', checked.message, checked.field);
	const tally = checked.tally;
	if (tally.teamId !== device.team_id) throw new ApiError(403, 'wrong_team', 'This tablet may only upload tallies of its own team.', 'teamId');
	const dateProblem = team ? tallyDateProblem(tally.date, { establishedOn: team.establishedOn, now }) : null;
	if (dateProblem) throw new ApiError(422, 'invalid_tally', dateProblem, 'date');
	const unknownSkill = await firstUnknown('skillCodes', () => knownSkillCodes(db), Object.keys(tally.assistsBySkill));
	if (unknownSkill) throw new ApiError(422, 'unknown_skill', `Unknown skill code "${unknownSkill}".`, `assistsBySkill.${unknownSkill}`);
	const unknownMember = await firstUnknown(
		`roster:${device.team_id}`,
		async () => new Set((await db.selectFrom('members').select('id').where('team_id', '=', device.team_id).execute()).map((m) => m.id)),
		[...Object.keys(tally.assistsByMember), ...tally.membersPresent].filter((id) => id !== UNASSIGNED_MEMBER)
	);
	if (unknownMember) throw new ApiError(422, 'unknown_member', `Member "${unknownMember}" is not on this team's roster.`, 'assistsByMember');
	return tally;
}

export interface IngestOptions {
	/** Who brought the tallies when that was not the tablet (an officer's QR scan); audited. */
	actor?: string;
	/** The facts when already read with the token (requireUploader); else read here. */
	facts?: IngestFacts;
}

const conflict = (e: SessionOwnedElsewhereError) => new ApiError(409, 'session_conflict', e.message, 'sessionId');

/**
 * Checks `raw` as a tally (schema 1 or 2) of the device's own team and stores it; throws ApiError
 * (422, 403, 409).
 */
export async function ingestTally(
	db: Kysely<Database>,
	device: Pick<Device, 'id' | 'team_id'>,
	raw: unknown,
	now: Date,
	{ actor = `device:${device.id}`, facts }: IngestOptions = {}
): Promise<Ingested> {
	const { team, rule } = facts ?? (await ingestFacts(db, device.team_id));
	const tally = await checkTally(db, device, raw, now, team);
	try {
		const result = await storeTally(db, { tally, deviceId: device.id, rule, now, actor });
		return { tally, result };
	} catch (e) {
		if (e instanceof SessionOwnedElsewhereError) throw conflict(e);
		throw e;
	}
}

/**
 * A batch of `raws`, each checked and stored exactly as ingestTally does, in order (the same
 * session twice is stored, then unchanged); one result per item, an item's refusal (ApiError) in
 * its place. The team and the period rule are read once for the batch, fresh (IngestFacts), and
 * the tallies are stored together (storeTallies: on SQLite one commit for the batch).
 */
export async function ingestTallies(
	db: Kysely<Database>,
	device: Pick<Device, 'id' | 'team_id'>,
	raws: readonly unknown[],
	now: Date,
	{ actor = `device:${device.id}`, facts }: IngestOptions = {}
): Promise<(Ingested | ApiError)[]> {
	const { team, rule } = facts ?? (await ingestFacts(db, device.team_id));
	const checked: (AnySessionTally | ApiError)[] = [];
	for (const raw of raws) {
		try {
			checked.push(await checkTally(db, device, raw, now, team));
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			checked.push(e);
		}
	}
	const tallies = checked.filter((c): c is AnySessionTally => !(c instanceof ApiError));
	if (tallies.length === 0) return checked as ApiError[];
	const stored = await storeTallies(
		db,
		tallies.map((tally) => ({ tally, deviceId: device.id, rule, now, actor }))
	);
	let next = 0;
	return checked.map((c) => {
		if (c instanceof ApiError) return c;
		const result = stored[next++]!;
		return result instanceof SessionOwnedElsewhereError ? conflict(result) : { tally: c, result };
	});
}

const sessionIdOf = (item: unknown) =>
	typeof item === 'object' && item !== null && typeof (item as { sessionId?: unknown }).sessionId === 'string' ? (item as { sessionId: string }).sessionId.slice(0, 64) : null;

/**
 * ingestTallies' outcomes as the API answers them (a batch upload, or the codes an officer
 * scanned): one per item, in order, the item's refusal in its place.
 */
export async function ingestEach(db: Kysely<Database>, device: Pick<Device, 'id' | 'team_id'>, raws: readonly unknown[], now: Date, options: IngestOptions = {}): Promise<BatchItemResult[]> {
	return (await ingestTallies(db, device, raws, now, options)).map((outcome, i) =>
		outcome instanceof ApiError
			? { sessionId: sessionIdOf(raws[i]), status: outcome.status, error: { code: outcome.code, message: outcome.message, ...(outcome.field ? { field: outcome.field } : {}) } }
			: { sessionId: outcome.tally.sessionId, version: outcome.tally.version, result: outcome.result }
	);
}
