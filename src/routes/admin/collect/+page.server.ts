// Collect a tablet's tallies from its QR codes (issue 15 §2). The page scans; each whole message
// (its parts joined) comes to the `collect` action, which checks the signature and the officer's
// reach and stores the tallies as uploads (server/tallyQr.ts).
import { fail } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth';
import { serverContext } from '$lib/server/context';
import { collectTallyMessage } from '$lib/server/tallyQr';
import type { Actions, PageServerLoad } from './$types';

/** 25 tallies in base45 take ~5,000 characters; far more is not a tablet's message. */
const MAX_MESSAGE_CHARS = 60_000;

export const load: PageServerLoad = ({ locals, url }) => {
	requireUser(locals.user, url.pathname);
	return {};
};

export const actions: Actions = {
	collect: async ({ locals, request, url }) => {
		const user = requireUser(locals.user, url.pathname);
		const message = (await request.formData()).get('message');
		if (typeof message !== 'string' || message.length === 0 || message.length > MAX_MESSAGE_CHARS) return fail(400, { collected: { ok: false as const, refusal: 'malformed' as const } });
		const { db } = await serverContext();
		return { collected: await collectTallyMessage(db, { user, message, now: new Date() }) };
	}
};
