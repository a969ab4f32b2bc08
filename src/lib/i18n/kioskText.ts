// Domain values to the words the screen shows, through the message catalog.
import { m } from '$lib/paraglide/messages.js';
import type { CccdRejection } from '$lib/domain/cccd';
import type { Honorific, AgeBand, Gender } from '$lib/domain/resident';
import type { Outcome } from '$lib/domain/tally';
import type { Skill } from '$lib/domain/skills';
import { locale } from './locale.svelte';
import { isQuotaError } from '$lib/kiosk/storage';

export type ScanRejection = CccdRejection | 'bad_resident_pass' | 'unknown_pass';

export function rejectionText(reason: ScanRejection): string {
	switch (reason) {
		case 'empty':
			return m.reject_empty();
		case 'url':
			return m.reject_url();
		case 'payment':
			return m.reject_payment();
		case 'not_cccd':
			return m.reject_not_cccd();
		case 'bad_id_number':
			return m.reject_bad_id_number();
		case 'bad_name':
			return m.reject_bad_name();
		case 'bad_birth_date':
			return m.reject_bad_birth_date();
		case 'bad_gender':
			return m.reject_bad_gender();
		case 'bad_resident_pass':
			return m.reject_bad_resident_pass();
		case 'unknown_pass':
			return m.reject_unknown_pass();
	}
}

export function greetingText(honorific: Honorific, name: string): string {
	const greet = { elder: m.greeting_elder, man: m.greeting_man, woman: m.greeting_woman, young: m.greeting_young }[honorific];
	return greet({ name });
}

export function outcomeText(outcome: Outcome): string {
	return { done: m.outcome_done, partly: m.outcome_partly, referred: m.outcome_referred }[outcome]();
}

export { roleText } from './roleText';

export function genderText(gender: Gender): string {
	return gender === 'male' ? m.gender_male() : m.gender_female();
}

export function ageBandText(band: AgeBand): string {
	return { under18: m.age_under18, from18to39: m.age_18_39, from40to59: m.age_40_59, from60: m.age_60plus }[band]();
}

export function skillName(skill: Pick<Skill, 'nameVi' | 'nameEn'>): string {
	return locale.current === 'en' ? skill.nameEn : skill.nameVi;
}

/** What the person was saving, so "storage full" can say what did not happen and what to do. */
export type WriteAction = 'checkIn' | 'registration' | 'assist' | 'closeSession';

const STORAGE_FULL: Record<WriteAction, () => string> = {
	checkIn: m.storage_full_checkin,
	registration: m.storage_full_registration,
	assist: m.storage_full_assist,
	closeSession: m.storage_full_close
};

/**
 * A failed write, said plainly: a full disk gets its own message (for the action, when given: it
 * says nothing was saved, that what was typed or picked is still there, and who frees space),
 * anything else its detail.
 */
export function writeErrorText(e: unknown, action?: WriteAction): string {
	if (isQuotaError(e)) return (action ? STORAGE_FULL[action] : m.storage_full)();
	return m.error_generic({ detail: e instanceof Error ? e.message : String(e) });
}

export function timeText(iso: string): string {
	return new Date(iso).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', hour12: false });
}
