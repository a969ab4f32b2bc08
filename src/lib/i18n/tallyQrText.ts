// The officer's words for what came of a scanned tally message (/admin/collect).
import { m } from '$lib/paraglide/messages.js';
import { formatDateVi } from '$lib/domain/period';
import type { CollectedSession, CollectRefusal, CollectResult } from '$lib/domain/tallyQr';
import type { ScanNotice } from '$lib/admin/tallyCollector.svelte';

export function refusalText(result: Extract<CollectResult, { ok: false }>): string {
	const device = result.deviceLabel ?? '';
	const team = result.teamName ?? '';
	const texts: Record<CollectRefusal, () => string> = {
		malformed: () => m.tqr_refused_malformed(),
		unknown_tablet: () => m.tqr_refused_unknown_tablet(),
		no_key: () => m.tqr_refused_no_key({ device, team }),
		forged: () => m.tqr_refused_forged({ device, team }),
		revoked: () => m.tqr_refused_revoked({ device, team, date: result.revokedAt ? formatDateVi(result.revokedAt.slice(0, 10)) : '' }),
		out_of_reach: () => m.tqr_refused_out_of_reach({ device, team }),
		archived: () => m.tqr_refused_archived({ team })
	};
	return texts[result.refusal]();
}

export function sessionResultText(session: CollectedSession): string {
	if (session.error) return m.tqr_session_refused({ reason: session.error.message });
	return { stored: m.tqr_session_stored, replaced: m.tqr_session_replaced, unchanged: m.tqr_session_unchanged }[session.result as 'stored' | 'replaced' | 'unchanged']?.() ?? String(session.result);
}

export function scanNoticeText(notice: ScanNotice, kept: number): string {
	return {
		'not-tally': () => m.tqr_notice_not_tally(),
		malformed: () => m.tqr_notice_malformed(),
		already: () => m.tqr_notice_already(),
		kept: () => m.tqr_notice_kept({ count: kept }),
		'signed-out': () => m.tqr_notice_signed_out({ count: kept })
	}[notice]();
}
