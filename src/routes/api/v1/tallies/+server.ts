// A tablet uploads one closed session's tally. Exactly once per session UUID: the answer says
// whether it was stored, replaced an older version, or changed nothing.
import { json } from '@sveltejs/kit';
import { UNASSIGNED_MEMBER, type TallyUploadResult } from '$lib/domain/api';
import { tallyDateProblem, validateAnySessionTally } from '$lib/domain/tallySchema';
import { ApiError, handleApi, MAX_TALLY_BODY_BYTES, readJson } from '$lib/server/api';
import { serverContext } from '$lib/server/context';
import { requireDevice } from '$lib/server/deviceAuth';
import { markUpload } from '$lib/server/devices';
import { periodRuleSetting } from '$lib/server/settings';
import { knownSkillCodes } from '$lib/server/skills';
import { SessionOwnedElsewhereError, storeTally } from '$lib/server/tallies';
import { cachedFor } from '$lib/server/ttlCache';
import type { RequestHandler } from './$types';

const SETTINGS_TTL_MS = 10_000;

/**
 * The first id not in the (cached) set, confirmed against a fresh read before it counts: a
 * refusal is final on the tablet, so a skill or member added seconds ago must not be refused.
 */
async function firstUnknown(key: string, load: () => Promise<Set<string>>, ids: string[]): Promise<string | undefined> {
	const cached = await cachedFor(key, SETTINGS_TTL_MS, load);
	if (ids.every((id) => cached.has(id))) return undefined;
	const fresh = await load();
	return ids.find((id) => !fresh.has(id));
}

export const POST: RequestHandler = ({ request }) =>
	handleApi(async () => {
		const { db } = await serverContext();
		const now = new Date();
		const device = await requireDevice(db, request, now);
		const checked = validateAnySessionTally(await readJson(request, MAX_TALLY_BODY_BYTES));
		if (!checked.ok) throw new ApiError(422, 'invalid_tally', checked.message, checked.field);
		const tally = checked.tally;
		if (tally.teamId !== device.team_id) {
			throw new ApiError(403, 'wrong_team', 'This tablet may only upload tallies of its own team.', 'teamId');
		}
		const team = await db.selectFrom('teams').select('established_on').where('id', '=', device.team_id).executeTakeFirst();
		const dateProblem = team ? tallyDateProblem(tally.date, { establishedOn: team.established_on, now }) : null;
		if (dateProblem) throw new ApiError(422, 'invalid_tally', dateProblem, 'date');
		const unknownSkill = await firstUnknown(
			'skillCodes',
			() => knownSkillCodes(db),
			Object.keys(tally.assistsBySkill)
		);
		if (unknownSkill) throw new ApiError(422, 'unknown_skill', `Unknown skill code "${unknownSkill}".`, `assistsBySkill.${unknownSkill}`);
		const unknownMember = await firstUnknown(
			`roster:${device.team_id}`,
			async () => new Set((await db.selectFrom('members').select('id').where('team_id', '=', device.team_id).execute()).map((m) => m.id)),
			[...Object.keys(tally.assistsByMember), ...tally.membersPresent].filter((id) => id !== UNASSIGNED_MEMBER)
		);
		if (unknownMember) {
			throw new ApiError(422, 'unknown_member', `Member "${unknownMember}" is not on this team's roster.`, 'assistsByMember');
		}

		let result: TallyUploadResult;
		try {
			result = await storeTally(db, { tally, deviceId: device.id, rule: await cachedFor('periodRule', SETTINGS_TTL_MS, () => periodRuleSetting(db)), now, actor: `device:${device.id}` });
		} catch (e) {
			if (e instanceof SessionOwnedElsewhereError) throw new ApiError(409, 'session_conflict', e.message, 'sessionId');
			throw e;
		}
		await markUpload(db, device.id, now);
		return json({ result, sessionId: tally.sessionId, version: tally.version }, { status: result === 'stored' ? 201 : 200 });
	});
