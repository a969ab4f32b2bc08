// Trạm Số operations from a shell: what an officer or the district IT person scripts.
//   npm run cli -- create-user --username lan --name "Nguyễn Thị Lan" --role officer --unit <unitId> [--password …]
//   npm run cli -- set-password --username lan [--password …]   (signs the user out everywhere)
//   npm run cli -- enrol-code --team <teamId> [--hours 24] [--origin https://tramso.example.vn]
//   npm run cli -- set-pin --member <memberId> --pin 1234
//   npm run cli -- list-teams
//   npm run cli -- export-tree > don-vi.csv
//   npm run cli -- import-tree don-vi.csv
//   npm run cli -- import-mapping sap-nhap.csv [--apply]   (the province's official mapping: dry run unless --apply)
//   npm run cli -- backup backups/tramso-2026-11-30.db      (safe while the server runs)
//   npm run cli -- restore backups/tramso-2026-11-30.db     (stop the server first)
// Uses DATABASE_URL like the server (default ./data/tramso.db).
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { parseArgs } from 'node:util';
import { randomBytes, randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { enrolmentQrPayload } from '../src/lib/domain/api';
import { hashPin } from '../src/lib/domain/pin';
import { m } from '../src/lib/paraglide/messages.js';
import { isPostgresUrl, openMigratedDatabase, sqlitePathOf } from '../src/lib/server/db/connect';
import { backupSqlite, restoreSqlite, type RowCounts } from '../src/lib/server/backup';
import type { Database, UserRole } from '../src/lib/server/db/schema';
import { formatDateVi } from '../src/lib/domain/period';
import { mappingActionText, mappingRefusalText } from '../src/lib/i18n/treeText';
import { importMapping, loadHistory } from '../src/lib/server/orgHistory';
import { createEnrolmentCode } from '../src/lib/server/devices';
import { exportTreeCsv, importTreeCsv } from '../src/lib/server/orgTree';
import { listTeams, setMemberPin } from '../src/lib/server/teams';
import { changePassword, createUser, normaliseUsername } from '../src/lib/server/users';
import { ensureDefaultSkills } from '../src/lib/server/skills';

const USAGE = `usage: npm run cli -- <command> [options]
commands:
  create-user  --username U --name "Full Name" --role admin|officer|leader [--unit ID] [--team ID] [--password P]
  set-password --username U [--password P]            a forgotten password; prints a generated one
  enrol-code   --team ID [--hours 24] [--origin URL]   prints the code and its QR
  set-pin      --member ID --pin 1234
  list-teams
  export-tree                                        CSV to standard output
  import-tree  FILE.csv
  import-mapping FILE.csv [--apply]                  the province's mapping (old_code,new_code,new_name,effective_on,basis):
                                                     prints what it would do; records it all, or nothing, with --apply
  backup       FILE                                  copies the SQLite database to a new FILE; safe while the server runs
  restore      FILE                                  replaces the SQLite database with FILE (stop the server first;
                                                     the current database is kept beside it)`;

const PG_BACKUP_HINT = `DATABASE_URL is PostgreSQL: back up with pg_dump and restore with pg_restore, e.g.
  pg_dump --format=custom --file=tramso.dump "$DATABASE_URL"
  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" tramso.dump`;

const countsLine = (counts: RowCounts) =>
	['session_tallies', 'teams', 'org_units', 'devices', 'users', 'audit_events']
		.filter((t) => t in counts)
		.map((t) => `${t} ${counts[t]}`)
		.join(', ');

/** backup / restore work on the file itself, with no connection of the CLI's own open. */
async function backupOrRestore(command: 'backup' | 'restore', file: string | undefined): Promise<number> {
	if (isPostgresUrl(process.env.DATABASE_URL)) {
		console.error(PG_BACKUP_HINT);
		return 2;
	}
	if (!file) throw new Error(`give the file to ${command === 'backup' ? 'write the backup to' : 'restore from'}`);
	const databaseFile = sqlitePathOf(process.env.DATABASE_URL);
	if (command === 'backup') {
		const result = await backupSqlite(databaseFile, file);
		console.log(`backup written to ${result.file} (${(result.bytes / 1024).toFixed(0)} KiB): ${countsLine(result.counts)}`);
		return 0;
	}
	const result = await restoreSqlite(file, databaseFile, new Date());
	console.log(`restored ${databaseFile} from ${file}: ${countsLine(result.counts)}`);
	if (result.previousKeptAt) console.log(`the database it replaced is kept as ${result.previousKeptAt}`);
	return 0;
}

const ACTOR = 'system:cli';

/** The dry run (every step with its lines, and what it touches) or the refusal with its line; --apply records it. */
async function importMappingCommand(db: Kysely<Database>, csvText: string, options: { apply: boolean; now: Date }): Promise<number> {
	const history = await loadHistory(db);
	const names = new Map(history.versions.map((v) => [v.unitId, v.name]));
	const teams = new Map((await db.selectFrom('teams').select(['id', 'name']).execute()).map((t) => [t.id, t.name]));
	const result = await importMapping(db, csvText, { actor: ACTOR, now: options.now, apply: options.apply, newId: randomUUID });
	if (!result.plan.ok) {
		console.error(mappingRefusalText(result.plan.refusal, { unit: (id) => names.get(id), team: (id) => teams.get(id) }));
		return 1;
	}
	for (const step of result.plan.steps) {
		const what = `${mappingActionText(step.action)}: ${step.oldCodes.join(' + ')} → ${step.newCode} ${step.newName} (${formatDateVi(step.effectiveOn)})`;
		console.log(m.tree_line({ line: step.lines.join(', '), reason: what }));
	}
	const p = result.preview!;
	console.log(`${p.units} units, ${p.teams} teams, ${p.devices} tablets, ${p.officers} officer accounts affected`);
	console.log(result.applied ? `recorded ${result.plan.changes.length} changes` : 'dry run: nothing recorded (add --apply to record it)');
	return 0;
}

async function main(): Promise<number> {
	const [command, ...rest] = process.argv.slice(2);
	const { values, positionals } = parseArgs({
		args: rest,
		allowPositionals: true,
		options: {
			username: { type: 'string' },
			name: { type: 'string' },
			role: { type: 'string' },
			unit: { type: 'string' },
			team: { type: 'string' },
			password: { type: 'string' },
			hours: { type: 'string' },
			origin: { type: 'string' },
			member: { type: 'string' },
			pin: { type: 'string' },
			apply: { type: 'boolean' }
		}
	});
	if (!command || command === 'help' || command === '--help') {
		console.log(USAGE);
		return command ? 0 : 2;
	}
	if (command === 'backup' || command === 'restore') return backupOrRestore(command, positionals[0]);
	const { db, close } = await openMigratedDatabase();
	const now = new Date();
	try {
		switch (command) {
			case 'create-user': {
				const password = values.password ?? randomBytes(12).toString('base64url');
				const user = await createUser(db, {
					username: values.username ?? '',
					displayName: values.name ?? values.username ?? '',
					password,
					role: (values.role ?? '') as UserRole,
					unitId: values.unit,
					teamId: values.team,
					actor: ACTOR,
					now
				});
				console.log(`created ${user.role} "${user.username}"${values.password ? '' : ` with password ${password}`}`);
				return 0;
			}
			case 'set-password': {
				const username = normaliseUsername(values.username ?? '');
				const user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
				if (!user) throw new Error(`no user "${username}"`);
				const password = values.password ?? randomBytes(12).toString('base64url');
				await changePassword(db, { userId: user.id, password, actor: ACTOR, now });
				console.log(`password of "${username}" changed${values.password ? '' : ` to ${password}`}; their sessions are signed out`);
				return 0;
			}
			case 'enrol-code': {
				if (!values.team) throw new Error('--team is required');
				const { code, expiresAt } = await createEnrolmentCode(db, {
					teamId: values.team,
					createdBy: null,
					now,
					ttlHours: values.hours ? Number(values.hours) : undefined
				});
				const origin = values.origin ?? process.env.ORIGIN ?? 'http://localhost:3000';
				console.log(`code ${code} (expires ${expiresAt})`);
				console.log(await QRCode.toString(enrolmentQrPayload(origin, code), { type: 'terminal', small: true }));
				return 0;
			}
			case 'set-pin': {
				if (!values.member || !values.pin) throw new Error('--member and --pin are required');
				await setMemberPin(db, { memberId: values.member, pinHash: await hashPin(values.pin), actor: ACTOR, now });
				console.log('PIN set');
				console.log(m.kiosk2_pin_no_bank({}, { locale: 'vi' }));
				return 0;
			}
			case 'list-teams': {
				for (const team of await listTeams(db, {})) console.log(`${team.id}\t${team.level}\t${team.name}`);
				return 0;
			}
			case 'export-tree':
				process.stdout.write(await exportTreeCsv(db));
				return 0;
			case 'import-tree': {
				const file = positionals[0];
				if (!file) throw new Error('give the CSV file to import');
				await ensureDefaultSkills(db);
				const result = await importTreeCsv(db, readFileSync(file, 'utf8'), { actor: ACTOR, now });
				console.log(`imported: ${result.created} created, ${result.updated} updated`);
				return 0;
			}
			case 'import-mapping': {
				const file = positionals[0];
				if (!file) throw new Error('give the mapping CSV file');
				return await importMappingCommand(db, readFileSync(file, 'utf8'), { apply: values.apply === true, now });
			}
			default:
				console.error(`unknown command "${command}"\n${USAGE}`);
				return 2;
		}
	} finally {
		await close();
	}
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
		process.exit(1);
	}
);
