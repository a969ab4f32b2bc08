// What an enrolled tablet receives: its team's configuration plus the deployment's settings.
// Never a resident key: each tablet makes its own (kiosk/residentKeys.ts).
import type { Kysely } from 'kysely';
import type { TeamConfig } from '$lib/domain/api';
import type { Database } from './db/schema';
import { periodRuleSetting } from './settings';
import { teamConfig } from './teams';

export async function tabletConfig(db: Kysely<Database>, teamId: string): Promise<TeamConfig> {
	const [config, periodRule] = await Promise.all([teamConfig(db, teamId), periodRuleSetting(db)]);
	// The ETag covers the deployment's settings too: a new period rule must reach the tablets.
	return { ...config, version: `${config.version}.${periodRule.startDay}.${periodRule.deadlineDay}`, periodRule };
}
