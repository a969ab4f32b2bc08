// One uploaded tally, checked and stored for the tablet that sent it: the single upload route and
// the batch route (a week's backlog in one request) take this one path. A refusal is an ApiError
// with the field at fault; a refusal is final on the tablet, so it is never made on stale data.
import { UNASSIGNED_MEMBER, type BatchItemResult, type TallyUploadResult } from '$lib/domain/api';
import { tallyDateProblem, validateAnySessionTally } from '$lib/domain/tallySchema';
import type { AnySessionTally } from '$lib/domain/tally';
import type { Kysely } from 'kysely';
import { ApiError } from './api';
import type { Database, Device } from './db/schema';
import { periodRuleSetting } from './settings';
import { knownSkillCodes } from './skills';
import { SessionOwnedElsewhereError, storeTally } from './tallies';
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

/**
 * Checks `raw` as a tally (schema 1 or 2) of the device's own team and stores it; throws ApiError
 * (422, 403, 409). `actor` names who brought it when that was not the tablet (an officer's QR scan).
 */
export async function ingestTally(
	db: Kysely<Database>,
	device: Pick<Device, 'id' | 'team_id'>,
	raw: unknown,
	now: Date,
	actor = `device:${device.id}`
): Promise<Ingested> {
	const checked = validateAnySessionTally(raw);
	if (!checked.ok) throw new ApiError(422, 'invalid_tally', checked.message, checked.field);
	const tally = checked.tally;
	if (tally.teamId !== device.team_id) throw new ApiError(403, 'wrong_team', 'This tablet may only upload tallies of its own team.', 'teamId');
	const team = await db.selectFrom('teams').select('established_on').where('id', '=', device.team_id).executeTakeFirst();
	const dateProblem = team ? tallyDateProblem(tally.date, { establishedOn: team.established_on, now }) : null;
	if (dateProblem) throw new ApiError(422, 'invalid_tally', dateProblem, 'date');
	const unknownSkill = await firstUnknown('skillCodes', () => knownSkillCodes(db), Object.keys(tally.assistsBySkill));
	if (unknownSkill) throw new ApiError(422, 'unknown_skill', `Unknown skill code "${unknownSkill}".`, `assistsBySkill.${unknownSkill}`);
	const unknownMember = await firstUnknown(
		`roster:${device.team_id}`,
		async () => new Set((await db.selectFrom('members').select('id').where('team_id', '=', device.team_id).execute()).map((m) => m.id)),
		[...Object.keys(tally.assistsByMember), ...tally.membersPresent].filter((id) => id !== UNASSIGNED_MEMBER)
	);
	if (unknownMember) throw new ApiError(422, 'unknown_member', `Member "${unknownMember}" is not on this team's roster.`, 'assistsByMember');
	try {
		// The period rule is read fresh: an admin's change (settings page) files every stored tally
		// again, and a tally filed under a rule cached a moment before would miss that.
		const result = await storeTally(db, { tally, deviceId: device.id, rule: await periodRuleSetting(db), now, actor });
		return { tally, result };
	} catch (e) {
		if (e instanceof SessionOwnedElsewhereError) throw new ApiError(409, 'session_conflict', e.message, 'sessionId');
		throw e;
	}
}

const sessionIdOf = (item: unknown) =>
	typeof item === 'object' && item !== null && typeof (item as { sessionId?: unknown }).sessionId === 'string' ? (item as { sessionId: string }).sessionId.slice(0, 64) : null;

/**
 * Several tallies of one tablet (a batch upload, or the codes an officer scanned), one result per
 * item, in order and one after another: the same session twice is stored, then unchanged. A bad
 * item refuses only itself.
 */
export async function ingestEach(db: Kysely<Database>, device: Pick<Device, 'id' | 'team_id'>, items: readonly unknown[], now: Date, actor?: string): Promise<BatchItemResult[]> {
	const results: BatchItemResult[] = [];
	for (const item of items) {
		try {
			const { tally, result } = await ingestTally(db, device, item, now, actor);
			results.push({ sessionId: tally.sessionId, version: tally.version, result });
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			results.push({ sessionId: sessionIdOf(item), status: e.status, error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } });
		}
	}
	return results;
}
