import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

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
		prerender: { handleHttpError: 'fail' }
	}
};

export default config;
