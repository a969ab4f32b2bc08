// Today's queue as team mode shows it: who checked in, in order, and what they were helped with.
import type { AssistRow, CheckInRow, KioskDb, ResidentRow } from './db';

export interface QueueEntry {
	checkIn: CheckInRow;
	resident: ResidentRow;
	assists: AssistRow[];
}

export async function sessionQueue(db: KioskDb, sessionId: string): Promise<QueueEntry[]> {
	const [checkIns, assists] = await Promise.all([
		db.checkIns.where('sessionId').equals(sessionId).sortBy('queueNumber'),
		db.assists.where('sessionId').equals(sessionId).sortBy('at')
	]);
	const residents = await db.residents.bulkGet(checkIns.map((c) => c.residentId));
	const entries: QueueEntry[] = [];
	checkIns.forEach((checkIn, i) => {
		const resident = residents[i];
		if (resident) entries.push({ checkIn, resident, assists: assists.filter((a) => a.checkInId === checkIn.id) });
	});
	return entries;
}
