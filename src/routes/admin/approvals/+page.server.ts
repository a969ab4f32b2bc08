// The monthly submission and approval page (issue 13). On a commune: each team's state with its
// figures, approve one or all, return with a note, reopen with a reason; the commune's own period
// approved, reopened. Above communes: each commune's period for the province to approve or return.
// Scoped the way reports are (reportScope): an officer reaches their area, an admin everything;
// approvals.ts's approvalRights says who may act at which level.
import { serverContext } from '$lib/server/context';
import { refuse, requireUser } from '$lib/server/auth';
import { reportScope } from '$lib/server/adminReport';
import { InputError, refusal } from '$lib/server/inputError';
import { actOnTeam, actOnUnit, approvalRights, approveAllTeams, communesUnder, isCommuneKind, unitPeriodView } from '$lib/server/approvals';
import { periodRuleSetting } from '$lib/server/settings';
import { UnknownUnitError } from '$lib/server/reports/monthly';
import { isPeriodKey } from '$lib/domain/period';
import type { ApprovalAction, ApprovalLevel } from '$lib/domain/approval';
import type { User } from '$lib/server/db/schema';
import type { PeriodFigures } from '$lib/domain/lockedFigures';
import type { Actions, PageServerLoad } from './$types';

/** What the page shows of a period's figures: plain numbers (the counts' records stay on the server). */
const figuresData = (f: PeriodFigures) => ({
	locked: f.locked,
	sessions: f.sessions,
	checkIns: f.figures.checkIns,
	residents: f.figures.distinctResidents,
	assists: f.figures.assists,
	late: f.lateArrivals.map((a) => ({ sessionId: a.sessionId, kind: a.kind, checkIns: a.delta.checkIns, assists: a.delta.assists })),
	lateAssists: f.lateDelta.assists,
	lateCheckIns: f.lateDelta.checkIns
});

function communeData(view: Awaited<ReturnType<typeof unitPeriodView>>) {
	return {
		unit: { id: view.unit.id, name: view.unit.name },
		periodRange: view.period,
		state: view.status.state,
		returnNote: view.status.returnNote,
		completeness: view.status.completeness,
		approvals: view.approvals,
		figures: figuresData(view.figures),
		history: view.history.map((e) => ({ seq: e.seq, action: e.action, level: e.level, at: e.at, byName: e.byName, note: e.note })),
		teams: view.teams.map((t) => ({
			id: t.id,
			name: t.name,
			unitName: t.unitName,
			state: t.status.state,
			timeliness: t.status.timeliness,
			expected: t.status.expected,
			waitingFor: t.status.waitingFor.length,
			changedSince: t.status.changedSince.length,
			returnNote: t.status.returnNote,
			approvedAt: t.status.approvedAt,
			approvedByName: t.approvedByName,
			submission: t.submission,
			sessionsHeld: t.sessionsHeld,
			figures: figuresData(t.figures),
			lastReopen: t.history.find((e) => e.action === 'reopen')?.note ?? null
		}))
	};
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user, url.pathname + url.search);
	if (user.role === 'leader') refuse(403, 'unitOutOfReach');
	const { db } = await serverContext();
	const scope = await reportScope(db, user, url);
	const units = scope.units
		.filter((u) => u.archived_at === null && u.kind !== 'village' && u.kind !== 'residentialGroup')
		.map((u) => ({ id: u.id, label: scope.tree.path(u.id).map((p) => p.name).join(' › ') }));
	const base = { units, unitId: scope.unitId ?? null, period: scope.period };
	const unit = scope.unitId ? scope.tree.byId(scope.unitId) : undefined;
	if (!unit) return { ...base, commune: null, communes: null, summary: null };
	const now = new Date();
	try {
		if (isCommuneKind(unit.kind)) {
			const [view, rights] = await Promise.all([
				unitPeriodView(db, { unitId: unit.id, period: scope.period, rule: scope.rule, now }),
				approvalRights(db, user, unit.id)
			]);
			return { ...base, commune: { ...communeData(view), rights }, communes: null, summary: null };
		}
		const communes = await communesUnder(db, { unitId: unit.id, period: scope.period, rule: scope.rule, now });
		const rights = await Promise.all(communes.map((c) => approvalRights(db, user, c.id)));
		const sum = (f: (c: (typeof communes)[number]) => number) => communes.reduce((n, c) => n + f(c), 0);
		const summary = {
			communes: communes.length,
			approvedCommunes: communes.filter((c) => c.status.state === 'approved').length,
			submittedCommunes: communes.filter((c) => c.status.state === 'submitted' || c.status.state === 'approved').length,
			approvedTeams: sum((c) => c.status.completeness.approved),
			expectedTeams: sum((c) => c.status.completeness.expected)
		};
		return { ...base, commune: null, summary, communes: communes.map((c, i) => ({ ...c, province: rights[i]!.province })) };
	} catch (e) {
		if (e instanceof UnknownUnitError) refuse(404, 'unitNotFound');
		throw e;
	}
};

const text = (form: FormData, key: string) => String(form.get(key) ?? '');

/** The unit and period a form names, within reach, with what the user may do there. */
async function target(user: User, form: FormData) {
	const unitId = text(form, 'unit');
	const period = text(form, 'period');
	const { db } = await serverContext();
	// Rights first: whoever may not act here is told so, whatever else the form says.
	const rights = await approvalRights(db, user, unitId);
	if (!rights.commune && !rights.province) throw forbidden();
	if (!isPeriodKey(period)) throw new InputError('period', 'invalid', 'Give a period as YYYY-MM.');
	return { db, unitId, period, rights, rule: await periodRuleSetting(db) };
}

const forbidden = () => new InputError(null, 'forbidden', 'You may not approve this unit\'s reports.');
const ACTIONS: readonly ApprovalAction[] = ['approve', 'return', 'reopen'];
const actionOf = (form: FormData): ApprovalAction => {
	const action = text(form, 'action');
	if (!(ACTIONS as readonly string[]).includes(action)) throw new InputError('action', 'invalid', 'Unknown action.');
	return action as ApprovalAction;
};

export const actions: Actions = {
	team: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		const form = await request.formData();
		const on = `team:${text(form, 'teamId')}`;
		try {
			const t = await target(user, form);
			if (!t.rights.commune) throw forbidden();
			const action = actionOf(form);
			const done = await actOnTeam(t.db, { unitId: t.unitId, period: t.period, rule: t.rule, teamId: text(form, 'teamId'), action, note: form.get('note') }, { user, now: new Date() });
			return { on, done: { action, outcome: done.outcome } };
		} catch (e) {
			return refusal(e, on);
		}
	},
	all: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		const form = await request.formData();
		try {
			const t = await target(user, form);
			if (!t.rights.commune) throw forbidden();
			const result = await approveAllTeams(t.db, { unitId: t.unitId, period: t.period, rule: t.rule }, { user, now: new Date() });
			return { on: 'all', bulk: { approved: result.approved.length, skipped: result.skipped.length } };
		} catch (e) {
			return refusal(e, 'all');
		}
	},
	unit: async ({ locals, request }) => {
		const user = requireUser(locals.user);
		const form = await request.formData();
		const on = `unit:${text(form, 'unit')}`;
		try {
			const t = await target(user, form);
			const level: ApprovalLevel = text(form, 'level') === 'province' ? 'province' : 'commune';
			if (!t.rights[level]) throw forbidden();
			const action = actionOf(form);
			const done = await actOnUnit(t.db, { unitId: t.unitId, period: t.period, rule: t.rule, action, level, note: form.get('note') }, { user, now: new Date() });
			return { on, done: { action, outcome: done.outcome } };
		} catch (e) {
			return refusal(e, on);
		}
	}
};
