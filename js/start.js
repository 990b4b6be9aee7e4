// Starting an embedded wasm module: turning its text (one character per byte: see
// scripts/embed.mjs) back into bytes and instantiating them, with a failure that says what to
// do. The usual cause is a Content-Security-Policy without 'wasm-unsafe-eval', where
// Chromium's own message suggests the much broader 'unsafe-eval'.

/**
 * A function that instantiates the module (`text` holding its `size` bytes) with
 * wasm-bindgen's `initSync` the first time it is called and returns the module's exports, and
 * throws the same explained Error on every call when that failed. Nothing happens before the
 * first call, so importing never throws.
 */
export function starter(initSync, { text, size }) {
  let failure;
  let exports;
  return function start() {
    if (exports) return exports;
    if (failure === undefined) {
      try {
        return (exports = initSync({ module: bytes(text, size) }));
      } catch (cause) {
        failure = cause instanceof DamagedScript ? cause : new Error(
          "Smartcar could not start its WebAssembly module. If this page has a Content-Security-Policy, add 'wasm-unsafe-eval' to its script-src. (" + cause + ')',
          { cause },
        );
      }
    }
    throw failure;
  };
}

class DamagedScript extends Error {
  constructor() {
    super("Smartcar's script was not read as UTF-8, so its WebAssembly module is damaged: serve it with `Content-Type: text/javascript; charset=utf-8`, or add charset=\"utf-8\" to its script tag.");
  }
}

// A script decoded with another encoding than UTF-8 has a text of another length, or
// characters above U+00FF (which `btoa` refuses).
function bytes(text, size) {
  if (text.length !== size) throw new DamagedScript();
  // Native where the browser has it (every engine since 2025): Latin-1 text to base64 to bytes.
  if (Uint8Array.fromBase64) {
    try {
      return Uint8Array.fromBase64(btoa(text));
    } catch {
      throw new DamagedScript();
    }
  }
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const byte = text.charCodeAt(i);
    if (byte > 255) throw new DamagedScript();
    out[i] = byte;
  }
  return out;
}
