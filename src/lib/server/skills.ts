// The skills catalog the server owns and tablets sync.
import type { Kysely } from 'kysely';
import { DEFAULT_SKILLS, type Skill, type SkillCategory } from '$lib/domain/skills';
import { isBasicSkillGroup } from '$lib/domain/basicSkills';
import type { Database } from './db/schema';

/** Puts the default catalog in an empty database; an existing catalog is left as the officers made it. */
export async function ensureDefaultSkills(db: Kysely<Database>): Promise<void> {
	const existing = await db.selectFrom('skills').select('code').limit(1).executeTakeFirst();
	if (existing) return;
	await db
		.insertInto('skills')
		.values(
			DEFAULT_SKILLS.map((s, sort) => ({
				code: s.code,
				name_vi: s.nameVi,
				name_en: s.nameEn,
				category: s.category,
				active: s.active ? 1 : 0,
				sort,
				basic_group: s.group
			}))
		)
		.execute();
}

export async function listSkills(db: Kysely<Database>): Promise<Skill[]> {
	const rows = await db.selectFrom('skills').selectAll().orderBy('sort').execute();
	return rows.map((r) => ({
		code: r.code,
		nameVi: r.name_vi,
		nameEn: r.name_en,
		category: r.category as SkillCategory,
		active: r.active === 1,
		group: isBasicSkillGroup(r.basic_group) ? r.basic_group : null
	}));
}

export async function knownSkillCodes(db: Kysely<Database>): Promise<Set<string>> {
	return new Set((await db.selectFrom('skills').select('code').execute()).map((r) => r.code));
}
