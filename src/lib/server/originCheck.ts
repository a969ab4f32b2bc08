// Cross-site form posts are refused (CSRF), by the same rule as SvelteKit's own check, which
// svelte.config.js turns off so that the refusal can say what to set: a form sent from another
// origin than the server's own is refused; the reason tells a misconfigured address (the browser and
// the server name the same host, or the server was told another address) from a foreign page.
import { m } from '$lib/paraglide/messages.js';

/** The content types a browser form (or a page posing as one) can send: Kit's list. */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/x-sveltekit-formdata'];
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface OriginRefusal {
	/** What the browser said it was on; null when it said nothing. */
	readonly formOrigin: string | null;
	/** The address the server believes it has (from ORIGIN, the proxy's headers or the connection). */
	readonly serverOrigin: string;
}

export function crossSiteFormRefusal(request: Request, url: URL): OriginRefusal | null {
	if (!UNSAFE_METHODS.has(request.method)) return null;
	const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
	if (!FORM_CONTENT_TYPES.includes(type)) return null;
	const formOrigin = request.headers.get('origin');
	return formOrigin === url.origin ? null : { formOrigin, serverOrigin: url.origin };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function explanation(refusal: OriginRefusal, locale: 'vi' | 'en'): string[] {
	const { formOrigin, serverOrigin } = refusal;
	if (!formOrigin) return [m.origin_refused_missing({}, { locale })];
	const sameHost = URL.canParse(formOrigin) && new URL(formOrigin).host === new URL(serverOrigin).host;
	return [
		sameHost
			? m.origin_refused_scheme({ form: formOrigin, server: serverOrigin }, { locale })
			: m.origin_refused_other({ form: formOrigin, server: serverOrigin }, { locale }),
		m.origin_refused_fix({ form: formOrigin }, { locale })
	];
}

/** 403: a page in Vietnamese, then English; JSON `{error}` for a client that asked for JSON. */
export function originRefusalResponse(refusal: OriginRefusal, accept: string | null): Response {
	const headers = { 'cache-control': 'no-store' };
	if (accept?.includes('application/json') && !accept.includes('text/html')) {
		return Response.json(
			{ error: { code: 'cross_site_form', message: [m.origin_refused_title({}, { locale: 'vi' }), ...explanation(refusal, 'vi')].join(' ') } },
			{ status: 403, headers }
		);
	}
	const section = (locale: 'vi' | 'en') =>
		`<section lang="${locale}"><h1>${escapeHtml(m.origin_refused_title({}, { locale }))}</h1>${explanation(refusal, locale)
			.map((p) => `<p>${escapeHtml(p)}</p>`)
			.join('')}<p><a href="/admin">${escapeHtml(m.origin_refused_back({}, { locale }))}</a></p></section>`;
	const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(
		m.origin_refused_title({}, { locale: 'vi' })
	)}</title></head><body style="font: 1.25rem/1.5 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #111">${section('vi')}<hr>${section('en')}</body></html>`;
	return new Response(html, { status: 403, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
}
