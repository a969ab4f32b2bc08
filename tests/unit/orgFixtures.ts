// The seed's pilot before the 2025 reform, as a dated history: Tỉnh Hà Tĩnh › Huyện Đức Thọ ›
// Thị trấn Đức Thọ, Xã Tùng Ảnh, Xã Hòa Lạc, Xã Tân Dân (with villages and teams), from 2022.
// Codes are illustrative, not the official ones.
import { historyFromCurrent, type OrgUnitKind, type TeamLevel } from '../../src/lib/domain/orgHistory';
import type { OrgChange } from '../../src/lib/domain/orgChange';

const unit = (id: string, name: string, kind: OrgUnitKind, parentId: string | null, code: string | null = null) => ({ id, name, kind, parentId, code });
const team = (id: string, unitId: string, level: TeamLevel) => ({ id, unitId, level, establishedOn: '2022-03-15' });

export const DUC_THO_UNITS = [
	unit('ht', 'Tỉnh Hà Tĩnh', 'province', null, '42'),
	unit('h-dt', 'Huyện Đức Thọ', 'district', 'ht', 'H-DT'),
	unit('h-cl', 'Huyện Can Lộc', 'district', 'ht', 'H-CL'),
	unit('tt-dt', 'Thị trấn Đức Thọ', 'town', 'h-dt', 'TT-DT'),
	unit('x-ta', 'Xã Tùng Ảnh', 'commune', 'h-dt', 'X-TA'),
	unit('x-hl', 'Xã Hòa Lạc', 'commune', 'h-dt', 'X-HL'),
	unit('x-td', 'Xã Tân Dân', 'commune', 'h-dt', 'X-TD'),
	unit('x-yh', 'Xã Yên Hồ', 'commune', 'h-dt', 'X-YH'),
	unit('tdp-1', 'Tổ dân phố 1', 'residentialGroup', 'tt-dt', 'TDP1'),
	unit('tdp-2', 'Tổ dân phố 2', 'residentialGroup', 'tt-dt', 'TDP2'),
	unit('th-tt', 'Thôn Trung Tiến', 'village', 'x-ta', 'TH-TT'),
	unit('th-dl', 'Thôn Đông Lạc', 'village', 'x-ta', 'TH-DL'),
	unit('x-cl', 'Xã Vượng Lộc', 'commune', 'h-cl', 'X-VL')
];

export const DUC_THO_TEAMS = [
	team('team-tt', 'tt-dt', 'commune'),
	team('team-ta', 'x-ta', 'commune'),
	team('team-tdp1', 'tdp-1', 'village'),
	team('team-tdp2', 'tdp-2', 'village'),
	team('team-trung-tien', 'th-tt', 'village'),
	team('team-dong-lac', 'th-dl', 'village'),
	team('team-hl', 'x-hl', 'commune'),
	team('team-vl', 'x-cl', 'commune')
];

export const before2025 = () => historyFromCurrent(DUC_THO_UNITS, DUC_THO_TEAMS, '2022-01-01');

export const RESOLUTION_1656 = '1656/NQ-UBTVQH15';
export const JULY_2025 = '2025-07-01';

/** xã Đức Thọ = thị trấn Đức Thọ + xã Tùng Ảnh + xã Hòa Lạc + xã Tân Dân, under the province. */
export const MERGE_DUC_THO: OrgChange = {
	kind: 'merge',
	id: 'c-merge',
	effectiveOn: JULY_2025,
	basis: RESOLUTION_1656,
	sourceIds: ['tt-dt', 'x-ta', 'x-hl', 'x-td'],
	into: { newUnit: { id: 'x-dt', name: 'Xã Đức Thọ', kind: 'commune', code: 'X-DT', parentId: 'ht' } }
};

/** The district level ends; what is left under it moves up to the province. */
export const DISSOLVE_DISTRICT: OrgChange = { kind: 'dissolve', id: 'c-dissolve', effectiveOn: JULY_2025, basis: '203/2025/QH15', unitId: 'h-dt' };
