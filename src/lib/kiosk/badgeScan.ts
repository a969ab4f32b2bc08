// A member's badge held to the check-in camera. The tablet has no key to check the signature, so
// its roster decides (domain/badge.ts says why that is enough: the PIN still unlocks).
import { checkBadgeOnRoster, type BadgeClaim, type BadgeRefusal } from '$lib/domain/badge';
import type { KioskDb, MemberRow } from './db';
import { currentTeam } from './team';

/** bad_badge: a Trạm Số badge QR that does not read (damaged, or a format this app predates). */
export type BadgeScanRefusal = BadgeRefusal | 'bad_badge';

export type BadgeScan = { ok: true; member: MemberRow } | { ok: false; reason: BadgeRefusal };

export async function checkBadge(db: KioskDb, badge: BadgeClaim): Promise<BadgeScan> {
	const [team, member] = await Promise.all([currentTeam(db), db.members.get(badge.memberId)]);
	const verdict = checkBadgeOnRoster(badge, { teamId: team.id, demo: team.demo, member });
	if (!verdict.ok) return verdict;
	return member ? { ok: true, member } : { ok: false, reason: 'unknown_member' };
}
