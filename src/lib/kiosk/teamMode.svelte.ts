// Who has unlocked team mode on this tablet. Kept in memory only: a reload or an idle timeout
// locks the tablet again, so a resident never finds it unlocked.
import type { MemberRow } from './db';

class TeamMode {
	member = $state<MemberRow | null>(null);
	/** Set when the lock came from the idle timer, so the screen can say why. */
	lockedForIdle = $state(false);

	get canLead(): boolean {
		return this.member?.role === 'leader' || this.member?.role === 'deputy';
	}

	unlock(member: MemberRow): void {
		this.member = member;
		this.lockedForIdle = false;
	}

	lock(forIdle = false): void {
		this.member = null;
		this.lockedForIdle = forIdle;
	}
}

export const teamMode = new TeamMode();
