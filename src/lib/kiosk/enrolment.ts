// Joining a district server: the tablet takes its team, roster, skills and settings from the
// server and keeps every record it made before. Sessions made under the demo team are held
// until the leader confirms they belong to the new team.
import type { EnrolResponse, TeamConfig } from '$lib/domain/api';
import { UNASSIGNED_MEMBER } from '$lib/domain/api';
import { getSetting, type KioskDb, type MemberRow, type OutboxRow } from './db';
import { SETTING, type TeamInfo } from './team';

export interface ServerLink {
	origin: string;
	name: string;
	deviceId: string;
	token: string;
	enrolledAt: string;
	/** The config version (ETag) last applied. */
	configVersion: string;
	/** Set when the server answered that this tablet was revoked. */
	revokedAt?: string;
}

export const SERVER_SETTING = 'server';

export async function serverLink(db: KioskDb): Promise<ServerLink | undefined> {
	return getSetting<ServerLink>(db, SERVER_SETTING);
}

/**
 * Writes a team configuration from the server into the tablet. Inside a 'rw' transaction.
 * The resident key is the tablet's own and never comes from a server: a `residentKey` that an
 * older server still sends is ignored.
 */
async function applyConfig(db: KioskDb, config: TeamConfig): Promise<void> {
	const team: TeamInfo = { ...config.team, demo: false };
	const members: MemberRow[] = config.members
		.filter((m) => m.pin !== null)
		.map((m, order) => ({
			id: m.id,
			fullName: m.fullName,
			role: m.role === 'collaborator' ? 'member' : m.role,
			pin: m.pin!,
			active: true,
			order,
			badgeVersion: m.badge
		}));
	// Members who left stay in the table (old assists name them) but can no longer unlock.
	await db.members.toCollection().modify({ active: false });
	await db.members.bulkPut(members);
	await db.skills.clear();
	await db.skills.bulkPut(config.skills.map((s, order) => ({ ...s, order })));
	await db.settings.bulkPut([
		{ key: SETTING.team, value: team },
		{ key: SETTING.periodRule, value: config.periodRule }
	]);
}

export async function applyEnrolment(db: KioskDb, origin: string, enrolment: EnrolResponse, now: Date): Promise<void> {
	await db.transaction('rw', [db.settings, db.members, db.skills, db.outbox], async () => {
		await applyConfig(db, enrolment);
		const link: ServerLink = {
			origin,
			name: enrolment.server.name,
			deviceId: enrolment.deviceId,
			token: enrolment.token,
			enrolledAt: now.toISOString(),
			configVersion: enrolment.version
		};
		await db.settings.put({ key: SERVER_SETTING, value: link });
		// Sessions recorded for another team (the demo) wait for the leader's word.
		await db.outbox
			.filter((row) => row.tally.teamId !== enrolment.team.id && row.state !== 'sent')
			.modify({ state: 'held' });
	});
}

export async function applyConfigUpdate(db: KioskDb, config: TeamConfig): Promise<void> {
	await db.transaction('rw', [db.settings, db.members, db.skills], async () => {
		await applyConfig(db, config);
		const link = await serverLink(db);
		if (link) await db.settings.put({ key: SERVER_SETTING, value: { ...link, configVersion: config.version } });
	});
}

/** Moves a held session's tally to the enrolled team; demo members' counts become "unassigned". */
export function rehomeTally(row: OutboxRow, teamId: string, roster: Set<string>): OutboxRow {
	const byMember: Record<string, number> = {};
	for (const [id, n] of Object.entries(row.tally.assistsByMember)) {
		const key = roster.has(id) ? id : UNASSIGNED_MEMBER;
		byMember[key] = (byMember[key] ?? 0) + n;
	}
	return {
		...row,
		state: 'pending',
		attempts: 0,
		lastError: undefined,
		tally: {
			...row.tally,
			teamId,
			assistsByMember: byMember,
			membersPresent: row.tally.membersPresent.filter((id) => roster.has(id))
		}
	};
}

export async function confirmHeldSessions(db: KioskDb): Promise<number> {
	return db.transaction('rw', [db.settings, db.members, db.outbox, db.sessions], async () => {
		const team = await getSetting<TeamInfo>(db, SETTING.team);
		if (!team || team.demo) return 0;
		// The server's roster as this tablet knows it: the demo members it deactivated are not on it.
		const roster = new Set((await db.members.filter((m) => m.active).toArray()).map((m) => m.id));
		const held = await db.outbox.where('state').equals('held').toArray();
		await db.outbox.bulkPut(held.map((row) => rehomeTally(row, team.id, roster)));
		await db.sessions.where('id').anyOf(held.map((r) => r.sessionId)).modify({ teamId: team.id });
		return held.length;
	});
}
