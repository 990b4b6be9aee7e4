// Reads what the wasm reads from the page in fewer, cheaper imports: an options object in one
// call instead of one per option, and the page's window. Which options exist, and what their
// values mean, is decided in Rust (src/bindings/mod.rs).

/** The page's `window`: `undefined` outside a browser page (server-side rendering, a worker). */
export const pageWindow = () => globalThis.window;

/**
 * The values of the space-separated `keys` in `options` (each read once; a getter runs, and
 * may throw, as it does when the reference reads the option), followed by a bit mask of the
 * keys `options` has (`key in options`). `undefined` and `null` read as an empty object, and
 * other primitives as the property access `options[key]` reads them.
 */
export function readOptions(options, keys) {
  const source = options ?? {};
  let present = 0;
  const values = keys.split(' ').map((key, index) => {
    if (key in Object(source)) present |= 1 << index;
    return source[key];
  });
  values.push(present);
  return values;
}
