import { fail, redirect } from '@sveltejs/kit';
import { serverContext } from '$lib/server/context';
import { createSession, verifyLogin } from '$lib/server/users';
import { SESSION_COOKIE } from '$lib/server/auth';
import type { Actions } from './$types';

/** Only local paths: a crafted ?next= must not send an officer to another site. */
const safeNext = (next: string | null) => (next && /^\/admin(\/|$|\?)/.test(next) ? next : '/admin');

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '').trim().toLowerCase();
		const password = String(form.get('password') ?? '');
		const ctx = await serverContext();
		const now = new Date();
		const address = getClientAddress();
		// Per address across usernames (password spraying), then per username and address (one
		// account guessed at). The address counts only wrong passwords: its hit is taken back when
		// the name was locked anyway or the password was right, so an office's officers signing
		// in all morning do not lock each other out.
		if (!(await ctx.loginAddressLimiter.hit(address, now.getTime())).allowed) return fail(429, { username, error: 'rateLimited' as const });
		if (!(await ctx.loginLimiter.hit(`${username}|${address}`, now.getTime())).allowed) {
			await ctx.loginAddressLimiter.refund(address);
			return fail(429, { username, error: 'rateLimited' as const });
		}
		const user = await verifyLogin(ctx.db, username, password);
		if (!user) return fail(400, { username, error: 'failed' as const });
		await ctx.loginAddressLimiter.refund(address);
		await ctx.loginLimiter.reset(`${username}|${address}`);
		const session = await createSession(ctx.db, user.id, now);
		cookies.set(SESSION_COOKIE, session.token, {
			path: '/',
			httpOnly: true,
			sameSite: 'strict',
			secure: url.protocol === 'https:',
			expires: new Date(session.expiresAt)
		});
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
