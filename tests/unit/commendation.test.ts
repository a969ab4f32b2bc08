import { describe, expect, it } from 'vitest';
import {
	applyEdits,
	CommendationEditError,
	editsFromForm,
	isCommunityBackground,
	normalizeEdits,
	rankCandidates,
	type Candidate,
	type CommendationLine
} from '$lib/domain/commendation';

const subject = (id: string, name: string) => ({ type: 'team' as const, id, name, teamId: id, teamName: name, unitName: 'Xã', role: null, background: null, joinedOn: null });
const candidate = (id: string, name: string, ...score: number[]): Candidate => ({ subject: subject(id, name), figures: [{ key: 'residents', value: score[0] ?? 0 }], score });

describe('rankCandidates', () => {
	it('ranks best first, shares ranks on equal scores, breaks ties by name then id, keeps the tie at the cut', () => {
		const lines = rankCandidates(
			'teamResidents',
			[candidate('b', 'Thôn 2', 10), candidate('a', 'Thôn 10', 10), candidate('z', 'Thôn 2', 10), candidate('c', 'Thôn 1', 30), candidate('d', 'Thôn 3', 5), candidate('e', 'Thôn 4', 0)],
			3
		);
		expect(lines.map((l) => [l.id, l.rank])).toEqual([
			['teamResidents:c', 1],
			['teamResidents:b', 2],
			['teamResidents:z', 2],
			['teamResidents:a', 2]
		]);
	});

	it('compares later scores only among equal first scores, and drops zero first scores', () => {
		const lines = rankCandidates('teamActivities', [candidate('x', 'X', 2, 10), candidate('y', 'Y', 2, 40), candidate('w', 'W', 0, 500)], 5);
		expect(lines.map((l) => [l.subject.id, l.rank])).toEqual([
			['y', 1],
			['x', 2]
		]);
		// Input order does not matter.
		const again = rankCandidates('teamActivities', [candidate('w', 'W', 0, 500), candidate('x', 'X', 2, 10), candidate('y', 'Y', 2, 40)], 5);
		expect(again).toEqual(lines);
	});
});

describe('isCommunityBackground', () => {
	it('finds residents and students, not officials', () => {
		for (const yes of ['Sinh viên', 'Học sinh trung học phổ thông', 'Người dân trong thôn', 'NÔNG DÂN', 'Cán bộ hưu trí']) expect(isCommunityBackground(yes)).toBe(true);
		for (const no of ['Trưởng thôn', 'Công an khu vực', 'Giáo viên tiểu học', 'Nhân viên bưu điện', '']) expect(isCommunityBackground(no)).toBe(false);
	});
});

const line = (id: string): CommendationLine => ({ id, category: 'teamResidents', rank: 1, subject: subject(id, id), figures: [] });

describe('commendation edits', () => {
	it('normalises: sorted distinct ids, included only among reviewed, blank and orphan notes dropped', () => {
		const edits = normalizeEdits({
			reviewed: ['b', 'a', 'a'],
			included: ['a', 'ghost'],
			notes: { a: '  Xuất  sắc ', b: '  ', ghost: 'x', 'added:1': 'Hộ kinh doanh' },
			added: [
				{ id: 'added:1', name: ' Cửa hàng Hòa Phát ', reason: 'Nhận thanh toán QR' },
				{ id: 'added:2', name: '', reason: '' }
			]
		});
		expect(edits).toEqual({
			reviewed: ['a', 'b'],
			included: ['a'],
			notes: { a: 'Xuất sắc', 'added:1': 'Hộ kinh doanh' },
			added: [{ id: 'added:1', name: 'Cửa hàng Hòa Phát', reason: 'Nhận thanh toán QR' }]
		});
		expect(normalizeEdits(undefined)).toEqual({ reviewed: [], included: [], notes: {}, added: [] });
	});

	it('refuses what cannot be stored', () => {
		expect(() => normalizeEdits({ reviewed: 'a' })).toThrow(CommendationEditError);
		expect(() => normalizeEdits({ added: [{ id: 'added:1', name: '', reason: 'x' }] })).toThrow(CommendationEditError);
		expect(() => normalizeEdits({ added: [{ id: 'nope', name: 'x', reason: '' }] })).toThrow(CommendationEditError);
		expect(() => normalizeEdits({ added: [{ id: 'added:1', name: 'x' }, { id: 'added:1', name: 'y' }] })).toThrow(CommendationEditError);
		expect(() => normalizeEdits({ reviewed: ['a'], notes: { a: 'x'.repeat(501) } })).toThrow(CommendationEditError);
		expect(() => normalizeEdits({ added: Array.from({ length: 51 }, (_, i) => ({ id: `added:${i}`, name: 'x' })) })).toThrow(CommendationEditError);
	});

	it('lays edits over the proposal: kept, left out, new since the save', () => {
		const lines = [line('a'), line('b'), line('c')];
		const none = applyEdits(lines, undefined);
		expect(none.lines.map((l) => [l.line.id, l.included, l.fresh])).toEqual([
			['a', true, false],
			['b', true, false],
			['c', true, false]
		]);
		const edited = applyEdits(lines, { reviewed: ['a', 'b'], included: ['a'], notes: { b: 'trùng', 'added:1': 'n' }, added: [{ id: 'added:1', name: 'X', reason: 'Y' }] });
		expect(edited.lines.map((l) => [l.line.id, l.included, l.fresh, l.note])).toEqual([
			['a', true, false, ''],
			['b', false, false, 'trùng'],
			['c', true, true, '']
		]);
		expect(edited.added).toEqual([{ added: { id: 'added:1', name: 'X', reason: 'Y' }, note: 'n' }]);
	});

	it('reads the form: ticked lines, notes, kept added lines and a new one', () => {
		const form = new FormData();
		for (const id of ['a', 'b']) form.append('line', id);
		form.append('include', 'b');
		form.append('note:a', 'ghi chú');
		form.append('added', 'added:old');
		form.append('addedName:added:old', 'Bỏ đi');
		form.append('added', 'added:kept');
		form.append('keep', 'added:kept');
		form.append('addedName:added:kept', 'Giữ lại');
		form.append('addedReason:added:kept', 'Lý do');
		form.append('newName', 'Mới');
		form.append('newReason', 'Tốt');
		form.append('newNote', 'NB');
		const edits = normalizeEdits(editsFromForm(form, () => 'n1'));
		expect(edits).toEqual({
			reviewed: ['a', 'b'],
			included: ['b'],
			notes: { a: 'ghi chú', 'added:n1': 'NB' },
			added: [
				{ id: 'added:kept', name: 'Giữ lại', reason: 'Lý do' },
				{ id: 'added:n1', name: 'Mới', reason: 'Tốt' }
			]
		});
		// Nothing typed in the new row adds nothing.
		const empty = new FormData();
		expect(normalizeEdits(editsFromForm(empty, () => 'n2')).added).toEqual([]);
	});
});
