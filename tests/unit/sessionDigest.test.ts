// A period counted from its sessions' digests gives exactly what computeCounts gives over all the
// rows, as the leader view counted before digests: for any rows, including residents who came to
// several sessions, check-ins that do not say who the resident was (rows from before tablet
// database version 2) and a resident whose check-ins disagree about them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeCounts, type Outcome, type TallyAssist, type TallyResident } from '$lib/domain/tally';
import { countDigests, digestResidents, digestSession, residentsMissing, type DigestCheckIn } from '$lib/domain/sessionDigest';
import type { Gender } from '$lib/domain/resident';

interface Session {
	checkIns: DigestCheckIn[];
	assists: TallyAssist[];
}

const RESIDENTS = ['r1', 'r2', 'r3', 'r4', 'r5', '__proto__'];
const table: Map<string, TallyResident> = new Map(RESIDENTS.map((id, i) => [id, { id, gender: i % 2 ? 'male' : 'female', birthYear: 1940 + i * 15 }]));

const gender = fc.constantFrom<Gender>('male', 'female');
const checkIn = fc.record({
	residentId: fc.constantFrom(...RESIDENTS),
	firstVisit: fc.boolean(),
	// Snapshots mostly agree with the resident table; sometimes missing, sometimes different.
	who: fc.oneof(fc.constant('table' as const), fc.constant('none' as const), fc.record({ gender, birthYear: fc.integer({ min: 1920, max: 2020 }) }))
});
const assist = fc.record({
	residentId: fc.constantFrom(...RESIDENTS),
	memberId: fc.constantFrom('m1', 'm2', 'constructor'),
	skillCodes: fc.array(fc.constantFrom('vneid', 'bank', 'zalo', 'toString'), { minLength: 1, maxLength: 4 }),
	outcome: fc.constantFrom<Outcome>('done', 'partly', 'referred')
});
const session = fc.record({ checkIns: fc.array(checkIn, { maxLength: 8 }), assists: fc.array(assist, { maxLength: 10 }) }).map(
	({ checkIns, assists }): Session => {
		// As the tablet keeps them: one check-in per resident and session, an assist for a resident who checked in.
		const once = [...new Map(checkIns.map((c) => [c.residentId, c])).values()];
		const rows: DigestCheckIn[] = once.map(({ residentId, firstVisit, who }) =>
			who === 'none' ? { residentId, firstVisit } : who === 'table' ? { residentId, firstVisit, ...pick(table.get(residentId)!) } : { residentId, firstVisit, ...who }
		);
		const present = new Set(rows.map((c) => c.residentId));
		return { checkIns: rows, assists: assists.filter((a) => present.has(a.residentId)) };
	}
);
const pick = (r: TallyResident) => ({ gender: r.gender, birthYear: r.birthYear });

/** The leader view's way before digests: the period's rows together, residents from check-ins, else the table. */
function fromRows(sessions: Session[], atYear: number) {
	const checkIns = sessions.flatMap((s) => s.checkIns);
	const assists = sessions.flatMap((s) => s.assists);
	const residents = new Map<string, TallyResident>();
	for (const c of checkIns) if (c.gender && c.birthYear !== undefined) residents.set(c.residentId, { id: c.residentId, gender: c.gender, birthYear: c.birthYear });
	for (const row of [...checkIns, ...assists]) if (!residents.has(row.residentId)) residents.set(row.residentId, table.get(row.residentId)!);
	return {
		residents,
		total: computeCounts({ residents, checkIns, assists, atYear }),
		perSession: sessions.map((s) => computeCounts({ residents, checkIns: s.checkIns, assists: s.assists, atYear }))
	};
}

function fromDigests(sessions: Session[], atYear: number) {
	const digests = sessions.map((s) => structuredClone(digestSession(s.checkIns, s.assists)));
	const residents = digestResidents(digests);
	for (const id of residentsMissing(digests, residents)) residents.set(id, table.get(id)!);
	return { total: countDigests(digests, residents, atYear), perSession: digests.map((d) => countDigests([d], residents, atYear)) };
}

/** Records as plain objects with their keys in order (toEqual ignores key order; CSV columns do not). */
const plain = (c: object) => JSON.stringify(c, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : v));

describe('counting from session digests', () => {
	it('gives what computeCounts gives over the rows, for the period and each session', () => {
		fc.assert(
			fc.property(fc.array(session, { maxLength: 6 }), fc.integer({ min: 2000, max: 2040 }), (sessions, atYear) => {
				const rows = fromRows(sessions, atYear);
				const digests = fromDigests(sessions, atYear);
				expect(plain(digests.total)).toBe(plain(rows.total));
				expect(digests.perSession.map(plain)).toEqual(rows.perSession.map(plain));
			}),
			{ numRuns: 500 }
		);
	});

	it('counts a resident who came to two sessions once, with their latest check-in\'s gender and age', () => {
		const a: Session = { checkIns: [{ residentId: 'r1', firstVisit: true, gender: 'female', birthYear: 1950 }], assists: [{ residentId: 'r1', memberId: 'm1', skillCodes: ['vneid', 'vneid'], outcome: 'done' }] };
		const b: Session = { checkIns: [{ residentId: 'r1', firstVisit: false, gender: 'female', birthYear: 1990 }, { residentId: 'r2', firstVisit: true }], assists: [] };
		const { total } = fromDigests([a, b], 2026);
		expect(total).toMatchObject({
			checkIns: 3,
			distinctResidents: 2,
			firstTimeResidents: 2,
			residentsByGender: { female: 1, male: 1 }, // r2 from the table: male
			residentsByAgeBand: { under18: 0, from18to39: 1, from40to59: 0, from60: 1 },
			assists: 1,
			assistsByAgeBand: { under18: 0, from18to39: 1, from40to59: 0, from60: 0 } // 1990 wins over 1950
		});
		expect({ ...total.assistsBySkill }).toEqual({ vneid: 1 });
	});

	it('refuses to count a resident nobody knows, as computeCounts does', () => {
		const digest = digestSession([{ residentId: 'ghost', firstVisit: true }], []);
		expect(() => countDigests([digest], new Map(), 2026)).toThrow(/unknown resident ghost/);
	});
});
