// The five basic skills and households on the tablet (issue 14): what a member records (a household
// label, a link, a corrected mark), what the screens show live, and what a session's close settles.
// The rules are domain/progress.ts, households.ts and outcomes.ts; this is their storage.
//
// A resident's progress is keyed as the tablet recognises them: the HMAC of their CCCD number
// (ResidentRow.idHash), or for a pass holder their pass id. Never the resident row's id: the
// retention rule erases the keys from the row, and a resident who comes back gets a new row.
import type { BasicSkillGroup } from '$lib/domain/basicSkills';
import { checkHouseholdLabel, householdRemovalProblem, newHousehold, type Household, type HouseholdLabelProblem, type HouseholdRemovalProblem } from '$lib/domain/households';
import { doneEvent, emptyProgress, type OutcomeEvent, type ResidentProgress } from '$lib/domain/progress';
import { outcomeCountsOf, outcomeStateOf, settleSession, type OutcomeCounts, type OutcomeState } from '$lib/domain/outcomes';
import { skillGroupLookup } from '$lib/domain/skills';
import { newId, type KioskDb, type OutcomeEventRow, type ResidentRow } from './db';
import { requireOpenSession } from './sessions';

export class HouseholdLabelError extends Error {
	constructor(readonly problem: HouseholdLabelProblem) {
		super(`household label refused: ${problem}`);
		this.name = 'HouseholdLabelError';
	}
}

export class OutcomeNotAllowedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'OutcomeNotAllowedError';
	}
}

/** The key a resident's progress is kept under, or null for a resident the retention rule erased. */
export function residentKeyOf(resident: Pick<ResidentRow, 'idHash' | 'passId'>): string | null {
	if (resident.idHash) return resident.idHash;
	if (resident.passId) return `pass:${resident.passId}`;
	return null;
}

/** Adds a household to the list; a label that is not a name or carries a phone or ID number is refused. */
export async function addHousehold(db: KioskDb, rawLabel: string, now: Date): Promise<Household> {
	const checked = checkHouseholdLabel(rawLabel);
	if (!checked.ok) throw new HouseholdLabelError(checked.problem);
	const household = newHousehold(newId(), checked.label, now.toISOString());
	await db.households.add(household);
	return household;
}

/**
 * Gives a household a corrected label (a misspelt name, a house number added), checked as a new
 * one is. Only the label changes: its residents, and whether and when it was covered, stay. The
 * label as kept, or null when the tablet has no such household.
 */
export async function renameHousehold(db: KioskDb, householdId: string, rawLabel: string): Promise<string | null> {
	const checked = checkHouseholdLabel(rawLabel);
	if (!checked.ok) throw new HouseholdLabelError(checked.problem);
	return (await db.households.update(householdId, { label: checked.label })) === 1 ? checked.label : null;
}

/** The household list in label order (Vietnamese collation). */
export async function householdList(db: KioskDb): Promise<Household[]> {
	const all = await db.households.toArray();
	return all.sort((a, b) => a.label.localeCompare(b.label, 'vi'));
}

/** The resident checked in as `checkInId`, in an open session, with their progress key. */
async function residentInOpenSession(db: KioskDb, checkInId: string): Promise<{ sessionId: string; residentKey: string }> {
	const checkIn = await db.checkIns.get(checkInId);
	if (!checkIn) throw new OutcomeNotAllowedError('resident is not checked in');
	await requireOpenSession(db, checkIn.sessionId);
	const resident = await db.residents.get(checkIn.residentId);
	const residentKey = resident ? residentKeyOf(resident) : null;
	if (!residentKey) throw new OutcomeNotAllowedError('resident cannot be recognised');
	return { sessionId: checkIn.sessionId, residentKey };
}

/** A member puts a resident of the queue in a household (or out of any: null). Audited on the tablet. */
export async function linkHousehold(
	db: KioskDb,
	input: { checkInId: string; householdId: string | null; memberId: string },
	now: Date
): Promise<OutcomeEventRow> {
	return db.transaction('rw', [db.sessions, db.checkIns, db.residents, db.households, db.outcomeEvents], async () => {
		const { sessionId, residentKey } = await residentInOpenSession(db, input.checkInId);
		if (input.householdId !== null && !(await db.households.get(input.householdId))) {
			throw new OutcomeNotAllowedError('unknown household');
		}
		const row: OutcomeEventRow = { id: newId(), kind: 'link', sessionId, residentKey, at: now.toISOString(), memberId: input.memberId, householdId: input.householdId };
		await db.outcomeEvents.add(row);
		return row;
	});
}

/** A member sets or clears one of a queued resident's five marks. Audited on the tablet. */
export async function correctMark(
	db: KioskDb,
	input: { checkInId: string; group: BasicSkillGroup; marked: boolean; memberId: string },
	now: Date
): Promise<OutcomeEventRow> {
	return db.transaction('rw', [db.sessions, db.checkIns, db.residents, db.outcomeEvents], async () => {
		const { sessionId, residentKey } = await residentInOpenSession(db, input.checkInId);
		const row: OutcomeEventRow = {
			id: newId(),
			kind: 'correction',
			sessionId,
			residentKey,
			at: now.toISOString(),
			memberId: input.memberId,
			group: input.group,
			marked: input.marked
		};
		await db.outcomeEvents.add(row);
		return row;
	});
}

function toEvent(row: OutcomeEventRow): OutcomeEvent {
	return row.kind === 'link'
		? { kind: 'link', residentKey: row.residentKey, at: row.at, householdId: row.householdId, memberId: row.memberId }
		: { kind: 'correction', residentKey: row.residentKey, at: row.at, group: row.group, marked: row.marked, memberId: row.memberId };
}

/**
 * The session's events: its "done" assists (with the groups of today's catalog) and the stored
 * corrections and links. A resident whose keys were erased gives none.
 */
export async function sessionOutcomeEvents(db: KioskDb, sessionId: string): Promise<{ events: OutcomeEvent[]; residentKeys: Map<string, string> }> {
	const [assists, stored, skills, checkIns] = await Promise.all([
		db.assists.where('sessionId').equals(sessionId).toArray(),
		db.outcomeEvents.where('sessionId').equals(sessionId).toArray(),
		db.skills.toArray(),
		db.checkIns.where('sessionId').equals(sessionId).toArray()
	]);
	const residentIds = [...new Set([...checkIns.map((c) => c.residentId), ...assists.map((a) => a.residentId)])];
	const residents = await db.residents.bulkGet(residentIds);
	const residentKeys = new Map<string, string>();
	residentIds.forEach((id, i) => {
		const resident = residents[i];
		const key = resident ? residentKeyOf(resident) : null;
		if (key) residentKeys.set(id, key);
	});
	const groupOf = skillGroupLookup(skills);
	const events: OutcomeEvent[] = [];
	for (const assist of assists) {
		const key = residentKeys.get(assist.residentId);
		const event = key ? doneEvent(assist, key, groupOf) : null;
		if (event) events.push(event);
	}
	events.push(...stored.map(toEvent));
	return { events, residentKeys };
}

async function storedState(db: KioskDb): Promise<OutcomeState> {
	const [progress, households] = await Promise.all([db.progress.toArray(), db.households.toArray()]);
	return outcomeStateOf(progress, households);
}

export interface LiveOutcomes {
	/** Each queued resident's progress as it stands now, by resident id (absent: erased keys). */
	byResidentId: Map<string, ResidentProgress>;
	households: Household[];
	/** The open session's counts so far (what its close would report). */
	counts: OutcomeCounts;
}

/** What team mode shows: the settled state with the open session's events applied (not written). */
export async function liveOutcomes(db: KioskDb, sessionId: string): Promise<LiveOutcomes> {
	const [state, { events, residentKeys }] = await Promise.all([storedState(db), sessionOutcomeEvents(db, sessionId)]);
	const settled = settleSession(state, sessionId, events);
	const byResidentId = new Map<string, ResidentProgress>();
	for (const [residentId, key] of residentKeys) byResidentId.set(residentId, settled.state.residents.get(key) ?? emptyProgress(key));
	const households = [...settled.state.households.values()].sort((a, b) => a.label.localeCompare(b.label, 'vi'));
	return { byResidentId, households, counts: outcomeCountsOf(settled.state, sessionId) };
}

/** One resident's progress as stored (settled sessions only), for the greeting. */
export async function storedProgress(db: KioskDb, resident: Pick<ResidentRow, 'idHash' | 'passId'>): Promise<ResidentProgress | undefined> {
	const key = residentKeyOf(resident);
	return key ? db.progress.get(key) : undefined;
}

/**
 * Settles a closing session into the stored state and answers what it settled (for its tally).
 * Inside closeSession's transaction, which must include progress, households, outcomeEvents,
 * assists, checkIns, residents and skills.
 */
export async function settleSessionOutcomes(db: KioskDb, sessionId: string) {
	const [state, { events, residentKeys }] = await Promise.all([storedState(db), sessionOutcomeEvents(db, sessionId)]);
	const settled = settleSession(state, sessionId, events);
	await db.progress.bulkPut(settled.changedResidents);
	await db.households.bulkPut(settled.changedHouseholds);
	return { settled, residentKeys };
}

/**
 * A resident's progress as the greeting shows it: with their open session's events if they are
 * queued in one (a resident showing their card again after being helped), else as stored.
 */
export async function progressOfResident(db: KioskDb, residentId: string): Promise<ResidentProgress | undefined> {
	const checkIns = await db.checkIns.where('residentId').equals(residentId).sortBy('at');
	const latest = checkIns.at(-1);
	const session = latest ? await db.sessions.get(latest.sessionId) : undefined;
	if (session?.status === 'open') return (await liveOutcomes(db, session.id)).byResidentId.get(residentId);
	const resident = await db.residents.get(residentId);
	return resident ? storedProgress(db, resident) : undefined;
}

export class HouseholdRemovalError extends Error {
	constructor(readonly problem: HouseholdRemovalProblem) {
		super(`household kept: ${problem}`);
		this.name = 'HouseholdRemovalError';
	}
}

/**
 * Takes a household off the list (a mistaken or duplicate label). A covered one stays (the sums
 * must not go down), and one with residents in it waits until they are moved: residents as things
 * stand in the open session, and any link to it that a session still to be closed recorded (its
 * close must find the household). `sessionId`: the open session, if any.
 */
export async function removeHousehold(db: KioskDb, householdId: string, sessionId: string | null): Promise<void> {
	const live = sessionId ? await liveOutcomes(db, sessionId) : null;
	await db.transaction('rw', [db.households, db.progress, db.outcomeEvents, db.sessions], async () => {
		const household = await db.households.get(householdId);
		if (!household) return;
		const liveByKey = new Map([...(live?.byResidentId.values() ?? [])].map((p) => [p.residentKey, p]));
		const stored = (await db.progress.where('householdId').equals(householdId).primaryKeys()).filter((key) => {
			const now = liveByKey.get(key);
			return !now || now.householdId === householdId;
		});
		const inSession = [...liveByKey.values()].filter((p) => p.householdId === householdId).map((p) => p.residentKey);
		const links = await db.outcomeEvents.filter((e) => e.kind === 'link' && e.householdId === householdId).toArray();
		const openSessions = new Set((await db.sessions.where('status').equals('open').toArray()).map((x) => x.id));
		const pending = links.filter((e) => openSessions.has(e.sessionId)).map((e) => e.residentKey);
		const members = new Set([...stored, ...inSession, ...pending]).size;
		const problem = householdRemovalProblem(household, members);
		if (problem) throw new HouseholdRemovalError(problem);
		await db.households.delete(householdId);
	});
}
