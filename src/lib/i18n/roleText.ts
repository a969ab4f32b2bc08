// A team role in words: the one function the kiosk and the admin pages both use.
import { m } from '$lib/paraglide/messages.js';
import type { TeamRole } from '$lib/domain/teamRules';

export function roleText(role: TeamRole): string {
	return { leader: m.role_leader, deputy: m.role_deputy, member: m.role_member, collaborator: m.role_collaborator }[role]();
}
