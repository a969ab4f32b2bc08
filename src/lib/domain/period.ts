// Monthly reporting periods (Decree 09/2019/NĐ-CP): the report for month M covers the 15th of
// M-1 to the 14th of M, and is due by the 20th of M. Both days are settings.
// Dates are calendar dates in the hall's time zone, written 'YYYY-MM-DD'.

export type LocalDate = string;
/** A reporting period is named by its reporting month, 'YYYY-MM'. */
export type PeriodKey = string;

export interface PeriodRule {
	/** First day of a period in the previous month (1 = plain calendar months). 1..28. */
	startDay: number;
	/** Day of the reporting month by which the district compiles. 1..28. */
	deadlineDay: number;
}

export const DEFAULT_PERIOD_RULE: PeriodRule = { startDay: 15, deadlineDay: 20 };

export interface Period {
	key: PeriodKey;
	/** First day, inclusive. */
	first: LocalDate;
	/** Last day, inclusive. */
	last: LocalDate;
	deadline: LocalDate;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isValidRule(rule: PeriodRule): boolean {
	const ok = (d: number) => Number.isInteger(d) && d >= 1 && d <= 28;
	return ok(rule.startDay) && ok(rule.deadlineDay);
}

function parseLocalDate(date: LocalDate): { year: number; month: number; day: number } {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!m) throw new Error(`not a YYYY-MM-DD date: ${date}`);
	return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/**
 * A period key a person may ask for: YYYY-MM with a month 01–12 and a year far enough from 0000
 * and 9999 that the months around it (previous month, deadline, a year's trend) are keys too.
 */
export function isPeriodKey(value: unknown): value is PeriodKey {
	if (typeof value !== 'string') return false;
	const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value);
	return !!m && Number(m[1]) >= 1900 && Number(m[1]) <= 2999;
}

function parsePeriodKey(key: PeriodKey): { year: number; month: number } {
	const m = /^(\d{4})-(\d{2})$/.exec(key);
	if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`not a YYYY-MM period: ${key}`);
	return { year: Number(m[1]), month: Number(m[2]) };
}

const keyOf = (year: number, month: number): PeriodKey => {
	const index = year * 12 + (month - 1);
	return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
};

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A real calendar day written YYYY-MM-DD (2026-02-31 is not one). */
export function isCalendarDate(value: unknown): value is string {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const day = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
}

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// One formatter per time zone: building an Intl.DateTimeFormat costs ~100 µs, and the server
// checks every uploaded tally's times with it (a batch of 20 paid that 60 times).
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date of an instant, in the given IANA time zone (the hall's). */
export function localDateOf(instant: Date, timeZone = 'Asia/Ho_Chi_Minh'): LocalDate {
	let format = dateFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
		// A bounded cache: a time zone comes from settings, never from a request, but stay safe.
		if (dateFormats.size >= 16) dateFormats.clear();
		dateFormats.set(timeZone, format);
	}
	const parts = format.format(instant);
	// en-CA formats as YYYY-MM-DD, but a year before 1000 with fewer digits (1-01-01).
	return parts.replace(/^\d{1,3}(?=-)/, (year) => year.padStart(4, '0'));
}

/** The period a day is reported in. */
export function periodOf(date: LocalDate, rule: PeriodRule = DEFAULT_PERIOD_RULE): PeriodKey {
	const { year, month, day } = parseLocalDate(date);
	if (rule.startDay > 1 && day >= rule.startDay) return keyOf(year, month + 1);
	return keyOf(year, month);
}

export function shiftPeriod(key: PeriodKey, months: number): PeriodKey {
	const { year, month } = parsePeriodKey(key);
	return keyOf(year, month + months);
}

export function periodRange(key: PeriodKey, rule: PeriodRule = DEFAULT_PERIOD_RULE): Period {
	const { year, month } = parsePeriodKey(key);
	let first: LocalDate;
	let last: LocalDate;
	let lastMonth = { year, month };
	if (rule.startDay === 1) {
		first = `${pad(year, 4)}-${pad(month)}-01`;
		last = `${pad(year, 4)}-${pad(month)}-${pad(lastDayOfMonth(year, month))}`;
	} else {
		const prev = parsePeriodKey(keyOf(year, month - 1));
		first = `${pad(prev.year, 4)}-${pad(prev.month)}-${pad(rule.startDay)}`;
		last = `${pad(year, 4)}-${pad(month)}-${pad(rule.startDay - 1)}`;
	}
	// The deadline is the first `deadlineDay` after the period ends: the 20th of the same month
	// for the default 15th–14th rule, the 20th of the next month for calendar months.
	const lastDay = Number(last.slice(8, 10));
	if (rule.deadlineDay <= lastDay) lastMonth = parsePeriodKey(keyOf(year, month + 1));
	return { key, first, last, deadline: `${pad(lastMonth.year, 4)}-${pad(lastMonth.month)}-${pad(rule.deadlineDay)}` };
}

export function isInPeriod(date: LocalDate, period: Period): boolean {
	return date >= period.first && date <= period.last;
}

/** A report sent on `sentOn` is on time when it is not after the deadline day. */
export function isOnTime(sentOn: LocalDate, period: Period): boolean {
	return sentOn <= period.deadline;
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy', as Vietnamese forms write dates. */
export function formatDateVi(date: LocalDate): string {
	const { year, month, day } = parseLocalDate(date);
	return `${pad(day)}/${pad(month)}/${pad(year, 4)}`;
}

/** 'YYYY-MM' → 'mm/yyyy'. */
export function formatPeriodVi(key: PeriodKey): string {
	const { year, month } = parsePeriodKey(key);
	return `${pad(month)}/${pad(year, 4)}`;
}

/**
 * The period a page's query asks for: `period=YYYY-MM`, else `year` and `month` as the admin
 * pages' two selects send them (a browser's own month input would speak the browser's language);
 * null when neither makes a valid period.
 */
export function requestedPeriod(query: URLSearchParams): PeriodKey | null {
	const period = query.get('period');
	if (isPeriodKey(period)) return period;
	const year = query.get('year') ?? '';
	const month = query.get('month') ?? '';
	if (!/^\d{4}$/.test(year) || !/^\d{1,2}$/.test(month)) return null;
	const key = `${year}-${month.padStart(2, '0')}`;
	return isPeriodKey(key) ? key : null;
}
