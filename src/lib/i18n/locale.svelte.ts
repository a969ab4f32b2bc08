// The kiosk's language as reactive state. Prerendered pages are Vietnamese; after the page starts,
// the stored choice (or the browser's language) applies, and every message re-renders without a reload.
import {
	baseLocale,
	getLocale,
	isLocale,
	localStorageKey,
	locales,
	overwriteGetLocale,
	overwriteSetLocale,
	type Locale
} from '$lib/paraglide/runtime';

const detectLocale = getLocale;
let current = $state<Locale>(baseLocale);

overwriteGetLocale(() => current);
overwriteSetLocale((next) => switchLocale(next));

export const locale = {
	get current(): Locale {
		return current;
	},
	all: locales
};

/** Called once in the browser after hydration (hydration must see the prerendered language). */
export function applyPreferredLocale(): void {
	const next = detectLocale();
	current = isLocale(next) ? next : baseLocale;
	document.documentElement.lang = current;
}

export function switchLocale(next: Locale): void {
	current = next;
	try {
		localStorage.setItem(localStorageKey, next);
	} catch {
		// Private mode or full storage: the choice lasts for this page only.
	}
	document.documentElement.lang = next;
}
