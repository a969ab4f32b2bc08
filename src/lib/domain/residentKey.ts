// A returning resident is recognised by a keyed hash of their ID number (HMAC-SHA-256 with a
// per-deployment secret): the number itself is never stored, and the hash is useless without the key.

export async function importResidentKey(secret: Uint8Array): Promise<CryptoKey> {
	if (secret.length < 32) throw new Error('resident key secret must be at least 32 bytes');
	return crypto.subtle.importKey('raw', secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export async function residentIdHash(idNumber: string, key: CryptoKey): Promise<string> {
	const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`cccd:${idNumber}`));
	return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
}
