// `npm run build`: compiles both crates to wasm, binds, optimises, and writes
//   dist/npm/index.js (+ index.d.ts)   ES module: `import Smartcar from ...`
//   dist/npm/index.cjs (+ index.d.cts) CommonJS: `const Smartcar = require(...)`
//   dist/cdn/sdk.js                    classic script: `window.Smartcar`, one file
//   dist/cdn/redirect.js, redirect.html   the redirect page
//   dist/cdn/<version>/sdk.js, dist/cdn/v<major>/redirect{.js,.html,}   the versioned CDN layout
// The entry modules are js/index.js, js/index.cjs, js/cdn.js and js/redirect.js; each wasm
// module travels inside its script (scripts/embed.mjs), so no bundler configuration and no
// second request is needed. Nothing generated is patched as text: the glue is renamed on its
// syntax tree (scripts/glue.mjs). The build is deterministic.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { moduleBinding, moduleLiteral, moduleSource } from './embed.mjs';
import { smartcarModules } from './glue.mjs';
import { shortenNames, optimise } from './wasm-opt.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const major = version.split('.')[0];
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

const CRATES = { sdk: { name: 'smartcar_auth', package: 'smartcar-auth' }, redirect: { name: 'smartcar_redirect', package: 'smartcar-redirect' } };
run('bash', ['scripts/cargo-wasm.sh', 'build', '--release', ...Object.values(CRATES).flatMap((c) => ['-p', c.package])]);

const bindgen = join(root, 'target/bindgen');
rmSync(bindgen, { recursive: true, force: true });
for (const [dir, crate] of Object.entries(CRATES)) {
  const out = join(bindgen, dir);
  run('wasm-bindgen', [
    '--target', 'web', '--omit-default-module-path', '--no-typescript', '--remove-producers-section', '--encode-into', 'always',
    '--out-dir', out, join(root, 'target/wasm-release/wasm32-unknown-unknown/release', `${crate.name}.wasm`),
  ]);
  const wasm = join(out, `${crate.name}_bg.wasm`);
  optimise(wasm);
  crate.mapping = shortenNames(wasm);
  const bytes = readFileSync(wasm);
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => i.module));
  if (modules.size !== 1) throw new Error(`${crate.name}_bg.wasm imports from ${modules.size} modules, expected one`);
  [crate.module] = modules;
  const stackPointer = crate.mapping.exports.find(([name]) => name === '__stack_pointer')?.[1];
  if (!stackPointer) throw new Error(`${crate.name}_bg.wasm does not export its stack pointer (scripts/cargo-wasm.sh links it with --export=__stack_pointer)`);
  writeFileSync(join(out, 'module.js'), moduleSource(dir, bytes.length, stackPointer));
  crate.literal = moduleLiteral(bytes);
}

const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const common = {
  bundle: true, minify: true, legalComments: 'none', target: 'es2022', charset: 'utf8', logLevel: 'warning',
  plugins: [smartcarModules({ root, bindgen, crates: CRATES })],
};
// The embedded module's literal goes into the entry's banner, where esbuild writes it as it is
// (scripts/embed.mjs says why): a module-scoped constant in the ES module; in a classic
// script, a constant of a function around esbuild's own, so that it is not a global (a page
// that includes the script twice must not fail on a second declaration).
const bound = (crate) => `const ${moduleBinding(crate)}=${CRATES[crate].literal};`;
// The npm builds also run in Jest's jsdom environment, which has no Encoding API: the glue's
// TextDecoder and TextEncoder are js/text-codec.js's there (the platform's wherever it has them).
const npm = { inject: [join(root, 'js/text-codec.js')] };
const esm = (crate) => ({ ...npm, format: 'esm', banner: { js: bound(crate) } });
const cjs = (crate) => ({ ...npm, format: 'cjs', banner: { js: bound(crate) } });
const iife = (crate) => ({ format: 'iife', banner: { js: `(()=>{${bound(crate)}` }, footer: { js: '})();' } });
await esbuild.build({ ...common, ...esm('sdk'), entryPoints: [join(root, 'js/index.js')], outfile: join(dist, 'npm/index.js') });
await esbuild.build({ ...common, ...cjs('sdk'), entryPoints: [join(root, 'js/index.cjs')], outfile: join(dist, 'npm/index.cjs') });
await esbuild.build({ ...common, ...iife('sdk'), entryPoints: [join(root, 'js/cdn.js')], outfile: join(dist, 'cdn/sdk.js') });
await esbuild.build({ ...common, ...iife('redirect'), entryPoints: [join(root, 'js/redirect.js')], outfile: join(dist, 'cdn/redirect.js') });
copyFileSync(join(root, 'js/index.d.ts'), join(dist, 'npm/index.d.ts'));
copyFileSync(join(root, 'js/index.d.cts'), join(dist, 'npm/index.d.cts'));
copyFileSync(join(root, 'redirect-page/www/redirect.html'), join(dist, 'cdn/redirect.html'));

// A classic script is decoded with the page's encoding unless it starts with a byte-order
// mark, which browsers honour over any charset label: the embedded module needs UTF-8.
for (const script of ['cdn/sdk.js', 'cdn/redirect.js']) {
  const file = join(dist, script);
  writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(file)]));
}

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
