// Who may see and change what on the server: admin everything; a commune officer their commune
// and its villages; a team leader their own team.
import { error, redirect } from '@sveltejs/kit';
import { accessRefusalText, type AccessRefusal } from '$lib/i18n/accessText';
import type { User } from './db/schema';
import type { OrgTree } from './orgTree';

export const SESSION_COOKIE = 'tramso_session';

export function requireUser(user: User | null, pathname = '/admin'): User {
	if (!user) redirect(303, `/admin/login?next=${encodeURIComponent(pathname)}`);
	return user;
}

/**
 * Stops the request with a code the admin error page words in the reader's language; the message
 * (Vietnamese, the server's language) is what a download or a JSON client reads.
 */
export function refuse(status: 401 | 403 | 404, code: AccessRefusal): never {
	error(status, { code, message: accessRefusalText(code) });
}

export function requireAdmin(user: User | null): User {
	const u = requireUser(user);
	if (u.role !== 'admin') refuse(403, 'adminOnly');
	return u;
}

/** Units whose reports the user may read (ids), or 'all'. */
export function visibleUnitIds(user: User, tree: OrgTree, teamUnitId?: (teamId: string) => string | undefined): 'all' | Set<string> {
	if (user.role === 'admin') return 'all';
	if (user.role === 'officer' && user.unit_id) return new Set(tree.descendantIds(user.unit_id));
	if (user.role === 'leader' && user.team_id) {
		const unit = teamUnitId?.(user.team_id);
		return new Set(unit ? [unit] : []);
	}
	return new Set();
}

export function canSeeUnit(user: User, unitId: string, tree: OrgTree, teamUnitId?: (teamId: string) => string | undefined): boolean {
	const visible = visibleUnitIds(user, tree, teamUnitId);
	return visible === 'all' || visible.has(unitId);
}

/** The unit a user's reports open on. */
export function homeUnitId(user: User, tree: OrgTree, teamUnitId?: (teamId: string) => string | undefined): string | undefined {
	if (user.role === 'officer' && user.unit_id) return user.unit_id;
	if (user.role === 'leader' && user.team_id) return teamUnitId?.(user.team_id);
	return tree.roots()[0]?.id;
}
