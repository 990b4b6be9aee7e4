// The npm package where many apps' unit tests run it: Jest's jsdom environment (jsdom 26.1,
// the version jest-environment-jsdom 30 brings), which has no TextDecoder, TextEncoder or
// BroadcastChannel. The built dist/npm/index.cjs runs inside a jsdom window as Jest runs a test
// file (the window is the global object), next to the reference, with the calls the reference's
// own unit tests make: construction, getAuthUrl, messageHandler with a plain event object,
// openDialog and addClickHandler with a mocked window.open, unmount. No browser: Node only.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { JSDOM } from 'jsdom';
import { DIST } from '../support/harness.mjs';
import { REPO_ROOT } from '../support/server.mjs';
import { Utf8Decoder, Utf8Encoder } from '../../js/text-codec.js';

const OURS = path.join(DIST, 'npm/index.cjs');
const REFERENCE = path.join(REPO_ROOT, 'node_modules/@smartcar/auth/dist/npm/sdk.js');
const APP = 'https://app.example.com';

/** A jsdom window at the app's origin, with `require(file)` run in it as Jest runs modules. */
function jsdomWith(files) {
  const dom = new JSDOM('<!doctype html><body><button id="connect">Connect</button><button class="car">Car</button></body>', { url: `${APP}/`, runScripts: 'outside-only' });
  const context = dom.getInternalVMContext();
  const load = (file) => {
    const module = { exports: {} };
    vm.runInContext(`(function (module, exports) {${readFileSync(file, 'utf8')}\n})`, context, { filename: file })(module, module.exports);
    return module.exports;
  };
  return { window: dom.window, loaded: files.map(load), run: (source) => vm.runInContext(source, context) };
}

describe('in Jest\'s jsdom environment', { skip: !existsSync(OURS) && `${OURS} is not built` }, () => {
  let env;
  before(() => { env = jsdomWith([OURS, REFERENCE]); });

  it('require() loads without the Encoding API, as the reference does, and is the class', () => {
    const { window, loaded: [Ours, Reference] } = env;
    assert.equal(typeof window.TextDecoder, 'undefined', 'the environment under test has no TextDecoder');
    assert.equal(typeof window.TextEncoder, 'undefined');
    assert.equal(typeof window.BroadcastChannel, 'undefined');
    assert.equal(typeof Ours, 'function');
    assert.equal(typeof Reference, 'function');
    assert.equal(Ours.name, 'Smartcar');
  });

  it('getAuthUrl: the reference\'s URL, byte for byte, for the calls of the reference\'s unit tests', () => {
    const { loaded: [Ours, Reference] } = env;
    const options = { clientId: 'clientId', redirectUri: 'https://smartcar.com', scope: ['read_vehicle_info', 'read_odometer'], onComplete() {}, mode: 'live' };
    const ours = new Ours(options);
    const reference = new Reference(options);
    reference.instanceId = ours.instanceId;
    for (const call of [
      undefined,
      { state: 'foobarbaz', forcePrompt: true, vehicleInfo: { make: 'TESLA' }, singleSelect: true },
      { state: 'foobarbaz', forcePrompt: true, vehicleInfo: { make: 'TESLA' }, singleSelect: { pizza: '12345', vin: 'vin' } },
      { state: 'foobarbaz', forcePrompt: true, flags: ['country:DE', 'flag:suboption'] },
    ]) {
      assert.equal(ours.getAuthUrl(call).replace(/%2B/g, '+'), reference.getAuthUrl(call));
    }
    // Text outside ASCII crosses into the module and back through the fallback codec.
    const url = new URL(ours.getAuthUrl({ state: 'é 日本 😀', user: 'ü' }));
    assert.equal(JSON.parse(atob(url.searchParams.get('state'))).originalState, 'é 日本 😀');
    assert.equal(url.searchParams.get('user'), 'ü');
    ours.unmount();
    reference.unmount();
  });

  it('messageHandler with a plain event object: onComplete gets the reference\'s arguments (a code; an error whose text is not ASCII)', () => {
    const { loaded: [Ours, Reference] } = env;
    const got = [];
    for (const SDK of [Ours, Reference]) {
      const calls = [];
      const sc = new SDK({ applicationId: 'a', redirectUri: 'https://selfhosted.com/cb', onComplete: (...args) => calls.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : a))) });
      const state = btoa(JSON.stringify({ instanceId: sc.instanceId, originalState: 'some-state' }));
      sc.messageHandler({ data: { name: 'SmartcarAuthMessage', isSmartcarHosted: false, code: 'super-secret-code', error: null, state }, origin: 'https://selfhosted.com' });
      sc.messageHandler({ data: { name: 'SmartcarAuthMessage', isSmartcarHosted: false, code: null, error: 'étrange_😀', errorDescription: 'détails 日本', state }, origin: 'https://selfhosted.com' });
      sc.messageHandler({ data: { name: 'SmartcarAuthMessage', code: 'other', state }, origin: 'https://some-other-url.com' });
      sc.unmount();
      got.push(calls);
    }
    assert.equal(got[0].length, 2);
    assert.deepEqual(got[0], got[1]);
  });

  it('openDialog and a click with a mocked window.open (the redirect URI on the page\'s origin, where no BroadcastChannel exists): open the popup, throw nothing', () => {
    const { window, loaded: [Ours] } = env;
    const opened = [];
    const open = window.open;
    window.open = (...args) => { opened.push(args); return { closed: false, close() {}, focus() {} }; };
    try {
      const sc = new Ours({ applicationId: 'a', redirectUri: `${APP}/callback`, scope: ['read_odometer'], onComplete() {} });
      sc.openDialog({ state: 'x' });
      sc.addClickHandler({ id: 'connect', selector: '.car', state: 'y' });
      window.document.getElementById('connect').click();
      window.document.querySelector('.car').click();
      sc.unmount();
      window.document.getElementById('connect').click();
      assert.equal(opened.length, 3, 'once for openDialog and once per click, none after unmount');
      for (const [url, , features] of opened) {
        assert.equal(new URL(url).searchParams.get('application_id'), 'a');
        assert.match(features, /^top=[0-9.]+,left=[0-9.]+,width=[0-9.]+,height=[0-9.]+,$/);
      }
    } finally {
      window.open = open;
    }
  });

  it('unmount removes the listener it added, with the reference\'s arguments (spied as its tests spy)', () => {
    const { window, loaded: [Ours] } = env;
    const calls = [];
    const [add, remove] = [window.addEventListener, window.removeEventListener];
    window.addEventListener = (...args) => { calls.push(['add', ...args]); return add.apply(window, args); };
    window.removeEventListener = (...args) => { calls.push(['remove', ...args]); return remove.apply(window, args); };
    try {
      const sc = new Ours({ applicationId: 'a', redirectUri: 'https://smartcar.com' });
      sc.unmount();
      assert.deepEqual(calls, [['add', 'message', sc.messageHandler], ['remove', 'message', sc.messageHandler]]);
    } finally {
      [window.addEventListener, window.removeEventListener] = [add, remove];
    }
  });
});

describe('the fallback Encoding API (js/text-codec.js)', () => {
  it('encodes and decodes as the platform\'s TextEncoder and TextDecoder do: 2,000 random strings, lone surrogates, short buffers', () => {
    const [decoder, encoder] = [new Utf8Decoder(), new Utf8Encoder()];
    const [platformDecoder, platformEncoder] = [new TextDecoder('utf-8', { ignoreBOM: true }), new TextEncoder()];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const texts = ['', 'abc', '\uFEFFbom', 'a\uD800b', '\uDC00', 'x\uDBFF\uDFFFy', String.fromCodePoint(0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0x10000, 0x10ffff)];
    for (let i = 0; i < 2000; i++) texts.push(Array.from({ length: 1 + (i % 9) }, () => String.fromCharCode(Math.floor(random() * 0x10000))).join(''));
    for (const text of texts) {
      const bytes = platformEncoder.encode(text);
      assert.deepEqual(encoder.encode(text), bytes, JSON.stringify(text));
      assert.equal(decoder.decode(bytes), platformDecoder.decode(bytes), JSON.stringify(text));
      for (let room = 0; room < 12; room++) {
        const [ours, platform] = [new Uint8Array(room), new Uint8Array(room)];
        assert.deepEqual(encoder.encodeInto(text, ours), platformEncoder.encodeInto(text, platform), `${JSON.stringify(text)} into ${room} bytes`);
        assert.deepEqual(ours, platform);
      }
    }
    assert.equal(decoder.decode(), '');
  });
});
