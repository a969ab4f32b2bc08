// Names people type (units, teams, members, users, activities, device labels, residents without a
// card): one line, NFC, and something a person can see and that reads the same in every list.
// Pure; the server and the tablet both check names here.

/** Units, teams, members, users. */
export const MAX_NAME_LENGTH = 120;

export type NameProblem = 'missing' | 'tooLong' | 'noVisibleLetter' | 'directionControl' | 'hiddenCharacter' | 'brokenCharacter';

export type CheckedName = { ok: true; name: string } | { ok: false; problem: NameProblem };

/** Marks that reorder text on screen: "Thôn \u202egnaoH" shows as "Thôn Hoang". */
const DIRECTION_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/**
 * Invisible format characters (zero-width space, word joiner, BOM, soft hyphen, tag characters…),
 * private-use and unassigned code points. The joiners ZWNJ/ZWJ stay: emoji and some scripts need
 * them and they hide nothing on their own (a name still needs a visible letter).
 */
const HIDDEN_CHARACTER = /(?![\u200c\u200d])[\p{Cf}\p{Co}\p{Cn}\p{Cc}]/u;
/** U+FFFD stands for bytes that were not text, a lone surrogate for half a character. */
const BROKEN_CHARACTER = /\ufffd|\p{Cs}/u;
/** Letters that draw nothing: the Hangul fillers. */
const BLANK_LETTER = /[\u115f\u1160\u3164\uffa0]/gu;
const VISIBLE_LETTER = /[\p{L}\p{N}]/u;

/** NFC, trimmed, inner whitespace collapsed; or why the name cannot be saved. */
export function checkName(raw: unknown, max: number = MAX_NAME_LENGTH): CheckedName {
	if (typeof raw !== 'string') return { ok: false, problem: 'missing' };
	// Before normalising: NFC would keep a lone surrogate, but check it on the text as typed.
	if (BROKEN_CHARACTER.test(raw)) return { ok: false, problem: 'brokenCharacter' };
	const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
	if (name.length === 0) return { ok: false, problem: 'missing' };
	if (DIRECTION_CONTROL.test(name)) return { ok: false, problem: 'directionControl' };
	if (HIDDEN_CHARACTER.test(name)) return { ok: false, problem: 'hiddenCharacter' };
	if (!VISIBLE_LETTER.test(name.replace(BLANK_LETTER, ''))) return { ok: false, problem: 'noVisibleLetter' };
	if ([...name].length > max) return { ok: false, problem: 'tooLong' };
	return { ok: true, name };
}

/** NFC, trimmed, inner whitespace collapsed; null when empty, too long or holding control characters. For text that is not a name (codes, notes). */
export function cleanText(raw: unknown, max: number): string | null {
	if (typeof raw !== 'string') return null;
	const text = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
	if (text.length === 0 || [...text].length > max || /[\u0000-\u001f\u007f]/.test(text)) return null;
	return text;
}
