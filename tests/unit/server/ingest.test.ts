// An upload's reads: the tablet, its team's founding date and the period rule come with the token's
// lookup, fresh each request; a re-send on PostgreSQL is answered by the insert's own statement.
import { beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { createEnrolmentCode, enrollDevice, revokeDevice } from '$lib/server/devices';
import { ingestTally, requireUploader } from '$lib/server/ingest';
import { ApiError } from '$lib/server/api';
import { setPeriodRule } from '$lib/server/settings';
import { addMember } from '$lib/server/teams';
import { ensureDefaultSkills } from '$lib/server/skills';
import { DEFAULT_PERIOD_RULE } from '$lib/domain/period';
import { sampleTally } from '../../fixtures/tallies';
import { buildTrungHoaTeam, databaseForEachTest, ENGINES, thrownBy, type TrungHoaTeam } from '../../fixtures/serverDb';

const now = new Date('2026-11-20T03:00:00.000Z');
const by = { actor: 'test', now: new Date('2026-01-01T00:00:00.000Z') };

const upload = (token?: string) => new Request('http://kiosk.test/api/v1/tallies', { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });

/** The database with every query it is sent listed (by kind) in `sent`. */
function watched(db: Kysely<Database>): { db: Kysely<Database>; sent: string[] } {
	const sent: string[] = [];
	return { db: db.withPlugin({ transformQuery: (args) => (sent.push(args.node.kind), args.node), transformResult: async (args) => args.result }), sent };
}

for (const engine of ENGINES) {
	describe(`ingest reads (${engine})`, () => {
		const ctx = databaseForEachTest(engine);
		let place: TrungHoaTeam;
		let memberIds: [string, string, string];
		let tablet: { deviceId: string; token: string };

		beforeEach(async () => {
			const db = ctx.db;
			await ensureDefaultSkills(db);
			place = await buildTrungHoaTeam(db, by);
			const third = await addMember(db, { teamId: place.team.id, fullName: 'Lê Văn Cường', role: 'member', background: 'Đoàn viên', joinedOn: '2024-03-01', ...by });
			memberIds = [place.leader.id, place.deputy.id, third.id];
			const code = await createEnrolmentCode(db, { teamId: place.team.id, createdBy: null, now });
			const enrolled = await enrollDevice(db, { code: code.code, label: 'Máy nhà văn hóa', now });
			if (!enrolled.ok) throw new Error(enrolled.reason);
			tablet = { deviceId: enrolled.deviceId, token: enrolled.token };
		});

		it('gives the tablet with its team and the period rule in one query, the rule fresh each time', async () => {
			// The first request of the minute also marks the tablet seen; the next ones read only.
			await requireUploader(ctx.db, upload(tablet.token), now);
			const { db, sent } = watched(ctx.db);
			const first = await requireUploader(db, upload(tablet.token), now);
			expect(sent).toEqual(['SelectQueryNode']);
			expect(first.device).toMatchObject({ id: tablet.deviceId, team_id: place.team.id, revoked_at: null });
			expect(first.device).not.toHaveProperty('period_rule');
			expect(first.facts).toEqual({ team: { establishedOn: '2024-03-01' }, rule: DEFAULT_PERIOD_RULE });

			await setPeriodRule(ctx.db, { startDay: 1, deadlineDay: 5 });
			expect((await requireUploader(db, upload(tablet.token), now)).facts.rule).toEqual({ startDay: 1, deadlineDay: 5 });
		});

		it('refuses as requireDevice does: no token, an unknown one, a revoked tablet', async () => {
			const refusal = async (request: Request) => {
				const e = await thrownBy(requireUploader(ctx.db, request, now));
				expect(e).toBeInstanceOf(ApiError);
				return [(e as ApiError).status, (e as ApiError).code];
			};
			expect(await refusal(upload())).toEqual([401, 'unauthorized']);
			expect(await refusal(upload('not-a-token'))).toEqual([401, 'unauthorized']);
			await revokeDevice(ctx.db, { deviceId: tablet.deviceId, actor: 'user:officer', now });
			expect(await refusal(upload(tablet.token))).toEqual([401, 'device_revoked']);
		});

		it('files a tally under the rule read with the token, and answers its re-send', async () => {
			await setPeriodRule(ctx.db, { startDay: 1, deadlineDay: 5 });
			const { device, facts } = await requireUploader(ctx.db, upload(tablet.token), now);
			// 14 November: period 2026-11 under calendar months (under the default rule, 2026-12).
			const tally = sampleTally({ sessionId: randomUUID(), teamId: place.team.id, memberIds });
			expect((await ingestTally(ctx.db, device, tally, now, { facts })).result).toBe('stored');
			const row = await ctx.db.selectFrom('session_tallies').select('period').where('session_id', '=', tally.sessionId).executeTakeFirstOrThrow();
			expect(row.period).toBe('2026-11');

			const { db, sent } = watched(ctx.db);
			expect((await ingestTally(db, device, tally, now, { facts })).result).toBe('unchanged');
			// PostgreSQL: the insert's statement saw the held version; no transaction, no second read.
			if (engine === 'postgres') expect(sent).toEqual(['RawNode']);
			expect((await ingestTally(db, device, { ...tally, version: 2, checkIns: 5 }, now, { facts })).result).toBe('replaced');
		});
	});
}
