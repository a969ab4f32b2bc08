// Playwright's `test`, failing any test during which a page broke the Content-Security-Policy
// (svelte.config.js kit.csp) or threw an uncaught error (`pageerror`): a blocked script, style,
// image, camera stream or connection, or a scanner left running when leaving the screen, would
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

/** Uncaught errors and unhandled rejections in any page of the context (the pageerror event). */
function watchErrors(context: BrowserContext, seen: string[]): void {
	context.on('weberror', (webError) => {
		const error = webError.error();
		seen.push(`${webError.page()?.url() ?? 'page'}: ${error.message}`);
	});
}

/**
 * Runs `watcher` on the test's context and on every context the test opens itself (an officer
 * beside the tablet), then fails the test with one line per distinct finding, so a failure says
 * which page did what.
 */
async function guard(
	browser: Browser,
	context: BrowserContext,
	title: string,
	watcher: (context: BrowserContext, seen: string[]) => void | Promise<void>,
	use: (seen: string[]) => Promise<void>
): Promise<void> {
	const seen: string[] = [];
	await watcher(context, seen);
	const newContext = browser.newContext.bind(browser);
	const patched: Browser['newContext'] = async (options) => {
		const made = await newContext(options);
		await watcher(made, seen);
		return made;
	};
	browser.newContext = patched;
	try {
		await use(seen);
	} finally {
		browser.newContext = newContext;
	}
	if (seen.length > 0) throw new Error(`${title}:\n${[...new Set(seen)].join('\n')}`);
}

export const test = base.extend<{ cspViolations: string[]; pageErrors: string[] }>({
	cspViolations: [
		async ({ context, browser }, use) => guard(browser, context, 'Content-Security-Policy violations', watch, use),
		{ auto: true }
	],
	pageErrors: [async ({ context, browser }, use) => guard(browser, context, 'Uncaught page errors', watchErrors, use), { auto: true }]
});
