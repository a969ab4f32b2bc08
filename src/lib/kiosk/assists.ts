// Logging which skills a member taught a waiting resident, and correcting it while the session is open.
import type { Outcome } from '$lib/domain/tally';
import { newId, type AssistRow, type KioskDb } from './db';
import { markPresent, requireOpenSession } from './sessions';

export interface AssistInput {
	checkInId: string;
	memberId: string;
	skillCodes: readonly string[];
	outcome: Outcome;
}

export class AssistNotAllowedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AssistNotAllowedError';
	}
}

function checkSkills(skillCodes: readonly string[]): string[] {
	const unique = [...new Set(skillCodes)];
	if (unique.length === 0) throw new AssistNotAllowedError('an assist needs at least one skill');
	return unique;
}

export async function logAssist(db: KioskDb, input: AssistInput, now: Date): Promise<AssistRow> {
	const skillCodes = checkSkills(input.skillCodes);
	return db.transaction('rw', [db.sessions, db.checkIns, db.assists], async () => {
		const checkIn = await db.checkIns.get(input.checkInId);
		if (!checkIn) throw new AssistNotAllowedError('resident is not checked in');
		await requireOpenSession(db, checkIn.sessionId);
		const at = now.toISOString();
		const assist: AssistRow = {
			id: newId(),
			sessionId: checkIn.sessionId,
			checkInId: checkIn.id,
			residentId: checkIn.residentId,
			memberId: input.memberId,
			skillCodes,
			outcome: input.outcome,
			at,
			updatedAt: at
		};
		await db.assists.add(assist);
		await markPresent(db, checkIn.sessionId, input.memberId);
		return assist;
	});
}

/** Only the member who logged an assist corrects it, and only while its session is open. */
async function ownAssistInOpenSession(db: KioskDb, assistId: string, memberId: string): Promise<AssistRow> {
	const assist = await db.assists.get(assistId);
	if (!assist) throw new AssistNotAllowedError('assist not found');
	if (assist.memberId !== memberId) throw new AssistNotAllowedError('only the member who logged it may change it');
	await requireOpenSession(db, assist.sessionId);
	return assist;
}

export async function updateAssist(
	db: KioskDb,
	assistId: string,
	memberId: string,
	change: { skillCodes: readonly string[]; outcome: Outcome },
	now: Date
): Promise<void> {
	const skillCodes = checkSkills(change.skillCodes);
	await db.transaction('rw', [db.sessions, db.assists], async () => {
		await ownAssistInOpenSession(db, assistId, memberId);
		await db.assists.update(assistId, { skillCodes, outcome: change.outcome, updatedAt: now.toISOString() });
	});
}

export async function deleteAssist(db: KioskDb, assistId: string, memberId: string): Promise<void> {
	await db.transaction('rw', [db.sessions, db.assists], async () => {
		await ownAssistInOpenSession(db, assistId, memberId);
		await db.assists.delete(assistId);
	});
}
