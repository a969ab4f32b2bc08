import { describe, expect, it } from 'vitest';
import { BASIC_SKILL_GROUPS, isBasicSkillGroup, sortedGroups } from '$lib/domain/basicSkills';
import { DEFAULT_SKILLS, SKILL_CODE_PATTERN, skillGroupLookup, type Skill } from '$lib/domain/skills';
import { basicSkillGroupText, marksSummaryText, outcomeCountText } from '$lib/i18n/outcomeText';

describe('the five basic skill groups', () => {
	it('are the five of Letter 3240, in the order the tablet shows them, with codes that never change', () => {
		// These codes are stored by the server and carried in tallies: changing one is a migration.
		expect(BASIC_SKILL_GROUPS).toEqual(['publicServices', 'shopping', 'payment', 'safety', 'localPlatforms']);
	});

	it('are named in Vietnamese (the base locale), and "none" says so', () => {
		expect(BASIC_SKILL_GROUPS.map((g) => basicSkillGroupText(g))).toEqual([
			'Sử dụng dịch vụ công trực tuyến',
			'Mua sắm trực tuyến',
			'Thanh toán trực tuyến',
			'Bảo vệ bản thân trên môi trường mạng',
			'Sử dụng nền tảng số khác phù hợp với địa phương'
		]);
		expect(basicSkillGroupText(null)).toBe('Không thuộc 5 kỹ năng số cơ bản');
	});

	it('says how far a resident is, and "not reported" apart from zero', () => {
		expect(marksSummaryText(3)).toBe('Đã làm được 3/5 kỹ năng số cơ bản');
		expect(marksSummaryText(5)).toBe('Thành thạo 5 kỹ năng số cơ bản');
		expect(outcomeCountText(0)).toBe('0');
		expect(outcomeCountText(null)).toBe('Chưa báo cáo');
	});

	it('tells a group from anything else', () => {
		for (const g of BASIC_SKILL_GROUPS) expect(isBasicSkillGroup(g)).toBe(true);
		for (const other of ['', 'PublicServices', 'none', 'constructor', '__proto__', null, 1, undefined]) expect(isBasicSkillGroup(other)).toBe(false);
	});

	it('sorts marks into the catalog order, each once', () => {
		expect(sortedGroups(['safety', 'publicServices', 'safety'])).toEqual(['publicServices', 'safety']);
	});
});

describe('the default catalog and its groups', () => {
	const byCode = new Map(DEFAULT_SKILLS.map((s) => [s.code, s]));

	it('says for every skill which group it counts toward, or none', () => {
		for (const skill of DEFAULT_SKILLS) expect(skill.group === null || isBasicSkillGroup(skill.group), skill.code).toBe(true);
		expect(byCode.get('zalo_video')?.group).toBeNull();
		expect(byCode.get('ecommerce')?.group).toBe('shopping');
		expect(byCode.get('scam_awareness')?.group).toBe('safety');
		expect(byCode.get('bank_app')?.group).toBe('payment');
		expect(byCode.get('public_services')?.group).toBe('publicServices');
	});

	it('lets a resident reach every one of the five groups', () => {
		expect(sortedGroups(DEFAULT_SKILLS.flatMap((s) => (s.group ? [s.group] : [])))).toEqual([...BASIC_SKILL_GROUPS]);
	});

	it('has Bình dân học vụ số (Plan 01-KH/BCĐTW), counting toward the locality\'s platforms', () => {
		expect(byCode.get('binh_dan_hoc_vu_so')).toEqual({
			code: 'binh_dan_hoc_vu_so',
			nameVi: 'Đăng ký và học trên Bình dân học vụ số',
			nameEn: 'Sign up and learn on Bình dân học vụ số',
			category: 'learning',
			active: true,
			group: 'localPlatforms'
		});
	});

	it('keeps codes unique and valid', () => {
		expect(byCode.size).toBe(DEFAULT_SKILLS.length);
		for (const s of DEFAULT_SKILLS) expect(s.code).toMatch(SKILL_CODE_PATTERN);
	});
});

describe('skillGroupLookup', () => {
	const skill = (code: string, group?: Skill['group']): Skill => ({ code, nameVi: code, nameEn: code, category: 'learning', active: true, ...(group === undefined ? {} : { group }) });

	it('takes the catalog\'s group, and its explicit none', () => {
		const groupOf = skillGroupLookup([skill('zalo_video', 'payment'), skill('ecommerce', null), skill('new_skill', 'safety')]);
		expect(groupOf('zalo_video')).toBe('payment');
		expect(groupOf('ecommerce')).toBeNull();
		expect(groupOf('new_skill')).toBe('safety');
	});

	it('falls back to the default catalog\'s group for a skill synced without one (a server not updated yet)', () => {
		const groupOf = skillGroupLookup([skill('ecommerce'), skill('zalo_video'), skill('officers_own')]);
		expect(groupOf('ecommerce')).toBe('shopping');
		expect(groupOf('zalo_video')).toBeNull();
		expect(groupOf('officers_own')).toBeNull();
	});

	it('counts a code it does not know, or a group this version does not know, toward none', () => {
		const groupOf = skillGroupLookup([skill('x1', 'futureGroup' as never)]);
		expect(groupOf('x1')).toBeNull();
		expect(groupOf('unknown')).toBeNull();
		expect(groupOf('constructor')).toBeNull();
	});
});
