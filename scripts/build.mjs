// `npm run build`: compiles both crates to wasm, binds, optimises, and writes
//   dist/npm/index.js (+ index.d.ts)  ES module: `import Smartcar from ...`, usable at once
//   dist/cdn/sdk.js                   classic script: `window.Smartcar`, one file
//   dist/cdn/redirect.js, redirect.html   the redirect page
//   dist/cdn/<version>/sdk.js, dist/cdn/v<major>/redirect{.js,.html,}   the versioned CDN layout
// The wasm is embedded in the JS (base64) and instantiated synchronously with `initSync`, so
// no bundler configuration and no second request is needed. The build is deterministic.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { inflate } from '../js/inflate.js';
import { WASM_FEATURES, WASM_OPT_PASSES, deflateModule } from './wasm-opt.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const major = version.split('.')[0];
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

const crates = { sdk: 'smartcar_auth', redirect: 'smartcar_redirect' };
run('bash', ['scripts/cargo-wasm.sh', 'build', '--release', '-p', 'smartcar-auth', '-p', 'smartcar-redirect']);

const bindgen = join(root, 'target/bindgen');
rmSync(bindgen, { recursive: true, force: true });
for (const [dir, crate] of Object.entries(crates)) {
  const out = join(bindgen, dir);
  run('wasm-bindgen', [
    '--target', 'web', '--omit-default-module-path', '--no-typescript', '--remove-producers-section',
    '--out-dir', out, join(root, 'target/wasm-release/wasm32-unknown-unknown/release', `${crate}.wasm`),
  ]);
  const wasm = join(out, `${crate}_bg.wasm`);
  run(join(root, 'node_modules/.bin/wasm-opt'), [
    ...WASM_OPT_PASSES, '--strip-debug', '--strip-producers', '--strip-target-features', ...WASM_FEATURES, wasm, '-o', wasm,
  ]);
  minifyNames(wasm, join(out, `${crate}.js`));
  trimGlue(join(out, `${crate}.js`));
  // The module travels inside the script, deflated, as base64: one file, no bundler needs to
  // know about wasm, and the bytes stay close to the module's compressed size. The SDK must be
  // usable on the line after its script tag, so it inflates synchronously (js/inflate.js); the
  // redirect page can wait a few milliseconds and lets the browser's DecompressionStream do it.
  const module = readFileSync(wasm);
  const packed = await deflateModule(module);
  if (!Buffer.from(inflate(packed, module.length)).equals(module)) {
    throw new Error(`js/inflate.js does not reproduce ${crate}_bg.wasm`);
  }
  const bytes = `const packed = Uint8Array.from(atob(${JSON.stringify(packed.toString('base64'))}), (c) => c.charCodeAt(0));\n`;
  writeFileSync(join(out, 'wasm.js'), dir === 'sdk'
    ? `import { inflate } from ${JSON.stringify(join(root, 'js/inflate.js'))};\n${bytes}export default inflate(packed, ${module.length});\n`
    : `${bytes}export default new Response(new Response(packed).body.pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer();\n`);
}

// What wasm-bindgen's glue carries that this package does not need, cut (each must be found
// exactly, or the build stops: wasm-bindgen is pinned in Cargo.toml):
// - initSync's warning for the pre-0.2.93 calling convention (js/start.js passes `{ module }`);
// - the polyfill for TextEncoder.encodeInto, and the fallbacks for a missing
//   FinalizationRegistry: every browser that runs this module (bulk memory, sign extension)
//   has both;
// - the periodic TextDecoder renewal for Safari's 2 GB decode limit, out of reach of the few
//   short strings the SDK decodes;
// - `Smartcar.prototype[Symbol.dispose] = free`: a `using` declaration would free the handle
//   without unmounting the instance, whose listeners would keep it alive; apps call unmount().
function trimGlue(glue) {
  let js = readFileSync(glue, 'utf8');
  const cut = (from, to, { optional = false } = {}) => {
    if (!js.includes(from)) {
      if (optional) return;
      throw new Error(`trimGlue: ${JSON.stringify(from.slice(0, 60))}... is not in ${glue}`);
    }
    js = js.replaceAll(from, to);
  };
  cut(`(typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(`, 'new FinalizationRegistry(', { optional: true });
  cut('if (Symbol.dispose) Smartcar.prototype[Symbol.dispose] = Smartcar.prototype.free;\n', '', {
    optional: !glue.endsWith('smartcar_auth.js'),
  });
  cut(`    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for \`initSync()\`; pass a single object instead')
        }
    }`, '    if (module !== undefined) ({module} = module);');
  cut(`if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}`, '');
  cut(`const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
    numBytesDecoded += bytes.length;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
        cachedTextDecoder.decode();
        numBytesDecoded = bytes.length;
    }
    return cachedTextDecoder.decode(bytes);
}`, `function decodeText(bytes) {
    return cachedTextDecoder.decode(bytes);
}`);
  writeFileSync(glue, js);
}

// wasm-bindgen names every import and export after its Rust path plus a hash, and those names
// travel twice (in the wasm and in the glue) as incompressible text. wasm-opt shortens them to
// one or two letters and prints the mapping; the glue is rewritten to match.
function minifyNames(wasm, glue) {
  const mapping = JSON.parse(execFileSync(join(root, 'node_modules/.bin/wasm-opt'), [
    ...WASM_FEATURES, '--minify-imports-and-exports-and-modules', wasm, '-o', wasm,
  ], { cwd: root, encoding: 'utf8' }));
  let js = readFileSync(glue, 'utf8');
  const swap = (pattern, to) => {
    const next = js.replace(pattern, to);
    if (next === js) throw new Error(`minifyNames: ${pattern} is not in ${glue}`);
    js = next;
  };
  // wasm-opt drops imports the module no longer calls; their glue goes too.
  const imported = new Set(mapping.imports.map(([, name]) => name));
  js = js.replace(/^ {8}(__wbg\w+|__wbindgen\w+): function[^\n]*\n[\s\S]*?^ {8}\},\n/gm,
    (entry, name) => (imported.has(name) ? entry : ''));
  const modules = new Set();
  for (const [module, name, short] of mapping.imports) {
    modules.add(module);
    swap(new RegExp(`\\b${name}(?=: function)`, 'g'), short);
  }
  for (const [name, short] of mapping.exports) {
    if (new RegExp(`\\bwasm\\.${name}\\b`).test(js)) swap(new RegExp(`\\bwasm\\.${name}\\b`, 'g'), `wasm.${short}`);
  }
  // One import module, which wasm-opt renames to "a".
  if (modules.size !== 1) throw new Error(`minifyNames: expected one import module, got ${[...modules]}`);
  swap(`${JSON.stringify([...modules][0])}: import0`, '"a": import0');
  writeFileSync(glue, js);
}

// The error classes become static members of the class (Smartcar.AccessDenied, ...), as the
// reference assigns them, taken from the copy of js/errors.js the glue imports, so that
// `instanceof` sees the same classes.
const [snippet] = readdirSync(join(bindgen, 'sdk/snippets'));
const ERROR_CLASSES = ['AccessDenied', 'InvalidSubscription', 'VehicleIncompatible', 'PopupBlocked', 'PopupClosed', 'Timeout', 'InteractionInProgress'];
writeFileSync(join(bindgen, 'sdk/index.js'), `
import { initSync, Smartcar } from './smartcar_auth.js';
import { ${ERROR_CLASSES.join(', ')} } from './snippets/${snippet}/js/errors.js';
import { start } from ${JSON.stringify(join(root, 'js/start.js'))};
import module from './wasm.js';
start(initSync, module);
Object.assign(Smartcar, { ${ERROR_CLASSES.join(', ')} });
export { Smartcar };
export default Smartcar;
`);
writeFileSync(join(bindgen, 'sdk/cdn.js'), `
import Smartcar from './index.js';
globalThis.Smartcar = Smartcar;
`);
writeFileSync(join(bindgen, 'redirect/index.js'), `
import { initSync, run } from './smartcar_redirect.js';
import { start } from ${JSON.stringify(join(root, 'js/start.js'))};
import module from './wasm.js';
module.then((module) => {
  start(initSync, module);
  run(self);
});
`);

const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const common = { bundle: true, minify: true, legalComments: 'none', target: 'es2020', logLevel: 'warning' };
await esbuild.build({ ...common, entryPoints: [join(bindgen, 'sdk/index.js')], format: 'esm', outfile: join(dist, 'npm/index.js') });
await esbuild.build({ ...common, entryPoints: [join(bindgen, 'sdk/cdn.js')], format: 'iife', outfile: join(dist, 'cdn/sdk.js') });
await esbuild.build({ ...common, entryPoints: [join(bindgen, 'redirect/index.js')], format: 'iife', outfile: join(dist, 'cdn/redirect.js') });
copyFileSync(join(root, 'js/index.d.ts'), join(dist, 'npm/index.d.ts'));
copyFileSync(join(root, 'redirect-page/www/redirect.html'), join(dist, 'cdn/redirect.html'));

// The versioned layout a CDN serves, with Subresource Integrity hashes for the script tags.
const versioned = {
  [`${version}/sdk.js`]: 'sdk.js',
  [`v${major}/redirect.js`]: 'redirect.js',
  [`v${major}/redirect.html`]: 'redirect.html',
  [`v${major}/redirect`]: 'redirect.html',
};
const integrity = {};
for (const [path, source] of Object.entries(versioned)) {
  mkdirSync(dirname(join(dist, 'cdn', path)), { recursive: true });
  copyFileSync(join(dist, 'cdn', source), join(dist, 'cdn', path));
  if (path.endsWith('.js')) {
    integrity[path] = 'sha384-' + createHash('sha384').update(readFileSync(join(dist, 'cdn', path))).digest('base64');
  }
}
writeFileSync(join(dist, 'cdn/integrity.json'), JSON.stringify(integrity, null, 2) + '\n');
for (const [path, hash] of Object.entries(integrity)) console.log(`[build] ${path}  ${hash}`);
