// Issue 15 §2 end to end: a hall with no network. The tablet closes a session offline and shows
// its pending tally as signed QR codes; an officer's phone (a second browser, whose fake camera
// films exactly those codes) collects them at /admin/collect; the team's report gains the
// session; back online, the tablet's own upload is answered "unchanged". A code altered on the
// way is refused as forged, and nothing personal is in the codes.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { expect, test } from './cspGuard';
import { registerWithoutCard, storedRows, unlockTeamMode } from './kiosk';
import { signIn } from './admin';
import { seriousViolations } from './axe';
import { enrolWithCode } from './enrol';
import { LEADER, newTeam } from './newTeam';
import { E2E_BASE_URL, E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { GENERATED_DIR } from '../fixtures/videos';
import { FAKE_CAMERA_FLAGS, writeQrVideo } from '../fixtures/y4m';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { localDateOf, periodOf } from '../../src/lib/domain/period';
import { joinedMessage, parsePart, addPart, unpackMessage, type PartSet } from '../../src/lib/domain/tallyQr';
import { chromiumPath } from '../../scripts/chromium-path.js';

const RESIDENT = 'Phạm Thị Vắng Sóng';

async function signingKeyOf(teamId: string): Promise<string | null> {
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	try {
		const device = await db.selectFrom('devices').select('signing_key').where('team_id', '=', teamId).executeTakeFirst();
		return device?.signing_key ?? null;
	} finally {
		await close();
	}
}

/**
 * The whole set again as a forger would pass it on: under a message id of its own (the phone sets
 * aside codes of a message it has already sent), its last code with one base45 character lowered:
 * still base45, no longer what the tablet signed.
 */
function alteredSet(parts: string[]): string[] {
	return parts.map((part, i) => {
		const relabelled = part.replace(/^TS1:([0-9A-Z]+):/, 'TS1:$1Z:');
		if (i < parts.length - 1) return relabelled;
		const head = relabelled.slice(0, relabelled.lastIndexOf(':') + 1);
		const chunk = relabelled.slice(head.length).split('');
		const at = chunk.findIndex((c, j) => j % 3 === 0 && j > 0 && c !== '0');
		chunk[at] = '0';
		return head + chunk.join('');
	});
}

test('offline tablet → QR codes → officer\'s phone → report +1 → tablet online: unchanged; an altered code is refused', async ({ page }) => {
	test.setTimeout(180_000);
	const period = periodOf(localDateOf(new Date()));
	const setup = await newTeam('Vắng Sóng');

	// Enrolled while the network is there: the tablet registers its signing key at that sync.
	await page.goto('/team');
	await enrolWithCode(page, setup.code);
	await expect.poll(() => signingKeyOf(setup.teamId), { timeout: 15_000 }).toContain('"crv":"P-256"');

	// The network goes (once the service worker serves the kiosk); a session is held and closed.
	await page.evaluate(() => navigator.serviceWorker.ready);
	await page.reload(); // a first install may not control the page yet
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
	// setOffline alone does not cut the service worker's own fetches (offline.spec.ts): refuse those too.
	await page.context().setOffline(true);
	const cut = (route: import('@playwright/test').Route) => route.abort('internetdisconnected');
	await page.context().route('**/*', cut);
	await page.goto('/no-card');
	await registerWithoutCard(page, { name: RESIDENT, birthYear: 1948, gender: 'Nữ' });
	await expect(page.getByText('Số thứ tự:')).toBeVisible();
	await unlockTeamMode(page, LEADER);
	await page.getByRole('button', { name: new RegExp(RESIDENT) }).click();
	await page.getByRole('button', { name: 'Cài đặt VNeID', exact: true }).click();
	await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
	await page.getByRole('button', { name: 'Đóng phiên' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
	await expect(page.getByText('Đã đóng phiên.', { exact: false })).toBeVisible();
	await page.getByRole('link', { name: 'Báo cáo của tổ' }).click();
	await expect(page.locator('tr[data-outbox-state="pending"]')).toHaveCount(1);

	// The leader shows the codes; the test reads what each one says, as the phone's camera will.
	await page.locator('section.tally-qr').getByRole('button', { name: 'Hiện mã QR (1 phiên chờ gửi)' }).click();
	const dialog = page.getByRole('dialog');
	await expect(dialog.getByRole('heading')).toHaveText('Số liệu 1 phiên — đưa điện thoại của cán bộ vào mã');
	await dialog.getByRole('button', { name: 'Dừng lại' }).click();
	expect(await seriousViolations(page), 'the QR dialog passes axe').toEqual([]);
	const where = async () => (await dialog.locator('p.where').textContent())!.match(/Mã (\d+)\/(\d+)/)!;
	const currentIndex = async () => Number((await where())[1]);
	const count = Number((await where())[2]);
	expect(count, 'one session takes more than one code: the parts are exercised').toBeGreaterThan(1);
	const parts = new Map<number, string>();
	for (let i = 0; i < count; i++) {
		await expect(dialog.locator('img')).toHaveAttribute('data-part', new RegExp(`^TS1:[0-9A-Z]+:${await currentIndex()}:`));
		const text = (await dialog.locator('img').getAttribute('data-part'))!;
		const parsed = parsePart(text);
		if (!parsed.ok) throw new Error(`the tablet shows a code that is not a part: ${text.slice(0, 30)}`);
		parts.set(parsed.part.index, text);
		await dialog.getByRole('button', { name: 'Mã sau ›' }).click();
	}
	expect(parts.size).toBe(count);
	const ordered = [...parts.keys()].sort((a, b) => a - b).map((i) => parts.get(i)!);

	// Counts only: the message holds the tally, not the resident's name.
	let set: PartSet | null = null;
	for (const text of ordered) set = addPart(set, (parsePart(text) as { ok: true; part: Parameters<typeof addPart>[1] }).part);
	const tallies = JSON.parse(inflateRawSync(unpackMessage(joinedMessage(set!)!)!.body).toString('utf8')) as { sessionId: string; checkIns: number; teamId: string }[];
	const [outboxRow] = await storedRows<{ sessionId: string }>(page, 'outbox');
	expect(tallies.map((t) => [t.sessionId, t.teamId, t.checkIns])).toEqual([[outboxRow!.sessionId, setup.teamId, 1]]);
	expect(JSON.stringify(tallies)).not.toContain('Vắng Sóng');
	await dialog.getByRole('button', { name: 'Xong' }).click();

	// The officer's phone: its camera films the tablet's codes in turn, then the set altered on the way.
	const video = join(GENERATED_DIR, `tally-qr-${setup.teamId}.y4m`);
	// Each code under four masks in turn, as the tablet redraws them each round: ZXing misreads
	// about one symbol in eight, and some drawing of each reads.
	const masks = [0, 2, 5, 7] as const;
	writeQrVideo(video, [...ordered, ...alteredSet(ordered)].flatMap((payload) => masks.map((maskPattern) => ({ payload, frames: 5, maskPattern }))));
	const phone = await chromium.launch({ executablePath: chromiumPath() ?? undefined, args: ['--no-sandbox', '--disable-gpu', ...FAKE_CAMERA_FLAGS(video)] });
	try {
		const officer = await (await phone.newContext({ baseURL: E2E_BASE_URL, viewport: { width: 412, height: 915 }, locale: 'vi-VN' })).newPage();
		await signIn(officer);
		const teamRow = officer.locator(`tr[data-team-id="${setup.teamId}"]`);
		await officer.goto(`/admin/reports?unit=${encodeURIComponent(setup.villageId)}&period=${period}`);
		await expect(teamRow.locator('td').nth(2)).toHaveText('0');

		await officer.goto('/admin');
		await officer.getByRole('link', { name: 'Thu số liệu QR' }).click(); // on the dashboard
		await expect(officer.getByRole('heading', { name: 'Thu số liệu bằng mã QR' })).toBeVisible();

		// In the hall the phone has no network either: the camera still starts, and what it reads is kept.
		const phoneContext = officer.context();
		await phoneContext.setOffline(true);
		await phoneContext.route('**/*', cut);
		await officer.getByRole('button', { name: 'Bật camera' }).click();
		await expect(officer.locator('.kept')).toContainText(/Đang giữ trên điện thoại, chưa gửi được: [12] bộ mã/, { timeout: 60_000 });
		await expect(officer.getByRole('status')).toContainText('Chưa gửi được (không có mạng)');
		await phoneContext.unroute('**/*', cut);
		await phoneContext.setOffline(false); // the page hears 'online' and sends what it kept

		const stored = officer.locator(`section.result[data-team-id="${setup.teamId}"] tr[data-result="stored"]`);
		await expect(stored).toHaveCount(1, { timeout: 60_000 });
		await expect(stored).toHaveAttribute('data-session-id', outboxRow!.sessionId);
		await expect(officer.locator('section.result').first()).toContainText('Mới lưu 1, đã có từ trước 0, bị từ chối 0');
		await expect(officer.locator('p.result[data-refusal="forged"]').first()).toContainText('Từ chối: mã bị sửa hoặc giả', { timeout: 60_000 });
		expect(await seriousViolations(officer), 'the collect page with its results passes axe').toEqual([]);
		const overflow = await officer.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow, 'the collect page fits a phone without scrolling sideways').toBeLessThanOrEqual(0);
		await officer.getByRole('button', { name: 'Tắt camera' }).click();

		await officer.goto(`/admin/reports?unit=${encodeURIComponent(setup.villageId)}&period=${period}`);
		await expect(teamRow.locator('td').nth(2)).toHaveText('1');
	} catch (e) {
		// What the phone showed, beside the tablet's page that Playwright keeps by itself.
		for (const context of phone.contexts()) for (const p of context.pages()) await test.info().attach('phone', { body: await p.screenshot({ fullPage: true }), contentType: 'image/png' });
		throw e;
	} finally {
		await phone.close();
		rmSync(video, { force: true });
	}

	// Back online: the tablet's upload finds the session already there.
	await page.context().unroute('**/*', cut);
	await page.context().setOffline(false);
	await page.getByRole('button', { name: 'Gửi ngay' }).click();
	await expect(page.locator('tr[data-outbox-state="sent"]')).toHaveCount(1, { timeout: 20_000 });
	const [sent] = await storedRows<{ serverResult?: string }>(page, 'outbox');
	expect(sent!.serverResult).toBe('unchanged');
	await expect(page.locator('section.tally-qr').getByRole('button', { name: 'Hiện mã QR (0 phiên chờ gửi)' })).toBeDisabled();
});
