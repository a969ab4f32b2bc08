import { describe, expect, it } from 'vitest';
import { generateResidentKey, importResidentKey, residentIdHash } from '$lib/domain/residentKey';

const secret = (fill: number, length = 32) => new Uint8Array(length).fill(fill);

describe('residentIdHash', () => {
	it('gives the same hash for the same ID and key', async () => {
		const key = await importResidentKey(secret(7));
		const again = await importResidentKey(secret(7));
		const a = await residentIdHash('001089012345', key);
		expect(await residentIdHash('001089012345', key)).toBe(a);
		expect(await residentIdHash('001089012345', again)).toBe(a);
	});

	it('gives a different hash with a different key', async () => {
		const a = await residentIdHash('001089012345', await importResidentKey(secret(7)));
		const b = await residentIdHash('001089012345', await importResidentKey(secret(8)));
		expect(a).not.toBe(b);
	});

	it('gives a different hash for a different ID', async () => {
		const key = await importResidentKey(secret(7));
		expect(await residentIdHash('001089012345', key)).not.toBe(await residentIdHash('001089012346', key));
	});

	it('is 64 lowercase hex digits (HMAC-SHA-256)', async () => {
		const key = await importResidentKey(crypto.getRandomValues(new Uint8Array(32)));
		const hash = await residentIdHash('001089012345', key);
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(hash).not.toContain('001089012345');
	});

	it('matches an independent HMAC-SHA-256 of "cccd:<id>"', async () => {
		const raw = secret(42);
		const { createHmac } = await import('node:crypto');
		const expected = createHmac('sha256', Buffer.from(raw)).update('cccd:001089012345').digest('hex');
		expect(await residentIdHash('001089012345', await importResidentKey(raw))).toBe(expected);
	});

	it('rejects a secret shorter than 32 bytes', async () => {
		await expect(importResidentKey(new Uint8Array(0))).rejects.toThrow(/32 bytes/);
		await expect(importResidentKey(secret(1, 16))).rejects.toThrow(/32 bytes/);
		await expect(importResidentKey(secret(1, 31))).rejects.toThrow(/32 bytes/);
		await expect(importResidentKey(secret(1, 64))).resolves.toBeDefined();
	});

	it('an old key imported from raw bytes cannot be exported', async () => {
		const key = await importResidentKey(secret(3));
		expect(key.extractable).toBe(false);
		expect(key.usages).toEqual(['sign']);
		await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
	});
});

describe('generateResidentKey', () => {
	it('makes a 256-bit HMAC-SHA-256 key that cannot be exported', async () => {
		const key = await generateResidentKey();
		expect(key.extractable).toBe(false);
		expect(key.usages).toEqual(['sign']);
		expect(key.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' }, length: 256 });
		await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
		await expect(crypto.subtle.exportKey('jwk', key)).rejects.toThrow();
	});

	it('makes a different key each time', async () => {
		const [a, b] = [await generateResidentKey(), await generateResidentKey()];
		expect(await residentIdHash('001089012345', a)).not.toBe(await residentIdHash('001089012345', b));
	});
});
