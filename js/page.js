// The page's window for the wasm: a plain function import instead of wasm-bindgen's
// thread-local global lookup, which costs several times its size.

/** The page's `window`: `undefined` outside a browser page (server-side rendering, a worker). */
export const pageWindow = () => globalThis.window;
