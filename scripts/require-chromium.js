// Runs before `playwright test`: the browser tests launch Debian's Chromium (never a Playwright
// download, which this network cannot reach), so fail early with the fix instead of a stack trace.
import { accessSync, constants, statSync } from 'node:fs';

// Same choice as playwright.config.ts: an explicit CHROMIUM_PATH wins and is not second-guessed,
// because a wrong one would otherwise pass here and fail later inside Playwright.
const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (!isExecutableFile(candidate)) {
	const where = process.env.CHROMIUM_PATH ? ` (CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file)` : '';
	process.stderr.write(
		`No Chromium found for the browser tests${where}. On Debian: sudo apt-get install -y chromium, or set CHROMIUM_PATH=/path/to/chromium\n`
	);
	process.exit(1);
}

/** @param {string} path */
function isExecutableFile(path) {
	try {
		accessSync(path, constants.X_OK);
		return statSync(path).isFile();
	} catch {
		return false;
	}
}
