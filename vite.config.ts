import { sveltekit } from '@sveltejs/kit/vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Unit tests need neither the Kit nor the PWA build (they keep Vitest from exiting): only `$lib`,
// and Svelte's compiler for the rune-based state classes (`*.svelte.ts`) they test.
const unitTesting = !!process.env.VITEST;

const FRAMEWORK_MODULES = /[\\/]node_modules[\\/](svelte|@sveltejs[\\/]kit|esm-env|clsx|devalue)[\\/]|\0(vite[\\/]preload-helper|rolldown[\\/]runtime)/;

/** The check-in screen and its layouts: what a tablet shows first. */
const CHECK_IN_ROUTE = ['src/routes/+layout.svelte', 'src/routes/(kiosk)/+layout.svelte', 'src/routes/(kiosk)/+page.svelte'].map((file) =>
	fileURLToPath(new URL(file, import.meta.url))
);

/** Paraglide's messages: its index imports every message of the app, so they are left to Rolldown. */
const MESSAGES = /[\\/]src[\\/]lib[\\/]paraglide[\\/]messages/;

/**
 * Components and stylesheets stay where Rolldown puts them: SvelteKit decides which CSS a
 * prerendered page carries by matching client chunks to server ones, and a grouped chunk's CSS
 * matched none, so the check-in screen painted unstyled until its CSS loaded.
 */
const WITH_STYLES = /\.(svelte|css)($|\?)/;

interface ModuleGraph {
	getModuleInfo(id: string): { importedIds: readonly string[] } | null;
}

/** Every module the check-in screen imports statically, at any depth (not its lazy imports). */
function checkInModules(graph: ModuleGraph): Set<string> {
	const seen = new Set<string>();
	const queue = [...CHECK_IN_ROUTE];
	for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
		if (seen.has(id)) continue;
		seen.add(id);
		queue.push(...(graph.getModuleInfo(id)?.importedIds ?? []));
	}
	return seen;
}

/**
 * The check-in screen's own modules (its code, texts and kiosk state; not the route files, which
 * stay in SvelteKit's entries) in one file rather than a dozen small ones shared differently with
 * other pages: pages that share one of them load it all, a few kB.
 */
function checkInChunk(): (id: string, graph: ModuleGraph) => string | null {
	// Walked once per build (client and server each have their graph): the page's module record
	// is the same object throughout one chunking pass.
	const walked = new WeakMap<object, Set<string>>();
	return (id, graph) => {
		const page = graph.getModuleInfo(CHECK_IN_ROUTE.at(-1)!);
		if (!page) return null;
		let modules = walked.get(page);
		if (!modules) walked.set(page, (modules = checkInModules(graph)));
		return modules.has(id) && !CHECK_IN_ROUTE.includes(id) && !MESSAGES.test(id) && !WITH_STYLES.test(id) ? 'check-in' : null;
	};
}

export default defineConfig({
	resolve: unitTesting ? { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } } : {},
	plugins: unitTesting ? [svelte()] : [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// The kiosk keeps one URL per screen (nothing extra to precache); the chosen
			// language lives in localStorage and is applied by src/lib/i18n/locale.svelte.ts.
			// Vietnamese unless someone chose English: not the browser's language, because shared
			// tablets and office PCs often run an English browser for Vietnamese users.
			strategy: ['localStorage', 'baseLocale']
		}),
		sveltekit(),
		SvelteKitPWA({
			strategies: 'injectManifest',
			srcDir: './src',
			filename: 'kiosk-sw.ts',
			registerType: 'prompt',
			injectRegister: false,
			scope: '/',
			base: '/',
			manifest: {
				id: '/',
				name: 'Trạm Số — Tổ công nghệ số cộng đồng',
				short_name: 'Trạm Số',
				description: 'Ghi nhận người dân đến nhà văn hóa và kết quả hỗ trợ kỹ năng số',
				lang: 'vi',
				start_url: '/',
				scope: '/',
				display: 'standalone',
				// Either way round: a tablet on a stand is often upright, and every kiosk screen fits both.
				orientation: 'any',
				theme_color: '#0b3d2e',
				background_color: '#ffffff',
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
				]
			},
			injectManifest: {
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,woff,woff2,webmanifest}', 'prerendered/**/*.html']
			},
			devOptions: { enabled: false }
		})
	],
	build: {
		rolldownOptions: {
			output: {
				// Svelte's and SvelteKit's runtime in one file instead of eight: every page needs all of
				// it, and on a tablet-class CPU each module fetched costs the main thread a task of its
				// own at start (npm run bench: first load at CPU 4x).
				codeSplitting: {
					groups: [
						{ name: 'framework', test: FRAMEWORK_MODULES, priority: 2 },
						{ name: checkInChunk(), priority: 1 }
					]
				}
			}
		},
		modulePreload: {
			// A dynamic import fetches its own file anyway: preloading it too only adds a <link> to the
			// page, which cost the check-in screen's decoder import a 10-25 ms task at CPU 4×.
			resolveDependencies: (file, deps) => deps.filter((dep) => dep !== file)
		}
	},
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		setupFiles: ['tests/unit/setup.ts'],
		// Some storage tests seed the demo's 18 months on PostgreSQL twice: seconds on a busy 2-core machine.
		testTimeout: 20_000,
		globalSetup: ['tests/unit/global-setup.ts']
	}
});
