// Bad input, or a step the rules do not allow, from any server module (units, teams, members,
// membership decisions, activities, users, device labels), and the one way a form action turns it
// into a refusal the page can word. Checks that several modules make on what people type live here.
import { fail } from '@sveltejs/kit';
import { isCalendarDate, type LocalDate } from '$lib/domain/period';
import { cleanText, MAX_NAME_LENGTH } from '$lib/domain/text';
import { requireName } from '$lib/i18n/nameText';

/**
 * `field` names the form field at fault (null when no one field is); `code` says why, for the
 * page's words ('invalid' when only the message says); `params` fill those words; `message` is
 * English for logs and the CLI, except for a refused name, where it is the reader's reason.
 */
export class InputError extends Error {
	constructor(
		readonly field: string | null,
		readonly code: string,
		message: string,
		readonly params: Readonly<Record<string, string>> = {}
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** A name by the rule of domain/text.ts, or an InputError with the reason in the reader's words. */
export function requireNameInput(raw: unknown, field: string, max: number = MAX_NAME_LENGTH): string {
	return requireName(raw, max, (reason) => new InputError(field, 'nameRefused', reason, { reason }));
}

/** A real calendar day, 'YYYY-MM-DD'. */
export function requireDate(value: unknown, field: string): LocalDate {
	if (!isCalendarDate(value)) throw new InputError(field, 'dateInvalid', 'Give a date as YYYY-MM-DD.');
	return value;
}

/** Text that may be left out (null), else one line of at most `max` characters. */
export function optionalText(value: unknown, field: string, max: number): string | null {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
	const text = cleanText(value, max);
	if (!text) throw new InputError(field, 'textTooLong', `At most ${max} characters, on one line.`, { max: String(max) });
	return text;
}

/** What a form action's page receives as `error`, beside `on`: the form refused (a row's form carries its id), so the words appear by it. */
export interface Refusal {
	field: string | null;
	code: string;
	params: Record<string, string>;
	message: string;
}

/** An InputError as the action's failure (403 when it is a matter of rights, else 400 unless told); anything else is thrown on. */
export function refusal(e: unknown, on: string | null = null, status = e instanceof InputError && e.code === 'forbidden' ? 403 : 400) {
	if (!(e instanceof InputError)) throw e;
	const error: Refusal = { field: e.field, code: e.code, params: { ...e.params }, message: e.message };
	return fail(status, { on, error });
}
