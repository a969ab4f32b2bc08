// Team mode unlock: a member's PIN, checked against its slow hash, with a lock-out that survives
// a reload (it is kept in the database, not in memory).
import { afterFailure, afterSuccess, isLocked, msUntilUnlock, PIN_MAX_FAILURES, UNLOCKED, verifyPin, type PinLockState } from '$lib/domain/pin';
import { getSetting, putSetting, type KioskDb, type MemberRow } from './db';
import { SETTING } from './team';
import { isQuotaError } from './storage';

export type UnlockResult =
	| { ok: true; member: MemberRow }
	| { ok: false; reason: 'locked'; retryInMs: number }
	| { ok: false; reason: 'wrongPin'; triesLeft: number }
	| { ok: false; reason: 'unknownMember' };

export async function pinLockState(db: KioskDb): Promise<PinLockState> {
	return (await getSetting<PinLockState>(db, SETTING.pinLock)) ?? UNLOCKED;
}

export async function unlockMember(db: KioskDb, memberId: string, pin: string, now: Date): Promise<UnlockResult> {
	const state = await pinLockState(db);
	if (isLocked(state, now.getTime())) return { ok: false, reason: 'locked', retryInMs: msUntilUnlock(state, now.getTime()) };
	const member = await db.members.get(memberId);
	if (!member || !member.active) return { ok: false, reason: 'unknownMember' };
	if (await verifyPin(pin, member.pin)) {
		// Clearing the failure count is the only write, and only needed after failures. On a full
		// disk it is skipped rather than refusing the right PIN: the leader must get in to act on it.
		// (Keeping the old count errs on the strict side.)
		if (state.failures > 0 || state.lockedUntil > 0) {
			await putSetting(db, SETTING.pinLock, afterSuccess()).catch((e: unknown) => {
				if (!isQuotaError(e)) throw e;
			});
		}
		return { ok: true, member };
	}
	const next = afterFailure(state, now.getTime());
	await putSetting(db, SETTING.pinLock, next);
	if (isLocked(next, now.getTime())) return { ok: false, reason: 'locked', retryInMs: msUntilUnlock(next, now.getTime()) };
	return { ok: false, reason: 'wrongPin', triesLeft: PIN_MAX_FAILURES - next.failures };
}
