// User-timing marks the kiosk leaves on its way to a usable check-in screen (cheap; DevTools shows
// them, and npm run bench splits the first load with them: bench/kiosk.ts).
export const START_MARKS = {
	/** The database is open and the team read (kiosk/app.svelte.ts). */
	kioskReady: 'tramso:kiosk-ready',
	/** The decoder's code (html5-qrcode) is loaded (kiosk/scanner.svelte.ts). */
	scannerLoaded: 'tramso:scanner-loaded',
	/** The camera runs and frames are decoded. */
	cameraRunning: 'tramso:camera-running',
	/** The check-in screen loaded what a first check-in needs, after the camera ((kiosk)/+page.svelte). */
	checkInWarm: 'tramso:check-in-warm'
} as const;
