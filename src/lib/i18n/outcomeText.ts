// The five basic skills and households in words, for the tablet's marks, the catalog admin and
// the reports: one place, so every screen names a group the same way.
import { m } from '$lib/paraglide/messages.js';
import { BASIC_SKILL_GROUPS, type BasicSkillGroup } from '$lib/domain/basicSkills';
import { MAX_HOUSEHOLD_LABEL_LENGTH, type HouseholdLabelProblem, type HouseholdRemovalProblem } from '$lib/domain/households';
import { nameProblemText } from './nameText';
import type { SkillCategory } from '$lib/domain/skills';

const GROUP_TEXT: Readonly<Record<BasicSkillGroup, () => string>> = {
	publicServices: m.outc_group_publicServices,
	shopping: m.outc_group_shopping,
	payment: m.outc_group_payment,
	safety: m.outc_group_safety,
	localPlatforms: m.outc_group_localPlatforms
};

/** A group's name; null (a skill that counts toward none) says so. */
export function basicSkillGroupText(group: BasicSkillGroup | null): string {
	return group === null ? m.outc_group_none() : GROUP_TEXT[group]();
}

/** "Can do 3 of the 5", or "proficient" once all five are marked. */
export function marksSummaryText(marked: number): string {
	return marked >= BASIC_SKILL_GROUPS.length ? m.outc_proficient() : m.outc_marks_summary({ done: String(marked) });
}

export function householdLabelProblemText(problem: HouseholdLabelProblem): string {
	return problem === 'looksLikeNumber' ? m.outc_household_label_looks_like_number() : nameProblemText(problem, MAX_HOUSEHOLD_LABEL_LENGTH);
}

export function householdRemovalProblemText(problem: HouseholdRemovalProblem): string {
	return problem === 'covered' ? m.outc_household_remove_covered() : m.outc_household_remove_has_members();
}

/** An outcome count in a report: a schema 1 session reported none, which is not zero. */
export function outcomeCountText(count: number | null): string {
	return count === null ? m.outc_not_reported() : String(count);
}

const CATEGORY_TEXT: Readonly<Record<SkillCategory, () => string>> = {
	identity: m.outc_category_identity,
	publicServices: m.outc_category_publicServices,
	payment: m.outc_category_payment,
	commerce: m.outc_category_commerce,
	safety: m.outc_category_safety,
	health: m.outc_category_health,
	communication: m.outc_category_communication,
	learning: m.outc_category_learning,
	utilities: m.outc_category_utilities
};

export function skillCategoryText(category: SkillCategory): string {
	return CATEGORY_TEXT[category]();
}
