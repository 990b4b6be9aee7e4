// A tiny static HTTP server for the browser tests (node:http, no dependencies).
//
//   const s = await startServer();            // 127.0.0.1, ephemeral port
//   s.origin                                  // 'http://127.0.0.1:41234'
//   s.route('/app.html', '<!doctype html>…')  // serve test-generated HTML from memory
//   s.route('/x', (req, url) => ({ status: 302, headers: { location: '/y' } }))
//   s.requests                                // [{ method, path }] of every request served
//   await s.close();
//
// Files are served from the repository root. Every response carries `Cache-Control: no-store`
// so a rebuilt dist/ is never hidden by a cache. `Cross-Origin-Opener-Policy: same-origin` is
// added when the URL has `?coop=1`; `options.headers(req, url)` may add more per request.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * @param {object} [options]
 * @param {string} [options.root] directory served (default: the repository root)
 * @param {string} [options.dist] if set, `/dist/…` is served from this directory instead
 * @param {number} [options.port] 0 = ephemeral
 * @param {string} [options.host] '127.0.0.1' (default) or 'localhost'
 * @param {(req: http.IncomingMessage, url: URL) => Record<string,string>|undefined} [options.headers]
 */
export async function startServer({ root = REPO_ROOT, dist, port = 0, host = '127.0.0.1', headers } = {}) {
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`refusing to listen on ${host}`);
  const routes = new Map();
  const requests = [];

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push({ method: req.method, path: url.pathname, search: url.search });
    const extra = {
      'Cache-Control': 'no-store',
      ...(url.searchParams.get('coop') === '1' ? { 'Cross-Origin-Opener-Policy': 'same-origin' } : {}),
      ...(headers?.(req, url) ?? {}),
    };
    const send = (status, type, body, more = {}) => {
      res.writeHead(status, { ...(type ? { 'Content-Type': type } : {}), ...extra, ...more });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      const route = routes.get(url.pathname);
      if (route !== undefined) {
        if (typeof route === 'function') {
          const r = (await route(req, url)) ?? {};
          return send(r.status ?? 200, r.type ?? TYPES['.html'], r.body ?? '', r.headers);
        }
        return send(200, route.type, route.body, route.headers);
      }
      const [base, rel] = dist && url.pathname.startsWith('/dist/')
        ? [dist, url.pathname.slice('/dist'.length)]
        : [root, url.pathname];
      const file = path.join(base, decodeURIComponent(rel));
      if (!file.startsWith(base + path.sep)) return send(403, TYPES['.txt'], 'forbidden');
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return send(404, TYPES['.txt'], `not found: ${url.pathname}`);
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      send(200, type, await readFile(file));
    } catch (e) {
      if (!res.headersSent) send(500, TYPES['.txt'], String(e?.stack ?? e));
    }
  });
  // Keep-alive sockets would hold close() open; the tests never need them.
  server.keepAliveTimeout = 1;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;
  const origin = `http://${host}:${actualPort}`;

  return {
    origin,
    port: actualPort,
    host,
    requests,
    /** Absolute URL of `p` on this server. */
    url: (p) => new URL(p, origin).href,
    /**
     * Serve `body` (an HTML string, or `{ body, type, headers }`) or a handler
     * `(req, url) => ({ status, type, headers, body })` at `pathname`.
     */
    route(pathname, body) {
      routes.set(pathname, typeof body === 'string' ? { body, type: TYPES['.html'] } : typeof body === 'function' ? body : { type: TYPES['.html'], ...body });
      return this.url(pathname);
    },
    /** Resolves when every connection is closed (bounded: sockets are destroyed). */
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}

/**
 * A server whose port has at most 4 digits (1024..6553), so that `<origin>0` is another valid
 * origin whose string merely starts with this one (used to test origin-prefix confusion).
 */
export async function startServerOnShortPort(options = {}) {
  for (let i = 0; i < 50; i++) {
    const port = 1024 + Math.floor(Math.random() * (6553 - 1024));
    try {
      return await startServer({ ...options, port });
    } catch (e) {
      if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES') throw e;
    }
  }
  throw new Error('no free short port found');
}
