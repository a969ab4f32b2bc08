// Joining the e2e server by typing a fresh enrolment code (for specs whose camera films something
// else): the code is made on the server's database as an officer's page would.
import { expect, type Page } from '@playwright/test';
import { DEMO, unlockTeamMode } from './kiosk';
import { DEMO_TEAM_ID, E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { createEnrolmentCode } from '../../src/lib/server/devices';

/** `databaseUrl`: another server's database (the fault specs run their own). */
export async function newEnrolmentCode(databaseUrl = E2E_DATABASE_URL): Promise<string> {
	const { db, close } = await openMigratedDatabase(databaseUrl);
	try {
		return (await createEnrolmentCode(db, { teamId: DEMO_TEAM_ID, createdBy: null, now: new Date(), ttlHours: 2 })).code;
	} finally {
		await close();
	}
}

/** Demo leader unlocks (demo PIN), then Báo cáo của tổ → Kết nối máy chủ → types a fresh demo-team code. */
export async function enrolByTypedCode(page: Page): Promise<void> {
	await enrolWithCode(page, await newEnrolmentCode());
}

/** The same steps with a code of any team. */
export async function enrolWithCode(page: Page, code: string): Promise<void> {
	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await page.getByRole('button', { name: 'Kết nối máy chủ' }).click();
	await page.getByLabel('Mã kết nối').fill(code);
	await page.getByRole('button', { name: 'Kết nối', exact: true }).click();
	await expect(page.getByText(/Đã kết nối với .*Máy làm việc cho/)).toBeVisible({ timeout: 15_000 });
}
