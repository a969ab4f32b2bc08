// Writes the fake-camera videos before any browser starts (Chromium opens them at launch).
// A video is rewritten only when its recipe changed: the large files then survive between runs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { VIDEOS, type VideoSpec } from '../fixtures/videos';
import { writeQrVideo, Y4M_DEFAULTS, Y4M_FORMAT_VERSION } from '../fixtures/y4m';

export default function globalSetup(): void {
	for (const video of Object.values(VIDEOS)) ensureVideo(video);
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
