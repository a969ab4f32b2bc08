// A member whose PIN was set with 6 digits (as members are now asked to) unlocks the tablet with
// all six, and not with the first four: the pad submits on «Mở khóa», never at 4 digits.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { KioskDb } from '$lib/kiosk/db';
import { ensureSeeded } from '$lib/kiosk/team';
import { unlockMember } from '$lib/kiosk/unlock';
import { hashPin } from '$lib/domain/pin';

let db: KioskDb;
let n = 0;
beforeEach(async () => {
	db = new KioskDb(`six-digit-pin-${++n}`);
	await ensureSeeded(db, 1000);
	await db.members.update('demo-leader', { pin: await hashPin('482913', 1000) });
});
afterEach(async () => {
	db.close();
	await db.delete();
});

it('unlocks with the six digits and refuses their first four', async () => {
	expect(await unlockMember(db, 'demo-leader', '4829', new Date())).toMatchObject({ ok: false, reason: 'wrongPin' });
	expect(await unlockMember(db, 'demo-leader', '482913', new Date())).toMatchObject({ ok: true });
});
