// A returning resident is recognised by a keyed hash of their ID number (HMAC-SHA-256). The key
// is made on each tablet and cannot be read out of it (WebCrypto, non-extractable): the number is
// never stored, and without the key its hash is useless — a CCCD number is structured enough to
// brute-force, so the key must never be anywhere it could be copied from.

const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const;

/** This tablet's own key: 256 random bits that `exportKey` refuses to hand out. */
export async function generateResidentKey(): Promise<CryptoKey> {
	return crypto.subtle.generateKey({ ...HMAC_SHA256, length: 256 }, false, ['sign']);
}

/**
 * A key from before per-tablet keys (raw bytes the tablet stored): imported non-extractable so
 * the bytes can be deleted while the residents it hashed are still recognised once.
 */
export async function importResidentKey(secret: Uint8Array): Promise<CryptoKey> {
	if (secret.length < 32) throw new Error('resident key secret must be at least 32 bytes');
	return crypto.subtle.importKey('raw', secret as BufferSource, HMAC_SHA256, false, ['sign']);
}

export async function residentIdHash(idNumber: string, key: CryptoKey): Promise<string> {
	const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`cccd:${idNumber}`));
	return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
}
