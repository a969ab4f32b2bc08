// The plan's team composition (seed 3.1) as checks that warn, never lock: real communes are messy,
// so a team that breaks a rule keeps working and an officer sees why it is flagged.
// Backgrounds are a controlled vocabulary of codes (labels live with the UI's messages); the
// free text rosters already hold ('Trưởng thôn', 'Bí thư chi đoàn thôn'…) is recognised too.

export const BACKGROUND_CODES = [
	'communeLeader',
	'villageHead',
	'youthUnion',
	'itOfficer',
	'police',
	'teacher',
	'healthWorker',
	'postTelecom',
	'student',
	'resident'
] as const;
export type BackgroundCode = (typeof BACKGROUND_CODES)[number];

export const TEAM_LEVELS = ['commune', 'village'] as const;
export type TeamLevel = (typeof TEAM_LEVELS)[number];
export const ROLLOUT_PHASES = ['pilot', 'expansion', 'districtWide'] as const;
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];

/** Every role in a team, highest first: the order rosters are listed in. */
export const TEAM_ROLES = ['leader', 'deputy', 'member', 'collaborator'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
/** Leader, deputy and members: the team proper (and all a tablet's roster holds); collaborators are outside it. */
export type CoreRole = Exclude<TeamRole, 'collaborator'>;
export const CORE_ROLES: readonly CoreRole[] = ['leader', 'deputy', 'member'];
/** Seed 3.1: "duy trì số lượng hoạt động là 03 thành viên". */
export const PLAN_CORE_SIZE = 3;

export function isBackgroundCode(value: unknown): value is BackgroundCode {
	return typeof value === 'string' && (BACKGROUND_CODES as readonly string[]).includes(value);
}

export function isTeamRole(value: unknown): value is TeamRole {
	return typeof value === 'string' && (TEAM_ROLES as readonly string[]).includes(value);
}

export function isCoreRole(value: unknown): value is CoreRole {
	return typeof value === 'string' && (CORE_ROLES as readonly string[]).includes(value);
}

/** Lowercase, without Vietnamese tone and vowel marks (people type both ways), words split by single spaces. */
export function foldText(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

interface Rule {
	code: BackgroundCode;
	/** Any one of these phrases (folded, whole words)… */
	any: readonly string[];
	/** …and, when given, also one of these… */
	with?: readonly string[];
	/** …unless one of these appears. */
	not?: readonly string[];
}

// First match wins, so the order matters: 'Sinh viên công nghệ thông tin' is a student, not the
// IT officer; a leader 'phụ trách CNTT' is still a leader (the plan's rules are about leaders);
// 'Nhân viên điểm bưu điện – văn hóa xã' is post staff, not a commune official.
const RULES: readonly Rule[] = [
	{ code: 'student', any: ['sinh vien', 'hoc sinh', 'student'] },
	{ code: 'youthUnion', any: ['chi doan', 'doan thanh nien', 'bi thu doan', 'doan tncs', 'bch doan', 'youth union'] },
	{
		code: 'villageHead',
		any: ['truong thon', 'thon truong', 'to truong to dan pho', 'truong xom', 'truong ap', 'truong khu pho', 'truong khom', 'village head'],
		not: ['pho truong thon', 'pho thon truong', 'pho to truong', 'pho truong xom', 'pho truong ap', 'pho truong khu pho']
	},
	{
		code: 'communeLeader',
		any: [
			'chu tich ubnd',
			'chu tich uy ban',
			'chu tich hdnd',
			'chu tich xa',
			'chu tich phuong',
			'chu tich thi tran',
			'bi thu dang uy',
			'thuong truc dang uy',
			'lanh dao ubnd',
			'lanh dao xa',
			'lanh dao cap xa',
			'lanh dao phuong',
			'lanh dao thi tran',
			'commune leader'
		],
		// The Fatherland Front's committee chair is not the People's Committee.
		not: ['mat tran', 'mttq']
	},
	{ code: 'police', any: ['cong an', 'police'] },
	{ code: 'healthWorker', any: ['y te', 'bac si', 'y si', 'y ta', 'dieu duong', 'ho sinh', 'duoc si', 'health'] },
	{ code: 'teacher', any: ['giao vien', 'co giao', 'thay giao', 'giang vien', 'teacher'] },
	{
		code: 'postTelecom',
		any: ['buu dien', 'buu chinh', 'vien thong', 'nha mang', 'viettel', 'vnpt', 'mobifone', 'vinaphone', 'post', 'telecom']
	},
	// A commune's IT duty usually sits with its culture–society civil servant (công chức văn hóa - xã hội).
	{
		code: 'itOfficer',
		any: ['cong chuc', 'can bo', 'chuyen vien', 'chuyen trach', 'phu trach'],
		with: ['cntt', 'cong nghe thong tin', 'chuyen doi so', 'van hoa xa hoi', 'van hoa thong tin']
	},
	{ code: 'itOfficer', any: ['it officer'] },
	{ code: 'resident', any: ['nguoi dan', 'cu dan', 'nong dan', 'resident'] }
];

const has = (padded: string, phrases: readonly string[]) => phrases.some((p) => padded.includes(` ${p} `));

/** The code a stored background means: itself when it is a code, else recognised from free text; null when unknown. */
export function backgroundCode(stored: string | null | undefined): BackgroundCode | null {
	if (!stored) return null;
	const trimmed = stored.trim();
	if (isBackgroundCode(trimmed)) return trimmed;
	const padded = ` ${foldText(trimmed)} `;
	for (const rule of RULES) {
		if (!has(padded, rule.any)) continue;
		if (rule.with && !has(padded, rule.with)) continue;
		if (rule.not && has(padded, rule.not)) continue;
		return rule.code;
	}
	return null;
}

// ---------------------------------------------------------------------------------------------
// Composition warnings

export const TEAM_WARNINGS = [
	'coreTooFew',
	'coreTooMany',
	'noLeader',
	'communeLeaderNotOfficial',
	'communeNoYouthUnion',
	'communeNoItOfficer',
	'villageLeaderNotHead'
] as const;
export type TeamWarning = (typeof TEAM_WARNINGS)[number];

export interface RosterMember {
	role: TeamRole;
	background: string;
	status: string;
}

export const isActiveCore = (m: RosterMember): boolean => m.status === 'active' && m.role !== 'collaborator';

export function activeCoreCount(members: readonly RosterMember[]): number {
	return members.filter(isActiveCore).length;
}

/**
 * What differs from the plan, in a fixed order; [] when the team is as the plan says. Only active
 * core members count: collaborators and members who left neither fill nor break a place.
 */
export function compositionWarnings(team: { level: TeamLevel }, members: readonly RosterMember[]): TeamWarning[] {
	const core = members.filter(isActiveCore);
	const warnings: TeamWarning[] = [];
	if (core.length < PLAN_CORE_SIZE) warnings.push('coreTooFew');
	if (core.length > PLAN_CORE_SIZE) warnings.push('coreTooMany');
	const leaders = core.filter((m) => m.role === 'leader');
	if (leaders.length === 0) warnings.push('noLeader');
	const codes = core.map((m) => backgroundCode(m.background));
	if (team.level === 'commune') {
		if (leaders.length > 0 && !leaders.some((m) => backgroundCode(m.background) === 'communeLeader')) warnings.push('communeLeaderNotOfficial');
		if (!codes.includes('youthUnion')) warnings.push('communeNoYouthUnion');
		if (!codes.includes('itOfficer')) warnings.push('communeNoItOfficer');
	} else if (leaders.length > 0 && !leaders.some((m) => backgroundCode(m.background) === 'villageHead')) {
		warnings.push('villageLeaderNotHead');
	}
	return warnings;
}

// ---------------------------------------------------------------------------------------------
// Room for a role (the same hard rule the server's roster keeps: one leader, one deputy, three core)

export type RoleRoomProblem = { code: 'roleTaken'; role: 'leader' | 'deputy'; holder: string } | { code: 'teamFull'; size: number };

/** Why `role` cannot be given now to someone (other than `exceptId`); null when it can. */
export function roleRoomProblem(
	members: readonly (RosterMember & { id: string; full_name: string })[],
	role: TeamRole,
	exceptId?: string
): RoleRoomProblem | null {
	if (role === 'collaborator') return null;
	const core = members.filter((m) => isActiveCore(m) && m.id !== exceptId);
	if (role === 'leader' || role === 'deputy') {
		const holder = core.find((m) => m.role === role);
		if (holder) return { code: 'roleTaken', role, holder: holder.full_name };
	}
	if (core.length >= PLAN_CORE_SIZE) return { code: 'teamFull', size: PLAN_CORE_SIZE };
	return null;
}
