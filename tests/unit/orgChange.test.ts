import { describe, expect, it } from 'vitest';
import { lineage, treeAsOf, unitEnding, type OrgHistory } from '$lib/domain/orgHistory';
import { planChange, planChanges, reverseChange, type OrgChange, type PlanResult } from '$lib/domain/orgChange';
import { before2025, DISSOLVE_DISTRICT, JULY_2025, MERGE_DUC_THO, RESOLUTION_1656 } from '../fixtures/orgHistory';

const applied = (result: PlanResult): Extract<PlanResult, { ok: true }> => {
	if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
	return result;
};
const record = (history: OrgHistory, ...changes: OrgChange[]): OrgHistory => {
	const result = planChanges(history, changes);
	if (!result.ok) throw new Error(`change ${result.index} refused: ${JSON.stringify(result.refusal)}`);
	return result.history;
};
/** "Tỉnh Hà Tĩnh › Xã Đức Thọ" for the unit a team is in on `date`. */
const teamPath = (history: OrgHistory, teamId: string, date: string) => {
	const tree = treeAsOf(history, date);
	return tree.path(tree.unitOfTeam(teamId) ?? '').map((u) => u.name).join(' › ');
};
/** Everything a report shows of a day's tree: each unit's path and each team's unit. */
const shape = (history: OrgHistory, date: string) => {
	const tree = treeAsOf(history, date);
	const units = tree.units.map((u) => `${tree.path(u.id).map((p) => `${p.name} [${p.code}]`).join(' › ')} (${u.kind})`).sort();
	const teams = [...new Set(history.placements.map((p) => p.teamId))].sort().map((t) => `${t} @ ${tree.unitOfTeam(t) ?? '-'}`);
	return { units, teams };
};
const DAYS = ['2022-01-01', '2024-12-31', '2025-06-30', JULY_2025, '2025-07-02', '2025-09-01', '2026-11-14'];

describe('the Đức Thọ merger of 1 July 2025', () => {
	const reformed = record(before2025(), MERGE_DUC_THO, DISSOLVE_DISTRICT);

	it('reports before July 2025 still read Huyện Đức Thọ › Thị trấn Đức Thọ / Xã Tùng Ảnh', () => {
		expect(teamPath(reformed, 'team-tt', '2025-05-14')).toBe('Tỉnh Hà Tĩnh › Huyện Đức Thọ › Thị trấn Đức Thọ');
		expect(teamPath(reformed, 'team-trung-tien', '2025-06-30')).toBe('Tỉnh Hà Tĩnh › Huyện Đức Thọ › Xã Tùng Ảnh › Thôn Trung Tiến');
		for (const day of ['2022-01-01', '2025-05-14', '2025-06-30']) expect(shape(reformed, day)).toEqual(shape(before2025(), day));
	});

	it('from 1 July 2025 the teams keep their ids under Tỉnh Hà Tĩnh › Xã Đức Thọ, with the villages beneath', () => {
		expect(teamPath(reformed, 'team-tt', JULY_2025)).toBe('Tỉnh Hà Tĩnh › Xã Đức Thọ');
		expect(teamPath(reformed, 'team-ta', '2026-11-14')).toBe('Tỉnh Hà Tĩnh › Xã Đức Thọ');
		expect(teamPath(reformed, 'team-tdp1', '2026-11-14')).toBe('Tỉnh Hà Tĩnh › Xã Đức Thọ › Tổ dân phố 1');
		expect(teamPath(reformed, 'team-trung-tien', '2026-11-14')).toBe('Tỉnh Hà Tĩnh › Xã Đức Thọ › Thôn Trung Tiến');
		const tree = treeAsOf(reformed, JULY_2025);
		for (const gone of ['h-dt', 'tt-dt', 'x-ta', 'x-hl', 'x-td']) expect(tree.unit(gone)).toBeUndefined();
		// The district's other commune moves up to the province; the province and Can Lộc stay.
		expect(tree.path('x-yh').map((u) => u.name)).toEqual(['Tỉnh Hà Tĩnh', 'Xã Yên Hồ']);
		expect(teamPath(reformed, 'team-vl', JULY_2025)).toBe('Tỉnh Hà Tĩnh › Huyện Can Lộc › Xã Vượng Lộc');
	});

	it('old units keep their dates: valid until the merger, exclusive', () => {
		const ta = reformed.versions.filter((v) => v.unitId === 'x-ta');
		expect(ta).toEqual([{ unitId: 'x-ta', name: 'Xã Tùng Ảnh', kind: 'commune', code: 'X-TA', parentId: 'h-dt', validFrom: '2022-01-01', validTo: JULY_2025 }]);
		expect(reformed.versions.filter((v) => v.unitId === 'x-dt')).toEqual([
			{ unitId: 'x-dt', name: 'Xã Đức Thọ', kind: 'commune', code: 'X-DT', parentId: 'ht', validFrom: JULY_2025, validTo: null }
		]);
		expect(reformed.placements.filter((p) => p.teamId === 'team-tt').map((p) => [p.unitId, p.validFrom, p.validTo])).toEqual([
			['tt-dt', '2022-03-15', JULY_2025],
			['x-dt', JULY_2025, null]
		]);
	});

	it('previews what the merger touches, for counting tablets and officer accounts', () => {
		const { preview } = applied(planChange(before2025(), MERGE_DUC_THO));
		expect(preview.unitsEnded).toEqual(['tt-dt', 'x-ta', 'x-hl', 'x-td']);
		expect(preview.unitsCreated).toEqual(['x-dt']);
		expect(preview.unitsRenamed).toEqual([]);
		expect(preview.unitsMoved.sort()).toEqual(['tdp-1', 'tdp-2', 'th-dl', 'th-tt']);
		expect(preview.teamsMoved).toEqual(['team-tt', 'team-ta', 'team-hl']);
		// The village teams' unit path changes too (their tablets show the new commune).
		expect(preview.affectedTeamIds.sort()).toEqual(['team-dong-lac', 'team-hl', 'team-ta', 'team-tdp1', 'team-tdp2', 'team-trung-tien', 'team-tt']);
		expect(preview.affectedUnitIds.sort()).toEqual(['tdp-1', 'tdp-2', 'th-dl', 'th-tt', 'tt-dt', 'x-dt', 'x-hl', 'x-ta', 'x-td']);
	});

	it('names what became of a former unit, and the former units of the new one', () => {
		expect(unitEnding(reformed, 'x-ta', '2026-01-01')).toEqual({ kind: 'mergedInto', on: JULY_2025, basis: RESOLUTION_1656, intoId: 'x-dt', intoName: 'Xã Đức Thọ' });
		expect(unitEnding(reformed, 'x-ta', '2025-06-30')).toBeNull();
		expect(unitEnding(reformed, 'h-dt', '2026-01-01')).toEqual({ kind: 'dissolved', on: JULY_2025, basis: '203/2025/QH15' });
		expect(unitEnding(reformed, 'x-dt', '2026-01-01')).toBeNull();
		expect(lineage(reformed, 'x-dt', '2026-01-01').map((e) => [e.name, e.until, e.partial])).toEqual([
			['Thị trấn Đức Thọ', JULY_2025, false],
			['Xã Tùng Ảnh', JULY_2025, false],
			['Xã Hòa Lạc', JULY_2025, false],
			['Xã Tân Dân', JULY_2025, false]
		]);
		expect(lineage(reformed, 'x-dt', '2025-06-30')).toEqual([]);
		expect(lineage(reformed, 'x-yh', '2026-01-01')).toEqual([]);
	});

	it('the change is recorded with its basis and what it did', () => {
		const merge = reformed.changes[0]!;
		expect(merge).toMatchObject({ id: 'c-merge', kind: 'merge', effectiveOn: JULY_2025, basis: RESOLUTION_1656, subjects: ['tt-dt', 'x-ta', 'x-hl', 'x-td', 'x-dt'], reverses: null });
		expect(merge.teams).toContainEqual({ teamId: 'team-ta', level: 'commune', before: 'x-ta', after: 'x-dt' });
	});
});

describe('refusals, each with its reason and field', () => {
	const h = before2025();
	const base = { effectiveOn: '2025-03-01', basis: 'QĐ 12/QĐ-UBND' };
	const refusal = (history: OrgHistory, change: OrgChange) => {
		const result = planChange(history, change);
		if (result.ok) throw new Error('expected a refusal');
		expect(result).not.toHaveProperty('history');
		return result.refusal;
	};

	it('a cycle: a town moved under its own residential group', () => {
		expect(refusal(h, { ...base, id: 'c', kind: 'move', unitId: 'tt-dt', parentId: 'tdp-1' })).toMatchObject({ reason: 'cycle', field: 'parentId' });
	});

	it('ranks that do not fit: a village under a village, a commune under a commune', () => {
		expect(refusal(h, { ...base, id: 'c', kind: 'move', unitId: 'th-tt', parentId: 'th-dl' })).toEqual({ reason: 'rank', field: 'parentId', unitId: 'th-tt' });
		const newUnit = { id: 'x-new', name: 'Xã Mới', kind: 'commune' as const, code: null, parentId: 'x-yh' };
		expect(refusal(h, { ...base, id: 'c', kind: 'create', unit: newUnit })).toMatchObject({ reason: 'rank', unitId: 'x-new' });
	});

	it('a team left without a unit: dissolving a commune that has a team', () => {
		expect(refusal(h, { ...base, id: 'c', kind: 'dissolve', unitId: 'x-hl' })).toEqual({ reason: 'team_without_unit', field: 'unitId', unitId: 'x-hl', teamId: 'team-hl' });
	});

	it('a commune-level team cannot land in a village', () => {
		const change: OrgChange = { ...base, id: 'c', kind: 'merge', sourceIds: ['x-hl'], into: { unitId: 'th-tt' } };
		expect(refusal(h, change)).toMatchObject({ reason: 'team_level', teamId: 'team-hl' });
	});

	it('two changes on the same unit on the same date', () => {
		const renamed = record(h, { ...base, id: 'c1', kind: 'rename', unitId: 'x-yh', name: 'Xã Yên Hồ Mới' });
		expect(refusal(renamed, { ...base, id: 'c2', kind: 'move', unitId: 'x-yh', parentId: 'ht' })).toEqual({ reason: 'same_day', field: 'effectiveOn', unitId: 'x-yh' });
		// Another day is fine.
		expect(planChange(renamed, { ...base, effectiveOn: '2025-03-02', id: 'c2', kind: 'move', unitId: 'x-yh', parentId: 'ht' }).ok).toBe(true);
	});

	it('a unit that does not exist on the effective date', () => {
		const reformed = record(h, MERGE_DUC_THO);
		expect(refusal(reformed, { ...base, id: 'c', kind: 'rename', unitId: 'x-dt', name: 'Xã Đức Thọ 2' })).toEqual({ reason: 'unit_missing', field: 'unitId', unitId: 'x-dt' });
		expect(refusal(reformed, { ...base, effectiveOn: '2025-08-01', id: 'c', kind: 'rename', unitId: 'x-ta', name: 'X' })).toMatchObject({ reason: 'unit_missing', unitId: 'x-ta' });
		expect(refusal(h, { ...base, id: 'c', kind: 'move', unitId: 'x-yh', parentId: 'nowhere' })).toMatchObject({ reason: 'unit_missing', field: 'parentId' });
	});

	it('merging a unit into itself', () => {
		expect(refusal(h, { ...base, id: 'c', kind: 'merge', sourceIds: ['x-ta', 'x-hl'], into: { unitId: 'x-ta' } })).toEqual({ reason: 'merge_into_self', field: 'into', unitId: 'x-ta' });
	});

	it('a split that does not place every team or every village', () => {
		const newPart = { newUnit: { id: 'x-dl', name: 'Xã Đông Lạc', kind: 'commune' as const, code: null, parentId: 'h-dt' } };
		const noTeam: OrgChange = { ...base, id: 'c', kind: 'split', unitId: 'x-ta', parts: [{ unit: { unitId: 'x-ta' }, teamIds: [], childIds: ['th-tt'] }, { unit: newPart, teamIds: [], childIds: ['th-dl'] }] };
		expect(refusal(h, noTeam)).toEqual({ reason: 'team_unplaced', field: 'parts', teamId: 'team-ta' });
		const noVillage: OrgChange = { ...base, id: 'c', kind: 'split', unitId: 'x-ta', parts: [{ unit: { unitId: 'x-ta' }, teamIds: ['team-ta'], childIds: ['th-tt'] }, { unit: newPart, teamIds: [], childIds: [] }] };
		expect(refusal(h, noVillage)).toEqual({ reason: 'child_unplaced', field: 'parts', unitId: 'th-dl' });
		const twice: OrgChange = { ...base, id: 'c', kind: 'split', unitId: 'x-ta', parts: [{ unit: { unitId: 'x-ta' }, teamIds: ['team-ta'], childIds: ['th-tt'] }, { unit: newPart, teamIds: ['team-ta'], childIds: ['th-dl'] }] };
		expect(refusal(h, twice)).toEqual({ reason: 'team_placed_twice', field: 'parts', teamId: 'team-ta' });
		const stranger: OrgChange = { ...base, id: 'c', kind: 'split', unitId: 'x-ta', parts: [{ unit: { unitId: 'x-ta' }, teamIds: ['team-ta', 'team-hl'], childIds: ['th-tt'] }, { unit: newPart, teamIds: [], childIds: ['th-dl'] }] };
		expect(refusal(h, stranger)).toEqual({ reason: 'team_not_here', field: 'parts', teamId: 'team-hl' });
	});

	it('a change dated before a later change on the same unit', () => {
		const reformed = record(h, MERGE_DUC_THO);
		expect(refusal(reformed, { ...base, id: 'c', kind: 'rename', unitId: 'x-ta', name: 'Xã Tùng Ảnh 2' })).toEqual({ reason: 'later_change', field: 'effectiveOn', unitId: 'x-ta' });
	});

	it('a change that breaks the tree of a later day: the district ended before a commune joins it', () => {
		// Vượng Lộc moves under Huyện Đức Thọ on 1 March; dissolving that district on 1 February
		// touches none of Vượng Lộc's dates, but would leave it from 1 March under a unit not in force.
		const moved = record(h, { ...base, id: 'c1', kind: 'move', unitId: 'x-cl', parentId: 'h-dt' });
		expect(refusal(moved, { ...base, effectiveOn: '2025-02-01', id: 'c2', kind: 'dissolve', unitId: 'h-dt' })).toEqual({ reason: 'parent_missing', field: 'childrenTo', unitId: 'x-cl' });
		expect(planChange(h, { ...base, effectiveOn: '2025-02-01', id: 'c2', kind: 'dissolve', unitId: 'h-dt' }).ok).toBe(true);
	});

	it('bad input: a date that is not a day, no basis, no name, nothing to change', () => {
		expect(refusal(h, { ...base, effectiveOn: '2025-02-30', id: 'c', kind: 'rename', unitId: 'x-yh', name: 'X' })).toEqual({ reason: 'bad_date', field: 'effectiveOn' });
		expect(refusal(h, { ...base, basis: '  ', id: 'c', kind: 'rename', unitId: 'x-yh', name: 'X' })).toEqual({ reason: 'basis_missing', field: 'basis' });
		expect(refusal(h, { ...base, id: 'c', kind: 'rename', unitId: 'x-yh', name: ' ' })).toEqual({ reason: 'name_missing', field: 'name' });
		expect(refusal(h, { ...base, id: 'c', kind: 'rename', unitId: 'x-yh', name: 'Xã Yên Hồ' })).toEqual({ reason: 'no_change', field: 'name', unitId: 'x-yh' });
	});

	it('names, codes and kinds are checked as everywhere else, and stored cleaned', () => {
		expect(refusal(h, { ...base, id: 'c', kind: 'rename', unitId: 'x-yh', name: 'Thôn \u202egnaoH' })).toEqual({ reason: 'bad_name', field: 'name', nameProblem: 'directionControl' });
		expect(refusal(h, { ...base, id: 'c', kind: 'rename', unitId: 'x-yh', name: 'Xã Mới', code: 'X'.repeat(21) })).toEqual({ reason: 'bad_code', field: 'code' });
		const bogus = { id: 'x-new', name: 'Xã Mới', kind: 'hamlet' as 'village', code: null, parentId: 'ht' };
		expect(refusal(h, { ...base, id: 'c', kind: 'create', unit: bogus })).toEqual({ reason: 'bad_kind', field: 'unit.kind' });
		const merge: OrgChange = { ...base, id: 'c', kind: 'merge', sourceIds: ['x-ta'], into: { newUnit: { id: 'n', name: 'Xã\u200b Mới', kind: 'commune', code: null, parentId: 'h-dt' } } };
		expect(refusal(h, merge)).toEqual({ reason: 'bad_name', field: 'into.name', nameProblem: 'hiddenCharacter' });
		const cleaned = record(h, { ...base, basis: '  NQ   1656 ', id: 'c', kind: 'rename', unitId: 'x-yh', name: '  Xa\u0303   Yên Hồ 2 ', code: ' YH2 ' });
		expect(treeAsOf(cleaned, base.effectiveOn).unit('x-yh')).toMatchObject({ name: 'Xã Yên Hồ 2', code: 'YH2' });
		expect(cleaned.changes[0]!.basis).toBe('NQ 1656');
	});

	it('a refused batch leaves the history as it was', () => {
		const frozen = JSON.stringify(h);
		const result = planChanges(h, [MERGE_DUC_THO, { ...base, effectiveOn: JULY_2025, id: 'c2', kind: 'dissolve', unitId: 'x-yh' }, { ...base, effectiveOn: JULY_2025, id: 'c3', kind: 'dissolve', unitId: 'x-ta' }]);
		expect(result).toEqual({ ok: false, index: 2, refusal: { reason: 'unit_missing', field: 'unitId', unitId: 'x-ta' } });
		expect(JSON.stringify(h)).toBe(frozen);
	});
});

describe('rename, move and split', () => {
	const h = before2025();

	it('a rename from a date: the old name before it, the new one after', () => {
		const renamed = record(h, { id: 'c', kind: 'rename', effectiveOn: '2024-01-01', basis: 'NQ 1', unitId: 'x-yh', name: 'Xã Yên Hồ Mới', code: 'X-YH2' });
		expect(treeAsOf(renamed, '2023-12-31').unit('x-yh')).toMatchObject({ name: 'Xã Yên Hồ', code: 'X-YH' });
		expect(treeAsOf(renamed, '2024-01-01').unit('x-yh')).toMatchObject({ name: 'Xã Yên Hồ Mới', code: 'X-YH2' });
	});

	it('a split: Tùng Ảnh keeps its team and Trung Tiến; Đông Lạc goes to a new commune with its team', () => {
		const newUnit = { id: 'x-dl', name: 'Xã Đông Lạc', kind: 'commune' as const, code: 'X-DL', parentId: 'h-dt' };
		const result = applied(
			planChange(h, {
				id: 'c',
				kind: 'split',
				effectiveOn: '2024-05-01',
				basis: 'NQ 2',
				unitId: 'x-ta',
				parts: [
					{ unit: { unitId: 'x-ta' }, teamIds: ['team-ta'], childIds: ['th-tt'] },
					{ unit: { newUnit }, teamIds: [], childIds: ['th-dl'] }
				]
			})
		);
		expect(teamPath(result.history, 'team-dong-lac', '2024-05-01')).toBe('Tỉnh Hà Tĩnh › Huyện Đức Thọ › Xã Đông Lạc › Thôn Đông Lạc');
		expect(teamPath(result.history, 'team-dong-lac', '2024-04-30')).toBe('Tỉnh Hà Tĩnh › Huyện Đức Thọ › Xã Tùng Ảnh › Thôn Đông Lạc');
		expect(result.preview).toMatchObject({ unitsEnded: [], unitsCreated: ['x-dl'], unitsMoved: ['th-dl'], teamsMoved: [] });
		expect(result.preview.affectedTeamIds).toContain('team-dong-lac');
		expect(lineage(result.history, 'x-dl', '2025-01-01')).toMatchObject([{ unitId: 'x-ta', partial: true }]);
		expect(unitEnding(result.history, 'x-ta', '2025-01-01')).toBeNull();
	});
});

describe('undo by recording the reverse change', () => {
	const h = before2025();

	it('the reverse on the merger’s own date gives back the tree of every day', () => {
		const reformed = record(h, MERGE_DUC_THO, DISSOLVE_DISTRICT);
		const undoDistrict = reverseChange(reformed, 'c-dissolve', { id: 'u1', basis: 'QĐ sửa sai 1' })!;
		const undoneDistrict = record(reformed, undoDistrict);
		const undoMerge = reverseChange(undoneDistrict, 'c-merge', { id: 'u2', basis: 'QĐ sửa sai 2' })!;
		expect(undoMerge).toEqual({ kind: 'reverse', id: 'u2', basis: 'QĐ sửa sai 2', effectiveOn: JULY_2025, changeId: 'c-merge' });
		const undone = record(undoneDistrict, undoMerge);
		for (const day of DAYS) expect(shape(undone, day)).toEqual(shape(h, day));
		// Nothing deleted: all four changes stay on record.
		expect(undone.changes.map((c) => [c.id, c.reverses])).toEqual([
			['c-merge', null],
			['c-dissolve', null],
			['u1', 'c-dissolve'],
			['u2', 'c-merge']
		]);
		expect(unitEnding(undone, 'x-ta', '2026-01-01')).toBeNull();
		expect(lineage(undone, 'x-dt', '2026-01-01')).toEqual([]);
	});

	it('the merger cannot be undone while the district it needs is still dissolved', () => {
		const reformed = record(h, MERGE_DUC_THO, DISSOLVE_DISTRICT);
		const result = planChange(reformed, reverseChange(reformed, 'c-merge', { id: 'u', basis: 'x' })!);
		expect(result).toMatchObject({ ok: false, refusal: { reason: 'parent_missing', field: 'changeId' } });
	});

	it('an undo from a later date: merged until then, the old units (same ids) after', () => {
		const reformed = record(h, MERGE_DUC_THO);
		const undone = record(reformed, reverseChange(reformed, 'c-merge', { id: 'u', basis: 'x', effectiveOn: '2025-09-01' })!);
		expect(teamPath(undone, 'team-ta', '2025-08-31')).toBe('Tỉnh Hà Tĩnh › Xã Đức Thọ');
		expect(teamPath(undone, 'team-ta', '2025-09-01')).toBe('Tỉnh Hà Tĩnh › Huyện Đức Thọ › Xã Tùng Ảnh');
		expect(shape(undone, '2025-09-01')).toEqual(shape(h, '2025-09-01'));
		expect(shape(undone, '2025-08-01')).toEqual(shape(reformed, '2025-08-01'));
	});

	it('refuses a second undo, an unknown change, and an undo after something changed since', () => {
		const reformed = record(h, MERGE_DUC_THO);
		const undone = record(reformed, reverseChange(reformed, 'c-merge', { id: 'u', basis: 'x' })!);
		expect(planChange(undone, { kind: 'reverse', id: 'u2', basis: 'x', effectiveOn: JULY_2025, changeId: 'c-merge' })).toMatchObject({ ok: false, refusal: { reason: 'already_reversed' } });
		expect(reverseChange(reformed, 'nope', { id: 'u', basis: 'x' })).toBeNull();
		expect(planChange(reformed, { kind: 'reverse', id: 'u', basis: 'x', effectiveOn: JULY_2025, changeId: 'nope' })).toMatchObject({ ok: false, refusal: { reason: 'unknown_change', field: 'changeId' } });
		const renamedLater = record(reformed, { id: 'r', kind: 'rename', effectiveOn: '2025-10-01', basis: 'x', unitId: 'x-dt', name: 'Xã Đức Thọ Mới' });
		expect(planChange(renamedLater, reverseChange(renamedLater, 'c-merge', { id: 'u', basis: 'x' })!)).toMatchObject({ ok: false, refusal: { reason: 'later_change' } });
		expect(planChange(renamedLater, reverseChange(renamedLater, 'c-merge', { id: 'u', basis: 'x', effectiveOn: '2025-11-01' })!)).toMatchObject({ ok: false, refusal: { reason: 'changed_since', unitId: 'x-dt' } });
	});
});
