// Who may read and change what, against the built server over HTTP: each subject (anonymous, each
// role, each device token) against each admin page, form action, export and API route. The table
// is data: one line per route, one column per subject. Reading and writing another team's or
// another commune's data must be refused; a failure prints every cell that differs.
//
// Commune A is the demo's Xã Đức Thọ (team A1 = Thôn Trung Hòa, the kiosk's demo team). The demo
// has one commune today, so the spec makes commune B beside it in the province, with a village B1
// and its team B1, as an admin would.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect, request, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { E2E_ADMIN_PASSWORD, E2E_BASE_URL, E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { createEnrolmentCode, enrollDevice, revokeDevice } from '../../src/lib/server/devices';
import { createUser } from '../../src/lib/server/users';
import { createUnit } from '../../src/lib/server/orgTree';
import { addMember, createTeam } from '../../src/lib/server/teams';
import { recordActivity } from '../../src/lib/server/activities';
import { localDateOf, periodOf } from '../../src/lib/domain/period';
import type { SessionTally } from '../../src/lib/domain/tally';

const COMMUNE_A = 'demo-xa-duc-tho';
const VILLAGE_A1 = 'demo-thon-trung-hoa';
const TEAM_A1 = 'demo-tung-anh-trung-hoa';

const SUBJECTS = ['anon', 'admin', 'offA', 'offB', 'leadA1', 'leadB1', 'devA1', 'devRevoked', 'devB1'] as const;
type Subject = (typeof SUBJECTS)[number];
/** 'ok' = 2xx; 'login' = 303 to the sign-in page; otherwise the HTTP status. */
type Outcome = 'ok' | 'login' | '401' | '403' | '404';

interface Row {
	method: 'GET' | 'POST';
	path: string;
	form?: Record<string, string>;
	json?: unknown;
	/** One outcome per subject, in SUBJECTS order, separated by spaces. */
	expect: string;
	/** Text that must not be in the page for these subjects when they may open it (another area's data). */
	hides?: { text: string; from: Subject[] };
}

const USER_PASSWORD = 'authz-password-1';
const suffix = randomBytes(3).toString('hex');
const period = periodOf(localDateOf(new Date()));

const VILLAGE_B1_NAME = `Thôn Phân Quyền ${suffix}`;
const TEAM_B1_NAME = `Tổ công nghệ số cộng đồng thôn Phân Quyền ${suffix}`;
// Made in beforeAll: commune B, its village B1 and team B1.
let COMMUNE_B = '';
let VILLAGE_B1 = '';
let TEAM_B1 = '';
const ids = { b1Member: '', b1Activity: '', spareB1Device: '', spareB1Label: `authz B1 ${suffix}` };
const tokens: Partial<Record<Subject, string>> = {};
const contexts = new Map<Subject, APIRequestContext>();

/** An empty but valid session tally: a long-past date, so it changes no current report. */
function tally(teamId: string): SessionTally {
	const zero = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
	const bands = ['under18', 'from18to39', 'from40to59', 'from60'] as const;
	return {
		schema: 1,
		sessionId: randomUUID(),
		version: 1,
		teamId,
		date: '2024-01-10',
		startedAt: '2024-01-10T01:00:00.000Z',
		endedAt: '2024-01-10T02:00:00.000Z',
		membersPresent: [],
		checkIns: 0,
		distinctResidents: 0,
		firstTimeResidents: 0,
		residentsByGender: zero(['male', 'female']),
		residentsByAgeBand: zero(bands),
		assists: 0,
		assistsByOutcome: zero(['done', 'partly', 'referred']),
		assistsBySkill: {},
		assistsByMember: {},
		assistsByGender: zero(['male', 'female']),
		assistsByAgeBand: zero(bands)
	} as SessionTally;
}

/** An empty monthly submission for a long-past period. */
function submission(teamId: string) {
	return { schema: 1, submissionId: randomUUID(), teamId, period: '2024-01', sessions: [], submittedAt: new Date().toISOString() };
}

function matrix(): Row[] {
	//                                                  anon   admin offA offB leadA1 leadB1 devA1 devRevoked devB1
	const page = (path: string, expect: string, hides?: Row['hides']): Row => ({ method: 'GET', path, expect, hides });
	const action = (path: string, form: Record<string, string>, expect: string): Row => ({ method: 'POST', path, form, expect });
	const SIGNED_IN = 'login ok ok ok ok ok login login login';
	const ADMIN_ONLY = 'login ok 403 403 403 403 login login login';
	const TEAM_B1_READERS = 'login ok 403 ok 403 ok login login login';
	const TEAM_B1_MANAGERS = 'login ok 403 ok 403 403 login login login';
	const COMMUNE_B_READERS = 'login ok 403 ok 403 403 login login login';
	const CROSS_TEAM = 'login 400 400 403 403 403 login login login';
	return [
		// Pages everyone signed in may open, showing only their own area.
		page('/admin', SIGNED_IN),
		page('/admin/teams', SIGNED_IN, { text: TEAM_B1_NAME, from: ['offA', 'leadA1'] }),
		page('/admin/units', SIGNED_IN, { text: VILLAGE_B1_NAME, from: ['offA', 'leadA1'] }),
		page('/admin/devices', SIGNED_IN, { text: ids.spareB1Label, from: ['offA', 'leadA1'] }),
		page('/admin/audit', ADMIN_ONLY),
		// Collecting tallies from QR codes (issue 15 §2): any signed-in user may scan; whose tablet's
		// codes they may store is judged per message (server/tallyQr.ts, unit-tested on both engines).
		page('/admin/collect', SIGNED_IN),
		action('/admin/collect?/collect', { message: 'TS1 NOT A MESSAGE' }, SIGNED_IN),
		// One team's pages: its leader, its commune's officer, the admin.
		page(`/admin/teams/${TEAM_A1}`, 'login ok ok 403 ok 403 login login login'),
		page(`/admin/teams/${TEAM_B1}`, TEAM_B1_READERS),
		page(`/admin/teams/${TEAM_B1}/activities`, TEAM_B1_READERS),
		page(`/admin/teams/${TEAM_B1}/badges`, TEAM_B1_READERS),
		page('/admin/teams/no-such-team', 'login 404 404 404 404 404 login login login'),
		// Reports: a commune's officer for the commune and its villages; a leader for their own village.
		page(`/admin/reports?unit=${COMMUNE_A}`, 'login ok ok 403 403 403 login login login'),
		page(`/admin/reports?unit=${COMMUNE_B}`, COMMUNE_B_READERS),
		// Across the reform: commune A's officer reads the months of the communes merged into it, not the ended district's.
		page('/admin/reports?unit=demo-xa-tung-anh&period=2025-05', 'login ok ok 403 403 403 login login login'),
		page('/api/v1/reports/monthly?unit=demo-tt-duc-tho&period=2025-05', '401 ok ok 403 403 403 401 401 401'),
		page('/admin/reports?unit=demo-duc-tho&period=2025-05', 'login ok 403 403 403 403 login login login'),
		page(`/admin/reports?unit=${VILLAGE_B1}`, 'login ok 403 ok 403 ok login login login'),
		page(`/admin/reports/print?unit=${COMMUNE_B}&period=${period}`, COMMUNE_B_READERS),
		page(`/admin/reports/export?unit=${COMMUNE_B}&period=${period}`, '401 ok 403 ok 403 403 401 401 401'),
		page(`/admin/reports/export?unit=${COMMUNE_B}&period=${period}&format=xlsx`, '401 ok 403 ok 403 403 401 401 401'),
		page(`/admin/reports/export?unit=${VILLAGE_A1}&period=${period}`, '401 ok ok 403 ok 403 401 401 401'),
		page(`/admin/commendations?unit=${COMMUNE_B}&period=${period}`, COMMUNE_B_READERS),
		page(`/admin/commendations/print?unit=${COMMUNE_B}&period=${period}`, COMMUNE_B_READERS),
		page(`/admin/commendations/export?unit=${COMMUNE_B}&period=${period}`, '401 ok 403 ok 403 403 401 401 401'),
		page('/admin/units/export', '403 ok 403 403 403 403 403 403 403'),
		page('/admin/units/changes', ADMIN_ONLY),
		page('/admin/settings', ADMIN_ONLY),
		// The default rule again: the admin's cell saves it unchanged.
		action('/admin/settings?/period', { startDay: '15', deadlineDay: '20' }, ADMIN_ONLY),
		// Villages' household counts (issue 14): the admin and officers, each officer for their own area.
		page('/admin/households', 'login ok ok ok 403 403 login login login', { text: VILLAGE_B1_NAME, from: ['offA'] }),
		// The skills catalog is the admin's alone.
		page('/admin/skills', ADMIN_ONLY),
		action('/admin/skills?/archive', { code: 'no_such_skill', active: '0' }, ADMIN_ONLY.replace(/^login ok/, 'login 400')),
		// Writing to team B1 (commune B): officer A and leader A1 are refused.
		action(`/admin/teams/${TEAM_B1}?/enrolmentCode`, {}, TEAM_B1_MANAGERS),
		action(`/admin/teams/${TEAM_B1}?/setPin`, { memberId: ids.b1Member, pin: '4821' }, TEAM_B1_MANAGERS),
		action(
			`/admin/teams/${TEAM_B1}/activities?/record`,
			{ kind: 'training', date: localDateOf(new Date()), title: `authz ${suffix}`, memberIds: ids.b1Member, peopleReached: '3', note: '' },
			'login ok 403 ok 403 ok login login login'
		),
		action(`/admin/teams/${TEAM_B1}/badges?/issueAll`, { mode: 'missing' }, TEAM_B1_MANAGERS),
		action('/admin/devices?/revoke', { deviceId: ids.spareB1Device }, 'login ok 403 ok 403 ok login login login'),
		action('/admin/units?/rename', { id: VILLAGE_B1, name: VILLAGE_B1_NAME }, COMMUNE_B_READERS),
		action('/admin/units?/create', { parentId: COMMUNE_B, name: `Thôn authz ${suffix}`, kind: 'village' }, COMMUNE_B_READERS),
		action('/admin/commendations?/save', { unit: COMMUNE_B, period }, COMMUNE_B_READERS),
		action('/admin/households?/record', { unitId: VILLAGE_B1, households: '120', countedOn: localDateOf(new Date()) }, COMMUNE_B_READERS),
		// A leader reads their village's proposal but may not edit it: the officer does (issue 10 §3).
		action('/admin/commendations?/save', { unit: VILLAGE_B1, period }, 'login ok 403 ok 403 403 login login login'),
		action('/admin/units?/import', {}, ADMIN_ONLY.replace(/^login ok/, 'login 400')),
		// Dated tree changes check no area on the server: the admin's alone (400: no file, no such change).
		action('/admin/units/changes?/preview', {}, ADMIN_ONLY.replace(/^login ok/, 'login 400')),
		action('/admin/units/changes?/apply', {}, ADMIN_ONLY.replace(/^login ok/, 'login 400')),
		action('/admin/units/changes?/undo', { changeId: 'no-such-change', basis: 'authz' }, ADMIN_ONLY.replace(/^login ok/, 'login 400')),
		action('/admin/units/changes?/recordPreview', { kind: 'dissolve' }, ADMIN_ONLY.replace(/^login ok/, 'login 400')),
		action('/admin/units/changes?/recordApply', {}, ADMIN_ONLY.replace(/^login ok/, 'login 400')),
		// Team B1's records through team A1's pages: A1's own managers are refused too (400: not in this team).
		action(`/admin/teams/${TEAM_A1}?/setPin`, { memberId: ids.b1Member, pin: '4821' }, CROSS_TEAM),
		action(`/admin/teams/${TEAM_A1}?/markLeft`, { memberId: ids.b1Member, leftOn: localDateOf(new Date()) }, CROSS_TEAM),
		action(`/admin/teams/${TEAM_A1}/badges?/revoke`, { memberId: ids.b1Member }, CROSS_TEAM),
		action(`/admin/teams/${TEAM_A1}/activities?/delete`, { id: ids.b1Activity }, 'login 400 400 403 400 403 login login login'),
		action(
			`/admin/teams/${TEAM_A1}/activities?/update`,
			{ id: ids.b1Activity, kind: 'training', date: localDateOf(new Date()), title: 'taken over', peopleReached: '1', note: '' },
			'login 400 400 403 400 403 login login login'
		),
		// Period approval (issue 13): the commune's officer and the admin act on the commune's teams and
		// period (400: the domain's refusal, e.g. nothing submitted), the province level is above the
		// commune officer; leaders and other communes are refused.
		page(`/admin/approvals?unit=${COMMUNE_A}`, 'login ok ok 403 403 403 login login login'),
		page(`/admin/approvals?unit=${COMMUNE_B}`, COMMUNE_B_READERS),
		action('/admin/approvals?/team', { unit: COMMUNE_B, period, teamId: TEAM_B1, action: 'approve' }, 'login 400 403 400 403 403 login login login'),
		action('/admin/approvals?/team', { unit: COMMUNE_B, period, teamId: TEAM_B1, action: 'return', note: 'authz' }, 'login 400 403 400 403 403 login login login'),
		action('/admin/approvals?/team', { unit: COMMUNE_B, period, teamId: TEAM_B1, action: 'reopen', note: 'authz' }, 'login 400 403 400 403 403 login login login'),
		action('/admin/approvals?/all', { unit: COMMUNE_B, period: '2024-01' }, COMMUNE_B_READERS),
		action('/admin/approvals?/unit', { unit: COMMUNE_B, period, level: 'commune', action: 'reopen', note: 'authz' }, 'login 400 403 400 403 403 login login login'),
		action('/admin/approvals?/unit', { unit: COMMUNE_B, period, level: 'province', action: 'approve' }, 'login 400 403 403 403 403 login login login'),
		// The JSON API: users by session cookie, tablets by bearer token.
		page(`/api/v1/reports/monthly?unit=${COMMUNE_B}&period=${period}`, '401 ok 403 ok 403 403 401 401 401'),
		page(`/api/v1/reports/monthly?unit=${VILLAGE_A1}&period=${period}`, '401 ok ok 403 ok 403 401 401 401'),
		page('/api/v1/config', '401 401 401 401 401 401 ok 401 ok'),
		{ method: 'POST', path: '/api/v1/tallies', json: tally(TEAM_B1), expect: '401 401 401 401 401 401 403 401 ok' },
		{ method: 'POST', path: '/api/v1/tallies', json: tally(TEAM_A1), expect: '401 401 401 401 401 401 ok 401 403' },
		// A team submits its own month only (a long-past period: no current report changes).
		{ method: 'POST', path: '/api/v1/submissions', json: submission(TEAM_B1), expect: '401 401 401 401 401 401 403 401 ok' },
		{ method: 'POST', path: '/api/v1/submissions', json: submission(TEAM_A1), expect: '401 401 401 401 401 401 ok 401 403' }
	];
}

function outcomeOf(response: APIResponse): string {
	const status = response.status();
	if (status === 303 && (response.headers()['location'] ?? '').startsWith('/admin/login')) return 'login';
	if (status >= 200 && status < 300) return 'ok';
	return String(status);
}

test.describe('authorisation matrix', () => {
	test.beforeAll(async () => {
		const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
		try {
			const now = new Date();
			const actor = 'system';
			const communeB = await createUnit(db, { name: `Xã Phân Quyền ${suffix}`, kind: 'commune', parentId: 'demo-ha-tinh', actor, now });
			const villageB1 = await createUnit(db, { name: VILLAGE_B1_NAME, kind: 'village', parentId: communeB.id, actor, now });
			const teamB1 = await createTeam(db, { unitId: villageB1.id, name: TEAM_B1_NAME, level: 'village', phase: 'expansion', establishedOn: '2023-06-01', actor, now });
			[COMMUNE_B, VILLAGE_B1, TEAM_B1] = [communeB.id, villageB1.id, teamB1.id];
			for (const [fullName, role] of [['Trưởng thôn B1', 'leader'], ['Bí thư chi đoàn B1', 'deputy'], ['Thành viên B1', 'member']] as const) {
				await addMember(db, { teamId: TEAM_B1, fullName, role, background: '', joinedOn: '2023-06-01', actor, now });
			}
			const user = (name: string, role: 'officer' | 'leader', scope: { unitId?: string; teamId?: string }) =>
				createUser(db, { username: `authz.${name}.${suffix}`, displayName: `authz ${name}`, password: USER_PASSWORD, role, ...scope, actor, now });
			await user('offa', 'officer', { unitId: COMMUNE_A });
			await user('offb', 'officer', { unitId: COMMUNE_B });
			await user('leada1', 'leader', { teamId: TEAM_A1 });
			await user('leadb1', 'leader', { teamId: TEAM_B1 });
			const enrol = async (teamId: string, label: string) => {
				const { code } = await createEnrolmentCode(db, { teamId, createdBy: null, now });
				const result = await enrollDevice(db, { code, label, now });
				if (!result.ok) throw new Error(`could not enrol a tablet for ${teamId}`);
				return result;
			};
			tokens.devA1 = (await enrol(TEAM_A1, `authz A1 ${suffix}`)).token;
			tokens.devB1 = (await enrol(TEAM_B1, `authz B1 main ${suffix}`)).token;
			const revoked = await enrol(TEAM_A1, `authz A1 old ${suffix}`);
			await revokeDevice(db, { deviceId: revoked.deviceId, actor, now });
			tokens.devRevoked = revoked.token;
			ids.spareB1Device = (await enrol(TEAM_B1, ids.spareB1Label)).deviceId;
			const member = await db.selectFrom('members').select('id').where('team_id', '=', TEAM_B1).where('role', '=', 'member').executeTakeFirstOrThrow();
			ids.b1Member = member.id;
			const activity = await recordActivity(db, {
				teamId: TEAM_B1,
				kind: 'outreach',
				date: localDateOf(now),
				title: `authz B1 ${suffix}`,
				memberIds: [member.id],
				peopleReached: 5,
				note: '',
				actor,
				now
			});
			ids.b1Activity = activity.id;
		} finally {
			await close();
		}

		// Form posts need the page's own Origin (SvelteKit refuses cross-site form posts), and to
		// accept HTML as a browser does (else SvelteKit answers as to an enhanced form, in JSON).
		const base = { baseURL: E2E_BASE_URL, extraHTTPHeaders: { origin: E2E_BASE_URL, accept: 'text/html' } };
		for (const subject of SUBJECTS) {
			const token = tokens[subject];
			const context = await request.newContext(token ? { ...base, extraHTTPHeaders: { ...base.extraHTTPHeaders, authorization: `Bearer ${token}` } } : base);
			const username = { admin: 'admin', offA: `authz.offa.${suffix}`, offB: `authz.offb.${suffix}`, leadA1: `authz.leada1.${suffix}`, leadB1: `authz.leadb1.${suffix}` }[subject as string];
			if (username) {
				const signIn = await context.post('/admin/login', {
					form: { username, password: subject === 'admin' ? E2E_ADMIN_PASSWORD : USER_PASSWORD },
					maxRedirects: 0
				});
				expect(signIn.status(), `${subject} signs in`).toBe(303);
			}
			contexts.set(subject, context);
		}
	});

	test.afterAll(async () => {
		for (const context of contexts.values()) await context.dispose();
	});

	test('each subject gets exactly what its role allows on every route', async () => {
		const rows = matrix();
		const table: string[] = [];
		const wrong: string[] = [];
		for (const row of rows) {
			const expected = row.expect.split(/\s+/) as Outcome[];
			expect(expected, `${row.method} ${row.path} needs one outcome per subject`).toHaveLength(SUBJECTS.length);
			const cells: string[] = [];
			for (const [i, subject] of SUBJECTS.entries()) {
				const context = contexts.get(subject)!;
				const response =
					row.method === 'GET'
						? await context.get(row.path, { maxRedirects: 0 })
						: await context.post(row.path, { maxRedirects: 0, ...(row.json !== undefined ? { data: row.json } : { form: row.form ?? {} }) });
				const actual = outcomeOf(response);
				cells.push(actual === expected[i] ? actual : `${actual}≠${expected[i]}`);
				if (actual !== expected[i]) wrong.push(`${subject.padEnd(10)} ${row.method} ${row.path}: got ${actual} (HTTP ${response.status()}), expected ${expected[i]}`);
				if (actual === 'ok' && row.hides?.from.includes(subject) && (await response.text()).includes(row.hides.text)) {
					wrong.push(`${subject.padEnd(10)} ${row.method} ${row.path}: shows "${row.hides.text}", outside their area`);
				}
			}
			table.push(`${`${row.method} ${row.path}`.padEnd(90)} ${cells.map((c) => c.padEnd(8)).join(' ')}`);
		}
		const header = `${''.padEnd(90)} ${SUBJECTS.map((s) => s.padEnd(8)).join(' ')}`;
		expect(wrong, `Cells that differ:\n${wrong.join('\n')}\n\nThe whole matrix:\n${header}\n${table.join('\n')}`).toEqual([]);
	});
	test("the dashboard's team and tablet counts cover the user's own area only", async () => {
		const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
		let communeA: { teams: number; devices: number };
		try {
			const units = await db.selectFrom('org_units').select(['id', 'parent_id']).execute();
			const inA = new Set([COMMUNE_A, ...units.filter((u) => u.parent_id === COMMUNE_A).map((u) => u.id)]);
			const teams = (await db.selectFrom('teams').select(['id', 'unit_id']).where('archived_at', 'is', null).execute()).filter((t) => inA.has(t.unit_id));
			const ids = new Set(teams.map((t) => t.id));
			const devices = (await db.selectFrom('devices').select('team_id').where('revoked_at', 'is', null).execute()).filter((d) => ids.has(d.team_id));
			communeA = { teams: teams.length, devices: devices.length };
		} finally {
			await close();
		}
		const figures = async (subject: Subject) => {
			const html = await (await contexts.get(subject)!.get('/admin')).text();
			const cell = (label: string) => Number(new RegExp(`${label}</dt>[^]*?<dd[^>]*>(\\d+)<`).exec(html)?.[1]);
			return { teams: cell('Tổ đang hoạt động'), devices: cell('Máy tính bảng đã kết nối') };
		};
		expect(await figures('offA')).toEqual(communeA);
		expect((await figures('leadA1')).teams).toBe(1);
		// Units in force only: the communes and the district the reform ended are not counted.
		const { db: again, close: closeAgain } = await openMigratedDatabase(E2E_DATABASE_URL);
		try {
			const inForce = (await again.selectFrom('org_units').select('id').where('archived_at', 'is', null).execute()).length;
			const html = await (await contexts.get('admin')!.get('/admin')).text();
			expect(Number(/Đơn vị<\/dt>[^]*?<dd[^>]*>(\d+)</.exec(html)?.[1])).toBe(inForce);
		} finally {
			await closeAgain();
		}
	});
	test('a refused page says why in Vietnamese, and a refused download too', async () => {
		const page = await contexts.get('leadA1')!.get(`/admin/teams/${TEAM_B1}`, { headers: { accept: 'text/html' } });
		expect(page.status()).toBe(403);
		// The admin error page, inside the admin layout: its heading and the reason the code stands for.
		expect(await page.text()).toContain('Không mở được trang này');
		expect(await page.text()).toContain('Tổ này nằm ngoài phạm vi của bạn.');
		const missing = await contexts.get('admin')!.get('/admin/teams/no-such-team', { headers: { accept: 'text/html' } });
		expect(await missing.text()).toContain('Không có tổ này.');
		const download = await contexts.get('offA')!.get('/admin/units/export', { headers: { accept: 'text/html' } });
		expect(download.status()).toBe(403);
		expect(await download.text()).toContain('Chỉ quản trị viên xuất được cả cây đơn vị.');
	});
});
