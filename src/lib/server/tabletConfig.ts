// What an enrolled tablet receives: its team's configuration plus the deployment's settings.
// Never a resident key: each tablet makes its own (kiosk/residentKeys.ts).
import type { Kysely } from 'kysely';
import { createHash } from 'node:crypto';
import type { PeriodReportStatus, TeamConfig } from '$lib/domain/api';
import { localDateOf, periodOf, shiftPeriod } from '$lib/domain/period';
import { teamReportState } from './submissions';
import type { Database } from './db/schema';
import { periodRuleSetting } from './settings';
import { teamConfig } from './teams';

export async function tabletConfig(db: Kysely<Database>, teamId: string, now = new Date()): Promise<TeamConfig> {
	const [config, periodRule] = await Promise.all([teamConfig(db, teamId), periodRuleSetting(db)]);
	// This period's report and the last one's: a return reaches the leader at the next sync.
	const current = periodOf(localDateOf(now), periodRule);
	const periodReports: PeriodReportStatus[] = await Promise.all(
		[shiftPeriod(current, -1), current].map(async (period) => {
			const s = await teamReportState(db, { teamId, period, rule: periodRule, now });
			return { period, state: s.state, submissionId: s.submissionId, returnNote: s.returnNote, waitingFor: s.waitingFor.length };
		})
	);
	// The ETag covers the deployment's settings and the reports' states too: a new period rule, an
	// approval or a return must reach the tablets.
	const reports = createHash('sha256').update(JSON.stringify(periodReports)).digest('hex').slice(0, 12);
	return { ...config, version: `${config.version}.${periodRule.startDay}.${periodRule.deadlineDay}.${reports}`, periodRule, periodReports };
}
