// The script-tag build on a page with RequireJS (2.3, the real loader from npm), side by side
// with the reference: loaded through `require(['…/sdk.js'], (Smartcar) => …)`, each is that
// module's value; loaded by a plain script tag, ours sets `window.Smartcar` and defines no
// module, where the reference's anonymous `define` is an error to RequireJS and sets no global.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, group, MISSING, startRepoServer } from '../support/harness.mjs';

const OURS = '/dist/cdn/sdk.js';
const REFERENCE = '/node_modules/@smartcar/auth/dist/npm/sdk.js';

/** A page with RequireJS, its errors recorded, and `more` after it. */
const page = (more = '') => `<!doctype html><html><head><meta charset="utf-8"><title>amd</title>
<script>window.__errors = []; addEventListener('error', function (e) { window.__errors.push(String(e.message)); });</script>
<script src="/node_modules/requirejs/require.js"></script>
<script>requirejs.onError = function (e) { window.__errors.push('requirejs: ' + e.requireType); };</script>
${more}</head><body></body></html>`;

describe('the script-tag build with RequireJS on the page', () => {
  let app;
  before(async () => { app = await startRepoServer(); });
  after(async () => { await app.close(); });

  forEachEngine((ctx) => {
    group('ours and the reference', MISSING.oursCdn, () => {
      it('require([…]) hands each its class, which works (a URL with its instance id)', async () => {
        const p = await ctx.browser.newPage(app.route('/e2e-amd-require.html', page()));
        const r = await p.eval((scripts) => new Promise((resolve) => {
          const out = {};
          const use = (name, Smartcar) => {
            const sc = new Smartcar({ applicationId: 'a', redirectUri: 'https://app.example.com/cb' });
            const state = JSON.parse(atob(new URL(sc.getAuthUrl({ state: 'x' })).searchParams.get('state')));
            out[name] = { typeof: typeof Smartcar, named: Smartcar.name, idInState: state.instanceId === sc.instanceId };
            sc.unmount();
          };
          require([scripts.ours], (Smartcar) => {
            use('ours', Smartcar);
            out.oursGlobal = window.Smartcar === Smartcar;
            require([scripts.reference], (Reference) => {
              use('reference', Reference);
              resolve({ ...out, errors: window.__errors });
            }, (e) => resolve({ ...out, failed: String(e) }));
          }, (e) => resolve({ failed: String(e) }));
        }), { ours: OURS, reference: REFERENCE });
        assert.equal(r.failed, undefined, r.failed);
        assert.deepEqual(r.ours, { typeof: 'function', named: 'Smartcar', idInState: true });
        assert.deepEqual(r.reference, r.ours);
        assert.equal(r.oursGlobal, true, 'window.Smartcar is set too');
        assert.deepEqual(r.errors, []);
      });

      it('a plain script tag: ours sets window.Smartcar and RequireJS reports nothing', async () => {
        const p = await ctx.browser.newPage(app.route('/e2e-amd-tag.html', page(`<script src="${OURS}"></script>`)));
        await p.waitFor(() => typeof window.Smartcar === 'function', undefined, { timeout: 10000 });
        // RequireJS reports an anonymous define of a plain script tag at its next turn.
        const r = await p.eval(() => new Promise((resolve) => {
          require([], () => setTimeout(() => {
            const sc = new window.Smartcar({ applicationId: 'a', redirectUri: 'https://app.example.com/cb' });
            const ok = new URL(sc.getAuthUrl()).searchParams.get('application_id') === 'a';
            sc.unmount();
            resolve({ ok, errors: window.__errors });
          }, 50));
        }));
        assert.deepEqual(r, { ok: true, errors: [] });
      });
    });
  });
});
