// Teams and their rosters (PRODUCT.md "Team rules"): one commune-level team per commune-level
// unit, at most one team per village; 3 active core members (one leader, at most one deputy) and
// any number of collaborators. Members are never deleted: leaving keeps the row and its history.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TeamConfig } from '$lib/domain/api';
import type { PinHash } from '$lib/domain/pin';
import { recordAudit } from './audit';
import type { Database, Member, OrgUnit, Team } from './db/schema';
import { ROLLOUT_PHASES, TEAM_LEVELS, TEAM_ROLES, type RolloutPhase, type TeamLevel, type TeamRole } from '$lib/domain/teamRules';
import { cleanText, MAX_NAME_LENGTH } from '$lib/domain/text';
import { InputError, requireDate, requireNameInput } from './inputError';
import { teamLevelOfKind } from '$lib/domain/orgHistory';
import { writeTransaction } from './orgTree';
import { listSkills } from './skills';

/** Leader, deputy and members; collaborators are outside it. */
export const CORE_TEAM_SIZE = 3;
const MAX_BACKGROUND_LENGTH = 200;

const collator = new Intl.Collator('vi', { numeric: true });

// --- validation -------------------------------------------------------------------------------

function oneOf<T extends string>(allowed: readonly T[], value: unknown, field: string): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw new InputError(field, 'invalid', `Use one of ${allowed.join(', ')}.`);
}

function requireText(value: unknown, field: string, max = MAX_NAME_LENGTH): string {
	const text = cleanText(value, max);
	if (!text) throw new InputError(field, 'invalid', `This is required, at most ${max} characters.`);
	return text;
}

export function isPinHash(value: unknown): value is PinHash {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	const base64 = (x: unknown) => typeof x === 'string' && x.length > 0 && x.length <= 200 && /^[A-Za-z0-9+/]+={0,2}$/.test(x);
	return v.algorithm === 'PBKDF2-SHA-256' && Number.isInteger(v.iterations) && (v.iterations as number) >= 1 && base64(v.salt) && base64(v.hash);
}

/** Only the four known fields are kept, in a fixed order (the config hash depends on it). */
function storedPin({ algorithm, iterations, salt, hash }: PinHash): string {
	return JSON.stringify({ algorithm, iterations, salt, hash });
}

function parsePin(json: string | null): PinHash | null {
	if (json === null) return null;
	try {
		const value: unknown = JSON.parse(json);
		return isPinHash(value) ? { algorithm: value.algorithm, iterations: value.iterations, salt: value.salt, hash: value.hash } : null;
	} catch {
		return null;
	}
}

// --- teams ------------------------------------------------------------------------------------

const teamSubject = (id: string) => `team:${id}`;
const memberSubject = (id: string) => `member:${id}`;

export async function getTeam(db: Kysely<Database>, id: string): Promise<Team | undefined> {
	return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

async function requireTeam(db: Kysely<Database>, id: string, field: string, active = true): Promise<Team> {
	const team = await getTeam(db, id);
	if (!team) throw new InputError(field, 'invalid', `There is no team ${id}.`);
	if (active && team.archived_at !== null) throw new InputError(field, 'invalid', `${team.name} is archived.`);
	return team;
}

/** The unit must be active and of the kind the level serves, and free of another active team. */
async function checkTeamPlace(db: Kysely<Database>, unitId: string, level: TeamLevel): Promise<OrgUnit> {
	const unit = await db.selectFrom('org_units').selectAll().where('id', '=', unitId).executeTakeFirst();
	if (!unit) throw new InputError('unitId', 'invalid', `There is no unit ${unitId}.`);
	if (unit.archived_at !== null) throw new InputError('unitId', 'invalid', `${unit.name} is archived.`);
	if (teamLevelOfKind(unit.kind) !== level) {
		const fits = level === 'commune' ? 'a commune, ward or town' : 'a village or residential group';
		throw new InputError('level', 'invalid', `A ${level}-level team serves ${fits}; ${unit.name} is a ${unit.kind}.`);
	}
	const other = await db
		.selectFrom('teams')
		.select('name')
		.where('unit_id', '=', unitId)
		.where('level', '=', level)
		.where('archived_at', 'is', null)
		.executeTakeFirst();
	if (other) throw new InputError('unitId', 'invalid', `${unit.name} already has an active ${level}-level team (${other.name}).`);
	return unit;
}

export async function createTeam(
	db: Kysely<Database>,
	input: { unitId: string; name: string; level: TeamLevel; phase: RolloutPhase; establishedOn: string; actor: string; now: Date }
): Promise<Team> {
	const name = requireNameInput(input.name, 'name');
	const level = oneOf(TEAM_LEVELS, input.level, 'level');
	const phase = oneOf(ROLLOUT_PHASES, input.phase, 'phase');
	const establishedOn = requireDate(input.establishedOn, 'establishedOn');
	return writeTransaction(db, ['org_units', 'teams'], async (trx) => {
		await checkTeamPlace(trx, input.unitId, level);
		const team: Team = { id: randomUUID(), unit_id: input.unitId, name, level, phase, established_on: establishedOn, archived_at: null, created_at: input.now.toISOString() };
		await trx.insertInto('teams').values(team).execute();
		await recordAudit(trx, { actor: input.actor, action: 'team.create', subject: teamSubject(team.id), detail: { unitId: team.unit_id, name, level, phase, establishedOn }, now: input.now });
		return team;
	});
}

/** Changes what is given; nothing is written (or audited) when nothing differs. */
export async function updateTeam(
	db: Kysely<Database>,
	input: { id: string; name?: string; phase?: RolloutPhase; establishedOn?: string; actor: string; now: Date }
): Promise<Team> {
	const changes: Partial<Pick<Team, 'name' | 'phase' | 'established_on'>> = {};
	if (input.name !== undefined) changes.name = requireNameInput(input.name, 'name');
	if (input.phase !== undefined) changes.phase = oneOf(ROLLOUT_PHASES, input.phase, 'phase');
	if (input.establishedOn !== undefined) changes.established_on = requireDate(input.establishedOn, 'establishedOn');
	return writeTransaction(db, ['teams'], async (trx) => {
		const team = await requireTeam(trx, input.id, 'id');
		const diff = differences(team, changes);
		if (!diff) return team;
		await trx.updateTable('teams').set(diff.to).where('id', '=', team.id).execute();
		await recordAudit(trx, { actor: input.actor, action: 'team.update', subject: teamSubject(team.id), detail: diff, now: input.now });
		return { ...team, ...diff.to };
	});
}

/** The fields of `changes` that differ from `row`, as from/to; null when none do. */
function differences<T extends object>(row: T, changes: Partial<T>): { from: Partial<T>; to: Partial<T> } | null {
	const from: Partial<T> = {};
	const to: Partial<T> = {};
	for (const key of Object.keys(changes) as (keyof T)[]) {
		if (changes[key] === undefined || changes[key] === row[key]) continue;
		from[key] = row[key];
		to[key] = changes[key];
	}
	return Object.keys(to).length > 0 ? { from, to } : null;
}

/** The team stops; its members, devices' records and tallies stay for the reports. */
export async function archiveTeam(db: Kysely<Database>, input: { id: string; actor: string; now: Date }): Promise<Team> {
	return writeTransaction(db, ['teams'], async (trx) => {
		const team = await requireTeam(trx, input.id, 'id');
		const archivedAt = input.now.toISOString();
		await trx.updateTable('teams').set({ archived_at: archivedAt }).where('id', '=', team.id).execute();
		await recordAudit(trx, { actor: input.actor, action: 'team.archive', subject: teamSubject(team.id), now: input.now });
		return { ...team, archived_at: archivedAt };
	});
}

const ID_CHUNK = 500;

/** Teams by name, optionally only those serving `unitIds` (e.g. tree.descendantIds(commune)). */
export async function listTeams(db: Kysely<Database>, options: { unitIds?: readonly string[]; includeArchived?: boolean } = {}): Promise<Team[]> {
	const query = (unitIds?: readonly string[]) => {
		let q = db.selectFrom('teams').selectAll();
		if (unitIds) q = q.where('unit_id', 'in', unitIds);
		if (!options.includeArchived) q = q.where('archived_at', 'is', null);
		return q.execute();
	};
	let teams: Team[];
	if (!options.unitIds) teams = await query();
	else {
		// Chunks keep big provinces under the engines' bound-parameter limits.
		const ids = [...new Set(options.unitIds)];
		teams = [];
		for (let i = 0; i < ids.length; i += ID_CHUNK) teams.push(...(await query(ids.slice(i, i + ID_CHUNK))));
	}
	return teams.sort((a, b) => collator.compare(a.name, b.name) || compareIds(a.id, b.id));
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// --- members ----------------------------------------------------------------------------------

export async function getMember(db: Kysely<Database>, id: string): Promise<Member | undefined> {
	return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
}

/** `teamId`, when the caller gives it, must be the member's team: a form cannot reach across teams. */
async function requireMember(db: Kysely<Database>, id: string, teamId: string | undefined, active = true): Promise<Member> {
	const member = await getMember(db, id);
	if (!member || (teamId !== undefined && member.team_id !== teamId)) throw new InputError('memberId', 'invalid', `There is no member ${id} in this team.`);
	if (active && member.status !== 'active') throw new InputError('memberId', 'invalid', `${member.full_name} has left the team.`);
	return member;
}

/** Active first, then leader, deputy, members, collaborators, each by name. */
function rosterOrder(a: Member, b: Member): number {
	const status = (m: Member) => (m.status === 'active' ? 0 : 1);
	return status(a) - status(b) || TEAM_ROLES.indexOf(a.role) - TEAM_ROLES.indexOf(b.role) || collator.compare(a.full_name, b.full_name) || compareIds(a.id, b.id);
}

export async function listMembers(db: Kysely<Database>, teamId: string, options: { includeLeft?: boolean } = {}): Promise<Member[]> {
	let query = db.selectFrom('members').selectAll().where('team_id', '=', teamId);
	if (!options.includeLeft) query = query.where('status', '=', 'active');
	return (await query.execute()).sort(rosterOrder);
}

/** One leader, one deputy, three core members at most (collaborators are not counted). */
async function checkRoleRoom(db: Kysely<Database>, teamId: string, role: TeamRole, exceptMemberId?: string): Promise<void> {
	if (role === 'collaborator') return;
	const active = (await listMembers(db, teamId)).filter((m) => m.id !== exceptMemberId && m.role !== 'collaborator');
	const holder = active.find((m) => m.role === role);
	if ((role === 'leader' || role === 'deputy') && holder) {
		throw new InputError('role', 'invalid', `The team already has a ${role} (${holder.full_name}); mark them as left or change their role first.`);
	}
	if (active.length >= CORE_TEAM_SIZE) {
		throw new InputError('role', 'invalid', `The team already has ${CORE_TEAM_SIZE} core members; add this person as a collaborator, or mark someone as left first.`);
	}
}

export async function addMember(
	db: Kysely<Database>,
	input: { teamId: string; fullName: string; role: TeamRole; background: string; joinedOn: string; actor: string; now: Date }
): Promise<Member> {
	const fullName = requireNameInput(input.fullName, 'fullName');
	const role = oneOf(TEAM_ROLES, input.role, 'role');
	const background = cleanBackground(input.background);
	const joinedOn = requireDate(input.joinedOn, 'joinedOn');
	return writeTransaction(db, ['members'], async (trx) => {
		const team = await requireTeam(trx, input.teamId, 'teamId');
		await checkRoleRoom(trx, team.id, role);
		const member: Member = {
			id: randomUUID(),
			team_id: team.id,
			full_name: fullName,
			role,
			background,
			status: 'active',
			joined_on: joinedOn,
			left_on: null,
			pin_hash: null,
			created_at: input.now.toISOString(),
			badge_version: 0
		};
		await trx.insertInto('members').values(member).execute();
		await recordAudit(trx, { actor: input.actor, action: 'member.add', subject: memberSubject(member.id), detail: { teamId: team.id, fullName, role, background, joinedOn }, now: input.now });
		return member;
	});
}

/** Free text (police, teacher, Youth Union…); may be empty. */
function cleanBackground(value: unknown): string {
	if (typeof value === 'string' && value.trim() === '') return '';
	return requireText(value, 'background', MAX_BACKGROUND_LENGTH);
}

/** Corrects or changes what is given; a member who left can still have typos fixed. */
export async function updateMember(
	db: Kysely<Database>,
	input: { memberId: string; teamId?: string; fullName?: string; role?: TeamRole; background?: string; joinedOn?: string; actor: string; now: Date }
): Promise<Member> {
	const changes: Partial<Pick<Member, 'full_name' | 'role' | 'background' | 'joined_on'>> = {};
	if (input.fullName !== undefined) changes.full_name = requireNameInput(input.fullName, 'fullName');
	if (input.role !== undefined) changes.role = oneOf(TEAM_ROLES, input.role, 'role');
	if (input.background !== undefined) changes.background = cleanBackground(input.background);
	if (input.joinedOn !== undefined) changes.joined_on = requireDate(input.joinedOn, 'joinedOn');
	return writeTransaction(db, ['members'], async (trx) => {
		const member = await requireMember(trx, input.memberId, input.teamId, false);
		const diff = differences(member, changes);
		if (!diff) return member;
		if (diff.to.role && member.status === 'active') await checkRoleRoom(trx, member.team_id, diff.to.role, member.id);
		if (diff.to.joined_on && member.left_on !== null && diff.to.joined_on > member.left_on) {
			throw new InputError('joinedOn', 'invalid', `${member.full_name} left on ${member.left_on}; they cannot have joined after that.`);
		}
		await trx.updateTable('members').set(diff.to).where('id', '=', member.id).execute();
		await recordAudit(trx, { actor: input.actor, action: 'member.update', subject: memberSubject(member.id), detail: { teamId: member.team_id, ...diff }, now: input.now });
		return { ...member, ...diff.to };
	});
}

/** The member leaves the team; the row stays (their records point at it). Their PIN is dropped. */
export async function markMemberLeft(db: Kysely<Database>, input: { memberId: string; teamId?: string; leftOn: string; actor: string; now: Date }): Promise<Member> {
	const leftOn = requireDate(input.leftOn, 'leftOn');
	return writeTransaction(db, ['members'], async (trx) => {
		const member = await requireMember(trx, input.memberId, input.teamId);
		if (leftOn < member.joined_on) throw new InputError('leftOn', 'invalid', `${member.full_name} joined on ${member.joined_on}; they cannot leave before that.`);
		const left: Member = { ...member, status: 'left', left_on: leftOn, pin_hash: null };
		await trx.updateTable('members').set({ status: left.status, left_on: leftOn, pin_hash: null }).where('id', '=', member.id).execute();
		await recordAudit(trx, { actor: input.actor, action: 'member.leave', subject: memberSubject(member.id), detail: { teamId: member.team_id, leftOn }, now: input.now });
		return left;
	});
}

/** Sets (or, with null, clears) the PIN hash the team's tablets unlock with. The hash is not audited. */
export async function setMemberPin(db: Kysely<Database>, input: { memberId: string; teamId?: string; pinHash: PinHash | null; actor: string; now: Date }): Promise<Member> {
	if (input.pinHash !== null && !isPinHash(input.pinHash)) throw new InputError('pinHash', 'invalid', 'This is not a PIN hash made by domain/pin.ts.');
	const pinHash = input.pinHash === null ? null : storedPin(input.pinHash);
	return writeTransaction(db, ['members'], async (trx) => {
		const member = await requireMember(trx, input.memberId, input.teamId);
		await trx.updateTable('members').set({ pin_hash: pinHash }).where('id', '=', member.id).execute();
		await recordAudit(trx, { actor: input.actor, action: 'member.pin', subject: memberSubject(member.id), detail: { teamId: member.team_id, set: pinHash !== null }, now: input.now });
		return { ...member, pin_hash: pinHash };
	});
}

// --- what a tablet receives -------------------------------------------------------------------

export type TeamConfigCore = Pick<TeamConfig, 'team' | 'members' | 'skills' | 'version'>;

const MAX_DEPTH = 32;

/** Unit names from the unit up to the root: 'Thôn Trung Hòa, Xã Tùng Ảnh, …, Tỉnh Hà Tĩnh'. */
async function unitPath(db: Kysely<Database>, unitId: string): Promise<string> {
	const names: string[] = [];
	const seen = new Set<string>();
	let id: string | null = unitId;
	// A handful of levels: one small query each beats loading the province's whole tree per poll.
	while (id !== null && !seen.has(id) && names.length < MAX_DEPTH) {
		seen.add(id);
		const unit: { name: string; parent_id: string | null } | undefined = await db
			.selectFrom('org_units')
			.select(['name', 'parent_id'])
			.where('id', '=', id)
			.executeTakeFirst();
		if (!unit) break;
		names.push(unit.name);
		id = unit.parent_id;
	}
	return names.join(', ');
}

/** GET /api/v1/config for an enrolled tablet: the team, its active roster and the skills catalog. */
export async function teamConfig(db: Kysely<Database>, teamId: string): Promise<TeamConfigCore> {
	const team = await requireTeam(db, teamId, 'teamId', false);
	const [path, members, skills] = await Promise.all([unitPath(db, team.unit_id), listMembers(db, team.id), listSkills(db)]);
	const rest: Omit<TeamConfigCore, 'version'> = {
		team: { id: team.id, name: team.name, level: team.level, phase: team.phase, establishedOn: team.established_on, unitPath: path },
		members: members.map((m) => ({ id: m.id, fullName: m.full_name, role: m.role, pin: parsePin(m.pin_hash), badge: m.badge_version })),
		skills
	};
	// Key order and list order are fixed above, so equal content hashes equal: usable as an ETag.
	const version = createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
	return { ...rest, version };
}
