// Checks the "no card" form. Returns what is wrong per field, so each error sits beside its field.
import { isPlausibleBirthYear, MAX_NAME_LENGTH, normaliseName, type Gender } from '$lib/domain/resident';
import type { NoCardRegistration } from './checkIn';

export interface NoCardErrors {
	fullName?: 'missing';
	birthYear?: 'implausible';
	gender?: 'missing';
}

export function checkNoCardForm(
	input: { fullName: string; birthYear: string; gender: Gender | null },
	currentYear: number
): { ok: true; value: NoCardRegistration } | { ok: false; errors: NoCardErrors } {
	const errors: NoCardErrors = {};
	const fullName = normaliseName(input.fullName).slice(0, MAX_NAME_LENGTH);
	if (!fullName) errors.fullName = 'missing';
	const birthYear = Number(input.birthYear.trim());
	if (!/^\d{4}$/.test(input.birthYear.trim()) || !isPlausibleBirthYear(birthYear, currentYear)) errors.birthYear = 'implausible';
	if (!input.gender) errors.gender = 'missing';
	if (Object.keys(errors).length > 0 || !input.gender) return { ok: false, errors };
	return { ok: true, value: { fullName, birthYear, gender: input.gender } };
}
