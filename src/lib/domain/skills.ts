// The skills catalog: owned by the server, synced to tablets. This is the default that ships.

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

export interface Skill {
	code: string;
	nameVi: string;
	nameEn: string;
	category: SkillCategory;
	/** Archived skills stay for old records but are not offered on the tablet. */
	active: boolean;
}

export const SKILL_CODE_PATTERN = /^[a-z0-9_]{2,40}$/;

export const DEFAULT_SKILLS: readonly Skill[] = [
	{ code: 'vneid_install', nameVi: 'Cài đặt VNeID', nameEn: 'Install VNeID', category: 'identity', active: true },
	{ code: 'vneid_level2', nameVi: 'Kích hoạt VNeID mức 2', nameEn: 'Activate VNeID level 2', category: 'identity', active: true },
	{ code: 'public_services', nameVi: 'Dịch vụ công trực tuyến', nameEn: 'Online public services', category: 'publicServices', active: true },
	{ code: 'bank_app', nameVi: 'Ứng dụng ngân hàng', nameEn: 'Bank app', category: 'payment', active: true },
	{ code: 'ewallet_qr', nameVi: 'Ví điện tử, thanh toán QR', nameEn: 'E-wallet and QR payment', category: 'payment', active: true },
	{ code: 'ecommerce', nameVi: 'Mua bán trên sàn thương mại điện tử', nameEn: 'Buying and selling online', category: 'commerce', active: true },
	{ code: 'scam_awareness', nameVi: 'Nhận biết lừa đảo trực tuyến', nameEn: 'Spotting online scams', category: 'safety', active: true },
	{ code: 'vssid', nameVi: 'Bảo hiểm xã hội số VssID', nameEn: 'VssID health insurance', category: 'health', active: true },
	{ code: 'zalo_video', nameVi: 'Zalo và gọi video', nameEn: 'Zalo and video calls', category: 'communication', active: true },
	{ code: 'online_learning', nameVi: 'Học trực tuyến', nameEn: 'Online learning', category: 'learning', active: true },
	{ code: 'digital_signature', nameVi: 'Chữ ký số', nameEn: 'Digital signature', category: 'identity', active: true },
	{ code: 'utility_bills', nameVi: 'Trả tiền điện, nước trực tuyến', nameEn: 'Electricity and water bills online', category: 'utilities', active: true }
];
