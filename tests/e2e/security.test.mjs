// The redirect page's promises about the authorization code, checked in every engine (see
// SECURITY.md, "Leaked codes in history and referrer"): once the page has run, the code is in
// neither the address bar nor the session history entry, and no request the page makes (its
// script, a link the user follows) carries it in a Referer header.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIST, MISSING, forEachEngine, group, sleep } from '../support/harness.mjs';
import { startServer } from '../support/server.mjs';

const SECRET = 'SECRETCODE1234';

group('security: the code leaves no trace', MISSING.redirect, () => {
  let server;
  const referers = [];
  before(async () => {
    server = await startServer({
      dist: DIST,
      headers(req) {
        referers.push({ path: new URL(req.url, 'http://x').pathname, referer: req.headers.referer ?? null });
        return undefined;
      },
    });
    server.route('/next.html', '<!doctype html><title>next</title><p>next</p>');
  });
  after(async () => { await server?.close(); });

  forEachEngine((ctx) => {
    it('not in the address bar, the history entry, or any Referer', async () => {
      referers.length = 0;
      // No opener and another app origin: the page delivers nothing and stays open (a page
      // that delivers closes itself, which would close the WebDriver window).
      const page = await ctx.browser.newPage(server.url(`/dist/cdn/redirect.html?code=${SECRET}&state=s&app_origin=https%3A%2F%2Fapp.example.com`));
      const seen = await page.waitFor(() => document.getElementById('smartcar-status')
        && !/Finishing up/.test(document.getElementById('smartcar-status').textContent)
        && { href: location.href, search: location.search, historyLength: history.length });
      assert.ok(!seen.href.includes(SECRET), seen.href);
      assert.equal(seen.search, '');
      // A link followed from the page: the Referer (if any) does not carry the code either.
      await page.eval(() => {
        const a = document.createElement('a');
        a.href = '/next.html';
        a.id = 'next';
        a.textContent = 'next';
        document.body.appendChild(a);
        return true;
      });
      await page.click('#next');
      await page.waitFor(() => location.pathname === '/next.html', undefined, { timeout: 30000 });
      const requests = referers.filter((r) => r.path !== '/dist/cdn/redirect.html');
      assert.ok(requests.some((r) => r.path.endsWith('/redirect.js')), JSON.stringify(requests));
      assert.ok(requests.some((r) => r.path === '/next.html'), JSON.stringify(requests));
      for (const r of requests) assert.ok(!(r.referer ?? '').includes(SECRET), `Referer of ${r.path}: ${r.referer}`);
      // Back in history: the redirect page's entry no longer holds the code.
      await page.eval(() => { history.back(); return true; });
      // A script that starts while the page is unloading never answers (WebKit's driver then
      // waits 20 s for it): let the navigation begin first, and leave room for one such poll.
      await sleep(300);
      const back = await page.waitFor(() => !location.pathname.endsWith('/next.html') && location.href, undefined, { timeout: 30000 });
      assert.ok(!back.includes(SECRET), back);
    });
  });
});
