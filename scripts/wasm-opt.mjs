// How the release build optimises a wasm module, shared by `npm run build` (scripts/build.mjs)
// and `npm run size` (scripts/size.mjs), so that the sizes the second reports are those of what
// the first ships.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WASM_OPT = path.join(root, 'node_modules/.bin/wasm-opt');

/** The wasm features scripts/cargo-wasm.sh compiles for, on both toolchain routes (wasm-bindgen
 * drops the target_features section, so wasm-opt must be told). */
export const WASM_FEATURES = [
  '--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-nontrapping-float-to-int',
  '--enable-sign-ext', '--enable-mutable-globals',
];

/** The optimisation passes. Flattening and re-relooping between two -Oz rounds measured about
 * 1% smaller; memory starts zeroed and its first 1 KB is never used (Rust's stack and data
 * start above it). */
export const WASM_OPT_PASSES = ['-Oz', '--flatten', '--rereloop', '-Oz', '-Oz', '--low-memory-unused', '--zero-filled-memory'];

/** Optimises `wasm` in place. */
export function optimise(wasm) {
  execFileSync(WASM_OPT, [...WASM_OPT_PASSES, '--strip-debug', '--strip-producers', '--strip-target-features', ...WASM_FEATURES, wasm, '-o', wasm], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * Shortens every import and export name of `wasm` (in place) to one or two letters, and
 * returns wasm-opt's mapping: `{ imports: [[module, name, short]], exports: [[name, short]] }`.
 * wasm-bindgen names them after Rust paths plus a hash: incompressible text that travels twice,
 * in the module and in the glue (scripts/glue.mjs renames the glue to match).
 */
export function shortenNames(wasm) {
  return JSON.parse(execFileSync(WASM_OPT, [...WASM_FEATURES, '--minify-imports-and-exports-and-modules', wasm, '-o', wasm], { cwd: root, encoding: 'utf8' }));
}
