import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	activeCoreCount,
	BACKGROUND_CODES,
	backgroundCode,
	compositionWarnings,
	foldText,
	isBackgroundCode,
	isCoreRole,
	isTeamRole,
	roleRoomProblem,
	TEAM_ROLES,
	type BackgroundCode,
	type RosterMember,
	type TeamRole
} from '$lib/domain/teamRules';
import { roleText } from '$lib/i18n/roleText';

describe('backgroundCode', () => {
	// Every background the demo server seeds (src/lib/server/demoData.ts), and what it means.
	const demo: [string, BackgroundCode | null][] = [
		['Phó Chủ tịch UBND thị trấn', 'communeLeader'],
		['Bí thư Đoàn thị trấn', 'youthUnion'],
		['Công chức phụ trách công nghệ thông tin', 'itOfficer'],
		['Sinh viên công nghệ thông tin', 'student'],
		['Nhân viên bưu điện', 'postTelecom'],
		['Tổ trưởng tổ dân phố', 'villageHead'],
		['Bí thư chi đoàn tổ dân phố', 'youthUnion'],
		['Công an khu vực', 'police'],
		['Giáo viên tiểu học', 'teacher'],
		['Giáo viên trung học cơ sở', 'teacher'],
		['Học sinh trung học phổ thông', 'student'],
		['Nhân viên nhà mạng viễn thông', 'postTelecom'],
		['Phó Chủ tịch UBND xã', 'communeLeader'],
		['Bí thư Đoàn xã', 'youthUnion'],
		['Nhân viên điểm bưu điện – văn hóa xã', 'postTelecom'],
		['Trưởng thôn', 'villageHead'],
		['Bí thư chi đoàn thôn', 'youthUnion'],
		['Giáo viên', 'teacher'],
		['Sinh viên', 'student'],
		['Nhân viên y tế thôn', 'healthWorker'],
		['Hội viên Hội Liên hiệp Phụ nữ', null]
	];
	it.each(demo)('reads the demo roster: %s', (text, code) => {
		expect(backgroundCode(text)).toBe(code);
	});

	it.each([
		['Công chức văn hóa - xã hội', 'itOfficer'],
		['Cán bộ chuyên trách CNTT cấp xã', 'itOfficer'],
		['Chủ tịch Ủy ban nhân dân xã', 'communeLeader'],
		['Bí thư Đảng ủy xã', 'communeLeader'],
		['Thôn trưởng', 'villageHead'],
		['Phó Bí thư Đoàn Thanh niên xã', 'youthUnion'],
		['Công an viên', 'police'],
		['Nông dân', 'resident'],
		['Người dân', 'resident'],
		['Bác sĩ trạm y tế xã', 'healthWorker'],
		['Nhân viên Viettel', 'postTelecom'],
		['Trưởng thôn, phụ trách chuyển đổi số', 'villageHead']
	] as const)('reads other usual wordings: %s', (text, code) => {
		expect(backgroundCode(text)).toBe(code);
	});

	it('reads text typed without marks, in capitals or with odd spacing', () => {
		expect(backgroundCode('truong thon')).toBe('villageHead');
		expect(backgroundCode('  TRƯỞNG   THÔN ')).toBe('villageHead');
		expect(backgroundCode('bi thu chi doan')).toBe('youthUnion');
		expect(backgroundCode('cong chuc van hoa xa hoi')).toBe('itOfficer');
		expect(backgroundCode('Trưởng thôn'.normalize('NFD'))).toBe('villageHead');
	});

	it('does not take look-alikes for the roles the plan names', () => {
		expect(backgroundCode('Phó trưởng thôn')).toBeNull();
		expect(backgroundCode('Phó tổ trưởng tổ dân phố')).toBeNull();
		expect(backgroundCode('Chủ tịch Ủy ban MTTQ xã')).toBeNull();
		expect(backgroundCode('Kỹ sư công nghệ thông tin')).toBeNull(); // skilled, but not the commune's IT officer
		expect(backgroundCode('Chủ tịch Hội Nông dân xã')).not.toBe('communeLeader');
		expect(backgroundCode('Đoàn thể')).toBeNull();
	});

	it('takes a stored code as itself, and nothing as nothing', () => {
		for (const code of BACKGROUND_CODES) expect(backgroundCode(code)).toBe(code);
		expect(backgroundCode('')).toBeNull();
		expect(backgroundCode('   ')).toBeNull();
		expect(backgroundCode(null)).toBeNull();
		expect(backgroundCode(undefined)).toBeNull();
		expect(isBackgroundCode('villageHead')).toBe(true);
		expect(isBackgroundCode('VillageHead')).toBe(false);
		expect(isCoreRole('member')).toBe(true);
		expect(isCoreRole('collaborator')).toBe(false);
	});

	it('names every role once, highest first, in the words the kiosk and the admin pages show', () => {
		expect(TEAM_ROLES.map(roleText)).toEqual(['Tổ trưởng', 'Tổ phó', 'Thành viên', 'Cộng tác viên']);
		expect(TEAM_ROLES.every(isTeamRole)).toBe(true);
		expect(isTeamRole('Leader')).toBe(false);
		expect(isTeamRole(undefined)).toBe(false);
	});

	it('never throws, and answers a code or null, for any text', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 200 }), (text) => {
				const code = backgroundCode(text);
				expect(code === null || isBackgroundCode(code)).toBe(true);
			})
		);
	});

	it('folds Vietnamese to plain words', () => {
		expect(foldText('Đặng Thị Hương – Bí thư Đoàn')).toBe('dang thi huong bi thu doan');
		expect(foldText('Ủy ban, Tổ trưởng!')).toBe('uy ban to truong');
	});
});

const m = (role: TeamRole, background: string, status = 'active'): RosterMember => ({ role, background, status });

const goodVillage = [m('leader', 'Trưởng thôn'), m('deputy', 'Bí thư chi đoàn thôn'), m('member', 'Giáo viên'), m('collaborator', 'Sinh viên')];
const goodCommune = [
	m('leader', 'Phó Chủ tịch UBND xã'),
	m('deputy', 'Bí thư Đoàn xã'),
	m('member', 'Công chức phụ trách công nghệ thông tin'),
	m('collaborator', 'Nhân viên bưu điện')
];

describe('compositionWarnings', () => {
	it('is silent for teams as the plan says, with codes or with free text', () => {
		expect(compositionWarnings({ level: 'village' }, goodVillage)).toEqual([]);
		expect(compositionWarnings({ level: 'commune' }, goodCommune)).toEqual([]);
		expect(
			compositionWarnings({ level: 'commune' }, [m('leader', 'communeLeader'), m('member', 'youthUnion'), m('member', 'itOfficer')])
		).toEqual([]);
	});

	it('warns about fewer than 3 active core members; collaborators and leavers do not count', () => {
		const village = [goodVillage[0]!, goodVillage[1]!, m('member', 'Giáo viên', 'left'), m('collaborator', 'Sinh viên'), m('collaborator', 'Công an xã')];
		expect(compositionWarnings({ level: 'village' }, village)).toEqual(['coreTooFew']);
		expect(compositionWarnings({ level: 'village' }, [])).toEqual(['coreTooFew', 'noLeader']);
	});

	it('warns about more than 3 active core members', () => {
		expect(compositionWarnings({ level: 'village' }, [...goodVillage, m('member', 'Công an khu vực')])).toEqual(['coreTooMany']);
	});

	it('warns about a team without a leader (one who left is no leader)', () => {
		const village = [m('leader', 'Trưởng thôn', 'left'), m('deputy', 'Bí thư chi đoàn thôn'), m('member', 'Giáo viên'), m('member', 'Y tá')];
		expect(compositionWarnings({ level: 'village' }, village)).toEqual(['noLeader']);
	});

	it('warns about a commune team without its Youth Union member, or its IT officer', () => {
		const noYouth = [goodCommune[0]!, m('deputy', 'Giáo viên'), goodCommune[2]!];
		expect(compositionWarnings({ level: 'commune' }, noYouth)).toEqual(['communeNoYouthUnion']);
		const noIt = [goodCommune[0]!, goodCommune[1]!, m('member', 'Công an xã')];
		expect(compositionWarnings({ level: 'commune' }, noIt)).toEqual(['communeNoItOfficer']);
		// A collaborator from the Youth Union does not fill the place.
		const youthCollaborator = [goodCommune[0]!, m('deputy', 'Giáo viên'), goodCommune[2]!, m('collaborator', 'Bí thư Đoàn xã')];
		expect(compositionWarnings({ level: 'commune' }, youthCollaborator)).toEqual(['communeNoYouthUnion']);
	});

	it('warns about a commune team led by someone other than a commune leader', () => {
		const team = [m('leader', 'Giáo viên'), goodCommune[1]!, goodCommune[2]!];
		expect(compositionWarnings({ level: 'commune' }, team)).toEqual(['communeLeaderNotOfficial']);
	});

	it('warns about a village team whose leader is not the village head (or says nothing)', () => {
		expect(compositionWarnings({ level: 'village' }, [m('leader', 'Giáo viên'), goodVillage[1]!, goodVillage[2]!])).toEqual(['villageLeaderNotHead']);
		expect(compositionWarnings({ level: 'village' }, [m('leader', ''), goodVillage[1]!, goodVillage[2]!])).toEqual(['villageLeaderNotHead']);
		expect(compositionWarnings({ level: 'village' }, [m('leader', 'Phó trưởng thôn'), goodVillage[1]!, goodVillage[2]!])).toEqual(['villageLeaderNotHead']);
		// The village head serving as deputy does not make the leader one.
		expect(compositionWarnings({ level: 'village' }, [m('leader', 'Giáo viên'), m('deputy', 'Trưởng thôn'), goodVillage[2]!])).toEqual([
			'villageLeaderNotHead'
		]);
	});

	it('does not apply commune rules to villages or village rules to communes', () => {
		expect(compositionWarnings({ level: 'village' }, [m('leader', 'Trưởng thôn'), m('member', 'Giáo viên'), m('member', 'Nông dân')])).toEqual([]);
		expect(compositionWarnings({ level: 'commune' }, [m('leader', 'Trưởng thôn'), goodCommune[1]!, goodCommune[2]!])).toEqual(['communeLeaderNotOfficial']);
	});

	it('gathers several warnings in a fixed order', () => {
		expect(compositionWarnings({ level: 'commune' }, [m('member', 'Giáo viên')])).toEqual(['coreTooFew', 'noLeader', 'communeNoYouthUnion', 'communeNoItOfficer']);
	});

	const roleArb = fc.constantFrom<TeamRole>('leader', 'deputy', 'member', 'collaborator');
	const memberArb = fc.record({
		role: roleArb,
		background: fc.oneof(fc.constantFrom('', 'Trưởng thôn', 'Bí thư Đoàn xã', 'Giáo viên', ...BACKGROUND_CODES), fc.string({ maxLength: 30 })),
		status: fc.constantFrom('active', 'left')
	});
	it('warns about the size exactly when the active core is not 3, and about the leader exactly when none is active', () => {
		fc.assert(
			fc.property(fc.constantFrom<'commune' | 'village'>('commune', 'village'), fc.array(memberArb, { maxLength: 8 }), (level, members) => {
				const warnings = compositionWarnings({ level }, members);
				const core = activeCoreCount(members);
				expect(warnings.includes('coreTooFew')).toBe(core < 3);
				expect(warnings.includes('coreTooMany')).toBe(core > 3);
				expect(warnings.includes('noLeader')).toBe(!members.some((x) => x.status === 'active' && x.role === 'leader'));
				expect(new Set(warnings).size).toBe(warnings.length);
				if (level === 'village') expect(warnings.some((w) => w.startsWith('commune'))).toBe(false);
				else expect(warnings).not.toContain('villageLeaderNotHead');
			})
		);
	});
});

describe('roleRoomProblem', () => {
	const roster = [
		{ id: 'a', full_name: 'Nguyễn Văn An', role: 'leader', background: 'Trưởng thôn', status: 'active' },
		{ id: 'b', full_name: 'Trần Thị Bình', role: 'deputy', background: '', status: 'active' },
		{ id: 'c', full_name: 'Lê Văn Cường', role: 'member', background: '', status: 'left' },
		{ id: 'd', full_name: 'Võ Văn Đức', role: 'collaborator', background: '', status: 'active' }
	] as const;

	it('names who holds the leader or deputy place', () => {
		expect(roleRoomProblem(roster, 'leader')).toEqual({ code: 'roleTaken', role: 'leader', holder: 'Nguyễn Văn An' });
		expect(roleRoomProblem(roster, 'deputy')).toEqual({ code: 'roleTaken', role: 'deputy', holder: 'Trần Thị Bình' });
		// The holder themself may keep the role.
		expect(roleRoomProblem(roster, 'leader', 'a')).toBeNull();
	});

	it('counts the core: a member who left frees a place; a collaborator needs none', () => {
		expect(roleRoomProblem(roster, 'member')).toBeNull();
		const full = [...roster, { id: 'e', full_name: 'Mới', role: 'member', background: '', status: 'active' }] as const;
		expect(roleRoomProblem(full, 'member')).toEqual({ code: 'teamFull', size: 3 });
		expect(roleRoomProblem(full, 'member', 'e')).toBeNull();
		expect(roleRoomProblem(full, 'collaborator')).toBeNull();
	});
});
