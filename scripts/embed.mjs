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
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import binaryen from 'binaryen';
import * as esbuild from 'esbuild';

/** The module's bytes XOR-ed with `key`, as a string with one character per byte. */
const text = (bytes, key) => Array.from(bytes, (b) => String.fromCharCode(b ^ key)).join('');

/** JS source of a module exporting `text` (the bytes XOR-ed with `key`), `size` and `key`. */
function source(bytes, key) {
  const literal = text(bytes, key).replace(/[\\"\n\r\0]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\0': '\\x00' })[c]);
  return `export const text = "${literal}";\nexport const size = ${bytes.length};\nexport const key = ${key};\n`;
}

/** The embedded module's source, with the key whose printed form is smallest as CDNs serve it:
 * under brotli (what every current browser gets), then gzip. Deterministic for the same bytes.
 * (Measured on the SDK's module: the best key for brotli is 0.15 KB smaller there than the
 * best for gzip, and 0.05 KB larger under gzip.) */
export async function embeddedModule(bytes) {
  let best;
  for (let key = 0; key < 256; key++) {
    const printed = Buffer.from((await esbuild.transform(source(bytes, key), { minify: true, charset: 'utf8', format: 'esm' })).code);
    const size = [brotliCompressSync(printed, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, gzipSync(printed, { level: 9 }).length];
    if (!best || size[0] < best.size[0] || (size[0] === best.size[0] && size[1] < best.size[1])) best = { key, size };
  }
  return source(bytes, best.key);
}

/** The bytes of the decoder module (`wat`, js/decoder.wat), assembled and optimised by binaryen:
 * the loop that turns the literal, written as UTF-8 by the browser, back into bytes. */
export async function decoderModule(wat) {
  const module = binaryen.parseText(readFileSync(wat, 'utf8'));
  try {
    module.setFeatures(binaryen.Features.BulkMemory | binaryen.Features.SignExt | binaryen.Features.MutableGlobals);
    if (!module.validate()) throw new Error(`${wat} does not validate`);
    binaryen.setShrinkLevel(2);
    binaryen.setOptimizeLevel(2);
    module.optimize();
    return Array.from(module.emitBinary());
  } finally {
    module.dispose();
  }
}
