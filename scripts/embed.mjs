// How a wasm module travels inside a script: as a string literal with one character per byte,
// each byte XOR-ed with a key, decoded by a plain loop when the SDK first needs it
// (js/start.js).
//
// Measured on the SDK's module (docs/size.md): under brotli, which every current browser gets
// from a CDN, one character per byte is 1.5 KB smaller than base64 of a deflated module, and it
// needs no inflater on the main thread (the inflater took most of the old 11 ms start-up).
// esbuild re-prints the literal, escaping NUL (the commonest byte in wasm) and a few control
// characters; XOR-ing every byte with the key that makes the printed script smallest saves
// another 0.7 KB under both gzip and brotli, for one operation per byte when decoding.
//
// The script is UTF-8 (the bytes 0x80-0xFF take two bytes each on the wire, which compressors
// see through). A page that decodes the script with another encoding would damage the module,
// so the CDN script starts with a byte-order mark, which browsers honour over any charset
// label, and js/start.js checks the length before compiling.
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

/** The module's bytes XOR-ed with `key`, as a string with one character per byte. */
const text = (bytes, key) => Array.from(bytes, (b) => String.fromCharCode(b ^ key)).join('');

/** JS source of a module exporting `text` (the bytes XOR-ed with `key`), `size` and `key`. */
function source(bytes, key) {
  const literal = text(bytes, key).replace(/[\\"\n\r\0]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\0': '\\x00' })[c]);
  return `export const text = "${literal}";\nexport const size = ${bytes.length};\nexport const key = ${key};\n`;
}

/** The embedded module's source, with the key whose printed form gzips smallest (brotli
 * follows it: measured the same order on both). Deterministic for the same bytes. */
export async function embeddedModule(bytes) {
  let best;
  for (let key = 0; key < 256; key++) {
    const printed = (await esbuild.transform(source(bytes, key), { minify: true, charset: 'utf8', format: 'esm' })).code;
    const size = gzipSync(printed, { level: 9 }).length;
    if (!best || size < best.size) best = { key, size };
  }
  return source(bytes, best.key);
}
