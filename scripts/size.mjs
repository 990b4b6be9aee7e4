// `npm run size`: where the shipped bytes go. Rebinds the release wasm of both crates with
// their function names kept, optimises it as the build does, and prints twiggy's largest items
// next to the sizes of the shipped scripts. Installs twiggy (cargo install) the first time.
//
//   npm run size [-- rows]        (default 25 rows per module)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { WASM_FEATURES, WASM_OPT_PASSES } from './wasm-opt.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cargoBin = path.join(process.env.HOME ?? '/root', '.cargo', 'bin');
const env = { ...process.env, PATH: `${cargoBin}:${process.env.PATH}` };
const rows = process.argv[2] ?? '25';
const TWIGGY_VERSION = '0.8.0';

if (spawnSync('twiggy', ['--version'], { env }).status !== 0) {
  console.error(`[size] installing twiggy ${TWIGGY_VERSION} (cargo install, about 2 minutes)`);
  execFileSync('cargo', ['install', '-q', 'twiggy', '--version', TWIGGY_VERSION], { env, stdio: 'inherit' });
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const sizes = (bytes) => `${kb(bytes.length)} raw, ${kb(brotli(bytes))} brotli, ${kb(gzipSync(bytes, { level: 9 }).length)} gzip`;
for (const file of ['dist/cdn/sdk.js', 'dist/cdn/redirect.js']) {
  console.log(`${file}: ${sizes(readFileSync(path.join(root, file)))}`);
}

const work = mkdtempSync(path.join(tmpdir(), 'smartcar-size-'));
try {
  for (const crate of ['smartcar_auth', 'smartcar_redirect']) {
    const input = path.join(root, 'target/wasm-release/wasm32-unknown-unknown/release', `${crate}.wasm`);
    execFileSync('wasm-bindgen', ['--target', 'web', '--omit-default-module-path', '--no-typescript', '--out-dir', work, input], { env });
    const named = path.join(work, `${crate}.named.wasm`);
    execFileSync(path.join(root, 'node_modules/.bin/wasm-opt'), [
      ...WASM_OPT_PASSES, '--debuginfo', ...WASM_FEATURES, path.join(work, `${crate}_bg.wasm`), '-o', named,
    ]);
    const shipped = readFileSync(path.join(root, 'target/bindgen', crate === 'smartcar_auth' ? 'sdk' : 'redirect', `${crate}_bg.wasm`));
    console.log(`\n${crate}: the wasm as shipped: ${sizes(shipped)} (the "function names" row below is not shipped)`);
    console.log(execFileSync('twiggy', ['top', '-n', rows, named], { env, encoding: 'utf8' }));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
