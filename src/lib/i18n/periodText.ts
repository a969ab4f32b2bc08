// Month names for the period selects, from the app's messages rather than the browser's locale.
import { m } from '$lib/paraglide/messages.js';

const MONTHS = [
	m.admin2_month_1,
	m.admin2_month_2,
	m.admin2_month_3,
	m.admin2_month_4,
	m.admin2_month_5,
	m.admin2_month_6,
	m.admin2_month_7,
	m.admin2_month_8,
	m.admin2_month_9,
	m.admin2_month_10,
	m.admin2_month_11,
	m.admin2_month_12
];

/** 1 → "Tháng 1" (vi), "January" (en). */
export function monthName(month: number): string {
	return MONTHS[month - 1]?.() ?? String(month);
}
