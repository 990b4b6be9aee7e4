// getAuthUrl: ours must build the same Connect URL as @smartcar/auth 2.14.1 (same parameter
// names in the same order, same decoded values, an equivalent state), except where the
// reference is wrong (unencoded state and application_id, btoa on non-Latin-1 text).
// One page loads both SDKs side by side: window.RefSmartcar and window.OurSmartcar.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, openSdkPage, startRepoServer, MISSING } from '../support/harness.mjs';

const OURS = MISSING.oursCdn; // false when dist/cdn/sdk.js exists, else the skip reason

/** Runs `new S(ctor).getAuthUrl(opts)` in the page for each SDK present. */
function build({ ctor, opts, only }) {
  const run = (S) => {
    if (!S) return null;
    try {
      const sc = new S(ctor);
      return { url: sc.getAuthUrl(opts), instanceId: sc.instanceId };
    } catch (e) {
      return { threw: { name: e.name, message: e.message } };
    }
  };
  return {
    ref: only === 'ours' ? null : run(window.RefSmartcar),
    ours: only === 'reference' ? null : run(window.OurSmartcar),
  };
}

/** The raw (undecoded except %XX) value of query parameter `name`, without `+` → space. */
function rawParam(url, name) {
  const query = url.slice(url.indexOf('?') + 1).split('#')[0];
  for (const pair of query.split('&')) {
    const i = pair.indexOf('=');
    if (decodeURIComponent(i < 0 ? pair : pair.slice(0, i)) === name) return decodeURIComponent(i < 0 ? '' : pair.slice(i + 1));
  }
  return null;
}

const decodeState = (s) => JSON.parse(atob(s));

/** The comparable view of a URL: its base, its parameters in order, and its decoded state. */
function view(result) {
  assert.ok(result, 'SDK did not run');
  assert.ok(!result.threw, `getAuthUrl threw ${JSON.stringify(result.threw)}`);
  const u = new URL(result.url);
  const params = [...u.searchParams].filter(([k]) => k !== 'state');
  const state = decodeState(rawParam(result.url, 'state'));
  return { base: u.origin + u.pathname, names: [...u.searchParams.keys()], params, state };
}

const BASE = { applicationId: 'app-1', redirectUri: 'https://example.com/cb' };

const CONSTRUCTOR_CASES = {
  'minimal': { applicationId: 'app-1' },
  'redirectUri with query and non-ASCII': { applicationId: 'app-1', redirectUri: 'https://example.com/cb?x=1&y=é ü#frag' },
  'scope list': { ...BASE, scope: ['read_vehicle_info', 'read_odometer', 'control_security'] },
  'scope empty array': { ...BASE, scope: [] },
  'mode test': { ...BASE, mode: 'test' },
  'mode live': { ...BASE, mode: 'live' },
  'mode simulated': { ...BASE, mode: 'simulated' },
  'testMode true': { ...BASE, testMode: true },
  'testMode false': { ...BASE, testMode: false },
  'testMode wins over mode': { ...BASE, testMode: true, mode: 'simulated' },
  'responseType code': { ...BASE, responseType: 'code' },
  'responseType none with redirectUri': { ...BASE, responseType: 'none' },
  'responseType none without redirectUri': { applicationId: 'app-1', responseType: 'none' },
  'externalId string': { ...BASE, externalId: 'ext 1/é&x=y' },
  'externalId null': { ...BASE, externalId: null },
  'externalId empty string': { ...BASE, externalId: '' },
  'clientId alias': { clientId: 'client-9', redirectUri: 'https://example.com/cb' },
  'everything': { ...BASE, scope: ['read_vin'], mode: 'simulated', responseType: 'code', externalId: 'e-1' },
};

const AUTH_URL_CASES = {
  'no options': undefined,
  'empty options': {},
  'options false (falsy options read as {})': false,
  'options 0': 0,
  "options ''": '',
  'state': { state: 's1' },
  'state Latin-1': { state: 'café crème' },
  'state empty string': { state: '' },
  'state object': { state: { a: 1, b: ['x'] } },
  'forcePrompt true': { forcePrompt: true },
  'forcePrompt truthy non-boolean': { forcePrompt: 'yes' },
  'vehicleInfo make plus junk keys': { vehicleInfo: { make: 'TESLA', model: 'S', junk: 'x' } },
  'vehicleInfo without make': { vehicleInfo: { junk: 'x' } },
  'singleSelect true': { singleSelect: true },
  'singleSelect false': { singleSelect: false },
  "singleSelect 'yes'": { singleSelect: 'yes' },
  'singleSelect {vin}': { singleSelect: { vin: '5YJSA1E14FF101307' } },
  'singleSelect {foo}': { singleSelect: { foo: 1 } },
  'singleSelect []': { singleSelect: [] },
  'singleSelect null': { singleSelect: null },
  'flags': { flags: ['country:DE', 'color:00819D'] },
  'flags empty': { flags: [] },
  'user': { user: 'u-1 2/é' },
  'user false (a falsy user sends nothing)': { user: false },
  'user 0': { user: 0 },
  'user number': { user: 42 },
  'everything': {
    state: 'st', forcePrompt: true, vehicleInfo: { make: 'BMW', junk: 1 },
    singleSelect: { vin: 'VIN1' }, flags: ['a:b'], user: 'u',
  },
};

const TABLE = [
  ...Object.entries(CONSTRUCTOR_CASES).map(([name, ctor]) => [`constructor: ${name}`, ctor, { state: 'x', singleSelect: true }]),
  ...Object.entries(AUTH_URL_CASES).map(([name, opts]) => [`getAuthUrl: ${name}`, { ...BASE, scope: ['read_odometer'], externalId: 'e' }, opts]),
];

describe('getAuthUrl', () => {
  let app;
  before(async () => { app = await startRepoServer(); });
  after(async () => { await app.close(); });

  forEachEngine((ctx) => {
    let page;
    before(async () => { page = await openSdkPage(ctx.browser, app, { sdk: 'both' }); });

    describe('same URL as the reference', () => {
      for (const [name, ctor, opts] of TABLE) {
        it(name, { skip: OURS }, async () => {
          const { ref, ours } = await page.eval(build, { ctor, opts });
          const r = view(ref);
          const o = view(ours);
          assert.equal(o.base, 'https://connect.smartcar.com/oauth/authorize');
          assert.deepEqual(o.names, r.names, 'parameter names and order');
          assert.deepEqual(o.params, r.params, 'decoded parameter values');
          assert.equal(r.state.instanceId, ref.instanceId);
          assert.equal(o.state.instanceId, ours.instanceId, "state.instanceId is the instance's instanceId");
          assert.deepEqual(o.state, { ...r.state, instanceId: ours.instanceId }, 'decoded state');
          // Ours is also decodable the standard way (URLSearchParams), which the reference
          // is not in general: see "state with + & =" below.
          assert.deepEqual(decodeState(new URL(ours.url).searchParams.get('state')), o.state);
        });
      }
    });

    it("byte for byte the reference's URL for the same instanceId, the state's + written %2B (ASCII and Latin-1 states)", { skip: OURS }, async () => {
      const states = ['st', 'café crème', 'ü', '\u0080\u00ff', { 'clé': ['à', 1, null], n: 'ñ' }, '~~~ +/=', 'Ã©'];
      const results = await page.eval((states) => states.map((state) => {
        const url = (S) => {
          const sc = new S({ applicationId: 'app-1', redirectUri: 'https://example.com/cb', scope: ['read_odometer', 'read_vin'], mode: 'test' });
          sc.instanceId = 'same-instance';
          const out = sc.getAuthUrl({ state, forcePrompt: true, vehicleInfo: { make: 'TESLA' } });
          sc.unmount();
          return out;
        };
        return { ref: url(window.RefSmartcar), ours: url(window.OurSmartcar) };
      }), states);
      assert.ok(results.some(({ ref }) => ref.includes('+')), 'test premise: a state whose base64 has a +');
      results.forEach(({ ref, ours }, i) => assert.equal(ours, ref.replace(/\+/g, '%2B'), `state ${JSON.stringify(states[i])}`));
    });

    describe('where ours differs from the reference (and is right)', () => {
      it('state whose base64 contains + survives URLSearchParams decoding', async (t) => {
        // '~~~' makes btoa emit '+' whatever the alignment; the reference puts the base64 in
        // the URL unencoded, so any form decoder (Connect's included) turns '+' into ' '.
        const state = '~~~ a+b&c=d/e?';
        const { ref, ours } = await page.eval(build, { ctor: BASE, opts: { state } });
        assert.match(rawParam(ref.url, 'state'), /\+/, 'test premise: reference state has a +');
        assert.throws(() => {
          const s = decodeState(new URL(ref.url).searchParams.get('state'));
          assert.equal(s.originalState, state);
        }, 'reference state is corrupted by URLSearchParams');
        if (OURS) return t.skip(OURS);
        const s = decodeState(new URL(ours.url).searchParams.get('state'));
        assert.equal(s.originalState, state);
        assert.equal(s.instanceId, ours.instanceId);
      });

      it('state with text outside Latin-1 round-trips (reference throws)', async (t) => {
        const state = '🚗 é 中';
        const { ref, ours } = await page.eval(build, { ctor: BASE, opts: { state } });
        assert.equal(ref.threw?.name, 'InvalidCharacterError', 'reference btoa throws');
        if (OURS) return t.skip(OURS);
        assert.ok(!ours.threw, JSON.stringify(ours.threw));
        const s = decodeState(new URL(ours.url).searchParams.get('state'));
        assert.equal(s.originalState, state);
      });

      it('a lone surrogate (half an emoji) in text bound for the URL: a URIError naming the option where the reference\'s encodeURIComponent throws one, never U+FFFD sent in its place; the whole emoji and a lone surrogate in the state come through', { skip: OURS }, async () => {
        const half = 'Jo\ud83d';
        const cases = [
          ['user', { ctor: BASE, opts: { user: half } }],
          ['vehicleInfo.make', { ctor: BASE, opts: { vehicleInfo: { make: half } } }],
          ['flags', { ctor: BASE, opts: { flags: ['country:DE', half] } }],
          ['redirectUri', { ctor: { ...BASE, redirectUri: `https://example.com/cb/${half}` } }],
          ['scope', { ctor: { ...BASE, scope: ['read_vin', half] } }],
        ];
        for (const [name, input] of cases) {
          const { ref, ours } = await page.eval(build, input);
          assert.equal(ref.threw?.name, 'URIError', `${name}: the reference throws`);
          assert.deepEqual(ours.threw, { name: 'URIError', message: `The "${name}" option is not well-formed text: it holds a lone surrogate (half of a UTF-16 pair)` }, name);
        }
        const { ours } = await page.eval(build, { ctor: BASE, opts: { user: 'Jo\ud83d\ude97', state: half } });
        const url = new URL(ours.url);
        assert.equal(url.searchParams.get('user'), 'Jo\u{1F697}');
        assert.equal(decodeState(url.searchParams.get('state')).originalState, half, 'the state is JSON, which keeps it');
      });

      it('applicationId containing &x=1 is encoded, not injected as a parameter', async (t) => {
        const { ref, ours } = await page.eval(build, { ctor: { ...BASE, applicationId: 'app&x=1' } });
        assert.equal(new URL(ref.url).searchParams.get('x'), '1', 'reference injects x=1');
        if (OURS) return t.skip(OURS);
        const q = new URL(ours.url).searchParams;
        assert.equal(q.get('application_id'), 'app&x=1');
        assert.equal(q.has('x'), false);
      });
    });

    describe('behaviour both share', () => {
      for (const which of ['reference', 'ours']) {
        it(`${which}: responseType none without redirectUri adds app_origin = page origin`, { skip: which === 'ours' && OURS }, async () => {
          const r = await page.eval(build, { ctor: { applicationId: 'a', responseType: 'none' }, only: which });
          const { url } = which === 'ours' ? r.ours : r.ref;
          const q = new URL(url).searchParams;
          assert.equal(q.get('response_type'), 'none');
          assert.equal(q.get('app_origin'), app.origin);
          assert.equal(q.has('redirect_uri'), false);
        });

        it(`${which}: responseType none with redirectUri has no app_origin`, { skip: which === 'ours' && OURS }, async () => {
          const r = await page.eval(build, { ctor: { ...BASE, responseType: 'none' }, only: which });
          const { url } = which === 'ours' ? r.ours : r.ref;
          assert.equal(new URL(url).searchParams.has('app_origin'), false);
        });
      }
    });

    describe('the whole URL, as a string', () => {
      it('is the reference\'s byte for byte, but for a + in the state, written %2B (tests written for the reference compare the whole string)', { skip: OURS }, async () => {
        const r = await page.eval(() => {
          const ctors = [
            { applicationId: 'clientId', redirectUri: 'https://smartcar.com', onComplete() {} },
            { applicationId: '8229df9f-91a0-4ff0-a1ae-a1f38ee24d07', redirectUri: 'https://app.example.com/callback?x=1', scope: ['read_vehicle_info', 'read_odometer'], mode: 'test' },
            { clientId: 'clientId', redirectUri: 'https://smartcar.com', scope: ['read_vehicle_info'], testMode: true, externalId: 'ext 1' },
            { applicationId: 'a', responseType: 'none', mode: 'simulated' },
          ];
          const calls = [
            undefined, { state: 'foobarbaz', forcePrompt: true }, { state: 'foobarbaz', forcePrompt: true, vehicleInfo: { make: 'TESLA' }, singleSelect: true },
            { state: 'foobarbaz', vehicleInfo: { make: 'TESLA' }, singleSelect: { vin: '12345' } }, { singleSelect: { pizza: 1 } }, { flags: ['country:DE', 'color:00819D'], user: 'u-1 2' },
          ];
          let same = 0;
          let plus = 0;
          const differences = [];
          for (const ctor of ctors) {
            const ref = new window.RefSmartcar(ctor);
            const ours = new window.OurSmartcar(ctor);
            ref.instanceId = ours.instanceId;
            for (const call of calls) {
              // Many states, so that some of their base64 holds a + and some does not.
              for (let i = 0; i < 40; i++) {
                const options = call && { ...call, state: call.state === undefined ? undefined : `${call.state}${'~'.repeat(i % 7)}${i}` };
                const [a, b] = [ref.getAuthUrl(options), ours.getAuthUrl(options)];
                if (a === b) same++;
                else if (a.includes('+') && b === a.replace(/\+/g, '%2B')) plus++;
                else if (differences.length < 3) differences.push([a, b]);
              }
            }
            ref.unmount();
            ours.unmount();
          }
          return { same, plus, differences };
        });
        assert.deepEqual(r.differences, []);
        assert.ok(r.same > 500 && r.plus > 50, JSON.stringify(r));
      });

      it('follows the fields and options as they change between calls (the same URL as the reference after each change, and back)', { skip: OURS }, async () => {
        const r = await page.eval(() => {
          const ctor = { applicationId: 'app-1', redirectUri: 'https://app.example.com/cb', scope: ['read_vehicle_info'], mode: 'test', externalId: 'e1' };
          const ref = new window.RefSmartcar({ ...ctor, scope: [...ctor.scope] });
          const ours = new window.OurSmartcar({ ...ctor, scope: [...ctor.scope] });
          ref.instanceId = ours.instanceId;
          const changes = [
            (sc) => { sc.applicationId = 'app-2'; },
            (sc) => { sc.scope.push('read_odometer'); }, // the same array, changed in place
            (sc) => { sc.mode = 'live'; },
            (sc) => { sc.redirectUri = 'https://other.example.com/cb'; },
            (sc) => { sc.externalId = 'e2'; },
            (sc) => { sc.applicationId = 'app-1'; sc.scope.pop(); sc.mode = 'test'; sc.redirectUri = 'https://app.example.com/cb'; sc.externalId = 'e1'; },
          ];
          const calls = [{ state: 's' }, { state: 's', forcePrompt: true }, { state: 's', vehicleInfo: { make: 'BMW' } }, { state: 's', flags: ['f:1'] }, { state: 's', forcePrompt: true }];
          const differences = [];
          let compared = 0;
          for (const change of [() => {}, ...changes]) {
            change(ref);
            change(ours);
            for (const call of calls) {
              for (const options of [call, { ...call, state: 's~~' }]) {
                const [a, b] = [ref.getAuthUrl(options), ours.getAuthUrl(options)];
                compared++;
                if (a !== b.replace(/%2B/g, '+')) differences.push([a, b]);
              }
            }
          }
          ref.unmount();
          ours.unmount();
          return { compared, differences };
        });
        assert.deepEqual(r.differences, []);
        assert.equal(r.compared, 70);
      });
    });

    describe('odd option values, side by side', () => {
      it('a truthy vehicleInfo that is not an object is a TypeError in both; a falsy one, a function with make and a 0n state read as in the reference', { skip: OURS }, async () => {
        const r = await page.eval(() => {
          const make = Object.assign(() => {}, { make: 'TESLA' });
          const cases = [{ vehicleInfo: 'TESLA' }, { vehicleInfo: true }, { vehicleInfo: 1 }, { vehicleInfo: '' }, { vehicleInfo: 0 }, { vehicleInfo: make }, { state: 0n }];
          const run = (S) => cases.map((options) => {
            const sc = new S({ applicationId: 'a', redirectUri: 'https://example.com/cb' });
            try {
              const q = new URL(sc.getAuthUrl(options)).searchParams;
              return `make=${q.get('make')} originalState=${JSON.parse(atob(q.get('state'))).originalState}`;
            } catch (e) {
              return e.constructor.name;
            } finally {
              sc.unmount?.();
            }
          });
          return { ref: run(window.RefSmartcar), ours: run(window.OurSmartcar) };
        });
        assert.deepEqual(r.ref, ['TypeError', 'TypeError', 'TypeError', 'make=null originalState=undefined', 'make=null originalState=undefined', 'make=TESLA originalState=undefined', 'make=null originalState=undefined']);
        assert.deepEqual(r.ours, r.ref);
      });
    });

    describe('ours only', () => {
      it('connectUrl option is used as the Connect base', { skip: OURS }, async () => {
        const connectUrl = 'http://127.0.0.1:9999';
        const { ours } = await page.eval(build, { ctor: { ...BASE, connectUrl }, opts: { state: 's' }, only: 'ours' });
        assert.ok(!ours.threw, JSON.stringify(ours.threw));
        assert.ok(ours.url.startsWith(`${connectUrl}/oauth/authorize?`), ours.url);
        const q = new URL(ours.url).searchParams;
        assert.equal(q.get('application_id'), 'app-1');
        assert.equal(decodeState(q.get('state')).originalState, 's');
      });

      it('without connectUrl the base is https://connect.smartcar.com', { skip: OURS }, async () => {
        const { ours } = await page.eval(build, { ctor: BASE, only: 'ours' });
        assert.ok(ours.url.startsWith('https://connect.smartcar.com/oauth/authorize?'), ours.url);
      });
    });

    it('no uncaught errors in the page', async () => {
      assert.deepEqual(await page.eval(() => window.__errors), []);
    });
  });
});
