// Security, round 2: each result is bound to the flow and the window the SDK opened. Real
// popups across origins: the app page (app origin), a fake Connect on a second origin that
// waits for the test (a user still logging in) and records what a page in the popup can see,
// and the real redirect page.
//   - A page loaded in the popup reads its `window.name`: no part of the state or the
//     instanceId is in it (openDialog, a click through addClickHandler, connect()).
//   - While the SDK's popup is open, a result posted by another window of the app (with the
//     flow's real state, or with the instance's) is ignored, and the popup's own result
//     completes the flow, once.
//   - The fallback channel of a popup cut off by COOP is the flow's own: a same-origin
//     listener that does not know the state hears nothing, and cannot inject; and while the
//     popup reads open, the channel takes nothing, even with the flow's state.
//   - A self-hosted redirect page with an allow-list refuses a foreign app_origin and posts to
//     a listed one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntil } from '../support/browser.mjs';
import { forEachEngine, group, openSdkPage, startRepoServer, MISSING, sleep } from '../support/harness.mjs';

/** A fake Connect that waits for `window.answer(params)`, and shows what a page in the popup sees. */
const waitingConnect = `<!doctype html><meta charset="utf-8"><title>fake Connect</title>
<p>Log in to your car's account</p>
<script>
  window.seen = { name: window.name, state: new URLSearchParams(location.search).get('state') };
  window.answer = (params, state) => {
    const q = new URLSearchParams(location.search);
    const to = new URL(q.get('redirect_uri'));
    for (const [k, v] of Object.entries(params)) to.searchParams.append(k, v);
    to.searchParams.append('state', state ?? q.get('state'));
    location.replace(to.href);
  };
</script>`;

/** In the app page: the instance, and buttons for each way of opening Connect. */
function setup({ redirectUri, connectUrl }) {
  window.__calls = [];
  window.settled = [];
  window.sc = new window.Smartcar({ applicationId: 'app', redirectUri, onComplete: window.__onComplete, connectUrl });
  window.sc.addClickHandler({ id: 'click', state: 'from-click' });
  document.getElementById('dialog').onclick = () => window.sc.openDialog({ state: 'from-dialog' });
  document.getElementById('connect').onclick = () => {
    window.sc.connect({ state: 'from-connect' }).then((r) => window.settled.push({ code: r.code }), (e) => window.settled.push({ error: e.name }));
  };
  return true;
}

const BODY = '<button id="click">addClickHandler</button><button id="dialog">openDialog</button><button id="connect">connect</button><button id="help">help</button><button id="help2">help</button>';

/** Everything a state could give away, as text: the raw state, its JSON, the ids in it. */
function secretsOf(state, instanceId) {
  const decoded = JSON.parse(atob(state));
  return [state, atob(state), decoded.instanceId, instanceId].filter(Boolean);
}

describe('security round 2: one flow, one window, one result', () => {
  let app, connect;
  before(async () => {
    app = await startRepoServer();
    connect = await startRepoServer();
    connect.route('/oauth/authorize', () => ({ body: waitingConnect }));
    app.route('/oauth/authorize', () => ({ body: waitingConnect }));
  });
  after(async () => { await Promise.all([app.close(), connect.close()]); });

  forEachEngine((ctx) => {
    group('ours', MISSING.oursCdn || MISSING.redirect, () => {
      let page;
      const redirectPage = () => `${connect.origin}/dist/cdn/redirect.html?app_origin=${app.origin}`;
      const open = async ({ redirectUri = redirectPage(), connectUrl = connect.origin, query } = {}) => {
        page = await openSdkPage(ctx.browser, app, { sdk: 'ours', body: BODY, query });
        await page.eval(setup, { redirectUri, connectUrl });
      };
      const openedBy = async (button) => {
        const popup = page.waitForPopup({ timeout: 5000 });
        await page.click(button);
        return popup;
      };

      for (const [how, button] of [['openDialog', '#dialog'], ['a click through addClickHandler', '#click'], ['connect()', '#connect']]) {
        it(`${how}: a cross-origin page in the popup reads a window.name without the state or the instanceId`, async () => {
          await open();
          const popup = await openedBy(button);
          const seen = await popup.waitFor(() => window.seen, undefined, { timeout: 5000 });
          const instanceId = await page.eval(() => window.sc.instanceId);
          assert.ok(seen.state, 'Connect got a state');
          assert.ok(seen.name.length > 0, 'the popup is named (so one instance reuses its popup)');
          for (const secret of secretsOf(seen.state, instanceId)) {
            assert.ok(!seen.name.includes(secret) && !secret.includes(seen.name), `window.name ${JSON.stringify(seen.name)} and ${JSON.stringify(secret)}`);
          }
          // The popup's own state names the flow, not the instance (only Connect sees it).
          assert.notEqual(JSON.parse(atob(seen.state)).instanceId, instanceId);
        });
      }

      it('while the popup is open, another window of the app cannot complete the flow; the popup completes it once', async () => {
        await open();
        const popup = await openedBy('#connect');
        const { state } = await popup.waitFor(() => window.seen, undefined, { timeout: 5000 });
        // Another window of the app (a help popup), sent to the registered redirect page with
        // the flow's own state, and then with the instance's: the redirect page posts both
        // results to the app, from a window that is not the SDK's popup.
        const instanceState = await page.eval(() => btoa(JSON.stringify({ instanceId: window.sc.instanceId, originalState: 'forged' })));
        await page.eval(({ redirect, state, instanceState }) => {
          document.getElementById('help').onclick = () => window.open(`${redirect}&code=forged-flow&state=${encodeURIComponent(state)}`, 'help');
          document.getElementById('help2').onclick = () => window.open(`${redirect}&code=forged-instance&state=${encodeURIComponent(instanceState)}`, 'help2');
          return true;
        }, { redirect: redirectPage(), state, instanceState });
        for (const [button, code] of [['#help', 'forged-flow'], ['#help2', 'forged-instance']]) {
          await page.click(button);
          // The help window's redirect page posted its result to the app, then closed.
          await waitUntil(() => connect.requests.some((r) => r.path === '/dist/cdn/redirect.html' && r.search.includes(code)), `the ${code} result`, 5000);
        }
        await sleep(500);
        assert.deepEqual(await page.eval(() => ({ calls: window.__calls, settled: window.settled })), { calls: [], settled: [] });
        // The popup's own result completes the flow, once.
        await popup.eval(() => { window.answer({ code: 'genuine' }); return true; });
        await page.waitFor(() => window.settled.length === 1, undefined, { timeout: 5000 });
        await sleep(300);
        const { calls, settled } = await page.eval(() => ({ calls: window.__calls, settled: window.settled }));
        assert.deepEqual(settled, [{ code: 'genuine' }]);
        assert.deepEqual(calls.map((c) => c.slice(0, 3)), [[null, 'genuine', 'from-connect']]);
        assert.deepEqual(await page.eval(() => window.__errors), []);
      });

      it('a late result of a flow that already ended completes nothing, not even the next flow', async () => {
        await open();
        const first = await openedBy('#connect');
        const { state: firstState } = await first.waitFor(() => window.seen, undefined, { timeout: 5000 });
        // The user opens Connect again from the same instance (openDialog reuses its popup, as
        // the reference's does): the first connect() is superseded.
        await page.click('#dialog');
        await page.waitFor(() => window.settled.length === 1, undefined, { timeout: 5000 });
        assert.deepEqual(await page.eval(() => window.settled), [{ error: 'AbortError' }]);
        // The popup now shows the second flow; a result carrying the first flow's state (a
        // stale redirect, a replayed link) completes nothing.
        await first.waitFor((old) => window.seen && window.seen.state !== old, firstState, { timeout: 5000 });
        await first.eval((s) => { window.answer({ code: 'stale' }, s); return true; }, firstState);
        await waitUntil(async () => connect.requests.some((r) => r.path === '/dist/cdn/redirect.html' && /stale/.test(r.search)), 'the stale result', 5000);
        await sleep(500);
        assert.deepEqual(await page.eval(() => window.__calls), []);
      });

      it('COOP: the fallback channel is the flow\'s own; a listener that does not know the state hears nothing, and cannot inject', async () => {
        // The redirect page on the app's own origin; COOP on the app page severs the popup's
        // opener, so the redirect page hands the result over the flow's channel.
        await open({ redirectUri: `${app.origin}/dist/cdn/redirect.html`, query: '?coop=1' });
        await page.eval(() => {
          const instanceState = btoa(JSON.stringify({ instanceId: window.sc.instanceId, originalState: 'forged' }));
          // Same-origin eavesdroppers on the names a context could guess.
          window.heard = [];
          for (const name of ['SmartcarAuthMessage', `SmartcarAuthMessage:${instanceState}`, 'smartcar', '']) {
            const channel = new BroadcastChannel(name);
            channel.onmessage = (e) => window.heard.push([name, e.data && e.data.code]);
          }
          // And injectors: a result on the old shared channel, naming the instance.
          window.inject = () => {
            for (const name of ['SmartcarAuthMessage', `SmartcarAuthMessage:${instanceState}`]) {
              const channel = new BroadcastChannel(name);
              channel.postMessage({ name: 'SmartcarAuthMessage', code: 'injected', state: instanceState });
              channel.close();
            }
          };
          return true;
        });
        // The severed popup reads as closed: the flow waits 3 s for its result before failing
        // with PopupClosed, so the test keeps its own steps short.
        const popup = await openedBy('#connect');
        await page.eval(() => { window.inject(); return true; });
        await sleep(100);
        assert.deepEqual(await page.eval(() => ({ calls: window.__calls, settled: window.settled })), { calls: [], settled: [] });
        await popup.waitFor(() => window.seen, undefined, { timeout: 2000 });
        await popup.eval(() => { window.answer({ code: 'genuine-coop' }); return true; });
        await page.waitFor(() => window.settled.length === 1, undefined, { timeout: 8000 });
        await sleep(300);
        const { calls, settled, heard } = await page.eval(() => ({ calls: window.__calls, settled: window.settled, heard: window.heard }));
        assert.deepEqual(settled, [{ code: 'genuine-coop' }]);
        assert.deepEqual(calls.map((c) => c.slice(0, 2)), [[null, 'genuine-coop']]);
        // What the eavesdroppers heard is only what the injectors themselves posted.
        assert.ok(heard.every(([, code]) => code === 'injected'), JSON.stringify(heard));
      });

      it('COOP: unmount() is final for the fallback channel too: a flow opened afterwards hears nothing; a new instance completes', async () => {
        await open({ redirectUri: `${app.origin}/dist/cdn/redirect.html`, query: '?coop=1' });
        await page.eval(() => { window.sc.unmount(); return true; });
        const popup = await openedBy('#dialog');
        await popup.waitFor(() => window.seen, undefined, { timeout: 5000 });
        await popup.eval(() => { window.answer({ code: 'after-unmount' }); return true; });
        await waitUntil(() => app.requests.some((r) => r.path === '/dist/cdn/redirect.html' && r.search.includes('after-unmount')), 'the result after unmount', 5000);
        // Longer than a channel result waits for the popup to read closed (it does at once here).
        await sleep(1500);
        assert.deepEqual(await page.eval(() => window.__calls), []);
        // A new instance on the same page opens its own flow, which completes over its channel.
        await page.eval((redirectUri) => {
          window.sc = new window.Smartcar({ applicationId: 'app', redirectUri, onComplete: window.__onComplete, connectUrl: window.sc.connectUrl });
          return true;
        }, `${app.origin}/dist/cdn/redirect.html`);
        const fresh = await openedBy('#dialog');
        await fresh.waitFor(() => window.seen, undefined, { timeout: 5000 });
        await fresh.eval(() => { window.answer({ code: 'fresh' }); return true; });
        await page.waitFor(() => window.__calls.length === 1, undefined, { timeout: 5000 });
        assert.deepEqual((await page.eval(() => window.__calls)).map((c) => c.slice(0, 3)), [[null, 'fresh', 'from-dialog']]);
      });

      it('the fallback channel takes nothing while the popup is open: a window any site opens on the app\'s redirect page with the flow\'s state cannot complete it', async () => {
        // The redirect page on the app's own origin, no COOP: the flow listens on its channel
        // (for a popup that COOP might still cut off), and the popup can post to the app.
        const redirect = `${app.origin}/dist/cdn/redirect.html`;
        await open({ redirectUri: redirect });
        const popup = await openedBy('#connect');
        const { state } = await popup.waitFor(() => window.seen, undefined, { timeout: 5000 });
        // A window without an opener on the redirect page, as another site opens it (`noopener`
        // from the app page is the same window: top-level, no opener): it broadcasts.
        await page.eval(({ redirect, state }) => {
          document.getElementById('help').onclick = () => window.open(`${redirect}?code=forged-channel&state=${encodeURIComponent(state)}`, '_blank', 'noopener');
          return true;
        }, { redirect, state });
        await page.click('#help');
        await waitUntil(() => app.requests.some((r) => r.path === '/dist/cdn/redirect.html' && r.search.includes('forged-channel')), 'the forged result', 5000);
        // Longer than a channel result waits for the popup to read closed.
        await sleep(1800);
        assert.deepEqual(await page.eval(() => ({ calls: window.__calls, settled: window.settled })), { calls: [], settled: [] });
        await popup.eval(() => { window.answer({ code: 'genuine-window' }); return true; });
        await page.waitFor(() => window.settled.length === 1, undefined, { timeout: 5000 });
        const { calls, settled } = await page.eval(() => ({ calls: window.__calls, settled: window.settled }));
        assert.deepEqual(settled, [{ code: 'genuine-window' }]);
        assert.deepEqual(calls.map((c) => c.slice(0, 2)), [[null, 'genuine-window']]);
      });
    });

    group('redirect page allow-list', MISSING.redirect, () => {
      let page;
      const listed = () => app.origin;
      // Where a page puts its list: every place must be read, or the page would post as if it
      // had none (a module script has no document.currentScript; a meta tag after the script,
      // or in the body with the script in <head>, is parsed after the script runs).
      const PLACES = {
        'script tag': { attribute: true },
        'meta tag': { meta: 'head' },
        'module script tag': { attribute: true, module: true },
        'meta tag after the script': { meta: 'after' },
        'meta tag in the body, script in <head>': { meta: 'body', scriptInHead: true },
        // HTML injected into the page (no script needed) adds a list naming the attacker:
        // several lists allow only what all of them list, so it can only narrow the page's.
        'script tag, and an injected meta tag that lists the attacker too': { attribute: true, meta: 'body', injected: true },
        // Slips a deployer makes: a meta name in other letter case (HTML reads meta names
        // case-insensitively), the attribute on another element than the script tag.
        'meta tag named Smartcar-App-Origins': { meta: 'head', metaName: 'Smartcar-App-Origins' },
        'data-app-origins attribute on a div': { holder: 'div' },
      };
      const pageWith = ({ attribute, module, meta, metaName = 'smartcar-app-origins', holder, scriptInHead, injected }) => {
        const list = (separator) => `https://elsewhere.example${separator}${listed()}`;
        const metaTag = `<meta name="${metaName}" content="${injected ? `https://attacker.example ${listed()}` : list(' ')}">`;
        const script = `<script${module ? ' type="module"' : ''} src="/dist/cdn/redirect.js"${attribute ? ` data-app-origins="${list(', ')}"` : ''}></script>`;
        const held = holder ? `<${holder} data-app-origins="${list(' ')}"></${holder}>` : '';
        return `<!doctype html><meta charset="utf-8">${meta === 'head' ? metaTag : ''}${scriptInHead ? script : ''}<body><p id="smartcar-status">…</p>${held}${meta === 'body' ? metaTag : ''}${scriptInHead ? '' : script}${meta === 'after' ? metaTag : ''}</body>`;
      };
      before(() => {
        Object.entries(PLACES).forEach(([where, place], i) => connect.route(`/allow/${i}.html`, () => ({ body: pageWith(place) })));
      });

      it('a deferred script of the page that takes seconds to load does not hold the result', async () => {
        connect.route('/allow/slow.js', () => new Promise((resolve) => setTimeout(() => resolve({ body: '', type: 'text/javascript' }), 4000)));
        connect.route('/allow/slow.html', () => ({ body: `<!doctype html><meta charset="utf-8"><script src="/dist/cdn/redirect.js" data-app-origins="${listed()}"></script><script defer src="/allow/slow.js"></script><body><p id="smartcar-status">…</p></body>` }));
        page = await openSdkPage(ctx.browser, app, { sdk: 'none', body: '<button id="go">go</button>' });
        await page.eval((url) => {
          window.received = [];
          addEventListener('message', (e) => { if (e.data && e.data.name === 'SmartcarAuthMessage') window.received.push([e.data.code, performance.now() - window.clicked]); });
          document.getElementById('go').onclick = () => { window.clicked = performance.now(); window.open(url, 'slow'); };
          return true;
        }, `${connect.origin}/allow/slow.html?app_origin=${encodeURIComponent(listed())}&code=c-slow&state=s`);
        await page.click('#go');
        await page.waitFor(() => window.received.length > 0, undefined, { timeout: 8000 });
        const [[code, ms]] = await page.eval(() => window.received);
        assert.equal(code, 'c-slow');
        assert.ok(ms < 3000, `the result came after ${ms} ms`);
      });

      for (const [i, where] of Object.keys(PLACES).entries()) {
        it(`a list in a ${where}: a foreign app_origin is refused with a readable page, a listed one is posted to`, async () => {
          page = await openSdkPage(ctx.browser, app, { sdk: 'none', body: '<button id="go">go</button>' });
          await page.eval(() => {
            window.received = [];
            addEventListener('message', (e) => { if (e.data && e.data.name === 'SmartcarAuthMessage') window.received.push([e.origin, e.data.code]); });
            return true;
          });
          const run = async (appOrigin, code, { popup } = {}) => {
            await page.eval(({ url, name }) => { document.getElementById('go').onclick = () => window.open(url, name); return true; },
              { url: `${connect.origin}/allow/${i}.html?app_origin=${encodeURIComponent(appOrigin)}&code=${code}&state=s`, name: code });
            const opened = popup ? page.waitForPopup({ timeout: 5000 }) : null;
            await page.click('#go');
            return opened;
          };
          // A foreign origin (the attacker's page that opened the popup would be there).
          const refused = await run('https://attacker.example', 'c-foreign', { popup: true });
          const text = await refused.waitFor(() => !location.search && document.getElementById('smartcar-status').textContent !== '…' && document.body.innerText, undefined, { timeout: 5000 });
          assert.match(text, /may not return results to that app/);
          assert.doesNotMatch(text, /c-foreign|attacker/);
          assert.equal(await refused.closed(), false, 'the page stays to say why');
          // The listed origin: posted (and the popup closes itself at once).
          await run(listed(), 'c-listed');
          await page.waitFor(() => window.received.length > 0, undefined, { timeout: 5000 });
          assert.deepEqual(await page.eval(() => window.received), [[connect.origin, 'c-listed']]);
        });
      }
    });
  });
});
