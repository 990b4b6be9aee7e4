// Shared pieces of the e2e suites: which SDK builds exist, per-engine registration, and the
// HTML of the test pages.
import { describe, it, before, after } from 'node:test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { engines, launch } from './browser.mjs';
import { REPO_ROOT, startServer } from './server.mjs';

/** The build under test; E2E_DIST points the tests at another build directory. */
export const DIST = path.resolve(process.env.E2E_DIST ?? path.join(REPO_ROOT, 'dist'));
const built = (rel) => (existsSync(path.join(DIST, rel)) ? false : `${path.join(DIST, rel)} does not exist yet (run npm run build)`);

/** Skip reasons (false = available). */
export const MISSING = {
  oursCdn: built('cdn/sdk.js'),
  oursNpm: built('npm/index.js'),
  redirect: built('cdn/redirect.js') || built('cdn/redirect.html'),
};

/** The SDKs a compatibility case runs against. */
export const SDKS = [
  { name: 'reference', skip: false },
  { name: 'ours', skip: MISSING.oursCdn },
];

let reported = false;
function reportSkips() {
  if (reported) return;
  reported = true;
  for (const [what, why] of Object.entries(MISSING)) if (why) console.log(`# e2e: skipping '${what}' cases: ${why}`);
  for (const e of engines()) if (e.skip) console.log(`# e2e: skipping ${e.name}: ${e.skip}`);
}

/** A static server for the repo root that serves /dist/ from DIST. */
export function startRepoServer(options = {}) {
  return startServer({ ...options, dist: DIST });
}

/**
 * `describe(name, body)`, or when `skip` is a reason, a suite holding one skipped test that
 * says why (a skipped describe would not be counted as skipped by the test runner).
 */
export function group(name, skip, body) {
  if (skip) describe(name, () => it('all cases', { skip }, () => {}));
  else describe(name, body);
}

/**
 * Registers `body` once per engine selected by E2E_BROWSERS, inside `describe(engine)`, with one
 * browser per engine for the whole file: `body(ctx)` where `ctx.browser` is set in `before`.
 */
export function forEachEngine(body, launchOptions = {}) {
  reportSkips();
  for (const { name, skip } of engines()) {
    group(name, skip, () => {
      const ctx = { engine: name, browser: null };
      before(async () => { ctx.browser = await launch(name, launchOptions); }, { timeout: 70000 });
      after(async () => { await ctx.browser?.close(); }, { timeout: 30000 });
      body(ctx);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Test pages.

/**
 * Runs first in every test page: records console.warn calls, uncaught errors and unhandled
 * rejections, and provides `__onComplete`, an onComplete callback (arity 6) that records its
 * arguments in `__calls` as JSON-safe data.
 */
const CAPTURE = `
window.__warns = [];
window.__errors = [];
window.__calls = [];
(function () {
  var warn = console.warn;
  console.warn = function () {
    window.__warns.push(Array.prototype.map.call(arguments, String).join(' '));
    return warn.apply(this, arguments);
  };
  addEventListener('error', function (e) { window.__errors.push('error: ' + (e.message || e)); });
  addEventListener('unhandledrejection', function (e) { window.__errors.push('unhandledrejection: ' + e.reason); });
})();
window.__describe = function (v) {
  if (v === undefined) return { undefined: true };
  if (!(v instanceof Error)) return v;
  var S = window.Smartcar || {};
  return {
    error: true, name: v.name, message: v.message,
    hasVehicleInfo: 'vehicleInfo' in v, vehicleInfo: v.vehicleInfo === undefined ? { undefined: true } : v.vehicleInfo,
    isAccessDenied: !!S.AccessDenied && v instanceof S.AccessDenied,
    isVehicleIncompatible: !!S.VehicleIncompatible && v instanceof S.VehicleIncompatible,
    isInvalidSubscription: !!S.InvalidSubscription && v instanceof S.InvalidSubscription,
  };
};
// Loads \`src\` in a new iframe (kept in \`__frame\`): a second origin to post messages from.
window.__openFrame = function (src) {
  return new Promise(function (resolve, reject) {
    var f = document.createElement('iframe');
    f.onload = function () { resolve(true); };
    f.onerror = reject;
    f.src = src;
    document.body.appendChild(f);
    window.__frame = f;
  });
};
window.__onComplete = function (err, code, state, virtualKeyUrl, userId, externalId) {
  window.__calls.push(Array.prototype.map.call(arguments, window.__describe));
};
`;

const SDK_TAGS = {
  reference: '<script src="/node_modules/@smartcar/auth/dist/npm/sdk.js"></script>',
  ours: '<script src="/dist/cdn/sdk.js"></script>',
  // The npm build, as an ES module: exposes the default export as window.Smartcar.
  'ours-esm': `<script type="module">
    import Default, { Smartcar as Named } from '/dist/npm/index.js';
    window.SmartcarNamed = Named;
    window.Smartcar = Default;
  </script>`,
  // Both CDN builds side by side: window.RefSmartcar and window.OurSmartcar.
  both: `<script src="/node_modules/@smartcar/auth/dist/npm/sdk.js"></script>
    <script>window.RefSmartcar = window.Smartcar; window.Smartcar = undefined;</script>
    ${MISSING.oursCdn ? '' : '<script src="/dist/cdn/sdk.js"></script><script>window.OurSmartcar = window.Smartcar; window.Smartcar = undefined;</script>'}`,
};

/** HTML of a test page loading `sdk` ('reference' | 'ours' | 'ours-esm' | 'both' | 'none'). */
export function sdkPage({ sdk, body = '', head = '', title = 'e2e' }) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<script>${CAPTURE}</script>
${head}
${SDK_TAGS[sdk] ?? ''}
</head><body>${body}</body></html>`;
}

let pageCounter = 0;
/** Serves `html` at a fresh path on `server` and returns its URL. */
export function servePage(server, html, query = '') {
  return server.route(`/e2e-page-${++pageCounter}.html`, html) + query;
}

/**
 * Opens a page loading `sdk` and waits (bounded) until `window.Smartcar` (or, for 'both',
 * `window.RefSmartcar`) is a function.
 */
export async function openSdkPage(browser, server, { sdk, body, head, query }) {
  const page = await browser.newPage(servePage(server, sdkPage({ sdk, body, head }), query));
  if (sdk !== 'none') {
    await page.waitFor((s) => typeof window[s === 'both' ? 'RefSmartcar' : 'Smartcar'] === 'function', sdk, { timeout: 10000 });
  }
  return page;
}

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
