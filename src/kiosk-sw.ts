/// <reference lib="WebWorker" />
/// <reference types="vite/client" />
// The kiosk's service worker: precaches the whole app so the tablet works with the network cut.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare let self: ServiceWorkerGlobalScope;

// The update prompt asks for this only after a person tapped "update": never on its own.
self.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Unknown kiosk URLs fall back to the check-in screen; the server's own pages and API stay network-only.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/'), { denylist: [/^\/api\//, /^\/admin/] }));
