// Decides what a QR held up to the kiosk camera is: a CCCD, a resident pass, a member's badge, or
// something else.
import { looksLikeBadge, parseBadge, type SignedBadge } from './badge';
import { parseCccdQr, type CccdCard, type CccdRejection } from './cccd';
import { looksLikeResidentPass, parseResidentPass } from './residentPass';

export type ScannedCode =
	| { kind: 'cccd'; card: CccdCard }
	| { kind: 'residentPass'; passId: string }
	| { kind: 'badge'; badge: SignedBadge }
	| { kind: 'rejected'; reason: CccdRejection | 'bad_resident_pass' | 'bad_badge' };

export function classifyScannedCode(raw: string): ScannedCode {
	if (looksLikeResidentPass(raw)) {
		const passId = parseResidentPass(raw);
		return passId ? { kind: 'residentPass', passId } : { kind: 'rejected', reason: 'bad_resident_pass' };
	}
	if (looksLikeBadge(raw)) {
		const parsed = parseBadge(raw);
		return parsed.ok ? { kind: 'badge', badge: parsed.badge } : { kind: 'rejected', reason: 'bad_badge' };
	}
	const parsed = parseCccdQr(raw);
	return parsed.ok ? { kind: 'cccd', card: parsed.card } : { kind: 'rejected', reason: parsed.reason };
}
