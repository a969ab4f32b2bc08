// Demo data for a fresh server (the seed plan's pilot: Đức Thọ town and Tùng Ảnh commune, two
// villages each, merged into Xã Đức Thọ on 1 July 2025) and a generated province for benchmarks.
// Both are deterministic: a seeded PRNG, fixed ids, and times derived from `now`, so the same `now`
// gives the same database.
import type { Insertable, Kysely } from 'kysely';
import { DEMO_MEMBERS, DEMO_TEAM_ID } from '$lib/domain/demo';
import { DEFAULT_PERIOD_RULE, localDateOf, periodOf, periodRange, shiftPeriod, type LocalDate, type PeriodRule } from '$lib/domain/period';
import type { AgeBand, Gender } from '$lib/domain/resident';
import { emptyCounts, type AnySessionTally, type Outcome, type SessionTally, type SessionTallyV2 } from '$lib/domain/tally';
import { BASIC_SKILL_GROUPS, type BasicSkillGroup } from '$lib/domain/basicSkills';
import { intBetween as randInt, mulberry32, type Rng } from '$lib/domain/random';
import type { Database, NewMember, OrgUnitKind } from './db/schema';
import { addToPeriodTotals } from './periodTotals';
import type { TeamLevel, TeamRole } from '$lib/domain/teamRules';
import { periodRuleSetting } from './settings';
import { recordChange } from './orgHistory';
import { ensureDefaultSkills } from './skills';
import { setMemberPin } from './teams';
import { hashPin } from '$lib/domain/pin';
import { breakdownRows, tallyRow } from './tallies';

export const DEMO_DEVICE_ID = 'demo-device';
/** The tablet's demo mode runs as this team: the server seeds it with the same id and members. */
export const DEMO_KIOSK_TEAM_ID = DEMO_TEAM_ID;
export const DEMO_ESTABLISHED_ON = '2022-10-15';

// ---------------------------------------------------------------------------------------------
// Randomness and time


function hashSeed(text: string): number {
	let h = 0x811c9dc5; // FNV-1a
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return h >>> 0;
}


function pickWeighted<T>(rng: Rng, items: readonly { value: T; weight: number }[]): T {
	const total = items.reduce((s, i) => s + i.weight, 0);
	let r = rng() * total;
	for (const item of items) {
		r -= item.weight;
		if (r < 0) return item.value;
	}
	return items[items.length - 1]!.value;
}

/** `k` distinct items in random order (partial Fisher–Yates). */
function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
	const copy = [...items];
	const n = Math.min(k, copy.length);
	for (let i = 0; i < n; i++) {
		const j = i + Math.floor(rng() * (copy.length - i));
		[copy[i], copy[j]] = [copy[j]!, copy[i]!];
	}
	return copy.slice(0, n);
}

/** A random UUID (v4 layout) from the PRNG, so session ids are deterministic too. */
function uuidFrom(rng: Rng): string {
	const bytes = Array.from({ length: 16 }, () => Math.floor(rng() * 256));
	bytes[6] = (bytes[6]! & 0x0f) | 0x40;
	bytes[8] = (bytes[8]! & 0x3f) | 0x80;
	const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Vietnam keeps UTC+7 all year (no daylight saving), so local hall times convert with a constant.
const VIETNAM_OFFSET_MS = 7 * 3600_000;
const MINUTE = 60_000;
const HOUR = 3600_000;

/** The instant of a local time of day ('YYYY-MM-DD', minutes after midnight) in Vietnam. */
function vietnamInstant(date: LocalDate, minutes: number): Date {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d) + minutes * MINUTE - VIETNAM_OFFSET_MS);
}

function daysOf(first: LocalDate, last: LocalDate): LocalDate[] {
	const out: LocalDate[] = [];
	const end = Date.parse(`${last}T00:00:00Z`);
	for (let t = Date.parse(`${first}T00:00:00Z`); t <= end; t += 24 * HOUR) out.push(new Date(t).toISOString().slice(0, 10));
	return out;
}

// ---------------------------------------------------------------------------------------------
// One session's counts

// Who comes to the hall: mostly older residents, more women than men (the seed plan's audience).
const AGE_WEIGHTS: readonly { value: AgeBand; weight: number }[] = [
	{ value: 'under18', weight: 4 },
	{ value: 'from18to39', weight: 12 },
	{ value: 'from40to59', weight: 34 },
	{ value: 'from60', weight: 50 }
];
const OUTCOME_WEIGHTS: readonly { value: Outcome; weight: number }[] = [
	{ value: 'done', weight: 74 },
	{ value: 'partly', weight: 19 },
	{ value: 'referred', weight: 7 }
];
/** VNeID first: it is what residents are asked to do most. Unlisted codes weigh 3. */
const SKILL_WEIGHTS: Readonly<Record<string, number>> = {
	vneid_install: 22,
	vneid_level2: 18,
	public_services: 10,
	bank_app: 8,
	ewallet_qr: 7,
	scam_awareness: 8,
	vssid: 7,
	zalo_video: 8,
	utility_bills: 5,
	ecommerce: 3,
	online_learning: 2,
	digital_signature: 2
};

interface SessionPlan {
	sessionId: string;
	teamId: string;
	date: LocalDate;
	startedAt: Date;
	endedAt: Date;
	/** Core members' ids; 2 or 3 of them are present. */
	memberIds: readonly string[];
	skillCodes: readonly string[];
	/** Share of residents coming for the first time (high when a team starts out). */
	firstShare: number;
}

/**
 * The tally as a tablet that reports outcomes (schema 2, issue 14) sends it: a few residents a
 * session gain a group by doing it themselves; fewer reach all five, and some of those are the
 * first in their household to.
 */
export function withOutcomes(rng: Rng, tally: SessionTally): SessionTallyV2 {
	const residents = tally.distinctResidents;
	const residentsGainedByGroup = Object.fromEntries(BASIC_SKILL_GROUPS.map((g) => [g, randInt(rng, 0, Math.min(3, residents))])) as Record<BasicSkillGroup, number>;
	const residentsNewlyProficient = randInt(rng, 0, Math.min(2, ...Object.values(residentsGainedByGroup)));
	return { ...tally, schema: 2, residentsNewlyProficient, householdsNewlyCovered: randInt(rng, 0, residentsNewlyProficient), residentsGainedByGroup };
}

/** A consistent tally (findInconsistency finds nothing) for a plausible session. */
export function generateTally(rng: Rng, plan: SessionPlan): SessionTally {
	const counts = emptyCounts();
	const present = sample(rng, plan.memberIds, Math.max(1, plan.memberIds.length - (rng() < 0.3 ? 1 : 0)));
	const skills = plan.skillCodes.map((code) => ({ value: code, weight: SKILL_WEIGHTS[code] ?? 3 }));
	const residents = randInt(rng, 5, 25);
	counts.distinctResidents = residents;
	// Now and then someone leaves and checks in again later the same day.
	counts.checkIns = residents + (rng() < 0.15 ? 1 : 0);
	for (let r = 0; r < residents; r++) {
		const gender: Gender = rng() < 0.58 ? 'female' : 'male';
		const age = pickWeighted(rng, AGE_WEIGHTS);
		counts.residentsByGender[gender]++;
		counts.residentsByAgeBand[age]++;
		if (rng() < plan.firstShare) counts.firstTimeResidents++;
		const assists = pickWeighted(rng, [
			{ value: 0, weight: 8 },
			{ value: 1, weight: 67 },
			{ value: 2, weight: 25 }
		]);
		for (let a = 0; a < assists; a++) {
			counts.assists++;
			counts.assistsByGender[gender]++;
			counts.assistsByAgeBand[age]++;
			counts.assistsByOutcome[pickWeighted(rng, OUTCOME_WEIGHTS)]++;
			const member = present[Math.floor(rng() * present.length)]!;
			counts.assistsByMember[member] = (counts.assistsByMember[member] ?? 0) + 1;
			const taught = new Set([pickWeighted(rng, skills)]);
			if (rng() < 0.2) taught.add(pickWeighted(rng, skills));
			for (const code of taught) counts.assistsBySkill[code] = (counts.assistsBySkill[code] ?? 0) + 1;
		}
	}
	return {
		schema: 1,
		sessionId: plan.sessionId,
		version: 1,
		teamId: plan.teamId,
		date: plan.date,
		startedAt: plan.startedAt.toISOString(),
		endedAt: plan.endedAt.toISOString(),
		membersPresent: present,
		...counts
	};
}

/** A morning (07:30) or evening (19:00) session at the village hall, 1½–3 hours long. */
function sessionTimes(rng: Rng, date: LocalDate): { startedAt: Date; endedAt: Date } {
	const evening = rng() < 0.35;
	const start = evening ? 19 * 60 : 7 * 60 + 30;
	const length = evening ? randInt(rng, 90, 120) : randInt(rng, 120, 180);
	return { startedAt: vietnamInstant(date, start), endedAt: vietnamInstant(date, start + length) };
}

// ---------------------------------------------------------------------------------------------
// The pilot: demo data for a fresh server

interface DemoUnit {
	key: string;
	id: string;
	parent: string | null;
	name: string;
	kind: OrgUnitKind;
	code: string | null;
}

// The pilot's units as they stood before the reform of 1 July 2025 (no dated rows: in force from
// ORG_HISTORY_START). Xã Hòa Lạc and Xã Tân Dân had no team in the pilot but merged all the same.
const DEMO_UNITS: readonly DemoUnit[] = [
	{ key: 'province', id: 'demo-ha-tinh', parent: null, name: 'Tỉnh Hà Tĩnh', kind: 'province', code: '42' },
	{ key: 'district', id: 'demo-duc-tho', parent: 'province', name: 'Huyện Đức Thọ', kind: 'district', code: null },
	{ key: 'ducThoTown', id: 'demo-tt-duc-tho', parent: 'district', name: 'Thị trấn Đức Thọ', kind: 'town', code: null },
	{ key: 'tdp1', id: 'demo-tdp-1', parent: 'ducThoTown', name: 'Tổ dân phố 1', kind: 'residentialGroup', code: null },
	{ key: 'tdp2', id: 'demo-tdp-2', parent: 'ducThoTown', name: 'Tổ dân phố 2', kind: 'residentialGroup', code: null },
	{ key: 'tungAnh', id: 'demo-xa-tung-anh', parent: 'district', name: 'Xã Tùng Ảnh', kind: 'commune', code: null },
	{ key: 'trungHoa', id: 'demo-thon-trung-hoa', parent: 'tungAnh', name: 'Thôn Trung Hòa', kind: 'village', code: null },
	{ key: 'dongThinh', id: 'demo-thon-dong-thinh', parent: 'tungAnh', name: 'Thôn Đông Thịnh', kind: 'village', code: null },
	{ key: 'hoaLac', id: 'demo-xa-hoa-lac', parent: 'district', name: 'Xã Hòa Lạc', kind: 'commune', code: null },
	{ key: 'tanDan', id: 'demo-xa-tan-dan', parent: 'district', name: 'Xã Tân Dân', kind: 'commune', code: null }
];

/** The reform, as an admin records it: the day it took effect and the texts it rests on. */
export const DEMO_REFORM_ON: LocalDate = '2025-07-01';
/** Xã Đức Thọ, formed on DEMO_REFORM_ON; its villages and residential groups are the pilot's. */
export const DEMO_COMMUNE_ID = 'demo-xa-duc-tho';
const DEMO_REFORM: readonly Record<string, unknown>[] = [
	{
		kind: 'merge',
		id: 'demo-merge-duc-tho',
		effectiveOn: DEMO_REFORM_ON,
		basis: '1656/NQ-UBTVQH15',
		sourceIds: ['demo-tt-duc-tho', 'demo-xa-tung-anh', 'demo-xa-hoa-lac', 'demo-xa-tan-dan'],
		into: { newUnit: { id: DEMO_COMMUNE_ID, name: 'Xã Đức Thọ', kind: 'commune', code: null, parentId: 'demo-ha-tinh' } }
	},
	// The district level ends the same day (the Constitution as amended by Resolution 203/2025/QH15).
	{ kind: 'dissolve', id: 'demo-dissolve-duc-tho', effectiveOn: DEMO_REFORM_ON, basis: '203/2025/QH15', unitId: 'demo-duc-tho' }
];

/** The day the demo's tablets started reporting outcomes (tally schema 2): before it, "not reported". */
const DEMO_OUTCOMES_FROM: LocalDate = '2025-08-01';

/** Tallies reach back this many periods, and at least to DEMO_HISTORY_FROM, so both sides of the reform show. */
const DEMO_PERIODS = 18;
const DEMO_HISTORY_FROM: LocalDate = '2024-12-15';

interface DemoMember {
	id?: string;
	name: string;
	role: TeamRole;
	background: string;
}
interface DemoTeam {
	id: string;
	unit: string;
	name: string;
	level: TeamLevel;
	members: readonly DemoMember[];
}

const TRUNG_HOA_BACKGROUND: Record<(typeof DEMO_MEMBERS)[number]['role'], string> = {
	leader: 'Trưởng thôn',
	deputy: 'Bí thư chi đoàn thôn',
	member: 'Giáo viên'
};

// Seed 3.1: a commune team is a commune leader, the Youth Union secretary and the IT officer; a
// village team is the village head, the Youth Union branch secretary and a resident with digital
// skills. Trung Hòa's members are the tablet demo's (domain/demo.ts), so their ids and PINs match.
const DEMO_TEAMS: readonly DemoTeam[] = [
	{
		id: 'demo-tt-duc-tho-team',
		unit: 'ducThoTown',
		name: 'Tổ công nghệ số cộng đồng thị trấn Đức Thọ',
		level: 'commune',
		members: [
			{ name: 'Phan Đình Hùng', role: 'leader', background: 'Phó Chủ tịch UBND thị trấn' },
			{ name: 'Nguyễn Thị Hồng Nhung', role: 'deputy', background: 'Bí thư Đoàn thị trấn' },
			{ name: 'Trần Quốc Việt', role: 'member', background: 'Công chức phụ trách công nghệ thông tin' },
			{ name: 'Lê Minh Tuấn', role: 'collaborator', background: 'Sinh viên công nghệ thông tin' },
			{ name: 'Đặng Thị Thu Hà', role: 'collaborator', background: 'Nhân viên bưu điện' }
		]
	},
	{
		id: 'demo-tdp-1-team',
		unit: 'tdp1',
		name: 'Tổ công nghệ số cộng đồng tổ dân phố 1',
		level: 'village',
		members: [
			{ name: 'Nguyễn Văn Thắng', role: 'leader', background: 'Tổ trưởng tổ dân phố' },
			{ name: 'Võ Thị Lan Anh', role: 'deputy', background: 'Bí thư chi đoàn tổ dân phố' },
			{ name: 'Hoàng Đức Mạnh', role: 'member', background: 'Công an khu vực' },
			{ name: 'Bùi Thị Hạnh', role: 'collaborator', background: 'Giáo viên tiểu học' }
		]
	},
	{
		id: 'demo-tdp-2-team',
		unit: 'tdp2',
		name: 'Tổ công nghệ số cộng đồng tổ dân phố 2',
		level: 'village',
		members: [
			{ name: 'Trần Văn Hải', role: 'leader', background: 'Tổ trưởng tổ dân phố' },
			{ name: 'Phan Thị Thảo', role: 'deputy', background: 'Bí thư chi đoàn tổ dân phố' },
			{ name: 'Lê Thị Mai', role: 'member', background: 'Giáo viên trung học cơ sở' },
			{ name: 'Nguyễn Đức Anh', role: 'collaborator', background: 'Học sinh trung học phổ thông' },
			{ name: 'Đinh Văn Long', role: 'collaborator', background: 'Nhân viên nhà mạng viễn thông' }
		]
	},
	{
		id: 'demo-xa-tung-anh-team',
		unit: 'tungAnh',
		name: 'Tổ công nghệ số cộng đồng xã Tùng Ảnh',
		level: 'commune',
		members: [
			{ name: 'Nguyễn Văn Dũng', role: 'leader', background: 'Phó Chủ tịch UBND xã' },
			{ name: 'Đặng Thị Hương', role: 'deputy', background: 'Bí thư Đoàn xã' },
			{ name: 'Phạm Văn Khánh', role: 'member', background: 'Công chức phụ trách công nghệ thông tin' },
			{ name: 'Trần Thị Ngọc', role: 'collaborator', background: 'Nhân viên điểm bưu điện – văn hóa xã' }
		]
	},
	{
		id: DEMO_KIOSK_TEAM_ID,
		unit: 'trungHoa',
		name: 'Tổ công nghệ số cộng đồng thôn Trung Hòa',
		level: 'village',
		members: [
			...DEMO_MEMBERS.map((m) => ({ id: m.id, name: m.fullName, role: m.role, background: TRUNG_HOA_BACKGROUND[m.role] })),
			{ name: 'Võ Văn Đức', role: 'collaborator', background: 'Sinh viên' },
			{ name: 'Nguyễn Thị Yến', role: 'collaborator', background: 'Nhân viên y tế thôn' }
		]
	},
	{
		id: 'demo-thon-dong-thinh-team',
		unit: 'dongThinh',
		name: 'Tổ công nghệ số cộng đồng thôn Đông Thịnh',
		level: 'village',
		members: [
			{ name: 'Hoàng Văn Sơn', role: 'leader', background: 'Trưởng thôn' },
			{ name: 'Nguyễn Thị Phương', role: 'deputy', background: 'Bí thư chi đoàn thôn' },
			{ name: 'Trần Đình Quang', role: 'member', background: 'Nhân viên y tế thôn' },
			{ name: 'Lê Thị Hoa', role: 'collaborator', background: 'Hội viên Hội Liên hiệp Phụ nữ' }
		]
	}
];

/** Sends nothing for the latest period, so completeness shows a gap. */
const SILENT_TEAM = 'demo-thon-dong-thinh-team';
/** Its tablet was offline: the previous period's tallies all arrive after the deadline. */
const LATE_TEAM = 'demo-tdp-2-team';

const memberIdOf = (team: DemoTeam, m: DemoMember, i: number) => m.id ?? `${team.id}-m${i + 1}`;

export interface DemoSeedResult {
	/** False when the database already had org units: nothing was written. */
	seeded: boolean;
	/** Unit ids by key: province, district, the four former communes, their villages, and ducTho. */
	unitIds: Record<string, string>;
	teamIds: string[];
}

/**
 * Fills an empty server with the pilot as it lived through the reform: the tree before it, the
 * merge into Xã Đức Thọ and the end of the district on 1 July 2025 recorded as an admin would
 * (dated, with their legal basis), six teams with their members, the skills catalog, and tallies
 * for the DEMO_PERIODS periods up to the one containing `now` (and back to DEMO_HISTORY_FROM at
 * least), stored through storeTally as uploads would be. Does nothing if any org unit exists.
 *
 * The last period has no tallies from Thôn Đông Thịnh; tổ dân phố 2's tallies of the previous
 * period arrive three days after its deadline (or, while that is still in the future, those of
 * the period before). Sessions and arrivals are never after `now`. The demo team's members get the
 * PINs the tablet's demo mode uses (README), so an enrolled demo tablet unlocks with the same PINs.
 * `reform: false` leaves the tree as it was before the reform (for recording it as a user would).
 */
export async function seedDemoData(db: Kysely<Database>, input: { now: Date; rule?: PeriodRule; reform?: boolean }): Promise<DemoSeedResult> {
	if (await db.selectFrom('org_units').select('id').limit(1).executeTakeFirst()) return { seeded: false, unitIds: {}, teamIds: [] };
	const { now } = input;
	const rule = input.rule ?? (await periodRuleSetting(db));
	const unitIds: Record<string, string> = { ...Object.fromEntries(DEMO_UNITS.map((u) => [u.key, u.id])), ducTho: DEMO_COMMUNE_ID };
	await writePilot(db, now);
	if (input.reform !== false) for (const change of DEMO_REFORM) await recordChange(db, change, { actor: 'system', now, apply: true });
	for (const member of DEMO_MEMBERS) await setMemberPin(db, { memberId: member.id, pinHash: await hashPin(member.pin), actor: 'system', now });
	await ensureDefaultSkills(db);
	await seedPilotTallies(db, now, rule);
	return { seeded: true, unitIds, teamIds: DEMO_TEAMS.map((t) => t.id) };
}

/** The units as they were before the reform, the teams and their members: one transaction. */
async function writePilot(db: Kysely<Database>, now: Date): Promise<void> {
	const at = now.toISOString();
	const idOf = new Map(DEMO_UNITS.map((u) => [u.key, u.id]));
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('org_units')
			.values(DEMO_UNITS.map((u) => ({ id: u.id, parent_id: u.parent === null ? null : idOf.get(u.parent)!, name: u.name, kind: u.kind, code: u.code, archived_at: null, created_at: at })))
			.execute();
		await trx
			.insertInto('teams')
			.values(DEMO_TEAMS.map((t) => ({ id: t.id, unit_id: idOf.get(t.unit)!, name: t.name, level: t.level, phase: 'pilot' as const, established_on: DEMO_ESTABLISHED_ON, archived_at: null, created_at: at })))
			.execute();
		await trx
			.insertInto('members')
			.values(
				DEMO_TEAMS.flatMap((t) =>
					t.members.map(
						(m, i): NewMember => ({
							id: memberIdOf(t, m, i),
							team_id: t.id,
							full_name: m.name,
							role: m.role,
							background: m.background,
							status: 'active',
							joined_on: DEMO_ESTABLISHED_ON,
							left_on: null,
							pin_hash: null,
							created_at: at
						})
					)
				)
			)
			.execute();
	});
}

/** The periods the demo has tallies for, oldest first: DEMO_PERIODS of them, or back to DEMO_HISTORY_FROM. */
function demoPeriods(now: Date, rule: PeriodRule): string[] {
	const latest = periodOf(localDateOf(now), rule);
	const reach = shiftPeriod(latest, -(DEMO_PERIODS - 1));
	const fromHistory = periodOf(DEMO_HISTORY_FROM, rule);
	const out: string[] = [];
	for (let k = fromHistory < reach ? fromHistory : reach; k <= latest; k = shiftPeriod(k, 1)) out.push(k);
	return out;
}

async function seedPilotTallies(db: Kysely<Database>, now: Date, rule: PeriodRule): Promise<void> {
	const skillCodes = (await db.selectFrom('skills').select('code').where('active', '=', 1).orderBy('sort').execute()).map((s) => s.code);
	const rng = mulberry32(hashSeed(`tram-so-demo:${now.toISOString()}`));
	const today = localDateOf(now);
	const periods = demoPeriods(now, rule).map((k) => periodRange(k, rule));
	const latest = periods.at(-1)!;
	// Three days after the deadline, mid-morning: the day the offline tablet got back on Wi-Fi.
	const lateArrival = (p: (typeof periods)[number]) => vietnamInstant(p.deadline, 9 * 60 + 3 * 24 * 60);
	const previous = periods.at(-2) ?? latest;
	const latePeriod = lateArrival(previous) <= now ? previous : (periods.at(-3) ?? previous);
	const uploads: Upload[] = [];

	for (const [index, period] of periods.entries()) {
		const isLatest = period === latest;
		const days = daysOf(period.first, period.last < today ? period.last : today);
		// Many first-comers while a team is new, fewer as the village gets to know it.
		const firstShare = Math.max(0.3, 0.6 - (0.3 * index) / Math.max(1, periods.length - 1));
		for (const team of DEMO_TEAMS) {
			if (isLatest && team.id === SILENT_TEAM) continue;
			const memberIds = team.members.filter((m) => m.role !== 'collaborator').map((m, i) => memberIdOf(team, m, i));
			const late = team.id === LATE_TEAM && period === latePeriod;
			for (const date of sample(rng, days, randInt(rng, 2, 4)).sort()) {
				const { startedAt, endedAt } = sessionTimes(rng, date);
				// Usually uploaded within a day and a half of closing, when the hall's Wi-Fi is up.
				const sentAt = late ? lateArrival(period) : new Date(Math.min(endedAt.getTime() + randInt(rng, 5, 36 * 60) * MINUTE, now.getTime()));
				const counts = generateTally(rng, { sessionId: uuidFrom(rng), teamId: team.id, date, startedAt, endedAt, memberIds, skillCodes, firstShare });
				// The tablets were updated in August 2025: outcomes reported from then on (issue 14).
				const tally = date >= DEMO_OUTCOMES_FROM ? withOutcomes(rng, counts) : counts;
				if (endedAt > now) continue; // today's session has not ended yet
				uploads.push({ tally, receivedAt: sentAt });
			}
		}
	}
	await insertUploads(db, uploads, rule);
}

// ---------------------------------------------------------------------------------------------
// A generated province, for benchmarks

const SESSION_CHUNK = 500; // 30 columns: 15,000 parameters, within both engines' limits
const SMALL_CHUNK = 3000; // 3 columns

async function insertChunked<T extends keyof Database>(db: Kysely<Database>, table: T, rows: readonly Insertable<Database[T]>[], chunk: number): Promise<void> {
	for (let i = 0; i < rows.length; i += chunk) {
		// Kysely cannot relate a generic table name to its row type; the signature above does.
		await db.insertInto(table).values(rows.slice(i, i + chunk) as never).execute();
	}
}

interface Upload {
	tally: AnySessionTally;
	receivedAt: Date;
}

/**
 * Seeded sessions as storeTally would have stored them, uploaded at `receivedAt` by the demo
 * tablet (tallyRow and the breakdown rows of non-zero counts), in multi-row batches inside one
 * transaction: seeding 18 months takes one commit, not one per session.
 */
async function insertUploads(db: Kysely<Database>, uploads: readonly Upload[], rule: PeriodRule): Promise<void> {
	const tallyRows = uploads.map((u) => tallyRow(u.tally, DEMO_DEVICE_ID, rule, u.receivedAt));
	const breakdowns = uploads.map((u) => breakdownRows(u.tally));
	await db.transaction().execute(async (trx) => {
		await insertChunked(trx, 'session_tallies', tallyRows, SESSION_CHUNK);
		await insertChunked(trx, 'tally_skill_counts', breakdowns.flatMap((b) => b.skills), SMALL_CHUNK);
		await insertChunked(trx, 'tally_member_counts', breakdowns.flatMap((b) => b.members), SMALL_CHUNK);
		await insertChunked(trx, 'tally_group_counts', breakdowns.flatMap((b) => b.groups), SMALL_CHUNK);
		await addToPeriodTotals(trx, tallyRows.map((row, i) => ({ session: { row, skills: breakdowns[i]!.skills, groups: breakdowns[i]!.groups }, sign: 1 as const })));
	});
}

export interface ProvinceSeedResult {
	rootId: string;
	/** Commune-level and village-level units. */
	unitIds: string[];
	teamIds: string[];
	sessions: number;
}

/**
 * A province of communes with 9 villages each, one team per commune and per village until there
 * are `teams`, and about `sessionsPerMonth` (default 8) sessions per team in each of the `months`
 * periods ending at the one containing `now`. Rows are what storeTally writes (tallyRow and the
 * same breakdown rows), inserted in multi-row batches inside one transaction per period.
 * Ids derive from `seed`: seed a database once per seed.
 */
export async function seedProvince(
	db: Kysely<Database>,
	input: { teams: number; months: number; now: Date; seed: number; rule?: PeriodRule; sessionsPerMonth?: number }
): Promise<ProvinceSeedResult> {
	const rule = input.rule ?? DEFAULT_PERIOD_RULE;
	const rng = mulberry32(input.seed);
	const at = input.now.toISOString();
	const prefix = `bench-${input.seed}`;
	const rootId = `${prefix}-p`;
	const perMonth = input.sessionsPerMonth ?? 8;
	const villagesPerCommune = 9;

	const units: Database['org_units'][] = [{ id: rootId, parent_id: null, name: 'Tỉnh Thử Nghiệm', kind: 'province', code: null, archived_at: null, created_at: at }];
	const teams: Database['teams'][] = [];
	const members: NewMember[] = [];
	const addTeam = (unitId: string, name: string, level: TeamLevel) => {
		const id = `${unitId}-team`;
		teams.push({ id, unit_id: unitId, name, level, phase: 'districtWide', established_on: DEMO_ESTABLISHED_ON, archived_at: null, created_at: at });
		(['leader', 'deputy', 'member'] as const).forEach((role, i) =>
			members.push({ id: `${id}-m${i + 1}`, team_id: id, full_name: `Thành viên ${i + 1}`, role, background: '', status: 'active', joined_on: DEMO_ESTABLISHED_ON, left_on: null, pin_hash: null, created_at: at })
		);
	};
	for (let c = 1; teams.length < input.teams; c++) {
		const communeId = `${prefix}-c${c}`;
		units.push({ id: communeId, parent_id: rootId, name: `Xã ${c}`, kind: 'commune', code: null, archived_at: null, created_at: at });
		addTeam(communeId, `Tổ công nghệ số cộng đồng xã ${c}`, 'commune');
		for (let v = 1; v <= villagesPerCommune && teams.length < input.teams; v++) {
			const villageId = `${communeId}-v${v}`;
			units.push({ id: villageId, parent_id: communeId, name: `Thôn ${v}`, kind: 'village', code: null, archived_at: null, created_at: at });
			addTeam(villageId, `Tổ công nghệ số cộng đồng thôn ${v}, xã ${c}`, 'village');
		}
	}

	await db.transaction().execute(async (trx) => {
		await insertChunked(trx, 'org_units', units, 1000);
		await insertChunked(trx, 'teams', teams, 1000);
		await insertChunked(trx, 'members', members, 1000);
	});
	await ensureDefaultSkills(db);
	const skillCodes = (await db.selectFrom('skills').select('code').where('active', '=', 1).orderBy('sort').execute()).map((s) => s.code);

	const latest = periodOf(localDateOf(input.now), rule);
	let sessions = 0;
	for (let m = input.months - 1; m >= 0; m--) {
		const period = periodRange(shiftPeriod(latest, -m), rule);
		const days = daysOf(period.first, period.last);
		const uploads: Upload[] = [];
		for (const team of teams) {
			const memberIds = [1, 2, 3].map((i) => `${team.id}-m${i}`);
			for (const date of sample(rng, days, randInt(rng, perMonth - 2, perMonth + 2))) {
				const { startedAt, endedAt } = sessionTimes(rng, date);
				const tally = generateTally(rng, { sessionId: uuidFrom(rng), teamId: team.id, date, startedAt, endedAt, memberIds, skillCodes, firstShare: 0.3 });
				uploads.push({ tally, receivedAt: new Date(endedAt.getTime() + randInt(rng, 5, 36 * 60) * MINUTE) });
			}
		}
		await insertUploads(db, uploads, rule);
		sessions += uploads.length;
	}
	return { rootId, unitIds: units.slice(1).map((u) => u.id), teamIds: teams.map((t) => t.id), sessions };
}

