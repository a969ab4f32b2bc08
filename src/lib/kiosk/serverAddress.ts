// The server-address field of the enrolment form, checked before anything is sent: an enrolment
// code typed there (the two fields sit side by side) used to fail in silence.
import { parseEnrolmentQr } from '$lib/domain/api';

export type ServerAddressProblem = 'empty' | 'looksLikeCode' | 'invalid';
export type ServerAddressCheck = { ok: true; origin: string } | { ok: false; problem: ServerAddressProblem };

/** A bare word of letters, digits and dashes: what an enrolment code looks like, not a host. */
const CODE_LIKE = /^[A-Za-z0-9-]{4,40}$/;

export function checkServerAddress(input: string): ServerAddressCheck {
	const text = input.trim();
	if (!text) return { ok: false, problem: 'empty' };
	// The whole enrolment link typed or pasted in: its server part is the address.
	const link = parseEnrolmentQr(text);
	if (link) return { ok: true, origin: link.serverOrigin };
	if (CODE_LIKE.test(text) && text.toLowerCase() !== 'localhost') return { ok: false, problem: 'looksLikeCode' };
	let url: URL;
	try {
		// "tramso.example.vn" means https://tramso.example.vn.
		url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
	} catch {
		return { ok: false, problem: 'invalid' };
	}
	if (!/^https?:$/.test(url.protocol) || !url.hostname || /\s/.test(text)) return { ok: false, problem: 'invalid' };
	return { ok: true, origin: url.origin };
}
