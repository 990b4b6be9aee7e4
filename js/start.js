// Starting an embedded wasm module: decoding its bytes (one character per byte, XOR-ed with a
// key: see scripts/embed.mjs) and instantiating it, with a failure that says what to do. The
// usual cause is a Content-Security-Policy without 'wasm-unsafe-eval', where Chromium's own
// message suggests the much broader 'unsafe-eval'.

/**
 * A function that instantiates the module (`text` holding its `size` bytes, XOR-ed with `key`;
 * decoded with `decoder`, js/decoder.wat, when given) with wasm-bindgen's `initSync` the first
 * time it is called, and throws the same explained Error on every call when that failed. Nothing happens before the first call, so importing
 * never throws.
 */
export function starter(initSync, { text, size, key }, decoder) {
  let failure;
  let started = false;
  return function start() {
    if (started) return;
    if (failure === undefined) {
      try {
        initSync({ module: bytes(text, size, key, decoder) });
        started = true;
        return;
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

class DamagedScript extends Error {}

function bytes(text, size, key, decoder) {
  // A script decoded with another encoding than UTF-8 has a string of another length, or
  // characters above U+00FF.
  const damaged = () => new DamagedScript("Smartcar's script was not read as UTF-8, so its WebAssembly module is damaged: serve it with `Content-Type: text/javascript; charset=utf-8`, or add charset=\"utf-8\" to its script tag.");
  if (text.length !== size) throw damaged();
  if (decoder) {
    // The browser writes the string as UTF-8 (natively), js/decoder.wat's loop turns that into
    // the bytes: a JS loop over the characters runs in the interpreter on a fresh page, 4 times
    // slower (docs/size.md). Room for two bytes a character.
    const { m, d } = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from(decoder, (c) => c.charCodeAt(0))), {}).exports;
    m.grow((2 * size) >> 16);
    const { written } = new TextEncoder().encodeInto(text, new Uint8Array(m.buffer));
    if (d(written, key) !== size) throw damaged();
    return new Uint8Array(m.buffer, 0, size);
  }
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = text.charCodeAt(i) ^ key;
  return out;
}
