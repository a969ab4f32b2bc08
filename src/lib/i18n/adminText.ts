// Server-side domain values to the words the admin pages show.
import { m } from '$lib/paraglide/messages.js';
import type { OrgUnitKind, UserRole } from '$lib/server/db/schema';
import type { RolloutPhase, TeamLevel } from '$lib/domain/teamRules';
import type { Refusal } from '$lib/server/inputError';

export function userRoleText(role: UserRole): string {
	return { admin: m.admin_role_admin, officer: m.admin_role_officer, leader: m.admin_role_leader }[role]();
}

export function unitKindText(kind: OrgUnitKind): string {
	return {
		province: m.kind_province,
		district: m.kind_district,
		commune: m.kind_commune,
		ward: m.kind_ward,
		town: m.kind_town,
		village: m.kind_village,
		residentialGroup: m.kind_residentialGroup
	}[kind]();
}

export function teamLevelText(level: TeamLevel): string {
	return level === 'commune' ? m.level_commune() : m.level_village();
}

export function phaseText(phase: RolloutPhase): string {
	return { pilot: m.phase_pilot, expansion: m.phase_expansion, districtWide: m.phase_districtWide }[phase]();
}

/** An ISO instant as Vietnamese date and time (dd/mm/yyyy hh:mm, Vietnam time). */
export function dateTimeVi(iso: string | null | undefined): string {
	if (!iso) return '';
	return new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false, dateStyle: 'short', timeStyle: 'short' });
}

const UNITS_REFUSAL_TEXT: Readonly<Record<string, () => string>> = {
	forbidden: m.access_units_forbidden,
	importAdminOnly: m.access_units_importAdminOnly,
	fileMissing: m.access_units_fileMissing,
	fileTooLarge: m.access_units_fileTooLarge,
	required: m.tree4_required,
	invalid: m.tree4_invalid
};

/** A refused change on the units page: the page's own codes in the reader's words, else the server's message. */
export function unitsRefusalText(error: Pick<Refusal, 'code' | 'message'>): string {
	return Object.hasOwn(UNITS_REFUSAL_TEXT, error.code) ? UNITS_REFUSAL_TEXT[error.code]!() : error.message;
}
