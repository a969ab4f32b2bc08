// A tablet stands upright as often as on its side, and its camera may stream either way round.
// The same check-in runs in both viewport orientations; each spec that calls this runs in a
// Playwright project whose fake camera streams one orientation (landscape 640×480: the kiosk
// project; portrait 480×640: portrait-camera).
import { expect, test } from './cspGuard';

export const VIEWPORTS = {
	landscape: { width: 1280, height: 800 },
	portrait: { width: 800, height: 1280 }
} as const;

export function checkInInBothViewports(stream: string): void {
	for (const [orientation, viewport] of Object.entries(VIEWPORTS)) {
		test.describe(`${orientation} viewport, ${stream} camera stream`, () => {
			test.use({ viewport });

			test('a CCCD held to the camera greets the resident', async ({ page }) => {
				await page.goto('/');
				await expect(page.getByRole('heading', { name: 'Xin chào bác Trần Thị Hoa' })).toBeVisible({ timeout: 8_000 });
				// The check-in screen fits the width: nothing to scroll sideways.
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				expect(overflow).toBeLessThanOrEqual(0);
			});
		});
	}
}
