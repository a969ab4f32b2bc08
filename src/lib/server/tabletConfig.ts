// What an enrolled tablet receives: its team's configuration plus the deployment's settings.
import type { Kysely } from 'kysely';
import type { TeamConfig } from '$lib/domain/api';
import type { Database } from './db/schema';
import { periodRuleSetting, residentKeySecret } from './settings';
import { teamConfig } from './teams';

export async function tabletConfig(db: Kysely<Database>, teamId: string): Promise<TeamConfig> {
	const [config, residentKey, periodRule] = await Promise.all([teamConfig(db, teamId), residentKeySecret(db), periodRuleSetting(db)]);
	// The ETag covers the deployment's settings too: a new period rule must reach the tablets.
	return { ...config, version: `${config.version}.${periodRule.startDay}.${periodRule.deadlineDay}`, residentKey, periodRule };
}
