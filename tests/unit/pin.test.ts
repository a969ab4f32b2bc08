import { describe, expect, it } from 'vitest';
import {
	DEFAULT_PIN_ITERATIONS,
	PIN_LOCK_MS,
	PIN_MAX_FAILURES,
	UNLOCKED,
	afterFailure,
	afterSuccess,
	hashPin,
	isLocked,
	msUntilUnlock,
	verifyPin,
	type PinLockState
} from '$lib/domain/pin';

const FAST = 1000;

describe('hashPin / verifyPin', () => {
	it('round-trips', async () => {
		const stored = await hashPin('2468', FAST);
		expect(await verifyPin('2468', stored)).toBe(true);
	});

	it('records algorithm, iterations, a 16-byte salt and a 32-byte hash in base64', async () => {
		const stored = await hashPin('123456', FAST);
		expect(stored.algorithm).toBe('PBKDF2-SHA-256');
		expect(stored.iterations).toBe(FAST);
		expect(Buffer.from(stored.salt, 'base64')).toHaveLength(16);
		expect(Buffer.from(stored.hash, 'base64')).toHaveLength(32);
		expect(stored.salt).toMatch(/^[A-Za-z0-9+/]+=*$/);
		expect(stored.hash).toMatch(/^[A-Za-z0-9+/]+=*$/);
	});

	it('uses a slow default', () => {
		expect(DEFAULT_PIN_ITERATIONS).toBeGreaterThanOrEqual(100_000);
	});

	it('refuses a wrong PIN', async () => {
		const stored = await hashPin('2468', FAST);
		expect(await verifyPin('2469', stored)).toBe(false);
		expect(await verifyPin('24680', stored)).toBe(false);
		expect(await verifyPin('8642', stored)).toBe(false);
	});

	it('accepts 4 to 8 digits, including leading zeros', async () => {
		for (const pin of ['0000', '0123', '12345678']) {
			const stored = await hashPin(pin, FAST);
			expect(await verifyPin(pin, stored)).toBe(true);
		}
		const zeros = await hashPin('0012', FAST);
		expect(await verifyPin('12', zeros)).toBe(false);
		expect(await verifyPin('012', zeros)).toBe(false);
	});

	it('hashPin refuses a PIN that is not 4 to 8 digits', async () => {
		for (const pin of ['', '123', '123456789', '12a4', 'abcd', '12 34', ' 1234', '1234\n', '١٢٣٤', '12.4', '-123']) {
			await expect(hashPin(pin, FAST), pin).rejects.toThrow();
		}
	});

	it('verifyPin answers false for a non-digit PIN', async () => {
		const stored = await hashPin('1234', FAST);
		for (const pin of ['', '123', '12a4', 'abcd', ' 1234', '1234 ', '123456789']) {
			expect(await verifyPin(pin, stored), pin).toBe(false);
		}
	});

	it('two hashes of the same PIN differ (random salt) and both verify', async () => {
		const a = await hashPin('2468', FAST);
		const b = await hashPin('2468', FAST);
		expect(a.salt).not.toBe(b.salt);
		expect(a.hash).not.toBe(b.hash);
		expect(await verifyPin('2468', a)).toBe(true);
		expect(await verifyPin('2468', b)).toBe(true);
	});

	it('stores no plaintext PIN', async () => {
		const pin = '97531';
		const stored = await hashPin(pin, FAST);
		expect(Object.keys(stored).sort()).toEqual(['algorithm', 'hash', 'iterations', 'salt']);
		const json = JSON.stringify(stored);
		expect(json).not.toContain(pin);
		expect(json).not.toContain(btoa(pin));
	});

	it('depends on the iterations recorded with the hash', async () => {
		const stored = await hashPin('2468', FAST);
		expect(await verifyPin('2468', { ...stored, iterations: FAST + 1 })).toBe(false);
	});

	it('refuses when the stored hash is tampered with', async () => {
		const stored = await hashPin('2468', FAST);
		const bytes = Buffer.from(stored.hash, 'base64');
		bytes[31] = bytes[31]! ^ 1;
		expect(await verifyPin('2468', { ...stored, hash: bytes.toString('base64') })).toBe(false);
		expect(await verifyPin('2468', { ...stored, hash: Buffer.from(bytes.subarray(0, 16)).toString('base64') })).toBe(false);
		expect(await verifyPin('2468', { ...stored, hash: '' })).toBe(false);
	});
});

describe('lock-out', () => {
	const T0 = 1_700_000_000_000;

	it('the rule is 5 tries, 60 s', () => {
		expect(PIN_MAX_FAILURES).toBe(5);
		expect(PIN_LOCK_MS).toBe(60_000);
		expect(UNLOCKED).toEqual({ failures: 0, lockedUntil: 0 });
		expect(isLocked(UNLOCKED, T0)).toBe(false);
		expect(msUntilUnlock(UNLOCKED, T0)).toBe(0);
	});

	it('4 failures do not lock; the 5th locks until now + 60 000 ms', () => {
		let state: PinLockState = UNLOCKED;
		for (let i = 1; i <= 4; i++) {
			state = afterFailure(state, T0 + i);
			expect(state).toEqual({ failures: i, lockedUntil: 0 });
			expect(isLocked(state, T0 + i)).toBe(false);
			expect(msUntilUnlock(state, T0 + i)).toBe(0);
		}
		const fifth = T0 + 5;
		state = afterFailure(state, fifth);
		expect(state).toEqual({ failures: 0, lockedUntil: fifth + 60_000 });
		expect(isLocked(state, fifth)).toBe(true);
		expect(isLocked(state, fifth + 59_999)).toBe(true);
		expect(msUntilUnlock(state, fifth)).toBe(60_000);
		expect(msUntilUnlock(state, fifth + 45_000)).toBe(15_000);
		expect(msUntilUnlock(state, fifth + 59_999)).toBe(1);
		expect(isLocked(state, fifth + 60_000)).toBe(false);
		expect(msUntilUnlock(state, fifth + 60_000)).toBe(0);
		expect(isLocked(state, fifth + 3_600_000)).toBe(false);
		expect(msUntilUnlock(state, fifth + 3_600_000)).toBe(0);
	});

	it('after a lock expires, counting starts again from zero', () => {
		let state: PinLockState = UNLOCKED;
		for (let i = 0; i < 5; i++) state = afterFailure(state, T0);
		const later = T0 + 60_000;
		state = afterFailure(state, later);
		expect(state).toEqual({ failures: 1, lockedUntil: 0 });
		for (let i = 0; i < 4; i++) state = afterFailure(state, later);
		expect(isLocked(state, later)).toBe(true);
		expect(state.lockedUntil).toBe(later + 60_000);
	});

	it('a success resets the count', () => {
		let state: PinLockState = UNLOCKED;
		for (let i = 0; i < 4; i++) state = afterFailure(state, T0);
		state = afterSuccess();
		expect(state).toEqual({ failures: 0, lockedUntil: 0 });
		for (let i = 0; i < 4; i++) state = afterFailure(state, T0);
		expect(isLocked(state, T0)).toBe(false);
	});

	it('does not mutate the state it is given', () => {
		const state: PinLockState = { failures: 3, lockedUntil: 0 };
		afterFailure(state, T0);
		expect(state).toEqual({ failures: 3, lockedUntil: 0 });
		expect(afterSuccess()).toEqual(UNLOCKED);
	});
});
