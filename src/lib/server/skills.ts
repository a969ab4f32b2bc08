// The skills catalog the server owns and tablets sync.
import type { Kysely } from 'kysely';
import { DEFAULT_SKILLS, SKILL_CATEGORIES, SKILL_CODE_PATTERN, type Skill, type SkillCategory } from '$lib/domain/skills';
import { isBasicSkillGroup, type BasicSkillGroup } from '$lib/domain/basicSkills';
import type { Database } from './db/schema';
import { InputError, requireNameInput } from './inputError';
import { recordAudit } from './audit';

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

// ---------------------------------------------------------------------------------------------
// The admin's catalog (issue 14): add, rename (vi/en), reorder, archive, assign a basic skill
// group. A code never changes once made (tallies name it); an archived skill stays valid in old
// and late tallies (knownSkillCodes keeps it) and leaves the tablets' buttons at their next sync
// (the config's ETag hashes the catalog). Every change is audited.

export const MAX_SKILL_NAME = 80;

function requireGroup(value: unknown): BasicSkillGroup | null {
	if (value === null || value === undefined || value === '') return null;
	if (!isBasicSkillGroup(value)) throw new InputError('group', 'unknownGroup', 'Unknown basic skill group.');
	return value;
}

async function requireSkill(db: Kysely<Database>, code: string) {
	const skill = await db.selectFrom('skills').selectAll().where('code', '=', code).executeTakeFirst();
	if (!skill) throw new InputError('code', 'unknownSkill', 'No such skill.');
	return skill;
}

export async function addSkill(
	db: Kysely<Database>,
	input: { code: unknown; nameVi: unknown; nameEn: unknown; category: unknown; group: unknown; actor: string; now: Date }
): Promise<Skill> {
	const code = typeof input.code === 'string' ? input.code.trim() : '';
	if (!SKILL_CODE_PATTERN.test(code)) throw new InputError('code', 'skillCodeInvalid', 'A code is 2–40 of a–z, 0–9 and _.');
	const nameVi = requireNameInput(input.nameVi, 'nameVi', MAX_SKILL_NAME);
	const nameEn = requireNameInput(input.nameEn, 'nameEn', MAX_SKILL_NAME);
	if (!SKILL_CATEGORIES.includes(input.category as SkillCategory)) throw new InputError('category', 'invalid', 'Unknown category.');
	const category = input.category as SkillCategory;
	const group = requireGroup(input.group);
	return db.transaction().execute(async (trx) => {
		if (await trx.selectFrom('skills').select('code').where('code', '=', code).executeTakeFirst()) {
			throw new InputError('code', 'skillCodeTaken', 'That code is taken (codes are never reused).');
		}
		const top = await trx.selectFrom('skills').select((eb) => eb.fn.max('sort').as('top')).executeTakeFirst();
		const sort = top?.top === null || top?.top === undefined ? 0 : Number(top.top) + 1;
		await trx.insertInto('skills').values({ code, name_vi: nameVi, name_en: nameEn, category, active: 1, sort, basic_group: group }).execute();
		await recordAudit(trx, { actor: input.actor, action: 'skill.add', subject: `skill:${code}`, detail: { nameVi, group }, now: input.now });
		return { code, nameVi, nameEn, category, active: true, group };
	});
}

/** Renames a skill and sets its group; its code stays. */
export async function updateSkill(
	db: Kysely<Database>,
	input: { code: string; nameVi: unknown; nameEn: unknown; group: unknown; actor: string; now: Date }
): Promise<void> {
	const nameVi = requireNameInput(input.nameVi, 'nameVi', MAX_SKILL_NAME);
	const nameEn = requireNameInput(input.nameEn, 'nameEn', MAX_SKILL_NAME);
	const group = requireGroup(input.group);
	await db.transaction().execute(async (trx) => {
		const before = await requireSkill(trx, input.code);
		if (before.name_vi === nameVi && before.name_en === nameEn && before.basic_group === group) return;
		await trx.updateTable('skills').set({ name_vi: nameVi, name_en: nameEn, basic_group: group }).where('code', '=', input.code).execute();
		await recordAudit(trx, {
			actor: input.actor,
			action: 'skill.update',
			subject: `skill:${input.code}`,
			detail: { from: { nameVi: before.name_vi, group: before.basic_group }, to: { nameVi, group } },
			now: input.now
		});
	});
}

/** Moves a skill one place up or down in the tablets' order. */
export async function moveSkill(db: Kysely<Database>, input: { code: string; direction: 'up' | 'down'; actor: string; now: Date }): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const all = await trx.selectFrom('skills').select(['code', 'sort']).orderBy('sort').orderBy('code').execute();
		const at = all.findIndex((s) => s.code === input.code);
		if (at < 0) throw new InputError('code', 'unknownSkill', 'No such skill.');
		const other = all[input.direction === 'up' ? at - 1 : at + 1];
		if (!other) return;
		// Renumbered in order, then the two swapped: equal sort values from old data cannot stall a move.
		const order = all.map((s) => s.code);
		order[at] = other.code;
		order[all.indexOf(other)] = input.code;
		for (const [sort, code] of order.entries()) await trx.updateTable('skills').set({ sort }).where('code', '=', code).execute();
		await recordAudit(trx, { actor: input.actor, action: 'skill.move', subject: `skill:${input.code}`, detail: { direction: input.direction }, now: input.now });
	});
}

/** Archives (tablets stop offering it) or restores a skill. */
export async function setSkillActive(db: Kysely<Database>, input: { code: string; active: boolean; actor: string; now: Date }): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const before = await requireSkill(trx, input.code);
		if ((before.active === 1) === input.active) return;
		await trx.updateTable('skills').set({ active: input.active ? 1 : 0 }).where('code', '=', input.code).execute();
		await recordAudit(trx, { actor: input.actor, action: input.active ? 'skill.restore' : 'skill.archive', subject: `skill:${input.code}`, now: input.now });
	});
}
