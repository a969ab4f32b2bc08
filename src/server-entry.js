// `node build` runs this file: svelte.config.js copies it to build/index.js, beside adapter-node's
// own server, which it starts (build/node-server.js). It adds what adapter-node leaves out:
//
// 1. The address the server is reached at. adapter-node builds each request's URL from ORIGIN, or
//    from PROTOCOL_HEADER / HOST_HEADER, and otherwise assumes https; a plain `npm start` opened at
//    http://localhost:3000 or http://<office server>:3000 then refused every form as cross-site.
//    With none of the three set, the protocol is the connection's own (http, or https when Node
//    terminates TLS) and the host the request's Host header, so the address the person typed works.
//    Behind a reverse proxy, ORIGIN or PROTOCOL_HEADER + HOST_HEADER say what the proxy serves.
// 2. Headers every response needs, including the prerendered kiosk pages, which adapter-node serves
//    before the app's hooks run: no framing by other sites, no MIME sniffing, no referrer to other
//    sites, HSTS over HTTPS, and no caching of anything signed-in (/admin, /api).

export {};

const SOCKET_PROTOCOL_HEADER = 'x-tramso-socket-protocol';
const env = process.env;
const protocolFromSocket = !env.ORIGIN && !env.PROTOCOL_HEADER && !env.HOST_HEADER;
// adapter-node reads its settings when its handler module loads: set this first.
if (protocolFromSocket) env.PROTOCOL_HEADER = SOCKET_PROTOCOL_HEADER;
const protocolHeader = (env.PROTOCOL_HEADER ?? '').toLowerCase();

/**
 * Whether the browser reached us over HTTPS, as far as the server's settings let it know.
 * @param {import('node:http').IncomingMessage} req
 */
function overHttps(req) {
	if (env.ORIGIN) return env.ORIGIN.trim().toLowerCase().startsWith('https:');
	const socketIsTls = Boolean(/** @type {import('node:tls').TLSSocket} */ (req.socket).encrypted);
	if (protocolFromSocket) return socketIsTls;
	if (!protocolHeader) return true; // HOST_HEADER alone: adapter-node assumes https
	const said = req.headers[protocolHeader];
	return String(Array.isArray(said) ? said[0] : (said ?? '')).split(',')[0]?.trim().toLowerCase() === 'https';
}

/** Paths whose answers depend on who asks: never kept by a browser or a proxy. */
const PRIVATE_PATH = /^\/(admin|api)(\/|$)/;

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function beforeEveryRequest(req, res) {
	// Always the connection's truth: a client cannot choose it by sending the header itself.
	if (protocolFromSocket) req.headers[SOCKET_PROTOCOL_HEADER] = /** @type {import('node:tls').TLSSocket} */ (req.socket).encrypted ? 'https' : 'http';
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('X-Frame-Options', 'DENY');
	// Server-rendered pages replace this with the app's full policy, which also says frame-ancestors.
	res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
	res.setHeader('Referrer-Policy', 'same-origin');
	if (overHttps(req)) res.setHeader('Strict-Transport-Security', 'max-age=63072000');
	if (PRIVATE_PATH.test(req.url ?? '')) res.setHeader('Cache-Control', 'no-store');
}

// adapter-node's entry, beside this file once built (a variable: there is nothing to type-check here).
const adapterEntry = './node-server.js';
const { server } = await import(adapterEntry);
// adapter-node's server is listening but has answered nothing yet (this runs before any I/O):
// run first on every request.
server.server?.prependListener('request', beforeEveryRequest);
