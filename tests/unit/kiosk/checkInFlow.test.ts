// The check-in screen's flow with the camera reporting codes ~10 times a second: a card counts once
// while held, its greeting stays while it is held and 15 s after, another card is served at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CARD_GONE_MS, CheckInFlow, FAILURE_MS, GREETING_MS, REJECTION_MS } from '$lib/kiosk/checkInFlow.svelte';
import { KioskDb } from '$lib/kiosk/db';
import { ensureSeeded } from '$lib/kiosk/team';
import { CCCD_LE_VAN_NAM, CCCD_TRAN_THI_HOA, URL_QR } from '../../fixtures/cards';

let db: KioskDb;
let n = 0;
let clock = new Date('2026-11-20T01:00:00Z').getTime();
/** The camera's "now" and the timers move together. */
const tick = (ms: number) => {
	clock += ms;
	vi.advanceTimersByTime(ms);
};
const at = () => new Date(clock);

beforeEach(async () => {
	db = new KioskDb(`flow-test-${++n}`);
	await ensureSeeded(db, 1000);
	// Only the flow's own timers are faked: IndexedDB keeps its real scheduling.
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(async () => {
	vi.useRealTimers();
	db.close();
	await db.delete();
});

const greetedName = (flow: CheckInFlow) => (flow.screen.kind === 'greeting' ? flow.screen.result.resident.fullName : null);

describe('CheckInFlow', () => {
	it('a card held to the camera counts once, its greeting stays while held and 15 s after it is taken away', async () => {
		const flow = new CheckInFlow(async () => db);
		await flow.handleCode(CCCD_TRAN_THI_HOA, at());
		expect(greetedName(flow)).toBe('Trần Thị Hoa');
		// Held for 20 s, reported every 100 ms: longer than the greeting lasts on its own.
		for (let held = 0; held < 20_000; held += 100) {
			tick(100);
			await flow.handleCode(CCCD_TRAN_THI_HOA, at());
		}
		expect(greetedName(flow)).toBe('Trần Thị Hoa');
		expect(await db.checkIns.count()).toBe(1);
		tick(GREETING_MS - 1);
		expect(flow.screen.kind).toBe('greeting');
		tick(1);
		expect(flow.screen.kind).toBe('scanning');
		flow.dispose();
	});

	it('the same card shown again after it left the camera is served again (already in the queue), and another card at once', async () => {
		const flow = new CheckInFlow(async () => db);
		await flow.handleCode(CCCD_TRAN_THI_HOA, at());
		tick(CARD_GONE_MS);
		await flow.handleCode(CCCD_TRAN_THI_HOA, at());
		expect(flow.screen).toMatchObject({ kind: 'greeting', result: { status: 'alreadyQueued' } });
		// The next person's card, over Hoa's greeting, without waiting for it to end.
		tick(100);
		await flow.handleCode(CCCD_LE_VAN_NAM, at());
		expect(greetedName(flow)).toBe('Lê Văn Nam');
		expect(await db.checkIns.count()).toBe(2);
		flow.dispose();
	});

	it('a code that is not a card is refused for 5 s and nothing is stored', async () => {
		const flow = new CheckInFlow(async () => db);
		await flow.handleCode(URL_QR, at());
		expect(flow.screen).toEqual({ kind: 'rejected', reason: 'url' });
		tick(REJECTION_MS);
		expect(flow.screen.kind).toBe('scanning');
		expect(await db.checkIns.count()).toBe(0);
		flow.dispose();
	});

	it('a failed save stays on screen 30 s, and the camera can serve the next card meanwhile', async () => {
		const full = Object.assign(new Error('QuotaExceededError'), { name: 'QuotaExceededError' });
		let failing = true;
		const flow = new CheckInFlow(async () => {
			if (failing) throw full;
			return db;
		});
		await flow.handleCode(CCCD_TRAN_THI_HOA, at());
		expect(flow.screen).toEqual({ kind: 'failed', error: full });
		tick(FAILURE_MS - 1);
		expect(flow.screen.kind).toBe('failed');
		failing = false;
		tick(CARD_GONE_MS);
		await flow.handleCode(CCCD_TRAN_THI_HOA, at());
		expect(greetedName(flow)).toBe('Trần Thị Hoa');
		flow.dispose();
	});

	it('reset clears the greeting at once; dispose leaves no timer behind', async () => {
		const flow = new CheckInFlow(async () => db);
		await flow.handleCode(CCCD_TRAN_THI_HOA, at());
		flow.reset();
		expect(flow.screen.kind).toBe('scanning');
		await flow.handleCode(CCCD_LE_VAN_NAM, at());
		flow.dispose();
		expect(vi.getTimerCount()).toBe(0);
	});
});
