// Instantiates an embedded wasm module, turning the browser's terse failure into one that says
// what to do. The usual cause is a Content-Security-Policy without 'wasm-unsafe-eval', where
// Chromium's own message suggests the much broader 'unsafe-eval'.

/** Runs `initSync` on the module bytes, or throws an Error naming the fix. */
export function start(initSync, module) {
  try {
    initSync({ module });
  } catch (cause) {
    throw new Error(
      "Smartcar could not start its WebAssembly module. If this page has a Content-Security-Policy, add 'wasm-unsafe-eval' to its script-src. (" +
        cause + ')',
      { cause },
    );
  }
}
