// The skills catalog the admin keeps (issue 14): codes never change or come back, groups are the
// five basic skills or none, archived skills stay known to the ingest, tablets see every change
// (the config's ETag), and each change is audited. On both engines.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { addSkill, ensureDefaultSkills, knownSkillCodes, listSkills, moveSkill, setSkillActive, updateSkill } from '$lib/server/skills';
import { DEFAULT_SKILLS } from '$lib/domain/skills';
import { databaseForEachTest, ENGINES } from '../../fixtures/serverDb';

const now = new Date('2026-11-20T03:00:00Z');
const actor = 'user:admin';

describe.each(ENGINES)('skills catalog on %s', (engine) => {
	const t = databaseForEachTest(engine, (db) => ensureDefaultSkills(db));
	let db: Kysely<Database>;
	beforeEach(() => void (db = t.db));
	/** The skill audit rows, sorted (they share one instant here). */
	const audits = () => db.selectFrom('audit_events').select(['action', 'subject']).where('action', 'like', 'skill.%').orderBy('action').orderBy('subject').execute();

	it('ships the default catalog with each skill in its group, Zalo in none, Bình dân học vụ số last', async () => {
		const skills = await listSkills(db);
		expect(skills.map((s) => [s.code, s.group])).toEqual(DEFAULT_SKILLS.map((s) => [s.code, s.group]));
		expect(skills.find((s) => s.code === 'zalo_video')?.group).toBeNull();
		expect(skills.at(-1)).toMatchObject({ code: 'binh_dan_hoc_vu_so', group: 'localPlatforms' });
	});

	it('adds a skill at the end with its group; a taken or malformed code, an unknown group or a bad name is refused by field', async () => {
		await addSkill(db, { code: 'ocop_shop', nameVi: 'Bán hàng OCOP trên sàn', nameEn: 'Selling OCOP goods online', category: 'commerce', group: 'shopping', actor, now });
		expect((await listSkills(db)).at(-1)).toEqual({ code: 'ocop_shop', nameVi: 'Bán hàng OCOP trên sàn', nameEn: 'Selling OCOP goods online', category: 'commerce', active: true, group: 'shopping' });
		const add = (over: Record<string, unknown>) => addSkill(db, { code: 'x_new', nameVi: 'Mới', nameEn: 'New', category: 'learning', group: '', actor, now, ...over });
		await expect(add({ code: 'ocop_shop' })).rejects.toMatchObject({ field: 'code', code: 'skillCodeTaken' });
		await expect(add({ code: 'Bad Code' })).rejects.toMatchObject({ field: 'code', code: 'skillCodeInvalid' });
		await expect(add({ group: 'futureGroup' })).rejects.toMatchObject({ field: 'group', code: 'unknownGroup' });
		await expect(add({ nameVi: '\u200b' })).rejects.toMatchObject({ field: 'nameVi' });
		await expect(add({ category: 'other' })).rejects.toMatchObject({ field: 'category' });
		await add({});
		expect((await listSkills(db)).at(-1)).toMatchObject({ code: 'x_new', group: null });
		expect(await audits()).toEqual([
			{ action: 'skill.add', subject: 'skill:ocop_shop' },
			{ action: 'skill.add', subject: 'skill:x_new' }
		]);
	});

	it('renames and regroups a skill under the same code; nothing changed is not audited', async () => {
		await updateSkill(db, { code: 'zalo_video', nameVi: 'Zalo: nhắn tin, gọi video', nameEn: 'Zalo messages and calls', group: 'localPlatforms', actor, now });
		await updateSkill(db, { code: 'zalo_video', nameVi: 'Zalo: nhắn tin, gọi video', nameEn: 'Zalo messages and calls', group: 'localPlatforms', actor, now });
		expect((await listSkills(db)).find((s) => s.code === 'zalo_video')).toMatchObject({ nameVi: 'Zalo: nhắn tin, gọi video', group: 'localPlatforms' });
		await expect(updateSkill(db, { code: 'no_such', nameVi: 'A', nameEn: 'A', group: '', actor, now })).rejects.toMatchObject({ field: 'code' });
		expect(await audits()).toEqual([{ action: 'skill.update', subject: 'skill:zalo_video' }]);
	});

	it('reorders one place at a time; the ends stay put', async () => {
		const order = async () => (await listSkills(db)).map((s) => s.code);
		const before = await order();
		await moveSkill(db, { code: before[1]!, direction: 'up', actor, now });
		expect((await order()).slice(0, 2)).toEqual([before[1], before[0]]);
		await moveSkill(db, { code: before[1]!, direction: 'up', actor, now });
		expect((await order())[0]).toBe(before[1]);
		await moveSkill(db, { code: before.at(-1)!, direction: 'down', actor, now });
		expect((await order()).at(-1)).toBe(before.at(-1));
		await moveSkill(db, { code: before[2]!, direction: 'down', actor, now });
		expect((await order()).slice(2, 4)).toEqual([before[3], before[2]]);
	});

	it('an archived skill leaves the tablets but stays known to the ingest, and can come back', async () => {
		await setSkillActive(db, { code: 'zalo_video', active: false, actor, now });
		expect((await listSkills(db)).find((s) => s.code === 'zalo_video')?.active).toBe(false);
		expect((await knownSkillCodes(db)).has('zalo_video')).toBe(true);
		await setSkillActive(db, { code: 'zalo_video', active: true, actor, now });
		expect((await listSkills(db)).find((s) => s.code === 'zalo_video')?.active).toBe(true);
		expect((await audits()).map((a) => a.action)).toEqual(['skill.archive', 'skill.restore']); // sorted
	});
});
