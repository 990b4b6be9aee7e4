// The demo backends (node:http, no framework), one process, two origins:
//
//   demo origin      http://localhost:8000   the three demo apps and their backend routes
//   redirect origin  http://localhost:8001   this SDK's redirect.html, the SPA's redirect page on
//                                            a separate origin (as Smartcar hosts theirs)
//
// Each backend talks to Connect (the local simulator) server-side, with the client secret, the
// way Smartcar's getting-started tutorials do: /exchange trades the code for tokens, /vehicle
// reads the vehicle's attributes.
//
//   const demos = await startDemos({ port: 8000, redirectPort: 8001, connectUrl: 'http://localhost:8002' });
//   demos.origin, demos.redirectOrigin; await demos.close();
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(WWW, '..');
const DIST = path.join(ROOT, 'dist');

/** The demo application registered in simulator/connect.json. */
export const DEMO_APP = {
  applicationId: '8229df9f-91a0-4ff0-a1ae-a1f38ee24d07',
  clientSecret: 'demo-client-secret-not-for-production',
};
/** The second application there (the two-instances page). */
export const SECOND_APP = { applicationId: '5c1e8a62-3b0f-4d2e-9f3a-7e2b6c4d8a90' };

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
/** JSON safe inside a <script> element. */
const scriptJson = (v) => JSON.stringify(v).replace(/</g, '\\u003c');

/** A demo page. A redirect URI's page (`redirect`) sends no Referer: its address holds the code
 * until redirect.js removes it, and the stylesheet is fetched before that. */
function page(title, body, { head = '', redirect = false } = {}) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${redirect ? '<meta name="referrer" content="no-referrer">' : ''}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/shared/demo.css">${head}</head>
<body><main>${body}</main></body></html>`;
}

async function serveFile(res, file) {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return false;
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
  res.end(await readFile(file));
  return true;
}

/** `file` under `base`, or null when the path escapes it. */
function inside(base, rel) {
  let decoded;
  try { decoded = decodeURIComponent(rel); } catch { return null; }
  const file = path.join(base, decoded);
  return file.startsWith(base + path.sep) ? file : null;
}

/** A small client for the simulator's token endpoint and vehicle API. */
function connectClient(api) {
  const basic = 'Basic ' + Buffer.from(`${DEMO_APP.applicationId}:${DEMO_APP.clientSecret}`).toString('base64');
  async function call(url, init) {
    let res;
    try {
      res = await fetch(new URL(url, api), { ...init, signal: AbortSignal.timeout(5000) });
    } catch (e) {
      throw Object.assign(new Error(`Smartcar Connect is not reachable (${e.message}).`), { status: 502 });
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const detail = body.error_description || body.description || body.error || `HTTP ${res.status}`;
      throw Object.assign(new Error(detail), { status: res.status, body });
    }
    return body;
  }
  const token = (form) => call('/oauth/token', {
    method: 'POST',
    headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const get = (p, accessToken, userId) => call(p, {
    headers: { Authorization: `Bearer ${accessToken}`, ...(userId ? { 'sc-user-id': userId } : {}) },
  });
  return {
    exchangeCode: (code, redirectUri) => token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
    clientCredentials: () => token({ grant_type: 'client_credentials' }),
    vehicles: (accessToken, userId) => get('/v2.0/vehicles', accessToken, userId),
    attributes: (accessToken, id, userId) => get(`/v2.0/vehicles/${encodeURIComponent(id)}`, accessToken, userId),
    connections: (accessToken, userId) => get('/v2.0/connections', accessToken, userId),
  };
}

/** The app's own state in the SDK's `state` parameter (base64 of `{instanceId, originalState}`),
 * or `undefined`. (A `+` that form decoding turned into a space is put back.) */
function appState(param) {
  try {
    return JSON.parse(Buffer.from(String(param).replace(/ /g, '+'), 'base64').toString('latin1')).originalState;
  } catch {
    return undefined;
  }
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address().port));
  });
}

/**
 * @param {object} o
 * @param {number} [o.port] demo origin port (0: any free port)
 * @param {number} [o.redirectPort] redirect origin port (0: any free port)
 * @param {string} [o.connectUrl] the simulator, as the browser reaches it
 * @param {string} [o.connectApi] the simulator, as this server reaches it (default: connectUrl)
 * @param {string} [o.host] listen address (default 127.0.0.1)
 * @param {(line: string) => void} [o.log]
 */
export async function startDemos({ port = 8000, redirectPort = 8001, connectUrl = 'http://localhost:8002', connectApi, host = '127.0.0.1', log = () => {} } = {}) {
  const sessions = new Map();
  const demo = http.createServer();
  const redirect = http.createServer();
  const actualPort = await listen(demo, port, host);
  const actualRedirectPort = await listen(redirect, redirectPort, host);
  const origin = `http://localhost:${actualPort}`;
  const redirectOrigin = `http://localhost:${actualRedirectPort}`;
  const settings = { connectUrl, connectApi: connectApi ?? connectUrl };
  let connect = connectClient(settings.connectApi);

  const uris = {
    spa: `${redirectOrigin}/redirect.html?app_origin=${origin}`,
    server: `${origin}/server/exchange`,
    fleet: `${origin}/fleet/redirect`,
    redirect: `${origin}/redirect-flow/`,
  };
  // An application token, reused until shortly before it expires.
  let appToken = null;
  async function applicationToken() {
    if (!appToken || appToken.expires < Date.now() + 60_000) {
      const t = await connect.clientCredentials();
      appToken = { value: t.access_token, expires: Date.now() + t.expires_in * 1000 };
    }
    return appToken.value;
  }

  function session(req, res) {
    const m = /(?:^|;\s*)demo_session=([a-f0-9]{32})/.exec(req.headers.cookie ?? '');
    let id = m?.[1];
    if (!id || !sessions.has(id)) {
      id = randomBytes(16).toString('hex');
      sessions.set(id, {});
      res.setHeader('Set-Cookie', `demo_session=${id}; Path=/; HttpOnly; SameSite=Lax`);
    }
    return sessions.get(id);
  }

  // The exchange routes change what a session holds, so another site must not be able to make
  // them with the user's cookie (login CSRF: the victim's session tied to the attacker's car):
  // each is a POST of a small JSON body, taken only from this demo's own pages (the browser's
  // Origin header, which a page cannot forge).
  async function postedJson(req, res) {
    if (req.headers.origin !== origin) {
      json(res, 403, { error: 'forbidden', message: "This route takes requests from the demo's own pages only." });
      return null;
    }
    let body = '';
    for await (const chunk of req) {
      body += chunk;
      if (body.length > 4096) break;
    }
    try {
      const value = JSON.parse(body);
      if (value && typeof value === 'object' && typeof value.code === 'string') return value;
    } catch {}
    json(res, 400, { error: 'invalid_request', message: 'No authorization code was sent.' });
    return null;
  }

  // The server-rendered flow's CSRF check, as every app whose redirect URI is a back-end route
  // needs one: a random state per session, rendered into the page and passed to connect(),
  // comes back with Connect's redirect; a code arriving without it was not started here.
  const sessionState = (s) => (s.connectState ??= randomBytes(16).toString('hex'));
  const startedHere = (s, sdkState) => s.connectState !== undefined && appState(sdkState) === s.connectState;

  const json = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const html = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
  };
  const tokenError = (e) => e.body?.error === 'invalid_grant'
    ? `Smartcar refused the authorization code (${e.message}). Connect again to get a new one.`
    : `Could not exchange the authorization code: ${e.message}`;

  /** The first vehicle the access token can read, with its attributes. */
  async function firstVehicle(accessToken) {
    const { vehicles } = await connect.vehicles(accessToken);
    if (!vehicles.length) throw Object.assign(new Error('No vehicle was shared.'), { status: 404 });
    return connect.attributes(accessToken, vehicles[0]);
  }

  const sdkBlock = (config) => `<script src="/sdk/sdk.js"></script><script>window.DEMO_CONFIG = ${scriptJson(config)};</script>`;

  const routes = {
    // ------------------------------------------------------------------ index
    'GET /': (req, res) => html(res, 200, page('Smartcar demos', `
      <h1>Smartcar Connect demos</h1>
      <p class="lead">Three of Smartcar's getting-started apps, running on this SDK against a local Connect simulator (<a href="${esc(settings.connectUrl)}/">${esc(settings.connectUrl)}</a>).</p>
      <div class="card"><h2><a href="/spa/" id="demo-spa">1. React single-page app</a></h2><p>Built with Vite from the npm package. The redirect page runs on a separate origin (${esc(redirectOrigin)}) with <code>app_origin</code>; the backend exchanges the code and returns the vehicle's attributes.</p></div>
      <div class="card"><h2><a href="/server/" id="demo-server">2. Server-rendered app</a></h2><p>The redirect URI is a backend route: it exchanges the code from the query string and renders a page with <code>redirect.js</code>, which hands the result back to the page's <code>smartcar.connect()</code>.</p></div>
      <div class="card"><h2><a href="/fleet/" id="demo-fleet">3. Application tokens</a></h2><p>The redirect carries <code>user_id</code>; the backend uses a client-credentials token and the <code>sc-user-id</code> header to read the user's connections and vehicle.</p></div>
      <div class="card"><h2><a href="/redirect-flow/" id="demo-redirect">4. Connect without a popup</a></h2><p>The whole page goes to Connect and comes back (<code>redirectToConnect</code> / <code>handleRedirect</code>): for phones, in-app browsers and installed web apps, where popups are blocked or lose their opener.</p></div>
      <div class="card"><h2><a href="/two/" id="demo-two">Two Connect buttons on one page</a></h2><p>Two SDK instances (two applications) side by side: each gets only its own result.</p></div>
      <p class="lead">In the Connect popup: pick any brand, sign in with any email and password (test mode), then Allow or Deny.</p>`)),

    // ------------------------------------------------------------------ 1. SPA
    'GET /spa/config.js': (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(`window.DEMO_CONFIG = ${scriptJson({ applicationId: DEMO_APP.applicationId, redirectUri: uris.spa, connectUrl: settings.connectUrl })};\n`);
    },
    'POST /spa/api/exchange': async (req, res) => {
      const s = session(req, res);
      const { code } = (await postedJson(req, res)) ?? {};
      if (code === undefined) return;
      try {
        const tokens = await connect.exchangeCode(code, uris.spa);
        s.spa = { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
        log(`spa: exchanged a code for tokens`);
        json(res, 200, { ok: true });
      } catch (e) {
        json(res, e.status === 502 ? 502 : 400, { error: e.body?.error ?? 'exchange_failed', message: tokenError(e) });
      }
    },
    'GET /spa/api/vehicle': async (req, res) => {
      const s = session(req, res);
      if (!s.spa) return json(res, 401, { error: 'not_connected', message: 'Connect a vehicle first.' });
      try {
        json(res, 200, await firstVehicle(s.spa.accessToken));
      } catch (e) {
        json(res, e.status === 401 ? 401 : 502, { error: 'vehicle_api', message: `Could not read the vehicle: ${e.message}` });
      }
    },

    // ------------------------------------------------------------------ 2. server-rendered
    'GET /server/': (req, res) => {
      const s = session(req, res);
      html(res, 200, page('Smartcar demo · server-rendered', `
        <h1>Smartcar demo: server-rendered</h1>
        <p class="lead">The redirect URI is this server's <code>/server/exchange</code> route.</p>
        <button type="button" class="connect" id="connect">Connect your car</button>
        <p class="status" id="message" hidden role="alert"></p>
        <p><a href="/">All demos</a></p>
        ${sdkBlock({ applicationId: DEMO_APP.applicationId, redirectUri: uris.server, connectUrl: settings.connectUrl, state: sessionState(s) })}
        <script type="module" src="/shared/server-demo.js"></script>`));
    },
    // The redirect URI: the code arrives here in the query string.
    'GET /server/exchange': async (req, res, url) => {
      const s = session(req, res);
      const code = url.searchParams.get('code');
      const error = url.searchParams.get('error');
      let note;
      if (code && !startedHere(s, url.searchParams.get('state'))) {
        note = 'This result is not of a Connect flow this browser started here, so the app did not use it.';
        log('server: refused a code without this session\'s state');
      } else if (code) {
        try {
          const tokens = await connect.exchangeCode(code, uris.server);
          s.server = { accessToken: tokens.access_token };
          note = 'Your car is connected.';
          log('server: exchanged a code for tokens');
        } catch (e) {
          s.server = { error: tokenError(e) };
          note = 'Connect finished, but the app could not use the authorization code.';
        }
      } else {
        note = error ? 'Connect did not connect a car.' : 'Nothing to do here.';
      }
      html(res, 200, page('Returning to the app', `
        <h1>Returning to the app…</h1><p class="status">${esc(note)} This window closes by itself.</p>
        <script src="/sdk/redirect.js"></script>`, { redirect: true }));
    },
    'GET /server/vehicle': async (req, res) => {
      const s = session(req, res);
      let body;
      if (s.server?.accessToken) {
        try {
          const v = await firstVehicle(s.server.accessToken);
          body = `<p class="status ok">Connected. Here is your vehicle:</p>
            <table id="vehicle"><tr><th>Make</th><td>${esc(v.make)}</td></tr><tr><th>Model</th><td>${esc(v.model)}</td></tr>
            <tr><th>Year</th><td>${esc(v.year)}</td></tr><tr><th>Id</th><td><code>${esc(v.id)}</code></td></tr></table>`;
        } catch (e) {
          body = `<p class="status error" id="message">Could not read the vehicle: ${esc(e.message)}</p>`;
        }
      } else {
        body = `<p class="status error" id="message">${esc(s.server?.error ?? 'No car is connected yet.')}</p>`;
      }
      html(res, 200, page('Smartcar demo · your vehicle', `<h1>Smartcar demo: server-rendered</h1>${body}<p><a href="/server/">Connect another car</a> · <a href="/">All demos</a></p>`));
    },

    // ------------------------------------------------------------------ 3. application tokens
    'GET /fleet/': (req, res) => html(res, 200, page('Smartcar demo · application tokens', `
      <h1>Smartcar demo: application tokens</h1>
      <p class="lead">No authorization code: Connect returns the <code>user_id</code>, and the backend reads with its own client-credentials token.</p>
      <p><label>Connect one specific vehicle (optional): <input id="vin" name="vin" placeholder="VIN" size="20" autocomplete="off"></label></p>
      <button type="button" class="connect" id="connect">Connect your car</button>
      <p class="status" id="message" hidden role="alert"></p>
      <div id="result"></div>
      <p><a href="/">All demos</a></p>
      ${sdkBlock({ applicationId: DEMO_APP.applicationId, redirectUri: uris.fleet, connectUrl: settings.connectUrl })}
      <script type="module" src="/shared/fleet-demo.js"></script>`)),
    'GET /fleet/redirect': (req, res, url) => {
      const userId = url.searchParams.get('user_id');
      if (userId) log(`fleet: Connect redirected with user_id ${userId}`);
      html(res, 200, page('Returning to the app', `<h1>Returning to the app…</h1><p class="status">This window closes by itself.</p><script src="/sdk/redirect.js"></script>`, { redirect: true }));
    },
    'GET /fleet/api/vehicles': async (req, res, url) => {
      const userId = url.searchParams.get('user_id');
      if (!userId) return json(res, 400, { error: 'invalid_request', message: 'No user id was sent.' });
      try {
        const token = await applicationToken();
        const { connections } = await connect.connections(token, userId);
        if (!connections.length) return json(res, 404, { error: 'no_connection', message: 'Smartcar has no connection for this user.' });
        const vehicles = await Promise.all(connections.map(async (c) => ({
          ...(await connect.attributes(token, c.vehicleId, userId)),
          connectedAt: c.connectedAt,
        })));
        json(res, 200, { userId, vehicles });
      } catch (e) {
        if (e.status === 401) appToken = null;
        json(res, 502, { error: 'vehicle_api', message: `Could not read the user's vehicles: ${e.message}` });
      }
    },

    // ------------------------------------------------------------------ 4. redirect flow
    // The page is its own redirect URI: it handles Connect's result when it loads, for a flow
    // that left by redirect (and for one in a popup, which it hands back to the opener).
    'GET /redirect-flow/': (req, res) => html(res, 200, page('Smartcar demo · without a popup', `
      <h1>Smartcar demo: Connect without a popup</h1>
      <p class="lead">Popups fail where many people connect their cars: on phones (a new tab, the opener lost), in the in-app browsers of social apps, and in installed web apps. Here the whole page goes to Connect and comes back to this page, which picks up the result.</p>
      <p><button type="button" class="connect" id="connect">Connect your car</button>
         <button type="button" id="connect-popup">Try a popup first</button></p>
      <p class="status" id="message" hidden></p>
      <div id="result"></div>
      <p><a href="/">All demos</a></p>
      ${sdkBlock({ applicationId: DEMO_APP.applicationId, redirectUri: uris.redirect, connectUrl: settings.connectUrl })}
      <script type="module" src="/shared/redirect-demo.js"></script>`)),
    'POST /redirect-flow/api/exchange': async (req, res) => {
      const { code } = (await postedJson(req, res)) ?? {};
      if (code === undefined) return;
      try {
        const tokens = await connect.exchangeCode(code, uris.redirect);
        log('redirect-flow: exchanged a code for tokens');
        json(res, 200, await firstVehicle(tokens.access_token));
      } catch (e) {
        json(res, e.status === 502 ? 502 : 400, { error: e.body?.error ?? 'exchange_failed', message: tokenError(e) });
      }
    },

    // ------------------------------------------------------------------ two instances
    'GET /two/': (req, res) => html(res, 200, page('Smartcar demo · two instances', `
      <h1>Two Connect buttons on one page</h1>
      <p class="lead">Two SDK instances, for two applications. Each gets only its own result.</p>
      <div class="card" id="card-a"><h2>Smartcar Demo</h2><button type="button" class="connect" id="connect-a">Connect your car</button><p class="status" id="result-a">Not connected.</p></div>
      <div class="card" id="card-b"><h2>Second Demo App</h2><button type="button" class="connect" id="connect-b">Connect your car</button><p class="status" id="result-b">Not connected.</p></div>
      <p><a href="/">All demos</a></p>
      ${sdkBlock({ apps: [DEMO_APP.applicationId, SECOND_APP.applicationId], redirectUri: uris.spa, connectUrl: settings.connectUrl })}
      <script type="module" src="/shared/two-demo.js"></script>`)),
  };

  demo.on('request', async (req, res) => {
    const url = new URL(req.url, origin);
    try {
      const route = routes[`${req.method === 'HEAD' ? 'GET' : req.method} ${url.pathname}`];
      if (route) return await route(req, res, url);
      if (req.method === 'GET' || req.method === 'HEAD') {
        const [base, rel] = url.pathname.startsWith('/spa/') ? [path.join(WWW, 'spa', 'dist'), url.pathname.slice(4)]
          : url.pathname.startsWith('/shared/') ? [path.join(WWW, 'shared'), url.pathname.slice(7)]
          : url.pathname.startsWith('/sdk/') ? [path.join(DIST, 'cdn'), url.pathname.slice(4)]
          : [null, null];
        if (url.pathname === '/spa' ) { res.writeHead(302, { Location: '/spa/' }); return res.end(); }
        const file = base && inside(base, rel === '/' ? '/index.html' : rel);
        if (file && await serveFile(res, file)) return;
        if (url.pathname === '/spa/' || url.pathname === '/spa/index.html') {
          return html(res, 503, page('Not built', '<p class="status error">The React demo is not built: run <code>npm start</code>.</p>'));
        }
      }
      html(res, 404, page('Not found', `<p class="status error">Nothing at ${esc(url.pathname)}. <a href="/">All demos</a></p>`));
    } catch (e) {
      log(`error: ${e.stack ?? e}`);
      if (!res.headersSent) html(res, 500, page('Error', `<p class="status error">The demo backend failed: ${esc(e.message)}</p>`));
      else res.end();
    }
  });

  // The redirect origin: only the redirect page.
  redirect.on('request', async (req, res) => {
    const { pathname } = new URL(req.url, redirectOrigin);
    const file = { '/redirect.html': 'redirect.html', '/redirect.js': 'redirect.js' }[pathname];
    if (file && await serveFile(res, path.join(DIST, 'cdn', file))) return;
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });

  for (const s of [demo, redirect]) s.keepAliveTimeout = 1000;
  return {
    origin,
    redirectOrigin,
    uris,
    /** Points the backends (and the pages they render from now on) at another simulator. */
    setConnect(browserUrl, apiUrl = browserUrl) {
      settings.connectUrl = browserUrl;
      settings.connectApi = apiUrl;
      connect = connectClient(apiUrl);
      appToken = null;
    },
    close: () => Promise.all([demo, redirect].map((s) => new Promise((resolve) => { s.close(() => resolve()); s.closeAllConnections(); }))),
  };
}
