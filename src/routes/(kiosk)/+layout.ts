// The kiosk screens are prerendered shells that read IndexedDB in the browser, so the service
// worker can serve them with the network cut.
export const prerender = true;
export const trailingSlash = 'never';
