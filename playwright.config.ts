// Browser tests against the built app (`npm run build`, then `node build`): only the build has the
// service worker, and the kiosk must work from it. The browser is Debian's Chromium, whose fake
// camera plays the videos that tests/e2e/global-setup.ts writes.
import { defineConfig, type LaunchOptions } from '@playwright/test';
import { BADGE_VIDEO_FILE, ENROL_VIDEO_FILE, REVOKED_BADGE_VIDEO_FILE, VIDEOS, type VideoName } from './tests/fixtures/videos';
import { E2E_ADMIN_PASSWORD, E2E_BASE_URL, E2E_DATA_DIR, E2E_DATABASE_URL, E2E_PORT } from './tests/fixtures/e2eServer';
import { FAKE_CAMERA_FLAGS } from './tests/fixtures/y4m';
import { chromiumPath } from './scripts/chromium-path.js';

// Lets `context.route` see the service worker's own requests, so the offline test can prove the
// kiosk needs no network at all (setOffline alone does not cut the worker).
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

const PORT = E2E_PORT;
const BASE_URL = E2E_BASE_URL;
const CI = Boolean(process.env.CI);

// Tried on these machines (ENGINEERING.md): root needs --no-sandbox, and without the networking
// flags Chromium keeps calling hosts this network cannot reach.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

// The fake-camera file comes from Chromium's command line: each video needs its own browser, hence
// its own project. A project's `use.launchOptions` replaces the top-level one, so build it whole.
function cameraLaunch(video: VideoName | { file: string }): LaunchOptions {
	const file = typeof video === 'string' ? VIDEOS[video].file : video.file;
	return {
		// Debian's, or Playwright's own when that is all there is (scripts/chromium-path.js).
		executablePath: chromiumPath() ?? undefined,
		args: [...CHROMIUM_ARGS, ...FAKE_CAMERA_FLAGS(file)]
	};
}

const URL_SPEC = /.*\.url\.spec\.ts$/;
const QUEUE_SPEC = /.*\.queue\.spec\.ts$/;
const ENROL_SPEC = /.*\.enrol\.spec\.ts$/;
const BADGE_SPEC = /.*\.badge\.spec\.ts$/;
const REVOKED_BADGE_SPEC = /.*\.revokedbadge\.spec\.ts$/;
// Fault tests run their own server behind a flaky proxy (tests/fixtures/flakyProxy.ts); the
// camera films nothing, so the check-in screen stays quiet while they drive the leader view.
const FAULT_SPEC = /.*\.fault\.spec\.ts$/;
// Check-in from an upright camera stream (480×640); the landscape stream is the kiosk project's.
const PORTRAIT_CAMERA_SPEC = /.*\.portraitcamera\.spec\.ts$/;

export default defineConfig({
	testDir: 'tests/e2e',
	globalSetup: './tests/e2e/global-setup.ts',
	// One worker: the machine has two cores and also runs the app server.
	fullyParallel: false,
	workers: 1,
	forbidOnly: CI,
	retries: CI ? 1 : 0,
	reporter: [['list'], ['html', { open: 'never' }]],
	timeout: 60_000,
	expect: { timeout: 10_000 },

	webServer: {
		// A fresh server database each run; the demo data is seeded at start.
		command: `rm -rf ${E2E_DATA_DIR} && node build`,
		url: BASE_URL,
		reuseExistingServer: !CI,
		// No ORIGIN: the server takes its address from the request, as after README's `npm start`
		// (firstRun.spec.ts starts one with nothing else set at all). HOST: loopback only.
		env: { PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: E2E_DATABASE_URL, ADMIN_PASSWORD: E2E_ADMIN_PASSWORD }
	},

	use: {
		baseURL: BASE_URL,
		locale: 'vi-VN',
		timezoneId: 'Asia/Ho_Chi_Minh',
		permissions: ['camera'],
		// A landscape tablet, as the kiosk is mounted.
		viewport: { width: 1280, height: 800 },
		screenshot: 'only-on-failure',
		trace: 'retain-on-failure'
	},

	projects: [
		{
			name: 'kiosk',
			testIgnore: [URL_SPEC, QUEUE_SPEC, ENROL_SPEC, BADGE_SPEC, REVOKED_BADGE_SPEC, FAULT_SPEC, PORTRAIT_CAMERA_SPEC],
			use: { browserName: 'chromium', launchOptions: cameraLaunch('cccdHoa') }
		},
		{
			name: 'portrait-camera',
			testMatch: PORTRAIT_CAMERA_SPEC,
			use: { browserName: 'chromium', launchOptions: cameraLaunch('cccdHoaPortrait') }
		},
		{
			name: 'url-camera',
			testMatch: URL_SPEC,
			use: { browserName: 'chromium', launchOptions: cameraLaunch('url') }
		},
		{
			name: 'enrol-camera',
			testMatch: ENROL_SPEC,
			use: { browserName: 'chromium', launchOptions: cameraLaunch({ file: ENROL_VIDEO_FILE }) }
		},
		{
			name: 'queue-camera',
			testMatch: QUEUE_SPEC,
			use: { browserName: 'chromium', launchOptions: cameraLaunch('queue') }
		},
		{
			name: 'badge-camera',
			testMatch: BADGE_SPEC,
			use: { browserName: 'chromium', launchOptions: cameraLaunch({ file: BADGE_VIDEO_FILE }) }
		},
		{
			name: 'revoked-badge-camera',
			testMatch: REVOKED_BADGE_SPEC,
			use: { browserName: 'chromium', launchOptions: cameraLaunch({ file: REVOKED_BADGE_VIDEO_FILE }) }
		},
		{
			name: 'fault',
			testMatch: FAULT_SPEC,
			use: { browserName: 'chromium', launchOptions: cameraLaunch('blank') }
		}
	]
});
