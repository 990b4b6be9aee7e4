// One small adapter so each test body runs unchanged in Chromium (playwright-core), in
// Firefox (selenium-webdriver + geckodriver) and in WebKit (selenium-webdriver +
// WebKitWebDriver driving WebKitGTK's MiniBrowser on a private Xvfb display).
//
//   const b = await launch('chromium' | 'firefox' | 'webkit', { allowPopups })
//   const page = await b.newPage(url)          // one page at a time: closes the previous one
//   await page.eval(fnOrExpr, arg)             // runs in the page, awaits, returns JSON data
//   await page.waitFor(fnOrExpr, arg, { timeout })   // polls until truthy (default 5 s)
//   await page.click('#css')                   // real user click: popups are allowed
//   const p = page.waitForPopup({ timeout })   // arm BEFORE the click; resolves to a handle
//   await p.eval(...); await p.closed(); await p.waitClosed({ timeout })
//   await page.windowCount()                   // this page + its open popups
//   await page.goto(url)                       // navigate the page
//   await b.close()
//
// A function passed to eval/waitFor is serialised with its source, so it must not close over
// Node variables: pass them as `arg` (JSON). A string is evaluated as an expression.
// Errors thrown in the page are rethrown in Node with the page's message.
import { existsSync } from 'node:fs';
import net from 'node:net';
import { XVFB, killGroup, spawnGroup, startXvfb, within } from './xvfb.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const FIREFOX = process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr';
const GECKODRIVER = process.env.GECKODRIVER ?? '/root/.cargo/bin/geckodriver';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
const MINIBROWSER = process.env.MINIBROWSER_BIN ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];
const DEFAULT_WAIT = 5000;
const EVAL_TIMEOUT = 15000; // one eval

/** The engines selected by E2E_BROWSERS (default all three), each with a skip reason or false. */
export function engines() {
  const wanted = (process.env.E2E_BROWSERS ?? 'chromium,firefox,webkit').split(',').map((s) => s.trim()).filter(Boolean);
  return wanted.map((name) => ({ name, skip: missing(name) }));
}

function missing(name) {
  if (name === 'chromium') return existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}`;
  if (name === 'firefox') {
    if (!existsSync(FIREFOX)) return `Firefox not found at ${FIREFOX}`;
    if (!existsSync(GECKODRIVER)) return `geckodriver not found at ${GECKODRIVER} (set GECKODRIVER)`;
    return false;
  }
  if (name === 'webkit') {
    for (const [what, file, env] of [['WebKitWebDriver', WEBKIT_DRIVER, 'WEBKIT_DRIVER'], ['MiniBrowser', MINIBROWSER, 'MINIBROWSER_BIN'], ['Xvfb', XVFB, 'XVFB']]) {
      if (!existsSync(file)) return `${what} not found at ${file} (Debian: webkit2gtk-driver xvfb; or set ${env})`;
    }
    return false;
  }
  return `unknown engine '${name}' in E2E_BROWSERS`;
}

/** Source of an in-page expression that runs fn(arg) and resolves to JSON text {ok, v | e}. */
function wrap(fn, arg) {
  const body = typeof fn === 'function' ? `(${fn})` : `(() => (${fn}))`;
  const a = arg === undefined ? 'undefined' : JSON.stringify(arg);
  return `Promise.resolve().then(() => ${body}(${a})).then(
    (v) => JSON.stringify({ ok: true, v }),
    (e) => JSON.stringify({ ok: false, e: String(e && e.name ? e.name + ': ' + e.message : e) }))`;
}

function unwrap(json, fn) {
  const r = JSON.parse(json);
  if (!r.ok) throw new Error(`in page: ${r.e}\n  while evaluating: ${String(fn).slice(0, 200)}`);
  return r.v;
}

/** Polls `probe` until it returns a truthy value (returned); throws after `timeout` ms. */
export async function waitUntil(probe, what, timeout = DEFAULT_WAIT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves with `promise`, or rejects once `ms` have passed without it settling. */
async function bounded(promise, ms, what) {
  const r = await within(promise.then((v) => ({ v })), ms);
  if (!r) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
  return r.v;
}

/** Adds waitFor to an object that has eval. */
function withWaitFor(handle) {
  handle.waitFor = (fn, arg, { timeout = DEFAULT_WAIT } = {}) =>
    waitUntil(() => handle.eval(fn, arg), String(fn).slice(0, 200), timeout);
  return handle;
}

/** Starts `engine` (bounded: 60 s). */
export async function launch(engine, options = {}) {
  const start = { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebkit }[engine];
  if (!start) throw new Error(`unknown engine ${engine}`);
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${engine} did not start within 60 s`)), 60000); });
  try {
    return await Promise.race([start(options), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium through playwright-core. One context and one main page per browser, like the
// single WebDriver session on the Firefox side: newPage closes the other windows (popups left
// by the previous test) and navigates the main page (4x faster than a context per page).

/**
 * Debian's Chromium as a plain playwright-core Browser, with this machine's flags (no sandbox as
 * root, no background networking on a closed network) plus `args`. For the suites and the
 * benchmark that need Playwright itself (DevTools protocol, screenshots) rather than the adapter.
 */
export async function launchPlaywrightChromium(args = []) {
  const { chromium } = await import('playwright-core');
  // Playwright turns Chromium's popup blocker off by default; keep it on, as users have it:
  // real clicks still open popups, and a popup without a user gesture is blocked.
  return chromium.launch({
    executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...args], timeout: 30000,
    ignoreDefaultArgs: ['--disable-popup-blocking'],
  });
}

async function launchChromium() {
  const browser = await launchPlaywrightChromium();
  const context = await browser.newContext();
  const main = await context.newPage();
  main.setDefaultTimeout(10000);
  if (process.env.E2E_DEBUG) {
    context.on('console', (m) => console.error(`[page ${m.type()}] ${m.text()}`));
    context.on('weberror', (e) => console.error(`[page error] ${e.error()}`));
  }

  const pageHandle = (p) => withWaitFor({
    eval: async (fn, arg) => unwrap(await p.evaluate(wrap(fn, arg)), fn),
    url: () => p.url(),
    closed: async () => p.isClosed(),
    waitClosed: async ({ timeout = DEFAULT_WAIT } = {}) => {
      if (!p.isClosed()) await p.waitForEvent('close', { timeout });
    },
  });

  return {
    engine: 'chromium',
    async newPage(url) {
      // Each close bounded: closing a popup that is navigating (another process's page taking
      // its place) can wait for ever; one left open does not keep the main page from going on.
      for (const p of context.pages()) if (p !== main) await within(p.close().catch(() => {}), 5000);
      await main.goto(url, { timeout: 10000 });
      return Object.assign(pageHandle(main), {
        click: (selector) => main.click(selector, { timeout: 5000 }),
        waitForPopup: async ({ timeout = DEFAULT_WAIT } = {}) => pageHandle(await main.waitForEvent('popup', { timeout })),
        windowCount: async () => context.pages().length,
        goto: (u) => main.goto(u, { timeout: 10000 }),
      });
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Firefox through selenium-webdriver + geckodriver.

async function launchFirefox({ allowPopups = false } = {}) {
  const { Builder } = await import('selenium-webdriver');
  const firefox = await import('selenium-webdriver/firefox.js');
  const opts = new firefox.Options().setBinary(FIREFOX).addArguments('-headless');
  // Only for tests that open windows without a user gesture; real clicks do not need it.
  // Marionette turns the popup blocker off; keep it as users have it (real clicks still open
  // popups) unless a suite asks otherwise.
  opts.setPreference('dom.disable_open_during_load', !allowPopups);
  const driver = await new Builder()
    .forBrowser('firefox')
    .setFirefoxOptions(opts)
    .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER))
    .build();
  return webdriverBrowser('firefox', driver, () => driver.quit());
}

// ---------------------------------------------------------------------------------------------
// WebKit through selenium-webdriver + WebKitWebDriver (Debian webkit2gtk-driver), which drives
// WebKitGTK's MiniBrowser. MiniBrowser has no headless mode, so it draws on a private Xvfb
// server started here; the driver runs in its own process group, which also holds MiniBrowser
// and its web and network processes, and close() kills that group and Xvfb.

/** A free TCP port on 127.0.0.1 (the kernel's choice). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

async function launchWebkit({ allowPopups = false } = {}) {
  const { Builder } = await import('selenium-webdriver');
  const xvfb = await startXvfb();
  let service;
  try {
    const port = await freePort();
    service = spawnGroup(WEBKIT_DRIVER, [`--port=${port}`, '--host=local'], {
      stdio: ['ignore', 'ignore', process.env.E2E_DEBUG ? 'inherit' : 'ignore'],
      env: { ...process.env, DISPLAY: xvfb.display, GDK_BACKEND: 'x11', NO_AT_BRIDGE: '1' },
    });
    const server = `http://127.0.0.1:${port}`;
    let exited = null;
    service.exited.then((code) => { exited = code; });
    await waitUntil(async () => {
      if (exited !== null) throw new Error(`WebKitWebDriver exited (${exited})`);
      return (await fetch(`${server}/status`, { signal: AbortSignal.timeout(1000) })).ok;
    }, 'WebKitWebDriver to listen', 10000);
    const args = ['--automation'];
    // Only for tests that open windows without a user gesture; real clicks do not need it.
    // (MiniBrowser exposes every WebKitSettings property as an option; an unknown option makes
    // it exit, and WebKitWebDriver then waits forever for it: session creation is bounded.)
    if (allowPopups) args.push('--javascript-can-open-windows-automatically=true');
    const session = new Builder()
      .usingServer(server)
      .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args } })
      .build();
    session.catch(() => {}); // when it times out below, killing the driver rejects it
    const driver = await within(session, 30000);
    if (!driver) throw new Error(`WebKitWebDriver did not start MiniBrowser (${MINIBROWSER} ${args.join(' ')}) within 30 s`);
    return webdriverBrowser('webkit', driver, async () => {
      try {
        await within(driver.quit(), 10000);
      } finally {
        await killGroup(service);
        await xvfb.stop();
      }
    });
  } catch (e) {
    await killGroup(service);
    await xvfb.stop();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// The WebDriver side (Firefox and WebKit). WebDriver has one "current window", so every command
// is serialised through a queue and switches to the window it is about.

async function webdriverBrowser(engine, driver, quit) {
  const { By } = await import('selenium-webdriver');
  // WebKit implements the script timeout with the page's own setTimeout (a page that counts
  // its timers would see the driver's): there, evalIn bounds scripts itself instead.
  await driver.manage().setTimeouts({ script: engine === 'webkit' ? null : EVAL_TIMEOUT, pageLoad: 10000 });
  const home = await driver.getWindowHandle();

  let queue = Promise.resolve();
  const serial = (job) => {
    const run = queue.then(job, job);
    queue = run.catch(() => {});
    return run;
  };
  const on = async (handle) => {
    if ((await driver.getWindowHandle().catch(() => null)) !== handle) await driver.switchTo().window(handle);
  };
  const evalIn = (handle, fn, arg) => serial(async () => {
    await on(handle);
    const json = engine === 'webkit'
      // WebKit runs scripts in the page's own realm, and a page's CSP would refuse any eval:
      // the expression goes into the script itself. The bound is a native AbortSignal timer
      // (no page-visible setTimeout or addEventListener), with a backstop on this side.
      ? await bounded(driver.executeAsyncScript(`
        const done = arguments[arguments.length - 1];
        AbortSignal.timeout(${EVAL_TIMEOUT}).onabort = () => done(JSON.stringify({ ok: false, e: 'script timed out after ${EVAL_TIMEOUT} ms' }));
        ${wrap(fn, arg)}.then(done, (e) => done(JSON.stringify({ ok: false, e: String(e) })));`), EVAL_TIMEOUT + 5000, 'a script')
      // Marionette runs scripts in a sandbox with its own globals (Error, TypeError…), so
      // `instanceof` would lie; window.eval runs the code in the page's own realm instead (and
      // when a page's CSP forbids eval, the sandbox's own eval is the fallback).
      : await driver.executeAsyncScript(`
        const done = arguments[arguments.length - 1];
        let p;
        try { p = window.eval(arguments[0]); } catch (e) { p = eval(arguments[0]); }
        p.then(done, (e) => done(JSON.stringify({ ok: false, e: String(e) })));`,
      wrap(fn, arg));
    return unwrap(json, fn);
  });
  const handles = () => serial(() => driver.getAllWindowHandles());

  const windowHandle = (handle) => withWaitFor({
    eval: (fn, arg) => evalIn(handle, fn, arg),
    url: () => serial(async () => { await on(handle); return driver.getCurrentUrl(); }),
    closed: async () => !(await handles()).includes(handle),
    waitClosed: ({ timeout = DEFAULT_WAIT } = {}) =>
      waitUntil(async () => !(await handles()).includes(handle), `window ${handle} to close`, timeout),
  });

  return {
    engine,
    async newPage(url) {
      await serial(async () => {
        for (const h of await driver.getAllWindowHandles()) {
          // A popup may be closing itself meanwhile (a redirect page that delivered): gone is
          // as good as closed.
          if (h !== home) await driver.switchTo().window(h).then(() => driver.close()).catch(() => {});
        }
        await driver.switchTo().window(home);
      });
      // Only the home window left, so that the next popup is told apart from this one's.
      await waitUntil(async () => (await handles()).length === 1, 'the previous popups to close', DEFAULT_WAIT);
      await serial(() => driver.get(url));
      return Object.assign(windowHandle(home), {
        click: (selector) => serial(async () => { await on(home); await driver.findElement(By.css(selector)).click(); }),
        async waitForPopup({ timeout = DEFAULT_WAIT } = {}) {
          const before = new Set(await handles());
          const h = await waitUntil(async () => (await handles()).find((x) => !before.has(x)), 'a popup window', timeout);
          return windowHandle(h);
        },
        windowCount: async () => (await handles()).length,
        goto: (u) => serial(async () => { await on(home); await driver.get(u); }),
      });
    },
    close: () => serial(quit),
  };
}
