#!/usr/bin/env node
// `npm run bench` (after the build): this project's dist/cdn/sdk.js against the reference,
// @smartcar/auth 2.14.1 (the dev dependency's dist/npm/sdk.js, minified the same way: esbuild's
// minifier), in one headless Chromium run, alternating between the two. Prints:
//   - bytes raw / gzip (-9) / brotli (q11) of each script, and of the redirect scripts (the
//     reference's redirect source is not in its npm package: its documented 0.6 KB / 0.4 KB);
//   - the distance of ours to the size targets (sdk.js 12 KB gzip, redirect.js 4 KB gzip);
//   - time from a script tag to a usable window.Smartcar (warm cache; median of many);
//   - getAuthUrl calls per second;
//   - latency from a MessageEvent to onComplete (median);
//   - JS heap and wasm memory before, after 5,000 construct/addClickHandler/unmount cycles and
//     after 5,000 more. The cycles run synchronously, so no garbage collection (and no
//     FinalizationRegistry callback, which frees an unmounted instance's wasm side) runs
//     during a round: wasm linear memory grows to hold the round's
//     5,000 instances, and never shrink. A leak shows as growth in the second round;
//   - the machine (CPU, cores, Chromium version).
// A benchmark, not a test: it fails only when something does not work at all. Bounded: every
// phase has a fixed count or duration, and the whole run a 3-minute watchdog.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { launchPlaywrightChromium } from '../tests/support/browser.mjs';
import { startServer } from '../tests/support/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;
const TARGETS = { sdk: 12 * KB, redirect: 4 * KB }; // gzip
const REFERENCE_REDIRECT = { raw: 0.6 * KB, gzip: 0.4 * KB }; // documented in the issue
const LOADS = 150; // script-tag loads per SDK
const RATE_MS = 400; // per getAuthUrl round
const RATE_ROUNDS = 5; // per SDK, alternating
const BATCH = 100; // MessageEvents per latency batch
const BATCHES = 40; // per SDK, alternating
const CYCLES = 5000;

const watchdog = setTimeout(() => { console.error('bench: did not finish within 3 minutes'); process.exit(1); }, 180_000);
watchdog.unref();

// ---------------------------------------------------------------------------------------------
// The scripts.

const refSource = readFileSync(path.join(ROOT, 'node_modules/@smartcar/auth/dist/npm/sdk.js'), 'utf8');
const reference = Buffer.from((await esbuild.transform(refSource, { minify: true, legalComments: 'none', target: 'es2020' })).code);
const ours = readFileSync(path.join(ROOT, 'dist/cdn/sdk.js'));
const ourRedirect = readFileSync(path.join(ROOT, 'dist/cdn/redirect.js'));

const sizes = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length,
});

// ---------------------------------------------------------------------------------------------
// The pages. The scripts are cacheable (max-age) so every load after the first is warm.

const server = await startServer();
const js = (body) => ({ body, type: 'text/javascript; charset=utf-8', headers: { 'Cache-Control': 'public, max-age=3600' } });
server.route('/bench/reference.js', js(reference));
server.route('/bench/ours.js', js(ours));
const SCRIPT = { reference: '/bench/reference.js', ours: '/bench/ours.js' };
// Cross-origin isolated pages: performance.now() then has 5 µs resolution instead of 100 µs.
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
// The load page times WebAssembly compilation and instantiation separately (window.__wasmMs).
server.route('/bench/empty.html', { headers: ISOLATED, body: `<!doctype html><meta charset="utf-8"><title>bench</title>
<script>
  window.__wasmMs = 0;
  const Module = WebAssembly.Module;
  const Instance = WebAssembly.Instance;
  WebAssembly.Module = function (bytes) {
    const t = performance.now();
    try { return new Module(bytes); } finally { window.__wasmMs += performance.now() - t; }
  };
  WebAssembly.Module.prototype = Module.prototype;
  WebAssembly.Instance = function (module, imports) {
    const t = performance.now();
    try { return new Instance(module, imports); } finally { window.__wasmMs += performance.now() - t; }
  };
  WebAssembly.Instance.prototype = Instance.prototype;
</script>
<body><button id="connect">Connect</button></body>` });
// For the memory phase: keeps each wasm instance the page creates, to read its memory.
server.route('/bench/memory.html', { headers: ISOLATED, body: `<!doctype html><meta charset="utf-8"><title>bench memory</title>
<script>
  window.__instances = [];
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = function (module, imports) {
    const instance = new Instance(module, imports);
    window.__instances.push(instance);
    return instance;
  };
  WebAssembly.Instance.prototype = Instance.prototype;
</script>
<body><button id="connect">Connect</button></body>` });

const browser = await launchPlaywrightChromium();
const context = await browser.newContext();
const page = await context.newPage();
page.setDefaultTimeout(60000);
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

try {
  await page.goto(server.url('/bench/empty.html'));
  const isolated = await page.evaluate(() => crossOriginIsolated);

  // ---- load time: script tag -> usable window.Smartcar --------------------------------------
  // One timed load = insert <script src>, wait for its load event, check that
  // `new Smartcar(...)` works. The first load of each fills the cache and is not counted.
  const loadOnce = (src) => page.evaluate((src) => new Promise((resolve, reject) => {
    window.Smartcar = undefined;
    window.__wasmMs = 0;
    const s = document.createElement('script');
    const t0 = performance.now();
    s.onload = () => {
      const t1 = performance.now();
      try {
        new window.Smartcar({ applicationId: 'bench', redirectUri: location.origin + '/cb' }).unmount();
      } catch (e) {
        return reject(new Error(`${src}: not usable after load: ${e}`));
      }
      s.remove();
      resolve({ total: t1 - t0, wasm: window.__wasmMs });
    };
    s.onerror = () => reject(new Error(`${src} failed to load`));
    s.src = src;
    document.head.appendChild(s);
  }), src);
  const load = { reference: [], ours: [] };
  const wasmMs = [];
  await loadOnce(SCRIPT.reference);
  await loadOnce(SCRIPT.ours);
  for (let i = 0; i < LOADS; i++) {
    for (const name of i % 2 ? ['ours', 'reference'] : ['reference', 'ours']) {
      const { total, wasm } = await loadOnce(SCRIPT[name]);
      load[name].push(total);
      if (name === 'ours') wasmMs.push(wasm);
    }
  }
  const fetched = (p) => server.requests.filter((r) => r.path === p).length;
  const warm = fetched(SCRIPT.reference) === 1 && fetched(SCRIPT.ours) === 1;

  // ---- getAuthUrl calls per second -----------------------------------------------------------
  // Each SDK runs in the same page, loaded once more, as window.Ref / window.Ours.
  await page.goto(server.url('/bench/empty.html'));
  for (const name of ['reference', 'ours']) {
    await page.addScriptTag({ url: SCRIPT[name] });
    await page.evaluate((name) => {
      window[name] = window.Smartcar;
      window.Smartcar = undefined;
    }, name);
  }
  const rateOnce = (name) => page.evaluate(({ name, ms }) => {
    const sc = new window[name]({
      applicationId: 'bench-app', redirectUri: 'https://app.example.com/cb', scope: ['read_vehicle_info', 'read_odometer'], mode: 'test',
    });
    let n = 0;
    let sink = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let k = 0; k < 50; k++) sink += sc.getAuthUrl({ state: 'state-' + n++, forcePrompt: true, vehicleInfo: { make: 'TESLA' } }).length;
    }
    sc.unmount();
    if (!sink) throw new Error('no URL');
    return n / (ms / 1000);
  }, { name, ms: RATE_MS });
  const rate = { reference: [], ours: [] };
  for (let i = 0; i < RATE_ROUNDS; i++) {
    for (const name of i % 2 ? ['ours', 'reference'] : ['reference', 'ours']) rate[name].push(await rateOnce(name));
  }

  // ---- MessageEvent -> onComplete ------------------------------------------------------------
  // A batch dispatches BATCH MessageEvents from the redirect URI's origin (each with its own
  // code) and times from the first dispatch to the last onComplete; onComplete runs inside
  // the dispatch, so per event = batch / BATCH (performance.now() is too coarse for one).
  const latencyBatch = (name) => page.evaluate(({ name, batch }) => {
    let calls = 0;
    const sc = new window[name]({
      applicationId: 'bench-app', redirectUri: location.origin + '/cb', onComplete: () => { calls++; },
    });
    const state = btoa(JSON.stringify({ instanceId: sc.instanceId, originalState: 'bench' }));
    const events = [];
    for (let k = 0; k < batch; k++) {
      events.push(new MessageEvent('message', {
        origin: location.origin,
        data: {
          name: 'SmartcarAuthMessage', isSmartcarHosted: false, code: 'code-' + k, error: null, errorDescription: null,
          state, vin: null, make: null, model: null, year: null, virtualKeyUrl: null, userId: null,
        },
      }));
    }
    const t0 = performance.now();
    for (const e of events) window.dispatchEvent(e);
    const t1 = performance.now();
    sc.unmount();
    if (calls !== batch) throw new Error(`${name}: onComplete called ${calls} times for ${batch} messages`);
    return (t1 - t0) / batch;
  }, { name, batch: BATCH });
  const latency = { reference: [], ours: [] };
  for (let i = 0; i < BATCHES; i++) {
    for (const name of i % 2 ? ['ours', 'reference'] : ['reference', 'ours']) latency[name].push(await latencyBatch(name));
  }

  // ---- memory over 5,000 construct / addClickHandler / unmount cycles ------------------------
  // Each SDK in a fresh page; the JS heap through CDP after a full GC, the wasm linear memory
  // from the instance the page created.
  const cdp = await context.newCDPSession(page);
  const gc = async () => {
    for (let i = 0; i < 3; i++) {
      await cdp.send('HeapProfiler.collectGarbage');
      // FinalizationRegistry callbacks (which free the wasm side) run after a GC.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    }
  };
  const snapshot = async () => {
    await gc();
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const wasm = await page.evaluate(() => {
      const i = window.__instances[0];
      if (!i) return null;
      // Found by type: the build shortens export names.
      const memory = Object.values(i.exports).find((v) => v instanceof WebAssembly.Memory);
      return { memory: memory.buffer.byteLength };
    });
    return { heap: usedSize, wasm };
  };
  const cycles = (n) => page.evaluate((n) => {
    for (let k = 0; k < n; k++) {
      const sc = new window.Smartcar({
        applicationId: 'bench-app', redirectUri: 'https://app.example.com/cb', scope: ['read_vehicle_info'], onComplete() {},
      });
      sc.addClickHandler({ id: 'connect', state: 's' + k });
      sc.getAuthUrl({ state: 's' + k });
      sc.unmount();
    }
    return true;
  }, n);
  const memory = {};
  for (const name of ['reference', 'ours']) {
    await page.goto(server.url('/bench/memory.html'));
    await page.addScriptTag({ url: SCRIPT[name] });
    await cycles(200); // warm-up: lazily created tables, JIT
    const start = await snapshot();
    await cycles(CYCLES);
    const first = await snapshot();
    await cycles(CYCLES);
    const end = await snapshot();
    memory[name] = { start, first, end };
  }
  await cdp.detach();

  if (pageErrors.length) throw new Error(`errors in the page: ${pageErrors.join('; ')}`);

  // ---- report --------------------------------------------------------------------------------
  const sz = { reference: sizes(reference), ours: sizes(ours) };
  const red = sizes(ourRedirect);
  const kb = (b) => `${(b / KB).toFixed(1)} KB`;
  const ms = (x) => `${x.toFixed(x < 0.1 ? 4 : x < 1 ? 3 : 2)} ms`;
  const ratio = (a, b) => `${(b / a).toFixed(2)}×`;
  const mb = (b) => `${(b / (KB * KB)).toFixed(2)} MB`;
  const signed = (b) => `${b >= 0 ? '+' : '−'}${kb(Math.abs(b))}`;
  const C = CYCLES.toLocaleString('en-US');
  const three = (m, f) => `${f(m.start)} → ${f(m.first)} → ${f(m.end)}`;

  const rows = [
    ['sdk.js raw', kb(sz.reference.raw), kb(sz.ours.raw), ratio(sz.reference.raw, sz.ours.raw)],
    ['sdk.js gzip', kb(sz.reference.gzip), kb(sz.ours.gzip), ratio(sz.reference.gzip, sz.ours.gzip)],
    ['sdk.js brotli', kb(sz.reference.brotli), kb(sz.ours.brotli), ratio(sz.reference.brotli, sz.ours.brotli)],
    ['redirect.js raw', `${kb(REFERENCE_REDIRECT.raw)} (documented)`, kb(red.raw), ratio(REFERENCE_REDIRECT.raw, red.raw)],
    ['redirect.js gzip', `${kb(REFERENCE_REDIRECT.gzip)} (documented)`, kb(red.gzip), ratio(REFERENCE_REDIRECT.gzip, red.gzip)],
    ['redirect.js brotli', '–', kb(red.brotli), ''],
    [`script tag → usable window.Smartcar (warm, median of ${LOADS})`, ms(median(load.reference)), ms(median(load.ours)), ratio(median(load.reference), median(load.ours))],
    ['  of which WebAssembly compile + instantiate (median)', '–', ms(median(wasmMs)), ''],
    [`getAuthUrl calls/s (median of ${RATE_ROUNDS} × ${RATE_MS} ms)`, Math.round(median(rate.reference)).toLocaleString('en-US'), Math.round(median(rate.ours)).toLocaleString('en-US'), ratio(median(rate.reference), median(rate.ours))],
    [`MessageEvent → onComplete (median of ${BATCHES} × ${BATCH})`, ms(median(latency.reference)), ms(median(latency.ours)), ratio(median(latency.reference), median(latency.ours))],
    [`JS heap after GC: start → ${C} cycles → ${C} more`, three(memory.reference, (x) => mb(x.heap)), three(memory.ours, (x) => mb(x.heap)), ''],
    [`wasm memory: start → ${C} cycles → ${C} more`, '– (no wasm)', memory.ours.start.wasm ? three(memory.ours, (x) => kb(x.wasm.memory)) : 'not found', ''],
  ];
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  console.log('');
  console.log(`Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / KB ** 3).toFixed(1)} GB RAM, ${os.type()} ${os.release()}; headless Chromium ${browser.version()}; Node ${process.version}`);
  console.log(`Reference: @smartcar/auth 2.14.1 dist/npm/sdk.js minified with esbuild ${esbuild.version}; ours: dist/cdn/sdk.js. Scripts served with max-age: ${warm ? 'each fetched once (warm cache)' : 'WARNING: fetched more than once (cache not warm)'}; timers: ${isolated ? 'cross-origin isolated (5 µs)' : 'NOT isolated (100 µs)'}.`);
  console.log('');
  console.log('| | @smartcar/auth 2.14.1 | this package | ours / reference |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('');
  console.log('Size targets (gzip):');
  for (const [name, size, target] of [['sdk.js', sz.ours.gzip, TARGETS.sdk], ['redirect.js', red.gzip, TARGETS.redirect]]) {
    console.log(`  ${name.padEnd(12)} ${kb(size).padStart(8)}  target ${kb(target)}: ${size <= target ? `met, ${kb(target - size)} to spare` : `${signed(size - target)} over`}`);
  }
  const w = memory.ours.first.wasm;
  const e = memory.ours.end.wasm;
  console.log('');
  console.log(`Second round of ${C} cycles (a leak would show here): JS heap reference ${signed(memory.reference.end.heap - memory.reference.first.heap)}, ours ${signed(memory.ours.end.heap - memory.ours.first.heap)}; ` +
    (w && e ? `wasm memory ${signed(e.memory - w.memory)}.` : 'wasm memory not measured.'));
} finally {
  await browser.close().catch(() => {});
  await server.close();
}
