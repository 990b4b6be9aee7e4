// How the release build optimises and packs a wasm module, shared by `npm run build`
// (scripts/build.mjs) and `npm run size` (scripts/size.mjs), so that the sizes the second
// reports are those of what the first ships.
import { promisify } from 'node:util';
import zopfli from '@gfx/zopfli';

/** The wasm features scripts/cargo-wasm.sh compiles for (wasm-bindgen drops the
 * target_features section, so wasm-opt must be told). */
export const WASM_FEATURES = [
  '--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-nontrapping-float-to-int',
  '--enable-sign-ext', '--enable-mutable-globals',
];

/** The optimisation passes. Flattening and re-relooping between two -Oz rounds measured about
 * 1% smaller; memory starts zeroed and its first 1 KB is never used (Rust's stack and data
 * start above it). */
export const WASM_OPT_PASSES = ['-Oz', '--flatten', '--rereloop', '-Oz', '-Oz', '--low-memory-unused', '--zero-filled-memory'];

const zopfliDeflate = promisify(zopfli.deflate);
// Zopfli's Emscripten runtime installs process-wide handlers that rethrow from its own
// (minified) source, so an error would print all of it: the default handlers do better.
process.removeAllListeners('uncaughtException');
process.removeAllListeners('unhandledRejection');

/** `bytes` as raw DEFLATE, by Zopfli: about 6% smaller than zlib's best level, and the same
 * bytes every time. */
export async function deflateModule(bytes) {
  return Buffer.from(await zopfliDeflate(bytes, { numiterations: 15 }));
}
