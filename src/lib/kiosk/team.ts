// The team this tablet belongs to, its roster and skills catalog, and the kiosk's settings.
import { DEFAULT_SKILLS } from '$lib/domain/skills';
import { DEFAULT_PERIOD_RULE, type PeriodRule } from '$lib/domain/period';
import { hashPin } from '$lib/domain/pin';
import { DEMO_MEMBERS, DEMO_TEAM_ID } from '$lib/domain/demo';
import type { RolloutPhase, TeamLevel } from '$lib/domain/teamRules';
import { getSetting, type KioskDb, type MemberRow } from './db';
import { ensureResidentKey } from './residentKeys';

export interface TeamInfo {
	id: string;
	name: string;
	level: TeamLevel;
	/** From the team's unit up, as the server's tree stands today: "Thôn Trung Hòa, Xã Đức Thọ, Tỉnh Hà Tĩnh". */
	unitPath: string;
	phase: RolloutPhase;
	establishedOn: string;
	/** True until the tablet is enrolled to a real server. */
	demo: boolean;
}

export { teamPlace } from '$lib/domain/teamPlace';

export const SETTING = {
	team: 'team',
	pinLock: 'pinLock',
	periodRule: 'periodRule',
	timeZone: 'timeZone',
	retentionDays: 'retentionDays'
} as const;

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const DEFAULT_RETENTION_DAYS = 90;

/** The demo team: a village team of the seed plan's pilot, in Xã Đức Thọ since 1 July 2025. */
export const DEMO_TEAM: TeamInfo = {
	id: DEMO_TEAM_ID,
	name: 'Tổ công nghệ số cộng đồng thôn Trung Hòa',
	level: 'village',
	unitPath: 'Thôn Trung Hòa, xã Đức Thọ, tỉnh Hà Tĩnh',
	phase: 'pilot',
	establishedOn: '2022-10-15',
	demo: true
};


/**
 * A fresh install runs as the demo team. Seeding is one transaction, so a tab killed half-way
 * leaves nothing and the next start seeds again. PINs are hashed before it (WebCrypto is not
 * an IndexedDB operation and would end a Dexie transaction). Every start also makes sure the
 * tablet has its own resident key.
 */
export async function ensureSeeded(db: KioskDb, pinIterations?: number): Promise<void> {
	if (!(await db.settings.get(SETTING.team))) await seedDemoTeam(db, pinIterations);
	await ensureResidentKey(db);
}

async function seedDemoTeam(db: KioskDb, pinIterations?: number): Promise<void> {
	const members: MemberRow[] = await Promise.all(
		DEMO_MEMBERS.map(async (m, order) => ({
			id: m.id,
			fullName: m.fullName,
			role: m.role,
			pin: await hashPin(m.pin, pinIterations),
			active: true,
			order
		}))
	);
	await db.transaction('rw', [db.settings, db.members, db.skills], async () => {
		if (await db.settings.get(SETTING.team)) return; // another tab won the race
		await db.members.bulkPut(members);
		await db.skills.bulkPut(DEFAULT_SKILLS.map((s, order) => ({ ...s, order })));
		await db.settings.bulkPut([
			{ key: SETTING.periodRule, value: DEFAULT_PERIOD_RULE },
			{ key: SETTING.timeZone, value: DEFAULT_TIME_ZONE },
			{ key: SETTING.retentionDays, value: DEFAULT_RETENTION_DAYS },
			{ key: SETTING.team, value: DEMO_TEAM }
		]);
	});
}

export async function currentTeam(db: KioskDb): Promise<TeamInfo> {
	const team = await getSetting<TeamInfo>(db, SETTING.team);
	if (!team) throw new Error('kiosk is not set up');
	return team;
}

export async function periodRule(db: KioskDb): Promise<PeriodRule> {
	return (await getSetting<PeriodRule>(db, SETTING.periodRule)) ?? DEFAULT_PERIOD_RULE;
}

export async function timeZone(db: KioskDb): Promise<string> {
	return (await getSetting<string>(db, SETTING.timeZone)) ?? DEFAULT_TIME_ZONE;
}

export async function activeMembers(db: KioskDb): Promise<MemberRow[]> {
	return (await db.members.orderBy('order').toArray()).filter((m) => m.active);
}

export async function activeSkills(db: KioskDb) {
	return (await db.skills.orderBy('order').toArray()).filter((s) => s.active);
}
