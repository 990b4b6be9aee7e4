// `connect()`: a Promise per flow that always settles, exactly once, whatever happens to the
// popup. Real clicks, real popups, a fake Connect on a second origin that either answers at
// once or waits for the test (the user taking their time), and the real redirect page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntil } from '../support/browser.mjs';
import { forEachEngine, group, openSdkPage, startRepoServer, MISSING, sleep } from '../support/harness.mjs';

/**
 * A fake Connect. With `answer`, it sends the popup straight on to `redirect_uri` with those
 * parameters and the `state` it was given; without, it waits for the test to call
 * `window.answer(params)`, like a user who is still logging in.
 */
const fakeConnect = (answer) => `<!doctype html><meta charset="utf-8"><title>fake Connect</title>
<p>Log in to your car's account</p>
<script>
  window.answer = (params) => {
    const q = new URLSearchParams(location.search);
    const to = new URL(q.get('redirect_uri'));
    for (const [k, v] of Object.entries(params)) to.searchParams.append(k, v);
    to.searchParams.append('state', q.get('state'));
    location.replace(to.href);
  };
  // The result posted to the opener from this window (on the redirect page's origin) as the
  // redirect page posts it (to its app_origin), without leaving: the popup stays where it is.
  window.post = (params) => {
    const q = new URLSearchParams(location.search);
    opener.postMessage({ name: 'SmartcarAuthMessage', isSmartcarHosted: false, code: null, error: null, errorDescription: null, ...params, state: q.get('state') }, new URL(q.get('redirect_uri')).searchParams.get('app_origin'));
    return true;
  };
  const now = ${JSON.stringify(answer ?? null)};
  if (now) window.answer(now);
</script>`;

/**
 * In the app page: counts the timers and listeners the page holds (the SDK reaches them
 * through the same globals), creates the instance, and makes #connect call `connect()` with
 * `window.options`, recording how each flow settled in `window.settled`.
 */
function setup({ redirectUri, connectUrl }) {
  const live = (window.live = { timers: new Set(), listeners: 0 });
  const { setTimeout: st, setInterval: si, clearTimeout: ct, clearInterval: ci } = window;
  window.setTimeout = (f, ms, ...a) => { const id = st.call(window, (...b) => { live.timers.delete(id); f(...b); }, ms, ...a); live.timers.add(id); return id; };
  window.setInterval = (f, ms, ...a) => { const id = si.call(window, f, ms, ...a); live.timers.add(id); return id; };
  window.clearTimeout = (id) => { live.timers.delete(id); ct.call(window, id); };
  window.clearInterval = (id) => { live.timers.delete(id); ci.call(window, id); };
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  // A listener added with a signal goes when the signal aborts.
  EventTarget.prototype.addEventListener = function (...a) {
    live.listeners++;
    const signal = a[2] && a[2].signal;
    if (signal) add.call(signal, 'abort', () => { live.listeners--; }, { once: true });
    return add.apply(this, a);
  };
  EventTarget.prototype.removeEventListener = function (...a) { live.listeners--; return remove.apply(this, a); };

  const S = window.Smartcar;
  window.describeError = (e) => ({
    name: e && e.name, message: e && e.message, isError: e instanceof Error,
    classes: ['AccessDenied', 'InvalidSubscription', 'VehicleIncompatible', 'PopupBlocked', 'PopupClosed', 'Timeout', 'InteractionInProgress']
      .filter((k) => typeof S[k] === 'function' && e instanceof S[k]),
  });
  window.settled = [];
  window.options = {};
  window.sc = new S({ applicationId: 'app', redirectUri, onComplete: window.__onComplete, connectUrl });
  document.getElementById('connect').addEventListener('click', () => {
    window.sc.connect(window.options).then(
      (result) => window.settled.push({ result }),
      (error) => window.settled.push({ error: window.describeError(error) }),
    );
  });
  live.baseline = live.listeners; // the instance's own, and the button's
  return true;
}

describe('connect() lifecycle', () => {
  let app, connect;
  let answer = null; // what the fake Connect answers at once; null: it waits for the test
  before(async () => {
    app = await startRepoServer();
    connect = await startRepoServer();
    connect.route('/oauth/authorize', () => ({ body: fakeConnect(answer) }));
  });
  after(async () => { await Promise.all([app.close(), connect.close()]); });

  forEachEngine((ctx) => {
    group('ours', MISSING.oursCdn || MISSING.redirect, () => {
      let page;
      const redirectPage = () => `${connect.origin}/dist/cdn/redirect.html?app_origin=${app.origin}`;
      const open = async ({ redirectUri = redirectPage(), body = '', options, query } = {}) => {
        page = await openSdkPage(ctx.browser, app, { sdk: 'ours', body: `<button id="connect">Connect your car</button>${body}`, query });
        await page.eval(setup, { redirectUri, connectUrl: connect.origin });
        if (options) await page.eval((o) => { window.options = o; }, options);
      };
      /** The first `n` settlements (bounded). */
      const settled = async (n = 1, timeout = 6000) => {
        await page.waitFor((k) => window.settled.length >= k, n, { timeout });
        return page.eval(() => window.settled);
      };
      const calls = () => page.eval(() => window.__calls);
      const windows = () => page.windowCount();
      const clickOpensPopup = async () => {
        const popup = page.waitForPopup({ timeout: 5000 });
        await page.click('#connect');
        return popup;
      };
      /** Nothing the flows created is still alive on the page. */
      const released = async () => {
        await sleep(100);
        const live = await page.eval(() => ({ timers: window.live.timers.size, listeners: window.live.listeners - window.live.baseline }));
        assert.deepEqual(live, { timers: 0, listeners: 0 }, 'every timer and listener of the flow is released');
      };

      it('resolves with the result; onComplete is still called once', async () => {
        answer = { code: 'code-1', user_id: 'user-1', external_id: 'ext-1' };
        await open({ options: { state: 'st' } });
        await page.click('#connect');
        const [only] = await settled();
        assert.deepEqual(only, { result: { code: 'code-1', state: 'st', virtualKeyUrl: null, userId: 'user-1', externalId: 'ext-1' } });
        await sleep(300);
        assert.equal((await calls()).length, 1);
        assert.equal((await page.eval(() => window.settled)).length, 1, 'settled once');
        await waitUntil(async () => (await windows()) === 1, 'the popup to close', 5000);
        await released();
      });

      it('a Connect error rejects with its typed error', async () => {
        answer = { error: 'access_denied', error_description: 'User denied access' };
        await open();
        await page.click('#connect');
        const [{ error }] = await settled();
        assert.deepEqual(error, { name: 'AccessDenied', message: 'User denied access', isError: true, classes: ['AccessDenied'] });
        assert.equal((await calls()).length, 1, 'onComplete got the error too');
      });

      it('succeeds after a slow user', async () => {
        answer = null;
        await open();
        const popup = await clickOpensPopup();
        await sleep(1500); // several polls of popup.closed: an open popup is not "closed"
        assert.deepEqual(await page.eval(() => window.settled), []);
        await popup.eval((params) => window.answer(params), { code: 'slow-code' });
        const [only] = await settled();
        assert.equal(only.result?.code, 'slow-code');
        await released();
      });

      it('the user closing the popup rejects with PopupClosed', async () => {
        answer = null;
        await open();
        const popup = await clickOpensPopup();
        await popup.eval(() => { setTimeout(() => window.close(), 0); return true; });
        const started = Date.now();
        const [{ error }] = await settled(1, 8000);
        assert.deepEqual(error, {
          name: 'PopupClosed', message: 'The Connect popup was closed before Connect finished.', isError: true, classes: ['PopupClosed'],
        });
        assert.ok(Date.now() - started >= 2500, 'only after the grace period');
        assert.deepEqual(await calls(), [], 'onComplete is for Connect results only');
        await released();
      });

      it('the user closing the popup, then clicking again within the grace period: the first flow rejects with PopupClosed, the second goes on', async () => {
        answer = null;
        await open();
        const first = await clickOpensPopup();
        await first.eval(() => { setTimeout(() => window.close(), 0); return true; });
        await first.waitClosed({ timeout: 5000 });
        const second = await clickOpensPopup();
        const [{ error }] = await settled(1, 2000);
        assert.equal(error.name, 'PopupClosed', JSON.stringify(error));
        await second.eval((params) => window.answer(params), { code: 'second-code' });
        const [, then] = await settled(2);
        assert.equal(then.result?.code, 'second-code');
        await released();
      });

      it('times out with Timeout and closes the popup', async () => {
        answer = null;
        await open({ options: { timeout: 700 } });
        await clickOpensPopup();
        const [{ error }] = await settled();
        assert.deepEqual(error, { name: 'Timeout', message: 'Connect did not finish within 700 ms.', isError: true, classes: ['Timeout'] });
        await waitUntil(async () => (await windows()) === 1, 'the SDK to close the popup', 5000);
        await released();
      });

      it('an AbortSignal rejects with its reason and closes the popup', async () => {
        answer = null;
        await open();
        await page.eval(() => { window.controller = new AbortController(); window.options = { signal: window.controller.signal }; });
        await clickOpensPopup();
        await page.eval(() => window.controller.abort());
        const [{ error }] = await settled();
        assert.equal(error.name, 'AbortError');
        assert.deepEqual(error.classes, []);
        await waitUntil(async () => (await windows()) === 1, 'the SDK to close the popup', 5000);
        await released();
        // An already aborted signal rejects at once, without a popup.
        await page.click('#connect');
        const [, second] = await settled(2);
        assert.equal(second.error.name, 'AbortError');
        assert.equal(await windows(), 1);
      });

      it('a second connect() while one is open rejects with InteractionInProgress', async () => {
        answer = null;
        await open();
        const popup = await clickOpensPopup();
        await page.click('#connect');
        const [{ error }] = await settled();
        assert.deepEqual(error, {
          name: 'InteractionInProgress',
          message: 'Connect is already open in a popup for this instance; it was brought to the front.',
          isError: true, classes: ['InteractionInProgress'],
        });
        assert.equal(await windows(), 2, 'still one popup');
        await popup.eval((params) => window.answer(params), { code: 'first-flow' });
        const [, first] = await settled(2);
        assert.equal(first.result?.code, 'first-flow', 'the open flow completes normally');
      });

      it('without a user gesture the browser blocks the popup: PopupBlocked', async () => {
        answer = { code: 'never' };
        await open();
        // A script with no user activation left: WebDriver scripts carry none, and Playwright's
        // evaluate grants one, which the first window.open consumes. The synthetic click is
        // not a user gesture either.
        await page.eval(() => {
          const spent = window.open('about:blank', '_blank');
          if (spent) spent.close();
          document.getElementById('connect').dispatchEvent(new Event('click'));
          return true;
        });
        const [{ error }] = await settled();
        assert.deepEqual(error, {
          name: 'PopupBlocked',
          message: 'The browser blocked the Connect popup. Call connect() directly inside a click handler, or pass fallback: "redirect".',
          isError: true, classes: ['PopupBlocked'],
        });
        assert.equal(await windows(), 1);
      });

      it("fallback: 'redirect' with a redirect URI on another origin rejects at once, before any popup opens (the redirect flow could not take it)", async () => {
        // Connect waits: the popup this test opens stays where it is, not navigating when the
        // next test's page closes it.
        answer = null;
        await open({ options: { fallback: 'redirect' } });
        await page.click('#connect');
        const [{ error }] = await settled();
        assert.equal(error.name, 'Error');
        assert.match(error.message, /needs a redirectUri on this page's origin/);
        assert.equal(await windows(), 1, 'no popup');
        // With the redirect URI on the page's origin, the same call opens the popup.
        await open({ redirectUri: `${app.origin}/callback`, options: { fallback: 'redirect' } });
        const popup = await clickOpensPopup();
        assert.ok(popup);
      });

      it('a COOP header on the redirect page: the result still arrives over BroadcastChannel', async () => {
        // Cross-Origin-Opener-Policy on the (same-origin) redirect page severs the popup from
        // the app just before it delivers: popup.closed reads true, and the result comes over
        // a BroadcastChannel within the grace period.
        answer = { code: 'coop-code' };
        await open({ redirectUri: `${app.origin}/dist/cdn/redirect.html?coop=1` });
        await page.click('#connect');
        const [only] = await settled(1, 8000);
        assert.equal(only.result?.code, 'coop-code');
        await released();
      });

      it('a COOP header on the app page itself (the redirect page on its origin): a slow user\'s result still arrives, long after the grace period', async () => {
        // The page's own Cross-Origin-Opener-Policy cuts the popup off as Connect arrives: it
        // reads closed before it was ever seen showing a page, which no user can close.
        answer = null;
        await open({ redirectUri: `${app.origin}/dist/cdn/redirect.html`, query: '?coop=1' });
        const popup = await clickOpensPopup();
        await popup.waitFor(() => typeof window.answer === 'function', undefined, { timeout: 5000 });
        await sleep(4500); // a user still logging in, past the 3 s grace period
        assert.deepEqual(await page.eval(() => window.settled), [], 'still waiting for the user');
        await popup.eval(() => { window.answer({ code: 'coop-app-code' }); return true; });
        const [only] = await settled(1, 8000);
        assert.equal(only.result?.code, 'coop-app-code');
        assert.equal((await calls()).length, 1);
        await released();
      });

      it('unmount() rejects an open flow with AbortError and closes the popup', async () => {
        answer = null;
        await open();
        await clickOpensPopup();
        await page.eval(() => window.sc.unmount());
        const [{ error }] = await settled();
        assert.equal(error.name, 'AbortError');
        await waitUntil(async () => (await windows()) === 1, 'the popup to close', 5000);
      });

      it('page code that calls back into the SDK from inside it never breaks the module', async () => {
        answer = null;
        await open();
        const result = await page.eval(() => {
          const sc = window.sc;
          // unmount() from inside the addEventListener that addClickHandler makes.
          const add = EventTarget.prototype.addEventListener;
          let once = true;
          EventTarget.prototype.addEventListener = function (...a) {
            if (once && a[0] === 'click' && this.id === 'again') { once = false; sc.unmount(); }
            return add.apply(this, a);
          };
          const button = document.createElement('button');
          button.id = 'again';
          document.body.appendChild(button);
          sc.addClickHandler({ id: 'again' });
          EventTarget.prototype.addEventListener = add;
          // connect() from inside the window.open of another connect(): one popup, one flow
          // goes on, the other settles with InteractionInProgress. Started by a real click
          // (below), so that the browser lets the popup open.
          const trigger = document.createElement('button');
          trigger.id = 'reenter';
          document.body.appendChild(trigger);
          trigger.onclick = () => {
            const open = window.open;
            const inner = [];
            window.open = function (...a) {
              window.open = open;
              inner.push(sc.connect().then(() => 'resolved', (e) => e.name));
              return open.apply(window, a);
            };
            const outer = sc.connect().then(() => 'resolved', (e) => e.name);
            Promise.all([inner[0], Promise.race([outer, new Promise((r) => setTimeout(() => r('pending'), 300))])])
              .then((settled) => { window.reentry = { settled, url: sc.getAuthUrl({ state: 'still works' }).includes('state=') }; });
          };
          return true;
        });
        assert.equal(result, true);
        await page.click('#reenter');
        await page.waitFor(() => !!window.reentry, undefined, { timeout: 5000 });
        assert.deepEqual(await page.eval(() => window.reentry), { settled: ['InteractionInProgress', 'pending'], url: true });
        await page.eval(() => window.sc.unmount());
        await waitUntil(async () => (await windows()) === 1, 'the popup to close', 5000);
      });

      it('a getter the rules run as they check a result, which starts another flow or hands the result in again: the result completes nothing it was not for, and is delivered once', async () => {
        // The next read of the instance's redirectUri (the rules checking a result) runs page
        // code once: `openDialog({ state: 'second' })`, or the event being dispatched handed
        // to the instance's messageHandler again.
        const onNextRedirectUriRead = (what) => page.eval((what) => {
          const sc = window.sc;
          const redirectUri = sc.redirectUri;
          Object.defineProperty(sc, 'redirectUri', {
            configurable: true,
            get() {
              Object.defineProperty(sc, 'redirectUri', { value: redirectUri, writable: true, configurable: true, enumerable: true });
              if (what === 'openDialog') sc.openDialog({ state: 'second' });
              else sc.messageHandler(window.event);
              return redirectUri;
            },
          });
          return true;
        }, what);
        answer = null;
        await open();
        // A connect() flow; as its result is checked, the instance's redirectUri getter starts an
        // openDialog flow in the same popup. The connect() flow rejects (AbortError: replaced),
        // its result completes neither flow, and the openDialog flow then takes its own.
        const popup = await clickOpensPopup();
        await popup.waitFor(() => typeof window.post === 'function', undefined, { timeout: 5000 });
        const first = await popup.eval(() => new URLSearchParams(location.search).get('state'));
        await onNextRedirectUriRead('openDialog');
        await popup.eval(() => window.post({ code: 'code-of-the-first' }));
        const [{ error }] = await settled();
        assert.equal(error.name, 'AbortError');
        await waitUntil(async () => (await popup.eval(() => new URLSearchParams(location.search).get('state')).catch(() => first)) !== first, "the popup to show the openDialog flow's Connect", 5000);
        await popup.waitFor(() => typeof window.post === 'function', undefined, { timeout: 5000 });
        await popup.eval(() => window.post({ code: 'code-of-the-second' }));
        await page.waitFor(() => window.__calls.length > 0, undefined, { timeout: 5000 });
        await sleep(200);
        assert.deepEqual((await calls()).map((args) => args[1]), ['code-of-the-second'], "onComplete got the openDialog flow's result only");
        assert.equal((await page.eval(() => window.settled)).length, 1);

        // A connect() flow whose error result (no code, so no replay check) is handed in again
        // by a getter the rules run: onComplete once, the Promise settled once.
        await page.eval(() => window.sc.unmount());
        await open();
        const again = await clickOpensPopup();
        await again.waitFor(() => typeof window.post === 'function', undefined, { timeout: 5000 });
        await onNextRedirectUriRead('the same event');
        await again.eval(() => window.post({ error: 'access_denied', errorDescription: 'User denied access' }));
        const [{ error: denied }] = await settled();
        assert.equal(denied.name, 'AccessDenied');
        await sleep(300);
        assert.equal((await calls()).length, 1, 'onComplete called once');
        assert.equal((await page.eval(() => window.settled)).length, 1);
        await page.eval(() => window.sc.unmount());
      });

      it('many flows leave nothing behind', async () => {
        answer = { code: 'many' };
        await open();
        for (let i = 0; i < 15; i++) {
          await page.click('#connect');
          await settled(i + 1);
          await waitUntil(async () => (await windows()) === 1, 'the popup to close', 5000);
          // A fresh code each time, or the SDK would (rightly) ignore the replay.
          answer = { code: `many-${i}` };
        }
        const results = await page.eval(() => window.settled.map((s) => s.result?.code ?? s.error?.name));
        assert.equal(results.length, 15);
        assert.ok(results.every((r) => typeof r === 'string' && r.startsWith('many')), results.join(','));
        await released();
      });
    });
  });
});
