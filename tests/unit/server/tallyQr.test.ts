// Issue 15 §2 on both engines: a tablet's tallies carried as signed QR codes by an officer's phone.
// The tablet's side (kiosk/tallyQr.ts signedMessage) makes the codes with WebCrypto as in the
// browser; the server checks who made them, that nothing was changed, the tablet's standing and
// the officer's reach, and stores each tally exactly once.
import { beforeEach, describe, expect, it } from 'vitest';
import { randomUUID, webcrypto } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, User } from '$lib/server/db/schema';
import { canonicalSigningKey, collectTallyMessage, registerSigningKey } from '$lib/server/tallyQr';
import { createEnrolmentCode, enrollDevice, revokeDevice } from '$lib/server/devices';
import { ingestTally } from '$lib/server/ingest';
import { createUser } from '$lib/server/users';
import { createUnit } from '$lib/server/orgTree';
import { addMember, archiveTeam, createTeam } from '$lib/server/teams';
import { ensureDefaultSkills } from '$lib/server/skills';
import { monthlyReport } from '$lib/server/reports/monthly';
import { signedMessage } from '$lib/kiosk/tallyQr';
import { addPart, joinedMessage, parsePart, type PartSet } from '$lib/domain/tallyQr';
import { base45Decode, base45Encode } from '$lib/domain/base45';
import type { SessionTally } from '$lib/domain/tally';
import { sampleTally } from '../../fixtures/tallies';
import { buildTrungHoaTeam, databaseForEachTest, ENGINES, type TrungHoaTeam } from '../../fixtures/serverDb';

const now = new Date('2026-11-20T03:00:00.000Z');
const by = { actor: 'system', now };

interface Tablet {
	deviceId: string;
	token: string;
	keys: CryptoKeyPair;
	publicJwk: JsonWebKey;
}

async function newKeys(): Promise<{ keys: CryptoKeyPair; publicJwk: JsonWebKey }> {
	const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
	const { kty, crv, x, y } = await webcrypto.subtle.exportKey('jwk', keys.publicKey);
	return { keys, publicJwk: { kty, crv, x, y } };
}

/** The phone's side: every part read, joined again. */
function readAll(parts: string[]): string {
	let set: PartSet | null = null;
	for (const text of [...parts].reverse()) {
		const parsed = parsePart(text);
		if (!parsed.ok) throw new Error(`not a part: ${text.slice(0, 20)}`);
		set = addPart(set, parsed.part);
	}
	return joinedMessage(set!)!;
}

for (const engine of ENGINES) {
	describe(`tally QR codes (${engine})`, () => {
		const ctx = databaseForEachTest(engine);
		let place: TrungHoaTeam;
		let memberIds: [string, string, string];
		let admin: User;
		let tablet: Tablet;

		async function enrol(teamId: string, register = true): Promise<Tablet> {
			const db = ctx.db;
			const code = await createEnrolmentCode(db, { teamId, createdBy: null, now });
			const enrolled = await enrollDevice(db, { code: code.code, label: 'Máy nhà văn hóa', now });
			if (!enrolled.ok) throw new Error(enrolled.reason);
			const { keys, publicJwk } = await newKeys();
			if (register) {
				const device = await db.selectFrom('devices').selectAll().where('id', '=', enrolled.deviceId).executeTakeFirstOrThrow();
				expect(await registerSigningKey(db, device, publicJwk, now)).toBe('registered');
			}
			return { deviceId: enrolled.deviceId, token: enrolled.token, keys, publicJwk };
		}

		const tally = (overrides: Partial<SessionTally> = {}): SessionTally => ({ ...sampleTally({ sessionId: randomUUID(), teamId: place.team.id, memberIds }), ...overrides });
		const codesOf = async (t: Tablet, tallies: SessionTally[]) => (await signedMessage(t.deviceId, t.keys.privateKey, tallies)).parts;

		beforeEach(async () => {
			const db: Kysely<Database> = ctx.db;
			await ensureDefaultSkills(db);
			place = await buildTrungHoaTeam(db, by);
			const third = await addMember(db, { teamId: place.team.id, fullName: 'Lê Văn Cường', role: 'member', background: 'Đoàn viên', joinedOn: '2024-03-01', ...by });
			memberIds = [place.leader.id, place.deputy.id, third.id];
			admin = await createUser(db, { username: 'admin', displayName: 'Quản trị', password: 'mật khẩu dài đủ 12', role: 'admin', ...by });
			tablet = await enrol(place.team.id);
		});

		it('stores the tallies once: the tablet uploading them later hears "unchanged"', async () => {
			const tallies = [tally(), tally({ date: '2026-11-13', checkIns: 7 })];
			const parts = await codesOf(tablet, tallies);
			const first = await collectTallyMessage(ctx.db, { user: admin, message: readAll(parts), now });
			expect(first).toMatchObject({ ok: true, teamId: place.team.id, teamName: 'Tổ CĐS thôn Trung Hòa', deviceLabel: 'Máy nhà văn hóa' });
			if (!first.ok) return;
			expect(first.sessions.map((s) => [s.sessionId, s.date, s.checkIns, s.result])).toEqual([
				[tallies[0]!.sessionId, '2026-11-14', 4, 'stored'],
				[tallies[1]!.sessionId, '2026-11-13', 7, 'stored']
			]);

			// Scanned twice (a second officer, a reload): nothing more.
			const again = await collectTallyMessage(ctx.db, { user: admin, message: readAll(parts), now });
			expect(again.ok && again.sessions.map((s) => s.result)).toEqual(['unchanged', 'unchanged']);
			// The tablet's own upload once the network is back.
			for (const t of tallies) expect((await ingestTally(ctx.db, { id: tablet.deviceId, team_id: place.team.id }, t, now)).result).toBe('unchanged');

			const report = await monthlyReport(ctx.db, { unitId: place.village.id, period: '2026-11', now });
			expect(report.total.sessions).toBe(2);
			expect(report.total.checkIns).toBe(11);
			const audit = await ctx.db.selectFrom('audit_events').select(['actor', 'detail']).where('action', '=', 'tally.collect').execute();
			expect(audit).toHaveLength(2);
			expect(audit[0]!.actor).toBe(`user:${admin.id}`);
			expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ deviceId: tablet.deviceId, sessions: 2, stored: 2 });
		});

		it('refuses an altered code, and one signed by another key, as forged', async () => {
			const message = readAll(await codesOf(tablet, [tally()]));
			const bytes = base45Decode(message)!;
			bytes[bytes.length - 3]! ^= 0x01; // one bit of the tallies
			expect(await collectTallyMessage(ctx.db, { user: admin, message: base45Encode(bytes), now })).toMatchObject({ ok: false, refusal: 'forged', deviceLabel: 'Máy nhà văn hóa' });
			const impostor = { ...tablet, ...(await newKeys()) };
			expect(await collectTallyMessage(ctx.db, { user: admin, message: readAll(await codesOf(impostor, [tally()])), now })).toMatchObject({ ok: false, refusal: 'forged' });
			expect(await ctx.db.selectFrom('session_tallies').select('session_id').execute()).toEqual([]);
		});

		it('refuses a revoked tablet\'s genuine code, an unknown tablet, and a tablet with no key', async () => {
			const parts = await codesOf(tablet, [tally()]);
			await revokeDevice(ctx.db, { deviceId: tablet.deviceId, actor: 'system', now });
			expect(await collectTallyMessage(ctx.db, { user: admin, message: readAll(parts), now })).toMatchObject({ ok: false, refusal: 'revoked', revokedAt: now.toISOString() });
			// A device id whose first byte is 0x32 makes the message start with a space, a base45 digit:
			// the message must reach the device check whole (a trim once made this 'malformed').
			const stranger = { ...tablet, deviceId: `32${randomUUID().slice(2)}` };
			const strangerMessage = readAll(await codesOf(stranger, [tally()]));
			expect(strangerMessage.startsWith(' ')).toBe(true);
			expect(await collectTallyMessage(ctx.db, { user: admin, message: strangerMessage, now })).toMatchObject({ ok: false, refusal: 'unknown_tablet' });
			const keyless = await enrol(place.team.id, false);
			expect(await collectTallyMessage(ctx.db, { user: admin, message: readAll(await codesOf(keyless, [tally()])), now })).toMatchObject({ ok: false, refusal: 'no_key' });
			expect(await collectTallyMessage(ctx.db, { user: admin, message: 'TS1 NOT BASE45 ~~', now })).toMatchObject({ ok: false, refusal: 'malformed' });
		});

		it('refuses an officer of another commune, and an archived team', async () => {
			const other = await createUnit(ctx.db, { name: 'Xã Tùng Lộc', kind: 'commune', parentId: place.district.id, ...by });
			const officer = await createUser(ctx.db, { username: 'canbo.tungloc', displayName: 'Cán bộ Tùng Lộc', password: 'mật khẩu dài đủ 12', role: 'officer', unitId: other.id, ...by });
			const message = readAll(await codesOf(tablet, [tally()]));
			expect(await collectTallyMessage(ctx.db, { user: officer, message, now })).toMatchObject({ ok: false, refusal: 'out_of_reach', teamName: 'Tổ CĐS thôn Trung Hòa' });
			const own = await createUser(ctx.db, { username: 'canbo.tunganh', displayName: 'Cán bộ Tùng Ảnh', password: 'mật khẩu dài đủ 12', role: 'officer', unitId: place.commune.id, ...by });
			expect((await collectTallyMessage(ctx.db, { user: own, message, now })).ok).toBe(true);

			const village2 = await createUnit(ctx.db, { name: 'Thôn Đông Thịnh', kind: 'village', parentId: place.commune.id, ...by });
			const team2 = await createTeam(ctx.db, { unitId: village2.id, name: 'Tổ cũ', level: 'village', phase: 'pilot', establishedOn: '2024-03-01', ...by });
			const old = await enrol(team2.id);
			const oldMessage = readAll(await codesOf(old, [tally({ teamId: team2.id, membersPresent: [], assistsByMember: {} })]));
			await archiveTeam(ctx.db, { id: team2.id, ...by });
			expect(await collectTallyMessage(ctx.db, { user: admin, message: oldMessage, now })).toMatchObject({ ok: false, refusal: 'archived' });
		});

		it('refuses only the item of another team inside a genuine message', async () => {
			const village2 = await createUnit(ctx.db, { name: 'Thôn Đông Thịnh', kind: 'village', parentId: place.commune.id, ...by });
			const team2 = await createTeam(ctx.db, { unitId: village2.id, name: 'Tổ khác', level: 'village', phase: 'pilot', establishedOn: '2024-03-01', ...by });
			const mine = tally();
			const result = await collectTallyMessage(ctx.db, { user: admin, message: readAll(await codesOf(tablet, [tally({ teamId: team2.id }), mine])), now });
			expect(result.ok && result.sessions.map((s) => s.result ?? s.error?.code)).toEqual(['wrong_team', 'stored']);
		});

		it('keeps one key per tablet: the same again is fine, another is refused, junk is invalid', async () => {
			const device = await ctx.db.selectFrom('devices').selectAll().where('id', '=', tablet.deviceId).executeTakeFirstOrThrow();
			expect(await registerSigningKey(ctx.db, device, tablet.publicJwk, now)).toBe('unchanged');
			expect(await registerSigningKey(ctx.db, device, (await newKeys()).publicJwk, now)).toBe('conflict');
			// Before the row was read (two syncs at once): the conditional update decides.
			const bare = { ...device, signing_key: null };
			expect(await registerSigningKey(ctx.db, bare, tablet.publicJwk, now)).toBe('unchanged');
			expect(await registerSigningKey(ctx.db, bare, (await newKeys()).publicJwk, now)).toBe('conflict');
			expect(canonicalSigningKey({ ...tablet.publicJwk, y: tablet.publicJwk.x })).toBeNull(); // off the curve
			expect(canonicalSigningKey({ kty: 'RSA', n: 'x', e: 'AQAB' })).toBeNull();
			expect(canonicalSigningKey({ ...tablet.publicJwk, d: 'secret' })).toBe(JSON.stringify(tablet.publicJwk));
		});
	});
}
