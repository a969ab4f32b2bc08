// Why a name was refused (domain/text.ts), in the words the admin pages, the API and the tablet show.
import { m } from '$lib/paraglide/messages.js';
import { MAX_NAME_LENGTH as MAX_RESIDENT_NAME_LENGTH } from '$lib/domain/resident';
import { checkName, type NameProblem } from '$lib/domain/text';

const NAME_PROBLEM_TEXT: Readonly<Record<NameProblem, (max: number) => string>> = {
	missing: () => m.sec2_name_missing(),
	tooLong: (max) => m.sec2_name_too_long({ max: String(max) }),
	noVisibleLetter: () => m.sec2_name_no_visible_letter(),
	directionControl: () => m.sec2_name_direction_control(),
	hiddenCharacter: () => m.sec2_name_hidden_character(),
	brokenCharacter: () => m.sec2_name_broken_character()
};

export function nameProblemText(problem: NameProblem, max: number): string {
	return NAME_PROBLEM_TEXT[problem](max);
}

/** The no-card form asks a resident: a missing name reads as a request. */
export function residentNameProblemText(problem: NameProblem): string {
	return problem === 'missing' ? m.nocard_error_name() : nameProblemText(problem, MAX_RESIDENT_NAME_LENGTH);
}

/** The cleaned name, or the caller's error (which names the field) with the reason. */
export function requireName(raw: unknown, max: number, refuse: (reason: string) => Error): string {
	const checked = checkName(raw, max);
	if (!checked.ok) throw refuse(nameProblemText(checked.problem, max));
	return checked.name;
}
