// The server's tables as Kysely sees them. One schema for SQLite and PostgreSQL: timestamps are
// ISO-8601 text (UTC), calendar dates 'YYYY-MM-DD', booleans 0/1 integers, JSON as text.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { RolloutPhase, TeamLevel, TeamRole } from '$lib/domain/teamRules';

export type OrgUnitKind = 'province' | 'district' | 'commune' | 'ward' | 'town' | 'village' | 'residentialGroup';

export interface OrgUnitTable {
	id: string;
	parent_id: string | null;
	name: string;
	kind: OrgUnitKind;
	/** Administrative code (mã đơn vị hành chính), when known. */
	code: string | null;
	archived_at: string | null;
	created_at: string;
}

export interface TeamTable {
	id: string;
	/** The commune-level or village-level unit this team serves. */
	unit_id: string;
	name: string;
	level: TeamLevel;
	phase: RolloutPhase;
	established_on: string;
	archived_at: string | null;
	created_at: string;
}

export type MemberStatus = 'active' | 'left';

export interface MemberTable {
	id: string;
	team_id: string;
	full_name: string;
	role: TeamRole;
	/** commune leader, village head, Youth Union, IT officer, police, teacher, … */
	background: string;
	status: MemberStatus;
	joined_on: string;
	left_on: string | null;
	/** JSON PinHash (domain/pin.ts), synced to the team's tablets; null until set. */
	pin_hash: string | null;
	created_at: string;
	/** Printed in the member's badge QR; reissuing raises it, revoking every earlier card. 0 = none. */
	badge_version: Generated<number>;
}

export type DecisionKind = 'join' | 'leave';
/** 'requested': a member's wish to leave, recorded; the leader has not proposed it yet. */
export type DecisionStatus = 'requested' | 'proposed' | 'approved' | 'rejected';

export interface MembershipDecisionTable {
	id: string;
	team_id: string;
	kind: DecisionKind;
	status: DecisionStatus;
	/** The member leaving, or (once approved) the member who joined. */
	member_id: string | null;
	person_name: string;
	/** For a join: the role and background proposed. */
	role: TeamRole | null;
	background: string | null;
	/** Why the member asks to leave, or why the leader recommends. */
	reason: string | null;
	requested_by: string;
	requested_at: string;
	decided_by: string | null;
	decided_at: string | null;
	/** The commune People's Committee decision (số quyết định) and its date. */
	decision_number: string | null;
	decision_date: string | null;
	note: string | null;
}

export type ActivityKind = 'training' | 'outreach' | 'initiative' | 'dxTask';

export interface ActivityTable {
	id: string;
	team_id: string;
	kind: ActivityKind;
	activity_date: string;
	/** Reporting period of activity_date, 'YYYY-MM'. */
	period: string;
	title: string;
	/** JSON array of member ids who took part. */
	member_ids: string;
	people_reached: number;
	note: string | null;
	created_by: string;
	created_at: string;
	deleted_at: string | null;
}

export interface DeviceTable {
	id: string;
	team_id: string;
	label: string;
	/** SHA-256 hex of the bearer token; the token itself is shown once, at enrolment. */
	token_hash: string;
	created_at: string;
	revoked_at: string | null;
	last_seen_at: string | null;
	last_upload_at: string | null;
	/**
	 * The public half of the tablet's P-256 signing key (a JWK), which checks the tallies it hands
	 * over as QR codes (server/tallyQr.ts). The private half never leaves the tablet.
	 */
	signing_key: string | null;
}

export interface EnrolmentCodeTable {
	/** SHA-256 hex of the code. */
	code_hash: string;
	team_id: string;
	created_by: string | null;
	created_at: string;
	expires_at: string;
	used_at: string | null;
	device_id: string | null;
}

export interface SkillTable {
	code: string;
	name_vi: string;
	name_en: string;
	category: string;
	active: number;
	sort: number;
	/** The basic skill group (domain/basicSkills.ts) a "done" assist gives, or null for none. Migration 0006. */
	basic_group: string | null;
}

/** One row per session UUID: the highest version a tablet sent. */
export interface SessionTallyTable {
	session_id: string;
	team_id: string;
	device_id: string;
	version: number;
	session_date: string;
	/** Reporting period 'YYYY-MM' under the rule in force when stored. */
	period: string;
	started_at: string;
	ended_at: string;
	/** When the first version arrived: timeliness is judged on it. */
	received_at: string;
	updated_at: string;
	check_ins: number;
	distinct_residents: number;
	first_time_residents: number;
	residents_male: number;
	residents_female: number;
	residents_under18: number;
	residents_18_39: number;
	residents_40_59: number;
	residents_60plus: number;
	assists: number;
	assists_done: number;
	assists_partly: number;
	assists_referred: number;
	assists_male: number;
	assists_female: number;
	assists_under18: number;
	assists_18_39: number;
	assists_40_59: number;
	assists_60plus: number;
	/** JSON array of member ids. */
	members_present: string;
	/** Schema 2's outcomes; null for a schema 1 tally (not reported, which is not zero). Migration 0006. */
	residents_newly_proficient: number | null;
	households_newly_covered: number | null;
}

/** The flat count columns of session_tallies, for code that sums or copies them all. */
export const TALLY_COUNT_COLUMNS = [
	'check_ins',
	'distinct_residents',
	'first_time_residents',
	'residents_male',
	'residents_female',
	'residents_under18',
	'residents_18_39',
	'residents_40_59',
	'residents_60plus',
	'assists',
	'assists_done',
	'assists_partly',
	'assists_referred',
	'assists_male',
	'assists_female',
	'assists_under18',
	'assists_18_39',
	'assists_40_59',
	'assists_60plus'
] as const satisfies readonly (keyof SessionTallyTable)[];

export interface TallySkillCountTable {
	session_id: string;
	skill_code: string;
	count: number;
}

/** Per basic skill group, the residents of a schema 2 session who gained it; no rows for schema 1. */
export interface TallyGroupCountTable {
	session_id: string;
	basic_group: string;
	count: number;
}

/** A village's number of households from a date on (migration 0006); the latest on or before a day holds. */
export interface VillageHouseholdCountTable {
	unit_id: string;
	counted_on: string;
	households: number;
	recorded_by: string;
	recorded_at: string;
}

export interface TallyMemberCountTable {
	session_id: string;
	member_id: string;
	count: number;
}

export type UserRole = 'admin' | 'officer' | 'leader';

export interface UserTable {
	id: string;
	username: string;
	display_name: string;
	/** argon2id PHC string. */
	password_hash: string;
	role: UserRole;
	/** An officer's commune (they see it and its villages). */
	unit_id: string | null;
	/** A leader's team. */
	team_id: string | null;
	created_at: string;
	disabled_at: string | null;
}

export interface UserSessionTable {
	/** SHA-256 hex of the cookie value. */
	id_hash: string;
	user_id: string;
	created_at: string;
	expires_at: string;
}

/** One rate-limited key (hashed with its limit's name): its hits' times in ms, as JSON. */
export interface RateLimitHitTable {
	key_hash: string;
	hits: string;
	/** When the latest hit leaves the window (ms): the row counts nothing after. */
	expires_ms: number;
}

export interface AuditEventTable {
	id: string;
	at: string;
	/** 'user:<id>', 'device:<id>' or 'system'. */
	actor: string;
	action: string;
	/** What it acted on, e.g. 'team:<id>'. */
	subject: string | null;
	/** JSON. */
	detail: string | null;
}

/** One dated version of a unit (domain/orgHistory.ts): valid_from inclusive, valid_to exclusive, null while in force. */
export interface OrgUnitVersionTable {
	unit_id: string;
	valid_from: string;
	valid_to: string | null;
	name: string;
	kind: OrgUnitKind;
	code: string | null;
	parent_id: string | null;
}

/** Where a team stood from valid_from (inclusive) to valid_to (exclusive, null while in force). */
export interface TeamPlacementTable {
	team_id: string;
	unit_id: string;
	level: TeamLevel;
	valid_from: string;
	valid_to: string | null;
}

/** A recorded dated change, with exactly what it did (so it can be undone). */
export interface OrgChangeTable {
	id: string;
	/** The order recorded: a later change was planned on the history the earlier ones left. */
	seq: number;
	kind: string;
	effective_on: string;
	basis: string;
	/** JSON string[]. */
	subjects: string;
	reverses: string | null;
	/** JSON UnitEffect[]. */
	units: string;
	/** JSON TeamEffect[]. */
	teams: string;
	recorded_by: string;
	recorded_at: string;
}

/** A team's monthly submission (domain/submission.ts): 'current' is the one in force for its team and period. */
export interface PeriodSubmissionTable {
	submission_id: string;
	team_id: string;
	period: string;
	/** JSON SessionRef[]: the sessions (ids and versions) it covers. */
	sessions: string;
	/** The tablet's clock when the leader submitted. */
	submitted_at: string;
	/** The server's clock when it arrived. */
	received_at: string;
	device_id: string;
	state: 'current' | 'replaced';
}

/** One approve / return / reopen (domain/approval.ts); subject 'team' (a team id) or 'unit' (a commune-level unit id). */
export interface ApprovalEventTable {
	subject_kind: 'team' | 'unit';
	subject_id: string;
	period: string;
	seq: number;
	action: 'approve' | 'return' | 'reopen';
	level: 'commune' | 'province';
	/** The user's id. */
	actor: string;
	/** Their name when they acted, for "approved by … on …". */
	actor_name: string;
	note: string | null;
	at: string;
	/** An approval's locked figures: JSON SessionFigures[]. */
	snapshot: string | null;
}

export interface SettingTable {
	key: string;
	/** JSON. */
	value: string;
}

export interface Database extends PeriodTotalsTables {
	org_units: OrgUnitTable;
	teams: TeamTable;
	members: MemberTable;
	devices: DeviceTable;
	enrolment_codes: EnrolmentCodeTable;
	skills: SkillTable;
	session_tallies: SessionTallyTable;
	tally_skill_counts: TallySkillCountTable;
	tally_member_counts: TallyMemberCountTable;
	tally_group_counts: TallyGroupCountTable;
	village_household_counts: VillageHouseholdCountTable;
	users: UserTable;
	user_sessions: UserSessionTable;
	audit_events: AuditEventTable;
	rate_limit_hits: RateLimitHitTable;
	settings: SettingTable;
	membership_decisions: MembershipDecisionTable;
	activities: ActivityTable;
	org_unit_versions: OrgUnitVersionTable;
	team_placements: TeamPlacementTable;
	org_changes: OrgChangeTable;
	period_submissions: PeriodSubmissionTable;
	approval_events: ApprovalEventTable;
}

export type OrgUnit = Selectable<OrgUnitTable>;
export type Team = Selectable<TeamTable>;
export type Member = Selectable<MemberTable>;
export type Device = Selectable<DeviceTable>;
export type User = Selectable<UserTable>;
export type SessionTallyRow = Selectable<SessionTallyTable>;
export type NewOrgUnit = Insertable<OrgUnitTable>;
export type NewTeam = Insertable<TeamTable>;
export type NewMember = Insertable<MemberTable>;
export type MemberUpdate = Updateable<MemberTable>;
export type { Generated };

export interface TeamPeriodTotalsTable extends Record<(typeof TALLY_COUNT_COLUMNS)[number], number> {
	period: string;
	team_id: string;
	sessions: number;
	/** The earliest received_at of the team's sessions of the period (timeliness is judged on it). */
	first_received_at: string;
	/** Sessions that reported outcomes (schema 2): COUNT(residents_newly_proficient). */
	outcome_sessions: number;
	/** SUM of the column over those sessions; 0 when none did (outcome_sessions tells). */
	residents_newly_proficient: number;
	households_newly_covered: number;
}

export interface TeamPeriodSkillsTable {
	period: string;
	team_id: string;
	skill_code: string;
	assists: number;
}

export interface TeamPeriodGroupsTable {
	period: string;
	team_id: string;
	basic_group: string;
	residents: number;
}

/** Each team's sums per period (migration 0009), kept by lib/server/periodTotals.ts. */
export interface PeriodTotalsTables {
	team_period_totals: TeamPeriodTotalsTable;
	team_period_skills: TeamPeriodSkillsTable;
	team_period_groups: TeamPeriodGroupsTable;
}
