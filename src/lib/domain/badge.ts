// A team member's badge: a printed card whose QR names the team, the member and the badge version,
// signed by the server. Format: `TRAMSO:B1:<teamId>:<memberId>:<version>:<signature>`, where the
// signature is HMAC-SHA-256 (base64url, first 16 bytes) over everything before its colon.
//
// Only the server holds the badge secret, so only the server can verify a signature. A tablet never
// has the secret (a stolen tablet must not let anyone print badges): it accepts a badge when the
// member is on its roster, active, of its team, with exactly that badge version (see
// checkBadgeOnRoster). A badge only says who stands at the tablet; their PIN still unlocks.

const PREFIX = 'TRAMSO:B1:';
/** Any later badge format; read as a badge so the message says "badge", not "not a CCCD". */
const FAMILY = 'TRAMSO:B';
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const VERSION_PATTERN = /^[1-9][0-9]{0,8}$/;
export const BADGE_SIGNATURE_BYTES = 16;
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface BadgeClaim {
	teamId: string;
	memberId: string;
	/** The member's badge version when the card was issued: 1, 2, … */
	version: number;
}

export interface SignedBadge extends BadgeClaim {
	signature: string;
}

export type BadgeParse = { ok: true; badge: SignedBadge } | { ok: false; reason: 'not_badge' | 'bad_badge' };

function checkClaim({ teamId, memberId, version }: BadgeClaim): void {
	if (!ID_PATTERN.test(teamId)) throw new Error(`not a badge team id: ${teamId}`);
	if (!ID_PATTERN.test(memberId)) throw new Error(`not a badge member id: ${memberId}`);
	if (!VERSION_PATTERN.test(String(version))) throw new Error(`not a badge version: ${version}`);
}

/** The text the signature covers. */
export function badgeSignedText(claim: BadgeClaim): string {
	checkClaim(claim);
	return `${PREFIX}${claim.teamId}:${claim.memberId}:${claim.version}`;
}

export function encodeBadge(badge: SignedBadge): string {
	if (!SIGNATURE_PATTERN.test(badge.signature)) throw new Error('not a badge signature');
	return `${badgeSignedText(badge)}:${badge.signature}`;
}

export function looksLikeBadge(raw: string): boolean {
	return raw.trim().startsWith(FAMILY);
}

/** Reads a scanned text; never throws. Says nothing about whether the signature is genuine. */
export function parseBadge(raw: string): BadgeParse {
	const text = raw.trim();
	if (!text.startsWith(FAMILY)) return { ok: false, reason: 'not_badge' };
	if (!text.startsWith(PREFIX)) return { ok: false, reason: 'bad_badge' };
	const parts = text.slice(PREFIX.length).split(':');
	if (parts.length !== 4) return { ok: false, reason: 'bad_badge' };
	const [teamId = '', memberId = '', version = '', signature = ''] = parts;
	if (!ID_PATTERN.test(teamId) || !ID_PATTERN.test(memberId) || !VERSION_PATTERN.test(version) || !SIGNATURE_PATTERN.test(signature)) {
		return { ok: false, reason: 'bad_badge' };
	}
	return { ok: true, badge: { teamId, memberId, version: Number(version), signature } };
}

// --- signing (server side: the tablet has no key) ----------------------------------------------

export async function importBadgeKey(secret: Uint8Array): Promise<CryptoKey> {
	if (secret.length < 32) throw new Error('badge secret must be at least 32 bytes');
	return crypto.subtle.importKey('raw', secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function base64Url(bytes: Uint8Array): string {
	return btoa(String.fromCharCode(...bytes))
		.replace(/\+/g, '-')
		.replace(/\//g, '_')
		.replace(/=+$/, '');
}

async function signatureOf(claim: BadgeClaim, key: CryptoKey): Promise<string> {
	const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(badgeSignedText(claim)));
	return base64Url(new Uint8Array(mac).slice(0, BADGE_SIGNATURE_BYTES));
}

/** The whole QR payload for a card. */
export async function signBadge(claim: BadgeClaim, key: CryptoKey): Promise<string> {
	return encodeBadge({ ...claim, signature: await signatureOf(claim, key) });
}

/** True when the server's key made this badge's signature. Constant-time compare. */
export async function verifyBadgeSignature(badge: SignedBadge, key: CryptoKey): Promise<boolean> {
	const expected = await signatureOf(badge, key);
	let diff = expected.length ^ badge.signature.length;
	for (let i = 0; i < Math.min(expected.length, badge.signature.length); i++) diff |= expected.charCodeAt(i) ^ badge.signature.charCodeAt(i);
	return diff === 0;
}

// --- the badge version ----------------------------------------------------------------------------

// members.badge_version: 0 = never issued; n > 0 = card n is in force; -n = card n was revoked and
// no card is in force (the sign keeps the count, so the next card is n + 1 and no old card revives).

export function badgeInForce(version: number): boolean {
	return version > 0;
}

/** The version the next card gets. */
export function nextBadgeVersion(version: number): number {
	return Math.abs(version) + 1;
}

/** The version of the latest card ever printed (0 if none). */
export function lastIssuedBadge(version: number): number {
	return Math.abs(version);
}

// --- the tablet's check -----------------------------------------------------------------------------

export type BadgeRefusal = 'demo_tablet' | 'other_team' | 'unknown_member' | 'member_left' | 'old_card' | 'not_synced';

export interface RosterView {
	teamId: string;
	/** A demo tablet has no server, hence no badge versions. */
	demo: boolean;
	/** The badge's member as this tablet knows them, if it does. */
	member?: { active: boolean; badgeVersion?: number };
}

/**
 * Whether a tablet lets this badge choose its member. The tablet cannot check the signature (see
 * the top of this file): the roster is the test. A card newer than the tablet's roster means the
 * tablet has not synced since it was issued: it can tell that apart from a revoked card.
 */
export function checkBadgeOnRoster(badge: BadgeClaim, roster: RosterView): { ok: true } | { ok: false; reason: BadgeRefusal } {
	if (roster.demo) return { ok: false, reason: 'demo_tablet' };
	if (badge.teamId !== roster.teamId) return { ok: false, reason: 'other_team' };
	if (!roster.member) return { ok: false, reason: 'unknown_member' };
	if (!roster.member.active) return { ok: false, reason: 'member_left' };
	const known = roster.member.badgeVersion ?? 0;
	if (known === badge.version) return { ok: true };
	return { ok: false, reason: badge.version > lastIssuedBadge(known) ? 'not_synced' : 'old_card' };
}
