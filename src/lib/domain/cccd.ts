// Parses the QR printed on a chip-based citizen ID card (CCCD). Every field is untrusted:
// the result is either a card or a reason the screen can say, never an exception.
import { normaliseName, type Gender, MAX_NAME_LENGTH } from './resident';

export interface CccdCard {
	/** 12-digit personal identification number. Keep it only as a keyed hash. */
	idNumber: string;
	fullName: string;
	birthYear: number;
	gender: Gender;
}

export type CccdRejection =
	| 'empty'
	| 'url'
	| 'payment'
	| 'not_cccd'
	| 'bad_id_number'
	| 'bad_name'
	| 'bad_birth_date'
	| 'bad_gender';

export type CccdParseResult = { ok: true; card: CccdCard } | { ok: false; reason: CccdRejection };

const MAX_QR_LENGTH = 1000;

/** True for a dd mm yyyy date that exists in the calendar, in years 1900..2100. */
export function parseDdMmYyyy(text: string): { day: number; month: number; year: number } | null {
	if (!/^\d{8}$/.test(text)) return null;
	const day = Number(text.slice(0, 2));
	const month = Number(text.slice(2, 4));
	const year = Number(text.slice(4, 8));
	if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	return day <= daysInMonth ? { day, month, year } : null;
}

function parseGender(text: string): Gender | null {
	const g = text.normalize('NFC').trim().toLowerCase();
	if (g === 'nam' || g === 'male') return 'male';
	if (g === 'nữ' || g === 'nu' || g === 'female') return 'female';
	return null;
}

/** Guesses what a non-CCCD QR is, so the message can say "that is a link" or "that is a bank QR". */
function classifyForeign(text: string): CccdRejection {
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^www\./i.test(text)) return 'url';
	// VietQR / EMVCo merchant QR: starts with payload format indicator "000201".
	if (/^000201/.test(text)) return 'payment';
	return 'not_cccd';
}

/**
 * Accepts `id|oldId|name|ddmmyyyy|gender|address|issueDate` and the variants seen on real cards:
 * empty old-ID field, missing trailing fields after gender, trailing separators, extra fields,
 * surrounding white space. The address and issue date are never read.
 */
export function parseCccdQr(raw: string): CccdParseResult {
	const text = raw.replace(/^\uFEFF/, '').trim();
	if (text.length === 0) return { ok: false, reason: 'empty' };
	if (text.length > MAX_QR_LENGTH || !text.includes('|')) return { ok: false, reason: classifyForeign(text) };

	const fields = text.split('|').map((f) => f.trim());
	const [id = '', , name = '', birth = '', gender = ''] = fields;
	if (fields.length < 5 || !/^\d+$/.test(id)) return { ok: false, reason: classifyForeign(text) };
	if (!/^\d{12}$/.test(id)) return { ok: false, reason: 'bad_id_number' };

	const fullName = normaliseName(name);
	if (fullName.length === 0 || fullName.length > MAX_NAME_LENGTH || /[\d<>{}]/.test(fullName)) {
		return { ok: false, reason: 'bad_name' };
	}
	const birthDate = parseDdMmYyyy(birth);
	if (!birthDate) return { ok: false, reason: 'bad_birth_date' };
	const parsedGender = parseGender(gender);
	if (!parsedGender) return { ok: false, reason: 'bad_gender' };

	return { ok: true, card: { idNumber: id, fullName, birthYear: birthDate.year, gender: parsedGender } };
}
