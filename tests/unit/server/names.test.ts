// Every name field on the server refuses invisible, direction-spoofing and broken names (issue 10),
// naming the field and saying why in Vietnamese. The checks run before the database is touched.
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { createUnit, importTreeCsv } from '$lib/server/orgTree';
import { addMember, createTeam } from '$lib/server/teams';
import { createUser } from '$lib/server/users';
import { recordActivity } from '$lib/server/activities';
import { checkDeviceLabel } from '$lib/server/devices';
import { InputError } from '$lib/server/inputError';

const db = {} as Kysely<Database>;
const actor = 'user:officer-1';
const now = new Date('2026-11-20T03:00:00Z');

const BAD: readonly [string, RegExp][] = [
	['\u200b\u200b', /ký tự ẩn \(không nhìn thấy\)/],
	['Thôn \u202egnaoH', /đảo chiều chữ/],
	['\ufffd\ufffd\ufffdX', /ký tự lỗi/],
	['\u3164', /ít nhất một chữ cái hoặc chữ số nhìn thấy được/]
];

async function refusal(work: () => Promise<unknown>): Promise<{ error: unknown; field: unknown; message: string }> {
	const error = await work().then(
		() => undefined,
		(e: unknown) => e
	);
	return { error, field: (error as { field?: unknown }).field, message: (error as Error).message };
}

describe('name fields refuse what a reader cannot see (issue 10)', () => {
	it.each(BAD)('%j', async (name, reason) => {
		const cases: [() => Promise<unknown>, string][] = [
			[() => createUnit(db, { name, kind: 'village', parentId: null, actor, now }), 'name'],
			[() => createTeam(db, { unitId: 'v', name, level: 'village', phase: 'pilot', establishedOn: '2024-03-01', actor, now }), 'name'],
			[() => addMember(db, { teamId: 't', fullName: name, role: 'member', background: 'other', joinedOn: '2024-03-01', actor, now }), 'fullName'],
			[() => createUser(db, { username: 'lan', displayName: name, password: 'a long enough password', role: 'admin', actor, now }), 'displayName'],
			[() => recordActivity(db, { teamId: 't', kind: 'training', date: '2026-11-01', title: name, memberIds: [], peopleReached: 1, actor, now }), 'title'],
			[async () => checkDeviceLabel(name), 'label']
		];
		for (const [work, field] of cases) {
			const r = await refusal(work);
			expect(r.error).toBeInstanceOf(InputError);
			expect(r.field).toBe(field);
			expect(r.message).toMatch(reason);
		}
		const csv = `id,parent_id,kind,name,code\r\nx,,province,"${name}",\r\n`;
		const r = await refusal(() => importTreeCsv(db, csv, { actor, now }));
		expect(r.error).toBeInstanceOf(InputError);
		expect(r.message).toMatch(new RegExp(`^Line 2: .*${reason.source}`));
	});

	it('still takes a plain device label, and the default for none', () => {
		expect(checkDeviceLabel('  Máy   thôn Trung Hòa ')).toBe('Máy thôn Trung Hòa');
		expect(checkDeviceLabel(undefined)).toBe('Máy tính bảng');
		expect(checkDeviceLabel(' ')).toBe('Máy tính bảng');
	});
});
