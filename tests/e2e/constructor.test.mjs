// The constructor: option validation, error classes and messages, warnings and readable
// properties must be those of @smartcar/auth 2.14.1. Every case runs against the reference
// (proving the expectations) and against ours; a few cases are ours-only.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, group, openSdkPage, startRepoServer, MISSING, SDKS } from '../support/harness.mjs';

/** In the page: construct with `options` (onComplete: 'fn2' | 'fn1' | absent), report the outcome. */
function construct({ options, onComplete }) {
  const fns = {
    fn2: function (err, code) {},
    fn1: function (err) {},
    fn0: function () {},
  };
  const opts = { ...options };
  if (onComplete) opts.onComplete = fns[onComplete];
  const warnsBefore = window.__warns.length;
  try {
    const sc = new window.Smartcar(opts);
    sc.unmount();
    return { ok: true, warns: window.__warns.slice(warnsBefore) };
  } catch (e) {
    return { threw: { name: e.name, message: e.message, isTypeError: e instanceof TypeError }, warns: window.__warns.slice(warnsBefore) };
  }
}

const CDN = 'https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://app.example.com';
const CDN_ERROR = "When using Smartcar's CDN redirect an onComplete function with at least 2 parameters (error & code) is required to handle completion of Connect";
const OUTDATED_WARNING = "\nThe Smartcar redirect URI you're using is outdated! To update it, please see:\nhttps://github.com/smartcar/javascript-sdk#1-register-a-javascript-sdk-redirect-uri\n";
const CLIENT_ID_WARNING = 'The "clientId" parameter is deprecated, please use the "applicationId" parameter instead.';
const TEST_MODE_WARNING = 'The "testMode" parameter is deprecated, please use the "mode" parameter instead.';

describe('constructor', () => {
  let app;
  before(async () => { app = await startRepoServer(); });
  after(async () => { await app.close(); });

  forEachEngine((ctx) => {
    for (const sdk of SDKS) {
      group(sdk.name, sdk.skip, () => {
        let page;
        // One page for the cases that do not depend on page-wide state.
        before(async () => { page = await openSdkPage(ctx.browser, app, { sdk: sdk.name }); });
        const run = (args) => page.eval(construct, args);

        describe('errors identical to the reference', () => {
          const TYPE_ERROR = { name: 'TypeError', message: 'An applicationId option must be provided', isTypeError: true };
          const cases = [
            ['missing applicationId', { options: { redirectUri: 'https://example.com/cb' } }, TYPE_ERROR],
            ['empty applicationId', { options: { applicationId: '' } }, TYPE_ERROR],
            ['bad mode', { options: { applicationId: 'a', mode: 'prod' } },
              { name: 'Error', message: 'The "mode" parameter MUST be one of the following: \'test\', \'live\', \'simulated\'', isTypeError: false }],
            ['bad responseType', { options: { applicationId: 'a', responseType: 'token' } },
              { name: 'Error', message: 'The "responseType" option must be one of: code, none', isTypeError: false }],
            ['CDN redirectUri without onComplete', { options: { applicationId: 'a', redirectUri: CDN } },
              { name: 'Error', message: CDN_ERROR, isTypeError: false }],
            ['CDN redirectUri with onComplete of arity 1', { options: { applicationId: 'a', redirectUri: CDN }, onComplete: 'fn1' },
              { name: 'Error', message: CDN_ERROR, isTypeError: false }],
            ['CDN redirectUri with onComplete of arity 0', { options: { applicationId: 'a', redirectUri: CDN }, onComplete: 'fn0' },
              { name: 'Error', message: CDN_ERROR, isTypeError: false }],
          ];
          for (const [name, args, expected] of cases) {
            it(name, async () => {
              const r = await run(args);
              assert.deepEqual(r.threw, expected);
            });
          }

          it('CDN redirectUri with onComplete of arity 2 is accepted, no warning', async () => {
            const r = await run({ options: { applicationId: 'a', redirectUri: CDN }, onComplete: 'fn2' });
            assert.deepEqual(r, { ok: true, warns: [] });
          });

          it('outdated CDN redirect scheme warns through console.warn', async () => {
            const redirectUri = 'https://javascript-sdk.smartcar.com/redirect-2.1.0?app_origin=https://app.example.com';
            const r = await run({ options: { applicationId: 'a', redirectUri }, onComplete: 'fn2' });
            assert.deepEqual(r, { ok: true, warns: [OUTDATED_WARNING] });
          });

          it('testMode warns on every construction', async () => {
            const a = await run({ options: { applicationId: 'a', testMode: true } });
            const b = await run({ options: { applicationId: 'a', testMode: false } });
            assert.deepEqual([a, b], [{ ok: true, warns: [TEST_MODE_WARNING] }, { ok: true, warns: [TEST_MODE_WARNING] }]);
          });
        });

        it('clientId deprecation is printed once per page', async () => {
          const p = await openSdkPage(ctx.browser, app, { sdk: sdk.name });
          const warns = await p.eval(() => {
            const both = new window.Smartcar({ applicationId: 'a', clientId: 'c' }); // no warning: applicationId wins
            const a = new window.Smartcar({ clientId: 'c1' });
            const b = new window.Smartcar({ clientId: 'c2' });
            [both, a, b].forEach((s) => s.unmount());
            return { warns: window.__warns, ids: [both.applicationId, a.applicationId, a.clientId, b.applicationId] };
          });
          assert.deepEqual(warns, { warns: [CLIENT_ID_WARNING], ids: ['a', 'c1', 'c1', 'c2'] });
          page = await openSdkPage(ctx.browser, app, { sdk: sdk.name }); // the shared page was replaced
        });

        it('readable properties', async () => {
          const r = await page.eval(() => {
            const onComplete = function (err, code) {};
            const scope = ['read_odometer', 'read_vin'];
            const full = new window.Smartcar({
              applicationId: 'app-1', redirectUri: 'https://example.com/cb', scope, onComplete,
              mode: 'simulated', responseType: 'none', externalId: 'ext-1',
            });
            const bare = new window.Smartcar({ applicationId: 'app-2' });
            const nulled = new window.Smartcar({ applicationId: 'app-3', externalId: null, testMode: true });
            const pick = (s) => ({
              applicationId: s.applicationId, clientId: s.clientId, redirectUri: s.redirectUri === undefined ? '<undefined>' : s.redirectUri,
              scope: s.scope === undefined ? '<undefined>' : s.scope, mode: s.mode, responseType: s.responseType,
              externalId: s.externalId === undefined ? '<undefined>' : s.externalId, instanceIdType: typeof s.instanceId,
            });
            const out = { full: pick(full), bare: pick(bare), nulled: pick(nulled), sameOnComplete: full.onComplete === onComplete, bareOnComplete: bare.onComplete === undefined };
            [full, bare, nulled].forEach((s) => s.unmount());
            return out;
          });
          assert.deepEqual(r.full, {
            applicationId: 'app-1', clientId: 'app-1', redirectUri: 'https://example.com/cb', scope: ['read_odometer', 'read_vin'],
            mode: 'simulated', responseType: 'none', externalId: 'ext-1', instanceIdType: 'string',
          });
          assert.deepEqual(r.bare, {
            applicationId: 'app-2', clientId: 'app-2', redirectUri: '<undefined>', scope: '<undefined>',
            mode: 'live', responseType: 'code', externalId: '<undefined>', instanceIdType: 'string',
          });
          assert.deepEqual(r.nulled, { ...r.bare, applicationId: 'app-3', clientId: 'app-3', externalId: null, mode: 'test' });
          assert.equal(r.sameOnComplete, true, 'onComplete is the function passed');
          assert.equal(r.bareOnComplete, true);
        });

        it('error classes are exposed and behave like the reference', async () => {
          const r = await page.eval(() => {
            const S = window.Smartcar;
            const d = (e) => ({ name: e.name, message: e.message, isError: e instanceof Error, vehicleInfo: e.vehicleInfo === undefined ? '<undefined>' : e.vehicleInfo });
            return {
              accessDenied: d(new S.AccessDenied('denied')),
              invalidSubscription: d(new S.InvalidSubscription('sub')),
              incompatible: d(new S.VehicleIncompatible('inc', { vin: 'V', make: 'M', year: 2020 })),
              incompatibleNull: d(new S.VehicleIncompatible('inc', null)),
              distinct: !(new S.AccessDenied('x') instanceof S.InvalidSubscription),
            };
          });
          assert.deepEqual(r, {
            accessDenied: { name: 'AccessDenied', message: 'denied', isError: true, vehicleInfo: '<undefined>' },
            invalidSubscription: { name: 'InvalidSubscription', message: 'sub', isError: true, vehicleInfo: '<undefined>' },
            incompatible: { name: 'VehicleIncompatible', message: 'inc', isError: true, vehicleInfo: { vin: 'V', make: 'M', year: 2020 } },
            incompatibleNull: { name: 'VehicleIncompatible', message: 'inc', isError: true, vehicleInfo: null },
            distinct: true,
          });
        });

        it('addClickHandler errors are those of the reference', async () => {
          const r = await page.eval(() => {
            const sc = new window.Smartcar({ applicationId: 'a' });
            const msg = (f) => { try { f(); return null; } catch (e) { return e.message.trim(); } };
            const out = [msg(() => sc.addClickHandler({})), msg(() => sc.addClickHandler({ id: 'nope' }))];
            sc.unmount();
            return out;
          });
          assert.deepEqual(r, [
            'Could not add click handler: id or selector must be provided.',
            "Could not add click handler: element with 'nope' was not found.",
          ]);
        });

        it('instanceId is a string that differs between instances', async () => {
          const ids = await page.eval(() => [1, 2, 3].map(() => { const s = new window.Smartcar({ applicationId: 'a' }); s.unmount(); return s.instanceId; }));
          assert.equal(new Set(ids).size, 3, JSON.stringify(ids));
          if (sdk.name === 'ours') {
            for (const id of ids) assert.match(id, /^[0-9a-f]{32,}$/, 'ours: at least 128 random bits in hex');
          } else {
            for (const id of ids) assert.match(id, /^[0-9]+$/, 'reference: timestamp + 8 random digits');
          }
        });

        // The reference accepts these and fails later (or never).
        if (sdk.name === 'ours') describe('ours only: wrong option types throw a TypeError naming the option', () => {
          for (const [option, value] of [['scope', 5], ['applicationId', {}], ['scope', 'read_vin'], ['redirectUri', 42]]) {
            it(`${option}: ${JSON.stringify(value)}`, async () => {
              const r = await run({ options: { applicationId: 'a', [option]: value } });
              assert.ok(r.threw, `no error for ${option}=${JSON.stringify(value)}`);
              assert.equal(r.threw.isTypeError, true, JSON.stringify(r.threw));
              assert.match(r.threw.message, new RegExp(option), r.threw.message);
            });
          }
        });

        // The SDK copies no string longer than 65,536 characters into wasm memory: one that long
        // is refused with the limit in the message (it had read as "must be a string").
        if (sdk.name === 'ours') it('ours only: a string option over 65,536 characters is a TypeError that names the option and the limit; one of 65,536 is taken', async () => {
          for (const option of ['applicationId', 'redirectUri', 'externalId']) {
            const long = option === 'redirectUri' ? `https://app.example.com/${'x'.repeat(65536)}` : 'x'.repeat(65537);
            const r = await page.eval(construct, { options: { applicationId: 'a', [option]: long } });
            assert.equal(r.threw?.isTypeError, true, JSON.stringify(r.threw));
            assert.match(r.threw.message, new RegExp(`"${option}" option must be a string \\(at most 65536 characters\\)`), r.threw.message);
            const fits = await page.eval(construct, { options: { applicationId: 'a', [option]: long.slice(0, 65536) } });
            assert.equal(fits.ok, true, JSON.stringify(fits.threw));
          }
        });

        // A page's array nested deeper than the wasm's stack could follow used to trap the
        // module, which then failed every later call on the page.
        if (sdk.name === 'ours') it('ours only: arrays nested 100000 deep in scope or flags are TypeErrors, and the SDK keeps working', async () => {
          const r = await page.eval(() => {
            let deep = ['read_odometer'];
            for (let i = 0; i < 100000; i++) deep = [deep];
            const options = { applicationId: 'a', redirectUri: 'https://app.example.com/cb', onComplete() {} };
            const failure = (call) => {
              try {
                call();
                return 'no error';
              } catch (e) {
                return `${e instanceof TypeError} ${e.message}`;
              }
            };
            const scope = failure(() => new window.Smartcar({ ...options, scope: deep }));
            const sc = new window.Smartcar({ ...options, scope: ['read_odometer'] });
            const flags = failure(() => sc.getAuthUrl({ flags: deep }));
            const url = new URL(sc.getAuthUrl({ flags: ['country:DE'] }));
            sc.unmount();
            return { scope, flags, scopeParam: url.searchParams.get('scope'), flagsParam: url.searchParams.get('flags') };
          });
          assert.deepEqual(r, {
            scope: 'true The "scope" option must be an array of strings (at most 1024, 64 KB in all)',
            flags: 'true The "flags" option must be an array of strings (at most 1024, 64 KB in all)',
            scopeParam: 'read_odometer',
            flagsParam: 'country:DE',
          });
        });

        it('no uncaught errors in the page', async () => {
          assert.deepEqual(await page.eval(() => window.__errors), []);
        });
      });
    }

    group('ours: npm ES module build', MISSING.oursNpm, () => {
      it('default export is the class, also exported as Smartcar', async () => {
        const p = await openSdkPage(ctx.browser, app, { sdk: 'ours-esm' });
        const r = await p.eval(() => {
          const S = window.Smartcar;
          const sc = new S({ applicationId: 'a', redirectUri: 'https://example.com/cb' });
          const url = sc.getAuthUrl({ state: 's' });
          sc.unmount();
          return {
            same: window.SmartcarNamed === S,
            url,
            classes: ['AccessDenied', 'VehicleIncompatible', 'InvalidSubscription'].map((k) => typeof S[k]),
          };
        });
        assert.equal(r.same, true);
        assert.ok(r.url.startsWith('https://connect.smartcar.com/oauth/authorize?'), r.url);
        assert.deepEqual(r.classes, ['function', 'function', 'function']);
      });
    });
  });
});
