// The message listener: real MessageEvents, posted by the page itself (origin = the app's own)
// or by a frame on a second origin, must reach onComplete exactly as with @smartcar/auth
// 2.14.1, and everything else must be ignored silently. Ours additionally refuses replays and
// origins that merely start with the redirect origin's text.
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { DIST, forEachEngine, group, openSdkPage, startRepoServer, SDKS, sleep } from '../support/harness.mjs';
import { startServerOnShortPort } from '../support/server.mjs';

// Page helpers, run before the SDK: a message builder and the relay frame.
const HEAD = `<script>
window.__state = (instanceId, originalState) => btoa(JSON.stringify({ instanceId, originalState }));
window.__msg = (fields) => Object.assign({
  name: 'SmartcarAuthMessage', isSmartcarHosted: false, code: null, error: null, errorDescription: null,
  state: null, vin: null, make: null, model: null, year: null, virtualKeyUrl: null, userId: null,
}, fields);
</script>`;

/** In the page: create `window.sc` listening for `redirectUri`, and open the relay frame. */
function setup({ redirectUri, frame }) {
  window.__calls = [];
  window.sc = new window.Smartcar({ applicationId: 'app', redirectUri, onComplete: window.__onComplete });
  return frame ? window.__openFrame(frame) : true;
}

/**
 * In the page: build a message with `make` (the source of a function (sc) => data, run in the
 * page) and post it, from the page itself or (via: 'frame') from the second-origin frame.
 */
function deliver({ make, via }) {
  const data = (0, eval)(`(${make})`)(window.sc);
  if (via === 'frame') window.__frame.contentWindow.postMessage({ relay: data }, '*');
  else window.postMessage(data, '*');
  return true;
}

const U = { undefined: true }; // how __describe reports an undefined argument

/** A genuine message for the instance, with a unique code and state (so replay rules never bite). */
let sentinelCount = 0;
const sentinel = () => {
  const n = ++sentinelCount;
  return { make: `(sc) => __msg({ code: 'sentinel-${n}', state: __state(sc.instanceId, 'sentinel-${n}') })`, call: [null, `sentinel-${n}`, `sentinel-${n}`, null, null, U] };
};

describe('messages', () => {
  let app, other;
  before(async () => {
    // The app origin has a short port so that `${app.origin}0` is a valid, different origin.
    app = await startServerOnShortPort({ dist: DIST });
    other = await startRepoServer();
  });
  after(async () => { await Promise.all([app.close(), other.close()]); });

  forEachEngine((ctx) => {
    for (const sdk of SDKS) {
      group(sdk.name, sdk.skip, () => {
        let page;
        const open = async ({ redirectUri = `${app.origin}/cb`, frame } = {}) => {
          page = await openSdkPage(ctx.browser, app, { sdk: sdk.name, head: HEAD });
          await page.eval(setup, { redirectUri, frame: frame && `${other.origin}/tests/pages/relay.html` });
          return page;
        };
        const send = (make, via) => page.eval(deliver, { make: String(make), via });
        const calls = () => page.eval(() => window.__calls);
        const waitCalls = (n) => page.waitFor((k) => window.__calls.length >= k && window.__calls, n, { timeout: 5000 });
        const noErrors = async () => assert.deepEqual(await page.eval(() => window.__errors), []);

        describe('delivered to onComplete', () => {
          it('genuine message from the own origin: onComplete(null, code, state, virtualKeyUrl, userId, externalId) once', async () => {
            await open();
            await send((sc) => __msg({ code: 'c1', state: __state(sc.instanceId, 'x'), virtualKeyUrl: 'https://vk.example/k', userId: 'u1' }));
            assert.deepEqual(await waitCalls(1), [[null, 'c1', 'x', 'https://vk.example/k', 'u1', U]]);
            await sleep(150);
            assert.equal((await calls()).length, 1, 'called once');
            await noErrors();
          });

          it('externalId is passed as the sixth argument', async () => {
            await open();
            await send((sc) => __msg({ code: 'c2', state: __state(sc.instanceId, 'x'), userId: 'u1', externalId: 'ext-1' }));
            assert.deepEqual(await waitCalls(1), [[null, 'c2', 'x', null, 'u1', 'ext-1']]);
          });

          it('state without originalState gives an undefined state argument', async () => {
            await open();
            await send((sc) => __msg({ code: 'c3', state: btoa(JSON.stringify({ instanceId: sc.instanceId })) }));
            assert.deepEqual(await waitCalls(1), [[null, 'c3', U, null, null, U]]);
          });

          it('genuine message from a second-origin frame when the redirect URI is on that origin', async () => {
            await open({ redirectUri: `${other.origin}/dist/cdn/redirect.html?app_origin=${app.origin}`, frame: true });
            await send((sc) => __msg({ code: 'c4', state: __state(sc.instanceId, 'from-frame') }), 'frame');
            assert.deepEqual(await waitCalls(1), [[null, 'c4', 'from-frame', null, null, U]]);
            await noErrors();
          });

          it('only the instance named in the state is called', async () => {
            await open();
            const r = await page.eval(async () => {
              const got = [];
              const sc2 = new window.Smartcar({ applicationId: 'app', redirectUri: location.origin + '/cb', onComplete: (err, code) => got.push(code) });
              window.postMessage(__msg({ code: 'for-2', state: __state(sc2.instanceId, 's') }), '*');
              window.postMessage(__msg({ code: 'for-1', state: __state(window.sc.instanceId, 's') }), '*');
              for (let i = 0; i < 100 && !(got.length && window.__calls.length); i++) await new Promise((r) => setTimeout(r, 20));
              sc2.unmount();
              return { sc2: got, sc1: window.__calls.map((c) => c[1]) };
            });
            assert.deepEqual(r, { sc2: ['for-2'], sc1: ['for-1'] });
          });

          it('unmount stops delivery', async () => {
            await open();
            const r = await page.eval(async () => {
              window.sc.unmount();
              const got = [];
              const sc2 = new window.Smartcar({ applicationId: 'app', redirectUri: location.origin + '/cb', onComplete: (err, code) => got.push(code) });
              window.postMessage(__msg({ code: 'to-unmounted', state: __state(window.sc.instanceId, 's') }), '*');
              window.postMessage(__msg({ code: 'to-live', state: __state(sc2.instanceId, 's') }), '*');
              for (let i = 0; i < 100 && !got.length; i++) await new Promise((r) => setTimeout(r, 20));
              await new Promise((r) => setTimeout(r, 100));
              sc2.unmount();
              return { live: got, unmounted: window.__calls.length };
            });
            assert.deepEqual(r, { live: ['to-live'], unmounted: 0 });
          });
        });

        describe('Connect errors', () => {
          const ERR = { error: true, hasVehicleInfo: false, vehicleInfo: U, isAccessDenied: false, isVehicleIncompatible: false, isInvalidSubscription: false };
          const cases = [
            ['access_denied → Smartcar.AccessDenied',
              (sc) => __msg({ error: 'access_denied', errorDescription: 'User denied access', state: __state(sc.instanceId, 'x') }),
              { ...ERR, name: 'AccessDenied', message: 'User denied access', isAccessDenied: true }],
            ['invalid_subscription → Smartcar.InvalidSubscription',
              (sc) => __msg({ error: 'invalid_subscription', errorDescription: 'No subscription', state: __state(sc.instanceId, 'x') }),
              { ...ERR, name: 'InvalidSubscription', message: 'No subscription', isInvalidSubscription: true }],
            ['vehicle_incompatible with vehicle info → Smartcar.VehicleIncompatible with vehicleInfo',
              (sc) => __msg({ error: 'vehicle_incompatible', errorDescription: 'Incompatible', state: __state(sc.instanceId, 'x'), vin: '5YJ3E1EA7KF000001', make: 'TESLA', model: 'Model 3', year: '2019' }),
              { ...ERR, name: 'VehicleIncompatible', message: 'Incompatible', isVehicleIncompatible: true, hasVehicleInfo: true, vehicleInfo: { vin: '5YJ3E1EA7KF000001', make: 'TESLA', year: 2019, model: 'Model 3' } }],
            ['vehicle_incompatible without model → vehicleInfo without model',
              (sc) => __msg({ error: 'vehicle_incompatible', errorDescription: 'Incompatible', state: __state(sc.instanceId, 'x'), vin: 'VIN2', make: 'BMW', year: '2021' }),
              { ...ERR, name: 'VehicleIncompatible', message: 'Incompatible', isVehicleIncompatible: true, hasVehicleInfo: true, vehicleInfo: { vin: 'VIN2', make: 'BMW', year: 2021 } }],
            ['vehicle_incompatible without vin → vehicleInfo null',
              (sc) => __msg({ error: 'vehicle_incompatible', errorDescription: 'Incompatible', state: __state(sc.instanceId, 'x') }),
              { ...ERR, name: 'VehicleIncompatible', message: 'Incompatible', isVehicleIncompatible: true, hasVehicleInfo: true, vehicleInfo: null }],
            ['unknown error → Error "Unexpected error: x - y"',
              (sc) => __msg({ error: 'x', errorDescription: 'y', state: __state(sc.instanceId, 'x') }),
              { ...ERR, name: 'Error', message: 'Unexpected error: x - y' }],
          ];
          for (const [name, make, expected] of cases) {
            it(name, async () => {
              await open();
              await send(make);
              const [call] = await waitCalls(1);
              assert.deepEqual(call[0], expected);
              assert.deepEqual(call.slice(1, 3), [null, 'x'], 'code (null) and state');
              await noErrors();
            });
          }
        });

        describe('ignored silently', () => {
          before(async () => { await open({ frame: true }); });
          beforeEach(async () => { await page.eval(() => { window.__calls = []; window.__errors = []; return true; }); });

          /** Sends `make`, then a genuine sentinel by the same path: only the sentinel may arrive. */
          const ignored = async (make) => {
            const s = sentinel();
            await send(make);
            await send(s.make);
            await waitCalls(1);
            await sleep(100);
            assert.deepEqual(await calls(), [s.call], 'only the sentinel reaches onComplete');
            await noErrors();
          };

          it('wrong origin (second-origin frame, redirect URI on the app origin)', async () => {
            const s = sentinel();
            await send((sc) => __msg({ code: 'evil', state: __state(sc.instanceId, 'x') }), 'frame');
            await sleep(300); // different sources: no ordering guarantee, so wait a fixed bound
            await send(s.make);
            await waitCalls(1);
            await sleep(100);
            assert.deepEqual(await calls(), [s.call]);
            await noErrors();
          });
          it('wrong name', () => ignored((sc) => __msg({ name: 'SomethingElse', code: 'evil', state: __state(sc.instanceId, 'x') })));
          it('no name', () => ignored((sc) => { const m = __msg({ code: 'evil', state: __state(sc.instanceId, 'x') }); delete m.name; return m; }));
          it('state not base64', () => ignored(() => __msg({ code: 'evil', state: '%%% not base64 %%%' })));
          it('state base64 of non-JSON', () => ignored(() => __msg({ code: 'evil', state: btoa('{"instanceId": nope') })));
          it('state missing', () => ignored(() => __msg({ code: 'evil' })));
          it('state of another instance', () => ignored(() => __msg({ code: 'evil', state: __state('1700000000000123456', 'x') })));
          it('state with a numeric instanceId', () => ignored((sc) => __msg({ code: 'evil', state: btoa(JSON.stringify({ instanceId: Number(sc.instanceId) || 1 })) })));
          it('data null', () => ignored(() => null));
          it('data number', () => ignored(() => 42));
          it('data string', () => ignored(() => 'SmartcarAuthMessage'));
          it('data array', () => ignored((sc) => [__msg({ code: 'evil', state: __state(sc.instanceId, 'x') })]));
          it('huge state (valid, other instance, 2 MB)', () => ignored(() => __msg({ code: 'evil', state: btoa(JSON.stringify({ instanceId: 'other', pad: 'x'.repeat(2e6) })) })));
          it('huge state (4 MB of base64 garbage)', () => ignored(() => __msg({ code: 'evil', state: 'A'.repeat(4e6) })));
          it('huge name', () => ignored((sc) => __msg({ name: 'SmartcarAuthMessage'.repeat(1e5), code: 'evil', state: __state(sc.instanceId, 'x') })));
          it('__proto__ key carrying the message', () => ignored((sc) => JSON.parse(JSON.stringify({ code: 'evil' }).replace('{', `{"__proto__": ${JSON.stringify(__msg({ code: 'evil', state: __state(sc.instanceId, 'x') }))},`))));
          it('__proto__ key carrying the instanceId in the state', () => ignored((sc) => __msg({ code: 'evil', state: btoa(`{"__proto__": {"instanceId": "${sc.instanceId}"}, "originalState": "x"}`) })));
        });

        describe(sdk.name === 'ours' ? 'ours: stricter than the reference' : 'reference: known weaknesses ours fixes', () => {
          it('the same code delivered twice fires once (reference: twice)', async () => {
            await open();
            const make = (sc) => __msg({ code: 'c-replay', state: __state(sc.instanceId, 'r') });
            const s = sentinel();
            await send(make);
            await send(make);
            await send(s.make);
            await page.waitFor((code) => window.__calls.some((c) => c[1] === code), s.call[1]);
            await sleep(100);
            const codes = (await calls()).map((c) => c[1]);
            const expected = sdk.name === 'ours' ? ['c-replay', s.call[1]] : ['c-replay', 'c-replay', s.call[1]];
            assert.deepEqual(codes, expected);
          });

          it('an origin that merely starts with the redirect origin is refused (reference: accepted)', async () => {
            // The page's origin is http://127.0.0.1:P; the redirect URI is on http://127.0.0.1:P0.
            // The reference tests redirectUri.startsWith(event.origin) and accepts.
            await open({ redirectUri: `${app.origin}0/cb` });
            await send((sc) => __msg({ code: 'prefix', state: __state(sc.instanceId, 'x') }));
            await sleep(300);
            const codes = (await calls()).map((c) => c[1]);
            assert.deepEqual(codes, sdk.name === 'ours' ? [] : ['prefix']);
            await noErrors();
          });
        });
      });
    }
  });
});
