// The tablet's side of the tally QR codes (issue 15 §2): its signing key is made once, kept as a
// non-extractable key, registered once per enrolment (again after a failure), and the pending
// tallies come out as codes the server's check accepts — the same codes while nothing changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { dropKioskDb, freshKioskDb } from '../../fixtures/kioskDb';
import { getSetting, type KioskDb, type OutboxRow } from '$lib/kiosk/db';
import { applyEnrolment } from '$lib/kiosk/enrolment';
import { ensureSigningKeyRegistered, pendingTallyCodes, SIGNING_KEY_SETTING, type RegisterFn } from '$lib/kiosk/tallyQr';
import { addPart, joinedMessage, parsePart, unpackMessage, type PartSet } from '$lib/domain/tallyQr';
import { canonicalSigningKey } from '$lib/server/tallyQr';
import { DEFAULT_SKILLS } from '$lib/domain/skills';
import type { EnrolResponse } from '$lib/domain/api';
import { sampleTally } from '../../fixtures/tallies';

const DEVICE = '0b5e8f1a-2c3d-4e5f-8a9b-112233445566';
let db: KioskDb;
let registered: { origin: string; key: JsonWebKey }[];
let answer: 'ok' | 'network' | 'refused';
const register: RegisterFn = async (origin, _token, key) => {
	if (answer === 'network') return { kind: 'retry', status: null, message: 'Failed to fetch' };
	if (answer === 'refused') return { kind: 'refused', status: 409, code: 'key_registered', message: 'another key' };
	registered.push({ origin, key });
	return { kind: 'ok', value: { result: 'registered' } };
};

async function enrol(deviceId = DEVICE): Promise<void> {
	const enrolment: EnrolResponse = {
		deviceId,
		token: 'tok'.repeat(10),
		server: { name: 'Trạm Số Hà Tĩnh' },
		team: { id: 'team-1', name: 'Tổ CNS thôn Trung Hòa', level: 'village', phase: 'pilot', establishedOn: '2022-10-15', unitPath: 'Thôn Trung Hòa' },
		members: [],
		skills: DEFAULT_SKILLS.slice(0, 3),
		version: 'v1',
		periodRule: { startDay: 15, deadlineDay: 20 }
	};
	await applyEnrolment(db, 'https://server.test', enrolment, new Date('2026-11-21T00:00:00Z'));
}

async function queue(sessionId: string, version = 1, state: OutboxRow['state'] = 'pending'): Promise<void> {
	const tally = { ...sampleTally({ sessionId, teamId: 'team-1', memberIds: ['a', 'b', 'c'] }), version };
	await db.outbox.put({ sessionId, version, tally, state, attempts: 0, queuedAt: new Date(Number(sessionId.slice(-2))).toISOString() });
}

beforeEach(async () => {
	db = await freshKioskDb();
	registered = [];
	answer = 'ok';
});
afterEach(() => dropKioskDb(db));

describe('the tablet\'s signing key', () => {
	it('is made once, kept non-extractable, and registered once per enrolment', async () => {
		await ensureSigningKeyRegistered(db, register);
		expect(registered).toEqual([]); // a demo tablet has no server
		await enrol();
		for (const failure of ['network', 'refused'] as const) {
			answer = failure;
			await ensureSigningKeyRegistered(db, register);
			expect(await pendingTallyCodes(db), failure).toEqual({ kind: 'no-key' });
		}
		answer = 'ok';
		await ensureSigningKeyRegistered(db, register);
		await ensureSigningKeyRegistered(db, register);
		expect(registered).toHaveLength(1);
		expect(registered[0]!.origin).toBe('https://server.test');
		expect(canonicalSigningKey(registered[0]!.key)).not.toBeNull();
		const stored = await getSetting<{ privateKey: CryptoKey }>(db, SIGNING_KEY_SETTING);
		expect(stored!.privateKey.extractable).toBe(false);
		// Enrolled again (a new device on the server): the same key, registered for it.
		await enrol('9c5e8f1a-2c3d-4e5f-8a9b-112233445566');
		await ensureSigningKeyRegistered(db, register);
		expect(registered.map((r) => r.key)).toEqual([registered[0]!.key, registered[0]!.key]);
	});
});

describe('pending tallies as codes', () => {
	it('holds the pending tallies, oldest first, signed so that the registered key verifies them; the same codes while nothing changed', async () => {
		await enrol();
		await ensureSigningKeyRegistered(db, register);
		expect(await pendingTallyCodes(db)).toEqual({ kind: 'nothing' });
		await queue('00000000-0000-4000-8000-000000000002');
		await queue('00000000-0000-4000-8000-000000000001');
		await queue('00000000-0000-4000-8000-000000000003', 1, 'sent');
		const state = await pendingTallyCodes(db);
		if (state.kind !== 'ready') throw new Error(state.kind);
		expect(state.sessions).toBe(2);
		const [message] = state.messages;
		expect(message!.sessionIds).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
		let set: PartSet | null = null;
		for (const part of message!.parts) set = addPart(set, (parsePart(part) as Extract<ReturnType<typeof parsePart>, { ok: true }>).part);
		const unpacked = unpackMessage(joinedMessage(set!)!)!;
		expect(unpacked.deviceId).toBe(DEVICE);
		const key = { key: registered[0]!.key as import('node:crypto').JsonWebKey, format: 'jwk' as const, dsaEncoding: 'ieee-p1363' as const };
		expect(verify('sha256', unpacked.signed, key, unpacked.signature)).toBe(true);
		expect(JSON.parse(inflateRawSync(unpacked.body).toString()).map((t: { sessionId: string }) => t.sessionId)).toEqual(message!.sessionIds);

		expect((await pendingTallyCodes(db)) as unknown).toEqual(state); // reopened: the same codes
		await queue('00000000-0000-4000-8000-000000000002', 2); // re-tallied: signed again
		const changed = await pendingTallyCodes(db);
		expect(changed.kind === 'ready' && changed.messages[0]!.parts[0]).not.toBe(message!.parts[0]);
	});

	it('shows no codes for a tablet that is not enrolled, or revoked', async () => {
		expect(await pendingTallyCodes(db)).toEqual({ kind: 'not-enrolled' });
		await enrol();
		await ensureSigningKeyRegistered(db, register);
		const link = await getSetting<Record<string, unknown>>(db, 'server');
		await db.settings.put({ key: 'server', value: { ...link, revokedAt: '2026-11-22T00:00:00.000Z' } });
		expect(await pendingTallyCodes(db)).toEqual({ kind: 'not-enrolled' });
	});
});
