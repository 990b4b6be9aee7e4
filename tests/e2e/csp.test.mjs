// Content-Security-Policy. A page served with a strict policy
//   script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'
// (no inline scripts, no 'unsafe-eval') runs the CDN script and the npm module: getAuthUrl
// works and a real cross-origin postMessage completes to onComplete, with no CSP violation.
// Without 'wasm-unsafe-eval' the browser refuses to compile the embedded module. Loading or
// importing the SDK still never throws (the module compiles at the first `new Smartcar`), so
// the rest of the app starts; `new Smartcar(...)` throws an Error that names the missing
// source, and `connect()` rejects with it. Chromium and Firefox also fire a
// `securitypolicyviolation` event (script-src, blockedURI 'wasm-eval'; WebKit fires none).
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { forEachEngine, group, MISSING, startRepoServer } from '../support/harness.mjs';
import { REPO_ROOT } from '../support/server.mjs';

const STRICT = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";
const NO_WASM = "script-src 'self'; object-src 'none'; base-uri 'none'";

// Runs first: records uncaught errors, CSP violations and onComplete calls. An external
// script, since the policy forbids inline ones.
const CAPTURE_JS = `
window.__errors = [];
window.__violations = [];
window.__calls = [];
addEventListener('error', function (e) {
  window.__errors.push({ message: String(e.message), name: e.error && e.error.name || null });
});
addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push({ directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, sample: e.sample });
});
`;

// The app, also external: uses the SDK the page loaded, then has the relay frame (second
// origin, the redirect URI's) post a genuine SmartcarAuthMessage back to this window.
const APP_JS = `
(function () {
  var q = new URLSearchParams(location.search);
  var r = window.__result = { typeofSmartcar: typeof window.Smartcar, name: window.Smartcar && window.Smartcar.name };
  try {
    var sc = new window.Smartcar({
      applicationId: 'csp-app',
      redirectUri: q.get('redirect') + '/cb',
      scope: ['read_vehicle_info'],
      onComplete: function (err, code, state) { window.__calls.push([err && err.name, code, state]); },
    });
    r.url = sc.getAuthUrl({ state: 'csp-state' });
    r.instanceId = sc.instanceId;
    var message = {
      name: 'SmartcarAuthMessage', isSmartcarHosted: false, code: 'csp-code', error: null, errorDescription: null,
      state: btoa(JSON.stringify({ instanceId: sc.instanceId, originalState: 'csp-state' })),
      vin: null, make: null, model: null, year: null, virtualKeyUrl: null, userId: null,
    };
    var frame = document.createElement('iframe');
    frame.onload = function () { frame.contentWindow.postMessage({ relay: message }, '*'); };
    frame.src = q.get('redirect') + '/tests/pages/relay.html';
    document.body.appendChild(frame);
  } catch (e) {
    r.error = e.name + ': ' + e.message;
    r.isError = e instanceof Error;
    // The rest of the app goes on; connect() says the same.
    r.appWentOn = true;
    if (typeof window.Smartcar === 'function') {
      try {
        new window.Smartcar({ applicationId: 'again' });
      } catch (again) {
        r.sameErrorAgain = again.message === e.message;
      }
    }
  }
})();
`;

// The npm build as an ES module, under the same policy.
const ESM_JS = `
import Smartcar from '/dist/npm/index.js';
window.Smartcar = Smartcar;
`;

const html = (scripts) => `<!doctype html>
<html><head><meta charset="utf-8"><title>csp</title>
<script src="/csp/capture.js"></script>
</head><body>
${scripts}
</body></html>`;

const PAGES = {
  cdn: html('<script src="/dist/cdn/sdk.js"></script>\n<script src="/csp/app.js"></script>'),
  esm: html('<script type="module" src="/csp/esm.js"></script>\n<script type="module" src="/csp/app.js"></script>'),
};

let app, redirect;
before(async () => {
  app = await startRepoServer();
  redirect = await startRepoServer();
  const js = (body) => ({ body, type: 'text/javascript; charset=utf-8' });
  app.route('/csp/capture.js', js(CAPTURE_JS));
  app.route('/csp/app.js', js(APP_JS));
  app.route('/csp/esm.js', js(ESM_JS));
  for (const [name, body] of Object.entries(PAGES)) {
    app.route(`/csp/${name}-strict.html`, { body, headers: { 'Content-Security-Policy': STRICT } });
    app.route(`/csp/${name}-no-wasm.html`, { body, headers: { 'Content-Security-Policy': NO_WASM } });
  }
  // The CDN script as a misconfigured server sends it: without its byte-order mark, labelled
  // Latin-1. The browser then reads each byte of the embedded module's UTF-8 as a character.
  app.route('/csp/sdk-latin1.js', () => ({
    body: readFileSync(path.join(REPO_ROOT, 'dist/cdn/sdk.js')).subarray(3), type: 'text/javascript; charset=iso-8859-1',
  }));
  // A browser without `Uint8Array.fromBase64` (before 2025): the SDK decodes with its loop.
  app.route('/csp/no-from-base64.js', { body: 'delete Uint8Array.fromBase64;', type: 'text/javascript; charset=utf-8' });
  app.route('/csp/cdn-no-from-base64.html', html('<script src="/csp/no-from-base64.js"></script>\n<script src="/dist/cdn/sdk.js"></script>\n<script src="/csp/app.js"></script>'));
  // A page that includes the script twice (a tag manager and the app's own tag).
  app.route('/csp/cdn-twice.html', html('<script src="/dist/cdn/sdk.js"></script>\n<script src="/dist/cdn/sdk.js"></script>\n<script src="/csp/app.js"></script>'));
  app.route('/csp/cdn-latin1.html', html('<script src="/csp/sdk-latin1.js"></script>\n<script src="/csp/app.js"></script>'));
  // The redirect page under a policy without 'wasm-unsafe-eval'.
  redirect.route('/csp/redirect-no-wasm.html', {
    body: '<!doctype html><meta charset="utf-8"><p id="smartcar-status">Finishing up…</p><script src="/dist/cdn/redirect.js"></script>',
    headers: { 'Content-Security-Policy': NO_WASM },
  });
});
after(async () => { await Promise.all([app?.close(), redirect?.close()]); });

forEachEngine((ctx) => {
  for (const [name, skip] of [['cdn', MISSING.oursCdn], ['esm', MISSING.oursNpm]]) {
    const file = name === 'cdn' ? 'dist/cdn/sdk.js' : 'dist/npm/index.js';
    group(`${file} under a strict CSP`, skip, () => {
      const open = async (policy) => {
        const page = await ctx.browser.newPage(`${app.origin}/csp/${name}-${policy}.html?redirect=${encodeURIComponent(redirect.origin)}`);
        await page.waitFor(() => window.__result, undefined, { timeout: 10000 });
        return page;
      };

      it(`with 'wasm-unsafe-eval': getAuthUrl works and a postMessage completes to onComplete`, async () => {
        const page = await open('strict');
        const result = await page.eval(() => window.__result);
        assert.equal(result.error, undefined, `the app threw: ${result.error}`);
        assert.equal(result.typeofSmartcar, 'function');
        const url = new URL(result.url);
        assert.equal(url.searchParams.get('application_id'), 'csp-app');
        assert.equal(url.searchParams.get('redirect_uri'), `${redirect.origin}/cb`);
        assert.deepEqual(JSON.parse(atob(url.searchParams.get('state'))), { instanceId: result.instanceId, originalState: 'csp-state' });
        const calls = await page.waitFor(() => window.__calls.length && window.__calls, undefined, { timeout: 10000 });
        assert.deepEqual(calls, [[null, 'csp-code', 'csp-state']]);
        // The Firefox adapter first tries the page's own window.eval, which the policy refuses:
        // those reports name the page, not a script, as their source.
        const violations = (await page.eval(() => window.__violations))
          .filter((v) => !(ctx.engine === 'firefox' && v.blocked === 'eval' && !/\.m?js$/.test(new URL(v.source).pathname)));
        assert.deepEqual(violations, [], 'no CSP violation');
        assert.deepEqual(await page.eval(() => window.__errors), [], 'no uncaught error');
      });

      it(`without 'wasm-unsafe-eval': the import does not throw, the app goes on, and new Smartcar() names the fix`, async () => {
        const page = await open('no-wasm');
        const result = await page.eval(() => window.__result);
        assert.equal(result.typeofSmartcar, 'function', 'the SDK loaded');
        assert.equal(result.name, 'Smartcar');
        assert.equal(result.appWentOn, true);
        assert.equal(result.isError, true);
        assert.match(result.error, /^Error: Smartcar could not start its WebAssembly module\. If this page has a Content-Security-Policy, add 'wasm-unsafe-eval' to its script-src\./);
        assert.equal(result.sameErrorAgain, true, 'every later construction fails the same way');
        // Nothing uncaught: the page's own scripts ran; the failure reached the app's code.
        await page.waitFor(() => window.__violations.length || navigator.userAgent.includes('AppleWebKit') && !navigator.userAgent.includes('Chrome'), undefined, { timeout: 3000 }).catch(() => {});
        const { errors, violations } = await page.eval(() => ({ errors: window.__errors, violations: window.__violations }));
        const state = JSON.stringify({ errors, violations });
        assert.deepEqual(errors, [], `no uncaught error: ${state}`);
        // WebKit reports no securitypolicyviolation event for WebAssembly.
        if (ctx.engine !== 'webkit') {
          assert.ok(violations.some((v) => v.directive === 'script-src' || v.directive === 'script-src-elem'), `a script-src violation, got ${state}`);
        }
        if (ctx.engine === 'chromium') {
          assert.ok(violations.some((v) => v.blocked === 'wasm-eval'), `blockedURI 'wasm-eval': ${state}`);
        }
      });
    });
  }

  // Opens /csp/<name>.html and checks that the app ran: getAuthUrl gave a URL and a genuine
  // postMessage reached onComplete, with nothing uncaught. Resolves to the page.
  const appWorks = async (name) => {
    const page = await ctx.browser.newPage(`${app.origin}/csp/${name}.html?redirect=${encodeURIComponent(redirect.origin)}`);
    const result = await page.waitFor(() => window.__result, undefined, { timeout: 10000 });
    assert.equal(result.error, undefined, `the app threw: ${result.error}`);
    assert.equal(new URL(result.url).searchParams.get('application_id'), 'csp-app');
    const calls = await page.waitFor(() => window.__calls.length && window.__calls, undefined, { timeout: 10000 });
    assert.deepEqual(calls, [[null, 'csp-code', 'csp-state']]);
    assert.deepEqual(await page.eval(() => window.__errors), [], 'no uncaught error');
    return page;
  };

  group('dist/cdn/sdk.js in a browser without Uint8Array.fromBase64', MISSING.oursCdn, () => {
    it('decodes its module with its own loop: getAuthUrl works and a postMessage completes to onComplete', async () => {
      const page = await appWorks('cdn-no-from-base64');
      assert.equal(await page.eval(() => 'fromBase64' in Uint8Array), false);
    });
  });

  group('dist/cdn/sdk.js included twice', MISSING.oursCdn, () => {
    it('the second copy loads as the first did (its embedded module is no global): getAuthUrl works and a postMessage completes', async () => {
      await appWorks('cdn-twice');
    });
  });

  group("the redirect page under a CSP without 'wasm-unsafe-eval'", MISSING.redirect, () => {
    it('says what to fix instead of "Finishing up…", with the code out of the address bar', async () => {
      const page = await ctx.browser.newPage(`${redirect.origin}/csp/redirect-no-wasm.html?code=c-csp&state=s`);
      const shown = await page.waitFor(() => !/Finishing/.test(document.getElementById('smartcar-status').textContent) && document.getElementById('smartcar-status').textContent, undefined, { timeout: 8000 });
      assert.match(shown, /^Smartcar could not start its WebAssembly module\. If this page has a Content-Security-Policy, add 'wasm-unsafe-eval' to its script-src\./);
      assert.equal(await page.eval(() => location.search), '');
    });
  });

  group('dist/cdn/sdk.js read as Latin-1 (no byte-order mark, the wrong charset)', MISSING.oursCdn, () => {
    it('the script loads, and new Smartcar() says how to serve it instead of failing to compile', async () => {
      const page = await ctx.browser.newPage(`${app.origin}/csp/cdn-latin1.html?redirect=${encodeURIComponent(redirect.origin)}`);
      const result = await page.waitFor(() => window.__result, undefined, { timeout: 10000 });
      assert.equal(result.typeofSmartcar, 'function', 'the SDK loaded');
      assert.equal(result.isError, true);
      assert.equal(result.error, "Error: Smartcar's script was not read as UTF-8, so its WebAssembly module is damaged: serve it with `Content-Type: text/javascript; charset=utf-8`, or add charset=\"utf-8\" to its script tag.");
      assert.equal(result.sameErrorAgain, true, 'every later construction fails the same way');
      assert.deepEqual(await page.eval(() => window.__errors), [], 'no uncaught error');
    });
  });
});
