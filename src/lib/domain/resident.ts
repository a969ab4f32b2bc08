// What the kiosk knows about a resident, and the buckets tallies count them in.

export type Gender = 'male' | 'female';
export const GENDERS: readonly Gender[] = ['male', 'female'];

export type AgeBand = 'under18' | 'from18to39' | 'from40to59' | 'from60';
export const AGE_BANDS: readonly AgeBand[] = ['under18', 'from18to39', 'from40to59', 'from60'];

/** Age band by years reached in the session's calendar year (birth day is not kept). */
export function ageBand(birthYear: number, atYear: number): AgeBand {
	const age = atYear - birthYear;
	if (age < 18) return 'under18';
	if (age < 40) return 'from18to39';
	if (age < 60) return 'from40to59';
	return 'from60';
}

export const MIN_BIRTH_YEAR = 1900;

/** A birth year a person at the hall can have: not before 1900, not in the future. */
export function isPlausibleBirthYear(year: number, currentYear: number): boolean {
	return Number.isInteger(year) && year >= MIN_BIRTH_YEAR && year <= currentYear;
}

/** Trims and folds runs of white space; residents' names are shown on screen, never parsed. */
export function normaliseName(raw: string): string {
	return raw.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export const MAX_NAME_LENGTH = 80;

export type Honorific = 'elder' | 'man' | 'woman' | 'young';

/**
 * How the greeting addresses a resident, as Vietnamese does by age and gender:
 * "bác" for elders (50+), "anh"/"chị" for adults, "em" for children.
 */
export function honorificFor(gender: Gender, birthYear: number, atYear: number): Honorific {
	const age = atYear - birthYear;
	if (age >= 50) return 'elder';
	if (age < 18) return 'young';
	return gender === 'female' ? 'woman' : 'man';
}
