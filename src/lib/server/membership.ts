// Membership decisions (seed 3.1). Joining: the team leader recommends a person (a collaborator
// or someone new), the commune chairman's decision approves, and only then are they a member.
// Leaving: the member asks (the leader records it), the leader proposes, the decision approves;
// the member is inactive from the decision's date and keeps their records. Rejected decisions
// stay. Every step is audited in the transaction that makes it; the roster changes go through
// teams.ts so its role rules hold.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { isCoreRole, roleRoomProblem, type CoreRole, type RoleRoomProblem } from '$lib/domain/teamRules';
import { recordAudit } from './audit';
import type { Database, DecisionKind, DecisionStatus, Member, MembershipDecisionTable, Team, User } from './db/schema';
import { cleanText } from '$lib/domain/text';
import { InputError, optionalText, requireDate, requireNameInput } from './inputError';
import { loadTree, writeTransaction } from './orgTree';
import { addMember, listMembers, markMemberLeft, updateMember } from './teams';

export type MembershipDecision = Selectable<MembershipDecisionTable>;

/** Who acts: a signed-in user's role and reach. */
export type Actor = Pick<User, 'id' | 'role' | 'unit_id' | 'team_id'>;

/** The codes of the InputErrors a membership step refuses with (teams.ts's own arrive as they are). */
export const MEMBERSHIP_ERROR_CODES = [
	'forbidden',
	'teamNotFound',
	'teamArchived',
	'decisionNotFound',
	'memberNotFound',
	'memberNotActive',
	'notCollaborator',
	'alreadyOpen',
	'notRequested',
	'notProposed',
	'alreadyDecided',
	'nameRefused',
	'roleInvalid',
	'textTooLong',
	'decisionNumberRequired',
	'dateInvalid',
	'noteRequired',
	'roleTaken',
	'teamFull',
	'leaveBeforeJoin',
	/** The roster's own refusals (teams.ts): the message says why. */
	'invalid'
] as const;
export type MembershipErrorCode = (typeof MEMBERSHIP_ERROR_CODES)[number];

const MAX_TEXT = 500;
const MAX_BACKGROUND = 200;
const MAX_DECISION_NUMBER = 60;
const OPEN: readonly DecisionStatus[] = ['requested', 'proposed'];

const userRef = (actor: Actor) => `user:${actor.id}`;
const decisionSubject = (id: string) => `decision:${id}`;

// --- input ----------------------------------------------------------------------------------

function requireCoreRole(value: unknown): CoreRole {
	if (!isCoreRole(value)) throw new InputError('role', 'roleInvalid', 'A member joins as leader, deputy or member.');
	return value;
}

function roomError(problem: RoleRoomProblem): InputError {
	return problem.code === 'roleTaken'
		? new InputError('role', 'roleTaken', `The team already has a ${problem.role} (${problem.holder}).`, { role: problem.role, holder: problem.holder })
		: new InputError('role', 'teamFull', `The team already has ${problem.size} core members.`, { size: String(problem.size) });
}

// --- reach ----------------------------------------------------------------------------------

const MAX_DEPTH = 32;

/** Whether `unitId` is `ancestorId` or lies below it (a few parent look-ups; stops on loops). */
async function unitWithin(db: Kysely<Database>, unitId: string, ancestorId: string): Promise<boolean> {
	const seen = new Set<string>();
	let id: string | null = unitId;
	while (id !== null && !seen.has(id) && seen.size < MAX_DEPTH) {
		if (id === ancestorId) return true;
		seen.add(id);
		const row: { parent_id: string | null } | undefined = await db.selectFrom('org_units').select('parent_id').where('id', '=', id).executeTakeFirst();
		id = row?.parent_id ?? null;
	}
	return false;
}

export interface MembershipRights {
	/** Recommend a join, record a leave request, propose a leave. */
	propose: boolean;
	/** Approve or reject (the commune's decision). */
	decide: boolean;
}

/** A leader acts for their own team; an officer decides within their commune; an admin anywhere. */
export async function membershipRights(db: Kysely<Database>, actor: Actor, team: Pick<Team, 'id' | 'unit_id'>): Promise<MembershipRights> {
	if (actor.role === 'admin') return { propose: true, decide: true };
	if (actor.role === 'leader') return { propose: actor.team_id === team.id, decide: false };
	if (actor.role === 'officer' && actor.unit_id) {
		const inside = await unitWithin(db, team.unit_id, actor.unit_id);
		return { propose: inside, decide: inside };
	}
	return { propose: false, decide: false };
}

async function requireRight(db: Kysely<Database>, actor: Actor, team: Team, right: keyof MembershipRights): Promise<void> {
	const rights = await membershipRights(db, actor, team);
	if (!rights[right]) {
		const what = right === 'decide' ? 'decide on membership for' : 'propose membership changes for';
		throw new InputError(null, 'forbidden', `You cannot ${what} ${team.name}.`, { team: team.name });
	}
}

async function activeTeam(db: Kysely<Database>, teamId: string): Promise<Team> {
	const team = await db.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirst();
	if (!team) throw new InputError('teamId', 'teamNotFound', `There is no team ${teamId}.`);
	if (team.archived_at !== null) throw new InputError('teamId', 'teamArchived', `${team.name} is archived.`, { team: team.name });
	return team;
}

/** The member, in `team`, active. */
async function activeMemberOf(db: Kysely<Database>, team: Team, memberId: string): Promise<Member> {
	const member = await db.selectFrom('members').selectAll().where('id', '=', memberId).executeTakeFirst();
	if (!member || member.team_id !== team.id) throw new InputError('memberId', 'memberNotFound', `There is no member ${memberId} in ${team.name}.`);
	if (member.status !== 'active') throw new InputError('memberId', 'memberNotActive', `${member.full_name} has left the team.`, { name: member.full_name });
	return member;
}

async function openDecisionFor(db: Kysely<Database>, memberId: string, kind: DecisionKind): Promise<MembershipDecision | undefined> {
	return db.selectFrom('membership_decisions').selectAll().where('member_id', '=', memberId).where('kind', '=', kind).where('status', 'in', OPEN).executeTakeFirst();
}

/** The decision, of `teamId` when the caller gives it (a form cannot reach across teams). */
async function requireDecision(db: Kysely<Database>, id: string, teamId: string | undefined): Promise<MembershipDecision> {
	const decision = await db.selectFrom('membership_decisions').selectAll().where('id', '=', id).executeTakeFirst();
	if (!decision || (teamId !== undefined && decision.team_id !== teamId)) throw new InputError('decisionId', 'decisionNotFound', `There is no decision ${id} for this team.`);
	return decision;
}

/** Files a new open decision, and its audit line in the same transaction. */
async function fileDecision(
	trx: Kysely<Database>,
	team: Team,
	input: { actor: Actor; now: Date },
	fields: Pick<MembershipDecision, 'kind' | 'status' | 'member_id' | 'person_name' | 'role' | 'background' | 'reason'>,
	audit: { action: string; detail: Record<string, unknown> }
): Promise<MembershipDecision> {
	const decision: MembershipDecision = {
		id: randomUUID(),
		team_id: team.id,
		...fields,
		requested_by: userRef(input.actor),
		requested_at: input.now.toISOString(),
		decided_by: null,
		decided_at: null,
		decision_number: null,
		decision_date: null,
		note: null
	};
	await trx.insertInto('membership_decisions').values(decision).execute();
	await recordAudit(trx, { actor: userRef(input.actor), action: audit.action, subject: decisionSubject(decision.id), detail: { teamId: team.id, ...audit.detail }, now: input.now });
	return decision;
}

/** Closes a decision (approved or rejected): who decided and when, under which number; audited with it. */
async function closeDecision(
	trx: Kysely<Database>,
	team: Team,
	decision: MembershipDecision,
	by: { actor: string; now: Date },
	closing: Pick<MembershipDecision, 'status' | 'member_id' | 'decision_number' | 'decision_date' | 'note'>,
	audit: { action: string; detail: Record<string, unknown> }
): Promise<MembershipDecision> {
	const closed: MembershipDecision = { ...decision, ...closing, decided_by: by.actor, decided_at: by.now.toISOString() };
	const { status, member_id, decided_by, decided_at, decision_number, decision_date, note } = closed;
	await trx.updateTable('membership_decisions').set({ status, member_id, decided_by, decided_at, decision_number, decision_date, note }).where('id', '=', decision.id).execute();
	await recordAudit(trx, { actor: by.actor, action: audit.action, subject: decisionSubject(decision.id), detail: { teamId: team.id, kind: decision.kind, ...audit.detail }, now: by.now });
	return closed;
}

// --- steps ----------------------------------------------------------------------------------

/**
 * The leader (or an officer or admin) recommends a person for a core place: an active
 * collaborator of the team (`collaboratorId`, promoted on approval) or someone new (`fullName`).
 * The room for the role is checked on approval, not now: a leave may free it first.
 */
export async function recommendJoin(
	db: Kysely<Database>,
	input: { actor: Actor; teamId: string; collaboratorId?: string | null; fullName?: string; role: string; background?: string; reason?: string; now: Date }
): Promise<MembershipDecision> {
	const role = requireCoreRole(input.role);
	const reason = optionalText(input.reason, 'reason', MAX_TEXT);
	const givenBackground = optionalText(input.background, 'background', MAX_BACKGROUND);
	return writeTransaction(db, ['members'], async (trx) => {
		const team = await activeTeam(trx, input.teamId);
		await requireRight(trx, input.actor, team, 'propose');
		let person: { name: string; memberId: string | null; background: string };
		if (input.collaboratorId) {
			const collaborator = await activeMemberOf(trx, team, input.collaboratorId);
			if (collaborator.role !== 'collaborator') {
				throw new InputError('collaboratorId', 'notCollaborator', `${collaborator.full_name} is already a ${collaborator.role}.`, { name: collaborator.full_name });
			}
			if (await openDecisionFor(trx, collaborator.id, 'join')) {
				throw new InputError('collaboratorId', 'alreadyOpen', `${collaborator.full_name} is already recommended.`, { name: collaborator.full_name });
			}
			person = { name: collaborator.full_name, memberId: collaborator.id, background: givenBackground ?? collaborator.background };
		} else {
			const name = requireNameInput(input.fullName, 'fullName');
			person = { name, memberId: null, background: givenBackground ?? '' };
		}
		return fileDecision(
			trx,
			team,
			input,
			{ kind: 'join', status: 'proposed', member_id: person.memberId, person_name: person.name, role, background: person.background, reason },
			{ action: 'decision.join.recommend', detail: { personName: person.name, collaboratorId: person.memberId, role, background: person.background, reason } }
		);
	});
}

/** The member asked to leave; the leader (or an officer or admin) records it. Nothing changes yet. */
export async function recordLeaveRequest(
	db: Kysely<Database>,
	input: { actor: Actor; teamId: string; memberId: string; reason?: string; now: Date }
): Promise<MembershipDecision> {
	const reason = optionalText(input.reason, 'reason', MAX_TEXT);
	return writeTransaction(db, ['members'], async (trx) => {
		const team = await activeTeam(trx, input.teamId);
		await requireRight(trx, input.actor, team, 'propose');
		const member = await activeMemberOf(trx, team, input.memberId);
		if (await openDecisionFor(trx, member.id, 'leave')) {
			throw new InputError('memberId', 'alreadyOpen', `A request for ${member.full_name} to leave is already open.`, { name: member.full_name });
		}
		return fileDecision(
			trx,
			team,
			input,
			{ kind: 'leave', status: 'requested', member_id: member.id, person_name: member.full_name, role: member.role, background: member.background, reason },
			{ action: 'decision.leave.request', detail: { memberId: member.id, personName: member.full_name, reason } }
		);
	});
}

/** The leader proposes a recorded leave request to the commune. */
export async function proposeLeave(
	db: Kysely<Database>,
	input: { actor: Actor; decisionId: string; teamId?: string; now: Date }
): Promise<MembershipDecision> {
	return writeTransaction(db, ['members'], async (trx) => {
		const decision = await requireDecision(trx, input.decisionId, input.teamId);
		const team = await activeTeam(trx, decision.team_id);
		await requireRight(trx, input.actor, team, 'propose');
		if (decision.kind !== 'leave' || decision.status !== 'requested') {
			throw new InputError('decisionId', 'notRequested', `This is not a leave request waiting for the leader (${decision.kind}, ${decision.status}).`);
		}
		const proposed: MembershipDecision = { ...decision, status: 'proposed' };
		await trx.updateTable('membership_decisions').set({ status: 'proposed' }).where('id', '=', decision.id).execute();
		await recordAudit(trx, {
			actor: userRef(input.actor),
			action: 'decision.leave.propose',
			subject: decisionSubject(decision.id),
			detail: { teamId: team.id, memberId: decision.member_id, personName: decision.person_name },
			now: input.now
		});
		return proposed;
	});
}

function requireProposed(decision: MembershipDecision): void {
	if (decision.status === 'proposed') return;
	if (decision.status === 'requested') throw new InputError('decisionId', 'notProposed', 'The leader has not proposed this yet.');
	throw new InputError('decisionId', 'alreadyDecided', `This was already ${decision.status}.`);
}

/** Carries out an approved join: a new member from the decision's date, or a collaborator promoted. Returns the member id. */
async function carryOutJoin(trx: Kysely<Database>, team: Team, decision: MembershipDecision, decisionDate: string, actor: string, now: Date): Promise<string> {
	const role = requireCoreRole(decision.role);
	const roster = await listMembers(trx, team.id);
	const problem = roleRoomProblem(roster, role, decision.member_id ?? undefined);
	if (problem) throw roomError(problem);
	if (decision.member_id) {
		const collaborator = await activeMemberOf(trx, team, decision.member_id);
		if (collaborator.role !== 'collaborator') {
			throw new InputError('decisionId', 'notCollaborator', `${collaborator.full_name} is already a ${collaborator.role}.`, { name: collaborator.full_name });
		}
		await updateMember(trx, { memberId: collaborator.id, teamId: team.id, role, background: decision.background ?? undefined, actor, now });
		return collaborator.id;
	}
	const member = await addMember(trx, { teamId: team.id, fullName: decision.person_name, role, background: decision.background ?? '', joinedOn: decisionDate, actor, now });
	return member.id;
}

async function carryOutLeave(trx: Kysely<Database>, team: Team, decision: MembershipDecision, decisionDate: string, actor: string, now: Date): Promise<string> {
	if (!decision.member_id) throw new InputError('decisionId', 'memberNotFound', 'This leave names no member.');
	const member = await activeMemberOf(trx, team, decision.member_id);
	if (decisionDate < member.joined_on) {
		throw new InputError('decisionDate', 'leaveBeforeJoin', `${member.full_name} joined on ${member.joined_on}.`, { name: member.full_name, joinedOn: member.joined_on });
	}
	await markMemberLeft(trx, { memberId: member.id, teamId: team.id, leftOn: decisionDate, actor, now });
	return member.id;
}

/** The commune's decision (number and date required) approves: the roster changes with it, or nothing does. */
export async function approveDecision(
	db: Kysely<Database>,
	input: { actor: Actor; decisionId: string; teamId?: string; decisionNumber: string; decisionDate: string; note?: string; now: Date }
): Promise<MembershipDecision> {
	const decisionNumber = cleanText(input.decisionNumber, MAX_DECISION_NUMBER);
	if (!decisionNumber) throw new InputError('decisionNumber', 'decisionNumberRequired', `The decision number is required, at most ${MAX_DECISION_NUMBER} characters.`);
	const decisionDate = requireDate(input.decisionDate, 'decisionDate');
	const note = optionalText(input.note, 'note', MAX_TEXT);
	const actor = userRef(input.actor);
	return writeTransaction(db, ['members'], async (trx) => {
		const decision = await requireDecision(trx, input.decisionId, input.teamId);
		const team = await activeTeam(trx, decision.team_id);
		await requireRight(trx, input.actor, team, 'decide');
		requireProposed(decision);
		const memberId =
			decision.kind === 'join'
				? await carryOutJoin(trx, team, decision, decisionDate, actor, input.now)
				: await carryOutLeave(trx, team, decision, decisionDate, actor, input.now);
		return closeDecision(
			trx,
			team,
			decision,
			{ actor, now: input.now },
			{ status: 'approved', member_id: memberId, decision_number: decisionNumber, decision_date: decisionDate, note },
			{ action: 'decision.approve', detail: { memberId, personName: decision.person_name, role: decision.role, decisionNumber, decisionDate, note } }
		);
	});
}

/** The commune says no, with a note why; the record stays and nothing on the roster changes. */
export async function rejectDecision(
	db: Kysely<Database>,
	input: { actor: Actor; decisionId: string; teamId?: string; note: string; decisionNumber?: string; decisionDate?: string; now: Date }
): Promise<MembershipDecision> {
	const note = optionalText(input.note, 'note', MAX_TEXT);
	if (!note) throw new InputError('note', 'noteRequired', 'Say why, for the leader and the record.');
	const decisionNumber = optionalText(input.decisionNumber, 'decisionNumber', MAX_DECISION_NUMBER);
	const decisionDate = input.decisionDate ? requireDate(input.decisionDate, 'decisionDate') : null;
	const actor = userRef(input.actor);
	return writeTransaction(db, ['members'], async (trx) => {
		const decision = await requireDecision(trx, input.decisionId, input.teamId);
		const team = await activeTeam(trx, decision.team_id);
		await requireRight(trx, input.actor, team, 'decide');
		if (!OPEN.includes(decision.status)) throw new InputError('decisionId', 'alreadyDecided', `This was already ${decision.status}.`);
		return closeDecision(
			trx,
			team,
			decision,
			{ actor, now: input.now },
			{ status: 'rejected', member_id: decision.member_id, decision_number: decisionNumber, decision_date: decisionDate, note },
			{ action: 'decision.reject', detail: { memberId: decision.member_id, personName: decision.person_name, decisionNumber, decisionDate, note } }
		);
	});
}

// --- reading --------------------------------------------------------------------------------

/** A team's decisions: open ones first (oldest first), then the rest, newest first. */
export async function listDecisions(db: Kysely<Database>, teamId: string): Promise<MembershipDecision[]> {
	const rows = await db.selectFrom('membership_decisions').selectAll().where('team_id', '=', teamId).execute();
	const open = (d: MembershipDecision) => OPEN.includes(d.status);
	return rows.sort((a, b) => {
		if (open(a) !== open(b)) return open(a) ? -1 : 1;
		const byTime = (open(a) ? 1 : -1) * (a.requested_at < b.requested_at ? -1 : a.requested_at > b.requested_at ? 1 : 0);
		return byTime || (a.id < b.id ? -1 : 1);
	});
}

export interface PendingDecision {
	id: string;
	teamId: string;
	teamName: string;
	kind: DecisionKind;
	status: 'requested' | 'proposed';
	personName: string;
	requestedAt: string;
	/** Who must act next: the leader proposes a recorded request; the commune decides a proposal. */
	awaiting: 'leader' | 'officer';
}

/** Open decisions of active teams within the actor's reach, oldest first: the dashboard's list. */
export async function pendingDecisions(db: Kysely<Database>, actor: Actor): Promise<PendingDecision[]> {
	let query = db
		.selectFrom('membership_decisions as d')
		.innerJoin('teams as t', 't.id', 'd.team_id')
		.select(['d.id', 'd.team_id', 't.name as team_name', 't.unit_id', 'd.kind', 'd.status', 'd.person_name', 'd.requested_at'])
		.where('d.status', 'in', OPEN)
		.where('t.archived_at', 'is', null);
	if (actor.role === 'leader') query = query.where('d.team_id', '=', actor.team_id ?? '');
	else if (actor.role !== 'admin' && !actor.unit_id) return [];
	const rows = await query.execute();
	let inReach = (_unitId: string) => true;
	if (actor.role === 'officer' && actor.unit_id) {
		const reach = new Set((await loadTree(db)).descendantIds(actor.unit_id));
		inReach = (unitId) => reach.has(unitId);
	}
	return rows
		.filter((r) => inReach(r.unit_id))
		.map((r) => ({
			id: r.id,
			teamId: r.team_id,
			teamName: r.team_name,
			kind: r.kind,
			status: r.status as 'requested' | 'proposed',
			personName: r.person_name,
			requestedAt: r.requested_at,
			awaiting: r.status === 'requested' ? ('leader' as const) : ('officer' as const)
		}))
		.sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : a.id < b.id ? -1 : 1));
}

/** The actions a team page's timeline shows (PIN changes and the like stay in the audit log). */
export const TIMELINE_ACTIONS = [
	'decision.join.recommend',
	'decision.leave.request',
	'decision.leave.propose',
	'decision.approve',
	'decision.reject',
	'member.add',
	'member.update',
	'member.leave',
	'team.create',
	'team.update',
	'team.archive'
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

export interface TimelineEntry {
	id: string;
	at: string;
	action: TimelineAction;
	actorKind: 'user' | 'device' | 'system';
	/** A user's display name or a tablet's label; null for the system or someone since removed. */
	actorName: string | null;
	/** For decision.* steps. */
	decision: Pick<MembershipDecision, 'id' | 'kind' | 'person_name' | 'role' | 'status' | 'decision_number' | 'decision_date'> | null;
	/** For member.* changes. */
	memberName: string | null;
	/** The audit record's detail, as written. */
	detail: Record<string, unknown>;
}

const SUBJECT_CHUNK = 400;
// In one instant (a decision and the roster change it made), the decision reads first.
const ACTION_RANK = (action: string) => (action.startsWith('decision.') ? 0 : action.startsWith('member.') ? 1 : 2);

function parseDetail(json: string | null): Record<string, unknown> {
	if (json === null) return {};
	try {
		const value: unknown = JSON.parse(json);
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}

/** The team's story from the audit trail and its decisions, newest first. */
export async function teamTimeline(db: Kysely<Database>, teamId: string, options: { limit?: number } = {}): Promise<TimelineEntry[]> {
	const limit = options.limit ?? 200;
	const [decisions, members] = await Promise.all([
		db.selectFrom('membership_decisions').selectAll().where('team_id', '=', teamId).execute(),
		db.selectFrom('members').select(['id', 'full_name']).where('team_id', '=', teamId).execute()
	]);
	const decisionById = new Map(decisions.map((d) => [d.id, d]));
	const memberName = new Map(members.map((m) => [m.id, m.full_name]));
	const subjects = [`team:${teamId}`, ...decisions.map((d) => decisionSubject(d.id)), ...members.map((m) => `member:${m.id}`)];
	const events = [];
	for (let i = 0; i < subjects.length; i += SUBJECT_CHUNK) {
		events.push(
			...(await db
				.selectFrom('audit_events')
				.selectAll()
				.where('subject', 'in', subjects.slice(i, i + SUBJECT_CHUNK))
				.where('action', 'in', TIMELINE_ACTIONS)
				.orderBy('at', 'desc')
				.limit(limit)
				.execute())
		);
	}
	events.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : ACTION_RANK(a.action) - ACTION_RANK(b.action) || (a.id < b.id ? -1 : 1)));
	const shown = events.slice(0, limit);
	const actorIds = (prefix: string) => [...new Set(shown.filter((e) => e.actor.startsWith(prefix)).map((e) => e.actor.slice(prefix.length)))];
	const [users, devices] = await Promise.all([
		actorIds('user:').length > 0 ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', actorIds('user:')).execute() : [],
		actorIds('device:').length > 0 ? db.selectFrom('devices').select(['id', 'label']).where('id', 'in', actorIds('device:')).execute() : []
	]);
	const userName = new Map(users.map((u) => [u.id, u.display_name]));
	const deviceLabel = new Map(devices.map((d) => [d.id, d.label]));
	return shown.map((e) => {
		const [kind, id = ''] = e.actor.split(/:(.*)/s) as [string, string?];
		const actorKind = kind === 'user' ? 'user' : kind === 'device' ? 'device' : 'system';
		const subjectId = e.subject?.slice(e.subject.indexOf(':') + 1) ?? '';
		const decision = e.subject?.startsWith('decision:') ? decisionById.get(subjectId) : undefined;
		return {
			id: e.id,
			at: e.at,
			action: e.action as TimelineAction,
			actorKind,
			actorName: (actorKind === 'user' ? userName.get(id) : actorKind === 'device' ? deviceLabel.get(id) : undefined) ?? null,
			decision: decision
				? { id: decision.id, kind: decision.kind, person_name: decision.person_name, role: decision.role, status: decision.status, decision_number: decision.decision_number, decision_date: decision.decision_date }
				: null,
			memberName: e.subject?.startsWith('member:') ? (memberName.get(subjectId) ?? null) : null,
			detail: parseDetail(e.detail)
		};
	});
}
