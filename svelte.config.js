import nodeAdapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { copyFileSync, renameSync } from 'node:fs';

/**
 * adapter-node, whose server entry becomes build/node-server.js, started by the app's own
 * build/index.js (src/server-entry.js: the server's address without ORIGIN, and the headers every
 * response needs). `node build` stays the way to run it.
 * @returns {import('@sveltejs/kit').Adapter}
 */
function adapter() {
	const node = nodeAdapter({ out: 'build' });
	return {
		...node,
		name: 'tramso-node',
		async adapt(builder) {
			await node.adapt(builder);
			renameSync('build/index.js', 'build/node-server.js');
			renameSync('build/index.js.map', 'build/node-server.js.map');
			copyFileSync('src/server-entry.js', 'build/index.js');
		}
	};
}

// One build id for every pass of a build: the config is loaded more than once (client, server,
// prerender worker), and differing ids break hydration of the prerendered pages.
process.env.TRAMSO_BUILD_ID ??= String(Date.now());

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		version: { name: process.env.TRAMSO_BUILD_ID },
		// The kiosk's service worker is @vite-pwa's (src/kiosk-sw.ts), registered by the update prompt.
		serviceWorker: { register: false },
		files: { serviceWorker: 'src/kiosk-sw.ts' },
		// Absolute asset paths: the service worker may answer a deep URL with the '/' shell.
		paths: { relative: false },
		prerender: { handleHttpError: 'fail' },
		// Each page's CSS inside its HTML rather than as files (every one is under 5 kB): on a
		// tablet-class CPU each stylesheet fetched from the service worker costs the main thread a
		// task before first paint (npm run bench: first load at CPU 4x). 'unsafe-inline' is already
		// in style-src below, so no hash is needed.
		inlineStyleThreshold: 8192,
		// The cross-site form check is src/hooks.server.ts's (the same rule as Kit's), so that a
		// refusal says in Vietnamese what the server's address setting should be, not a bare 403.
		csrf: { trustedOrigins: ['*'] },
		// Content-Security-Policy. 'auto': the prerendered kiosk pages carry a <meta> with hashes of
		// kit's inline bootstrap script; server-rendered admin pages get a header with a nonce.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Inline style attributes: the units page indents with style="--depth: …" and Svelte
				// writes style attributes; no inline <style> or script is needed beyond that.
				'style-src': ['self', 'unsafe-inline'],
				// QR codes (badges, resident pass, enrolment) are data: URLs.
				'img-src': ['self', 'data:', 'blob:'],
				// The check-in camera plays a MediaStream.
				'media-src': ['self', 'blob:', 'mediastream:'],
				'font-src': ['self'],
				// A tablet talks to the district server its enrolment QR names, which may be another
				// (HTTPS) address than the one that served the app (see the device API's CORS).
				'connect-src': ['self', 'https:'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				// Not in the kiosk pages' <meta> (browsers ignore it there); sent with every header.
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
