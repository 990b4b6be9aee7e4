// Drop-in exactness: @smartcar/auth 2.14.1 and this package on one page, constructed with the
// same options and driven by the same sequence (construct, read and write the properties,
// getAuthUrl, openDialog with a window.open spy, messages from every relevant origin, unmount).
// Everything observable is recorded as data by one in-page script and compared exactly: values
// with Object.is (null is not undefined), argument counts, `this`, property descriptors, key
// order. Where the two must differ (a security rule, listed in README's migration notes), the
// difference itself is asserted, so it cannot widen unnoticed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIST, forEachEngine, group, MISSING, openSdkPage, startRepoServer } from '../support/harness.mjs';
import { startServerOnShortPort } from '../support/server.mjs';

/**
 * In the page: drives the class `S` through the sequence and returns what it observed. The
 * relay frame (second origin) is `window.__frame`; `other` is its origin.
 */
async function drive({ which, other }) {
  const S = window[which];
  const log = {};
  const is = (a, b) => Object.is(a, b);
  const describe = (v) => {
    if (v === undefined) return { undefined: true };
    if (typeof v === 'function') return { function: v.name, length: v.length };
    if (v instanceof Error) {
      return { error: v.name, message: v.message, isError: true, own: Object.keys(v), vehicleInfo: 'vehicleInfo' in v ? (v.vehicleInfo === undefined ? { undefined: true } : v.vehicleInfo) : { absent: true },
        classes: ['AccessDenied', 'InvalidSubscription', 'VehicleIncompatible'].filter((k) => v instanceof S[k]) };
    }
    return v;
  };
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));

  // The class.
  log.class = {
    typeof: typeof S, name: S.name, length: S.length,
    statics: Object.keys(S).slice(0, 3),
    staticErrors: ['AccessDenied', 'VehicleIncompatible', 'InvalidSubscription'].map((k) => {
      const e = new S[k]('m', k === 'VehicleIncompatible' ? { vin: 'v' } : undefined);
      return [k, e instanceof Error, e.name, e.message, Object.keys(e)];
    }),
    methods: ['getAuthUrl', 'openDialog', 'addClickHandler', 'unmount'].map((m) => [m, typeof S.prototype[m], S.prototype[m].length, Object.getOwnPropertyDescriptor(S.prototype, m).enumerable]),
  };

  // Construction: the instance's own fields, their order, descriptors and identities.
  const calls = [];
  const scope = ['read_vehicle_info', 'read_odometer'];
  function onComplete(err, code, state, virtualKeyUrl, userId, externalId) {
    calls.push({ self: this === sc, count: arguments.length, args: Array.from(arguments, describe) });
  }
  const options = { applicationId: 'app-id', redirectUri: location.origin + '/cb', scope, onComplete, mode: 'test', externalId: 'ext' };
  const sc = new S(options);
  log.keys = Object.keys(sc);
  log.descriptors = Object.keys(sc).map((k) => {
    const d = Object.getOwnPropertyDescriptor(sc, k);
    return [k, 'value' in d, d.writable, d.enumerable, d.configurable, typeof d.value];
  });
  log.fields = {
    applicationId: sc.applicationId, clientId: sc.clientId, redirectUri: sc.redirectUri, mode: sc.mode,
    responseType: sc.responseType, externalId: sc.externalId, sameScope: is(sc.scope, scope), sameOnComplete: is(sc.onComplete, onComplete),
    instanceId: typeof sc.instanceId, messageHandler: typeof sc.messageHandler,
  };
  const bare = new S({ applicationId: 'bare' });
  log.bare = Object.keys(bare).map((k) => [k, describe(bare[k]) && typeof bare[k], bare[k] === undefined]);
  bare.unmount();

  // getAuthUrl: the parameters as Connect reads them, the state decoded.
  // The reference writes the base64 state raw, so a `+` in it comes back as a space: read it
  // as Connect would have to.
  const decodeState = (v) => JSON.parse(atob(v.replace(/ /g, '+')));
  const params = (url) => {
    const u = new URL(url);
    const out = [...u.searchParams].map(([k, v]) => [k, k === 'state' ? decodeState(v) : v]);
    return { base: u.origin + u.pathname, params: out };
  };
  const urlOf = (o) => {
    const p = params(sc.getAuthUrl(o));
    for (const entry of p.params) if (entry[0] === 'state') entry[1] = { ...entry[1], instanceId: entry[1].instanceId === sc.instanceId };
    return p;
  };
  log.urls = [
    urlOf(),
    urlOf({ state: 'st', forcePrompt: true }),
    urlOf({ state: { page: '/garage', n: [1, 2] }, vehicleInfo: { make: 'TESLA' }, singleSelect: { vin: '5YJ' }, flags: ['country:DE', 'color:00819D'], user: 'u1' }),
    urlOf({ singleSelect: true }),
    urlOf({ singleSelect: {} }),
    urlOf({ state: '' }),
  ];

  // The fields are read when used: reassigned, they change the next URL.
  sc.scope = ['read_location'];
  sc.mode = 'simulated';
  sc.externalId = null;
  sc.applicationId = 'app-2';
  log.afterWrites = urlOf({ state: 'w' });
  sc.responseType = 'none';
  sc.redirectUri = undefined;
  log.noneWithoutRedirect = urlOf();
  sc.responseType = 'code';
  sc.redirectUri = location.origin + '/cb';

  // openDialog with a window.open spy (returning nothing, as a blocked popup).
  const opened = [];
  const open = window.open;
  window.open = function () { opened.push(Array.from(arguments)); };
  sc.openDialog({ state: 'dialog', windowOptions: { width: 500, height: 600 } });
  sc.openDialog();
  // A position and size given are written as given (`String(parseFloat(value))`), a size
  // below 100 as 100; a string is refused with a TypeError, and nothing opens.
  const features = [];
  window.open = function () { features.push(arguments[2]); };
  for (const windowOptions of [
    { top: 10, left: 20.5, width: 500.7, height: '600.5px' },
    { top: '0', left: -0.5, width: 50, height: '1e3' },
    { top: '10.40', left: '+7', width: '99.9', height: 1e21 },
  ]) sc.openDialog({ windowOptions });
  log.windowOptions = features.splice(0);
  try {
    sc.openDialog({ windowOptions: 'width=500' });
    log.windowOptionsString = 'opened';
  } catch (error) {
    log.windowOptionsString = { typeError: error instanceof TypeError, opened: features.length, message: error.message };
  }
  // addClickHandler checks them when it is called (the reference, on each click).
  const optionsButton = document.body.appendChild(Object.assign(document.createElement('button'), { id: 'window-options-button' }));
  try {
    sc.addClickHandler({ id: optionsButton.id, windowOptions: 'width=500' });
    log.clickWindowOptionsString = 'added';
  } catch (error) {
    log.clickWindowOptionsString = error instanceof TypeError ? error.message : String(error);
  }
  optionsButton.remove();
  window.open = open;
  log.dialog = opened.map((args) => ({
    count: args.length, url: params(args[0]).params.map(([k, v]) => [k, k === 'state' ? Object.keys(v) : v]),
    name: args[1], nameHoldsTheInstanceId: String(args[1]).includes(sc.instanceId),
    features: String(args[2]).split(',').filter(Boolean).map((f) => f.split('=')[0]),
    // The reference's own tests match the string whole, trailing comma included.
    format: /^top=-?[0-9.]+,left=-?[0-9.]+,width=[0-9.]+,height=[0-9.]+,$/.test(String(args[2])),
  }));

  // Messages from every relevant origin.
  const state = (s) => btoa(JSON.stringify(s === undefined ? { instanceId: sc.instanceId } : { instanceId: sc.instanceId, originalState: s }));
  const full = (fields) => ({ name: 'SmartcarAuthMessage', isSmartcarHosted: false, code: null, error: null, errorDescription: null, vin: null, make: null, model: null, year: null, virtualKeyUrl: null, userId: null, ...fields });
  const messages = [
    // What Smartcar's hosted redirect page sends in most flows: no virtualKeyUrl, no userId.
    { name: 'SmartcarAuthMessage', code: 'c1', state: state('s1') },
    full({ code: 'c2', state: state({ a: [1, 'é'] }), virtualKeyUrl: 'https://vk', userId: 'u', externalId: 'e' }),
    full({ code: 'c3', state: state() }),
    full({ error: 'access_denied', errorDescription: 'denied', state: state('s4') }),
    full({ error: 'invalid_subscription', state: state('s5') }),
    full({ error: 'vehicle_incompatible', errorDescription: 'old', vin: 'V1', make: 'M', model: 'X', year: '2019', state: state('s6') }),
    full({ error: 'vehicle_incompatible', errorDescription: 'old', vin: 'V2', make: 'M', year: 'x', state: state('s7') }),
    full({ error: 'vehicle_incompatible', state: state('s8') }),
    full({ error: 'server_error', errorDescription: 'boom', state: state('s9') }),
    full({ error: 'server_error', state: state('s10') }),
    { name: 'SomethingElse', code: 'c11', state: state('s11') },
    full({ code: 'c12', state: btoa(JSON.stringify({ instanceId: 'another-instance' })) }),
    full({ code: 'c13', state: 'not base64 %%' }),
  ];
  for (const m of messages) window.postMessage(m, '*');
  await wait(150);
  log.ownOrigin = calls.splice(0);

  // From the relay frame, a second origin: ignored while the redirect URI is on this origin...
  window.__frame.contentWindow.postMessage({ relay: full({ code: 'f1', state: state('f1') }) }, '*');
  await wait(150);
  log.wrongOrigin = calls.splice(0);
  // ... and accepted once the redirect URI is on the frame's origin (read when the message comes).
  sc.redirectUri = other + '/redirect?app_origin=' + location.origin;
  window.__frame.contentWindow.postMessage({ relay: full({ code: 'f2', state: state('f2') }) }, '*');
  await wait(150);
  log.frameOrigin = calls.splice(0);
  window.postMessage(full({ code: 'f3', state: state('f3') }), '*');
  await wait(100);
  log.ownOriginNowWrong = calls.splice(0);

  // A reassigned onComplete is the one called, as a method.
  const later = [];
  sc.onComplete = function () { later.push(this === sc); };
  window.__frame.contentWindow.postMessage({ relay: full({ code: 'f4', state: state('f4') }) }, '*');
  await wait(150);
  log.reassignedOnComplete = later;

  // unmount: nothing more.
  sc.unmount();
  sc.onComplete = onComplete;
  window.__frame.contentWindow.postMessage({ relay: full({ code: 'f5', state: state('f5') }) }, '*');
  await wait(150);
  log.afterUnmount = calls.splice(0);

  // Methods called on a Proxy of the instance (Vue's reactive data wraps it so, and every object
  // it hands out but non-extensible ones), on a plain Proxy, and on an object inheriting from it.
  const reactive = (target) => new Proxy(target, {
    get(t, k, r) {
      const v = Reflect.get(t, k, r);
      return v !== null && typeof v === 'object' && Object.isExtensible(v) ? reactive(v) : v;
    },
  });
  const wrapped = new S({ applicationId: 'proxied', redirectUri: location.origin + '/cb', scope: ['read_odometer'] });
  log.proxied = [reactive(wrapped), new Proxy(wrapped, {}), Object.create(wrapped)].map((face) => {
    try {
      const url = new URL(face.getAuthUrl({ state: 'p', forcePrompt: true }));
      const sent = decodeState(url.searchParams.get('state'));
      face.unmount();
      return [[...url.searchParams.keys()], url.searchParams.get('scope'), sent.originalState, sent.instanceId === wrapped.instanceId];
    } catch (e) {
      return e.name;
    }
  });
  wrapped.unmount();

  // The instance's listeners, as a spy on them sees them (the reference's own tests check
  // `addEventListener('message', sc.messageHandler)` and its removal by `unmount`).
  const button = document.body.appendChild(document.createElement('button'));
  button.id = 'exactness-button';
  const spied = [];
  const spy = (target, name) => {
    const original = target[name];
    target[name] = function (...args) {
      spied.push({ on: target === window ? 'window' : 'button', name, count: args.length, type: args[0], listener: args[1], self: this === target });
      return original.apply(this, args);
    };
    return () => { target[name] = original; };
  };
  const restore = [spy(window, 'addEventListener'), spy(window, 'removeEventListener'), spy(button, 'addEventListener'), spy(button, 'removeEventListener')];
  const listening = new S({ applicationId: 'listeners', redirectUri: location.origin + '/cb' });
  listening.addClickHandler({ id: 'exactness-button' });
  listening.unmount();
  restore.forEach((r) => r());
  button.remove();
  // Each listener as what it is: the instance's messageHandler, or the click listener (the
  // same function added and removed).
  const clicks = spied.filter((call) => call.type === 'click').map((call) => call.listener);
  log.listeners = spied.map((call) => ({
    ...call,
    listener: call.listener === listening.messageHandler ? 'messageHandler' : call.listener === clicks[0] ? 'the click listener' : typeof call.listener,
  }));

  // Construction errors and addClickHandler errors, as class and message.
  const thrown = (f) => { try { f(); return null; } catch (e) { return [e.constructor === TypeError ? 'TypeError' : e.constructor === Error ? 'Error' : e.name, e.message]; } };
  log.errors = [
    thrown(() => new S({})),
    thrown(() => new S({ applicationId: 'a', mode: 'prod' })),
    thrown(() => new S({ applicationId: 'a', responseType: 'token' })),
    thrown(() => new S({ applicationId: 'a', redirectUri: 'https://javascript-sdk.smartcar.com/v2/redirect?app_origin=x', onComplete(e) {} })),
    thrown(() => { const s = new S({ applicationId: 'a' }); try { s.addClickHandler({}); } finally { s.unmount(); } }),
    thrown(() => { const s = new S({ applicationId: 'a' }); try { s.addClickHandler({ id: 'nope' }); } finally { s.unmount(); } }),
    // Falsy targets are no targets, as the reference tests them.
    thrown(() => { const s = new S({ applicationId: 'a' }); try { s.addClickHandler({ id: 0, selector: '' }); } finally { s.unmount(); } }),
    thrown(() => { const s = new S({ applicationId: 'a' }); try { s.addClickHandler({ id: false }); } finally { s.unmount(); } }),
  ];
  return log;
}

describe('drop-in exactness (side by side with @smartcar/auth 2.14.1)', () => {
  let app, other;
  before(async () => {
    app = await startServerOnShortPort({ dist: DIST });
    other = await startRepoServer();
  });
  after(async () => { await Promise.all([app?.close(), other?.close()]); });

  forEachEngine((ctx) => {
    group('same sequence, both SDKs', MISSING.oursCdn, () => {
      let reference, ours;
      before(async () => {
        const page = await openSdkPage(ctx.browser, app, { sdk: 'both' });
        await page.eval((src) => window.__openFrame(src), `${other.origin}/tests/pages/relay.html`);
        reference = await page.eval(drive, { which: 'RefSmartcar', other: other.origin });
        ours = await page.eval(drive, { which: 'OurSmartcar', other: other.origin });
      }, { timeout: 60000 });

      it('the class: name, length, statics, methods', () => {
        assert.deepEqual(ours.class, { ...reference.class, name: 'Smartcar' });
        // The reference's babel-compiled class is named too: the one thing allowed to differ
        // here would be a minified name, and it does not.
        assert.equal(reference.class.name, 'Smartcar');
      });

      it('the instance: the same fields, in the same order, plain and writable, the options\' own values', () => {
        assert.deepEqual(ours.keys, reference.keys);
        assert.deepEqual(ours.descriptors, reference.descriptors);
        assert.deepEqual(ours.fields, reference.fields);
        assert.deepEqual(ours.bare, reference.bare);
      });

      it('getAuthUrl: the same parameters, in the same order, the state naming the instance', () => {
        assert.deepEqual(ours.urls, reference.urls);
      });

      it('reassigned fields are honoured by the next getAuthUrl', () => {
        assert.deepEqual(ours.afterWrites, reference.afterWrites);
        assert.deepEqual(ours.noneWithoutRedirect, reference.noneWithoutRedirect);
      });

      it('openDialog: window.open with the same URL; the popup\'s name carries no secret', () => {
        const strip = (d) => d.map(({ name, ...rest }) => rest);
        // Both write the same parameters (the state's shape, not its per-flow id); the popup is
        // positioned differently (README: centred on the window and kept on screen).
        assert.deepEqual(strip(ours.dialog).map((d) => ({ ...d, features: d.features.sort() })), strip(reference.dialog).map((d) => ({ ...d, features: d.features.sort() })));
        assert.deepEqual(reference.dialog.map((d) => d.name), ['Connect your car', 'Connect your car']);
        assert.deepEqual(ours.dialog.map((d) => d.format), [true, true]);
        assert.deepEqual(ours.windowOptions, reference.windowOptions);
        assert.deepEqual(ours.windowOptions, [
          'top=10,left=20.5,width=500.7,height=600.5,', 'top=0,left=-0.5,width=100,height=1000,', 'top=10.4,left=7,width=100,height=1e+21,',
        ]);
        const { message, ...refused } = ours.windowOptionsString;
        assert.deepEqual(refused, { typeError: true, opened: 0 });
        assert.deepEqual({ ...reference.windowOptionsString, message: undefined }, { ...refused, message: undefined });
        assert.equal(message, 'The "windowOptions" option must be an object');
        assert.equal(reference.clickWindowOptionsString, 'added');
        assert.equal(ours.clickWindowOptionsString, message);
        for (const d of ours.dialog) {
          assert.match(d.name, /^smartcar-connect-[0-9a-f]{16}$/);
          assert.equal(d.nameHoldsTheInstanceId, false);
        }
      });

      it('messages from the redirect URI\'s origin: the same onComplete calls, argument for argument, `this` the instance', () => {
        assert.deepEqual(ours.ownOrigin, reference.ownOrigin);
        assert.equal(ours.ownOrigin.length, 10);
        for (const call of ours.ownOrigin) assert.deepEqual([call.self, call.count], [true, 6]);
        // Smartcar's hosted redirect page sends no virtualKeyUrl and no userId: undefined.
        assert.deepEqual(ours.ownOrigin[0].args, [null, 'c1', 's1', { undefined: true }, { undefined: true }, { undefined: true }]);
      });

      it('messages from another origin: ignored; from the redirect URI\'s new origin once reassigned: delivered', () => {
        assert.deepEqual(ours.wrongOrigin, []);
        assert.deepEqual(reference.wrongOrigin, []);
        assert.deepEqual(ours.frameOrigin, reference.frameOrigin);
        assert.equal(ours.frameOrigin.length, 1);
        assert.deepEqual(ours.ownOriginNowWrong, reference.ownOriginNowWrong);
        assert.deepEqual(ours.reassignedOnComplete, [true]);
        assert.deepEqual(reference.reassignedOnComplete, [true]);
      });

      it('listeners: added and removed with the same calls, arguments and `this`', () => {
        assert.deepEqual(ours.listeners, reference.listeners);
        assert.deepEqual(ours.listeners.map((c) => [c.on, c.name, c.count, c.listener]), [
          ['window', 'addEventListener', 2, 'messageHandler'], ['button', 'addEventListener', 2, 'the click listener'],
          ['window', 'removeEventListener', 2, 'messageHandler'], ['button', 'removeEventListener', 2, 'the click listener'],
        ]);
      });

      it('unmount stops delivery', () => {
        assert.deepEqual(ours.afterUnmount, []);
        assert.deepEqual(reference.afterUnmount, []);
      });

      it('methods called on a Proxy of the instance (Vue\'s reactive data) or on an object inheriting from it work', () => {
        assert.deepEqual(ours.proxied, reference.proxied);
        assert.equal(ours.proxied.length, 3);
        for (const result of ours.proxied) assert.ok(Array.isArray(result) && result[3] === true, JSON.stringify(result));
      });

      it('errors: the same classes and messages', () => {
        // The one difference: the reference crashes on `addClickHandler({})`'s missing targets
        // only after reading them; both throw its message.
        assert.deepEqual(ours.errors, reference.errors);
      });
    });

    group('what the SDK schedules', MISSING.oursCdn, () => {
      it('constructing, getAuthUrl (a getter calling it again included), results, errors and unmount schedule no timer and no microtask, as with the reference (Angular\'s zone runs change detection after each; test runners count them)', async () => {
        const page = await openSdkPage(ctx.browser, app, { sdk: 'both' });
        const r = await page.eval(() => {
          const scheduled = [];
          for (const name of ['setTimeout', 'setInterval', 'queueMicrotask', 'requestAnimationFrame']) {
            const original = window[name];
            window[name] = function (...args) {
              scheduled.push(name);
              return original.apply(this, args);
            };
          }
          const run = (SDK) => {
            scheduled.length = 0;
            const calls = [];
            const sc = new SDK({ applicationId: 'a', redirectUri: `${location.origin}/cb`, scope: ['read_odometer'], onComplete: (...args) => calls.push(args[1]) });
            for (let i = 0; i < 3; i++) sc.getAuthUrl({ state: `s${i}`, forcePrompt: true, vehicleInfo: { make: 'BMW' } });
            // A getter that calls the SDK again as it is read.
            sc.getAuthUrl({ get state() { return sc.getAuthUrl({ state: 'inner' }).length > 0 ? 'outer' : 'none'; } });
            try {
              sc.getAuthUrl({ vehicleInfo: 5 });
            } catch {
              // A TypeError in both.
            }
            const state = btoa(JSON.stringify({ instanceId: sc.instanceId, originalState: 'x' }));
            for (const code of ['c1', 'c2']) window.dispatchEvent(new MessageEvent('message', { origin: location.origin, data: { name: 'SmartcarAuthMessage', code, state } }));
            sc.unmount();
            return { calls, scheduled: [...scheduled] };
          };
          return { reference: run(window.RefSmartcar), ours: run(window.OurSmartcar) };
        });
        assert.deepEqual(r.reference, { calls: ['c1', 'c2'], scheduled: [] });
        assert.deepEqual(r.ours, r.reference);
      });
    });
  });
});
