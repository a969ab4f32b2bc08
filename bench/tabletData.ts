// A year of a busy village hall, in the rows the tablet writes (src/lib/kiosk/db.ts): closed
// sessions on working days with their check-ins, assists, residents, extra members and the
// sent uploads, generated deterministically. The expected period tally is computed here with the
// app's own computeCounts, so the bench can check the leader view shows the right numbers.
import { createHash } from 'node:crypto';
import { DEFAULT_PERIOD_RULE, localDateOf, periodOf, periodRange, type Period } from '../src/lib/domain/period';
import { DEFAULT_SKILLS } from '../src/lib/domain/skills';
import { mulberry32 } from '../src/lib/domain/random';
import { DEMO_MEMBERS, DEMO_TEAM_ID } from '../src/lib/domain/demo';
import { computeCounts, type Counts, type Outcome, type SessionTally, type TallyResident } from '../src/lib/domain/tally';
import type { AssistRow, CheckInRow, MemberRow, OutboxRow, ResidentRow, SessionRow } from '../src/lib/kiosk/db';

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface TabletData {
	/** The reporting period the leader view opens on (today's), which the data fills. */
	period: Period;
	sessions: SessionRow[];
	residents: ResidentRow[];
	checkIns: CheckInRow[];
	assists: AssistRow[];
	/** Members beyond the three the demo seeding writes (their PIN hash is copied in the page). */
	extraMembers: Omit<MemberRow, 'pin'>[];
	outbox: OutboxRow[];
	/** The period's total, as the leader view must show it. */
	expected: Counts;
}

/** A UUID-shaped id from a counter (crypto.randomUUID's shape; deterministic for a given seed). */
function idMaker(prefix: string) {
	let n = 0;
	return () => {
		const h = createHash('sha1').update(`${prefix}:${n++}`).digest('hex');
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
	};
}

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
/** 'YYYY-MM-DD' + minutes after midnight in Vietnam (UTC+7, no DST) → ISO instant. */
const atVietnam = (date: string, minutes: number) => new Date(Date.parse(`${date}T00:00:00Z`) - 7 * 3_600_000 + minutes * 60_000).toISOString();

/**
 * `assists` assists over `sessions` sessions on the working days (Mon–Fri) up to the last day of
 * today's reporting period, so that period is a full month whatever today's date is.
 */
export function generateTabletData(input: { assists: number; sessions: number; residents: number; now?: Date; seed?: number }): TabletData {
	const random = mulberry32(input.seed ?? 20_261_129);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
	const period = periodRange(periodOf(localDateOf(input.now ?? new Date(), TIME_ZONE), DEFAULT_PERIOD_RULE), DEFAULT_PERIOD_RULE);

	const dates: string[] = [];
	for (let d = period.last; dates.length < input.sessions; d = addDays(d, -1)) if (weekday(d) >= 1 && weekday(d) <= 5) dates.push(d);
	dates.reverse();

	const extraMembers: Omit<MemberRow, 'pin'>[] = Array.from({ length: 9 }, (_, i) => ({
		id: `bench-member-${i + 1}`,
		fullName: `Thành viên ${i + 1}`,
		role: 'member' as const,
		active: true,
		order: DEMO_MEMBERS.length + i
	}));
	const memberIds = [...DEMO_MEMBERS.map((m) => m.id), ...extraMembers.map((m) => m.id)];
	const skillCodes = DEFAULT_SKILLS.map((s) => s.code);

	const residentId = idMaker('resident');
	const residents: ResidentRow[] = Array.from({ length: input.residents }, (_, i) => {
		const card = random() < 0.85; // most hold a CCCD; the rest a Trạm Số pass
		const hash = createHash('sha256').update(`resident-${i}`).digest('hex');
		return {
			id: residentId(),
			...(card ? { idHash: hash } : { passId: `TS${hash.slice(0, 10).toUpperCase()}` }),
			fullName: `Người dân ${i + 1}`,
			birthYear: 1935 + Math.floor(random() * 75),
			gender: random() < 0.55 ? 'female' : 'male',
			createdAt: '',
			lastSeenAt: ''
		};
	});

	const sessionId = idMaker('session');
	const checkInId = idMaker('checkin');
	const assistId = idMaker('assist');
	const sessions: SessionRow[] = [];
	const checkIns: CheckInRow[] = [];
	const assists: AssistRow[] = [];
	const visited = new Set<string>();
	const perSession = Math.floor(input.assists / input.sessions);
	let remainder = input.assists - perSession * input.sessions;
	const outcomes: Outcome[] = ['done', 'done', 'done', 'partly', 'referred'];

	for (const date of dates) {
		const startedAt = atVietnam(date, 7 * 60 + 30);
		const present = memberIds.filter(() => random() < 0.6);
		if (present.length === 0) present.push(memberIds[0]!);
		const session: SessionRow = {
			id: sessionId(),
			teamId: DEMO_TEAM_ID,
			date,
			startedAt,
			endedAt: atVietnam(date, 17 * 60),
			status: 'closed',
			membersPresent: present,
			version: 1
		};
		sessions.push(session);
		let toAssist = perSession + (remainder-- > 0 ? 1 : 0);
		const seenToday = new Set<number>();
		let queueNumber = 0;
		while (toAssist > 0) {
			let r: number;
			do r = Math.floor(random() * residents.length);
			while (seenToday.has(r));
			seenToday.add(r);
			const resident = residents[r]!;
			const minute = 7 * 60 + 30 + Math.floor((queueNumber * 540) / (perSession * 0.7));
			const at = atVietnam(date, Math.min(minute, 16 * 60 + 59));
			const firstVisit = !visited.has(resident.id);
			visited.add(resident.id);
			if (firstVisit) resident.createdAt = at;
			resident.lastSeenAt = at;
			const checkIn: CheckInRow = { id: checkInId(), sessionId: session.id, residentId: resident.id, at, queueNumber: ++queueNumber, firstVisit, gender: resident.gender, birthYear: resident.birthYear };
			checkIns.push(checkIn);
			const n = Math.min(toAssist, random() < 0.5 ? 1 : 2);
			for (let k = 0; k < n; k++) {
				const codes = new Set([pick(skillCodes)]);
				if (random() < 0.3) codes.add(pick(skillCodes));
				assists.push({
					id: assistId(),
					sessionId: session.id,
					checkInId: checkIn.id,
					residentId: resident.id,
					memberId: pick(present),
					skillCodes: [...codes],
					outcome: pick(outcomes),
					at,
					updatedAt: at
				});
			}
			toAssist -= n;
		}
	}
	// Residents who never came (a pool larger than the year's visitors) still have a first sight.
	for (const r of residents) if (!r.createdAt) r.createdAt = r.lastSeenAt = atVietnam(dates[0]!, 7 * 60);

	const tallyResidents = new Map<string, TallyResident>(residents.map((r) => [r.id, { id: r.id, gender: r.gender, birthYear: r.birthYear }]));
	const group = <T extends { sessionId: string }>(rows: T[]) => {
		const m = new Map<string, T[]>();
		for (const row of rows) (m.get(row.sessionId) ?? m.set(row.sessionId, []).get(row.sessionId)!).push(row);
		return m;
	};
	const checkInsOf = group(checkIns);
	const assistsOf = group(assists);
	const outbox: OutboxRow[] = sessions.map((s) => {
		const counts = computeCounts({ residents: tallyResidents, checkIns: checkInsOf.get(s.id) ?? [], assists: assistsOf.get(s.id) ?? [], atYear: Number(s.date.slice(0, 4)) });
		const tally: SessionTally = { schema: 1, sessionId: s.id, version: 1, teamId: s.teamId, date: s.date, startedAt: s.startedAt, endedAt: s.endedAt!, membersPresent: [...s.membersPresent], ...counts };
		return { sessionId: s.id, version: 1, tally, state: 'sent', attempts: 1, queuedAt: s.endedAt!, lastAttemptAt: s.endedAt!, sentAt: s.endedAt!, serverResult: 'stored' };
	});

	const inPeriod = new Set(sessions.filter((s) => s.date >= period.first && s.date <= period.last).map((s) => s.id));
	const expected = computeCounts({
		residents: tallyResidents,
		checkIns: checkIns.filter((c) => inPeriod.has(c.sessionId)),
		assists: assists.filter((a) => inPeriod.has(a.sessionId)),
		atYear: Number(period.last.slice(0, 4))
	});
	return { period, sessions, residents, checkIns, assists, extraMembers, outbox, expected };
}
