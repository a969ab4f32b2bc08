// Why a page or download was refused (404/403/401), as a code the server sends and the words shown.
import { m } from '$lib/paraglide/messages.js';

const ACCESS_REFUSAL_TEXT = {
	teamNotFound: m.access_teamNotFound,
	teamOutOfReach: m.access_teamOutOfReach,
	unitNotFound: m.access_unitNotFound,
	unitOutOfReach: m.access_unitOutOfReach,
	adminOnly: m.access_adminOnly,
	adminOnlyTreeExport: m.access_adminOnlyTreeExport,
	adminOnlyAudit: m.access_adminOnlyAudit,
	leaderReadsCommendations: m.access_leaderReadsCommendations,
	signIn: m.access_signIn
} as const;

export type AccessRefusal = keyof typeof ACCESS_REFUSAL_TEXT;

export function isAccessRefusal(code: unknown): code is AccessRefusal {
	return typeof code === 'string' && Object.hasOwn(ACCESS_REFUSAL_TEXT, code);
}

export function accessRefusalText(code: AccessRefusal): string {
	return ACCESS_REFUSAL_TEXT[code]();
}
