// Team activities other than help sessions (PRODUCT.md "Team activities that are reported"): the
// leader records trainings, outreach events, initiatives and DX tasks with date, members and people
// reached. Each is filed under the reporting period of its date; deleting keeps the row (deleted_at).
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { isActivityKind, MAX_ACTIVITY_NOTE, MAX_ACTIVITY_TITLE, MAX_PEOPLE_REACHED, type ActivityKind } from '$lib/domain/activity';
import { localDateOf, periodOf, type LocalDate, type PeriodKey } from '$lib/domain/period';
import { recordAudit } from './audit';
import type { ActivityTable, Database, Team } from './db/schema';
import { InputError, optionalText, requireDate, requireNameInput } from './inputError';
import { writeTransaction } from './orgTree';
import { periodRuleSetting } from './settings';

/** The form fields an InputError from here names; pages word a refusal per field. */
export type ActivityField = 'id' | 'teamId' | 'kind' | 'date' | 'title' | 'memberIds' | 'peopleReached' | 'note';

export interface Activity {
	id: string;
	teamId: string;
	kind: ActivityKind;
	/** 'YYYY-MM-DD', the hall's calendar. */
	date: LocalDate;
	period: PeriodKey;
	title: string;
	/** Sorted, distinct. */
	memberIds: string[];
	peopleReached: number;
	note: string | null;
	createdBy: string;
	createdAt: string;
}

const subject = (id: string) => `activity:${id}`;

// --- validation -------------------------------------------------------------------------------

function checkKind(value: unknown): ActivityKind {
	if (!isActivityKind(value)) throw new InputError('kind', 'invalid', 'Use training, outreach, initiative or dxTask.');
	return value;
}

function checkTitle(value: unknown): string {
	return requireNameInput(value, 'title', MAX_ACTIVITY_TITLE);
}

function checkPeopleReached(value: unknown): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PEOPLE_REACHED) {
		throw new InputError('peopleReached', 'invalid', `Give a whole number from 0 to ${MAX_PEOPLE_REACHED}.`);
	}
	return value;
}

const checkNote = (value: unknown) => optionalText(value, 'note', MAX_ACTIVITY_NOTE);

/** A real day, not after today (Vietnam time: activities are recorded once done) nor before the team existed. */
function checkDate(value: unknown, team: Team, now: Date): LocalDate {
	const date = requireDate(value, 'date');
	if (date > localDateOf(now)) throw new InputError('date', 'invalid', 'The date is in the future; record an activity once it took place.');
	if (date < team.established_on) throw new InputError('date', 'invalid', `The team was established on ${team.established_on}.`);
	return date;
}

async function requireTeam(db: Kysely<Database>, teamId: string): Promise<Team> {
	const team = await db.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirst();
	if (!team) throw new InputError('teamId', 'invalid', `There is no team ${teamId}.`);
	if (team.archived_at !== null) throw new InputError('teamId', 'invalid', `${team.name} is archived.`);
	return team;
}

/** At least one; each a member of the team on `date` (joined by then, not yet left). */
async function checkMembers(db: Kysely<Database>, value: unknown, team: Team, date: LocalDate): Promise<string[]> {
	if (!Array.isArray(value) || value.some((id) => typeof id !== 'string')) throw new InputError('memberIds', 'invalid', 'Give a list of member ids.');
	const ids = [...new Set(value as string[])].sort();
	if (ids.length === 0) throw new InputError('memberIds', 'invalid', 'Tick at least one member who took part.');
	const rows = await db.selectFrom('members').select(['id', 'full_name', 'joined_on', 'left_on']).where('team_id', '=', team.id).where('id', 'in', ids).execute();
	const byId = new Map(rows.map((r) => [r.id, r]));
	for (const id of ids) {
		const member = byId.get(id);
		if (!member) throw new InputError('memberIds', 'invalid', `${id} is not a member of ${team.name}.`);
		if (member.joined_on > date || (member.left_on !== null && member.left_on < date)) {
			throw new InputError('memberIds', 'invalid', `${member.full_name} was not in the team on ${date}.`);
		}
	}
	return ids;
}

// --- rows -------------------------------------------------------------------------------------

function fromRow(r: Selectable<ActivityTable>): Activity {
	return {
		id: r.id,
		teamId: r.team_id,
		kind: r.kind,
		date: r.activity_date,
		period: r.period,
		title: r.title,
		memberIds: JSON.parse(r.member_ids) as string[],
		peopleReached: Number(r.people_reached),
		note: r.note,
		createdBy: r.created_by,
		createdAt: r.created_at
	};
}

/** A live (not deleted) activity; `teamId`, when given, must be its team: a form cannot reach across teams. */
async function requireActivity(db: Kysely<Database>, id: string, teamId?: string): Promise<Activity> {
	const row = await db.selectFrom('activities').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
	if (!row || (teamId !== undefined && row.team_id !== teamId)) throw new InputError('id', 'invalid', `There is no activity ${id} in this team.`);
	return fromRow(row);
}

export async function getActivity(db: Kysely<Database>, id: string): Promise<Activity | undefined> {
	const row = await db.selectFrom('activities').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
	return row ? fromRow(row) : undefined;
}

// --- changes ----------------------------------------------------------------------------------

export interface ActivityInput {
	teamId: string;
	kind: string;
	date: string;
	title: string;
	memberIds: readonly string[];
	peopleReached: number;
	note?: string | null;
	actor: string;
	now: Date;
}

export async function recordActivity(db: Kysely<Database>, input: ActivityInput): Promise<Activity> {
	const kind = checkKind(input.kind);
	const title = checkTitle(input.title);
	const peopleReached = checkPeopleReached(input.peopleReached);
	const note = checkNote(input.note);
	return writeTransaction(db, [], async (trx) => {
		const team = await requireTeam(trx, input.teamId);
		const date = checkDate(input.date, team, input.now);
		const memberIds = await checkMembers(trx, input.memberIds, team, date);
		const period = periodOf(date, await periodRuleSetting(trx));
		const activity: Activity = {
			id: randomUUID(),
			teamId: team.id,
			kind,
			date,
			period,
			title,
			memberIds,
			peopleReached,
			note,
			createdBy: input.actor,
			createdAt: input.now.toISOString()
		};
		await trx
			.insertInto('activities')
			.values({
				id: activity.id,
				team_id: team.id,
				kind,
				activity_date: date,
				period,
				title,
				member_ids: JSON.stringify(memberIds),
				people_reached: peopleReached,
				note,
				created_by: input.actor,
				created_at: activity.createdAt,
				deleted_at: null
			})
			.execute();
		await recordAudit(trx, {
			actor: input.actor,
			action: 'activity.record',
			subject: subject(activity.id),
			detail: { teamId: team.id, kind, date, period, title, memberIds, peopleReached, note },
			now: input.now
		});
		return activity;
	});
}

type Editable = Pick<Activity, 'kind' | 'date' | 'period' | 'title' | 'memberIds' | 'peopleReached' | 'note'>;

/**
 * Changes what is given; a new date files the activity under that date's period (under the rule in
 * force now) and its members are checked again for it. Nothing is written (or audited) when nothing differs.
 */
export async function updateActivity(
	db: Kysely<Database>,
	input: Partial<Omit<ActivityInput, 'actor' | 'now' | 'teamId'>> & { id: string; teamId?: string; actor: string; now: Date }
): Promise<Activity> {
	const kind = input.kind === undefined ? undefined : checkKind(input.kind);
	const title = input.title === undefined ? undefined : checkTitle(input.title);
	const peopleReached = input.peopleReached === undefined ? undefined : checkPeopleReached(input.peopleReached);
	const note = input.note === undefined ? undefined : checkNote(input.note);
	return writeTransaction(db, [], async (trx) => {
		const before = await requireActivity(trx, input.id, input.teamId);
		const team = await requireTeam(trx, before.teamId);
		const date = input.date === undefined ? before.date : checkDate(input.date, team, input.now);
		const memberIds = await checkMembers(trx, input.memberIds ?? before.memberIds, team, date);
		const period = date === before.date ? before.period : periodOf(date, await periodRuleSetting(trx));
		const after: Activity = { ...before, kind: kind ?? before.kind, date, period, title: title ?? before.title, memberIds, peopleReached: peopleReached ?? before.peopleReached, note: note === undefined ? before.note : note };

		const from: Partial<Editable> = {};
		const to: Partial<Editable> = {};
		for (const key of ['kind', 'date', 'period', 'title', 'memberIds', 'peopleReached', 'note'] as const) {
			if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
			Object.assign(from, { [key]: before[key] });
			Object.assign(to, { [key]: after[key] });
		}
		if (Object.keys(to).length === 0) return before;
		await trx
			.updateTable('activities')
			.set({
				kind: after.kind,
				activity_date: after.date,
				period: after.period,
				title: after.title,
				member_ids: JSON.stringify(after.memberIds),
				people_reached: after.peopleReached,
				note: after.note
			})
			.where('id', '=', before.id)
			.execute();
		await recordAudit(trx, { actor: input.actor, action: 'activity.update', subject: subject(before.id), detail: { teamId: before.teamId, from, to }, now: input.now });
		return after;
	});
}

/** Soft: the row stays for the audit trail, and leaves every list and report. */
export async function deleteActivity(db: Kysely<Database>, input: { id: string; teamId?: string; actor: string; now: Date }): Promise<void> {
	await writeTransaction(db, [], async (trx) => {
		const activity = await requireActivity(trx, input.id, input.teamId);
		await trx.updateTable('activities').set({ deleted_at: input.now.toISOString() }).where('id', '=', activity.id).execute();
		await recordAudit(trx, {
			actor: input.actor,
			action: 'activity.delete',
			subject: subject(activity.id),
			detail: { teamId: activity.teamId, kind: activity.kind, date: activity.date, title: activity.title },
			now: input.now
		});
	});
}

/** Live activities, newest first (by date, then by when recorded, then id). */
export async function listActivities(db: Kysely<Database>, filter: { teamId?: string; period?: PeriodKey } = {}): Promise<Activity[]> {
	let query = db.selectFrom('activities').selectAll().where('deleted_at', 'is', null);
	if (filter.teamId !== undefined) query = query.where('team_id', '=', filter.teamId);
	if (filter.period !== undefined) query = query.where('period', '=', filter.period);
	const rows = await query.orderBy('activity_date', 'desc').orderBy('created_at', 'desc').orderBy('id').execute();
	return rows.map(fromRow);
}
