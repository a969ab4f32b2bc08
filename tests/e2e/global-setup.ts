// Writes the fake-camera videos before any browser starts (Chromium opens them at launch).
// A video is rewritten only when its recipe changed: the large files then survive between runs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { BADGE_VIDEO_FILE, ENROL_VIDEO_FILE, REVOKED_BADGE_VIDEO_FILE, VIDEOS, type VideoSpec } from '../fixtures/videos';
import { writeQrVideo, Y4M_DEFAULTS, Y4M_FORMAT_VERSION } from '../fixtures/y4m';
import { DEMO_TEAM_ID, E2E_BASE_URL, E2E_DATABASE_URL } from '../fixtures/e2eServer';
import { enrolmentQrPayload } from '../../src/lib/domain/api';
import { openMigratedDatabase } from '../../src/lib/server/db/connect';
import type { Database } from '../../src/lib/server/db/schema';
import { createEnrolmentCode } from '../../src/lib/server/devices';
import { badgePayload, issueBadge } from '../../src/lib/server/badges';

export default async function globalSetup(): Promise<void> {
	for (const video of Object.values(VIDEOS)) ensureVideo(video);
	await writeEnrolmentVideo();
	await writeBadgeVideos();
}

/**
 * A fixed badge secret for the e2e server, so its badge QRs are the same on every run. ZXing-js
 * (html5-qrcode's decoder in Chromium on Linux) misses about one synthetic QR in eight, by the
 * data alone (it finds no grid, or the wrong one, at any size); a random secret made these tests
 * flaky. The two cards below, signed with this key, decode at every scale from 0.6 to 1.3.
 */
const E2E_BADGE_SECRET = 'ayaykoQeGIHOrT9R15yqSDoZt9S9l9lVLzCnu+mZsTg=';

/**
 * Badges as an officer would issue them: the leader holds card 1; the deputy got card 1, then a
 * reissued card 2, which voids card 1 (the "revoked" card filmed here). A reused server (local
 * runs) has issued them before: their versions start again from none, so the cards stay the same.
 */
async function writeBadgeVideos(): Promise<void> {
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	try {
		const actor = 'system';
		const now = new Date();
		await db
			.insertInto('settings')
			.values({ key: 'badgeSecret', value: JSON.stringify(E2E_BADGE_SECRET) })
			.onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(E2E_BADGE_SECRET) }))
			.execute();
		await db.updateTable('members').set({ badge_version: 0 }).where('id', 'in', ['demo-leader', 'demo-deputy']).execute();
		const leader = await issueBadge(db, { memberId: 'demo-leader', teamId: DEMO_TEAM_ID, actor, now });
		const deputyFirst = await issueBadge(db, { memberId: 'demo-deputy', teamId: DEMO_TEAM_ID, actor, now });
		const voidedCard = await payloadOf(db, deputyFirst);
		await issueBadge(db, { memberId: 'demo-deputy', teamId: DEMO_TEAM_ID, actor, now });
		writeQrVideo(BADGE_VIDEO_FILE, [{ payload: await payloadOf(db, leader), frames: 15 }]);
		writeQrVideo(REVOKED_BADGE_VIDEO_FILE, [{ payload: voidedCard, frames: 15 }]);
	} finally {
		await close();
	}
}

async function payloadOf(db: Kysely<Database>, member: Parameters<typeof badgePayload>[1]): Promise<string> {
	const payload = await badgePayload(db, member);
	if (!payload) throw new Error(`no badge in force for ${member.id}`);
	return payload;
}

/** The web server is already up (Playwright starts it first): make a code as an officer would. */
async function writeEnrolmentVideo(): Promise<void> {
	const { db, close } = await openMigratedDatabase(E2E_DATABASE_URL);
	try {
		const { code } = await createEnrolmentCode(db, { teamId: DEMO_TEAM_ID, createdBy: null, now: new Date(), ttlHours: 2 });
		// The code is random, so its symbol is too: shown under four masks in turn (VideoSegment).
		const payload = enrolmentQrPayload(E2E_BASE_URL, code);
		writeQrVideo(ENROL_VIDEO_FILE, ([0, 2, 4, 6] as const).map((maskPattern) => ({ payload, frames: 8, maskPattern })));
	} finally {
		await close();
	}
}

function ensureVideo(video: VideoSpec): void {
	// The sidecar records everything that shapes the bytes, so a change to the painter or its
	// defaults invalidates the cache as surely as a new payload does.
	const recipe = `${JSON.stringify(
		{ format: Y4M_FORMAT_VERSION, options: { ...Y4M_DEFAULTS, ...video.options }, segments: video.segments },
		null,
		'\t'
	)}\n`;
	const sidecar = `${video.file}.json`;
	if (existsSync(video.file) && existsSync(sidecar) && readFileSync(sidecar, 'utf8') === recipe) return;

	writeQrVideo(video.file, video.segments, video.options);
	// Written last: a sidecar only ever vouches for a complete video.
	writeFileSync(sidecar, recipe);
}
