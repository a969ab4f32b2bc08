// What the fault specs share: enrolling the tablet with a server reached through the flaky
// proxy, filling its outbox quickly, and reading what the server stored from its database.
import { expect, type Page, type TestInfo } from '@playwright/test';
import { DEMO, storedRows, unlockTeamMode } from './kiosk';
import { newEnrolmentCode } from './enrol';
import { intBetween, mulberry32 } from '../fixtures/seededRandom';
import { startFlakyProxy, type FlakyProxy, type FlakyProxyOptions } from '../fixtures/flakyProxy';
import { serverProcess, type ServerProcess } from '../fixtures/serverProcess';
import { computeCounts, type Outcome, type AnySessionTally, type SessionTallyV2, type TallyAssist, type TallyCheckIn, type TallyResident } from '../../src/lib/domain/tally';
import { validateAnySessionTally } from '../../src/lib/domain/tallySchema';
import { BASIC_SKILL_GROUPS } from '../../src/lib/domain/basicSkills';
import type { OutboxRow } from '../../src/lib/kiosk/db';
import type { ServerLink } from '../../src/lib/kiosk/enrolment';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';

export interface FaultRig {
	random: () => number;
	proxy: FlakyProxy;
	server: ServerProcess;
	link: ServerLink;
}

/**
 * Runs `body` with a seeded random, a fresh built server behind the flaky proxy, and the tablet
 * enrolled through the proxy; a failure names the seed, the proxy's tally and the server's output.
 */
export async function withFaultRig(
	page: Page,
	testInfo: TestInfo,
	rig: { seed: number; proxyPort: number; serverPort: number; weights?: FlakyProxyOptions['weights']; coverUploadFates?: boolean },
	body: (rig: FaultRig) => Promise<void>
): Promise<void> {
	testInfo.annotations.push({ type: 'FAULT_SEED', description: String(rig.seed) });
	const random = mulberry32(rig.seed);
	const proxy = await startFlakyProxy({ port: rig.proxyPort, targetPort: rig.serverPort, random, weights: rig.weights, coverUploadFates: rig.coverUploadFates });
	const server = serverProcess({ port: rig.serverPort, origin: proxy.origin });
	try {
		await server.start();
		const link = await enrolThroughProxy(page, proxy.origin, server.databaseUrl);
		await body({ random, proxy, server, link });
	} catch (e) {
		if (e instanceof Error) e.message = `FAULT_SEED=${rig.seed} (${proxy.summary()})\n${e.message}\n--- server output ---\n${server.output()}`;
		throw e;
	} finally {
		await proxy.close();
		await server.dispose();
	}
}

/** The demo leader connects the tablet by typing a code; the address field is the page's own origin. */
export async function enrolThroughProxy(page: Page, proxyOrigin: string, databaseUrl: string): Promise<ServerLink> {
	const code = await newEnrolmentCode(databaseUrl);
	await page.goto(`${proxyOrigin}/`);
	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await page.getByRole('button', { name: 'Kết nối máy chủ' }).click();
	await expect(page.getByLabel('Địa chỉ máy chủ')).toHaveValue(proxyOrigin);
	await page.getByLabel('Mã kết nối').fill(code);
	await page.getByRole('button', { name: 'Kết nối', exact: true }).click();
	await expect(page.getByText(/Đã kết nối với .*Máy làm việc cho/)).toBeVisible({ timeout: 15_000 });
	const link = (await storedRows<{ key: string; value: unknown }>(page, 'settings')).find((s) => s.key === 'server')?.value as ServerLink;
	expect(link.origin).toBe(proxyOrigin);
	return link;
}

/** A fresh start of the kiosk (which starts sending at once), then the leader unlocks and opens the report. */
export async function openLeaderView(page: Page, origin: string): Promise<void> {
	await page.goto(`${origin}/`);
	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await expect(page.getByRole('heading', { name: 'Chờ gửi lên máy chủ' })).toBeVisible();
}

/** Today at the hall, 'YYYY-MM-DD'. */
function todayInVietnam(): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

/**
 * A closed session's tally as the tablet computes it (computeCounts over made-up residents,
 * check-ins and assists), for the enrolled team, its members and its skills.
 */
function madeUpTally(random: () => number, teamId: string, members: string[], skills: string[], date: string, index: number): SessionTallyV2 {
	const year = Number(date.slice(0, 4));
	const residents = new Map<string, TallyResident>();
	const checkIns: TallyCheckIn[] = [];
	const assists: TallyAssist[] = [];
	const outcomes: Outcome[] = ['done', 'done', 'partly', 'referred'];
	for (let r = 0; r < intBetween(random, 1, 12); r++) {
		const id = `r${r}`;
		residents.set(id, { id, gender: random() < 0.55 ? 'female' : 'male', birthYear: intBetween(random, year - 85, year - 12) });
		checkIns.push({ residentId: id, firstVisit: random() < 0.4 });
		for (let a = 0; a < intBetween(random, 0, 2); a++) {
			const taught = new Set([skills[intBetween(random, 0, skills.length - 1)]!, skills[intBetween(random, 0, skills.length - 1)]!]);
			assists.push({ residentId: id, memberId: members[intBetween(random, 0, members.length - 1)]!, skillCodes: [...taught], outcome: outcomes[intBetween(random, 0, 3)]! });
		}
	}
	const counts = computeCounts({ residents, checkIns, assists, atYear: year });
	const startedAt = new Date(Date.parse(`${date}T07:00:00+07:00`) + index * 60_000);
	// Schema 2, as the tablet writes since issue 14: a few residents reached the five skills.
	const proficient = intBetween(random, 0, Math.min(2, counts.distinctResidents));
	const tally: SessionTallyV2 = {
		schema: 2,
		residentsNewlyProficient: proficient,
		householdsNewlyCovered: intBetween(random, 0, proficient),
		residentsGainedByGroup: Object.fromEntries(BASIC_SKILL_GROUPS.map((g) => [g, intBetween(random, proficient, Math.max(proficient, Math.min(3, counts.distinctResidents)))])) as SessionTallyV2['residentsGainedByGroup'],
		sessionId: crypto.randomUUID(),
		version: 1,
		teamId,
		date,
		startedAt: startedAt.toISOString(),
		endedAt: new Date(startedAt.getTime() + 2 * 3_600_000).toISOString(),
		membersPresent: [...new Set(assists.map((a) => a.memberId))],
		// Plain objects, as they arrive after a round trip through IndexedDB.
		...JSON.parse(JSON.stringify(counts))
	};
	const checked = validateAnySessionTally(tally);
	if (!checked.ok) throw new Error(`made-up tally does not validate: ${checked.field}: ${checked.message}`);
	return tally;
}

/**
 * Puts `count` closed sessions into the tablet's outbox, each row in the shape closeSession
 * writes (pending, no attempts yet). Written with the raw IndexedDB API, which the app's live
 * queries do not see: reload the page after.
 */
export async function seedOutbox(page: Page, count: number, random: () => number): Promise<SessionTallyV2[]> {
	const settings = await storedRows<{ key: string; value: { id?: string } }>(page, 'settings');
	const teamId = settings.find((s) => s.key === 'team')?.value.id;
	const members = (await storedRows<{ id: string; active: boolean }>(page, 'members')).filter((m) => m.active).map((m) => m.id);
	const skills = (await storedRows<{ code: string }>(page, 'skills')).map((s) => s.code);
	if (!teamId || members.length === 0 || skills.length === 0) throw new Error('the tablet is not enrolled');
	const date = todayInVietnam();
	const tallies = Array.from({ length: count }, (_, i) => madeUpTally(random, teamId, members, skills, date, i));
	const queuedAt = Date.now();
	const rows: OutboxRow[] = tallies.map((tally, i) => ({
		sessionId: tally.sessionId,
		version: tally.version,
		tally,
		state: 'pending',
		attempts: 0,
		queuedAt: new Date(queuedAt + i).toISOString()
	}));
	await page.evaluate(
		(rows) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('tramso-kiosk');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const tx = open.result.transaction('outbox', 'readwrite');
					for (const row of rows) tx.objectStore('outbox').put(row);
					tx.oncomplete = () => (open.result.close(), resolve());
					tx.onerror = () => reject(tx.error);
				};
			}),
		rows
	);
	return tallies;
}

export const outboxRows = (page: Page) => storedRows<OutboxRow>(page, 'outbox');

/** Taps "Gửi ngay" once the outbox is idle (the button reads "Đang gửi…" while a run is on). */
export async function sendNow(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Gửi ngay' }).click({ timeout: 30_000 });
}

/** Waits until no run is in progress: the button says "Gửi ngay" again and can be tapped. */
export async function waitForOutboxIdle(page: Page): Promise<void> {
	await expect(page.getByRole('button', { name: 'Gửi ngay' })).toBeEnabled({ timeout: 30_000 });
}

interface StoredTally {
	session_id: string;
	version: number;
	check_ins: number;
	distinct_residents: number;
	first_time_residents: number;
	residents_female: number;
	assists: number;
	assists_done: number;
	members_present: string;
}

export interface ServerHoldings {
	tallies: Map<string, StoredTally>;
	skillCounts: Map<string, Record<string, number>>;
	memberCounts: Map<string, Record<string, number>>;
	/** The audit trail's `tally.stored` / `tally.replaced` events of this device. */
	storedEvents: number;
	replacedEvents: number;
}

/** Everything the server holds from one tablet, on whichever database it runs (SQLite file or PostgreSQL URL). */
export async function serverHoldingsAt(databaseUrl: string, deviceId: string): Promise<ServerHoldings> {
	const { db, close } = await openMigratedDatabase(databaseUrl);
	try {
		const tallies = (await db.selectFrom('session_tallies').selectAll().where('device_id', '=', deviceId).execute()) as unknown as StoredTally[];
		const ids = tallies.map((t) => t.session_id);
		const skillRows = ids.length ? await db.selectFrom('tally_skill_counts').selectAll().where('session_id', 'in', ids).execute() : [];
		const memberRows = ids.length ? await db.selectFrom('tally_member_counts').selectAll().where('session_id', 'in', ids).execute() : [];
		const byRow = <R extends { session_id: string; count: number }>(rows: R[], key: (r: R) => string) => {
			const out = new Map<string, Record<string, number>>(ids.map((id) => [id, {}]));
			for (const r of rows) out.get(r.session_id)![key(r)] = r.count;
			return out;
		};
		const events = async (action: string) =>
			(await db.selectFrom('audit_events').select('id').where('actor', '=', `device:${deviceId}`).where('action', '=', action).execute()).length;
		return {
			tallies: new Map(tallies.map((t) => [t.session_id, t])),
			skillCounts: byRow(skillRows, (r) => r.skill_code),
			memberCounts: byRow(memberRows, (r) => r.member_id),
			storedEvents: await events('tally.stored'),
			replacedEvents: await events('tally.replaced')
		};
	} finally {
		await close();
	}
}

const positive = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).filter(([, n]) => n > 0));

/** The server holds each of `tallies` once, with the tablet's counts, and nothing else from this tablet. */
export function expectServerHoldsEachOnce(held: ServerHoldings, tallies: readonly AnySessionTally[]): void {
	expect([...held.tallies.keys()].sort()).toEqual(tallies.map((t) => t.sessionId).sort());
	// Stored once each: a second store would be audited again (a resend is 'unchanged', not audited).
	expect(held.storedEvents).toBe(tallies.length);
	expect(held.replacedEvents).toBe(0);
	for (const tally of tallies) {
		const row = held.tallies.get(tally.sessionId)!;
		expect({
			version: row.version,
			checkIns: row.check_ins,
			distinctResidents: row.distinct_residents,
			firstTimeResidents: row.first_time_residents,
			female: row.residents_female,
			assists: row.assists,
			done: row.assists_done,
			membersPresent: JSON.parse(row.members_present) as string[]
		}).toEqual({
			version: tally.version,
			checkIns: tally.checkIns,
			distinctResidents: tally.distinctResidents,
			firstTimeResidents: tally.firstTimeResidents,
			female: tally.residentsByGender.female,
			assists: tally.assists,
			done: tally.assistsByOutcome.done,
			membersPresent: tally.membersPresent
		});
		expect(held.skillCounts.get(tally.sessionId)).toEqual(positive(tally.assistsBySkill));
		expect(held.memberCounts.get(tally.sessionId)).toEqual(positive(tally.assistsByMember));
	}
}
