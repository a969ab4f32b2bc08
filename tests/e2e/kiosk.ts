// What the e2e tests share: unlocking team mode, registering a resident and recording a session as
// a person would, and reading what the kiosk stored in IndexedDB (the stored record is what "nothing lost" is about).
import { expect, type Page } from '@playwright/test';
import { START_MARKS } from '../../src/lib/kiosk/marks';

export const DEMO = {
	leader: { name: 'Nguyễn Văn An', pin: '1111' },
	deputy: { name: 'Trần Thị Bình', pin: '2222' },
	member: { name: 'Lê Văn Cường', pin: '3333' }
} as const;

/**
 * Waits until the kiosk app has started on the page (its start mark, set after the whole page has
 * hydrated). A tap on the prerendered page before that finds no handler and is lost.
 */
export async function waitForKioskStart(page: Page): Promise<void> {
	await page.waitForFunction((mark) => performance.getEntriesByName(mark, 'mark').length > 0, START_MARKS.kioskReady);
}

export async function unlockTeamMode(page: Page, who: { name: string; pin: string }): Promise<void> {
	await page.getByRole('link', { name: 'Tổ công nghệ số' }).click();
	await page.getByRole('button', { name: new RegExp(who.name) }).click();
	for (const digit of who.pin) await page.getByRole('button', { name: digit, exact: true }).click();
	await page.getByRole('button', { name: 'Mở khóa' }).click();
	await expect(page.getByText(`Đang làm việc: ${who.name}`)).toBeVisible();
}

/** Fills the no-card form, already open, and joins the queue. */
export async function registerWithoutCard(page: Page, person: { name: string; birthYear: number; gender: 'Nam' | 'Nữ' }): Promise<void> {
	await page.getByLabel('Họ và tên').fill(person.name);
	await page.getByLabel('Năm sinh').fill(String(person.birthYear));
	await page.getByRole('button', { name: person.gender, exact: true }).click();
	await page.getByRole('button', { name: 'Đăng ký và vào hàng chờ' }).click();
}

/**
 * A woman without a card registers, the leader logs one skill for her and closes the session: the
 * app's own outbox row. `origin` is the kiosk's address when it is not the tests' base URL.
 */
export async function recordSession(page: Page, name: string, skill: string, options: { birthYear?: number; origin?: string } = {}): Promise<void> {
	await page.goto(`${options.origin ?? ''}/no-card`);
	await registerWithoutCard(page, { name, birthYear: options.birthYear ?? 1950, gender: 'Nữ' });
	await expect(page.getByText('Số thứ tự:')).toBeVisible();
	await unlockTeamMode(page, DEMO.leader);
	await page.getByRole('button', { name: new RegExp(name) }).click();
	await page.getByRole('button', { name: skill, exact: true }).click();
	await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
	await expect(page.getByText(`Đã lưu hỗ trợ cho ${name}`)).toBeVisible();
	await page.getByRole('button', { name: 'Đóng phiên' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
	await expect(page.getByText('Đã đóng phiên.', { exact: false })).toBeVisible();
}

/** README screenshots are taken from the e2e run when SCREENSHOTS=1 (npm run screenshots). */
export async function screenshotForReadme(page: Page, name: string): Promise<void> {
	if (process.env.SCREENSHOTS) await page.screenshot({ path: `tests/screenshots/${name}.png` });
}

/** Today at the hall, as the kiosk writes dates (dd/mm/yyyy, Vietnam time). */
export function todayVi(): string {
	return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(
		new Date()
	);
}

/** All rows of one object store of the kiosk database, read with the raw IndexedDB API. */
export async function storedRows<T = Record<string, unknown>>(page: Page, store: string): Promise<T[]> {
	return page.evaluate(
		(storeName) =>
			new Promise<T[]>((resolve, reject) => {
				const open = indexedDB.open('tramso-kiosk');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains(storeName)) {
						db.close();
						return resolve([]);
					}
					const request = db.transaction(storeName).objectStore(storeName).getAll();
					request.onsuccess = () => {
						db.close();
						resolve(request.result as T[]);
					};
					request.onerror = () => reject(request.error);
				};
			}),
		store
	);
}

/** Everything the kiosk stored, as one string: for checks that a value is stored nowhere. */
export async function wholeDatabaseText(page: Page): Promise<string> {
	const stores = ['residents', 'members', 'sessions', 'checkIns', 'assists', 'skills', 'outbox', 'settings'];
	const dumps = await Promise.all(stores.map((s) => storedRows(page, s)));
	return JSON.stringify(dumps);
}
