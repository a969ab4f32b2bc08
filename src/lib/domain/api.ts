// The bodies the tablet and the server exchange, checked on both sides with the same schemas.
import * as v from 'valibot';
import type { PinHash } from './pin';
import type { Skill } from './skills';
import type { RolloutPhase, TeamLevel, TeamRole } from './teamRules';

export const EnrolRequestSchema = v.strictObject({
	code: v.pipe(v.string(), v.minLength(4), v.maxLength(40)),
	label: v.optional(v.pipe(v.string(), v.maxLength(80)))
});
export type EnrolRequest = v.InferOutput<typeof EnrolRequestSchema>;

export interface TeamConfigTeam {
	id: string;
	name: string;
	level: TeamLevel;
	phase: RolloutPhase;
	establishedOn: string;
	unitPath: string;
}

export interface TeamConfigMember {
	id: string;
	fullName: string;
	role: TeamRole;
	pin: PinHash | null;
	/** members.badge_version: the card the tablet accepts (n > 0), none (0), or n revoked (-n). */
	badge: number;
}

/**
 * GET /api/v1/config: what a tablet needs to work for its team. No resident key: each tablet
 * makes its own and the server holds none (kiosk/residentKeys.ts).
 */
export interface TeamConfig {
	team: TeamConfigTeam;
	members: TeamConfigMember[];
	skills: Skill[];
	/** Changes whenever any of the above changes (the ETag). */
	version: string;
	periodRule: { startDay: number; deadlineDay: number };
	/** Where the team's report for this period and the last stands on the server (issue 13): a returned one carries the officer's note. */
	periodReports?: PeriodReportStatus[];
}

/** A team's report for one period, as the tablet shows it (domain/teamPeriodState.ts's state). */
export interface PeriodReportStatus {
	period: string;
	state: string;
	/** The submission in force on the server, if any. */
	submissionId: string | null;
	returnNote: string | null;
	/** Sessions the submission names that the server does not hold yet. */
	waitingFor: number;
}

/** POST /api/v1/devices/enroll → 201. */
export interface EnrolResponse extends TeamConfig {
	deviceId: string;
	token: string;
	server: { name: string };
}

/** Counts made before enrolment by demo members, who are not on any roster, are filed here. */
export const UNASSIGNED_MEMBER = 'unassigned';

export type TallyUploadResult = 'stored' | 'replaced' | 'unchanged';

export interface ApiErrorBody {
	error: { code: string; message: string; field?: string };
}

/** POST /api/v1/tallies/batch `{ tallies: [...] }` → 200 `{ results }`, one per item, in order. */
export type BatchItemResult =
	| { sessionId: string; version: number; result: TallyUploadResult }
	/** This item alone is refused; `status` is what the single upload would have answered. */
	| { sessionId: string | null; status: number; error: { code: string; message: string; field?: string } };

export interface BatchResponse {
	results: BatchItemResult[];
}

/** What an officer's enrolment QR holds: the server's address and the one-time code. */
export function enrolmentQrPayload(serverOrigin: string, code: string): string {
	return `${serverOrigin.replace(/\/$/, '')}/enrol#${encodeURIComponent(code)}`;
}

export function parseEnrolmentQr(text: string): { serverOrigin: string; code: string } | null {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return null;
	}
	if (!/^https?:$/.test(url.protocol) || url.pathname.replace(/\/$/, '') !== '/enrol' || url.hash.length < 5) return null;
	let code: string;
	try {
		code = decodeURIComponent(url.hash.slice(1));
	} catch {
		return null; // a broken %-escape: not a QR this app made
	}
	return /^[A-Za-z0-9-]{4,40}$/.test(code) ? { serverOrigin: url.origin, code } : null;
}
