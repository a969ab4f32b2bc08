// The commendation proposal as the officer left it, as a CSV file (Vietnamese, opens in Excel):
// the kept proposed lines with their figures, then the lines added by hand.
import { applyEdits, type CommendationCategory, type CommendationEdits, type FigureKey } from '$lib/domain/commendation';
import { toCsv, type Cell } from '$lib/domain/csv';
import type { CommendationProposal } from './commendations';

export const CATEGORY_VI: Readonly<Record<CommendationCategory, string>> = {
	memberAssists: 'Thành viên hỗ trợ nhiều lượt người dân nhất',
	teamResidents: 'Tổ hỗ trợ nhiều lượt người dân nhất',
	teamFirstTime: 'Tổ hỗ trợ nhiều người dân lần đầu nhất',
	teamActivities: 'Tổ có nhiều hoạt động tập huấn, tuyên truyền, sáng kiến nhất',
	communityCollaborator: 'Người dân trở thành cộng tác viên (ước tính theo hồ sơ thành viên)',
	teamHouseholdsCovered: 'Tổ có nhiều hộ mới có người thành thạo 5 kỹ năng số cơ bản nhất'
};

const FIGURE_VI: Readonly<Record<FigureKey, string>> = {
	assists: 'Lượt hỗ trợ',
	sessions: 'Số phiên',
	residents: 'Lượt người dân',
	firstTimeResidents: 'Người dân lần đầu',
	activities: 'Hoạt động khác',
	peopleReached: 'Người được tiếp cận',
	householdsCovered: 'Hộ mới có người thành thạo',
	residentsProficient: 'Người dân mới thành thạo 5 kỹ năng'
};
const FIGURE_ORDER: readonly FigureKey[] = ['assists', 'sessions', 'residents', 'firstTimeResidents', 'activities', 'peopleReached', 'householdsCovered', 'residentsProficient'];

export const ADDED_LINE_VI = 'Đề xuất thêm';

/** Header, then one row per line proposed and kept, then the added lines; numbered from 1. */
export function commendationTable(proposal: CommendationProposal, edits: CommendationEdits | undefined): Cell[][] {
	const { lines, added } = applyEdits(proposal.lines, edits);
	const header: Cell[] = ['STT', 'Tên', 'Tổ', 'Đơn vị', 'Thành tích', 'Hạng', ...FIGURE_ORDER.map((k) => FIGURE_VI[k]), 'Ghi chú'];
	const rows: Cell[][] = [];
	for (const { line, note } of lines.filter((l) => l.included)) {
		const values = new Map(line.figures.map((f) => [f.key, f.value]));
		const s = line.subject;
		rows.push([
			rows.length + 1,
			s.name,
			s.type === 'member' ? s.teamName : '',
			s.unitName,
			CATEGORY_VI[line.category],
			line.rank,
			...FIGURE_ORDER.map((k) => values.get(k) ?? ''),
			note
		]);
	}
	for (const { added: a, note } of added) rows.push([rows.length + 1, a.name, '', '', a.reason || ADDED_LINE_VI, '', ...FIGURE_ORDER.map(() => ''), note]);
	return [header, ...rows];
}

export function commendationCsv(proposal: CommendationProposal, edits: CommendationEdits | undefined): string {
	return toCsv(commendationTable(proposal, edits));
}
