// Two sessions on one day get two CSV names: the start time, in the team's time zone, is in it.
import { expect, it } from 'vitest';
import { sessionStartStamp } from '$lib/kiosk/csvFileName';

it('stamps a session with its start time in the team time zone', () => {
	// 01:30:12Z is 08:30:12 in Vietnam; 23:05:00Z is 06:05:00 the next morning there.
	expect(sessionStartStamp('2026-11-30T01:30:12.345Z', 'Asia/Ho_Chi_Minh')).toBe('083012');
	expect(sessionStartStamp('2026-11-29T23:05:00Z', 'Asia/Ho_Chi_Minh')).toBe('060500');
	expect(sessionStartStamp('2026-11-30T01:30:12Z', 'Asia/Ho_Chi_Minh')).not.toBe(sessionStartStamp('2026-11-30T03:10:00Z', 'Asia/Ho_Chi_Minh'));
});
