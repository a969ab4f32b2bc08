// Why the kiosk refused a member's badge, in words the member can act on.
import { m } from '$lib/paraglide/messages.js';
import type { BadgeScanRefusal } from '$lib/kiosk/badgeScan';

export function badgeRefusalText(reason: BadgeScanRefusal): string {
	return {
		demo_tablet: m.badge_refused_demo,
		other_team: m.badge_refused_other_team,
		unknown_member: m.badge_refused_unknown,
		member_left: m.badge_refused_left,
		old_card: m.badge_refused_old,
		not_synced: m.badge_refused_not_synced,
		bad_badge: m.badge_refused_malformed
	}[reason]();
}
