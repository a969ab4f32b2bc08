// Forward-only schema migrations, run at start. Each is written once and never edited: a change
// is a new migration. Only portable column types (text, integer) so SQLite and PostgreSQL agree.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
	'0001_initial': {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('org_units')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('parent_id', 'text', (c) => c.references('org_units.id'))
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('code', 'text')
				.addColumn('archived_at', 'text')
				.addColumn('created_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('org_units_parent').on('org_units').column('parent_id').execute();

			await db.schema
				.createTable('teams')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('level', 'text', (c) => c.notNull())
				.addColumn('phase', 'text', (c) => c.notNull())
				.addColumn('established_on', 'text', (c) => c.notNull())
				.addColumn('archived_at', 'text')
				.addColumn('created_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('teams_unit').on('teams').column('unit_id').execute();

			await db.schema
				.createTable('members')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
				.addColumn('full_name', 'text', (c) => c.notNull())
				.addColumn('role', 'text', (c) => c.notNull())
				.addColumn('background', 'text', (c) => c.notNull())
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('joined_on', 'text', (c) => c.notNull())
				.addColumn('left_on', 'text')
				.addColumn('pin_hash', 'text')
				.addColumn('created_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('members_team').on('members').column('team_id').execute();

			await db.schema
				.createTable('devices')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
				.addColumn('label', 'text', (c) => c.notNull())
				.addColumn('token_hash', 'text', (c) => c.notNull().unique())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('revoked_at', 'text')
				.addColumn('last_seen_at', 'text')
				.addColumn('last_upload_at', 'text')
				.execute();

			await db.schema
				.createTable('enrolment_codes')
				.addColumn('code_hash', 'text', (c) => c.primaryKey())
				.addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
				.addColumn('created_by', 'text')
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('expires_at', 'text', (c) => c.notNull())
				.addColumn('used_at', 'text')
				.addColumn('device_id', 'text')
				.execute();

			await db.schema
				.createTable('skills')
				.addColumn('code', 'text', (c) => c.primaryKey())
				.addColumn('name_vi', 'text', (c) => c.notNull())
				.addColumn('name_en', 'text', (c) => c.notNull())
				.addColumn('category', 'text', (c) => c.notNull())
				.addColumn('active', 'integer', (c) => c.notNull())
				.addColumn('sort', 'integer', (c) => c.notNull())
				.execute();

			let tallies = db.schema
				.createTable('session_tallies')
				.addColumn('session_id', 'text', (c) => c.primaryKey())
				.addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
				.addColumn('device_id', 'text', (c) => c.notNull())
				.addColumn('version', 'integer', (c) => c.notNull())
				.addColumn('session_date', 'text', (c) => c.notNull())
				.addColumn('period', 'text', (c) => c.notNull())
				.addColumn('started_at', 'text', (c) => c.notNull())
				.addColumn('ended_at', 'text', (c) => c.notNull())
				.addColumn('received_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull());
			// Spelled out, not taken from schema.ts: a migration must stay as it was when written.
			for (const column of [
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
			]) {
				tallies = tallies.addColumn(column, 'integer', (c) => c.notNull());
			}
			await tallies.addColumn('members_present', 'text', (c) => c.notNull()).execute();
			await db.schema.createIndex('session_tallies_period_team').on('session_tallies').columns(['period', 'team_id']).execute();

			await db.schema
				.createTable('tally_skill_counts')
				.addColumn('session_id', 'text', (c) => c.notNull().references('session_tallies.session_id'))
				.addColumn('skill_code', 'text', (c) => c.notNull())
				.addColumn('count', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('tally_skill_counts_pk', ['session_id', 'skill_code'])
				.execute();

			await db.schema
				.createTable('tally_member_counts')
				.addColumn('session_id', 'text', (c) => c.notNull().references('session_tallies.session_id'))
				.addColumn('member_id', 'text', (c) => c.notNull())
				.addColumn('count', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('tally_member_counts_pk', ['session_id', 'member_id'])
				.execute();

			await db.schema
				.createTable('users')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('username', 'text', (c) => c.notNull().unique())
				.addColumn('display_name', 'text', (c) => c.notNull())
				.addColumn('password_hash', 'text', (c) => c.notNull())
				.addColumn('role', 'text', (c) => c.notNull())
				.addColumn('unit_id', 'text', (c) => c.references('org_units.id'))
				.addColumn('team_id', 'text', (c) => c.references('teams.id'))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('disabled_at', 'text')
				.execute();

			await db.schema
				.createTable('user_sessions')
				.addColumn('id_hash', 'text', (c) => c.primaryKey())
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('expires_at', 'text', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('audit_events')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('at', 'text', (c) => c.notNull())
				.addColumn('actor', 'text', (c) => c.notNull())
				.addColumn('action', 'text', (c) => c.notNull())
				.addColumn('subject', 'text')
				.addColumn('detail', 'text')
				.execute();
			await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();

			await db.schema
				.createTable('settings')
				.addColumn('key', 'text', (c) => c.primaryKey())
				.addColumn('value', 'text', (c) => c.notNull())
				.execute();
		}
	},
	'0002_governance': {
		async up(db: Kysely<unknown>) {
			// Membership decisions (seed 3.1): join recommended by the leader, leave asked by the
			// member and proposed by the leader; the commune chairman's decision approves either.
			await db.schema
				.createTable('membership_decisions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('member_id', 'text', (c) => c.references('members.id'))
				.addColumn('person_name', 'text', (c) => c.notNull())
				.addColumn('role', 'text')
				.addColumn('background', 'text')
				.addColumn('reason', 'text')
				.addColumn('requested_by', 'text', (c) => c.notNull())
				.addColumn('requested_at', 'text', (c) => c.notNull())
				.addColumn('decided_by', 'text')
				.addColumn('decided_at', 'text')
				.addColumn('decision_number', 'text')
				.addColumn('decision_date', 'text')
				.addColumn('note', 'text')
				.execute();
			await db.schema.createIndex('membership_decisions_team').on('membership_decisions').columns(['team_id', 'status']).execute();

			// Team activities other than help sessions (seed 3.2).
			await db.schema
				.createTable('activities')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('activity_date', 'text', (c) => c.notNull())
				.addColumn('period', 'text', (c) => c.notNull())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('member_ids', 'text', (c) => c.notNull())
				.addColumn('people_reached', 'integer', (c) => c.notNull())
				.addColumn('note', 'text')
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('deleted_at', 'text')
				.execute();
			await db.schema.createIndex('activities_period_team').on('activities').columns(['period', 'team_id']).execute();

			// Badges: the number printed in a member's badge QR; reissuing raises it and so
			// revokes every earlier card. 0 = no badge issued.
			await db.schema.alterTable('members').addColumn('badge_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();

			// Covering index for the report's per-skill sums (measured: most of the SQLite report time).
			await db.schema
				.createIndex('tally_skill_counts_cover')
				.on('tally_skill_counts')
				.columns(['session_id', 'skill_code', 'count'])
				.execute();
		}
	},
	'0003_drop_resident_key': {
		async up(db: Kysely<unknown>) {
			// Tablets make their own resident key now (kiosk/residentKeys.ts). The deployment-wide
			// one, which with any tablet's hashes gave back every resident's ID number, is deleted.
			await sql`DELETE FROM settings WHERE key = 'residentKeySecret'`.execute(db);
		}
	},
	'0004_org_history': {
		async up(db: Kysely<unknown>) {
			// The dated org tree (issue 12). org_units' name/kind/code/parent_id and teams.unit_id stay
			// as mirrors of today's state; these tables hold every day's.
			await db.schema
				.createTable('org_unit_versions')
				.addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
				.addColumn('valid_from', 'text', (c) => c.notNull())
				.addColumn('valid_to', 'text')
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('code', 'text')
				.addColumn('parent_id', 'text')
				.addPrimaryKeyConstraint('org_unit_versions_pk', ['unit_id', 'valid_from'])
				.execute();
			await db.schema
				.createTable('team_placements')
				.addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
				.addColumn('unit_id', 'text', (c) => c.notNull())
				.addColumn('level', 'text', (c) => c.notNull())
				.addColumn('valid_from', 'text', (c) => c.notNull())
				.addColumn('valid_to', 'text')
				.addPrimaryKeyConstraint('team_placements_pk', ['team_id', 'valid_from'])
				.execute();
			await db.schema
				.createTable('org_changes')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('seq', 'integer', (c) => c.notNull().unique())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('effective_on', 'text', (c) => c.notNull())
				.addColumn('basis', 'text', (c) => c.notNull())
				.addColumn('subjects', 'text', (c) => c.notNull())
				.addColumn('reverses', 'text')
				.addColumn('units', 'text', (c) => c.notNull())
				.addColumn('teams', 'text', (c) => c.notNull())
				.addColumn('recorded_by', 'text', (c) => c.notNull())
				.addColumn('recorded_at', 'text', (c) => c.notNull())
				.execute();

			// Today's tree as its first version: in force since the earliest team's establishment (or
			// ORG_HISTORY_START on an install without teams); an archived unit ends on its archive date.
			// Spelled out rather than imported: a migration stays as it was written.
			type Unit = { id: string; parent_id: string | null; name: string; kind: string; code: string | null; archived_at: string | null };
			type Team = { id: string; unit_id: string; level: string; established_on: string; archived_at: string | null };
			const units = (await sql<Unit>`SELECT id, parent_id, name, kind, code, archived_at FROM org_units`.execute(db)).rows;
			const teams = (await sql<Team>`SELECT id, unit_id, level, established_on, archived_at FROM teams`.execute(db)).rows;
			const since = teams.reduce((min, t) => (t.established_on < min ? t.established_on : min), '2000-01-01');
			const dayOf = (iso: string) => {
				const day = iso.slice(0, 10);
				return day > since ? day : since;
			};
			const versions = units.map((u) => ({
				unit_id: u.id,
				valid_from: since,
				valid_to: u.archived_at === null ? null : dayOf(u.archived_at),
				name: u.name,
				kind: u.kind,
				code: u.code,
				parent_id: u.parent_id
			}));
			const placements = teams.map((t) => ({
				team_id: t.id,
				unit_id: t.unit_id,
				level: t.level,
				valid_from: t.established_on < since ? since : t.established_on,
				// An archived team leaves its unit (which may be archived too) on its archive date.
				valid_to: t.archived_at === null ? null : dayOf(t.archived_at) > t.established_on ? dayOf(t.archived_at) : null
			}));
			for (let i = 0; i < versions.length; i += 500) await db.insertInto('org_unit_versions' as never).values(versions.slice(i, i + 500) as never).execute();
			for (let i = 0; i < placements.length; i += 500) await db.insertInto('team_placements' as never).values(placements.slice(i, i + 500) as never).execute();
		}
	},
	'0005_period_submissions': {
		async up(db: Kysely<unknown>) {
			// A team's monthly submission (issue 13): one row per act of the leader; the one in force
			// for a team and period is 'current', those it replaced 'replaced' (kept for the record).
			await db.schema
				.createTable('period_submissions')
				.addColumn('submission_id', 'text', (c) => c.primaryKey())
				.addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
				.addColumn('period', 'text', (c) => c.notNull())
				.addColumn('sessions', 'text', (c) => c.notNull())
				.addColumn('submitted_at', 'text', (c) => c.notNull())
				.addColumn('received_at', 'text', (c) => c.notNull())
				.addColumn('device_id', 'text', (c) => c.notNull())
				.addColumn('state', 'text', (c) => c.notNull())
				.execute();
			// At most one submission in force per team and period, even with two arriving at once.
			await db.schema
				.createIndex('period_submissions_current')
				.on('period_submissions')
				.columns(['team_id', 'period'])
				.unique()
				.where(sql.ref('state'), '=', 'current')
				.execute();
			// Every approve / return / reopen, append-only per subject and period: (subject, period, seq)
			// is unique, so of two officers acting on the same log at once one insert wins.
			await db.schema
				.createTable('approval_events')
				.addColumn('subject_kind', 'text', (c) => c.notNull())
				.addColumn('subject_id', 'text', (c) => c.notNull())
				.addColumn('period', 'text', (c) => c.notNull())
				.addColumn('seq', 'integer', (c) => c.notNull())
				.addColumn('action', 'text', (c) => c.notNull())
				.addColumn('level', 'text', (c) => c.notNull())
				.addColumn('actor', 'text', (c) => c.notNull())
				.addColumn('actor_name', 'text', (c) => c.notNull())
				.addColumn('note', 'text')
				.addColumn('at', 'text', (c) => c.notNull())
				// An approval's locked figures: JSON SessionFigures[] (each session at the version approved).
				.addColumn('snapshot', 'text')
				.addPrimaryKeyConstraint('approval_events_pk', ['subject_kind', 'subject_id', 'period', 'seq'])
				.execute();
			await db.schema.createIndex('approval_events_period').on('approval_events').columns(['period', 'subject_kind']).execute();
		}
	},
	'0006_outcomes': {
		async up(db: Kysely<unknown>) {
			// The five basic digital skills (issue 14). Each skill counts toward one group or none.
			await db.schema.alterTable('skills').addColumn('basic_group', 'text').execute();
			// The default catalog's groups, spelled out: a migration stays as it was written.
			const groups: Record<string, string> = {
				vneid_install: 'publicServices',
				vneid_level2: 'publicServices',
				public_services: 'publicServices',
				bank_app: 'payment',
				ewallet_qr: 'payment',
				ecommerce: 'shopping',
				scam_awareness: 'safety',
				vssid: 'publicServices',
				online_learning: 'localPlatforms',
				digital_signature: 'publicServices',
				utility_bills: 'payment',
				binh_dan_hoc_vu_so: 'localPlatforms'
			};
			for (const [code, group] of Object.entries(groups)) {
				await sql`UPDATE skills SET basic_group = ${group} WHERE code = ${code}`.execute(db);
			}
			// A catalog already in use gains the Bình dân học vụ số skill (an empty one gets the whole
			// default catalog at start).
			const { rows } = await sql<{ n: number; top: number | null }>`SELECT COUNT(*) AS n, MAX(sort) AS top FROM skills`.execute(db);
			const have = await sql<{ code: string }>`SELECT code FROM skills WHERE code = 'binh_dan_hoc_vu_so'`.execute(db);
			if (Number(rows[0]?.n ?? 0) > 0 && have.rows.length === 0) {
				await sql`INSERT INTO skills (code, name_vi, name_en, category, active, sort, basic_group)
					VALUES ('binh_dan_hoc_vu_so', 'Đăng ký và học trên Bình dân học vụ số', 'Sign up and learn on Bình dân học vụ số',
						'learning', 1, ${Number(rows[0]?.top ?? 0) + 1}, 'localPlatforms')`.execute(db);
			}

			// A session's outcomes (tally schema 2). NULL: the tablet sent schema 1 and reported none,
			// which reports must show as not reported, never as zero.
			await db.schema.alterTable('session_tallies').addColumn('residents_newly_proficient', 'integer').execute();
			await db.schema.alterTable('session_tallies').addColumn('households_newly_covered', 'integer').execute();
			await db.schema
				.createTable('tally_group_counts')
				.addColumn('session_id', 'text', (c) => c.notNull().references('session_tallies.session_id'))
				.addColumn('basic_group', 'text', (c) => c.notNull())
				.addColumn('count', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('tally_group_counts_pk', ['session_id', 'basic_group'])
				.execute();
			// Each village's number of households, entered by an officer, dated (it changes rarely):
			// what household coverage is measured against.
			await db.schema
				.createTable('village_household_counts')
				.addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
				.addColumn('counted_on', 'text', (c) => c.notNull())
				.addColumn('households', 'integer', (c) => c.notNull())
				.addColumn('recorded_by', 'text', (c) => c.notNull())
				.addColumn('recorded_at', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('village_household_counts_pk', ['unit_id', 'counted_on'])
				.execute();
		}
	}
};

/** Each limit's hits: when the latest leaves its window, the row counts nothing and is swept. */
const rateLimitHits = {
	'0007_rate_limit_hits': {
		async up(db: Kysely<unknown>) {
			// The sign-in and enrolment limits, shared by every server process (issue 15 §3).
			await db.schema
				.createTable('rate_limit_hits')
				.addColumn('key_hash', 'text', (c) => c.primaryKey())
				.addColumn('hits', 'text', (c) => c.notNull())
				.addColumn('expires_ms', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('rate_limit_hits_expires').on('rate_limit_hits').column('expires_ms').execute();
		}
	}
};

/** The public half of each tablet's signing key, for the tallies it hands over as QR codes. */
const deviceSigningKeys = {
	'0008_device_signing_key': {
		async up(db: Kysely<unknown>) {
			// Issue 15 §2. A JWK (P-256); null until the tablet registers one.
			await db.schema.alterTable('devices').addColumn('signing_key', 'text').execute();
		}
	}
};

/** Each team's sums per period, kept by every writer of sessions (lib/server/periodTotals.ts), back-filled here. */
const periodTotals = {
	'0009_team_period_totals': {
		async up(db: Kysely<unknown>) {
			// Spelled out, not imported: a migration stays as it was written.
			const counts = [
				'check_ins', 'distinct_residents', 'first_time_residents', 'residents_male', 'residents_female', 'residents_under18', 'residents_18_39',
				'residents_40_59', 'residents_60plus', 'assists', 'assists_done', 'assists_partly', 'assists_referred', 'assists_male', 'assists_female',
				'assists_under18', 'assists_18_39', 'assists_40_59', 'assists_60plus'
			];
			let totals = db.schema
				.createTable('team_period_totals')
				.addColumn('period', 'text', (c) => c.notNull())
				.addColumn('team_id', 'text', (c) => c.notNull())
				.addColumn('sessions', 'integer', (c) => c.notNull())
				.addColumn('first_received_at', 'text', (c) => c.notNull())
				.addColumn('outcome_sessions', 'integer', (c) => c.notNull())
				.addColumn('residents_newly_proficient', 'integer', (c) => c.notNull())
				.addColumn('households_newly_covered', 'integer', (c) => c.notNull());
			for (const c of counts) totals = totals.addColumn(c, 'integer', (col) => col.notNull());
			await totals.addPrimaryKeyConstraint('team_period_totals_pk', ['period', 'team_id']).execute();
			// "Since the start" reads each team's periods up to one: by team, not the whole range.
			await db.schema.createIndex('team_period_totals_team').on('team_period_totals').columns(['team_id', 'period']).execute();
			await db.schema
				.createTable('team_period_skills')
				.addColumn('period', 'text', (c) => c.notNull())
				.addColumn('team_id', 'text', (c) => c.notNull())
				.addColumn('skill_code', 'text', (c) => c.notNull())
				.addColumn('assists', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('team_period_skills_pk', ['period', 'team_id', 'skill_code'])
				.execute();
			await db.schema
				.createTable('team_period_groups')
				.addColumn('period', 'text', (c) => c.notNull())
				.addColumn('team_id', 'text', (c) => c.notNull())
				.addColumn('basic_group', 'text', (c) => c.notNull())
				.addColumn('residents', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('team_period_groups_pk', ['period', 'team_id', 'basic_group'])
				.execute();
			// Back-fill from the sessions already held.
			await sql`INSERT INTO team_period_totals (period, team_id, sessions, first_received_at, outcome_sessions, residents_newly_proficient, households_newly_covered, ${sql.raw(counts.join(', '))})
				SELECT period, team_id, COUNT(*), MIN(received_at), COUNT(residents_newly_proficient), COALESCE(SUM(residents_newly_proficient), 0), COALESCE(SUM(households_newly_covered), 0),
					${sql.raw(counts.map((c) => `SUM(${c})`).join(', '))}
				FROM session_tallies GROUP BY period, team_id`.execute(db);
			await sql`INSERT INTO team_period_skills (period, team_id, skill_code, assists)
				SELECT st.period, st.team_id, k.skill_code, SUM(k.count) FROM session_tallies st JOIN tally_skill_counts k ON k.session_id = st.session_id
				GROUP BY st.period, st.team_id, k.skill_code HAVING SUM(k.count) <> 0`.execute(db);
			await sql`INSERT INTO team_period_groups (period, team_id, basic_group, residents)
				SELECT st.period, st.team_id, g.basic_group, SUM(g.count) FROM session_tallies st JOIN tally_group_counts g ON g.session_id = st.session_id
				GROUP BY st.period, st.team_id, g.basic_group HAVING SUM(g.count) <> 0`.execute(db);
		}
	}
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations, ...rateLimitHits, ...deviceSigningKeys, ...periodTotals }) };

/**
 * Brings the schema up to date; throws (and the server does not start) if a migration fails.
 * On PostgreSQL name the schema: Kysely otherwise looks for its bookkeeping tables in every
 * schema of the database and trips over another schema's.
 */
export async function migrateToLatest(db: Kysely<unknown>, pgSchema?: string): Promise<string[]> {
	// Unordered: migrations written side by side on branches (0005, 0006, 0007 were) touch different
	// tables, and a database that ran a later one first must still take the earlier one.
	const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true, ...(pgSchema ? { migrationTableSchema: pgSchema } : {}) });
	const { error, results } = await migrator.migrateToLatest();
	if (error) throw error instanceof Error ? error : new Error(String(error));
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
