// A tablet enrols with a one-time code from an officer and gets its token and team configuration.
import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import { EnrolRequestSchema, type EnrolResponse } from '$lib/domain/api';
import { ApiError, handleApi, readJson } from '$lib/server/api';
import { serverContext } from '$lib/server/context';
import { enrollDevice } from '$lib/server/devices';
import { InputError } from '$lib/server/inputError';
import { tabletConfig } from '$lib/server/tabletConfig';
import type { RequestHandler } from './$types';

const REASONS = {
	unknown: [404, 'enrolment_code_unknown', 'This enrolment code does not exist. Check it with the officer.'],
	used: [409, 'enrolment_code_used', 'This enrolment code was already used. Ask the officer for a new one.'],
	expired: [410, 'enrolment_code_expired', 'This enrolment code has expired. Ask the officer for a new one.']
} as const;

export const POST: RequestHandler = ({ request, getClientAddress }) =>
	handleApi(async () => {
		const ctx = await serverContext();
		const now = new Date();
		if (!(await ctx.enrolLimiter.hit(getClientAddress(), now.getTime())).allowed) {
			throw new ApiError(429, 'too_many_attempts', 'Too many enrolment attempts. Wait a minute and try again.');
		}
		const parsed = v.safeParse(EnrolRequestSchema, await readJson(request, 4096));
		if (!parsed.success) {
			const issue = parsed.issues[0];
			throw new ApiError(422, 'invalid_body', issue?.message ?? 'invalid body', (issue && v.getDotPath(issue)) || '(root)');
		}
		const result = await enrollDevice(ctx.db, { code: parsed.output.code, label: parsed.output.label, now }).catch((e: unknown) => {
			throw e instanceof InputError ? new ApiError(422, 'invalid_body', e.message, e.field ?? '(root)') : e;
		});
		if (!result.ok) {
			const [status, code, message] = REASONS[result.reason];
			throw new ApiError(status, code, message);
		}
		const body: EnrolResponse = {
			deviceId: result.deviceId,
			token: result.token,
			server: { name: process.env.SERVER_NAME ?? 'Trạm Số' },
			...(await tabletConfig(ctx.db, result.teamId))
		};
		return json(body, { status: 201 });
	});
