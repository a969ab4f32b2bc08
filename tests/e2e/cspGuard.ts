// Playwright's `test`, failing any test during which a page broke the Content-Security-Policy
// (svelte.config.js kit.csp): a blocked script, style, image, camera stream or connection would
// otherwise only show up as a feature quietly not working. Specs import `test` and `expect` from
// here instead of '@playwright/test'; contexts a test opens itself are watched too.
import { test as base, type Browser, type BrowserContext } from '@playwright/test';

export * from '@playwright/test';

/** Chromium's console words for a blocked load or inline code. */
const CSP_CONSOLE = /Content[ -]Security[ -]Policy/i;

async function watch(context: BrowserContext, seen: string[]): Promise<void> {
	await context.exposeBinding('__tramsoCspViolation', (_source, line: string) => {
		seen.push(line);
	});
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			const report = (window as unknown as { __tramsoCspViolation?: (line: string) => void }).__tramsoCspViolation;
			report?.(`${location.pathname}: ${e.effectiveDirective} refused ${e.blockedURI || 'inline code'} (${e.sourceFile}:${e.lineNumber})`);
		});
	});
	context.on('console', (message) => {
		if (message.type() === 'error' && CSP_CONSOLE.test(message.text())) seen.push(`console: ${message.text()}`);
	});
}

export const test = base.extend<{ cspViolations: string[] }>({
	cspViolations: [
		async ({ context, browser }, use) => {
			const seen: string[] = [];
			await watch(context, seen);
			// Contexts the test makes itself (an officer beside the tablet) are watched as well.
			const newContext = browser.newContext.bind(browser);
			const patched: Browser['newContext'] = async (options) => {
				const made = await newContext(options);
				await watch(made, seen);
				return made;
			};
			browser.newContext = patched;
			try {
				await use(seen);
			} finally {
				browser.newContext = newContext;
			}
			// One line per violation, so a failure says which page refused what.
			if (seen.length > 0) throw new Error(`Content-Security-Policy violations:\n${[...new Set(seen)].join('\n')}`);
		},
		{ auto: true }
	]
});
