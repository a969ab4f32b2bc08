// Three taps means three taps: with the default 13 skills, the resident, every skill and every
// outcome are on screen without scrolling, on a tablet on its side and upright; the message after
// a save covers none of them; disabled buttons stay readable.
import { expect, test, type Locator, type Page } from './cspGuard';
import { DEMO, unlockTeamMode } from './kiosk';
import { VIEWPORTS } from './orientations';

async function expectInViewport(page: Page, target: Locator): Promise<void> {
	const viewport = page.viewportSize()!;
	const box = await target.boundingBox();
	expect(box, 'on the page').not.toBeNull();
	expect(box!.y, 'top below the top edge').toBeGreaterThanOrEqual(0);
	expect(box!.y + box!.height, 'bottom above the fold').toBeLessThanOrEqual(viewport.height);
	expect(box!.x + box!.width, 'right edge inside the screen').toBeLessThanOrEqual(viewport.width);
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
	return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** WCAG contrast ratio of an element's text against its own background (opacity applied). */
async function contrastOf(target: Locator): Promise<number> {
	return target.evaluate((el) => {
		const style = getComputedStyle(el);
		const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
		const alpha = Number(style.opacity);
		const over = (fg: number[], bg: number[]) => fg.map((v, i) => v * alpha + bg[i]! * (1 - alpha));
		const white = [255, 255, 255];
		const bg = over(rgb(style.backgroundColor), white);
		const fg = over(rgb(style.color), white);
		const lum = (c: number[]) => {
			const [r, g, b] = c.map((v) => {
				const s = v / 255;
				return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
			});
			return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
		};
		const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
		return (hi! + 0.05) / (lo! + 0.05);
	});
}

for (const [orientation, viewport] of Object.entries(VIEWPORTS)) {
	test.describe(`team mode, ${orientation} ${viewport.width}×${viewport.height}`, () => {
		test.use({ viewport });

		test('resident, all 13 skills and the outcomes are in view; the save message covers none', async ({ page }) => {
			await page.goto('/');
			await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible();
			await unlockTeamMode(page, DEMO.member);

			const resident = page.getByRole('button', { name: /Trần Thị Hoa/ });
			const skills = page.locator('button.skill');
			const outcomes = page.getByRole('group', { name: '3. Kết quả' }).getByRole('button');
			await expect(skills).toHaveCount(13);
			await expect(outcomes).toHaveCount(3);

			// Before a resident is picked the skills are disabled, and still readable.
			await expect(skills.first()).toBeDisabled();
			expect(await contrastOf(skills.first())).toBeGreaterThanOrEqual(4.5);
			expect(await contrastOf(outcomes.first())).toBeGreaterThanOrEqual(4.5);

			await expectInViewport(page, resident);
			for (const skill of await skills.all()) await expectInViewport(page, skill);
			for (const outcome of await outcomes.all()) await expectInViewport(page, outcome);
			expect(await page.evaluate(() => window.scrollY)).toBe(0);

			await resident.click();
			await page.getByRole('button', { name: 'Cài đặt VNeID', exact: true }).click();
			await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
			const saved = page.getByText('Đã lưu hỗ trợ cho Trần Thị Hoa');
			await expect(saved).toBeVisible();
			const message = (await saved.boundingBox())!;
			for (const target of [resident, ...(await skills.all()), ...(await outcomes.all())]) {
				expect(overlaps(message, (await target.boundingBox())!)).toBe(false);
				await expectInViewport(page, target);
			}
		});
	});
}
