// The leader's export: one row per session plus the period's total, counts and member names only
// (never a resident's name, ID number or address).
import { m } from '$lib/paraglide/messages.js';
import { AGE_BANDS, GENDERS } from '$lib/domain/resident';
import { OUTCOMES, type Counts } from '$lib/domain/tally';
import { formatDateVi } from '$lib/domain/period';
import type { Cell } from '$lib/domain/csv';
import { ageBandText, genderText, outcomeText, skillName, timeText } from '$lib/i18n/kioskText';
import type { MemberRow, SkillRow } from './db';
import type { SessionSummary } from './reports';

export interface ExportContext {
	skills: readonly SkillRow[];
	members: readonly MemberRow[];
}

interface Column {
	label: string;
	value: (counts: Counts) => Cell;
}

function countColumns(ctx: ExportContext): Column[] {
	return [
		{ label: m.tally_checkins(), value: (c) => c.checkIns },
		{ label: m.tally_residents(), value: (c) => c.distinctResidents },
		{ label: m.tally_first_time(), value: (c) => c.firstTimeResidents },
		...GENDERS.map((g) => ({ label: `${m.tally_residents()}: ${genderText(g)}`, value: (c: Counts) => c.residentsByGender[g] })),
		...AGE_BANDS.map((b) => ({ label: `${m.tally_residents()}: ${ageBandText(b)}`, value: (c: Counts) => c.residentsByAgeBand[b] })),
		{ label: m.tally_assists(), value: (c) => c.assists },
		...OUTCOMES.map((o) => ({ label: outcomeText(o), value: (c: Counts) => c.assistsByOutcome[o] })),
		...ctx.skills.map((s) => ({ label: skillName(s), value: (c: Counts) => c.assistsBySkill[s.code] ?? 0 })),
		...ctx.members.map((mem) => ({ label: mem.fullName, value: (c: Counts) => c.assistsByMember[mem.id] ?? 0 }))
	];
}

export function exportRows(sessions: readonly SessionSummary[], total: Counts | null, ctx: ExportContext): Cell[][] {
	const columns = countColumns(ctx);
	const header: Cell[] = [m.tally_date(), m.tally_status(), m.tally_start(), m.tally_end(), ...columns.map((c) => c.label)];
	const rows: Cell[][] = sessions.map(({ session, counts }) => [
		formatDateVi(session.date),
		session.status === 'open' ? m.leader_open() : m.leader_closed(),
		timeText(session.startedAt),
		session.endedAt ? timeText(session.endedAt) : '',
		...columns.map((c) => c.value(counts))
	]);
	if (total) rows.push([m.tally_total_row(), '', '', '', ...columns.map((c) => c.value(total))]);
	return [header, ...rows];
}
