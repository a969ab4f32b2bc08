// Team-member PINs: stored only as a slow salted hash (PBKDF2-SHA-256 via WebCrypto), and a
// lock-out after repeated wrong tries. The lock-out rule is pure so it can be tested with a clock.

export interface PinHash {
	algorithm: 'PBKDF2-SHA-256';
	iterations: number;
	/** base64 */
	salt: string;
	/** base64 */
	hash: string;
}

/** About 0.1–0.3 s on a mid-range tablet: slow for guessing, fine for unlocking. */
export const DEFAULT_PIN_ITERATIONS = 210_000;
/**
 * 4 to 8 digits. 6 is what members are asked for when a PIN is set: a 4-digit PIN's PBKDF2 hash,
 * copied off a tablet, falls to an offline search in seconds, a 6-digit one's after a hundred
 * times the work; neither may be a PIN used for anything else (README, Privacy).
 */
export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 8;
export const PIN_PATTERN = /^\d{4,8}$/;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
	const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
	const bits = await crypto.subtle.deriveBits(
		{ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
		key,
		256
	);
	return new Uint8Array(bits);
}

export async function hashPin(pin: string, iterations = DEFAULT_PIN_ITERATIONS): Promise<PinHash> {
	if (!PIN_PATTERN.test(pin)) throw new Error('PIN must be 4 to 8 digits');
	const salt = crypto.getRandomValues(new Uint8Array(16));
	return { algorithm: 'PBKDF2-SHA-256', iterations, salt: toBase64(salt), hash: toBase64(await derive(pin, salt, iterations)) };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
	if (!PIN_PATTERN.test(pin)) return false;
	const actual = await derive(pin, fromBase64(stored.salt), stored.iterations);
	const expected = fromBase64(stored.hash);
	// Constant-time compare: every byte is looked at whatever the first difference.
	let diff = actual.length ^ expected.length;
	for (let i = 0; i < Math.min(actual.length, expected.length); i++) diff |= actual[i]! ^ expected[i]!;
	return diff === 0;
}

export interface PinLockState {
	failures: number;
	/** Epoch ms until which unlocking is refused; 0 when not locked. */
	lockedUntil: number;
}

export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MS = 60_000;
export const UNLOCKED: PinLockState = { failures: 0, lockedUntil: 0 };

export function isLocked(state: PinLockState, now: number): boolean {
	return state.lockedUntil > now;
}

export function msUntilUnlock(state: PinLockState, now: number): number {
	return Math.max(0, state.lockedUntil - now);
}

/** After the 5th wrong try in a row, lock for a minute and start counting again. */
export function afterFailure(state: PinLockState, now: number): PinLockState {
	const failures = state.failures + 1;
	if (failures >= PIN_MAX_FAILURES) return { failures: 0, lockedUntil: now + PIN_LOCK_MS };
	return { failures, lockedUntil: 0 };
}

export function afterSuccess(): PinLockState {
	return UNLOCKED;
}
