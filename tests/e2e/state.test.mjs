// The state codec as it ships: js/state.js, the browser's own JSON, btoa and atob (the only
// codec there is; see README's design notes). Property tests and fuzzing with a seeded PRNG
// (SEED, or a fixed one), in every engine of E2E_BROWSERS, run in the page itself:
//   - round trip: any id and any JSON value (Unicode, astral, lone surrogates, nesting) come
//     back as they went, also after form decoding turned `+` into spaces;
//   - the wire format is the reference's: for ASCII values the bytes are exactly
//     `btoa(JSON.stringify({instanceId, originalState}))`, and the reference's reader
//     (`JSON.parse(atob(state))`) reads every state this codec writes;
//   - everything the reference writes (Latin-1 included) is read back as the reference reads
//     it: one character per byte;
//   - fuzzing: random text, random bytes, mutated and truncated states, other JSON shapes and
//     non-strings never throw, and give `null` or `[a string id, a value]` that agrees with
//     the JSON inside;
//   - through the shipped SDK: the state in getAuthUrl's URL decodes to [instanceId, state],
//     and random states posted back reach onComplete as they were sent; the longest state
//     comes back, and a longer one is a TypeError where it is given.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, openSdkPage, startRepoServer, MISSING } from '../support/harness.mjs';

const SEED = Number(process.env.SEED ?? 0x5eed);
const CASES = 3000;
/** The longest `state` parameter the SDK sends and reads back (src/state.rs `MAX_STATE`). */
const MAX_STATE = 16384;

/** Runs in the page: the generators and the properties. Returns the failures (at most 5). */
function properties([seed, cases, max]) {
  return import('/js/state.js').then(({ encodeState, decodeState: decodeAtMost }) => {
    const decodeState = (state) => decodeAtMost(state, max);
    let s = seed >>> 0;
    const rand = () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n) => Math.floor(rand() * n);
    const pick = (list) => list[int(list.length)];
    const char = () => pick([
      () => String.fromCharCode(32 + int(95)), // printable ASCII
      () => pick(['"', '\\', '/', '+', '=', ' ', '\n', '\t', '\u0000']),
      () => String.fromCharCode(0x80 + int(0x80)), // Latin-1
      () => String.fromCharCode(0x100 + int(0xd700)), // the BMP below the surrogates
      () => String.fromCodePoint(0x10000 + int(0xfffff)), // astral
      () => String.fromCharCode(0xd800 + int(0x800)), // a lone surrogate
    ])();
    const text = (max = 12, only = char) => Array.from({ length: int(max) }, only).join('');
    const ascii = () => String.fromCharCode(32 + int(95));
    const json = (depth = 0, c = char) => pick([
      () => null, () => rand() < 0.5, () => int(2e9) - 1e9, () => rand() * 1e6, () => text(12, c),
      () => (depth > 3 ? 'leaf' : Array.from({ length: int(4) }, () => json(depth + 1, c))),
      () => (depth > 3 ? 0 : Object.fromEntries(Array.from({ length: int(4) }, () => [text(6, c), json(depth + 1, c)]))),
    ])();
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const failures = [];
    const check = (ok, what) => { if (!ok && failures.length < 5) failures.push(what); };
    const looksDecoded = (r) => r === null || (Array.isArray(r) && r.length === 2 && typeof r[0] === 'string');

    for (let i = 0; i < cases; i++) {
      // Round trip, any Unicode.
      const id = rand() < 0.5 ? text(40, () => '0123456789abcdef'[int(16)]) : text(20);
      const state = rand() < 0.1 ? undefined : json();
      const encoded = encodeState(id, state);
      const expected = [id, state === undefined ? undefined : JSON.parse(JSON.stringify(state))];
      check(/^[A-Za-z0-9+/]*={0,2}$/.test(encoded), `not base64: ${encoded}`);
      check(same(decodeState(encoded), expected) && decodeState(encoded)[1] === undefined === (state === undefined), `round trip of ${JSON.stringify([id, state])}`);
      check(same(decodeState(encoded.replace(/\+/g, ' ')), expected), `after form decoding: ${JSON.stringify([id, state])}`);
      // Leading whitespace, which the reference's atob drops.
      check(same(decodeState(`${pick([' ', '  ', '\n', '\t '])}${encoded}`), expected), `after leading whitespace: ${JSON.stringify([id, state])}`);
      // The reference's reader reads it.
      check(same(JSON.parse(atob(encoded)), { instanceId: id, originalState: state }), `the reference's reader on ${JSON.stringify([id, state])}`);

      // The reference's writer: exactly the same bytes wherever its btoa takes the JSON (ASCII,
      // and Latin-1), read back the same.
      const asciiId = text(20, ascii);
      const asciiState = json(0, ascii);
      const reference = btoa(JSON.stringify({ instanceId: asciiId, originalState: asciiState }));
      check(encodeState(asciiId, asciiState) === reference, `not the reference's bytes for ${JSON.stringify([asciiId, asciiState])}`);
      const latin1 = json(0, () => String.fromCharCode(int(256)));
      const referenceLatin1 = btoa(JSON.stringify({ instanceId: asciiId, originalState: latin1 }));
      check(encodeState(asciiId, latin1) === referenceLatin1, `not the reference's bytes for the Latin-1 state ${JSON.stringify(latin1)}`);
      check(same(decodeState(referenceLatin1), [asciiId, latin1]), `the reference's Latin-1 state ${JSON.stringify(latin1)}`);
      // Bytes past ASCII are characters, one per byte, as the reference's reader has them
      // (UTF-8 that happens to be valid stays Latin-1 text).
      const utf8 = btoa(Array.from(new TextEncoder().encode(JSON.stringify({ instanceId: asciiId, originalState: 'é' })), (b) => String.fromCharCode(b)).join(''));
      check(same(decodeState(utf8), [asciiId, '\u00c3\u00a9']), 'UTF-8 bytes read as Latin-1');

      // Fuzzing: never a throw; null, or what the JSON inside says.
      const candidates = [
        text(60, () => pick(['A', 'z', '0', '+', '/', '=', ' ', '-', '_', char()])),
        btoa(Array.from({ length: int(80) }, () => String.fromCharCode(int(256))).join('')),
        btoa(JSON.stringify(pick([json(0, ascii), [asciiId], { instanceId: int(10) }, { instanceid: asciiId }, { instanceId: asciiId, originalState: asciiState }]))),
        encoded.slice(0, int(encoded.length + 1)),
        encoded.slice(0, int(encoded.length)) + char() + encoded.slice(int(encoded.length)),
      ];
      for (const candidate of candidates) {
        let result;
        try {
          result = decodeState(candidate);
        } catch (e) {
          check(false, `threw ${e} on ${JSON.stringify(candidate)}`);
          continue;
        }
        check(looksDecoded(result), `odd result ${JSON.stringify(result)} for ${JSON.stringify(candidate)}`);
        if (result) {
          const inner = JSON.parse(atob(candidate.replace(/^[\t\n\f\r ]+/, '').replace(/ /g, '+')));
          check(inner.instanceId === result[0] && same(inner.originalState, result[1]), `disagrees with its JSON: ${JSON.stringify(candidate)}`);
        }
      }
    }
    // Values that are not strings, and a string past the limit.
    const hostile = { toString() { throw new Error('no'); } };
    // The longest state is read; one character more is not.
    let n = Math.floor((max * 3) / 4);
    while (encodeState('i', 'x'.repeat(n)).length > max) n--;
    check(same(decodeState(encodeState('i', 'x'.repeat(n))), ['i', 'x'.repeat(n)]), 'the longest state');
    check(decodeState(encodeState('i', 'x'.repeat(n + 1))) === null, 'a state past the limit');
    for (const v of [undefined, null, 5, {}, [], hostile, Symbol('s'), 10n, 'x'.repeat(max + 1)]) {
      let result;
      try { result = decodeState(v); } catch (e) { result = `threw ${e}`; }
      check(result === null, `${typeof v}: ${String(result)}`);
    }
    return failures;
  });
}

/** Through the shipped SDK: the URL's state and states posted back to onComplete. */
function throughTheSdk([seed, cases, max]) {
  return import('/js/state.js').then(({ encodeState, decodeState: decodeAtMost }) => {
    const decodeState = (state) => decodeAtMost(state, max);
    let s = seed >>> 0;
    const rand = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
    const values = Array.from({ length: cases }, (_, i) => [
      'plain', `ünïcödé ${i} 🚗`, { next: '/garage', n: i, deep: [[{ a: null }]] }, [1, 'two', false], 0, rand() * 1e9, '\ud800 lone', '',
    ][i % 8]);
    const failures = [];
    const got = [];
    const sc = new Smartcar({ applicationId: 'app', redirectUri: `${location.origin}/redirect`, scope: ['read_vehicle_info'], mode: 'test', onComplete: (e, code, state) => got.push(state) });
    values.forEach((v, i) => {
      const state = new URL(sc.getAuthUrl({ state: v })).searchParams.get('state');
      const decoded = decodeState(state);
      // A falsy state is not sent, as the reference's `if (options.state)`.
      if (!decoded || decoded[0] !== sc.instanceId || JSON.stringify(decoded[1]) !== JSON.stringify(v || undefined)) failures.push(`getAuthUrl state for ${JSON.stringify(v)}`);
      dispatchEvent(new MessageEvent('message', { origin: location.origin, data: { name: 'SmartcarAuthMessage', code: `c${i}`, state: encodeState(sc.instanceId, v) } }));
    });
    if (JSON.stringify(got) !== JSON.stringify(values)) failures.push(`onComplete got ${JSON.stringify(got).slice(0, 200)}`);
    // The longest state the SDK sends comes back; a longer one is refused where it is given,
    // not sent to be dropped on its way back.
    let n = Math.floor((max * 3) / 4);
    while (encodeState(sc.instanceId, 'x'.repeat(n)).length > max) n--;
    const longest = 'x'.repeat(n);
    got.length = 0;
    dispatchEvent(new MessageEvent('message', { origin: location.origin, data: { name: 'SmartcarAuthMessage', code: 'long', state: new URL(sc.getAuthUrl({ state: longest })).searchParams.get('state') } }));
    if (got[0] !== longest) failures.push(`the longest state (${n} characters) did not come back`);
    for (const call of [() => sc.getAuthUrl({ state: `${longest}x` }), () => sc.openDialog({ state: `${longest}x` })]) {
      try {
        call();
        failures.push(`a state of ${n + 1} characters was accepted`);
      } catch (e) {
        if (!(e instanceof TypeError) || !/"state" option is too long/.test(e.message)) failures.push(`a long state: ${e}`);
      }
    }
    sc.unmount();
    return failures.slice(0, 5);
  });
}

let server;
before(async () => { server = await startRepoServer(); });
after(async () => { await server?.close(); });

forEachEngine((ctx) => {
  it(`the codec's properties, and fuzzing (${CASES} cases, seed ${SEED})`, async () => {
    const page = await openSdkPage(ctx.browser, server, { sdk: 'none' });
    assert.deepEqual(await page.eval(properties, [SEED, CASES, MAX_STATE]), []);
  });

  it('through the shipped SDK: getAuthUrl writes it, onComplete gets back what was sent', { skip: MISSING.oursCdn }, async () => {
    const page = await openSdkPage(ctx.browser, server, { sdk: 'ours' });
    assert.deepEqual(await page.eval(throughTheSdk, [SEED, 64, MAX_STATE]), []);
  });
});
