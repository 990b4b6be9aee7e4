// The npm package as users consume it. The repository is packed once (`npm pack`) and the
// tarball installed into a fresh temp app (`npm install <tgz>`), so "files", "exports" and
// "types" are exercised, not the working tree. Then:
//   - pack contents: only what users need;
//   - Node import (server-side rendering): importing touches no browser global and does not
//     throw; constructing names what is missing;
//   - TypeScript: tests/types/usage.ts compiles with `tsc --strict` against the package's
//     declarations, and every line marked `@ts-expect-error` must fail to compile;
//   - bundlers: a tiny app importing the package with zero bundler configuration is built
//     with Vite, webpack 5 and esbuild (the versions in devDependencies), then run in Chromium
//     (Chromium only: the bundles are plain JS, the engines are covered by the other suites).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { engines, launch } from '../support/browser.mjs';
import { MISSING } from '../support/harness.mjs';
import { packAndInstall, packList, run } from '../support/package.mjs';
import { REPO_ROOT, startServer } from '../support/server.mjs';

const PKG = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const NOT_BUILT = MISSING.oursNpm || MISSING.oursCdn || MISSING.redirect;

describe('npm package', { skip: NOT_BUILT }, () => {
  describe('npm pack', () => {
    it('contains only what users need: dist/npm, dist/cdn, README, LICENSE, package.json', async () => {
      const info = await packList();
      const files = info.files.map((f) => f.path).sort();
      const allowed = (f) => /^dist\/(npm|cdn)\//.test(f) || ['README.md', 'LICENSE', 'package.json'].includes(f);
      assert.deepEqual(files.filter((f) => !allowed(f)), [], 'files that users do not need');
      assert.deepEqual(files.filter((f) => /\.(map|wasm|rs|ts)$/.test(f) && f !== 'dist/npm/index.d.ts'), [], 'no source maps, raw wasm or sources');
      const [major] = PKG.version.split('.');
      for (const need of [
        'LICENSE', 'README.md', 'package.json', 'dist/npm/index.js', 'dist/npm/index.cjs', 'dist/npm/index.d.ts', 'dist/npm/index.d.cts',
        'dist/cdn/sdk.js', 'dist/cdn/redirect.js', 'dist/cdn/redirect.html', 'dist/cdn/integrity.json',
        `dist/cdn/${PKG.version}/sdk.js`, `dist/cdn/v${major}/redirect.js`, `dist/cdn/v${major}/redirect.html`, `dist/cdn/v${major}/redirect`,
      ]) assert.ok(files.includes(need), `${need} is in the package`);
      // Everything package.json points at is in the package.
      const leaves = (e) => (typeof e === 'string' ? [e] : Object.values(e).flatMap(leaves));
      const targets = [PKG.main, PKG.module, PKG.types, PKG.unpkg, PKG.jsdelivr, ...leaves(PKG.exports)];
      for (const t of targets) assert.ok(files.includes(path.posix.normalize(t)), `${t} (named in package.json) is in the package`);
      assert.ok(info.unpackedSize < 400_000, `unpacked size ${info.unpackedSize} B`);
    });

    it('the CommonJS declarations (index.d.cts) name every type the ES declarations (index.d.ts) export, and nothing else', async () => {
      const esm = await readFile(path.join(REPO_ROOT, 'js/index.d.ts'), 'utf8');
      const cjs = await readFile(path.join(REPO_ROOT, 'js/index.d.cts'), 'utf8');
      const exported = [...esm.matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1]).sort();
      const aliased = [...cjs.matchAll(/^ {2}type (\w+)(?:<[^>]*>)? = Module\.(\w+)[<;]/gm)].map((m) => {
        assert.equal(m[1], m[2], 'each alias keeps its name');
        return m[1];
      }).sort();
      assert.ok(exported.length > 15, `${exported.length} exported types found`);
      assert.deepEqual(aliased, exported);
      // And the error classes' types, which index.d.ts's namespace gives `Smartcar.AccessDenied`.
      const namespaced = [...esm.matchAll(/^ {2}type (\w+) = \w+Error;/gm)].map((m) => m[1]).sort();
      const errors = [...cjs.matchAll(/^ {2}type (\w+) = Module\.Smartcar\.(\w+);/gm)].map((m) => {
        assert.equal(m[1], m[2], 'each alias keeps its name');
        return m[1];
      }).sort();
      assert.equal(namespaced.length, 8, 'the eight error classes');
      assert.deepEqual(errors, namespaced);
    });

    it('package.json has the fields of a well-kept package', () => {
      assert.equal(PKG.type, 'module');
      assert.equal(PKG.license, 'MIT');
      assert.match(PKG.repository?.url ?? '', /^git\+https:\/\//);
      assert.equal(PKG.sideEffects, false);
      const esm = { types: './dist/npm/index.d.ts', default: './dist/npm/index.js' };
      assert.deepEqual(PKG.exports['.'], { import: esm, require: { types: './dist/npm/index.d.cts', default: './dist/npm/index.cjs' }, default: esm });
      for (const condition of Object.values(PKG.exports['.'])) assert.equal(Object.keys(condition)[0], 'types', '"types" must come first in the conditions');
      assert.equal(PKG.main, './dist/npm/index.cjs', 'tools that only read "main" require() it');
      assert.equal(PKG.types, './dist/npm/index.d.ts');
      // What jsDelivr and unpkg answer for the package without a file path: the script-tag build
      // (without these fields, `main`: the CommonJS build, which a script tag cannot run).
      assert.equal(PKG.unpkg, './dist/cdn/sdk.js');
      assert.equal(PKG.jsdelivr, './dist/cdn/sdk.js');
      assert.equal(PKG.dependencies, undefined, 'no runtime dependencies');
    });
  });

  describe('installed from the packed tarball', () => {
    let pkg;
    before(async () => { pkg = await packAndInstall(); }, { timeout: 90000 });
    after(async () => { await pkg?.cleanup(); });

    it('installs only the packed files', async () => {
      const installed = path.join(pkg.app, 'node_modules', PKG.name);
      assert.ok(existsSync(path.join(installed, 'dist/npm/index.js')));
      assert.ok(!existsSync(path.join(installed, 'src')), 'no Rust sources');
      assert.ok(!existsSync(path.join(installed, 'js')), 'no js/ sources');
    });

    describe('Node import (server-side rendering)', () => {
      // Every browser global the SDK could reach is a getter that records the access.
      const PROBE = (name) => `
const TRAPPED = ['window', 'document', 'self', 'location', 'navigator', 'localStorage', 'sessionStorage',
  'top', 'parent', 'opener', 'frames', 'screen', 'history', 'addEventListener', 'removeEventListener',
  'postMessage', 'BroadcastChannel', 'MessageEvent', 'HTMLElement', 'Element'];
const touched = [];
for (const g of TRAPPED) {
  Object.defineProperty(globalThis, g, { configurable: true, get() { touched.push(g); return undefined; } });
}
const out = {};
try {
  const m = await import(${JSON.stringify(name)});
  out.keys = Object.keys(m).sort();
  out.sameClass = m.default === m.Smartcar;
  out.typeofDefault = typeof m.default;
  out.statics = ['AccessDenied', 'InvalidSubscription', 'VehicleIncompatible', 'PopupBlocked', 'PopupClosed', 'Timeout', 'InteractionInProgress']
    .filter((n) => typeof m.default[n] === 'function' && new m.default[n]('x') instanceof Error);
  out.touchedOnImport = [...touched];
  try {
    new m.default({ applicationId: 'app', redirectUri: 'https://app.example.com/cb', onComplete() {} });
    out.constructed = true;
  } catch (e) {
    out.constructError = { isError: e instanceof Error, name: e && e.name, message: String(e && e.message) };
  }
} catch (e) {
  out.importError = String(e && e.stack || e);
}
process.stdout.write(JSON.stringify(out));
`;
      let result;
      before(async () => {
        await writeFile(path.join(pkg.app, 'ssr.mjs'), PROBE(PKG.name));
        const r = await run(process.execPath, ['ssr.mjs'], { cwd: pkg.app, timeout: 20000 });
        assert.equal(r.code, 0, `node exited ${r.code}: ${r.stderr}`);
        assert.equal(r.stderr, '', 'nothing on stderr (no warnings, no crash)');
        result = JSON.parse(r.stdout);
      }, { timeout: 30000 });

      it('`await import(package)` does not throw and exposes default and named Smartcar', () => {
        assert.equal(result.importError, undefined);
        assert.deepEqual(result.keys, ['Smartcar', 'default']);
        assert.equal(result.typeofDefault, 'function');
        assert.equal(result.sameClass, true);
      });

      it('importing touches no browser global (window, document, self, …)', () => {
        assert.deepEqual(result.touchedOnImport, []);
      });

      it('the error classes work without a browser', () => {
        assert.deepEqual(result.statics, ['AccessDenied', 'InvalidSubscription', 'VehicleIncompatible', 'PopupBlocked', 'PopupClosed', 'Timeout', 'InteractionInProgress']);
      });

      it('`require(package)` is the class itself, as `require(\'@smartcar/auth\')` is the reference\'s; `.default` and `.Smartcar` are too, not enumerable', async () => {
        await writeFile(path.join(pkg.app, 'ssr.cjs'), `const Smartcar = require(${JSON.stringify(PKG.name)});
const reference = require(${JSON.stringify(path.join(REPO_ROOT, 'node_modules/@smartcar/auth'))});
let constructError;
try { new Smartcar({ applicationId: 'a', redirectUri: 'https://app.example.com/cb' }); } catch (e) { constructError = e instanceof Error && e.message; }
process.stdout.write(JSON.stringify({
  typeofSmartcar: typeof Smartcar, name: Smartcar.name, keys: Object.keys(Smartcar), referenceKeys: Object.keys(reference),
  defaultIs: Smartcar.default === Smartcar, namedIs: Smartcar.Smartcar === Smartcar,
  incompatible: new Smartcar.VehicleIncompatible('no', { vin: 'V' }) instanceof Error, constructError,
}));
`);
        const r = await run(process.execPath, ['ssr.cjs'], { cwd: pkg.app, timeout: 20000 });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '', 'nothing on stderr');
        const got = JSON.parse(r.stdout);
        assert.equal(got.typeofSmartcar, 'function');
        assert.equal(got.name, 'Smartcar');
        assert.deepEqual(got.referenceKeys, ['AccessDenied', 'VehicleIncompatible', 'InvalidSubscription'], 'the reference, required the same way');
        assert.deepEqual(got.keys.slice(0, 3), got.referenceKeys, 'the reference\'s statics first, in its order');
        assert.ok(!got.keys.includes('default') && !got.keys.includes('Smartcar'));
        assert.equal(got.defaultIs, true);
        assert.equal(got.namedIs, true);
        assert.equal(got.incompatible, true);
        assert.match(got.constructError, /\bwindow\b/, 'without a browser, construction throws an Error naming what is missing');
      });

      it('constructing without a browser throws an Error that names what is missing', () => {
        assert.equal(result.constructed, undefined, 'construction must not succeed without a window');
        assert.ok(result.constructError, 'an exception, not a crash');
        assert.equal(result.constructError.isError, true);
        assert.match(result.constructError.message, /\bwindow\b/, `message: ${result.constructError.message}`);
        assert.match(result.constructError.message, /browser/, `message: ${result.constructError.message}`);
      });
    });

    describe('TypeScript', () => {
      const TSC = path.join(REPO_ROOT, 'node_modules/.bin/tsc');
      const compile = async (file, extra) => {
        const r = await run(TSC, ['--strict', '--noUnusedParameters', '--noEmit', '--pretty', 'false', '--target', 'es2022', '--lib', 'es2022,dom', ...extra, file], { cwd: pkg.app, timeout: 60000 });
        return { code: r.code, out: (r.stdout + r.stderr).trim() };
      };
      before(async () => {
        await mkdir(path.join(pkg.app, 'ts'), { recursive: true });
        const usage = (await readFile(path.join(REPO_ROOT, 'tests/types/usage.ts'), 'utf8')).replaceAll("from '@smartcar-rs/auth'", `from '${PKG.name}'`);
        await writeFile(path.join(pkg.app, 'ts/usage.ts'), usage);
        // The control: a wrong line without @ts-expect-error must fail (tsc really checks).
        await writeFile(path.join(pkg.app, 'ts/control.ts'),
          `import Smartcar from '${PKG.name}';\nnew Smartcar({ applicationId: 'a', mode: 'prod' });\n`);
      });

      for (const [label, flags] of [
        ['moduleResolution bundler', ['--module', 'preserve', '--moduleResolution', 'bundler']],
        ['module nodenext', ['--module', 'nodenext']],
      ]) {
        it(`tests/types/usage.ts compiles with tsc --strict (${label}); every @ts-expect-error line is an error`, { skip: !existsSync(TSC) && 'typescript is not installed' }, async () => {
          const { code, out } = await compile('ts/usage.ts', flags);
          assert.equal(out, '', 'no diagnostics');
          assert.equal(code, 0);
        });
      }

      it("README's quick start (both blocks) and its handleRedirect example are in tests/types/usage.ts word for word (so they are what compiles)", async () => {
        const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
        const quickStart = /## Quick start\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
        const blocks = [...quickStart.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
        assert.equal(blocks.length, 2, 'README has a quick start in two blocks');
        const handleRedirect = /### `handleRedirect\([\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
        assert.ok(handleRedirect, "README has handleRedirect's example");
        const usage = await readFile(path.join(REPO_ROOT, 'tests/types/usage.ts'), 'utf8');
        for (const block of [...blocks, handleRedirect]) {
          assert.ok(usage.includes(block.replace(/^import .*\n\n/, '')), `in usage.ts:\n${block}`);
        }
      });

      it('compiled to CommonJS (tsc --module commonjs --esModuleInterop), default, named and namespace imports are the class', { skip: !existsSync(TSC) && 'typescript is not installed' }, async () => {
        await mkdir(path.join(pkg.app, 'ts-cjs'), { recursive: true });
        await writeFile(path.join(pkg.app, 'ts-cjs/imports.ts'), `import Smartcar, { Smartcar as Named } from '${PKG.name}';
import * as Namespace from '${PKG.name}';
process.stdout.write(JSON.stringify([typeof Smartcar, Named === Smartcar, Namespace.default === Smartcar, Namespace.Smartcar === Smartcar]));
declare const process: { stdout: { write(text: string): void } };
`);
        const out = path.join(pkg.app, 'ts-cjs/out');
        const { code, out: diagnostics } = await compile('ts-cjs/imports.ts', ['--module', 'commonjs', '--esModuleInterop', '--noEmit', 'false', '--outDir', out]);
        assert.equal(diagnostics, '', 'no diagnostics');
        assert.equal(code, 0);
        await writeFile(path.join(out, 'package.json'), '{ "type": "commonjs" }\n');
        const r = await run(process.execPath, [path.join(out, 'imports.js')], { cwd: pkg.app, timeout: 20000 });
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(JSON.parse(r.stdout), ['function', true, true, true]);
      });

      it('CommonJS TypeScript (a .cts file, module nodenext): `import Smartcar = require(...)` is the class and its instances\' type, the API\'s types are `Smartcar.*`', { skip: !existsSync(TSC) && 'typescript is not installed' }, async () => {
        await writeFile(path.join(pkg.app, 'ts/required.cts'), `import Smartcar = require('${PKG.name}');
const options: Smartcar.SmartcarOptions = { applicationId: 'a', redirectUri: 'https://app.example.com/cb', scope: ['read_odometer'] };
const sc: Smartcar = new Smartcar(options);
const url: string = sc.getAuthUrl({ state: 'x', forcePrompt: true });
const onComplete: Smartcar.OnComplete = function (error, code) { void error; void code; void this.instanceId; };
const result: Promise<Smartcar.ConnectResult> = sc.connect({ timeout: 1000 });
const Named: Smartcar = new Smartcar.Smartcar({ applicationId: 'b' });
const denied: Smartcar.AccessDenied = new Smartcar.AccessDenied('m');
const failed = (e: unknown): string | undefined => (e instanceof Smartcar.VehicleIncompatible ? (e satisfies Smartcar.VehicleIncompatible).vehicleInfo?.vin : undefined);
void url; void onComplete; void result; void Named; void denied; void failed;
// @ts-expect-error a mode the SDK does not have
new Smartcar({ applicationId: 'a', mode: 'prod' });
`);
        const { code, out } = await compile('ts/required.cts', ['--module', 'nodenext']);
        assert.equal(out, '', 'no diagnostics');
        assert.equal(code, 0);
      });

      it('control: a wrong option type without @ts-expect-error fails to compile', { skip: !existsSync(TSC) && 'typescript is not installed' }, async () => {
        const { code, out } = await compile('ts/control.ts', ['--module', 'preserve', '--moduleResolution', 'bundler']);
        assert.notEqual(code, 0);
        assert.match(out, /control\.ts\(2,\d+\): error TS2322: Type '"prod"' is not assignable to type 'Mode/);
      });
    });

    describe('bundlers (zero configuration, run in Chromium)', () => {
      const chromium = engines().find((e) => e.name === 'chromium');
      const skip = !chromium ? 'chromium is not in E2E_BROWSERS' : chromium.skip;
      let browser;
      before(async () => {
        await mkdir(path.join(pkg.app, 'src'), { recursive: true });
        await writeFile(path.join(pkg.app, 'src/index.js'), APP(PKG.name));
        await writeFile(path.join(pkg.app, 'src/required.cjs'), REQUIRED_APP(PKG.name));
        // Vite's entry is index.html; webpack's default entry is ./src/index.js.
        await writeFile(path.join(pkg.app, 'index.html'), page('<script type="module" src="/src/index.js"></script>'));
        if (!skip) browser = await launch('chromium');
      }, { timeout: 70000 });
      after(async () => { await browser?.close(); }, { timeout: 30000 });

      /** Serves `dir` and runs its index.html in Chromium; returns the app's report. */
      const runApp = async (dir) => {
        const server = await startServer({ root: dir });
        try {
          const p = await browser.newPage(`${server.origin}/index.html`);
          const report = await p.waitFor(() => window.__report || (window.__errors.length && { errors: window.__errors }), undefined, { timeout: 10000 });
          const errors = await p.eval(() => window.__errors);
          return { report, errors, requests: server.requests.map((r) => r.path) };
        } finally {
          await server.close();
        }
      };

      /** The assertions every bundle must pass. */
      const check = ({ report, errors, requests }) => {
        assert.deepEqual(errors, [], 'no uncaught errors');
        assert.equal(report.error, undefined, `the app threw: ${report.error}`);
        assert.equal(report.typeofDefault, 'function');
        assert.equal(report.sameClass, true, 'default export === named export Smartcar');
        assert.equal(report.isInstance, true, 'instanceof Smartcar');
        const url = new URL(report.url);
        assert.equal(url.origin + url.pathname, 'https://connect.smartcar.com/oauth/authorize');
        assert.equal(url.searchParams.get('response_type'), 'code');
        assert.equal(url.searchParams.get('application_id'), 'tiny-app-id');
        assert.equal(url.searchParams.get('redirect_uri'), 'https://app.example.com/cb');
        assert.equal(url.searchParams.get('scope'), 'read_vehicle_info read_odometer');
        assert.equal(url.searchParams.get('mode'), 'test');
        assert.deepEqual(JSON.parse(atob(url.searchParams.get('state'))), { instanceId: report.instanceId, originalState: 'tiny-state' });
        assert.deepEqual(report.errorClasses, {
          AccessDenied: true, InvalidSubscription: true, VehicleIncompatible: true, PopupBlocked: true,
          PopupClosed: true, Timeout: true, InteractionInProgress: true,
        });
        assert.deepEqual(report.incompatible, { name: 'VehicleIncompatible', message: 'no', vehicleInfo: { vin: 'V', make: 'M', year: 2020 } });
        assert.deepEqual(report.badOption, 'TypeError');
        assert.equal(report.unmounted, true);
        assert.ok(!requests.some((r) => r.endsWith('.wasm')), `no separate .wasm request: ${requests}`);
      };

      it('npm CDNs\' default file (the `jsdelivr` and `unpkg` fields) is the script-tag build: a script tag sets window.Smartcar, which runs, and integrity.json\'s hash is its', { skip, timeout: 30000 }, async () => {
        const installed = path.join(pkg.app, 'node_modules', PKG.name);
        const fields = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8'));
        assert.equal(fields.unpkg, fields.jsdelivr);
        const out = path.join(pkg.app, 'out-cdn');
        await mkdir(out, { recursive: true });
        // https://cdn.jsdelivr.net/npm/<name>@<version> (and unpkg.com's) answers with that file.
        const file = path.join(installed, fields.jsdelivr);
        await copyFile(file, path.join(out, 'default.js'));
        const integrity = JSON.parse(await readFile(path.join(installed, 'dist/cdn/integrity.json'), 'utf8'));
        const hash = `sha384-${createHash('sha384').update(await readFile(file)).digest('base64')}`;
        assert.equal(integrity[`${PKG.version}/sdk.js`], hash, 'the SRI hash README tells users to copy');
        // The tiny app, as a classic script after the tag.
        const app = APP(PKG.name).replace(/^import .*\n/gm, '');
        await writeFile(path.join(out, 'index.html'), page(`<script src="/default.js" integrity="${hash}" crossorigin="anonymous"></script>
<script>(function () { const Smartcar = window.Smartcar; const Named = Smartcar;\n${app}})();</script>`));
        check(await runApp(out));
      });

      it('Vite: builds and runs', { skip, timeout: 60000 }, async () => {
        const { build } = await import('vite');
        const warnings = [];
        const logger = { info() {}, warn: (m) => warnings.push(m), warnOnce: (m) => warnings.push(m), error: (m) => warnings.push(m), clearScreen() {}, hasErrorLogged: () => false, hasWarned: false };
        await build({ root: pkg.app, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir: path.join(pkg.app, 'out-vite') } });
        assert.deepEqual(warnings, [], 'Vite warns about nothing');
        check(await runApp(path.join(pkg.app, 'out-vite')));
      });

      it('webpack 5: builds and runs', { skip, timeout: 60000 }, async () => {
        const { default: webpack } = await import('webpack');
        const out = path.join(pkg.app, 'out-webpack');
        const stats = await new Promise((resolve, reject) => {
          webpack({ mode: 'production', context: pkg.app, output: { path: out } }, (err, s) => (err ? reject(err) : resolve(s)));
        });
        const info = stats.toJson({ all: false, errors: true, warnings: true });
        assert.deepEqual(info.errors.map((e) => e.message), [], 'webpack errors');
        assert.deepEqual(info.warnings.map((e) => e.message), [], 'webpack warnings');
        await writeFile(path.join(out, 'index.html'), page('<script src="main.js"></script>'));
        check(await runApp(out));
      });

      it('webpack 5, CommonJS (`const Smartcar = require(...)`, as apps written for the reference do): builds and runs', { skip, timeout: 60000 }, async () => {
        const { default: webpack } = await import('webpack');
        const out = path.join(pkg.app, 'out-webpack-cjs');
        const stats = await new Promise((resolve, reject) => {
          webpack({ mode: 'production', context: pkg.app, entry: './src/required.cjs', output: { path: out } }, (err, s) => (err ? reject(err) : resolve(s)));
        });
        const info = stats.toJson({ all: false, errors: true, warnings: true });
        assert.deepEqual(info.errors.map((e) => e.message), [], 'webpack errors');
        assert.deepEqual(info.warnings.map((e) => e.message), [], 'webpack warnings');
        await writeFile(path.join(out, 'index.html'), page('<script src="main.js"></script>'));
        check(await runApp(out));
      });

      it('esbuild: builds and runs', { skip, timeout: 60000 }, async () => {
        const esbuild = await import('esbuild');
        const out = path.join(pkg.app, 'out-esbuild');
        const result = await esbuild.build({ absWorkingDir: pkg.app, entryPoints: ['src/index.js'], bundle: true, outdir: out, logLevel: 'silent' });
        assert.deepEqual(result.errors, []);
        assert.deepEqual(result.warnings.map((w) => w.text), [], 'esbuild warnings');
        await writeFile(path.join(out, 'index.html'), page('<script src="index.js"></script>'));
        check(await runApp(out));
      });
    });
  });
});

/** The tiny app written with `require()`, as CommonJS apps use the reference. */
function REQUIRED_APP(name) {
  const imports = `import Smartcar from '${name}';\nimport { Smartcar as Named } from '${name}';\n`;
  const app = APP(name);
  if (!app.startsWith(imports)) throw new Error('the tiny app no longer starts with the imports REQUIRED_APP replaces');
  return `const Smartcar = require('${name}');\nconst Named = require('${name}').Smartcar;\n${app.slice(imports.length)}`;
}

/** The tiny app's HTML: records uncaught errors before the app's script runs. */
function page(script) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>tiny app</title>
<script>window.__errors = []; addEventListener('error', function (e) { window.__errors.push(String(e.message)); });</script>
</head><body>${script}</body></html>
`;
}

/** The tiny app: uses the SDK synchronously, right after the import, and reports. */
const APP = (name) => `import Smartcar from '${name}';
import { Smartcar as Named } from '${name}';

const report = {};
try {
  const sc = new Smartcar({
    applicationId: 'tiny-app-id',
    redirectUri: 'https://app.example.com/cb',
    scope: ['read_vehicle_info', 'read_odometer'],
    mode: 'test',
    onComplete() {},
  });
  report.url = sc.getAuthUrl({ state: 'tiny-state' });
  report.instanceId = sc.instanceId;
  report.typeofDefault = typeof Smartcar;
  report.sameClass = Smartcar === Named;
  report.isInstance = sc instanceof Smartcar && sc instanceof Named;
  report.errorClasses = {};
  for (const n of ['AccessDenied', 'InvalidSubscription', 'VehicleIncompatible', 'PopupBlocked', 'PopupClosed', 'Timeout', 'InteractionInProgress']) {
    const E = Smartcar[n];
    const e = typeof E === 'function' ? new E('m') : null;
    report.errorClasses[n] = !!e && e instanceof E && e instanceof Error && e.name === n;
  }
  const vi = new Smartcar.VehicleIncompatible('no', { vin: 'V', make: 'M', year: 2020 });
  report.incompatible = { name: vi.name, message: vi.message, vehicleInfo: vi.vehicleInfo };
  try { new Smartcar({ applicationId: 'a', scope: 5 }); } catch (e) { report.badOption = e.name; }
  sc.unmount();
  report.unmounted = true;
} catch (e) {
  report.error = String(e && e.stack || e);
}
window.__report = report;
`;
