// The redirect page reads its URL with the browser's own parsers (URLSearchParams for the
// query, URL for app_origin): what it posts is what those parsers read, in every engine.
// An opener page on the app origin opens the redirect page (another origin) in a popup and
// records every message it receives.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MISSING, forEachEngine, group, servePage, sleep, startRepoServer } from '../support/harness.mjs';

const OPENER = `<!doctype html><meta charset="utf-8"><title>opener</title>
<button id="open">open</button>
<script>
  window.__messages = [];
  addEventListener('message', (e) => window.__messages.push({ origin: e.origin, data: e.data }));
  document.getElementById('open').onclick = () => { window.__popup = window.open(window.__target, 'redirect'); };
</script>`;

group('redirect page: reads its URL as the browser does', MISSING.redirect, () => {
  let app, redirect;
  before(async () => {
    app = await startRepoServer();
    redirect = await startRepoServer();
    // An app's own callback page (the redirect flow's), which hands a result of no flow of
    // its tab to its opener as a redirect page would.
    redirect.route('/callback.html', `<!doctype html><meta charset="utf-8"><title>callback</title>
<script src="/dist/cdn/sdk.js"></script><script>
  const sc = new Smartcar({ applicationId: 'a', redirectUri: location.origin + '/callback.html', onComplete() {} });
  sc.handleRedirect().then((r) => { window.outcome = { result: r }; }, (e) => { window.outcome = { error: e.name }; });
</script>`);
    // The page with its script in <head>, before the body exists.
    redirect.route('/head.html', `<!doctype html><html><head><meta charset="utf-8"><title>head</title>
<script src="/dist/cdn/redirect.js"></script></head><body><p>page content</p></body></html>`);
  });
  after(async () => { await Promise.all([app?.close(), redirect?.close()]); });

  forEachEngine((ctx) => {
    /**
     * Opens the redirect page with `query` in a popup of the opener; resolves to the messages
     * the opener received within `ms` (returning as soon as one arrives) and, with
     * `stays: true`, the popup (one that delivers closes itself at once, too soon for WebDriver
     * to see it).
     */
    const deliver = async (query, { ms = 5000, stays = false } = {}) => {
      const page = await ctx.browser.newPage(servePage(app, OPENER));
      await page.eval((t) => { window.__target = t; return true; }, `${redirect.origin}/dist/cdn/redirect.html${query}`);
      const popupP = stays ? page.waitForPopup({ timeout: 5000 }) : null;
      await page.click('#open');
      const popup = await popupP;
      const deadline = Date.now() + ms;
      let messages = [];
      while (Date.now() < deadline && !messages.length) {
        messages = await page.eval(() => window.__messages);
        if (!messages.length) await sleep(50);
      }
      return { popup, messages };
    };

    it('decodes the query as URLSearchParams does: +, percent-escapes, bad UTF-8, first occurrence', async () => {
      const appOrigin = encodeURIComponent(app.origin);
      const { messages } = await deliver(
        `?code=a+b%2Bc&code=second&state=%E2%9C%93%FF&error=&vin=&external_id=&user_id=u%26v&app_origin=${appOrigin}`);
      assert.equal(messages.length, 1, 'one message');
      const [{ origin, data }] = messages;
      assert.equal(origin, redirect.origin);
      assert.deepEqual(data, {
        name: 'SmartcarAuthMessage', isSmartcarHosted: false,
        code: 'a b+c', error: '', errorDescription: null, state: '\u2713\uFFFD', vin: '', make: null,
        model: null, year: null, virtualKeyUrl: null, userId: 'u&v', externalId: '',
      });
    });

    it('leaves externalId out when Connect sent none', async () => {
      const { messages } = await deliver(`?code=c&app_origin=${encodeURIComponent(app.origin)}`);
      assert.equal(messages.length, 1);
      assert.equal('externalId' in messages[0].data, false);
      assert.equal(messages[0].data.code, 'c');
    });

    it('takes app_origin as the URL parser reads it: case, default port and a trailing slash', async () => {
      const loud = app.origin.replace('http://', 'HTTP://') + '/';
      const { messages } = await deliver(`?code=c&app_origin=${encodeURIComponent(loud)}`);
      assert.equal(messages.length, 1);
      assert.equal(messages[0].data.code, 'c');
    });

    for (const [what, appOrigin] of [
      ['a path', (o) => `${o}/app`], ['a query', (o) => `${o}/?x=1`], ['credentials', (o) => o.replace('//', '//user@')],
      ['*', () => '*'], ['not a URL', () => 'app.example.com'], ['another scheme', () => 'javascript:alert(1)'],
    ]) {
      it(`refuses an app_origin with ${what}: nothing is posted, the popup says why`, async () => {
        const { popup, messages } = await deliver(`?code=c&app_origin=${encodeURIComponent(appOrigin(app.origin))}`, { ms: 1000, stays: true });
        assert.deepEqual(messages, []);
        const text = await popup.waitFor(() => /app_origin/.test(document.body.innerText) && document.body.innerText, undefined, { timeout: 5000 });
        assert.match(text, /not a web origin/);
        assert.equal(await popup.closed(), false, 'the popup stays open to show the message');
      });
    }

    it('refuses app_origin given twice, even the app\'s own twice: nothing is posted, the popup says why', async () => {
      // A server that checks the last one (as some parsers read a repeated parameter) and this
      // page, which would read the first, could disagree about where the result may go.
      for (const second of [app.origin, 'https://evil.example']) {
        const query = `?code=c&app_origin=${encodeURIComponent(app.origin)}&app_origin=${encodeURIComponent(second)}`;
        const { popup, messages } = await deliver(query, { ms: 1000, stays: true });
        assert.deepEqual(messages, []);
        const text = await popup.waitFor(() => /app_origin/.test(document.body.innerText) && document.body.innerText, undefined, { timeout: 5000 });
        assert.match(text, /not a web origin/);
      }
    });

    it('shows only its own words: an error_description from the link never appears on the page', async () => {
      // Anyone can link to a redirect page; its origin must not lend credibility to their text.
      const lure = 'Your account is locked. Call +1 555 0100 to unlock it';
      const page = await ctx.browser.newPage(`${redirect.origin}/dist/cdn/redirect.html?error=access_denied&error_description=${encodeURIComponent(lure)}`);
      const text = await page.waitFor(() => !/Finishing up/.test(document.body.innerText) && document.body.innerText, undefined, { timeout: 5000 });
      assert.doesNotMatch(text, /locked|555/);
      assert.match(text, /no longer connected/);
    });

    it('an app\'s handleRedirect page opened by another origin with its app_origin: the code goes nowhere', async () => {
      // The SDK never sends app_origin with a redirect URI; one in a link is the opener's bid
      // for the code (its holder could then log the victim's car into the attacker's account).
      const query = `?code=victims-code&state=${btoa(JSON.stringify({ instanceId: 'x' }))}&app_origin=${encodeURIComponent(app.origin)}`;
      const page = await ctx.browser.newPage(servePage(app, OPENER));
      await page.eval((t) => { window.__target = t; return true; }, `${redirect.origin}/callback.html${query}`);
      const popupP = page.waitForPopup({ timeout: 5000 });
      await page.click('#open');
      const popup = await popupP;
      const outcome = await popup.waitFor(() => window.outcome, undefined, { timeout: 5000 });
      assert.deepEqual(outcome, { error: 'InvalidState' });
      await sleep(300);
      assert.deepEqual(await page.eval(() => window.__messages), []);
      assert.equal(await popup.closed(), false, 'a page that handed nothing on stays open');
    });

    it('with its script in <head>, still shows why it stays open', async () => {
      // No opener, another app origin: the page delivers nothing and says so.
      const page = await ctx.browser.newPage(`${redirect.origin}/head.html?code=secret-code&app_origin=${encodeURIComponent(app.origin)}`);
      const seen = await page.waitFor(() => /no longer connected/.test(document.documentElement.innerText)
        && { text: document.documentElement.innerText, search: location.search }, undefined, { timeout: 5000 });
      assert.match(seen.text, /page content/, 'the page body is still there');
      assert.equal(seen.search, '', 'the code is gone from the address bar');
    });
  });
});
