// The whole flow with real popups across two origins: a click on the app page (app origin)
// opens Connect in a popup; a fake Connect on the redirect origin sends the popup to the
// redirect page (dist/cdn/redirect.html, on the redirect origin), which posts the result to the
// app and closes itself. Runs with the reference SDK and ours: both must work with our
// redirect page.
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntil } from '../support/browser.mjs';
import { forEachEngine, group, openSdkPage, startRepoServer, MISSING, SDKS, sleep } from '../support/harness.mjs';

/**
 * A minimal fake Connect: sends the popup straight to `redirect_uri` with `params` and the
 * `state` it was given appended to the redirect URI's own query, as Connect does.
 */
const fakeConnect = (params) => `<!doctype html><meta charset="utf-8"><title>fake Connect</title>
<script>
  const q = new URLSearchParams(location.search);
  const to = new URL(q.get('redirect_uri'));
  for (const [k, v] of Object.entries(${JSON.stringify(params)})) to.searchParams.append(k, v);
  if (q.has('state')) to.searchParams.append('state', q.get('state'));
  location.replace(to.href);
</script>`;

/** In the app page: create the SDK instance and bind it to the #connect button. */
function setup({ redirectUri, connectUrl, reference }) {
  if (reference) {
    // The reference always opens https://connect.smartcar.com, which this machine cannot
    // reach; the only way to put the fake Connect in its popup is to rewrite the URL it passes
    // to window.open. Everything else (the click, the real window.open, the popup, the
    // redirect page and its postMessage) stays real.
    const open = window.open;
    window.open = function (url, ...rest) {
      return open.call(window, connectUrl + '/oauth/authorize' + new URL(url).search, ...rest);
    };
  }
  window.__calls = [];
  window.sc = new window.Smartcar({ applicationId: 'app', redirectUri, onComplete: window.__onComplete, connectUrl });
  window.sc.addClickHandler({ id: 'connect', state: 'orig-1' });
  return true;
}

const U = { undefined: true };

describe('popup flow', () => {
  let app, redirect;
  let outcome = {}; // what the fake Connect answers with
  before(async () => {
    app = await startRepoServer();
    redirect = await startRepoServer();
    redirect.route('/oauth/authorize', () => ({ body: fakeConnect(outcome) }));
    // The same fake Connect on the app origin, for the same-origin (COOP) case.
    app.route('/oauth/authorize', () => ({ body: fakeConnect(outcome) }));
  });
  after(async () => { await Promise.all([app.close(), redirect.close()]); });

  forEachEngine((ctx) => {
    for (const sdk of SDKS) {
      group(sdk.name, sdk.skip || MISSING.redirect, () => {
        let page;
        const redirectPage = (appOrigin) => `${redirect.origin}/dist/cdn/redirect.html?app_origin=${appOrigin}`;
        const open = async ({ redirectUri = redirectPage(app.origin), connectUrl = redirect.origin, query } = {}) => {
          page = await openSdkPage(ctx.browser, app, { sdk: sdk.name, body: '<button id="connect">Connect your car</button>', query });
          await page.eval(setup, { redirectUri, connectUrl, reference: sdk.name === 'reference' });
        };
        const calls = () => page.eval(() => window.__calls);
        /**
         * The first onComplete call (bounded: 5 s). Fails fast, with a clearer message, when the
         * popup is gone for 1 s without onComplete having been called.
         */
        const waitCall = async () => {
          const deadline = Date.now() + 5000;
          let aloneSince = null;
          for (;;) {
            const c = await calls();
            if (c.length) return c[0];
            if ((await page.windowCount()) > 1) aloneSince = null;
            else if ((aloneSince ??= Date.now()) < Date.now() - 1000) assert.fail('the popup closed (or never opened) and onComplete was not called');
            if (Date.now() > deadline) assert.fail('onComplete was not called within 5 s');
            await sleep(50);
          }
        };
        const popupGone = () => waitUntil(async () => (await page.windowCount()) === 1, 'the popup to close', 5000);
        beforeEach(() => { redirect.requests.length = 0; });

        it('a click opens Connect; the redirect page hands code and state to onComplete and closes', async () => {
          outcome = { code: 'c1' };
          await open();
          await page.click('#connect');
          const call = await waitCall();
          assert.deepEqual(call, [null, 'c1', 'orig-1', null, null, U]);
          await popupGone();
          const paths = redirect.requests.map((r) => r.path);
          assert.ok(paths.includes('/oauth/authorize'), 'the popup went through (fake) Connect');
          assert.ok(redirect.requests.some((r) => r.path === '/dist/cdn/redirect.html' && r.search.includes('code=c1')), 'and then to the redirect page');
          await sleep(200);
          assert.equal((await calls()).length, 1, 'onComplete called once');
          assert.deepEqual(await page.eval(() => window.__errors), []);
        });

        it('access_denied reaches onComplete as Smartcar.AccessDenied', async () => {
          outcome = { error: 'access_denied', error_description: 'User denied access' };
          await open();
          await page.click('#connect');
          const [err, code, state] = await waitCall();
          assert.equal(err.name, 'AccessDenied');
          assert.equal(err.message, 'User denied access');
          assert.equal(err.isAccessDenied, true);
          assert.equal(code, null);
          assert.equal(state, 'orig-1');
          await popupGone();
        });

        it('vehicle_incompatible with vehicle info, user id, virtual key URL and external id', async () => {
          outcome = {
            error: 'vehicle_incompatible', error_description: 'Not compatible', vin: '5YJ3E1EA7KF000001', make: 'TESLA',
            model: 'Model 3', year: '2019', user_id: 'user-7', virtual_key_url: 'https://vk.example/k', external_id: 'ext-9',
          };
          await open();
          await page.click('#connect');
          const [err, code, state, virtualKeyUrl, userId, externalId] = await waitCall();
          assert.equal(err.name, 'VehicleIncompatible');
          assert.equal(err.isVehicleIncompatible, true);
          assert.deepEqual(err.vehicleInfo, { vin: '5YJ3E1EA7KF000001', make: 'TESLA', year: 2019, model: 'Model 3' });
          assert.deepEqual([code, state, virtualKeyUrl, userId, externalId], [null, 'orig-1', 'https://vk.example/k', 'user-7', 'ext-9']);
          await popupGone();
        });

        it('app_origin=* is refused: nothing is posted and the popup says why', async () => {
          outcome = { code: 'c-star' };
          await open({ redirectUri: redirectPage('*') });
          const popupP = page.waitForPopup({ timeout: 5000 });
          await page.click('#connect');
          const popup = await popupP;
          const text = await popup.waitFor(() => document.location.pathname.endsWith('/redirect.html') && /app_origin/.test(document.body.innerText) && document.body.innerText, undefined, { timeout: 5000 });
          assert.doesNotMatch(text, /c-star/, 'the page does not show the code');
          await sleep(300);
          assert.deepEqual(await calls(), [], 'no onComplete');
          assert.equal(await popup.closed(), false, 'the popup stays open to show the message');
        });

        it('without an opener the redirect page removes the code from the address bar and says why', async () => {
          // A normal tab on the redirect origin, as if the user opened the link directly.
          page = await ctx.browser.newPage(`${redirectPage(app.origin)}&code=secret-code&state=abc`);
          const r = await page.waitFor(() => !location.search.includes('code') && document.body.innerText.trim() && {
            href: location.href, text: document.body.innerText,
          }, undefined, { timeout: 5000 });
          assert.doesNotMatch(r.href, /secret-code|[?&]state=/, 'code and state are gone from the URL');
          assert.doesNotMatch(r.text, /secret-code/);
          assert.match(r.text, /could not|no longer|not sent/i, `a readable message, got: ${r.text}`);
        });

        if (sdk.name === 'ours') {
          it('ours: with COOP on the app page (no opener), a same-origin redirect page still delivers', async () => {
            // Cross-Origin-Opener-Policy: same-origin severs window.opener once the popup goes
            // to another origin (the fake Connect on the redirect server). The redirect page,
            // on the app's own origin, then hands the result over a BroadcastChannel.
            outcome = { code: 'c-coop' };
            await open({ redirectUri: `${app.origin}/dist/cdn/redirect.html`, query: '?coop=1' });
            await page.click('#connect');
            const call = await waitCall();
            assert.deepEqual(call.slice(0, 3), [null, 'c-coop', 'orig-1']);
          });
        }
      });
    }
  });
});
