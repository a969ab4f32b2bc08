// Which Chromium the browser tests and the bench launch. Playwright's own browser download cannot
// be reached from these machines, so Debian's package is the default; a Chromium that
// `npx playwright install chromium` put in Playwright's cache is taken when Debian's is missing.
import { accessSync, constants, statSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * An explicit CHROMIUM_PATH wins and is not second-guessed (a wrong one should fail loudly, not
 * fall back); then Debian's; then Playwright's. Null when there is none.
 * @returns {string | null}
 */
export function chromiumPath() {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	if (isExecutableFile(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
	const playwrights = chromium.executablePath();
	return isExecutableFile(playwrights) ? playwrights : null;
}

/** @param {string} path */
export function isExecutableFile(path) {
	try {
		accessSync(path, constants.X_OK);
		return statSync(path).isFile();
	} catch {
		return false;
	}
}
