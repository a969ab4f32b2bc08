import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	badgeInForce,
	badgeSignedText,
	checkBadgeOnRoster,
	encodeBadge,
	importBadgeKey,
	lastIssuedBadge,
	looksLikeBadge,
	nextBadgeVersion,
	parseBadge,
	signBadge,
	verifyBadgeSignature,
	type BadgeClaim
} from '$lib/domain/badge';

const CLAIM: BadgeClaim = { teamId: 'demo-tung-anh-trung-hoa', memberId: 'demo-leader', version: 2 };
const UUID_CLAIM: BadgeClaim = { teamId: '0b8f3a52-6f1e-4c55-9d3e-2a8b7c1d9e00', memberId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479', version: 12 };
const SIG = 'abcDEF0123456789_-xyzQ';
const key = (fill = 7) => importBadgeKey(new Uint8Array(32).fill(fill));

describe('badge payload', () => {
	it('encodes the documented format and parses it back', () => {
		const text = encodeBadge({ ...CLAIM, signature: SIG });
		expect(text).toBe(`TRAMSO:B1:demo-tung-anh-trung-hoa:demo-leader:2:${SIG}`);
		expect(parseBadge(text)).toEqual({ ok: true, badge: { ...CLAIM, signature: SIG } });
		expect(parseBadge(`  ${text}\r\n`)).toEqual({ ok: true, badge: { ...CLAIM, signature: SIG } });
		expect(badgeSignedText(CLAIM)).toBe('TRAMSO:B1:demo-tung-anh-trung-hoa:demo-leader:2');
	});

	it('refuses to encode what it could not parse', () => {
		expect(() => encodeBadge({ ...CLAIM, signature: 'short' })).toThrow();
		expect(() => encodeBadge({ ...CLAIM, teamId: 'a:b', signature: SIG })).toThrow();
		expect(() => encodeBadge({ ...CLAIM, version: 0, signature: SIG })).toThrow();
		expect(() => encodeBadge({ ...CLAIM, version: 1.5, signature: SIG })).toThrow();
	});

	it('tells a text that is no badge from a broken badge', () => {
		expect(parseBadge('001089012345||Trần Thị Hoa|15031958|Nữ')).toEqual({ ok: false, reason: 'not_badge' });
		expect(parseBadge('TRAMSO:R1:a1b2c3d4e5f60718293a4b5c6d7e8f90')).toEqual({ ok: false, reason: 'not_badge' });
		expect(looksLikeBadge('TRAMSO:B1:x')).toBe(true);
		expect(looksLikeBadge('https://example.com')).toBe(false);
		for (const broken of [
			'TRAMSO:B1:',
			'TRAMSO:B9:team:member:1:' + SIG,
			'TRAMSO:B1:team:member:1',
			'TRAMSO:B1:team:member:0:' + SIG,
			'TRAMSO:B1:team:member:-1:' + SIG,
			'TRAMSO:B1:team:member:01:' + SIG,
			'TRAMSO:B1:team:member:1:' + SIG + 'x',
			'TRAMSO:B1:team:member:1:' + SIG + ':extra',
			'TRAMSO:B1:team::1:' + SIG,
			'TRAMSO:B1:tê am:member:1:' + SIG,
			'TRAMSO:B1:team:member:9999999999:' + SIG
		]) {
			expect(parseBadge(broken), broken).toEqual({ ok: false, reason: 'bad_badge' });
		}
	});

	it('property: parse never throws, and whatever it accepts encodes back to itself', () => {
		const idChar = fc.constantFrom(...'abcXYZ019_-:'.split(''));
		const part = fc.oneof(fc.string(), fc.string({ unit: idChar, maxLength: 70 }), fc.nat().map(String));
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.string({ unit: 'binary' }),
					fc.array(part, { maxLength: 6 }).map((parts) => `TRAMSO:B1:${parts.join(':')}`)
				),
				(raw) => {
					const result = parseBadge(raw);
					if (result.ok) expect(encodeBadge(result.badge)).toBe(raw.trim());
					else expect(['not_badge', 'bad_badge']).toContain(result.reason);
				}
			),
			{ numRuns: 2000 }
		);
	});

	it('property: every encodable claim round-trips', () => {
		const id = fc.string({ unit: fc.constantFrom(...'abcdefXYZ0123456789_-'.split('')), minLength: 1, maxLength: 64 });
		fc.assert(
			fc.property(id, id, fc.integer({ min: 1, max: 999_999_999 }), (teamId, memberId, version) => {
				const badge = { teamId, memberId, version, signature: SIG };
				expect(parseBadge(encodeBadge(badge))).toEqual({ ok: true, badge });
			})
		);
	});
});

describe('badge signature (server side)', () => {
	it('signs with the key, 16 bytes as base64url, and verifies only with the same key', async () => {
		const k = await key();
		const text = await signBadge(UUID_CLAIM, k);
		const parsed = parseBadge(text);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.badge).toMatchObject(UUID_CLAIM);
		expect(parsed.badge.signature).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(await signBadge(UUID_CLAIM, k)).toBe(text); // deterministic: a reprint is the same card
		expect(await verifyBadgeSignature(parsed.badge, k)).toBe(true);
		expect(await verifyBadgeSignature(parsed.badge, await key(8))).toBe(false);
		expect(await verifyBadgeSignature({ ...parsed.badge, version: 13 }, k)).toBe(false);
		expect(await verifyBadgeSignature({ ...parsed.badge, memberId: 'someone-else' }, k)).toBe(false);
	});

	it('wants a real secret', async () => {
		await expect(importBadgeKey(new Uint8Array(16))).rejects.toThrow();
	});
});

describe('badge versions', () => {
	it('0 none, n in force, -n revoked; the next card is always new', () => {
		expect([0, 1, 3, -3].map(badgeInForce)).toEqual([false, true, true, false]);
		expect([0, 1, 3, -3].map(nextBadgeVersion)).toEqual([1, 2, 4, 4]);
		expect([0, 1, 3, -3].map(lastIssuedBadge)).toEqual([0, 1, 3, 3]);
	});
});

describe('checkBadgeOnRoster (the tablet: no key, the roster decides)', () => {
	const here = { teamId: CLAIM.teamId, demo: false };
	it('accepts an active member of this team holding the card in force', () => {
		expect(checkBadgeOnRoster(CLAIM, { ...here, member: { active: true, badgeVersion: 2 } })).toEqual({ ok: true });
	});

	it('refuses with the reason a person can act on', () => {
		const refusal = (claim: BadgeClaim, roster: Parameters<typeof checkBadgeOnRoster>[1]) => {
			const r = checkBadgeOnRoster(claim, roster);
			return r.ok ? 'ok' : r.reason;
		};
		const member = { active: true, badgeVersion: 2 };
		expect(refusal(CLAIM, { ...here, demo: true, member })).toBe('demo_tablet');
		expect(refusal({ ...CLAIM, teamId: 'another-team' }, { ...here, member })).toBe('other_team');
		expect(refusal(CLAIM, here)).toBe('unknown_member');
		expect(refusal(CLAIM, { ...here, member: { active: false, badgeVersion: 2 } })).toBe('member_left');
		expect(refusal({ ...CLAIM, version: 1 }, { ...here, member })).toBe('old_card'); // reissued
		expect(refusal(CLAIM, { ...here, member: { active: true, badgeVersion: -2 } })).toBe('old_card'); // revoked
		expect(refusal({ ...CLAIM, version: 3 }, { ...here, member: { active: true, badgeVersion: -2 } })).toBe('not_synced');
		expect(refusal({ ...CLAIM, version: 3 }, { ...here, member })).toBe('not_synced');
		expect(refusal({ ...CLAIM, version: 1 }, { ...here, member: { active: true } })).toBe('not_synced');
	});
});
