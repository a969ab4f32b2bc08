// The Trạm Số resident pass: a QR holding only a random id, for residents without a card.

const PREFIX = 'TRAMSO:R1:';
const ID_PATTERN = /^[0-9a-f]{32}$/;

/** 128 random bits as hex: unguessable, and says nothing about the person. */
export function newResidentPassId(random: (bytes: Uint8Array) => Uint8Array): string {
	const bytes = random(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function encodeResidentPass(passId: string): string {
	if (!ID_PATTERN.test(passId)) throw new Error(`not a resident pass id: ${passId}`);
	return PREFIX + passId;
}

/** The pass id, or null when the text is not a Trạm Số resident pass. */
export function parseResidentPass(raw: string): string | null {
	const text = raw.trim();
	if (!text.startsWith(PREFIX)) return null;
	const id = text.slice(PREFIX.length).toLowerCase();
	return ID_PATTERN.test(id) ? id : null;
}

export function looksLikeResidentPass(raw: string): boolean {
	return raw.trim().startsWith(PREFIX);
}
