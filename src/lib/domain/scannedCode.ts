// Decides what a QR held up to the kiosk camera is: a CCCD, a resident pass, or something else.
import { parseCccdQr, type CccdCard, type CccdRejection } from './cccd';
import { looksLikeResidentPass, parseResidentPass } from './residentPass';

export type ScannedCode =
	| { kind: 'cccd'; card: CccdCard }
	| { kind: 'residentPass'; passId: string }
	| { kind: 'rejected'; reason: CccdRejection | 'bad_resident_pass' };

export function classifyScannedCode(raw: string): ScannedCode {
	if (looksLikeResidentPass(raw)) {
		const passId = parseResidentPass(raw);
		return passId ? { kind: 'residentPass', passId } : { kind: 'rejected', reason: 'bad_resident_pass' };
	}
	const parsed = parseCccdQr(raw);
	return parsed.ok ? { kind: 'cccd', card: parsed.card } : { kind: 'rejected', reason: parsed.reason };
}
