// html5-qrcode's camera class and its formats, not the package's index (that also brings its own
// scanner UI: buttons, file picker, images, which this app never shows). One module, so the
// screen's lazy import of it is one file to fetch and nothing to preload (kiosk/scanner.svelte.ts).
export { Html5Qrcode } from 'html5-qrcode/esm/html5-qrcode.js';
export { Html5QrcodeSupportedFormats } from 'html5-qrcode/esm/core.js';
