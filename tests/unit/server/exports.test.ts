import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parseCsv } from '$lib/domain/csv';
import { formulaCells } from '../../fixtures/csvFormulas';
import { escapeXml, skillBarChart, trendLineChart } from '$lib/server/reports/charts';
import { REPORT_TITLE, reportCsv, reportXlsx } from '$lib/server/reports/exports';
import { emptyTotals, type HouseholdCoverage, type MonthlyReport, type Totals } from '$lib/server/reports/monthly';

const NO_COUNT: HouseholdCoverage = { households: null, uncounted: 2, covered: null, percent: null, countBelowCovered: false };

/** Outcomes of schema 2 sessions: residents newly proficient, since the start, households newly covered. */
function withOutcomes(t: Totals, proficient: number, sinceStart: number, covered: number): Totals {
	t.outcomes = { ...t.outcomes, reportedSessions: t.sessions, residentsNewlyProficient: proficient, proficientSinceStart: sinceStart, householdsNewlyCovered: covered };
	return t;
}

function totals(sessions: number, skills: Record<string, number>, outreach = 0): Totals {
	const t = emptyTotals();
	// Other activities: `outreach` events reaching 40 people each, and one training per 2 sessions.
	t.activities = { count: outreach + Math.floor(sessions / 2), byKind: { training: Math.floor(sessions / 2), outreach, initiative: 0, dxTask: 0 }, peopleReached: outreach * 40 };
	t.sessions = sessions;
	t.checkIns = sessions * 12;
	t.distinctResidents = sessions * 11;
	t.firstTimeResidents = sessions * 4;
	t.residentsByGender = { male: sessions * 4, female: sessions * 7 };
	t.residentsByAgeBand = { under18: 0, from18to39: sessions, from40to59: sessions * 4, from60: sessions * 6 };
	t.assists = sessions * 13;
	t.assistsByOutcome = { done: sessions * 10, partly: sessions * 2, referred: sessions };
	Object.assign(t.assistsBySkill, skills);
	return t;
}

const report: MonthlyReport = {
	unit: { id: 'd', name: 'Huyện Đức Thọ', kind: 'district', path: ['Tỉnh Hà Tĩnh', 'Huyện Đức Thọ'] },
	period: { key: '2025-08', first: '2025-07-15', last: '2025-08-14', deadline: '2025-08-20' },
	generatedAt: '2025-08-21T02:30:00.000Z',
	// Đức Thọ town's tablets are not updated yet (schema 1): its outcomes are not reported.
	total: withOutcomes(totals(5, { vneid_install: 40, vssid: 3 }, 3), 4, 9, 2),
	rows: [
		{
			kind: 'unit',
			id: 'c1',
			name: 'Xã Tùng Ảnh, "mới"',
			unitKind: 'commune',
			totals: withOutcomes(totals(3, { vneid_install: 30 }, 3), 4, 9, 2),
			completeness: { reported: 2, active: 3 },
			timeliness: { onTime: 1, reported: 2 },
			// Its villages count 300 households; 5 have someone proficient.
			coverage: { households: 300, uncounted: 0, covered: 5, percent: 1.7, countBelowCovered: false }
		},
		{
			kind: 'unit',
			id: 'c2',
			name: '=Thị trấn Đức Thọ',
			unitKind: 'town',
			totals: totals(2, { vneid_install: 10, vssid: 3 }),
			completeness: { reported: 1, active: 1 },
			timeliness: { onTime: 1, reported: 1 },
			coverage: NO_COUNT
		}
	],
	teams: [
		{ id: 't1', name: 'Tổ công nghệ số cộng đồng xã Tùng Ảnh', unitId: 'c1', unitName: 'Xã Tùng Ảnh', level: 'commune', sessions: 3, totals: totals(3, {}, 3), reported: true, firstReceivedAt: '2025-08-20T16:59:00.000Z', onTime: true },
		{ id: 't2', name: 'Tổ công nghệ số cộng đồng thôn Trung Hòa', unitId: 'v1', unitName: 'Thôn Trung Hòa', level: 'village', sessions: 0, totals: emptyTotals(), reported: false, firstReceivedAt: null, onTime: null }
	],
	completeness: { reported: 3, active: 4 },
	timeliness: { onTime: 2, reported: 3 },
	// A count entered long ago: below what the tablets have covered since.
	coverage: { households: 4, uncounted: 2, covered: 5, percent: 125, countBelowCovered: true },
	skills: [
		{ code: 'vneid_install', nameVi: 'Cài đặt VNeID', nameEn: 'Install VNeID', assists: 40 },
		{ code: 'vssid', nameVi: 'Bảo hiểm xã hội số VssID', nameEn: 'VssID', assists: 3 }
	]
};

const HEADER = [
	'Đơn vị', 'Số phiên', 'Lượt điểm danh', 'Người dân', 'Lần đầu', 'Lượt hỗ trợ', 'Hoàn thành', 'Một phần', 'Chuyển nơi khác',
	'Nam', 'Nữ', 'Dưới 18', '18–39', '40–59', '60+', 'Tập huấn', 'Tuyên truyền', 'Sáng kiến', 'Nhiệm vụ CĐS', 'Người được tiếp cận', 'Người dân mới thành thạo 5 kỹ năng', 'Thành thạo từ đầu', 'Hộ mới có người thành thạo', 'Số hộ', 'Tỷ lệ hộ có người thành thạo (%)', 'Cài đặt VNeID', 'Bảo hiểm xã hội số VssID', 'Tổ đã báo cáo', 'Tổ đúng hạn'
];

describe('report CSV', () => {
	it('reads back: BOM, Vietnamese header, a row per unit with its other activities, the total', () => {
		const csv = reportCsv(report);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		const rows = parseCsv(csv);
		expect(rows[0]).toEqual(HEADER);
		expect(rows).toHaveLength(4);
		expect(rows[1]).toEqual(['Xã Tùng Ảnh, "mới"', '3', '36', '33', '12', '39', '30', '6', '3', '12', '21', '0', '3', '12', '18', '1', '3', '0', '0', '120', '4', '9', '2', '300', '1.7', '30', '0', '2/3 tổ', '1/2 tổ']);
		// A name that Excel would run as a formula is defused.
		expect(rows[2]![0]).toBe("'=Thị trấn Đức Thọ");
		// The town row had no other activities: zeros, not blanks.
		expect(rows[2]!.slice(15, 20)).toEqual(['1', '0', '0', '0', '0']);
		// Schema 1 only: the outcome columns say so, not 0.
		expect(rows[2]!.slice(20, 25)).toEqual(['Chưa báo cáo', 'Chưa báo cáo', 'Chưa báo cáo', '', '']);
		expect(rows[3]).toEqual(['Tổng cộng', '5', '60', '55', '20', '65', '50', '10', '5', '20', '35', '0', '5', '20', '30', '2', '3', '0', '0', '120', '4', '9', '2', '4 (ít hơn số hộ đã có người thành thạo)', '125', '40', '3', '3/4 tổ', '2/3 tổ']);
	});

	it("starts no formula when Excel reads it with ',' or with ';' as separator (issue 10)", () => {
		const hostile = ['A;=1+1;', 'Thôn;@SUM(A1)', 'Xã\n-2+3', 'x;"=cmd|\' /C calc\'!A0"'];
		const rows = hostile.map((name, i) => ({ ...report.rows[0]!, id: `h${i}`, name }));
		const skills = [{ code: 'evil', nameVi: 'Kỹ năng;+1', nameEn: '', assists: 0 }];
		const csv = reportCsv({ ...report, rows, skills });
		expect(formulaCells(csv)).toEqual([]);
		// The names are all there, readable, with an apostrophe before what would have run.
		expect(parseCsv(csv).slice(1, 5).map((r) => r[0])).toEqual(["A;'=1+1; ", "Thôn;'@SUM(A1)", "Xã\n'-2+3", 'x;"\'=cmd|\' /C calc\'!A0"']);
	});
});

describe('report Excel', () => {
	it('has the title, the unit and period, a bold header, the total, and the teams sheet', async () => {
		const buffer = await reportXlsx(report);
		expect(buffer.subarray(0, 2).toString()).toBe('PK'); // a zip
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
		const sheet = workbook.getWorksheet('Báo cáo')!;
		expect(sheet.getCell('A1').value).toBe(REPORT_TITLE);
		expect(String(sheet.getCell('A2').value)).toContain('Huyện Đức Thọ');
		expect(String(sheet.getCell('A3').value)).toContain('08/2025');
		expect(String(sheet.getCell('A3').value)).toContain('15/07/2025');
		const headerRow = sheet.getRow(6);
		expect((headerRow.values as unknown[]).slice(1)).toEqual(HEADER);
		expect(headerRow.getCell(1).font?.bold).toBe(true);
		const total = sheet.getRow(9);
		expect(total.getCell(1).value).toBe('Tổng cộng');
		expect(total.getCell(6).value).toBe(65); // Lượt hỗ trợ, a number
		expect(total.getCell(HEADER.length).value).toBe('2/3 tổ');
		expect(total.getCell(HEADER.indexOf('Người được tiếp cận') + 1).value).toBe(120);
		expect(total.getCell(HEADER.indexOf('Tuyên truyền') + 1).value).toBe(3);
		expect(sheet.getColumn(1).width).toBeGreaterThan(20);

		const teams = workbook.getWorksheet('Các tổ')!;
		expect(teams.getRow(1).getCell(7).value).toBe('Người được tiếp cận');
		expect(teams.getRow(2).getCell(1).value).toBe('Tổ công nghệ số cộng đồng xã Tùng Ảnh');
		expect(teams.getRow(2).getCell(6).value).toBe(4); // 3 outreach events and a training
		expect(teams.getRow(2).getCell(7).value).toBe(120);
		expect(teams.getRow(2).getCell(9).value).toBe('20/08/2025 23:59');
		expect(teams.getRow(2).getCell(10).value).toBe('Đúng hạn');
		expect(teams.getRow(3).getCell(6).value).toBe(0);
		expect(teams.getRow(3).getCell(8).value).toBe('Chưa báo cáo');
	});
});

/** Well-formed enough for the browser's XML parser: tags nest, no raw '<' or stray '&' in text. */
function checkWellFormed(svg: string): void {
	const stack: string[] = [];
	const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
	let i = 0;
	while (i < svg.length) {
		const lt = svg.indexOf('<', i);
		const text = svg.slice(i, lt === -1 ? svg.length : lt);
		expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|#39);)/);
		if (lt === -1) break;
		tag.lastIndex = lt;
		const m = tag.exec(svg);
		expect(m, `bad tag at ${svg.slice(lt, lt + 40)}`).not.toBeNull();
		const [whole, close, name, attrs, selfClose] = m!;
		expect(attrs).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
		if (close) expect(stack.pop()).toBe(name);
		else if (!selfClose) stack.push(name!);
		i = lt + whole.length;
	}
	expect(stack).toEqual([]);
}

describe('report charts', () => {
	const nasty = 'Thôn <script>alert("x")</script> & "Đông" \'Thịnh\'\u0001';

	it('draws accessible, well-formed bars with escaped labels', () => {
		const svg = skillBarChart(
			[
				{ label: 'Cài đặt VNeID', value: 40 },
				{ label: nasty, value: 3 },
				{ label: 'Chữ ký số', value: 0 }
			],
			{ title: 'Kỹ năng <tháng 08/2025>' }
		);
		checkWellFormed(svg);
		expect(svg).toMatch(/^<svg [^>]*role="img"/);
		expect(svg).toContain('<title id="chart-skills-title">Kỹ năng &lt;tháng 08/2025&gt;</title>');
		expect(svg).not.toContain('<script');
		expect(svg).toContain('&lt;script&gt;');
		expect(svg).toContain('Cài đặt VNeID');
		expect(svg.match(/<rect /g)).toHaveLength(3);
	});

	it('draws a well-formed line over the months, and an empty chart when there is nothing', () => {
		const points = Array.from({ length: 12 }, (_, i) => ({ label: `${String(i + 1).padStart(2, '0')}/2025`, value: i * 7 }));
		const svg = trendLineChart(points);
		checkWellFormed(svg);
		expect(svg).toContain('role="img"');
		expect(svg).toContain('<polyline');
		expect(svg.match(/<circle /g)).toHaveLength(12);
		expect(svg).toContain('01/2025');
		checkWellFormed(trendLineChart([{ label: nasty, value: Number.NaN }], { id: 'x"y' }));
		for (const empty of [skillBarChart([]), trendLineChart([])]) {
			checkWellFormed(empty);
			expect(empty).toContain('Chưa có số liệu');
		}
	});

	it('escapes the five XML specials and drops control characters', () => {
		expect(escapeXml(`<a href="x">&'\u0000`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
	});
});
