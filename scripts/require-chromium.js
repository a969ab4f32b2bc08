// Runs before `playwright test`: the browser tests need a Chromium (scripts/chromium-path.js says
// which), so fail early with the fix in one line instead of a stack trace.
import { chromiumPath, isExecutableFile } from './chromium-path.js';

const found = chromiumPath();
if (!found || !isExecutableFile(found)) {
	const where = process.env.CHROMIUM_PATH ? ` (CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file)` : '';
	process.stderr.write(`No Chromium found for the browser tests${where}. On Debian: sudo apt-get install -y chromium (or set CHROMIUM_PATH=/path/to/chromium)\n`);
	process.exit(1);
}
