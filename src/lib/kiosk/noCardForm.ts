// Checks the "no card" form. Returns what is wrong per field, so each error sits beside its field.
import { isPlausibleBirthYear, MAX_NAME_LENGTH, type Gender } from '$lib/domain/resident';
import { checkName, type NameProblem } from '$lib/domain/text';
import type { NoCardRegistration } from './checkIn';

export interface NoCardErrors {
	fullName?: NameProblem;
	birthYear?: 'implausible';
	gender?: 'missing';
}

export function checkNoCardForm(
	input: { fullName: string; birthYear: string; gender: Gender | null },
	currentYear: number
): { ok: true; value: NoCardRegistration } | { ok: false; errors: NoCardErrors } {
	const errors: NoCardErrors = {};
	const name = checkName(input.fullName, MAX_NAME_LENGTH);
	if (!name.ok) errors.fullName = name.problem;
	const birthYear = Number(input.birthYear.trim());
	if (!/^\d{4}$/.test(input.birthYear.trim()) || !isPlausibleBirthYear(birthYear, currentYear)) errors.birthYear = 'implausible';
	if (!input.gender) errors.gender = 'missing';
	if (!name.ok || Object.keys(errors).length > 0 || !input.gender) return { ok: false, errors };
	return { ok: true, value: { fullName: name.name, birthYear, gender: input.gender } };
}
