// Writes the fake-camera videos before any browser starts (Chromium opens them at launch).
// A video is rewritten only when its recipe changed: the large files then survive between runs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ENROL_VIDEO_FILE, VIDEOS, type VideoSpec } from '../fixtures/videos';
import { writeQrVideo, Y4M_DEFAULTS, Y4M_FORMAT_VERSION } from '../fixtures/y4m';
import { DEMO_TEAM_ID, E2E_BASE_URL, E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { enrolmentQrPayload } from '../../src/lib/domain/api';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import { createEnrolmentCode } from '../../src/lib/server/devices';

export default async function globalSetup(): Promise<void> {
	for (const video of Object.values(VIDEOS)) ensureVideo(video);
	await writeEnrolmentVideo();
}

/** The web server is already up (Playwright starts it first): make a code as an officer would. */
async function writeEnrolmentVideo(): Promise<void> {
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	try {
		const { code } = await createEnrolmentCode(db, { teamId: DEMO_TEAM_ID, createdBy: null, now: new Date(), ttlHours: 2 });
		writeQrVideo(ENROL_VIDEO_FILE, [{ payload: enrolmentQrPayload(E2E_BASE_URL, code), frames: 15 }]);
	} finally {
		await close();
	}
}

function ensureVideo(video: VideoSpec): void {
	// The sidecar records everything that shapes the bytes, so a change to the painter or its
	// defaults invalidates the cache as surely as a new payload does.
	const recipe = `${JSON.stringify(
		{ format: Y4M_FORMAT_VERSION, options: Y4M_DEFAULTS, segments: video.segments },
		null,
		'\t'
	)}\n`;
	const sidecar = `${video.file}.json`;
	if (existsSync(video.file) && existsSync(sidecar) && readFileSync(sidecar, 'utf8') === recipe) return;

	writeQrVideo(video.file, video.segments);
	// Written last: a sidecar only ever vouches for a complete video.
	writeFileSync(sidecar, recipe);
}
