import { beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { recordAudit } from '$lib/server/audit';
import { listAuditRows, resolveAuditNames } from '$lib/server/auditView';
import { createUser } from '$lib/server/users';
import { auditSentence } from '$lib/i18n/auditText';
import { databaseForEachTest, ENGINES } from '../../fixtures/serverDb';

const NOW = new Date('2026-11-10T02:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const created_at = NOW.toISOString();

async function world(db: Kysely<Database>) {
	await db
		.insertInto('org_units')
		.values([
			{ id: 'xa-a', parent_id: null, name: 'Xã Tùng Ảnh', kind: 'commune', code: null, archived_at: null, created_at },
			{ id: 'thon-a', parent_id: 'xa-a', name: 'Thôn Trung Hòa', kind: 'village', code: null, archived_at: null, created_at },
			{ id: 'xa-b', parent_id: null, name: 'Thị trấn Đức Thọ', kind: 'commune', code: null, archived_at: null, created_at }
		])
		.execute();
	await db
		.insertInto('teams')
		.values([
			{ id: 'team-a', unit_id: 'thon-a', name: 'Tổ thôn Trung Hòa', level: 'village', phase: 'pilot', established_on: '2022-10-15', archived_at: null, created_at },
			{ id: 'team-b', unit_id: 'xa-b', name: 'Tổ thị trấn Đức Thọ', level: 'commune', phase: 'pilot', established_on: '2022-10-15', archived_at: null, created_at }
		])
		.execute();
	await db
		.insertInto('members')
		.values({ id: 'mem-a', team_id: 'team-a', full_name: 'Lê Văn Cường', role: 'member', background: '', status: 'active', joined_on: '2022-10-15', left_on: null, pin_hash: null, created_at })
		.execute();
	await db
		.insertInto('devices')
		.values({ id: 'dev-a', team_id: 'team-a', label: 'Máy nhà văn hóa', token_hash: 'x', created_at, revoked_at: null, last_seen_at: null, last_upload_at: null })
		.execute();
	const lan = await createUser(db, { username: 'lan', displayName: 'Nguyễn Thị Lan', password: 'ba con gà trống gáy', role: 'officer', unitId: 'xa-a', actor: 'system', now: NOW });
	const actor = `user:${lan.id}`;
	await recordAudit(db, {
		actor,
		action: 'decision.approve',
		subject: 'decision:d1',
		detail: { teamId: 'team-a', kind: 'join', personName: 'Lê Thị Hoa', decisionNumber: '12/QĐ-UBND' },
		now: at(1)
	});
	await recordAudit(db, { actor: 'device:dev-a', action: 'tally.stored', subject: 'team:team-a', detail: { sessionId: 's1', version: 1 }, now: at(2) });
	await recordAudit(db, { actor, action: 'member.pin', subject: 'member:mem-a', detail: { teamId: 'team-a', set: true }, now: at(3) });
	await recordAudit(db, { actor: 'system', action: 'team.update', subject: 'team:team-b', detail: { name: 'x' }, now: at(4) });
	await recordAudit(db, { actor, action: 'report.frobnicate', subject: 'team:team-b', now: at(5) });
	return { lan, actor };
}

describe.each(ENGINES)('audit page data on %s', (engine) => {
	const t = databaseForEachTest(engine);
	let db: Kysely<Database>;
	beforeEach(() => void (db = t.db));

	it("reads as sentences with people's and things' names, newest first, an unknown action still readable", async () => {
		await world(db);
		const rows = await listAuditRows(db);
		const names = await resolveAuditNames(db, rows);
		expect(rows.map((r) => auditSentence(r, names))).toEqual([
			'Nguyễn Thị Lan: report.frobnicate Tổ thị trấn Đức Thọ',
			'Hệ thống sửa thông tin Tổ thị trấn Đức Thọ',
			'Nguyễn Thị Lan đổi mã PIN của Lê Văn Cường (Tổ thôn Trung Hòa)',
			'Máy tính bảng “Máy nhà văn hóa” gửi số liệu một buổi hỗ trợ của Tổ thôn Trung Hòa',
			'Nguyễn Thị Lan duyệt quyết định 12/QĐ-UBND kết nạp Lê Thị Hoa vào Tổ thôn Trung Hòa',
			'Hệ thống tạo tài khoản Nguyễn Thị Lan (Cán bộ xã)'
		]);
	});

	it('filters by kind of action, by person and by unit (with the units and teams under it)', async () => {
		const { actor } = await world(db);
		const actions = async (filter: Parameters<typeof listAuditRows>[1]) => (await listAuditRows(db, filter)).map((r) => r.action);
		expect(await actions({ group: 'tallies' })).toEqual(['tally.stored']);
		expect(await actions({ group: 'members' })).toEqual(['member.pin']);
		expect(await actions({ actor })).toEqual(['report.frobnicate', 'member.pin', 'decision.approve']);
		expect(await actions({ unitId: 'xa-a' })).toEqual(['member.pin', 'tally.stored']);
		expect(await actions({ unitId: 'xa-b' })).toEqual(['report.frobnicate', 'team.update']);
		expect(await actions({ unitId: 'xa-b', actor: 'system' })).toEqual(['team.update']);
		expect(await actions({ unitId: 'no-such-unit' })).toEqual([]);
	});
});
