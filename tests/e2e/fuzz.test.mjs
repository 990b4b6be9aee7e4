// Browser fuzz test of the message listener (dist/cdn/sdk.js): thousands of random
// MessageEvents from a seeded generator in the page, by every path a message can arrive:
//   self      window.postMessage from the page itself (the expected origin)
//   channel   a BroadcastChannel of the page's origin under the name the SDK used to share
//             with every flow (it must not listen there: its fallback channel exists only
//             while a flow is open, named after that flow's state)
//   frame     a relay frame on a second origin (a real cross-origin MessageEvent)
//   synthetic window.dispatchEvent(new MessageEvent('message', {data, origin})): any origin
//             string, and data that is never cloned (getters that throw or re-enter, Proxies,
//             functions, symbols)
// with random types and nesting, huge strings, `__proto__`/`constructor` keys, the genuine
// message name with forged states, and genuine states for this instance from wrong origins.
// Whatever could legitimately complete (a state naming the instance from the expected origin)
// is never generated. Expected: zero onComplete calls, zero uncaught errors, and afterwards a
// genuine message still completes, once per path.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MISSING, forEachEngine, group, openSdkPage, startRepoServer } from '../support/harness.mjs';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed2024);
const MESSAGES = Number(process.env.FUZZ_MESSAGES ?? 4000);
const BATCH = 250;

// Runs in the page before the SDK: the generator, the delivery paths and the markers that tell
// when every message sent so far has been dispatched.
const HEAD = `<script>
(function () {
  // mulberry32: small, seeded, the same sequence in every engine.
  window.__rng = function (seed) {
    let a = seed >>> 0;
    const next = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const r = {
      next,
      int: (n) => Math.floor(next() * n),
      pick: (xs) => xs[Math.floor(next() * xs.length)],
      chance: (p) => next() < p,
    };
    return r;
  };

  const FIELDS = ['code', 'error', 'errorDescription', 'state', 'vin', 'make', 'model', 'year', 'virtualKeyUrl', 'userId', 'externalId'];
  const KEYS = FIELDS.concat(['name', 'isSmartcarHosted', '__proto__', 'constructor', 'prototype', 'toString', 'valueOf',
    'hasOwnProperty', 'then', 'length', 'instanceId', 'originalState', '', '0', 'relay', '__marker']);

  function str(r) {
    switch (r.int(12)) {
      case 0: return '';
      case 1: return 'SmartcarAuthMessage';
      case 2: return r.pick(['null', 'undefined', 'true', '0', 'NaN', '__proto__', 'constructor', 'access_denied', 'vehicle_incompatible']);
      case 3: { // random code units, lone surrogates included
        let s = '';
        for (let i = r.int(40); i > 0; i--) s += String.fromCharCode(r.int(0x10000));
        return s;
      }
      case 4: { // astral characters and specials
        let s = '';
        for (let i = r.int(20); i > 0; i--) s += r.pick(['\\u0000', '\\ud83d\\ude00', '\\u2028', '\\ufeff', '\\ufffd', '"', '\\\\', '%', '+', '/', '=', 'é']);
        return s;
      }
      case 5: // huge (rare): past every length limit
        return r.chance(0.08) ? r.pick(['A', 'x', '\\u00e9', '+']).repeat(r.pick([16 * 1024 + 1, 100000, 1 << 20, 3 << 20])) : 'x';
      case 6: return btoa(String.fromCharCode.apply(null, Array.from({ length: r.int(60) }, () => r.int(256))));
      default: {
        let s = '';
        for (let i = r.int(16); i > 0; i--) s += String.fromCharCode(32 + r.int(95));
        return s;
      }
    }
  }

  function value(r, depth) {
    const k = depth > 3 ? r.int(8) : r.int(14);
    switch (k) {
      case 0: return undefined;
      case 1: return null;
      case 2: return r.chance(0.5);
      case 3: return r.pick([0, -0, 1, -1, NaN, Infinity, -Infinity, 2 ** 53, 1e308, 5e-324, 2019, r.next()]);
      case 4: return BigInt(r.int(1e9)) * 1000000007n;
      case 5: case 6: case 7: return str(r);
      case 8: return Array.from({ length: r.int(5) }, () => value(r, depth + 1));
      case 9: return object(r, depth + 1);
      case 10: return message(r, depth + 1, forgedState(r));
      case 11: return r.pick([
        () => new Date(r.int(2e12)), () => /state/gi, () => new Map([[str(r), value(r, depth + 1)]]),
        () => new Set([str(r)]), () => new Uint8Array(r.int(64)), () => new ArrayBuffer(r.int(64)),
        () => new Error(str(r)), () => new String('SmartcarAuthMessage'), () => Object(1n),
      ])();
      case 12: { // keys that mean something to JS: as own data properties, the way JSON.parse makes them
        const o = JSON.parse('{"__proto__": {"name": "SmartcarAuthMessage", "state": "x"}, "constructor": {"prototype": {"name": 1}}}');
        o[r.pick(KEYS)] = value(r, depth + 1);
        return o;
      }
      default: { const a = []; a[r.int(1000)] = value(r, depth + 1); return a; } // sparse
    }
  }

  function object(r, depth) {
    const o = r.chance(0.2) ? Object.create(null) : {};
    for (let i = r.int(6); i > 0; i--) {
      Object.defineProperty(o, r.chance(0.7) ? r.pick(KEYS) : str(r), { value: value(r, depth), enumerable: true, configurable: true, writable: true });
    }
    return o;
  }

  /** A message with the genuine name (usually) and random fields around the given state. */
  function message(r, depth, state) {
    const m = r.chance(0.1) ? object(r, depth) : {};
    m.name = r.chance(0.9) ? 'SmartcarAuthMessage' : value(r, depth);
    for (const f of FIELDS) {
      if (r.chance(0.6)) m[f] = r.chance(0.8) ? str(r) : value(r, depth);
    }
    if (r.chance(0.5)) m.isSmartcarHosted = value(r, depth);
    m.state = state;
    return m;
  }

  const json = (o) => JSON.stringify(o, (k, v) => (typeof v === 'bigint' || v instanceof BigInt ? String(v) : v)) ?? 'null';
  const b64json = (o) => btoa(unescape(encodeURIComponent(typeof o === 'string' ? o : json(o))));

  /** Anything but a state naming window.sc: what the expected origin may send. */
  function forgedState(r) {
    const id = window.sc.instanceId;
    const near = r.pick([
      id.toUpperCase(), id + ' ', ' ' + id, id.slice(1), id + '0', id.slice(0, -1) + (id.endsWith('0') ? '1' : '0'),
      '', 'null', id + '\\u0000', Array.from({ length: 32 }, () => '0123456789abcdef'[r.int(16)]).join(''),
    ]);
    switch (r.int(10)) {
      case 0: return b64json({ instanceId: near, originalState: value(r, 2) });
      case 1: return b64json({ instanceId: r.pick([Number(id) || 1, null, [id], { toString: id }, true]), originalState: 'x' });
      case 2: return b64json('{"__proto__": {"instanceId": "' + id + '"}, "originalState": "x"}');
      case 3: return b64json('{"instanceId": "' + id + '", "instanceId": "' + near + '"}');
      case 4: return b64json('{"instanceId": "' + id + '"'); // truncated
      case 5: return b64json('{"instanceid": "' + id + '"}');
      case 6: return b64json('[{"instanceId": "' + id + '"}]');
      case 7: return btoa(JSON.stringify({ instanceId: id })).slice(0, -r.int(6) - 3); // cut short
      case 8: return value(r, 2);
      default: return str(r);
    }
  }

  const genuineState = (r) => b64json({ instanceId: window.sc.instanceId, originalState: value(r, 2) });

  /** Data that is never structured-cloned: only a synthetic event can carry it. */
  function uncloneable(r, state) {
    switch (r.int(6)) {
      case 0: return () => 'SmartcarAuthMessage';
      case 1: return Symbol('SmartcarAuthMessage');
      case 2: return new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });
      case 3: { // getters that throw after the name
        const m = { name: 'SmartcarAuthMessage' };
        Object.defineProperty(m, r.pick(FIELDS.concat(['isSmartcarHosted'])), { get() { throw new Error('getter'); }, enumerable: true });
        return m;
      }
      case 4: { // getters that re-enter the page and the SDK while it reads the message
        const m = message(r, 1, state);
        Object.defineProperty(m, r.pick(FIELDS), {
          get() {
            window.sc.getAuthUrl({ state: 'reentered' });
            window.sc.onComplete = window.__onComplete;
            window.dispatchEvent(new MessageEvent('message', { data: message(r, 1, forgedState(r)), origin: location.origin }));
            return 'x';
          },
          enumerable: true,
        });
        return m;
      }
      default: return { name: { toString() { return 'SmartcarAuthMessage'; } }, state: { toString() { return state; } } };
    }
  }

  /** One random event: where it goes, and its data. */
  window.__generate = function (r, frameOrigin) {
    const via = r.pick(['self', 'self', 'channel', 'frame', 'frame', 'synthetic', 'synthetic']);
    const shape = r.int(10);
    if (via === 'self' || via === 'channel') {
      // The expected origin: never a state naming this instance.
      return { via, data: shape < 6 ? message(r, 0, forgedState(r)) : value(r, 0) };
    }
    if (via === 'frame') {
      // The wrong origin: anything, the genuine state included.
      return { via, data: shape < 6 ? message(r, 0, r.chance(0.5) ? genuineState(r) : forgedState(r)) : value(r, 0) };
    }
    const origin = r.pick([
      location.origin, location.origin, frameOrigin, location.origin + '/', location.origin.toUpperCase(),
      location.origin + '0', location.origin.replace('http:', 'https:'), location.origin + '.', 'null', '', '*',
      ' ' + location.origin, location.origin + '\\u0000', str(r),
    ]);
    const expected = origin === location.origin;
    const state = expected ? forgedState(r) : (r.chance(0.5) ? genuineState(r) : forgedState(r));
    const data = shape < 4 ? message(r, 0, state) : shape < 7 ? uncloneable(r, state) : value(r, 0);
    return { via, origin, data, expected };
  };


  // Markers: each path's FIFO order means that once a path's marker arrives, everything sent
  // before it on that path has been dispatched to every listener (the SDK's came first).
  window.__markers = { self: 0, frame: 0, channel: 0 };
  addEventListener('message', (e) => {
    // Trusted (posted) events only: synthetic ones may carry data whose getters throw.
    if (e.isTrusted && e.data && typeof e.data === 'object' && typeof e.data.__marker === 'number') {
      const path = e.origin === location.origin ? 'self' : 'frame';
      window.__markers[path] = Math.max(window.__markers[path], e.data.__marker);
    }
  });
  window.__sendChannel = new BroadcastChannel('SmartcarAuthMessage');
  window.__markChannel = new BroadcastChannel('SmartcarAuthMessage');
  window.__markChannel.onmessage = (e) => {
    if (e.data && typeof e.data === 'object' && typeof e.data.__marker === 'number') window.__markers.channel = Math.max(window.__markers.channel, e.data.__marker);
  };
})();
</script>`;

/** In the page: generate and send `count` events from the seeded stream, then wait for the markers. */
async function fuzzBatch({ seed, count, marker, frameOrigin }) {
  const r = window.__rng(seed);
  const stats = { self: 0, channel: 0, frame: 0, synthetic: 0, uncloneable: 0, syntheticExpected: 0 };
  for (let i = 0; i < count; i++) {
    const ev = window.__generate(r, frameOrigin);
    stats[ev.via]++;
    try {
      if (ev.via === 'self') window.postMessage(ev.data, '*');
      else if (ev.via === 'channel') window.__sendChannel.postMessage(ev.data);
      else if (ev.via === 'frame') window.__frame.contentWindow.postMessage({ relay: ev.data }, '*');
      else {
        if (ev.expected) stats.syntheticExpected++;
        window.dispatchEvent(new MessageEvent('message', { data: ev.data, origin: ev.origin }));
      }
    } catch (e) {
      // DataCloneError: a value postMessage cannot carry (the sender throws, nothing is sent).
      if (e && e.name === 'DataCloneError') stats.uncloneable++;
      else throw e;
    }
  }
  window.postMessage({ __marker: marker }, '*');
  window.__frame.contentWindow.postMessage({ relay: { __marker: marker } }, '*');
  window.__sendChannel.postMessage({ __marker: marker });
  const deadline = Date.now() + 10000;
  while (!(window.__markers.self >= marker && window.__markers.frame >= marker && window.__markers.channel >= marker)) {
    if (Date.now() > deadline) throw new Error('markers did not arrive: ' + JSON.stringify(window.__markers));
    await new Promise((res) => setTimeout(res, 10));
  }
  return stats;
}

group('fuzz: random MessageEvents', MISSING.oursCdn, () => {
  let app;
  let other;
  before(async () => {
    app = await startRepoServer();
    other = await startRepoServer();
  });
  after(async () => { await Promise.all([app?.close(), other?.close()]); });

  forEachEngine((ctx) => {
    describe('ours', () => {
      it(`${MESSAGES} random events (seed ${SEED}): no onComplete, no uncaught error, and the instance still works`, { timeout: 240000 }, async () => {
        const page = await openSdkPage(ctx.browser, app, { sdk: 'ours', head: HEAD });
        await page.eval(async (frame) => {
          window.sc = new window.Smartcar({ applicationId: 'app', redirectUri: location.origin + '/cb', onComplete: window.__onComplete });
          await window.__openFrame(frame);
          return true;
        }, `${other.origin}/tests/pages/relay.html`);

        const total = { self: 0, channel: 0, frame: 0, synthetic: 0, uncloneable: 0, syntheticExpected: 0 };
        for (let sent = 0, batch = 1; sent < MESSAGES; sent += BATCH, batch++) {
          const stats = await page.eval(fuzzBatch, { seed: SEED + batch, count: Math.min(BATCH, MESSAGES - sent), marker: batch, frameOrigin: other.origin });
          for (const k of Object.keys(total)) total[k] += stats[k];
          // Fail early, with the batch that did it.
          const state = await page.eval(() => ({ calls: window.__calls.length, errors: window.__errors.slice(0, 5) }));
          assert.deepEqual(state, { calls: 0, errors: [] }, `after batch ${batch} (seed ${SEED + batch})`);
        }
        // Every path was exercised.
        for (const k of ['self', 'channel', 'frame', 'synthetic', 'syntheticExpected']) assert.ok(total[k] > MESSAGES / 40, `${k}: ${JSON.stringify(total)}`);

        // Nothing leaked into shared prototypes.
        assert.deepEqual(await page.eval(() => ['name', 'state', 'instanceId', 'relay', 'isSmartcarHosted'].filter((k) => k in {} || k in [])), []);

        // The instance still works: a genuine message by the window completes. One naming the
        // instance on a shared channel does not: the SDK listens only on an open flow's own
        // channel, named after that flow's state (posted first, so that it would arrive first).
        const done = await page.eval(async () => {
          const state = (s) => btoa(JSON.stringify({ instanceId: window.sc.instanceId, originalState: s }));
          const msg = (code, s) => ({ name: 'SmartcarAuthMessage', isSmartcarHosted: false, code, error: null, errorDescription: null, state: state(s), vin: null, make: null, model: null, year: null, virtualKeyUrl: null, userId: null });
          window.__sendChannel.postMessage(msg('after-channel', 'c'));
          window.postMessage(msg('after-window', 'w'), '*');
          for (let i = 0; i < 200 && window.__calls.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
          await new Promise((r) => setTimeout(r, 100));
          return { calls: window.__calls.map((c) => [c[0], c[1], c[2]]).sort(), errors: window.__errors };
        });
        assert.deepEqual(done, { calls: [[null, 'after-window', 'w']], errors: [] });
        console.log(`# ${ctx.engine}: ${JSON.stringify(total)}`);
      });

      // Finding of the test above: a message event dispatched while the SDK's listener runs
      // (from onComplete, or from a getter of the data it reads) re-entered a wasm-bindgen FnMut
      // closure, which throws "closure invoked recursively" into the page.
      it('regression: a message event dispatched from inside the listener is handled, not thrown', async () => {
        const page = await openSdkPage(ctx.browser, app, { sdk: 'ours', head: HEAD });
        const r = await page.eval(async () => {
          const got = [];
          const state = (sc, s) => btoa(JSON.stringify({ instanceId: sc.instanceId, originalState: s }));
          const msg = (code, st) => ({ name: 'SmartcarAuthMessage', code, state: st });
          const sc = new window.Smartcar({
            applicationId: 'app', redirectUri: location.origin + '/cb',
            onComplete(err, code) {
              got.push(code);
              // An app re-dispatching the result to its own listeners, synchronously.
              if (code === 'outer') window.dispatchEvent(new MessageEvent('message', { data: msg('nested', state(sc, 'n')), origin: location.origin }));
            },
          });
          window.dispatchEvent(new MessageEvent('message', { data: msg('outer', state(sc, 'o')), origin: location.origin }));
          // A getter that dispatches while the SDK reads the message (state forged: completes nothing).
          const data = { name: 'SmartcarAuthMessage', code: 'getter' };
          Object.defineProperty(data, 'state', {
            get() {
              window.dispatchEvent(new MessageEvent('message', { data: msg('from-getter', state(sc, 'g')), origin: location.origin }));
              return 'forged';
            },
          });
          window.dispatchEvent(new MessageEvent('message', { data, origin: location.origin }));
          await new Promise((res) => setTimeout(res, 100));
          sc.unmount();
          return { got, errors: window.__errors };
        });
        assert.deepEqual(r, { got: ['outer', 'nested', 'from-getter'], errors: [] });
      });
    });
  });
});
