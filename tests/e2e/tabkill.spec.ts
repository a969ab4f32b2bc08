// The tablet's tab killed while an assist is being saved: after reopening, each assist is either
// wholly stored or not at all, and every assist the screen confirmed is stored.
//
// The kill is a real renderer crash (CDP `Page.crash`), at varied moments around the tap on the
// outcome (which is what saves): sent together with the tap, then 0–50 ms after the tap was
// delivered. Whether the screen confirmed the save before the kill is taken from the page itself:
// a MutationObserver reports the confirmation to the test through a binding the instant the text
// is in the page, before it is even painted, so "confirmed" here is never later than a person saw it.
import { expect, test, type BrowserContext, type Page } from './cspGuard';
import type { AssistRow } from '../../src/lib/kiosk/db';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, storedRows, unlockTeamMode } from './kiosk';

const SKILLS = [
	['vneid_install', 'Cài đặt VNeID'],
	['vneid_level2', 'Kích hoạt VNeID mức 2'],
	['public_services', 'Dịch vụ công trực tuyến'],
	['bank_app', 'Ứng dụng ngân hàng'],
	['ewallet_qr', 'Ví điện tử, thanh toán QR'],
	['ecommerce', 'Mua bán trên sàn thương mại điện tử'],
	['scam_awareness', 'Nhận biết lừa đảo trực tuyến'],
	['vssid', 'Bảo hiểm xã hội số VssID'],
	['zalo_video', 'Zalo và gọi video'],
	['online_learning', 'Học trực tuyến'],
	['digital_signature', 'Chữ ký số'],
	['utility_bills', 'Trả tiền điện, nước trực tuyến']
] as const;
const OUTCOMES = [
	['done', 'Hoàn thành'],
	['partly', 'Một phần'],
	['referred', 'Chuyển nơi khác']
] as const;
const RESIDENTS = ['Trần Thị Hoa', 'Phạm Văn Đức'] as const;
/**
 * When the kill comes: ms after the tap was delivered; 'withTap': sent while the tap is still on its
 * way; 'confirmed': right after the confirmation was on screen (the control: that assist must be
 * stored, or the checks are blind).
 */
type KillMoment = number | 'withTap' | 'confirmed';

const keyOf = (a: Attempt) => a.skills.map(([code]) => code).join('+');

/** One attempted assist: its two skills, in tap order, are unique to it, so its row can be told apart. */
interface Attempt {
	index: number;
	killAfter: KillMoment;
	resident: (typeof RESIDENTS)[number];
	skills: [(typeof SKILLS)[number], (typeof SKILLS)[number]];
	outcome: (typeof OUTCOMES)[number];
	confirmed: boolean;
}

function makeAttempts(moments: readonly KillMoment[], rounds: number): Attempt[] {
	const attempts = Array.from({ length: moments.length * rounds }, (_, index): Attempt => ({
	index,
	killAfter: moments[index % moments.length]!,
	resident: RESIDENTS[index % RESIDENTS.length]!,
	skills: [SKILLS[index % SKILLS.length]!, SKILLS[(index + 1 + Math.floor(index / SKILLS.length)) % SKILLS.length]!],
	outcome: OUTCOMES[index % OUTCOMES.length]!,
	confirmed: false
}));
	expect(new Set(attempts.map(keyOf)).size, 'attempts told apart').toBe(attempts.length);
	return attempts;
}

/** Reports the save's confirmation from every page of the context, the moment it is in the DOM. */

/** The page reports how long after the outcome tap the confirmation came. */
async function watchConfirmations(context: BrowserContext, onConfirmed: (page: Page, msAfterTap: number) => void): Promise<void> {
	await context.exposeBinding('__assistConfirmed', ({ page }, ms: number) => onConfirmed(page, ms));
	await context.addInitScript(() => {
		let told = false;
		let tappedAt = NaN;
		addEventListener('click', (e) => (e.target as Element | null)?.closest?.('.outcome') && (tappedAt = performance.now()), true);
		new MutationObserver(() => {
			if (told) return;
			const toast = document.querySelector('.toast[role="status"]');
			if (toast?.textContent?.includes('Đã lưu hỗ trợ cho')) {
				told = true;
				(window as unknown as { __assistConfirmed: (ms: number) => void }).__assistConfirmed(performance.now() - tappedAt);
			}
		}).observe(document, { childList: true, subtree: true, characterData: true });
	});
}

/** Assists as stored, and whether each of the store's indexes lists exactly the same rows. */
async function storedAssists(page: Page): Promise<{ rows: AssistRow[]; indexCounts: Record<string, number> }> {
	const rows = await storedRows<AssistRow>(page, 'assists');
	const indexCounts = await page.evaluate(
		() =>
			new Promise<Record<string, number>>((resolve, reject) => {
				const open = indexedDB.open('tramso-kiosk');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const store = db.transaction('assists').objectStore('assists');
					const counts: Record<string, number> = {};
					for (const name of [...store.indexNames]) {
						const request = store.index(name).count();
						request.onsuccess = () => (counts[name] = request.result);
					}
					store.transaction.oncomplete = () => (db.close(), resolve(counts));
					store.transaction.onerror = () => reject(store.transaction.error);
				};
			})
	);
	return { rows, indexCounts };
}

async function registerWithoutCard(page: Page, fullName: string, birthYear: string, gender: 'Nam' | 'Nữ') {
	await page.getByRole('link', { name: 'Tôi không có thẻ' }).click();
	await page.getByLabel('Họ và tên').fill(fullName);
	await page.getByLabel('Năm sinh').fill(birthYear);
	await page.getByRole('button', { name: gender, exact: true }).click();
	await page.getByRole('button', { name: 'Đăng ký và vào hàng chờ' }).click();
	await expect(page.getByRole('heading', { name: `Thẻ Trạm Số của ${fullName}` })).toBeVisible();
}

/** How a test kills: `kill` must not wait for an answer; `dead` settles once the kill took. */
interface Killer {
	kill: () => void;
	dead: Promise<unknown>;
}

/** A real renderer crash of this page (the tab), through CDP. */
async function rendererKiller(page: Page): Promise<Killer> {
	const cdp = await page.context().newCDPSession(page);
	// No reply comes back from a crashed renderer.
	return { kill: () => void cdp.send('Page.crash').catch(() => {}), dead: page.waitForEvent('crash') };
}

/** Picks resident and skills, taps the outcome (the tap saves) and kills at the attempt's moment. */
async function attemptThenKill(page: Page, attempt: Attempt, killer: Killer): Promise<void> {
	await page.getByRole('button', { name: new RegExp(attempt.resident) }).click();
	for (const [, label] of attempt.skills) await page.getByRole('button', { name: label, exact: true }).click();
	const outcome = page.getByRole('button', { name: attempt.outcome[1], exact: true });
	await expect(outcome).toBeEnabled();
	// A raw mouse tap (no waiting between tap and kill) does not scroll: bring the button into view.
	await outcome.scrollIntoViewIfNeeded();
	const box = (await outcome.boundingBox())!;
	expect(box.y + box.height, 'outcome button inside the viewport').toBeLessThanOrEqual(page.viewportSize()!.height);
	const tap = page.mouse.click(box.x + box.width / 2, box.y + box.height / 2).catch(() => {});
	if (attempt.killAfter === 'withTap') killer.kill();
	else if (attempt.killAfter === 'confirmed') {
		await tap;
		await expect(page.getByText(`Đã lưu hỗ trợ cho ${attempt.resident}`)).toBeVisible();
		killer.kill();
	} else {
		const ms = attempt.killAfter;
		await tap;
		if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
		killer.kill();
	}
	await killer.dead;
}

/** Wholly there: every field as the attempt made it. */
function expectWhole(row: AssistRow, attempt: Attempt, checkInOf: Map<string, { id: string; residentId: string; sessionId: string }>) {
	const checkIn = checkInOf.get(attempt.resident)!;
	expect(row, `attempt ${attempt.index}`).toEqual({
		id: expect.any(String),
		sessionId: checkIn.sessionId,
		checkInId: checkIn.id,
		residentId: checkIn.residentId,
		memberId: 'demo-member',
		skillCodes: attempt.skills.map(([code]) => code),
		outcome: attempt.outcome[0],
		at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		updatedAt: row.at
	});
}


/** What the kills are checked against: the queue made before them, and what each attempt left. */
class KillRun {
	/** Attempt index → its stored row, once seen: a later kill must never change it. */
	readonly kept = new Map<number, AssistRow>();
	private checkIns: { id: string; residentId: string; sessionId: string }[] = [];
	private checkInOf = new Map<string, { id: string; residentId: string; sessionId: string }>();
	private sessionId = '';

	constructor(readonly attempts: Attempt[]) {}

	/** Two residents in the queue: Hoa by card (the fake camera), Đức without one. */
	async queueResidents(page: Page): Promise<void> {
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
		await registerWithoutCard(page, 'Phạm Văn Đức', '1951', 'Nam');
		const residents = await storedRows<{ id: string; fullName: string }>(page, 'residents');
		this.checkIns = await storedRows(page, 'checkIns');
		this.checkInOf = new Map(RESIDENTS.map((name) => [name, this.checkIns.find((c) => c.residentId === residents.find((r) => r.fullName === name)!.id)!]));
		this.sessionId = (await storedRows<{ id: string }>(page, 'sessions'))[0]!.id;
	}

	/** On a freshly opened page after the kill that ended `attempt`; leaves team mode unlocked. */
	async verifyAfter(page: Page, attempt: Attempt): Promise<void> {
		await page.goto('/team');
		await expect(page.getByRole('heading', { name: 'Chọn tên của bạn' })).toBeVisible();
		const { rows, indexCounts } = await storedAssists(page);

		// Whole or absent: every row belongs to an attempt made so far and has every field it made.
		const byKey = new Map(rows.map((r) => [r.skillCodes.join('+'), r]));
		expect(rows, 'one row per attempt at most').toHaveLength(byKey.size);
		for (const row of rows) {
			const owner = this.attempts.find((a) => a.index <= attempt.index && keyOf(a) === row.skillCodes.join('+'));
			expect(owner, `row ${JSON.stringify(row)} belongs to no attempt`).toBeDefined();
			expectWhole(row, owner!, this.checkInOf);
		}
		// The store's indexes list exactly the stored rows: no half-written index entries either.
		expect(indexCounts).toEqual({ at: rows.length, checkInId: rows.length, memberId: rows.length, residentId: rows.length, sessionId: rows.length });
		// Confirmed means stored; and what was stored before this kill is untouched by it.
		const row = byKey.get(keyOf(attempt));
		if (attempt.confirmed) expect(row, `attempt ${attempt.index} was confirmed on screen`).toBeDefined();
		if (attempt.killAfter === 'confirmed') expect(row, 'killed after its confirmation: stored').toBeDefined();
		if (row) this.kept.set(attempt.index, row);
		for (const [index, keptRow] of this.kept) expect(byKey.get(keyOf(this.attempts[index]!)), `attempt ${index} kept`).toEqual(keptRow);
		expect(rows).toHaveLength(this.kept.size);

		// The rest of the save's transaction: the session stays open with the member present, the
		// queue as it was.
		const [session, ...otherSessions] = await storedRows<{ id: string; status: string; membersPresent: string[] }>(page, 'sessions');
		expect(otherSessions).toEqual([]);
		expect(session).toMatchObject({ id: this.sessionId, status: 'open' });
		if (rows.length > 0) expect(session!.membersPresent).toContain('demo-member');
		expect(await storedRows(page, 'checkIns')).toEqual(this.checkIns);

		// The screen shows what is stored: each stored assist in the list, each resident served or not.
		await unlockTeamMode(page, DEMO.member);
		const logged = page.getByRole('region', { name: 'Các lượt hỗ trợ trong phiên' }).getByRole('listitem');
		await expect(logged).toHaveCount(rows.length);
		const shown = (await logged.allInnerTexts()).map((text) => text.split(' — ')[1]).sort();
		const expected = [...this.kept.keys()].map((i) => this.attempts[i]!.skills.map(([, label]) => label).join(', ')).sort();
		expect(shown).toEqual(expected);
		for (const name of RESIDENTS) {
			const served = [...this.kept.keys()].some((i) => this.attempts[i]!.resident === name);
			await expect(page.getByRole('button', { name: new RegExp(name) })).toContainText(served ? 'Đã hỗ trợ' : 'Đang chờ');
		}
	}

	summary(saveMs: number[]): string {
		const kills = this.attempts.map(
			(a) => `${a.killAfter}${typeof a.killAfter === 'number' ? 'ms' : ''}:${this.kept.has(a.index) ? 'stored' : 'absent'}${a.confirmed ? '+confirmed' : ''}`
		);
		test.info().annotations.push({ type: 'kills', description: kills.join(' ') });
		return `kill moment:result: ${kills.join(' ')}\ntap → confirmation on screen, ms: ${saveMs.join(', ')}`;
	}
}

test('the tab killed around the save leaves each assist whole or absent, and every confirmed one stored', async ({ page, context }) => {
	test.setTimeout(150_000); // 16 renderer crashes and reopenings on a shared 2-core machine
	const confirmedOn = new Set<Page>();
	const saveMs: number[] = [];
	await watchConfirmations(context, (p, ms) => (confirmedOn.add(p), saveMs.push(Math.round(ms))));
	const run = new KillRun(makeAttempts(['withTap', 0, 2, 5, 10, 25, 50, 'confirmed'], 2));
	await run.queueResidents(page);
	let current = page;
	await unlockTeamMode(current, DEMO.member);

	for (const attempt of run.attempts) {
		await attemptThenKill(current, attempt, await rendererKiller(current));
		attempt.confirmed = confirmedOn.has(current);
		await current.close();
		current = await context.newPage();
		await run.verifyAfter(current, attempt);
	}
	console.log(`renderer kills, ${run.summary(saveMs)}`);
});

/** The browser process itself (every tab with it), as Android does to a backgrounded Chrome. */
function browserProcessKiller(userDataDir: string, context: BrowserContext): Killer {
	// The main process is the one given our own profile directory and no --type= (helpers have one).
	const line = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
		.split('\n')
		.find((l) => l.includes(`--user-data-dir=${userDataDir}`) && !l.includes('--type='));
	const pid = Number(line?.trim().split(/\s+/)[0]);
	expect(pid, 'browser process found').toBeGreaterThan(0);
	return { kill: () => process.kill(pid, 'SIGKILL'), dead: new Promise((resolve) => context.once('close', resolve)) };
}

test('the whole browser killed around the save: the same holds with the database on disk', async ({ playwright, launchOptions, baseURL }) => {
	test.setTimeout(150_000); // each kill restarts Chromium
	// A profile on disk (the other test's contexts keep IndexedDB in memory), reopened after each kill.
	const userDataDir = await mkdtemp(join(tmpdir(), 'tramso-tabkill-'));
	const open = async () => {
		const context = await playwright.chromium.launchPersistentContext(userDataDir, {
			...launchOptions,
			baseURL,
			locale: 'vi-VN',
			timezoneId: 'Asia/Ho_Chi_Minh',
			permissions: ['camera'],
			viewport: { width: 1280, height: 800 }
		});
		await watchConfirmations(context, (p, ms) => (confirmedOn.add(p), saveMs.push(Math.round(ms))));
		return { context, page: context.pages()[0] ?? (await context.newPage()) };
	};
	const confirmedOn = new Set<Page>();
	const saveMs: number[] = [];
	const run = new KillRun(makeAttempts(['withTap', 0, 10, 25, 'confirmed'], 1));
	let { context, page } = await open();
	try {
		await run.queueResidents(page);
		await unlockTeamMode(page, DEMO.member);
		for (const attempt of run.attempts) {
			await attemptThenKill(page, attempt, browserProcessKiller(userDataDir, context));
			attempt.confirmed = confirmedOn.has(page);
			({ context, page } = await open());
			await run.verifyAfter(page, attempt);
		}
		console.log(`browser kills, ${run.summary(saveMs)}`);
	} finally {
		await context.close().catch(() => {});
		await rm(userDataDir, { recursive: true, force: true });
	}
});
