// The monthly report as files officers pass on: CSV (opens in Excel with Vietnamese intact) and
// a formatted Excel workbook. Both show the same table: one row per child unit, then the total.
import ExcelJS from 'exceljs';
import { ACTIVITY_KINDS, type ActivityKind, type ActivityTotals } from '$lib/domain/activity';
import { toCsv, type Cell } from '$lib/domain/csv';
import { formatDateVi, formatPeriodVi } from '$lib/domain/period';
import type { HouseholdCoverage, MonthlyReport, OutcomeTotals, ReportRow, TeamStatus, Totals } from './monthly';
import { REPORT_TIME_ZONE } from './monthly';
import type { ApprovalSummary } from '../approvals';

export const REPORT_TITLE = 'BÁO CÁO KẾT QUẢ HOẠT ĐỘNG TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG';
export const TOTAL_LABEL = 'Tổng cộng';

const COUNT_HEADERS = [
	'Số phiên',
	'Lượt điểm danh',
	'Người dân',
	'Lần đầu',
	'Lượt hỗ trợ',
	'Hoàn thành',
	'Một phần',
	'Chuyển nơi khác',
	'Nam',
	'Nữ',
	'Dưới 18',
	'18–39',
	'40–59',
	'60+'
] as const;

const countCells = (t: Totals): number[] => [
	t.sessions,
	t.checkIns,
	t.distinctResidents,
	t.firstTimeResidents,
	t.assists,
	t.assistsByOutcome.done,
	t.assistsByOutcome.partly,
	t.assistsByOutcome.referred,
	t.residentsByGender.male,
	t.residentsByGender.female,
	t.residentsByAgeBand.under18,
	t.residentsByAgeBand.from18to39,
	t.residentsByAgeBand.from40to59,
	t.residentsByAgeBand.from60
];

/** Activities other than help sessions, beside the sessions' counts. */
export const ACTIVITY_KIND_VI: Readonly<Record<ActivityKind, string>> = {
	training: 'Tập huấn',
	outreach: 'Tuyên truyền',
	initiative: 'Sáng kiến',
	dxTask: 'Nhiệm vụ CĐS'
};
export const PEOPLE_REACHED_VI = 'Người được tiếp cận';
const ACTIVITY_HEADERS = [...ACTIVITY_KINDS.map((k) => ACTIVITY_KIND_VI[k]), PEOPLE_REACHED_VI];
const activityCells = (a: ActivityTotals): number[] => [...ACTIVITY_KINDS.map((k) => a.byKind[k]), a.peopleReached];

/** The five basic skills' outcomes; a sum no session reported (schema 1 only) is a word, not 0. */
export const NOT_REPORTED_VI = 'Chưa báo cáo';
const OUTCOME_HEADERS = ['Người dân mới thành thạo 5 kỹ năng', 'Thành thạo từ đầu', 'Hộ mới có người thành thạo', 'Số hộ', 'Tỷ lệ hộ có người thành thạo (%)'] as const;
export const COUNT_BELOW_COVERED_VI = 'ít hơn số hộ đã có người thành thạo';
/** The villages' household count ('' when none was entered), flagged when below the households covered. */
const householdsCell = (c: HouseholdCoverage): Cell =>
	c.households === null ? '' : c.countBelowCovered ? `${c.households} (${COUNT_BELOW_COVERED_VI})` : c.households;
const orNotReported = (n: number | null): Cell => (n === null ? NOT_REPORTED_VI : n);
const outcomeCells = (o: OutcomeTotals, c: HouseholdCoverage): Cell[] => [
	orNotReported(o.residentsNewlyProficient),
	orNotReported(o.proficientSinceStart),
	orNotReported(o.householdsNewlyCovered),
	householdsCell(c),
	c.percent ?? ''
];

/** The report's table: header, one row per report row, the total. Shared by CSV and Excel. */
export function reportTable(report: MonthlyReport): Cell[][] {
	const header: Cell[] = ['Đơn vị', ...COUNT_HEADERS, ...ACTIVITY_HEADERS, ...OUTCOME_HEADERS, ...report.skills.map((s) => s.nameVi), 'Tổ đã báo cáo', 'Tổ đúng hạn'];
	const line = (label: string, r: Pick<ReportRow, 'totals' | 'completeness' | 'timeliness' | 'coverage'>): Cell[] => [
		label,
		...countCells(r.totals),
		...activityCells(r.totals.activities),
		...outcomeCells(r.totals.outcomes, r.coverage),
		...report.skills.map((s) => r.totals.assistsBySkill[s.code] ?? 0),
		// 'x/y tổ', not 'x/y': Excel would open a bare '5/6' from a CSV as the 5th of June.
		`${r.completeness.reported}/${r.completeness.active} tổ`,
		`${r.timeliness.onTime}/${r.timeliness.reported} tổ`
	];
	return [
		header,
		...report.rows.map((r) => line(r.name, r)),
		line(TOTAL_LABEL, { totals: report.total, completeness: report.completeness, timeliness: report.timeliness, coverage: report.coverage })
	];
}

export function reportCsv(report: MonthlyReport, approval: ApprovalSummary | null = null): string {
	const approvalRows = approvalTable(approval);
	return toCsv(approvalRows.length === 0 ? reportTable(report) : [...reportTable(report), [], ...approvalRows]);
}

// The approval state (issue 13), in the exports' Vietnamese.
const TEAM_STATE_VI = {
	not_started: 'Chưa bắt đầu',
	in_progress: 'Đang thực hiện',
	submitted: 'Đã gửi báo cáo',
	submitted_late: 'Gửi báo cáo muộn',
	changed_since_submitted: 'Có thay đổi sau khi gửi',
	returned: 'Bị trả lại',
	approved: 'Đã duyệt'
} as const;
const COMMUNE_STATE_VI = {
	not_started: 'Chưa tổ nào báo cáo',
	in_progress: 'Đang tổng hợp',
	ready: 'Đủ tổ đã duyệt, chờ xã duyệt kỳ',
	submitted: 'Xã đã duyệt, chờ tỉnh',
	returned: 'Tỉnh trả lại',
	approved: 'Tỉnh đã duyệt'
} as const;

/** One line saying where the report's approval stands. */
export function approvalLineVi(approval: ApprovalSummary): string {
	if (approval.kind === 'province') {
		return `Duyệt: tỉnh đã duyệt ${approval.approvedCommunes}/${approval.communes} xã, ${approval.submittedCommunes} xã đã gửi lên; ${approval.approvedTeams}/${approval.expectedTeams} tổ đã được xã duyệt.`;
	}
	const by = approval.approvals.map((a) => `${a.level === 'province' ? 'tỉnh' : 'xã'} duyệt bởi ${a.byName} lúc ${formatDateTimeVi(a.at)}`);
	return [`Duyệt: ${COMMUNE_STATE_VI[approval.state]}`, ...by, `tổ đã gửi ${approval.submitted}/${approval.expected}, đã duyệt ${approval.approvedTeams}/${approval.expected}`].join('; ') + '.';
}

/** The approval line, then (a commune) each team's report: state, when made and received, who approved when. */
export function approvalTable(approval: ApprovalSummary | null): Cell[][] {
	if (!approval) return [];
	const rows: Cell[][] = [[approvalLineVi(approval)]];
	if (approval.kind === 'commune') {
		rows.push(['Tổ', 'Trạng thái báo cáo kỳ', 'Lập lúc', 'Về máy chủ lúc', 'Duyệt bởi', 'Duyệt lúc', 'Buổi đến sau khi duyệt']);
		for (const t of approval.teams) {
			const at = (iso: string | null) => (iso ? formatDateTimeVi(iso) : '');
			rows.push([t.name, TEAM_STATE_VI[t.state], at(t.submittedAt), at(t.receivedAt), t.approvedBy ?? '', at(t.approvedAt), t.lateArrivals]);
		}
	}
	return rows;
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
	timeZone: REPORT_TIME_ZONE,
	day: '2-digit',
	month: '2-digit',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	hour12: false
});
/** 'dd/mm/yyyy hh:mm' in Vietnam's time. */
export function formatDateTimeVi(iso: string): string {
	return dateTimeFormat.format(new Date(iso)).replace(',', '');
}

const LEVEL_VI = { commune: 'Cấp xã', village: 'Cấp thôn' } as const;

function teamLine(t: TeamStatus): Cell[] {
	return [
		t.name,
		t.unitName,
		LEVEL_VI[t.level],
		t.sessions,
		t.totals.assists,
		t.totals.activities.count,
		t.totals.activities.peopleReached,
		t.reported ? 'Đã báo cáo' : 'Chưa báo cáo',
		t.firstReceivedAt ? formatDateTimeVi(t.firstReceivedAt) : '',
		t.onTime === null ? '' : t.onTime ? 'Đúng hạn' : 'Trễ hạn'
	];
}

const BOLD = { bold: true } as const;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE2E8F0' } };
const THIN: Partial<ExcelJS.Borders> = {
	top: { style: 'thin' },
	left: { style: 'thin' },
	bottom: { style: 'thin' },
	right: { style: 'thin' }
};

/** Adds `rows` as a bordered table whose first row is a bold, shaded header. */
function addTable(sheet: ExcelJS.Worksheet, rows: Cell[][], options: { boldLast?: boolean } = {}): void {
	rows.forEach((cells, i) => {
		const row = sheet.addRow(cells);
		const header = i === 0;
		const last = options.boldLast && i === rows.length - 1;
		row.eachCell((cell) => {
			cell.border = THIN;
			if (header) {
				cell.font = BOLD;
				cell.fill = HEADER_FILL;
				cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
			} else if (last) cell.font = BOLD;
		});
	});
}

export async function reportXlsx(report: MonthlyReport, approval: ApprovalSummary | null = null): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Trạm Số';
	workbook.created = new Date(report.generatedAt);

	const table = reportTable(report);
	const width = table[0]!.length;
	const sheet = workbook.addWorksheet('Báo cáo', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
	const { period } = report;
	const intro = [
		REPORT_TITLE,
		`Đơn vị: ${report.unit.path.join(' – ')}`,
		`Kỳ báo cáo: tháng ${formatPeriodVi(period.key)} (từ ${formatDateVi(period.first)} đến ${formatDateVi(period.last)}, hạn báo cáo ${formatDateVi(period.deadline)})`,
		`Tổ đã báo cáo: ${report.completeness.reported}/${report.completeness.active}; đúng hạn: ${report.timeliness.onTime}/${report.timeliness.reported}. Lập lúc ${formatDateTimeVi(report.generatedAt)}.`,
		...(approval ? [approvalLineVi(approval)] : [])
	];
	intro.forEach((text, i) => {
		const row = sheet.addRow([text]);
		sheet.mergeCells(row.number, 1, row.number, width);
		row.getCell(1).font = i === 0 ? { bold: true, size: 14 } : { italic: i > 1 };
		row.getCell(1).alignment = { horizontal: i === 0 ? 'center' : 'left' };
	});
	sheet.addRow([]);
	const headerRow = sheet.rowCount + 1;
	addTable(sheet, table, { boldLast: true });
	sheet.getRow(headerRow).height = 45;
	sheet.views = [{ state: 'frozen', xSplit: 1, ySplit: headerRow }];
	sheet.getColumn(1).width = 32;
	const firstSkill = 2 + COUNT_HEADERS.length + ACTIVITY_HEADERS.length + OUTCOME_HEADERS.length;
	for (let c = 2; c <= width; c++) sheet.getColumn(c).width = c >= firstSkill && c <= width - 2 ? 16 : 11;
	sheet.getColumn(width - 1).width = 14;
	sheet.getColumn(width).width = 14;

	const teams = workbook.addWorksheet('Các tổ');
	addTable(teams, [
		['Tổ', 'Đơn vị', 'Cấp', 'Số phiên', 'Lượt hỗ trợ', 'Hoạt động khác', PEOPLE_REACHED_VI, 'Báo cáo', 'Nhận lần đầu', 'Đúng hạn'],
		...report.teams.map(teamLine)
	]);
	teams.views = [{ state: 'frozen', ySplit: 1 }];
	[44, 28, 10, 10, 12, 14, 14, 14, 18, 12].forEach((w, i) => (teams.getColumn(i + 1).width = w));

	const approvalRows = approvalTable(approval);
	if (approvalRows.length > 1) {
		const sheetOfApproval = workbook.addWorksheet('Duyệt báo cáo');
		sheetOfApproval.addRow(approvalRows[0]!).getCell(1).font = BOLD;
		addTable(sheetOfApproval, approvalRows.slice(1));
		[44, 24, 18, 18, 24, 18, 14].forEach((w, i) => (sheetOfApproval.getColumn(i + 1).width = w));
	}

	return Buffer.from(await workbook.xlsx.writeBuffer());
}
