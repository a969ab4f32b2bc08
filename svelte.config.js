import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		// The kiosk's service worker is @vite-pwa's (src/kiosk-sw.ts), registered by the update prompt.
		serviceWorker: { register: false },
		files: { serviceWorker: 'src/kiosk-sw.ts' },
		prerender: { handleHttpError: 'fail' }
	}
};

export default config;
