// The skills catalog: owned by the server, synced to tablets. This is the default that ships.
import { isBasicSkillGroup, type BasicSkillGroup } from './basicSkills';

export type SkillCategory =
	| 'identity'
	| 'publicServices'
	| 'payment'
	| 'commerce'
	| 'safety'
	| 'health'
	| 'communication'
	| 'learning'
	| 'utilities';

export const SKILL_CATEGORIES: readonly SkillCategory[] = [
	'identity',
	'publicServices',
	'payment',
	'commerce',
	'safety',
	'health',
	'communication',
	'learning',
	'utilities'
];

export interface Skill {
	code: string;
	nameVi: string;
	nameEn: string;
	category: SkillCategory;
	/** Archived skills stay for old records but are not offered on the tablet. */
	active: boolean;
	/**
	 * The basic skill group a "done" assist of this skill gives the resident, or null for none
	 * (Zalo video calls). Absent in a catalog from a server that does not send groups yet: then
	 * the default catalog's group for the same code applies (skillGroupLookup).
	 */
	group?: BasicSkillGroup | null;
}

/** A default skill says its group, or null, explicitly. */
export type DefaultSkill = Skill & { group: BasicSkillGroup | null };

export const SKILL_CODE_PATTERN = /^[a-z0-9_]{2,40}$/;

// VNeID, VssID and digital signatures are how residents reach and sign online public services; the
// learning platforms are the locality's "other digital platforms"; Zalo calls count toward none.
export const DEFAULT_SKILLS: readonly DefaultSkill[] = [
	{ code: 'vneid_install', nameVi: 'Cài đặt VNeID', nameEn: 'Install VNeID', category: 'identity', active: true, group: 'publicServices' },
	{ code: 'vneid_level2', nameVi: 'Kích hoạt VNeID mức 2', nameEn: 'Activate VNeID level 2', category: 'identity', active: true, group: 'publicServices' },
	{ code: 'public_services', nameVi: 'Dịch vụ công trực tuyến', nameEn: 'Online public services', category: 'publicServices', active: true, group: 'publicServices' },
	{ code: 'bank_app', nameVi: 'Ứng dụng ngân hàng', nameEn: 'Bank app', category: 'payment', active: true, group: 'payment' },
	{ code: 'ewallet_qr', nameVi: 'Ví điện tử, thanh toán QR', nameEn: 'E-wallet and QR payment', category: 'payment', active: true, group: 'payment' },
	{ code: 'ecommerce', nameVi: 'Mua bán trên sàn thương mại điện tử', nameEn: 'Buying and selling online', category: 'commerce', active: true, group: 'shopping' },
	{ code: 'scam_awareness', nameVi: 'Nhận biết lừa đảo trực tuyến', nameEn: 'Spotting online scams', category: 'safety', active: true, group: 'safety' },
	{ code: 'vssid', nameVi: 'Bảo hiểm xã hội số VssID', nameEn: 'VssID health insurance', category: 'health', active: true, group: 'publicServices' },
	{ code: 'zalo_video', nameVi: 'Zalo và gọi video', nameEn: 'Zalo and video calls', category: 'communication', active: true, group: null },
	{ code: 'online_learning', nameVi: 'Học trực tuyến', nameEn: 'Online learning', category: 'learning', active: true, group: 'localPlatforms' },
	{ code: 'digital_signature', nameVi: 'Chữ ký số', nameEn: 'Digital signature', category: 'identity', active: true, group: 'publicServices' },
	{ code: 'utility_bills', nameVi: 'Trả tiền điện, nước trực tuyến', nameEn: 'Electricity and water bills online', category: 'utilities', active: true, group: 'payment' },
	// Plan 01-KH/BCĐTW (March 2025): the platform binhdanhocvuso.gov.vn, signed in with VNeID.
	{ code: 'binh_dan_hoc_vu_so', nameVi: 'Đăng ký và học trên Bình dân học vụ số', nameEn: 'Sign up and learn on Bình dân học vụ số', category: 'learning', active: true, group: 'localPlatforms' }
];

const DEFAULT_GROUP_BY_CODE: ReadonlyMap<string, BasicSkillGroup | null> = new Map(DEFAULT_SKILLS.map((s) => [s.code, s.group]));

/**
 * The group a skill code counts toward in this catalog. A skill without a group field takes the
 * default catalog's group for its code (a catalog synced from a server that sends no groups yet);
 * a code the catalog does not know, or a group this version does not know, counts toward none.
 */
export function skillGroupLookup(catalog: readonly Skill[]): (code: string) => BasicSkillGroup | null {
	const byCode = new Map<string, BasicSkillGroup | null>();
	for (const skill of catalog) {
		const group = skill.group === undefined ? (DEFAULT_GROUP_BY_CODE.get(skill.code) ?? null) : skill.group;
		byCode.set(skill.code, isBasicSkillGroup(group) ? group : null);
	}
	return (code) => byCode.get(code) ?? null;
}
