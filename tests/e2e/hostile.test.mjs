// Values a page can hand the SDK that make JS throw inside the wasm's calls: each is an error
// (or an ignored message), never an exception unwinding through the wasm, whose frames would
// leave its stack pointer moved. Before, about 66 of them exhausted the 64 KB stack and every
// later call on the page failed with "memory access out of bounds". Each is repeated well past
// that, then the SDK must still work.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, group, openSdkPage, startRepoServer, MISSING } from '../support/harness.mjs';

const REPEAT = 300;

describe('hostile values', () => {
  let app;
  before(async () => { app = await startRepoServer(); });
  after(async () => { await app.close(); });

  forEachEngine((ctx) => {
    group('ours', MISSING.oursCdn, () => {
      let page;
      before(async () => { page = await openSdkPage(ctx.browser, app, { sdk: 'ours' }); });

      it(`revoked Proxies as options, scope items and reassigned fields, ${REPEAT} times each: errors, and the SDK keeps working`, async () => {
        const r = await page.eval((repeat) => {
          const base = { applicationId: 'a', redirectUri: 'https://app.example.com/cb', scope: ['read_odometer'], onComplete() {} };
          const { proxy, revoke } = Proxy.revocable({}, {});
          revoke();
          const sc = new window.Smartcar(base);
          const errors = new Set();
          const attempt = (call) => {
            try {
              call();
              errors.add('no error');
            } catch (e) {
              errors.add(e instanceof Error ? e.constructor.name : typeof e);
            }
          };
          for (let i = 0; i < repeat; i++) {
            attempt(() => new window.Smartcar(proxy));
            attempt(() => new window.Smartcar({ ...base, scope: [proxy] }));
            sc.scope = proxy;
            attempt(() => sc.getAuthUrl());
          }
          sc.scope = ['read_vehicle_info'];
          const url = new URL(sc.getAuthUrl({ state: 'after' }));
          const fresh = new window.Smartcar(base).getAuthUrl().startsWith('https://connect.smartcar.com/oauth/authorize?');
          sc.unmount();
          return { errors: [...errors].sort(), scope: url.searchParams.get('scope'), fresh };
        }, REPEAT);
        assert.deepEqual(r, { errors: ['TypeError'], scope: 'read_vehicle_info', fresh: true });
      });

      it(`an onComplete whose length getter throws, ${REPEAT} times: constructed, and the SDK keeps working`, async () => {
        const r = await page.eval((repeat) => {
          const onComplete = function (err, code) {};
          Object.defineProperty(onComplete, 'length', { get() { throw new Error('length'); } });
          let constructed = 0;
          for (let i = 0; i < repeat; i++) {
            new window.Smartcar({ applicationId: 'a', redirectUri: 'https://app.example.com/cb', onComplete }).unmount();
            constructed++;
          }
          const sc = new window.Smartcar({ applicationId: 'a', redirectUri: 'https://app.example.com/cb' });
          const ok = sc.getAuthUrl().startsWith('https://connect.smartcar.com/');
          sc.unmount();
          return { constructed, ok };
        }, REPEAT);
        assert.deepEqual(r, { constructed: REPEAT, ok: true });
      });

      it(`results whose console.debug or error description throws, ${REPEAT} times each: ignored, then a genuine one completes`, async () => {
        const r = await page.eval(async (repeat) => {
          const calls = [];
          const sc = new window.Smartcar({ applicationId: 'a', redirectUri: location.origin + '/cb', onComplete: (...args) => calls.push(args) });
          const state = (instanceId) => btoa(JSON.stringify({ instanceId, originalState: 'x' }));
          const post = (data) => window.dispatchEvent(new MessageEvent('message', { origin: location.origin, data }));
          const debug = console.debug;
          console.debug = 5; // a page that broke its console
          for (let i = 0; i < repeat; i++) post({ name: 'SmartcarAuthMessage', code: `other-${i}`, state: state('not-this-instance') });
          console.debug = debug;
          // A description that String() refuses (it survives postMessage): the reference throws
          // inside its listener; here it is ignored.
          for (let i = 0; i < repeat; i++) {
            post({ name: 'SmartcarAuthMessage', error: 'access_denied', errorDescription: { toString: 1 }, code: `hostile-${i}`, state: state(sc.instanceId) });
          }
          const hostileCalls = calls.length;
          post({ name: 'SmartcarAuthMessage', code: 'genuine', state: state(sc.instanceId) });
          sc.unmount();
          return { hostileCalls, last: calls.at(-1)?.slice(0, 3), url: sc.getAuthUrl().startsWith('https://connect.smartcar.com/') };
        }, REPEAT);
        assert.deepEqual(r, { hostileCalls: 0, last: [null, 'genuine', 'x'], url: true });
      });

      it('getters calling the SDK again, 1000 deep: the innermost calls are refused with an error, none traps, and the SDK keeps working', async () => {
        const r = await page.eval(() => {
          const base = { applicationId: 'a', redirectUri: 'https://app.example.com/cb', scope: ['read_odometer'], onComplete() {} };
          const sc = new window.Smartcar(base);
          const seen = new Set();
          const nest = (call) => {
            let depth = 0;
            const options = { get state() { if (depth++ < 1000) { try { call(options); } catch (e) { seen.add(`${e.constructor.name}: ${e.message.split(" (")[0]}`); } } return 's'; } };
            call(options);
            return depth;
          };
          const depths = [];
          for (let i = 0; i < 20; i++) {
            depths.push(nest((options) => sc.getAuthUrl(options)));
            // Through the constructor: its options' getter builds another instance.
            let depth = 0;
            const ctor = { ...base, get mode() { if (depth++ < 1000) { try { new window.Smartcar(ctor).unmount(); } catch (e) { seen.add(`${e.constructor.name}: ${e.message.split(" (")[0]}`); } } return 'live'; } };
            new window.Smartcar(ctor).unmount();
            depths.push(depth);
          }
          const url = new URL(sc.getAuthUrl({ state: 'after' }));
          sc.unmount();
          return { seen: [...seen], deepest: Math.max(...depths), shallowest: Math.min(...depths), scope: url.searchParams.get('scope') };
        });
        assert.deepEqual(r.seen, ["Error: Smartcar: calls nested too deep"]);
        // The refused call reads nothing, so the nesting stops where it was refused: dozens of
        // levels in, well before the wasm's stack runs out.
        assert.ok(r.shallowest >= 10 && r.deepest <= 200, JSON.stringify(r));
        assert.equal(r.scope, 'read_odometer');
      });

      it('lists of 1024 strings of 64 K characters as scope and flags: TypeErrors before anything is built, and the SDK keeps working', async () => {
        const r = await page.eval(() => {
          const huge = Array(1024).fill('\u20ac'.repeat(65536));
          const base = { applicationId: 'a', redirectUri: 'https://app.example.com/cb', scope: ['read_odometer'], onComplete() {} };
          const failure = (call) => {
            try {
              call();
              return 'no error';
            } catch (e) {
              return `${e.constructor.name}: ${e.message}`;
            }
          };
          const sc = new window.Smartcar(base);
          const started = performance.now();
          const out = { scope: failure(() => new window.Smartcar({ ...base, scope: huge })), flags: failure(() => sc.getAuthUrl({ flags: huge })) };
          sc.scope = huge;
          out.field = failure(() => sc.getAuthUrl());
          out.ms = performance.now() - started;
          sc.scope = ['read_odometer'];
          // The largest list accepted: 64 KB of text.
          out.largest = new URL(sc.getAuthUrl({ flags: Array(64).fill('f'.repeat(1023)) })).searchParams.get('flags').length;
          sc.unmount();
          return out;
        });
        const scope = 'TypeError: The "scope" option must be an array of strings (at most 1024, 64 KB in all)';
        assert.deepEqual({ ...r, ms: undefined }, { scope, flags: scope.replace('scope', 'flags'), field: scope, ms: undefined, largest: 64 * 1024 - 1 });
      });

      it('the page\'s own JS stack running out around SDK calls, thousands of times: none traps, and once that task is over the SDK works as before (a URL, a result delivered, a new instance)', async () => {
        const r = await page.eval(() => {
          const calls = [];
          const sc = new window.Smartcar({ applicationId: 'a', redirectUri: location.origin + '/cb', scope: ['read_vehicle_info'], mode: 'test', onComplete: (...args) => calls.push(args[1]) });
          window.__dived = sc;
          const state = btoa(JSON.stringify({ instanceId: sc.instanceId, originalState: 'x' }));
          const post = (code) => window.dispatchEvent(new MessageEvent('message', { origin: location.origin, data: { name: 'SmartcarAuthMessage', code, state } }));
          const seen = {};
          const errorsBefore = window.__errors.length;
          let left = 0;
          // On the way back from the JS stack's limit, every level calls the SDK with a little
          // more stack than the one below it: the first ones run out inside it, each at another
          // point (in the face, the glue, a JS function the module calls, the module's entry).
          const dive = () => {
            try {
              dive();
            } catch {
              // The limit.
            }
            if (left-- > 0) {
              try {
                sc.getAuthUrl({ state: 'x', vehicleInfo: { make: 'BMW' } });
                post(`c${left}`);
                seen.ok = (seen.ok ?? 0) + 1;
              } catch (e) {
                const message = String(e && e.message);
                const kind = /out of bounds|unreachable|nested too deep|out of js stack/i.test(message) ? message : 'the stack ran out';
                seen[kind] = (seen[kind] ?? 0) + 1;
              }
            }
          };
          for (let round = 0; round < 5; round++) {
            left = 1500;
            dive();
          }
          // The page's listener can run out of stack inside dispatchEvent, which reports that
          // as an uncaught error of the page: the page's own, not the SDK's.
          const reported = window.__errors.splice(errorsBefore);
          const others = reported.filter((e) => !/call stack|too much recursion/i.test(e));
          return { seen, delivered: calls.length, others };
        });
        assert.deepEqual(r.others, [], 'no other uncaught errors');
        // Within the task the stack ran out in, a call may be refused with the nesting error (see
        // js/guard.js); never a trap, nor the glue's own stack exhausted. Once the task is over,
        // the SDK works as before.
        const traps = Object.keys(r.seen).filter((k) => /out of bounds|unreachable|out of js stack/i.test(k));
        assert.deepEqual(traps, [], JSON.stringify(r.seen));
        assert.ok(r.seen['the stack ran out'] >= 20, `the stack ran out inside the SDK only ${r.seen['the stack ran out']} times`);
        assert.ok(r.delivered > 100, `${r.delivered} results delivered during the dives`);
        const after = await page.eval(async () => {
          // A later task: the timers set meanwhile have run.
          await new Promise((resolve) => setTimeout(resolve, 20));
          const calls = [];
          const sc = window.__dived;
          sc.onComplete = (...args) => calls.push(args[1]);
          const state = btoa(JSON.stringify({ instanceId: sc.instanceId, originalState: 'x' }));
          const post = (code) => window.dispatchEvent(new MessageEvent('message', { origin: location.origin, data: { name: 'SmartcarAuthMessage', code, state } }));
          calls.length = 0;
          const url = new URL(sc.getAuthUrl({ state: 'after' }));
          post('after');
          const other = new window.Smartcar({ applicationId: 'b', redirectUri: location.origin + '/cb' });
          other.unmount();
          sc.unmount();
          return [url.searchParams.get('application_id'), JSON.parse(atob(url.searchParams.get('state'))).originalState, calls];
        });
        assert.deepEqual(after, ['a', 'after', ['after']]);
      });

      it('a code that is not a string: ignored, so it cannot replay a delivered code; a new one completes', async () => {
        const r = await page.eval(() => {
          const calls = [];
          const sc = new window.Smartcar({ applicationId: 'a', redirectUri: location.origin + '/cb', onComplete: (...args) => calls.push(args.slice(0, 2)) });
          const state = btoa(JSON.stringify({ instanceId: sc.instanceId }));
          const post = (code) => window.dispatchEvent(new MessageEvent('message', { origin: location.origin, data: { name: 'SmartcarAuthMessage', code, state } }));
          post('c1');
          for (const code of [['c1'], { toString: () => 'c1' }, 1, true]) post(code);
          post('c1');
          post(null);
          post('c2');
          sc.unmount();
          return calls;
        });
        assert.deepEqual(r, [[null, 'c1'], [null, null], [null, 'c2']]);
      });

      it('a polluted Object.prototype.connectUrl (before or after construction, or of another realm) or Smartcar.prototype.connectUrl does not move Connect; an own or inherited one does', async () => {
        const r = await page.eval(() => {
          const base = { applicationId: 'a', redirectUri: 'https://app.example.com/cb' };
          const origin = (sc) => new URL(sc.getAuthUrl()).origin;
          const before = new window.Smartcar(base);
          Object.prototype.connectUrl = 'https://evil.example';
          const out = {};
          try {
            const after = new window.Smartcar(base);
            out.before = origin(before);
            out.after = origin(after);
            out.field = Object.prototype.hasOwnProperty.call(after, 'connectUrl');
            // Messages: without a redirect URI they are expected from Connect's origin, not the
            // polluted one.
            const calls = [];
            const bare = new window.Smartcar({ applicationId: 'a', onComplete: (e, code) => calls.push(code) });
            const state = btoa(JSON.stringify({ instanceId: bare.instanceId }));
            bare.messageHandler({ origin: 'https://evil.example', data: { name: 'SmartcarAuthMessage', code: 'evil', state } });
            bare.messageHandler({ origin: 'https://connect.smartcar.com', data: { name: 'SmartcarAuthMessage', code: 'genuine', state } });
            out.calls = calls;
            [before, after, bare].forEach((sc) => sc.unmount());
          } finally {
            delete Object.prototype.connectUrl;
          }
          // With `constructor` polluted too (a check that trusted it would not know
          // Object.prototype any more).
          const constructor = Object.prototype.constructor;
          Object.prototype.connectUrl = 'https://evil.example';
          Object.prototype.constructor = { prototype: {} };
          try {
            const sc = new window.Smartcar({ ...base });
            out.constructorToo = origin(sc);
            sc.unmount();
          } finally {
            Object.prototype.constructor = constructor;
            delete Object.prototype.connectUrl;
          }
          // Smartcar.prototype (a deep merge into an instance reaches it through __proto__), and
          // Object.prototype of another realm, for options made there.
          const frame = document.body.appendChild(document.createElement('iframe'));
          const Foreign = frame.contentWindow.Object;
          window.Smartcar.prototype.connectUrl = 'https://evil.example';
          Foreign.prototype.connectUrl = 'https://evil.example';
          try {
            const merged = new window.Smartcar(base);
            const foreign = new window.Smartcar(Object.assign(new Foreign(), base));
            out.classPrototype = origin(merged);
            out.otherRealm = origin(foreign);
            merged.unmount();
            foreign.unmount();
          } finally {
            delete window.Smartcar.prototype.connectUrl;
            delete Foreign.prototype.connectUrl;
            frame.remove();
          }
          // The option itself, given or inherited from an options object of the app's, works.
          const given = new window.Smartcar({ ...base, connectUrl: 'http://127.0.0.1:9' });
          const inherited = new window.Smartcar(Object.assign(Object.create({ connectUrl: 'http://127.0.0.1:8' }), base));
          out.given = origin(given);
          out.inherited = origin(inherited);
          given.unmount();
          inherited.unmount();
          return out;
        });
        assert.deepEqual(r, {
          before: 'https://connect.smartcar.com', after: 'https://connect.smartcar.com', field: false, calls: ['genuine'],
          classPrototype: 'https://connect.smartcar.com', otherRealm: 'https://connect.smartcar.com', constructorToo: 'https://connect.smartcar.com',
          given: 'http://127.0.0.1:9', inherited: 'http://127.0.0.1:8',
        });
      });

      it('no uncaught errors in the page', async () => {
        assert.deepEqual(await page.eval(() => window.__errors), []);
      });
    });
  });
});
