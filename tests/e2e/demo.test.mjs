// The demo apps of `npm start` (www/), driven like a person in real popups against the local
// Connect simulator (the Rust crate in simulator/): click "Connect your car", choose a brand,
// sign in, Allow or Deny, and check what the page finally shows, in every engine of
// E2E_BROWSERS. The screenshots are rendered from a copy of the page's DOM in Chromium.
//
// The suite builds the simulator (cargo, debug) and the React demo (Vite) once, then starts
// the simulator and the demo backends on free ports, and stops them at the end.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { engines, launch, launchPlaywrightChromium } from '../support/browser.mjs';
import { group, MISSING, sleep } from '../support/harness.mjs';
import { REPO_ROOT } from '../support/server.mjs';
import { startDemos, DEMO_APP } from '../../www/server.mjs';
import { buildSimulator, startSimulator } from '../../www/simulator.mjs';
import { buildSpa } from '../../www/build-spa.mjs';
import { clickIn, goThroughConnect, signIn } from '../support/connect-ui.mjs';

const ARTEFACTS = path.join(REPO_ROOT, 'test-results');
const skip = MISSING.oursNpm || MISSING.oursCdn || MISSING.redirect;

/**
 * Saves a PNG of what `page` shows now under test-results/. Uses the adapter's screenshot when
 * it has one; otherwise renders a copy of the page's current DOM (scripts removed, same
 * stylesheets) in a separate headless Chromium page.
 */
let snapshotBrowser = null;
async function screenshot(page, name) {
  mkdirSync(ARTEFACTS, { recursive: true });
  const file = path.join(ARTEFACTS, `demo-${name}.png`);
  if (typeof page.screenshot === 'function') {
    await page.screenshot(file);
    return file;
  }
  const { html, base, width } = await page.eval(() => ({
    html: document.documentElement.outerHTML, base: location.href, width: document.documentElement.clientWidth,
  }));
  if (!snapshotBrowser) {
    snapshotBrowser = await launchPlaywrightChromium();
  }
  const p = await snapshotBrowser.newPage({ viewport: { width: Math.max(width, 800), height: 600 } });
  try {
    const withoutScripts = html.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/\scrossorigin(="[^"]*")?/g, '').replace('<head>', `<head><base href="${base}">`);
    await p.setContent(withoutScripts, { waitUntil: 'load', timeout: 10000 });
    await p.screenshot({ path: file, fullPage: true, timeout: 10000 });
  } finally {
    await p.close();
  }
  return file;
}

// ---------------------------------------------------------------------------------------------
// Acting in the Connect popup (tests/support/connect-ui.mjs).

/** Set per engine: see `connect`. */
let userTag = '';

/**
 * Clicks `button` on `page` and goes through Connect in the popup: brand, login, then `decision`
 * ('allow', 'deny', 'back' for an error screen's "Back to the app", or null to stop at the
 * permission screen). Returns the popup.
 */
async function connect(page, { button = '#connect', make = 'TESLA', user = 'owner@example.com', decision = 'allow', onPermissions } = {}) {
  const popupP = page.waitForPopup({ timeout: 8000 });
  await page.click(button);
  const popup = await popupP;
  // Each engine signs in as its own people: the engines share one simulator, which remembers
  // what each user granted (approval_prompt=auto skips the permission screen for them).
  // Smartcar's special test accounts keep their exact names.
  const login = user.endsWith('@example.com') ? user.replace('@', `+${userTag}@`) : user;
  await goThroughConnect(popup, { make, user: login, decision, onPermissions });
  return popup;
}

/** The text of `selector` on `page` once it matches `pattern` (bounded). */
async function textOf(page, selector, pattern, timeout = 8000) {
  return page.waitFor(([s, p]) => {
    const el = document.querySelector(s);
    const t = el && !el.hidden ? el.innerText : '';
    return new RegExp(p).test(t) && t;
  }, [selector, pattern.source], { timeout });
}

group('demo apps against the Connect simulator', skip, () => {
  let demos;
  let sim;

  before(async () => {
    await buildSimulator();
    await buildSpa({ log: (l) => console.log(`# ${l}`) });
    demos = await startDemos({ port: 0, redirectPort: 0 });
    sim = await startSimulator({ port: 0, env: { DEMO_ORIGIN: demos.origin, REDIRECT_ORIGIN: demos.redirectOrigin } });
    demos.setConnect(sim.url, sim.api);
  }, { timeout: 300000 });

  after(async () => {
    await snapshotBrowser?.close();
    await sim?.stop();
    await demos?.close();
  }, { timeout: 30000 });

  describe('the exchange routes take a POST from the demo\'s own pages only (no login CSRF)', () => {
    for (const route of ['/spa/api/exchange', '/redirect-flow/api/exchange']) {
      it(route, async () => {
        const post = (headers) => fetch(`${demos.origin}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ code: 'c-any' }) });
        assert.equal((await post({ Origin: 'http://attacker.example' })).status, 403, 'another origin');
        assert.equal((await post({ Origin: demos.redirectOrigin })).status, 403, 'the redirect page\'s origin');
        assert.equal((await post({})).status, 403, 'no Origin (a request not made by a page of the demo)');
        assert.equal((await fetch(`${demos.origin}${route}?code=c-any`)).status, 404, 'a GET (a link, an image)');
        // From the demo's origin: the code is tried (and refused by the token endpoint).
        const own = await post({ Origin: demos.origin });
        assert.equal(own.status, 400);
        assert.equal((await own.json()).error, 'invalid_grant');
      });
    }
  });

  it('the redirect routes\' pages send no Referer: the referrer policy comes before anything they load (their address holds the code)', async () => {
    for (const route of ['/server/exchange?code=c-any&state=s-any', '/fleet/redirect?user_id=u-any']) {
      const html = await (await fetch(`${demos.origin}${route}`)).text();
      const policy = html.indexOf('<meta name="referrer" content="no-referrer">');
      assert.ok(policy >= 0, `${route} sets the policy`);
      for (const load of ['<link', '<script']) assert.ok(html.indexOf(load) > policy, `${route}: ${load} after the policy`);
    }
  });

  for (const engine of engines()) {
    group(engine.name, engine.skip, () => {
      let browser;
      before(async () => {
        userTag = engine.name;
        browser = await launch(engine.name);
      }, { timeout: 70000 });
      after(async () => { await browser?.close(); }, { timeout: 30000 });
      const shot = (page, name) => screenshot(page, `${name}-${engine.name}`);

      describe('1. React single-page app (redirect page on its own origin)', () => {
        let page;
        const open = async () => {
          page = await browser.newPage(`${demos.origin}/spa/`);
          await page.waitFor(() => !!document.querySelector('#connect'), undefined, { timeout: 10000 });
          // Remember the codes the app sends to its backend (to replay one below).
          await page.eval(() => {
            window.__codes = [];
            const f = window.fetch;
            window.fetch = (u, o) => {
              if (String(u).endsWith('/api/exchange')) window.__codes.push(JSON.parse(o.body).code);
              return f(u, o);
            };
          });
        };

        it('Connect → Tesla → sign in → Allow shows the vehicle in a table; the code cannot be used twice', async () => {
          await open();
          await connect(page, { make: 'TESLA' });
          const table = await textOf(page, '#vehicle', /Model 3/);
          assert.match(table, /TESLA/);
          assert.match(table, /2021/);
          await shot(page, 'spa');
          const [code] = await page.eval(() => window.__codes);
          assert.ok(code, 'the app sent the code to its backend');

          // The backend tries the same code again: the token endpoint refuses it.
          const again = await page.eval(async (c) => {
            const r = await fetch('/spa/api/exchange', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: c }) });
            return { status: r.status, body: await r.json() };
          }, code);
          assert.equal(again.status, 400);
          assert.equal(again.body.error, 'invalid_grant');
          assert.match(again.body.message, /already been used/);

          // And straight at the token endpoint, with the right credentials and redirect URI.
          const res = await fetch(`${sim.api}/oauth/token`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Basic ' + Buffer.from(`${DEMO_APP.applicationId}:${DEMO_APP.clientSecret}`).toString('base64') },
            body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: demos.uris.spa }).toString(),
          });
          assert.equal(res.status, 400);
          assert.equal((await res.json()).error, 'invalid_grant');
        });

        it('Deny: the page says access was declined', async () => {
          await open();
          await connect(page, { make: 'FORD', decision: 'deny' });
          assert.match(await textOf(page, '#message', /not to share/), /try again/);
          assert.equal(await page.eval(() => !!document.querySelector('#vehicle')), false);
        });

        it('an incompatible vehicle: the page names it', async () => {
          await open();
          await connect(page, { make: 'AUDI', user: 'smartcar@vehicle-incompatible.com', decision: 'back' });
          const text = await textOf(page, '#message', /not compatible/);
          assert.match(text, /2012 AUDI A4/);
          assert.match(text, /0SCAUDI012FE3B132/);
          await shot(page, 'spa-incompatible');
        });

        it('an inactive subscription: the page says so', async () => {
          await open();
          await connect(page, { make: 'BMW', user: 'smartcar@invalid-subscription.com', decision: 'back' });
          await textOf(page, '#message', /subscription is not active/);
        });

        it('closing the popup early: the page says the window was closed', async () => {
          await open();
          const popupP = page.waitForPopup({ timeout: 8000 });
          await page.click('#connect');
          const popup = await popupP;
          await popup.waitFor(() => !!document.querySelector('a.brand'), undefined, { timeout: 8000 });
          await popup.eval(() => { setTimeout(() => window.close(), 0); return true; });
          // connect() rejects with PopupClosed only once the popup has stayed closed for its 3 s
          // grace period (a result may still arrive in that time): not at once, but well within 8 s.
          const closedAt = Date.now();
          await sleep(1000);
          assert.equal(await page.eval(() => !!document.querySelector('#message')), false, 'no message during the grace period');
          await textOf(page, '#message', /closed before you finished/, 8000);
          assert.ok(Date.now() - closedAt >= 2500, 'the message waited for the grace period');
          assert.equal(await page.eval(() => document.querySelector('#connect').innerText), 'Connect your car');
        });
      });

      describe('2. server-rendered app (redirect URI is a backend route)', () => {
        it('Allow: the backend exchanged the code from the query string; connect() resolves and the page shows its vehicle page', async () => {
          const page = await browser.newPage(`${demos.origin}/server/`);
          await connect(page, { make: 'BMW' });
          const table = await textOf(page, '#vehicle', /i4/);
          assert.match(table, /BMW/);
          assert.match(table, /2023/);
          assert.match(await page.eval(() => location.pathname), /^\/server\/vehicle$/);
          await shot(page, 'server-rendered');
        });

        it('a code that comes back without this session\'s state (a link from another site) is not exchanged', async () => {
          // Login CSRF: an attacker's own code, handed to the victim's browser by a link to the
          // redirect URI. Here the code of a flow with no state, run in a page of its own.
          const app = await browser.newPage(`${demos.origin}/server/`);
          const url = await app.waitFor(() => window.Smartcar && new window.Smartcar({ ...window.DEMO_CONFIG, scope: ['read_vehicle_info'], mode: 'test' }).getAuthUrl({ forcePrompt: true }), undefined, { timeout: 10000 });
          const page = await browser.newPage(url);
          await goThroughConnect(page, { make: 'FORD', user: `csrf+${userTag}@example.com` });
          await textOf(page, '.status', /not of a Connect flow this browser started here/);
          await page.goto(`${demos.origin}/server/vehicle`);
          const shown = await page.waitFor(() => document.querySelector('h1') && document.body.innerText, undefined, { timeout: 8000 });
          assert.doesNotMatch(shown, /FORD/, "the session holds the attacker's car");
        });

        it('Deny: the page says access was declined', async () => {
          const page = await browser.newPage(`${demos.origin}/server/`);
          await connect(page, { make: 'TOYOTA', decision: 'deny' });
          await textOf(page, '#message', /not to share/);
          assert.match(await page.eval(() => location.pathname), /^\/server\/$/);
        });
      });

      describe('3. application tokens (user_id, client credentials, sc-user-id)', () => {
        it('Allow: the backend reads the connection and the vehicle with an application token', async () => {
          const page = await browser.newPage(`${demos.origin}/fleet/`);
          await connect(page, { make: 'HYUNDAI' });
          const table = await textOf(page, '#vehicles', /Ioniq 5/);
          assert.match(table, /HYUNDAI/);
          const message = await textOf(page, '#message', /Connected as user [0-9a-f-]{36}/);
          assert.ok(message);
          await shot(page, 'application-token');
        });

        it('single_select_vin: Connect offers only that vehicle, and only it is authorized', async () => {
          const page = await browser.newPage(`${demos.origin}/fleet/`);
          await page.eval(() => { document.querySelector('#vin').value = '7SAYGDEE1PF000421'; return true; });
          let offered;
          await connect(page, {
            make: 'TESLA',
            user: 'vin-owner@example.com',
            onPermissions: async (popup) => {
              offered = await popup.eval(() => [...document.querySelectorAll('input[name=vehicle]')].map((i) => i.dataset.vin));
            },
          });
          assert.deepEqual(offered, ['7SAYGDEE1PF000421']);
          const table = await textOf(page, '#vehicles', /Model Y/);
          assert.doesNotMatch(table, /Model 3/);
          await shot(page, 'single-select-vin');
        });

        it('clicking again while Connect is open: the page says so, and the first flow goes on', async () => {
          const page = await browser.newPage(`${demos.origin}/fleet/`);
          const popupP = page.waitForPopup({ timeout: 8000 });
          await page.click('#connect');
          const popup = await popupP;
          await popup.waitFor(() => !!document.querySelector('a.brand'), undefined, { timeout: 8000 });
          await page.click('#connect');
          await textOf(page, '#message', /already open/);
          await clickIn(popup, 'a.brand[data-make="FORD"]', 'brand FORD');
          await signIn(popup, `again+${userTag}@example.com`);
          await clickIn(popup, '#allow', 'allow');
          await textOf(page, '#message', /Connected as user [0-9a-f-]{36}/);
        });

        it('an unknown VIN: Connect ends with an error the page explains', async () => {
          const page = await browser.newPage(`${demos.origin}/fleet/`);
          await page.eval(() => { document.querySelector('#vin').value = 'NOTINACCOUNT00000'; return true; });
          await connect(page, { make: 'TESLA', decision: 'back' });
          await textOf(page, '#message', /NOTINACCOUNT00000/);
        });
      });

      describe('4. Connect without a popup (redirectToConnect / handleRedirect)', () => {
        it('Connect your car: the page goes to Connect, comes back, and shows the vehicle; a reload shows nothing twice', async () => {
          const page = await browser.newPage(`${demos.origin}/redirect-flow/`);
          await page.waitFor(() => !!document.querySelector('#connect'), undefined, { timeout: 10000 });
          await page.click('#connect');
          await page.waitFor((base) => location.href.startsWith(base), `${sim.url}/`, { timeout: 8000 });
          assert.equal(await page.windowCount(), 1, 'no popup');
          await goThroughConnect(page, { user: `redirect+${userTag}@example.com` });
          await textOf(page, '#vehicle', /make/);
          assert.match(await textOf(page, '#message', /connected/), /Your vehicle is connected/);
          // Connect's parameters left the address bar.
          assert.equal(await page.eval(() => location.href), `${demos.origin}/redirect-flow/`);
          await shot(page, 'redirect-flow');
          await page.goto(`${demos.origin}/redirect-flow/`);
          await page.waitFor(() => !!document.querySelector('#connect'), undefined, { timeout: 10000 });
          await sleep(300);
          assert.equal(await page.eval(() => document.querySelector('#result').textContent), '');
        });

        it('Deny: the page says access was declined', async () => {
          const page = await browser.newPage(`${demos.origin}/redirect-flow/`);
          await page.waitFor(() => !!document.querySelector('#connect'), undefined, { timeout: 10000 });
          await page.click('#connect');
          await page.waitFor((base) => location.href.startsWith(base), `${sim.url}/`, { timeout: 8000 });
          await goThroughConnect(page, { user: `redirect-deny+${userTag}@example.com`, decision: 'deny' });
          assert.match(await textOf(page, '#message', /not to share/), /try again/);
          assert.equal(await page.eval(() => location.href), `${demos.origin}/redirect-flow/`);
        });
      });

      describe('two SDK instances on one page', () => {
        it('each instance receives only its own result, whichever popup finishes first', async () => {
          const page = await browser.newPage(`${demos.origin}/two/`);
          await page.waitFor(() => !!window.__results, undefined, { timeout: 10000 });
          // Open both popups, then finish B before A.
          const popupA = await connect(page, { button: '#connect-a', make: 'TESLA', user: 'a@example.com', decision: null });
          const popupB = await connect(page, { button: '#connect-b', make: 'FORD', user: 'b@example.com', decision: null });
          await clickIn(popupB, '#allow');
          await page.waitFor(() => window.__results.b.length === 1, undefined, { timeout: 8000 });
          await sleep(300);
          assert.equal((await page.eval(() => window.__results.a)).length, 0, 'A got nothing from B');
          await clickIn(popupA, '#allow');
          await page.waitFor(() => window.__results.a.length === 1, undefined, { timeout: 8000 });
          await sleep(300);
          const r = await page.eval(() => window.__results);
          assert.equal(r.a.length, 1);
          assert.equal(r.b.length, 1);
          assert.deepEqual([r.a[0].error, r.a[0].state], [null, 'instance-a']);
          assert.deepEqual([r.b[0].error, r.b[0].state], [null, 'instance-b']);
          assert.notEqual(r.a[0].code, r.b[0].code);
          assert.match(await textOf(page, '#result-a', /Connected/), new RegExp(r.a[0].code));
          assert.match(await textOf(page, '#result-b', /Connected/), new RegExp(r.b[0].code));
          await shot(page, 'two-instances');
        });
      });

      describe('Connect simulator seen from the browser', () => {
        it('an unregistered redirect_uri gets an error page, not a redirect', async () => {
          const evil = encodeURIComponent('https://evil.example/cb');
          const page = await browser.newPage(`${sim.url}/oauth/authorize?response_type=code&application_id=${DEMO_APP.applicationId}&redirect_uri=${evil}&mode=test`);
          const text = await textOf(page, '#error-message', /not registered/);
          assert.match(text, /evil\.example/);
          assert.match(await page.eval(() => location.origin), new RegExp(sim.url.replace(/[.]/g, '\\.')));
        });
      });
    });
  }
});
