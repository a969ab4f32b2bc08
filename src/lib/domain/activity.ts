// Team activities other than help sessions (seed 3.2): trainings the members attended, outreach
// events (a loudspeaker broadcast, a market-day stand), initiatives, and digital-transformation
// tasks done for the commune. The leader records them; the monthly report counts them per kind.

export const ACTIVITY_KINDS = ['training', 'outreach', 'initiative', 'dxTask'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export function isActivityKind(value: unknown): value is ActivityKind {
	return typeof value === 'string' && (ACTIVITY_KINDS as readonly string[]).includes(value);
}

export const MAX_ACTIVITY_TITLE = 200;
export const MAX_ACTIVITY_NOTE = 1000;
/** A commune's population is far below this; a bigger number is a typing slip. */
export const MAX_PEOPLE_REACHED = 1_000_000;

/** Activities of a period summed: how many of each kind and how many people they reached. */
export interface ActivityTotals {
	count: number;
	byKind: Record<ActivityKind, number>;
	peopleReached: number;
}

export function emptyActivityTotals(): ActivityTotals {
	return { count: 0, byKind: { training: 0, outreach: 0, initiative: 0, dxTask: 0 }, peopleReached: 0 };
}

/** Adds `from` into `into` and returns `into`. */
export function addActivityTotals(into: ActivityTotals, from: ActivityTotals): ActivityTotals {
	into.count += from.count;
	into.peopleReached += from.peopleReached;
	for (const kind of ACTIVITY_KINDS) into.byKind[kind] += from.byKind[kind];
	return into;
}
