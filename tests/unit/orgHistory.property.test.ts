// The issue's property: random merges, splits, renames, moves (and dissolutions and undos) over a
// random tree with random tallies never lose or double-count a tally at any node for any period,
// and a period that ended before a change reports the same after it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { historyFromCurrent, KIND_RANK, teamLevelOfKind, treeAsOf, type OrgHistory, type OrgUnitKind } from '$lib/domain/orgHistory';
import { planChange, reverseChange, type NewUnit, type OrgChange } from '$lib/domain/orgChange';
import { NUMBER_SUM, rollUpForTrend, rollUpPeriod, type DatedTally } from '$lib/domain/orgRollup';
import { periodRange, shiftPeriod } from '$lib/domain/period';

const KINDS_BY_RANK: OrgUnitKind[][] = [['province'], ['district'], ['commune', 'ward', 'town'], ['village', 'residentialGroup']];
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const PERIODS = Array.from({ length: 40 }, (_, i) => periodRange(shiftPeriod('2024-01', i)));
const TODAY = '2027-12-31';

/** A random tree under one province, some units with a team. */
const treeArb = fc
	.array(fc.record({ parent: fc.nat(), kind: fc.nat(), rank: fc.nat(2), team: fc.boolean() }), { minLength: 3, maxLength: 14 })
	.map((specs) => {
		const units = [{ id: 'u0', name: 'Tỉnh 0', kind: 'province' as OrgUnitKind, code: 'C0', parentId: null as string | null }];
		specs.forEach((s, i) => {
			const parents = units.filter((u) => KIND_RANK[u.kind] < 3);
			const parent = parents[s.parent % parents.length]!;
			const rank = Math.min(3, KIND_RANK[parent.kind] + 1 + s.rank);
			const kinds = KINDS_BY_RANK[rank]!;
			units.push({ id: `u${i + 1}`, name: `Đơn vị ${i + 1}`, kind: kinds[s.kind % kinds.length]!, code: `C${i + 1}`, parentId: parent.id });
		});
		const teams = units.flatMap((u, i) => {
			const level = teamLevelOfKind(u.kind);
			return level && specs[i - 1]?.team !== false ? [{ id: `t${i}`, unitId: u.id, level, establishedOn: '2024-01-01' }] : [];
		});
		return { units, teams };
	});

const opArb = fc.record({ op: fc.nat(5), a: fc.nat(), b: fc.nat(), c: fc.nat(), bits: fc.nat(), step: fc.oneof(fc.constant(0), fc.nat(120)) });

/** The next change's day; often the last or first day of a period (the 14th, the 15th), where an
 * off-by-one would show. */
const nextDay = (day: string, op: { step: number; bits: number }) => {
	const next = addDays(day, op.step);
	const edge = op.bits % 4;
	return edge < 2 ? `${next.slice(0, 8)}${edge === 0 ? '14' : '15'}` : next;
};

type Op = { op: number; a: number; b: number; c: number; bits: number; step: number };

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);

/** Turns random numbers into a change that makes sense for the tree of `day` (it may still be refused). */
function changeFor(history: OrgHistory, day: string, op: Op, n: number): OrgChange | null {
	const tree = treeAsOf(history, day);
	const units = tree.units.sort((x, y) => (x.id < y.id ? -1 : 1));
	const base = { id: `c${n}`, effectiveOn: day, basis: `NQ ${n}` };
	const unit = pick(units, op.a);
	if (!unit) return null;
	const sameRank = units.filter((u) => KIND_RANK[u.kind] === KIND_RANK[unit.kind]);
	const fresh = (k: number): NewUnit => ({ id: `n${n}-${k}`, name: `Mới ${n}-${k}`, kind: unit.kind, code: `N${n}-${k}`, parentId: unit.parentId });
	switch (op.op) {
		case 0:
			return { ...base, kind: 'rename', unitId: unit.id, name: `${unit.name}′` };
		case 1: {
			const parent = pick(units.filter((u) => KIND_RANK[u.kind] < KIND_RANK[unit.kind]), op.b);
			return parent ? { ...base, kind: 'move', unitId: unit.id, parentId: parent.id } : null;
		}
		case 2: {
			const others = sameRank.filter((u) => u.id !== unit.id);
			const second = pick(others, op.b);
			if (!second) return null;
			const sourceIds = [unit.id, second.id];
			const target = pick(others.filter((u) => u.id !== second.id), op.c);
			const into = op.bits % 2 === 0 || !target ? { newUnit: fresh(0) } : { unitId: target.id };
			return { ...base, kind: 'merge', sourceIds, into };
		}
		case 3: {
			const keep = op.bits % 2 === 0;
			const partCount = 2 + (op.c % 2);
			const parts = Array.from({ length: partCount }, (_, k) => ({
				unit: k === 0 && keep ? { unitId: unit.id } : { newUnit: fresh(k) },
				teamIds: [] as string[],
				childIds: [] as string[]
			}));
			tree.teamsOf(unit.id).forEach((t, i) => parts[(op.bits >> (i + 1)) % partCount]!.teamIds.push(t));
			tree.children(unit.id).forEach((c, i) => parts[(op.b >> i) % partCount]!.childIds.push(c));
			return { ...base, kind: 'split', unitId: unit.id, parts };
		}
		case 4:
			return { ...base, kind: 'dissolve', unitId: unit.id };
		default: {
			const done = history.changes.filter((c) => c.kind !== 'reverse');
			const target = pick(done, op.b);
			return target ? reverseChange(history, target.id, { id: base.id, basis: base.basis, effectiveOn: op.c % 2 === 0 ? target.effectiveOn : day }) : null;
		}
	}
}

/** validFrom inclusive, validTo exclusive: written out again so the check does not share the code it checks. */
const inForce = (s: { validFrom: string; validTo: string | null }, day: string) => s.validFrom <= day && (s.validTo === null || day < s.validTo);

/** Each unit's total worked out the plain way: the team's placement on the last day, then the
 * parent of each unit version in force that day, up to a root. */
function expectedTotals(history: OrgHistory, last: string, tallies: readonly DatedTally<number>[]): Map<string, number> {
	const out = new Map<string, number>();
	for (const tally of tallies) {
		const placements = history.placements.filter((p) => p.teamId === tally.teamId && inForce(p, last));
		expect(placements.length).toBe(1);
		let unitId: string | null = placements[0]!.unitId;
		while (unitId !== null) {
			const id: string = unitId;
			const versions = history.versions.filter((v) => v.unitId === id && inForce(v, last));
			expect(versions.length).toBe(1);
			out.set(id, (out.get(id) ?? 0) + tally.counts);
			unitId = versions[0]!.parentId;
		}
	}
	return out;
}

/** What a period's report shows: each unit's path of names and its total. */
function reportShape(history: OrgHistory, period: { first: string; last: string }, tallies: readonly DatedTally<number>[]): string[] {
	const { tree, byUnit } = rollUpPeriod(history, period, tallies, NUMBER_SUM);
	return [...byUnit].map(([id, n]) => `${tree.path(id).map((u) => `${u.name}#${u.code}`).join(' › ')} = ${n}`).sort();
}

function checkSpans(history: OrgHistory): void {
	const byKey = new Map<string, { validFrom: string; validTo: string | null }[]>();
	for (const v of history.versions) byKey.set(`u:${v.unitId}`, [...(byKey.get(`u:${v.unitId}`) ?? []), v]);
	for (const p of history.placements) byKey.set(`t:${p.teamId}`, [...(byKey.get(`t:${p.teamId}`) ?? []), p]);
	for (const [key, spans] of byKey) {
		const sorted = [...spans].sort((x, y) => (x.validFrom < y.validFrom ? -1 : 1));
		sorted.forEach((s, i) => {
			expect(s.validTo === null || s.validFrom < s.validTo, `${key} has an empty span`).toBe(true);
			const next = sorted[i + 1];
			if (next) expect(s.validTo !== null && s.validTo <= next.validFrom, `${key} overlaps itself`).toBe(true);
			// A team is never without a unit: its placements follow one another without a gap.
			if (next && key.startsWith('t:')) expect(s.validTo).toBe(next.validFrom);
		});
		if (key.startsWith('t:')) expect(sorted[sorted.length - 1]!.validTo).toBeNull();
	}
}

const applied: Record<string, number> = {};

describe('property: a tally is counted once at every node of its path, for every period, whatever the changes', () => {
	it('random changes over a random tree with random tallies', () => {
		fc.assert(
			fc.property(
				treeArb,
				fc.array(opArb, { maxLength: 12 }),
				fc.array(fc.record({ team: fc.nat(), day: fc.nat(1000), n: fc.integer({ min: 1, max: 9 }) }), { maxLength: 60 }),
				({ units, teams }, ops, rawTallies) => {
					let history = historyFromCurrent(units, teams, '2024-01-01');
					const tallies: DatedTally<number>[] =
						teams.length === 0 ? [] : rawTallies.map((t) => ({ teamId: teams[t.team % teams.length]!.id, date: addDays('2024-01-01', t.day), counts: t.n }));
					let reports = PERIODS.map((p) => reportShape(history, p, tallies));
					let day = '2024-02-01';
					for (const [n, op] of ops.entries()) {
						// Now and then a change dated back before the latest (allowed if nothing later depends on it).
						const back = op.bits % 5 === 4;
						if (!back) day = [day, nextDay(day, op)].sort()[1]!;
						const change = changeFor(history, back ? addDays(day, -op.step) : day, op, n);
						if (!change) continue;
						const frozen = JSON.stringify(history);
						const result = planChange(history, change);
						expect(JSON.stringify(history)).toBe(frozen);
						if (!result.ok) continue;
						applied[change.kind] = (applied[change.kind] ?? 0) + 1;
						history = result.history;
						checkSpans(history);
						const next = PERIODS.map((p) => reportShape(history, p, tallies));
						PERIODS.forEach((p, i) => {
							if (p.last < change.effectiveOn) expect(next[i], `period ${p.key} moved`).toEqual(reports[i]);
						});
						reports = next;
					}
					for (const period of PERIODS) {
						const inPeriod = tallies.filter((t) => t.date >= period.first && t.date <= period.last);
						const total = inPeriod.reduce((s, t) => s + t.counts, 0);
						const report = rollUpPeriod(history, period, tallies, NUMBER_SUM);
						expect(report.unplaced).toEqual([]);
						expect(report.tree.roots().reduce((s, r) => s + (report.byUnit.get(r.id) ?? 0), 0)).toBe(total);
						expect(report.byUnit).toEqual(expectedTotals(history, period.last, inPeriod));
						// Each node is its own teams plus its children: nothing counted twice on the way up.
						for (const unit of report.tree.units) {
							const own = inPeriod.filter((t) => report.tree.unitOfTeam(t.teamId) === unit.id).reduce((s, t) => s + t.counts, 0);
							const below = report.tree.children(unit.id).reduce((s, c) => s + (report.byUnit.get(c) ?? 0), 0);
							expect(report.byUnit.get(unit.id) ?? 0).toBe(own + below);
						}
						const trend = rollUpForTrend(history, period, TODAY, tallies, NUMBER_SUM);
						expect(trend.unplaced).toEqual([]);
						expect(trend.tree.roots().reduce((s, r) => s + (trend.byUnit.get(r.id) ?? 0), 0)).toBe(total);
						expect(trend.byUnit).toEqual(expectedTotals(history, TODAY, inPeriod));
					}
				}
			),
			{ numRuns: 120 }
		);
		// The runs did exercise every kind of change.
		for (const kind of ['rename', 'move', 'merge', 'split', 'dissolve', 'reverse']) expect(applied[kind] ?? 0, kind).toBeGreaterThan(10);
	}, 60_000);

	it('undoing the latest change on its own date gives back every day’s tree', () => {
		fc.assert(
			fc.property(treeArb, fc.array(opArb.filter((o) => o.op !== 5), { maxLength: 8 }), ({ units, teams }, ops) => {
				let history = historyFromCurrent(units, teams, '2024-01-01');
				let day = '2024-02-01';
				for (const [n, op] of ops.entries()) {
					day = [day, nextDay(day, op)].sort()[1]!;
					const change = changeFor(history, day, op, n);
					const result = change && planChange(history, change);
					if (!result?.ok) continue;
					const undo = planChange(result.history, reverseChange(result.history, change!.id, { id: `undo${n}`, basis: 'x' })!);
					expect(undo.ok).toBe(true);
					if (!undo.ok) return;
					for (const d of [addDays(day, -1), day, addDays(day, 1), TODAY]) {
						const was = treeAsOf(history, d);
						const now = treeAsOf(undo.history, d);
						expect(now.units.sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(was.units.sort((x, y) => (x.id < y.id ? -1 : 1)));
						for (const t of teams) expect(now.unitOfTeam(t.id)).toBe(was.unitOfTeam(t.id));
					}
					history = result.history;
				}
			}),
			{ numRuns: 150 }
		);
	});
});
