// Where a team works, for the kiosk's header. Pure and on its own: the header is in the first load
// of every kiosk screen, and importing it from kiosk/team.ts brought the database code (Dexie)
// into that load (initial JavaScript of / 52 → 97 kB gzip, npm run bench).

/**
 * The team's unit path without the province (every tablet of a server shares it), so a merged
 * commune's new name shows from the day it takes effect.
 */
export function teamPlace(unitPath: string): string {
	const parts = unitPath.split(', ').filter((p) => p !== '');
	return (parts.length > 1 ? parts.slice(0, -1) : parts).join(', ');
}
