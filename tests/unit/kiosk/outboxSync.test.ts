// The outbox's driver: one send run at a time; what asks for a run meanwhile gets exactly one more
// after it (a close's "send now" is never lost, and never doubled); a failed run leaves it ready.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendReport } from '$lib/kiosk/outboxSend';

const sends: { resolve: (report: SendReport) => void; reject: (e: unknown) => void }[] = [];
vi.mock('$lib/kiosk/outboxSend', () => ({
	sendDueTallies: vi.fn(() => new Promise<SendReport>((resolve, reject) => sends.push({ resolve, reject })))
}));
vi.mock('$lib/kiosk/enrolment', () => ({ serverLink: vi.fn(async () => undefined), applyConfigUpdate: vi.fn() }));

const { OutboxSync } = await import('$lib/kiosk/outboxSync.svelte');
const { sendDueTallies } = await import('$lib/kiosk/outboxSend');

const report = (revoked = false): SendReport => ({ sent: 0, refused: 0, retrying: 0, revoked });
const settle = () => new Promise((r) => setTimeout(r, 0));
const listeners = new Map<string, () => void>();
const fakeDb = { outbox: { where: () => ({ equals: () => ({ modify: vi.fn(async () => 0) }) }) } };

beforeEach(() => {
	sends.length = 0;
	vi.mocked(sendDueTallies).mockClear();
	vi.stubGlobal('window', { addEventListener: (name: string, f: () => void) => listeners.set(name, f), removeEventListener: (name: string) => listeners.delete(name) });
});
afterEach(() => vi.unstubAllGlobals());

describe('OutboxSync', () => {
	it('runs once at start; three requests during a run give exactly one more run after it', async () => {
		const sync = new OutboxSync();
		const stop = sync.start(fakeDb as never);
		await settle();
		expect(sync.sending).toBe(true);
		expect(sendDueTallies).toHaveBeenCalledTimes(1);
		void sync.run();
		void sync.run(true);
		listeners.get('online')?.();
		await settle();
		expect(sendDueTallies).toHaveBeenCalledTimes(1);
		sends[0]!.resolve(report());
		await settle();
		expect(sendDueTallies).toHaveBeenCalledTimes(2);
		sends[1]!.resolve(report());
		await settle();
		expect(sendDueTallies).toHaveBeenCalledTimes(2);
		expect(sync.sending).toBe(false);
		expect(sync.lastRunAt).not.toBeNull();
		stop();
		expect(listeners.has('online')).toBe(false);
	});

	it('says when the server revoked the tablet, and a failed run leaves it able to run again', async () => {
		const sync = new OutboxSync();
		sync.start(fakeDb as never)();
		await settle();
		sends[0]!.resolve(report(true));
		await settle();
		expect(sync.revoked).toBe(true);
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		void sync.run();
		await settle();
		sends[1]!.reject(new Error('network down'));
		await settle();
		expect(sync.sending).toBe(false);
		expect(warn).toHaveBeenCalled();
		void sync.run();
		await settle();
		expect(sendDueTallies).toHaveBeenCalledTimes(3);
		sends[2]!.resolve(report());
		await settle();
		expect(sync.revoked).toBe(false);
	});
});
