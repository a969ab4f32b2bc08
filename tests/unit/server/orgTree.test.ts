import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { parseCsv } from '$lib/domain/csv';
import { formulaCells } from '../../fixtures/csvFormulas';
import { listAudit } from '$lib/server/audit';
import type { Database, OrgUnit, OrgUnitKind } from '$lib/server/db/schema';
import {
	archiveUnit,
	createUnit,
	exportTreeCsv,
	importTreeCsv,
	loadTree,
	moveUnit,
	OrgTree,
	renameUnit
} from '$lib/server/orgTree';
import { createTeam } from '$lib/server/teams';
import { buildHaTinh as haTinhTree, ENGINES, freshDatabase, rejectsWith, type TestDb } from '../../fixtures/serverDb';
import { InputError } from '$lib/server/inputError';
import { loadHistory } from '$lib/server/orgHistory';
import { treeAsOf } from '$lib/domain/orgHistory';
import { localDateOf } from '$lib/domain/period';

const actor = 'user:officer-1';
const now = new Date('2025-08-01T03:00:00Z');

function unit(id: string, parent: string | null, name = id, kind: OrgUnitKind = 'commune'): OrgUnit {
	return { id, parent_id: parent, name, kind, code: null, archived_at: null, created_at: now.toISOString() };
}

describe('OrgTree (pure)', () => {
	const tree = new OrgTree([
		unit('v2', 'c', 'Thôn 10', 'village'),
		unit('p', null, 'Tỉnh Hà Tĩnh', 'province'),
		unit('c', 'p', 'Xã Tùng Ảnh'),
		unit('v1', 'c', 'Thôn 2', 'village'),
		unit('orphan', 'gone', 'Xã Mồ Côi')
	]);

	it('orders parents before children, siblings by name with numbers compared as numbers', () => {
		expect(tree.units.map((u) => u.id)).toEqual(['p', 'c', 'v1', 'v2', 'orphan']);
		expect(tree.children('c').map((u) => u.name)).toEqual(['Thôn 2', 'Thôn 10']);
	});

	it('treats a unit whose parent is not loaded as a root', () => {
		expect(tree.roots().map((u) => u.id)).toEqual(['p', 'orphan']);
		expect(tree.path('orphan').map((u) => u.id)).toEqual(['orphan']);
	});

	it('answers [] and undefined for unknown ids', () => {
		expect(tree.descendantIds('nope')).toEqual([]);
		expect(tree.path('nope')).toEqual([]);
		expect(tree.children('nope')).toEqual([]);
		expect(tree.byId('nope')).toBeUndefined();
	});

	it('survives parent cycles in bad data', () => {
		const looped = new OrgTree([unit('a', 'b'), unit('b', 'a'), unit('self', 'self'), unit('r', null)]);
		expect(looped.descendantIds('a').sort()).toEqual(['a', 'b']);
		expect(looped.path('a').map((u) => u.id)).toEqual(['b', 'a']);
		expect(looped.isOnCycle('a')).toBe(true);
		expect(looped.isOnCycle('r')).toBe(false);
		expect(looped.path('self').map((u) => u.id)).toEqual(['self']);
		expect(looped.units).toHaveLength(4);
	});

	it('never loops and every path ends at its unit, for any parent array', () => {
		// parents[i] is an index (possibly itself, a cycle, or out of range: a missing parent) or null.
		const parentArrays = fc.array(fc.option(fc.nat({ max: 40 }), { nil: null }), { minLength: 1, maxLength: 40 });
		fc.assert(
			fc.property(parentArrays, (parents) => {
				const units = parents.map((p, i) => unit(`u${i}`, p === null ? null : `u${p}`));
				const tree = new OrgTree(units);
				expect(tree.units).toHaveLength(units.length);
				for (const u of units) {
					const path = tree.path(u.id);
					expect(path.at(-1)?.id).toBe(u.id);
					expect(new Set(path.map((x) => x.id)).size).toBe(path.length);
					for (let i = 1; i < path.length; i++) expect(path[i]!.parent_id).toBe(path[i - 1]!.id);
					const below = tree.descendantIds(u.id);
					expect(below[0]).toBe(u.id);
					expect(new Set(below).size).toBe(below.length);
					expect(below.length).toBeLessThanOrEqual(units.length);
					// Everything below u has u on its path (unless the data loops through it).
					for (const id of below) if (!tree.isOnCycle(id)) expect(tree.path(id).map((x) => x.id)).toContain(u.id);
				}
			}),
			{ numRuns: 300 }
		);
	});
});

const buildHaTinh = (db: Kysely<Database>) => haTinhTree(db, { actor, now });

const rejects = rejectsWith(InputError);

const unitCount = async (db: Kysely<Database>) => (await db.selectFrom('org_units').select('id').execute()).length;
const auditCount = async (db: Kysely<Database>) => (await db.selectFrom('audit_events').select('id').execute()).length;

describe.each(ENGINES)('org tree on %s', (engine) => {
	let t: TestDb;
	beforeEach(async () => {
		t = await freshDatabase(engine);
	});
	afterEach(async () => {
		await t.dispose();
	});

	it('builds Hà Tĩnh > Đức Thọ > Tùng Ảnh > Trung Hòa: descendants, path, roots', async () => {
		const h = await buildHaTinh(t.db);
		const tree = await loadTree(t.db);
		expect(tree.roots().map((u) => u.id)).toEqual([h.province.id]);
		expect(tree.descendantIds(h.province.id)).toEqual([h.province.id, h.district.id, h.commune.id, h.village.id]);
		expect(tree.descendantIds(h.commune.id)).toEqual([h.commune.id, h.village.id]);
		expect(tree.descendantIds(h.village.id)).toEqual([h.village.id]);
		expect(tree.path(h.village.id).map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ', 'Xã Tùng Ảnh', 'Thôn Trung Hòa']);
		expect(tree.children(h.district.id).map((u) => u.id)).toEqual([h.commune.id]);
		expect(tree.byId(h.province.id)).toMatchObject({ code: '42', kind: 'province', parent_id: null, archived_at: null });
		const created = await listAudit(t.db, { subject: `unit:${h.village.id}` });
		expect(created).toMatchObject([{ action: 'unit.create', actor }]);
	});

	it('refuses bad input with the field at fault', async () => {
		const h = await buildHaTinh(t.db);
		await rejects(createUnit(t.db, { name: '   ', kind: 'village', parentId: h.commune.id, actor, now }), 'name');
		await rejects(createUnit(t.db, { name: 'x'.repeat(121), kind: 'village', parentId: h.commune.id, actor, now }), 'name');
		await rejects(createUnit(t.db, { name: 'Thôn A', kind: 'hamlet' as OrgUnitKind, parentId: h.commune.id, actor, now }), 'kind');
		await rejects(createUnit(t.db, { name: 'Thôn A', kind: 'village', parentId: 'missing', actor, now }), 'parentId');
		await rejects(createUnit(t.db, { name: 'Xã B', kind: 'commune', parentId: h.village.id, actor, now }), 'parentId', /cannot sit under/);
		await rejects(createUnit(t.db, { name: 'Thôn A', kind: 'village', parentId: h.commune.id, code: '1'.repeat(21), actor, now }), 'code');
		// Names are tidied: NFC, trimmed, inner spaces collapsed; a village may sit straight under a province.
		const tidy = await createUnit(t.db, { name: '  Thôn\u0020\u0020Ba  '.normalize('NFD'), kind: 'village', parentId: h.province.id, actor, now });
		expect(tidy.name).toBe('Thôn Ba');
		expect(await unitCount(t.db)).toBe(5);
	});

	it('renames, audited; a no-op rename writes nothing', async () => {
		const h = await buildHaTinh(t.db);
		const renamed = await renameUnit(t.db, { id: h.commune.id, name: 'Xã Tùng Lộc', code: '18118', actor, now });
		expect(renamed).toMatchObject({ name: 'Xã Tùng Lộc', code: '18118' });
		expect((await loadTree(t.db)).byId(h.commune.id)?.name).toBe('Xã Tùng Lộc');
		const before = await auditCount(t.db);
		await renameUnit(t.db, { id: h.commune.id, name: 'Xã Tùng Lộc', actor, now });
		expect(await auditCount(t.db)).toBe(before);
		const events = await listAudit(t.db, { subject: `unit:${h.commune.id}` });
		expect(events.map((e) => e.action).sort()).toEqual(['unit.create', 'unit.rename']);
	});

	it('a code filled in for a unit that had none is written into its whole history; a changed code dates from today', async () => {
		const h = await buildHaTinh(t.db);
		await renameUnit(t.db, { id: h.commune.id, name: h.commune.name, code: 'X-TA', actor, now });
		const history = await loadHistory(t.db);
		expect(treeAsOf(history, '2001-01-01').unit(h.commune.id)?.code).toBe('X-TA');
		await renameUnit(t.db, { id: h.commune.id, name: h.commune.name, code: 'X-TA2', actor, now });
		const later = await loadHistory(t.db);
		expect(treeAsOf(later, '2001-01-01').unit(h.commune.id)?.code).toBe('X-TA');
		expect(treeAsOf(later, localDateOf(now)).unit(h.commune.id)?.code).toBe('X-TA2');
	});

	it('moves a commune to the province (the 2025 reform) and refuses cycles', async () => {
		const h = await buildHaTinh(t.db);
		await rejects(moveUnit(t.db, { id: h.district.id, newParentId: h.district.id, actor, now }), 'parentId', /under itself/);
		await rejects(moveUnit(t.db, { id: h.district.id, newParentId: h.commune.id, actor, now }), 'parentId', /under itself/);
		await rejects(moveUnit(t.db, { id: h.province.id, newParentId: h.village.id, actor, now }), 'parentId');
		await rejects(moveUnit(t.db, { id: h.commune.id, newParentId: 'missing', actor, now }), 'parentId');

		await moveUnit(t.db, { id: h.commune.id, newParentId: h.province.id, actor, now });
		const tree = await loadTree(t.db);
		expect(tree.path(h.village.id).map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Xã Tùng Ảnh', 'Thôn Trung Hòa']);
		expect(tree.descendantIds(h.district.id)).toEqual([h.district.id]);
		const moves = (await listAudit(t.db, { subject: `unit:${h.commune.id}` })).filter((e) => e.action === 'unit.move');
		expect(moves).toHaveLength(1);
		expect(JSON.parse(moves[0]!.detail!)).toEqual({ from: h.district.id, to: h.province.id, changeId: expect.any(String) });
		// A dated change from today: the day before still has the district above the commune.
		const history = await loadHistory(t.db);
		expect(history.changes.map((c) => [c.kind, c.effectiveOn])).toContainEqual(['move', '2025-08-01']);
		expect(treeAsOf(history, '2025-07-31').path(h.village.id).map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ', 'Xã Tùng Ảnh', 'Thôn Trung Hòa']);
		expect(treeAsOf(history, '2025-08-01').path(h.village.id).map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Xã Tùng Ảnh', 'Thôn Trung Hòa']);
	});

	it('archives only what nothing active depends on', async () => {
		const h = await buildHaTinh(t.db);
		await rejects(archiveUnit(t.db, { id: h.commune.id, actor, now }), 'id', /active units under it/);
		await createTeam(t.db, { unitId: h.village.id, name: 'Tổ CĐS thôn Trung Hòa', level: 'village', phase: 'pilot', establishedOn: '2024-03-01', actor, now });
		await rejects(archiveUnit(t.db, { id: h.village.id, actor, now }), 'id', /active team/);

		const spare = await createUnit(t.db, { name: 'Thôn Cũ', kind: 'village', parentId: h.commune.id, actor, now });
		const archived = await archiveUnit(t.db, { id: spare.id, actor, now });
		expect(archived.archived_at).toBe(now.toISOString());
		expect((await loadTree(t.db)).byId(spare.id)).toBeUndefined();
		expect((await loadTree(t.db, { includeArchived: true })).byId(spare.id)?.archived_at).toBe(now.toISOString());
		await rejects(createUnit(t.db, { name: 'Xóm', kind: 'residentialGroup', parentId: spare.id, actor, now }), 'parentId', /archived/);
		await rejects(moveUnit(t.db, { id: h.village.id, newParentId: spare.id, actor, now }), 'parentId', /archived/);
		await rejects(archiveUnit(t.db, { id: spare.id, actor, now }), 'id', /archived/);
		expect((await listAudit(t.db, { subject: `unit:${spare.id}` })).map((e) => e.action).sort()).toEqual(['unit.archive', 'unit.create']);
	});

	it('exports CSV that reproduces the tree in a fresh database', async () => {
		const h = await buildHaTinh(t.db);
		await createUnit(t.db, { name: '=Thôn "Đông", Bắc', kind: 'village', parentId: h.commune.id, actor, now });
		// The issue 10 name: Excel with ';' as separator ran =1+1 from the old export.
		await createUnit(t.db, { name: 'A;=1+1;', kind: 'village', parentId: h.commune.id, actor, now });
		const csv = await exportTreeCsv(t.db);
		expect(csv.startsWith('\uFEFF"id","parent_id","kind","name","code"\r\n')).toBe(true);
		expect(parseCsv(csv)).toHaveLength(7);
		expect(formulaCells(csv)).toEqual([]);

		const shape = (u: OrgUnit) => ({ id: u.id, parent_id: u.parent_id, kind: u.kind, name: u.name, code: u.code });
		const original = (await loadTree(t.db)).units.map(shape);
		// One database at a time: Kysely's migrator mistakes another test schema's tables for its own.
		await t.dispose();
		t = await freshDatabase(engine);
		expect(await importTreeCsv(t.db, csv, { actor, now })).toEqual({ created: 6, updated: 0 });
		expect((await loadTree(t.db)).units.map(shape)).toEqual(original);
		// Importing the same file again changes nothing.
		expect(await importTreeCsv(t.db, csv, { actor, now })).toEqual({ created: 0, updated: 0 });
		expect((await listAudit(t.db, { subject: `unit:${h.village.id}` })).map((e) => e.action)).toEqual(['unit.create']);
	});

	it('imports rows whose parents come later or already exist, and updates known ids', async () => {
		const h = await buildHaTinh(t.db);
		const csv = [
			'name,code,kind,parent_id,id', // any column order
			'Thôn Bắc,,village,new-commune,new-village',
			`Xã Tùng Châu,18121,commune,${h.district.id},new-commune`,
			`Tổ dân phố 1,,residentialGroup,${h.commune.id},new-group`,
			'',
			`Thôn Trung Hòa Mới,,village,${h.commune.id},${h.village.id}`
		].join('\n');
		expect(await importTreeCsv(t.db, csv, { actor, now })).toEqual({ created: 3, updated: 1 });
		const tree = await loadTree(t.db);
		expect(tree.path('new-village').map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ', 'Xã Tùng Châu', 'Thôn Bắc']);
		expect(tree.byId(h.village.id)?.name).toBe('Thôn Trung Hòa Mới');
		expect(tree.byId('new-commune')?.code).toBe('18121');
		const actions = (await listAudit(t.db, { limit: 500 })).map((e) => e.action);
		expect(actions.filter((a) => a === 'unit.update')).toHaveLength(1);
		expect(actions).toContain('unit.import');
	});

	it('refuses a file with an unknown parent, naming the line, and writes nothing', async () => {
		const h = await buildHaTinh(t.db);
		const [units, events] = [await unitCount(t.db), await auditCount(t.db)];
		const csv = [
			'\uFEFFid,parent_id,kind,name,code',
			`a,${h.commune.id},village,Thôn A,`,
			'"b","nowhere","village","Thôn ""B""",""',
			`c,${h.commune.id},village,Thôn C,`
		].join('\r\n');
		const e = await rejects(importTreeCsv(t.db, csv, { actor, now }), 'csv', /^Line 3: unknown parent nowhere/);
		expect(e.params.line).toBe('3');
		expect([await unitCount(t.db), await auditCount(t.db)]).toEqual([units, events]);
	});

	it('refuses malformed files: header, kinds, duplicates, cycles, ranks', async () => {
		const h = await buildHaTinh(t.db);
		const header = 'id,parent_id,kind,name,code';
		await rejects(importTreeCsv(t.db, 'id,kind,name\r\nx,village,Thôn X', { actor, now }), 'csv', /Line 1: .*missing parent_id, code/);
		await rejects(importTreeCsv(t.db, '', { actor, now }), 'csv', /empty/);
		await rejects(importTreeCsv(t.db, `${header}\nx,,hamlet,Thôn X,`, { actor, now }), 'csv', /Line 2: unknown kind/);
		await rejects(importTreeCsv(t.db, `${header}\nx,,province,Tỉnh X,\nx,,province,Tỉnh Y,`, { actor, now }), 'csv', /Line 3: .*twice/);
		await rejects(importTreeCsv(t.db, `${header}\nx,y,commune,Xã X,\ny,x,commune,Xã Y,`, { actor, now }), 'csv', /Line 2: (the chain of parents .* loops|A commune cannot sit under a commune)/);
		// A quoted cell spanning two lines pushes the next record's line number down.
		await rejects(importTreeCsv(t.db, `${header}\n"p\nq",,province,Tỉnh,\nx,,province,,`, { actor, now }), 'csv', /Line 2: the id/);
		await rejects(importTreeCsv(t.db, `${header}\nok,,province,"Tỉnh\nMới",\nx,,province,,`, { actor, now }), 'csv', /Line 4: Chưa nhập tên/);
		// Turning the commune into a village would put a village under a village.
		await rejects(importTreeCsv(t.db, `${header}\n${h.commune.id},${h.district.id},village,Xã Tùng Ảnh,`, { actor, now }), 'csv', /Line 2: A village cannot sit under a village/);
		await rejects(importTreeCsv(t.db, `${header}\n${h.province.id},${h.village.id},province,Tỉnh Hà Tĩnh,`, { actor, now }), 'csv', /Line 2/);
		expect(await unitCount(t.db)).toBe(4);
	});

	it('refuses to change the kind of a unit whose team would no longer fit', async () => {
		const h = await buildHaTinh(t.db);
		await createTeam(t.db, { unitId: h.commune.id, name: 'Tổ CĐS xã Tùng Ảnh', level: 'commune', phase: 'pilot', establishedOn: '2024-03-01', actor, now });
		const csv = `id,parent_id,kind,name,code\n${h.commune.id},${h.province.id},district,Tùng Ảnh,\n${h.village.id},${h.commune.id},village,Thôn Trung Hòa,`;
		await rejects(importTreeCsv(t.db, csv, { actor, now }), 'csv', /Line 2: .*commune-level team/);
		// Ward is still commune-level: allowed.
		const ward = `id,parent_id,kind,name,code\n${h.commune.id},${h.district.id},ward,Phường Tùng Ảnh,`;
		expect(await importTreeCsv(t.db, ward, { actor, now })).toEqual({ created: 0, updated: 1 });
	});
});
