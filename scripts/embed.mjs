// How a wasm module travels inside a script: as a string literal with one character per byte
// (U+0000 to U+00FF), turned back into bytes by the browser when the SDK first needs them
// (js/start.js): `Uint8Array.fromBase64(btoa(text))`, two native calls, about 0.15 ms for the
// SDK's 42 KB where a JS loop over the characters takes 1.5-2 ms on a fresh page.
//
// Measured on the SDK's module (docs/size.md): under brotli, which every current browser gets
// from a CDN, one character per byte is 1.5 KB smaller than base64 of a deflated module, and it
// needs no inflater on the main thread.
//
// The literal is written into the script as it is, outside the code esbuild prints
// (scripts/build.mjs places it in the entry's banner): esbuild escapes every NUL, the commonest
// byte in wasm, as `\0`, which costs 0.7 KB of brotli. A NUL is a valid character in a JS
// string literal; only the quote, the backslash and the two line breaks must be escaped, and
// `</` and `<!` are, so that the script may also be inlined in HTML.
//
// The script is UTF-8 (the bytes 0x80-0xFF take two bytes each on the wire, which compressors
// see through). A page that decodes the script with another encoding would damage the module,
// so the CDN script starts with a byte-order mark, which browsers honour over any charset
// label, and js/start.js checks the text before compiling it.

const ESCAPES = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '</': '<\\/', '<!': '<\\!' };

/** A JS string literal of `bytes`, one character per byte. */
export function moduleLiteral(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return `"${text.replace(/[\\"\n\r]|<[/!]/g, (c) => ESCAPES[c])}"`;
}

/** The identifier the entry's banner binds to the literal of `crate`'s module. */
export const moduleBinding = (crate) => `__smartcar_${crate}_wasm`;

/** JS source of the module `smartcar:<crate>/module`: `text` (the banner's literal), `size`, and
 * `stackPointer`, the name of the module's export of its stack pointer (js/guard.js). */
export const moduleSource = (crate, size, stackPointer) =>
  `export const text = ${moduleBinding(crate)};\nexport const size = ${size};\nexport const stackPointer = ${JSON.stringify(stackPointer)};\n`;
