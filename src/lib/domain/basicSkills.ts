// The five basic digital skills the teams are measured on (Letter 3240/BTTTT-CĐSQG, August 2024,
// under Decision 1690/QĐ-TTg): every household should have at least one person who can do all five
// by themselves. Each catalog skill counts toward one group or none. Pure.

/**
 * Codes travel in tallies and stay in the server's database: never change or reuse one.
 * Order is the order the tablet shows the five marks in.
 */
export const BASIC_SKILL_GROUPS = ['publicServices', 'shopping', 'payment', 'safety', 'localPlatforms'] as const;
export type BasicSkillGroup = (typeof BASIC_SKILL_GROUPS)[number];

const GROUP_SET: ReadonlySet<string> = new Set(BASIC_SKILL_GROUPS);

export function isBasicSkillGroup(value: unknown): value is BasicSkillGroup {
	return typeof value === 'string' && GROUP_SET.has(value);
}

/** The groups in the catalog's order, each once: how marks are stored and compared. */
export function sortedGroups(groups: Iterable<BasicSkillGroup>): BasicSkillGroup[] {
	const have = new Set(groups);
	return BASIC_SKILL_GROUPS.filter((g) => have.has(g));
}
