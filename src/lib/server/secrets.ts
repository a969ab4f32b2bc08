// Tokens, codes and session cookies: random from the OS, stored only as their SHA-256, compared in
// constant time. A SHA-256 is enough for these (they carry ≥ 59 random bits); passwords use argon2.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `bytes` random bytes as base64url: 32 bytes give 43 characters. */
export function randomToken(bytes = 32): string {
	if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`randomToken: bytes must be a positive integer, got ${bytes}`);
	return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Equal hex digests, compared in constant time. Not hex, or lengths differ: false (never throws). */
export function timingSafeEqualHex(a: string, b: string): boolean {
	// Buffer.from(…, 'hex') silently stops at the first bad character, so check the text first.
	if (a.length !== b.length || !HEX.test(a) || !HEX.test(b)) return false;
	return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
