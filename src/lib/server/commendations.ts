// Commendation proposals for a unit and period: members and teams who stood out, each line with
// the figures behind it, computed from the same sums as the monthly report so the two agree. The
// officer's edits are kept in the settings table (no table of their own), one key per unit and period.
import type { Kysely } from 'kysely';
import {
	COMMENDATION_CATEGORIES,
	isCommunityBackground,
	normalizeEdits,
	rankCandidates,
	type Candidate,
	type CommendationCategory,
	type CommendationEdits,
	type CommendationLine,
	type CommendationSubject,
	type FigureKey
} from '$lib/domain/commendation';
import { isPeriodKey, type Period, type PeriodKey, type PeriodRule } from '$lib/domain/period';
import { recordAudit } from './audit';
import type { Database, OrgUnitKind } from './db/schema';
import { writeTransaction } from './orgTree';
import { monthlyReport, UnknownUnitError } from './reports/monthly';

export interface CommendationProposal {
	unit: { id: string; name: string; kind: OrgUnitKind; path: string[] };
	period: Period;
	generatedAt: string;
	/** By category (in COMMENDATION_CATEGORIES order), then rank, then name and id. */
	lines: CommendationLine[];
}

/** Lines kept per category: everyone ranked this or better. */
export const DEFAULT_PER_CATEGORY = 3;

const ID_CHUNK = 1000;

async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
	const out: T[] = [];
	for (let i = 0; i < ids.length; i += ID_CHUNK) out.push(...(await query(ids.slice(i, i + ID_CHUNK))));
	return out;
}

export async function proposeCommendations(
	db: Kysely<Database>,
	input: { unitId: string; period: PeriodKey; rule: PeriodRule; now: Date; perCategory?: number }
): Promise<CommendationProposal> {
	const limit = Math.max(1, Math.floor(input.perCategory ?? DEFAULT_PER_CATEGORY));
	const report = await monthlyReport(db, { unitId: input.unitId, period: input.period, rule: input.rule, now: input.now });
	const teamIds = report.teams.map((t) => t.id);
	const [assistRows, members] = await Promise.all([
		inChunks(teamIds, (ids) =>
			db
				.selectFrom('session_tallies as st')
				.innerJoin('tally_member_counts as k', 'k.session_id', 'st.session_id')
				.select((eb) => ['st.team_id', 'k.member_id', eb.fn.sum('k.count').as('assists'), eb.fn.countAll().as('sessions')])
				.where('st.period', '=', report.period.key)
				.where('st.team_id', 'in', ids)
				.groupBy(['st.team_id', 'k.member_id'])
				.execute()
		),
		inChunks(teamIds, (ids) =>
			db
				.selectFrom('members as m')
				.innerJoin('teams as t', 't.id', 'm.team_id')
				.select(['m.id', 'm.team_id', 'm.full_name', 'm.role', 'm.background', 'm.joined_on', 'm.left_on', 't.established_on'])
				.where('m.team_id', 'in', ids)
				.execute()
		)
	]);

	const teams = new Map(report.teams.map((t) => [t.id, t]));
	const memberById = new Map(members.map((m) => [m.id, m]));
	const teamSubject = (t: (typeof report.teams)[number]): CommendationSubject => ({
		type: 'team',
		id: t.id,
		name: t.name,
		teamId: t.id,
		teamName: t.name,
		unitName: t.unitName,
		role: null,
		background: null,
		joinedOn: null
	});

	const memberAssists: Candidate[] = [];
	const collaborators: Candidate[] = [];
	for (const r of assistRows) {
		const member = memberById.get(r.member_id);
		const team = teams.get(r.team_id);
		// A count for an id the roster does not know (or of another team) names nobody to commend.
		if (!member || !team || member.team_id !== team.id) continue;
		const assists = Number(r.assists ?? 0);
		const sessions = Number(r.sessions);
		const subject: CommendationSubject = {
			type: 'member',
			id: member.id,
			name: member.full_name,
			teamId: team.id,
			teamName: team.name,
			unitName: team.unitName,
			role: member.role,
			background: member.background,
			joinedOn: member.joined_on
		};
		const figures = [
			{ key: 'assists', value: assists },
			{ key: 'sessions', value: sessions }
		] as const;
		memberAssists.push({ subject, figures: [...figures], score: [assists] });
		// The proxy (see isCommunityBackground): joined as a collaborator after the team was set up,
		// from the community, still in the team during the period, and helped residents in it.
		const inPeriod = member.joined_on <= report.period.last && (member.left_on === null || member.left_on >= report.period.first);
		if (member.role === 'collaborator' && member.joined_on > member.established_on && inPeriod && isCommunityBackground(member.background)) {
			collaborators.push({ subject, figures: [...figures], score: [assists] });
		}
	}

	/** Every team of the report, with the figures shown for it and the score it ranks by. */
	const teamCandidates = (pick: (totals: (typeof report.teams)[number]['totals']) => [figures: [FigureKey, number][], score: number[]]): Candidate[] =>
		report.teams.map((t) => {
			const [figures, score] = pick(t.totals);
			return { subject: teamSubject(t), figures: figures.map(([key, value]) => ({ key, value })), score };
		});

	const candidates: Record<CommendationCategory, Candidate[]> = {
		memberAssists,
		teamResidents: teamCandidates(({ distinctResidents, sessions, assists }) => [
			[['residents', distinctResidents], ['sessions', sessions], ['assists', assists]],
			[distinctResidents]
		]),
		teamFirstTime: teamCandidates(({ firstTimeResidents, distinctResidents }) => [
			[['firstTimeResidents', firstTimeResidents], ['residents', distinctResidents]],
			[firstTimeResidents]
		]),
		// More activities first; among equals, the wider reach.
		teamActivities: teamCandidates(({ activities }) => [
			[['activities', activities.count], ['peopleReached', activities.peopleReached]],
			[activities.count, activities.peopleReached]
		]),
		communityCollaborator: collaborators,
		// Households newly covered (issue 14); among equals, more residents newly proficient. A team
		// whose tablets report no outcomes (schema 1) has nothing to rank by.
		teamHouseholdsCovered: teamCandidates(({ outcomes }) => [
			[['householdsCovered', outcomes.householdsNewlyCovered ?? 0], ['residentsProficient', outcomes.residentsNewlyProficient ?? 0]],
			[outcomes.householdsNewlyCovered ?? 0, outcomes.residentsNewlyProficient ?? 0]
		])
	};

	return {
		unit: report.unit,
		period: report.period,
		generatedAt: report.generatedAt,
		lines: COMMENDATION_CATEGORIES.flatMap((category) => rankCandidates(category, candidates[category], limit))
	};
}

// ---------------------------------------------------------------------------------------------
// The officer's edits

export interface SavedEdits extends CommendationEdits {
	savedAt: string;
	savedBy: string;
}

const editsKey = (unitId: string, period: PeriodKey) => `commendations:${unitId}:${period}`;

export async function loadCommendationEdits(db: Kysely<Database>, input: { unitId: string; period: PeriodKey }): Promise<SavedEdits | undefined> {
	const row = await db.selectFrom('settings').select('value').where('key', '=', editsKey(input.unitId, input.period)).executeTakeFirst();
	if (!row) return undefined;
	try {
		const value = JSON.parse(row.value) as Partial<SavedEdits>;
		return { ...normalizeEdits(value), savedAt: String(value.savedAt ?? ''), savedBy: String(value.savedBy ?? '') };
	} catch {
		return undefined; // a damaged value reads as never edited
	}
}

/** Replaces the unit's edits for the period; throws CommendationEditError on bad edits. Audited. */
export async function saveCommendationEdits(
	db: Kysely<Database>,
	input: { unitId: string; period: PeriodKey; edits: unknown; actor: string; now: Date }
): Promise<SavedEdits> {
	if (!isPeriodKey(input.period)) throw new Error(`not a YYYY-MM period: ${input.period}`);
	const edits = normalizeEdits(input.edits);
	const saved: SavedEdits = { ...edits, savedAt: input.now.toISOString(), savedBy: input.actor };
	const value = JSON.stringify(saved);
	const key = editsKey(input.unitId, input.period);
	await writeTransaction(db, [], async (trx) => {
		const unit = await trx.selectFrom('org_units').select('id').where('id', '=', input.unitId).executeTakeFirst();
		if (!unit) throw new UnknownUnitError(input.unitId);
		await trx
			.insertInto('settings')
			.values({ key, value })
			.onConflict((oc) => oc.column('key').doUpdateSet({ value }))
			.execute();
		await recordAudit(trx, { actor: input.actor, action: 'commendation.save', subject: `unit:${input.unitId}`, detail: { period: input.period, ...edits }, now: input.now });
	});
	return saved;
}
