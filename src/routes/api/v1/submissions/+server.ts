// A tablet sends its team's monthly submission (issue 13): stored exactly once; the answer says
// whether it was stored, replaced the team's earlier one or changed nothing, where the team's
// report stands and which named sessions the server still waits for.
import { json } from '@sveltejs/kit';
import { ApiError, handleApi, MAX_TALLY_BODY_BYTES, readJson } from '$lib/server/api';
import { serverContext } from '$lib/server/context';
import { requireDevice } from '$lib/server/deviceAuth';
import { InputError } from '$lib/server/inputError';
import { periodRuleSetting } from '$lib/server/settings';
import { receivePeriodSubmission } from '$lib/server/submissions';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ request }) =>
	handleApi(async () => {
		const { db } = await serverContext();
		const now = new Date();
		const device = await requireDevice(db, request, now);
		const body = await readJson(request, MAX_TALLY_BODY_BYTES);
		try {
			const answer = await receivePeriodSubmission(db, { body, device, rule: await periodRuleSetting(db), now });
			return json(answer, { status: answer.result === 'stored' ? 201 : 200 });
		} catch (e) {
			if (!(e instanceof InputError)) throw e;
			const status = e.code === 'wrongTeam' ? 403 : e.code === 'idReused' ? 409 : 422;
			throw new ApiError(status, e.code === 'wrongTeam' ? 'wrong_team' : `submission_${e.code}`, e.message, e.field ?? undefined);
		}
	});
