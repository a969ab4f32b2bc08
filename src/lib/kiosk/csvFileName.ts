// A session's CSV is named by its day and its start time: two sessions on one day (closed, then
// another opened) got the same name, and the second download overwrote or renamed the first.

/** The session's start as HHmmss in the team's time zone, e.g. "083012". */
export function sessionStartStamp(startedAt: string, timeZone: string): string {
	const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(
		new Date(startedAt)
	);
	const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
	return `${part('hour')}${part('minute')}${part('second')}`;
}
