// Households, on the tablet only: a village team may keep its village's household list, each a
// label the team chooses ("Hộ ông Lê Văn Cường, xóm 3"), never an ID number, address or phone.
// A household is covered once at least one resident linked to it is proficient in the five basic
// skills, and stays covered (so the sums on the server never go down). Pure.
import { checkName, type NameProblem } from './text';

export interface Household {
	id: string;
	label: string;
	createdAt: string;
	/** The session in which the household first became covered, or null: never unset. */
	coveredIn: string | null;
}

export const MAX_HOUSEHOLD_LABEL_LENGTH = 80;

/** A label that is not a name, or that carries a number identifying someone. */
export type HouseholdLabelProblem = NameProblem | 'looksLikeNumber';

export type CheckedHouseholdLabel = { ok: true; label: string } | { ok: false; problem: HouseholdLabelProblem };

/**
 * Digits, possibly split by single spaces, dots or dashes ("0912 345 678", "0912.345.678",
 * "+84 912-345-678"). Seven or more such digits are a phone number (9–11 digits, a local landline
 * 7–8) or an ID number (9 or 12): a household label needs at most a hamlet or house number.
 */
const DIGIT_RUN = /\d(?:[ .\-]?\d)*/g;
export const MAX_DIGITS_IN_LABEL = 6;

/** The cleaned label, or why it cannot be kept. */
export function checkHouseholdLabel(raw: unknown): CheckedHouseholdLabel {
	const checked = checkName(raw, MAX_HOUSEHOLD_LABEL_LENGTH);
	if (!checked.ok) return checked;
	// Other scripts' digits (full-width, Arabic-Indic…) are digits too: only how many matters.
	const digitsAsZero = checked.name.replace(/\p{Nd}/gu, '0');
	for (const run of digitsAsZero.match(DIGIT_RUN) ?? []) {
		if (run.replace(/\D/g, '').length > MAX_DIGITS_IN_LABEL) return { ok: false, problem: 'looksLikeNumber' };
	}
	return { ok: true, label: checked.name };
}

/** A new household, not covered. */
export function newHousehold(id: string, label: string, createdAt: string): Household {
	return { id, label, createdAt, coveredIn: null };
}

export function isCovered(household: Pick<Household, 'coveredIn'>): boolean {
	return household.coveredIn !== null;
}

/** How many of these households are covered. */
export function coveredCount(households: Iterable<Household>): number {
	let n = 0;
	for (const h of households) if (isCovered(h)) n++;
	return n;
}

export type HouseholdRemovalProblem = 'covered' | 'hasMembers';

/**
 * Why a household may not be removed from the list, or null. A covered one stays (covered stays
 * covered: the period's and the server's sums must not go down); one with residents in it would
 * leave them pointing nowhere: move them first.
 */
export function householdRemovalProblem(household: Pick<Household, 'coveredIn'>, memberCount: number): HouseholdRemovalProblem | null {
	if (isCovered(household)) return 'covered';
	if (memberCount > 0) return 'hasMembers';
	return null;
}
