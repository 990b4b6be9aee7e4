// Connect without a popup: `redirectToConnect` sends the page itself to the local Connect
// simulator, and `handleRedirect` on the redirect URI's page takes the result back. Real
// navigations in every engine of E2E_BROWSERS: allow, deny, an incompatible vehicle, a reload
// of the callback page after it was handled, a forged state, a reused one, an expired flow,
// sessionStorage unavailable, the page's own parameters and hash kept,
// `connect({ fallback: 'redirect' })` under the browser's real popup blocker, and the same
// callback page opened as a popup.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { engines, launch } from '../support/browser.mjs';
import { goThroughConnect } from '../support/connect-ui.mjs';
import { group, MISSING, sleep, startRepoServer } from '../support/harness.mjs';
import { REPO_ROOT } from '../support/server.mjs';
import { buildSimulator, startSimulator } from '../../www/simulator.mjs';

const APP_ID = 'c0ffee00-0000-4000-8000-000000000017';

/** The app's pages: both load the SDK; the callback page handles the result when it loads. */
const sdk = (origin, connectUrl) => `<script src="/dist/cdn/sdk.js"></script>
<script>
  window.__calls = [];
  window.sc = new Smartcar({
    applicationId: ${JSON.stringify(APP_ID)}, redirectUri: ${JSON.stringify(`${origin}/callback.html?view=garage`)},
    scope: ['read_vehicle_info'], mode: 'test', connectUrl: ${JSON.stringify(connectUrl)},
    onComplete(err, code, state) { window.__calls.push([err && err.name, code, state, this === window.sc]); },
  });
</script>`;
const appPage = (origin, connectUrl) => `<!doctype html><meta charset="utf-8"><title>app</title>${sdk(origin, connectUrl)}
<body><button id="redirect">Connect by redirect</button><button id="popup">Connect in a popup</button>
<script>
  document.getElementById('redirect').onclick = () => sc.redirectToConnect({ state: { next: '/garage', n: 1 } });
  document.getElementById('popup').onclick = () => {
    sc.connect({ state: 'in-a-popup' }).then((r) => { window.settled = { code: r.code, state: r.state }; }, (e) => { window.settled = { error: e.name }; });
  };
  // No user gesture when a page's own script runs as it loads: the browser blocks the popup.
  if (location.search === '?on-load=connect') sc.connect({ state: 'fell-back', fallback: 'redirect' });
  // The same once the page has loaded (a navigation while it loads replaces its history
  // entry), once per tab, with the Promise watched (for the back button: see its test).
  if (location.search === '?on-load=connect-once') {
    if (sessionStorage.getItem('connected-once')) window.reloaded = true;
    else addEventListener('load', () => setTimeout(() => {
      sessionStorage.setItem('connected-once', '1');
      sc.connect({ fallback: 'redirect' }).then((r) => { window.settled = { code: r.code }; }, (e) => { window.settled = { error: e.name, message: e.message }; });
    }));
  }
</script></body>`;
const callbackPage = (origin, connectUrl) => `<!doctype html><meta charset="utf-8"><title>callback</title>${sdk(origin, connectUrl)}
<body><p id="out">…</p>
<script>
  window.__handled = sc.handleRedirect().then(
    (result) => ({ result, href: location.href }),
    (e) => ({ error: e.name, message: e.message, isInvalidState: e instanceof Smartcar.InvalidState, vehicleInfo: e.vehicleInfo ?? null, href: location.href }),
  ).then((outcome) => { window.outcome = outcome; });
</script></body>`;

describe('redirect flow (redirectToConnect / handleRedirect) against the Connect simulator', () => {
  let app;
  let sim;
  const skip = MISSING.oursCdn;
  before(async () => {
    if (skip) return;
    await buildSimulator();
    app = await startRepoServer({ host: 'localhost' });
    // The simulator's own configuration, plus this test's application and redirect URI.
    const config = JSON.parse(readFileSync(path.join(REPO_ROOT, 'simulator/connect.json'), 'utf8'));
    config.applications.push({
      name: 'Redirect flow test', application_id: APP_ID, client_secret: 'test-secret',
      redirect_uris: [`${app.origin}/callback.html?view=garage`], default_scope: ['read_vehicle_info'],
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'smartcar-redirect-flow-')), 'connect.json');
    writeFileSync(file, JSON.stringify(config));
    sim = await startSimulator({ port: 0, config: file });
    // `?connect=stand-in`: Connect is a page of the app's own server that stays put, so that a
    // test can read the state the SDK sent (the simulator moves on to its brand page at once).
    app.route('/app.html', (req, url) => ({ body: appPage(app.origin, url.searchParams.get('connect') ? `${app.origin}/stand-in` : sim.url) }));
    app.route('/stand-in/oauth/authorize', () => ({ body: '<!doctype html><title>Connect stand-in</title>' }));
    app.route('/callback.html', () => ({ body: callbackPage(app.origin, sim.url) }));
  }, { timeout: 300000 });
  after(async () => { await sim?.stop(); await app?.close(); });

  for (const engine of engines()) {
    group(engine.name, skip || engine.skip, () => {
      let browser;
      let page;
      let user = 0;
      before(async () => { browser = await launch(engine.name); }, { timeout: 70000 });
      after(async () => { await browser?.close(); }, { timeout: 30000 });

      /** Opens the app page; clicks `button`; the page is at Connect when this returns. */
      const leaveFor = async (button = '#redirect') => {
        page = await browser.newPage(`${app.origin}/app.html`);
        await page.click(button);
        // (The simulator answers /oauth/authorize with a redirect to its own brand page.)
        return page.waitFor((base) => location.href.startsWith(base), `${sim.url}/connect/`, { timeout: 8000 });
      };
      /** Starts a redirect flow towards the stand-in Connect; the state the SDK sent there. */
      const stateSent = async () => {
        await page.click('#redirect');
        return page.waitFor((base) => location.href.startsWith(base) && new URLSearchParams(location.search).get('state'), `${app.origin}/stand-in/`, { timeout: 8000 });
      };
      const outcome = () => page.waitFor(() => window.outcome, undefined, { timeout: 10000 });
      const calls = () => page.eval(() => window.__calls);
      const owner = () => `owner-${engine.name}-${++user}@example.com`;

      it('allow: the page comes back with the code and the app\'s state; Connect\'s parameters leave the address bar', async () => {
        await leaveFor();
        await goThroughConnect(page, { user: owner() });
        const { result, href } = await outcome();
        assert.match(result.code, /\S+/);
        assert.deepEqual(result.state, { next: '/garage', n: 1 });
        assert.equal(typeof result.userId, 'string');
        assert.equal(href, `${app.origin}/callback.html?view=garage`);
        assert.deepEqual(await calls(), [[null, result.code, { next: '/garage', n: 1 }, true]]);
      });

      it('a reload of the callback page after it was handled: null, nothing delivered twice', async () => {
        await page.goto(await page.eval(() => location.href));
        assert.deepEqual((await outcome()).result, null);
        assert.deepEqual(await calls(), []);
      });

      it('deny: AccessDenied, for onComplete too', async () => {
        await leaveFor();
        await goThroughConnect(page, { user: owner(), decision: 'deny' });
        const o = await outcome();
        assert.equal(o.error, 'AccessDenied');
        assert.equal(o.href, `${app.origin}/callback.html?view=garage`);
        assert.deepEqual((await calls()).map((c) => c[0]), ['AccessDenied']);
      });

      it('an incompatible vehicle: VehicleIncompatible with its vehicleInfo', async () => {
        await leaveFor();
        await goThroughConnect(page, { make: 'AUDI', user: 'smartcar@vehicle-incompatible.com', decision: 'back' });
        const o = await outcome();
        assert.equal(o.error, 'VehicleIncompatible');
        assert.ok(o.vehicleInfo === null || typeof o.vehicleInfo.vin === 'string', JSON.stringify(o.vehicleInfo));
      });

      it('a reused result: refused, nothing delivered', async () => {
        page = await browser.newPage(`${app.origin}/app.html?connect=stand-in`);
        const state = await stateSent();
        await page.goto(`${app.origin}/callback.html?view=garage&code=c-first&state=${encodeURIComponent(state)}`);
        const first = await outcome();
        assert.equal(first.result.code, 'c-first');
        // The same result again (the back button, a copied link): the flow was used.
        await page.goto(`${app.origin}/callback.html?view=garage&code=${encodeURIComponent(first.result.code)}&state=${encodeURIComponent(state)}`);
        const again = await outcome();
        assert.equal(again.isInvalidState, true);
        assert.match(again.message, /already handled/);
        assert.deepEqual(await calls(), []);
      });

      it('a forged state: refused, nothing delivered, the address bar cleaned', async () => {
        page = await browser.newPage(`${app.origin}/app.html`);
        const forged = await page.eval(() => btoa(JSON.stringify({ instanceId: window.sc.instanceId, originalState: 'x' })));
        await page.goto(`${app.origin}/callback.html?view=garage&code=forged&state=${encodeURIComponent(forged)}`);
        const o = await outcome();
        assert.equal(o.isInvalidState, true);
        assert.match(o.message, /no flow started in this tab/);
        assert.equal(o.href, `${app.origin}/callback.html?view=garage`);
        assert.deepEqual(await calls(), []);
      });

      it('an expired flow: refused', async () => {
        page = await browser.newPage(`${app.origin}/app.html?connect=stand-in`);
        // The flow starts two hours ago (the clock the SDK reads when it records it).
        await page.eval(() => { const now = Date.now; Date.now = () => now() - 2 * 3600 * 1000; return true; });
        const state = await stateSent();
        await page.goto(`${app.origin}/callback.html?view=garage&code=late&state=${encodeURIComponent(state)}`);
        const o = await outcome();
        assert.equal(o.isInvalidState, true);
        assert.match(o.message, /more than an hour/);
        assert.deepEqual(await calls(), []);
      });

      it('the page\'s own parameters and its fragment stay in the address bar', async () => {
        page = await browser.newPage(`${app.origin}/app.html?connect=stand-in`);
        const state = await stateSent();
        await page.goto(`${app.origin}/callback.html?view=garage&code=c-own&state=${encodeURIComponent(state)}&tab=2#vehicles`);
        const o = await outcome();
        assert.equal(o.result.code, 'c-own');
        assert.equal(o.href, `${app.origin}/callback.html?view=garage&tab=2#vehicles`);
      });

      it('the page\'s own parameters stay as they were written, and its fragment stays when handleRedirect is given the URL without it', async () => {
        page = await browser.newPage(`${app.origin}/app.html?connect=stand-in`);
        const state = await stateSent();
        const own = 'connect=stand-in&q=a%20b&flag&&=keep&path=%2Fx~y';
        await page.goto(`${app.origin}/app.html?${own}&code=c-raw&state=${encodeURIComponent(state)}#/route`);
        const o = await page.eval(() => sc.handleRedirect(location.href.split('#')[0]).then((r) => ({ code: r.code, href: location.href })));
        assert.equal(o.code, 'c-raw');
        assert.equal(o.href, `${app.origin}/app.html?${own}#/route`);
      });

      it('parameters of the page that share names with Connect\'s (state, error, code, make, year) without a state the SDK sent are no Connect result: null, the address bar as it was', async () => {
        page = await browser.newPage(`${app.origin}/app.html`);
        for (const own of ['state=CA', 'error=expired_session', 'code=promo', 'state=CA&make=FORD&year=2020']) {
          await page.goto(`${app.origin}/callback.html?view=garage&${own}`);
          const o = await outcome();
          assert.equal(o.result, null, `${own}: ${JSON.stringify(o)}`);
          assert.equal(o.href, `${app.origin}/callback.html?view=garage&${own}`, own);
        }
        assert.deepEqual(await calls(), []);
      });

      it('sessionStorage unavailable: a clear error, and the page stays', async () => {
        page = await browser.newPage(`${app.origin}/app.html`);
        const r = await page.eval(() => {
          Object.defineProperty(window, 'sessionStorage', { configurable: true, get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
          try {
            window.sc.redirectToConnect({ state: 's' });
            return { navigating: true };
          } catch (e) {
            return { name: e.name, message: e.message };
          }
        });
        assert.equal(r.name, 'Error');
        assert.match(r.message, /sessionStorage/);
        await sleep(300);
        assert.equal(new URL(await page.eval(() => location.href)).pathname, '/app.html');
      });

      it('connect({ fallback: "redirect" }) under the real popup blocker: the page goes to Connect instead, and comes back', async () => {
        // (Not from page.eval: Playwright gives its scripts a user gesture.)
        page = await browser.newPage(`${app.origin}/app.html?on-load=connect`);
        await page.waitFor((base) => location.href.startsWith(base), `${sim.url}/connect/`, { timeout: 8000 });
        assert.equal(await page.windowCount(), 1, 'no popup');
        await goThroughConnect(page, { user: owner() });
        const o = await outcome();
        assert.equal(o.result.state, 'fell-back');
        assert.deepEqual((await calls()).map((c) => c.slice(1, 3)), [[o.result.code, 'fell-back']]);
      });

      it('connect({ fallback: "redirect" }): back from Connect, the page restored from the back/forward cache rejects its Promise with PopupClosed', async (t) => {
        page = await browser.newPage(`${app.origin}/app.html?on-load=connect-once`);
        await page.waitFor((base) => location.href.startsWith(base), `${sim.url}/connect/`, { timeout: 8000 });
        await page.eval(() => { setTimeout(() => history.back(), 0); return true; });
        const back = await page.waitFor(() => (window.settled || window.reloaded) && { settled: window.settled, reloaded: !!window.reloaded }, undefined, { timeout: 8000 });
        // Playwright's Chromium runs without the back/forward cache: the page loads anew there.
        if (back.reloaded) return t.skip('the browser loaded the page anew: it keeps no back/forward cache here');
        assert.deepEqual(back.settled, { error: 'PopupClosed', message: 'The page came back from Connect before Connect finished.' });
      });

      it('the same callback page opened as a popup hands the result to the opener\'s SDK, and closes', async () => {
        page = await browser.newPage(`${app.origin}/app.html`);
        const popupP = page.waitForPopup({ timeout: 8000 });
        await page.click('#popup');
        const popup = await popupP;
        await goThroughConnect(popup, { user: owner() });
        await page.waitFor(() => window.settled, undefined, { timeout: 10000 });
        const settled = await page.eval(() => window.settled);
        assert.equal(settled.state, 'in-a-popup');
        assert.deepEqual((await calls()).map((c) => c.slice(1, 3)), [[settled.code, 'in-a-popup']]);
        await popup.waitClosed({ timeout: 5000 });
      });
    });
  }
});
