// Reads several properties of a JS object in one call: one import for the wasm instead of one
// `Reflect.get` (and one key string) per property. Which properties exist, and what their
// values mean, is decided in Rust (the SDK's options, the redirect page's message).

/**
 * The values of the space-separated `keys` in `object` (each read once; a getter runs, and
 * may throw, as it does when the reference reads the property), followed by a bit mask of the
 * keys `object` has (`key in object`). `undefined` and `null` read as an empty object, and
 * other primitives as the property access `object[key]` reads them.
 */
export function readProperties(object, keys) {
  const source = object ?? {};
  let present = 0;
  const values = keys.split(' ').map((key, index) => {
    if (key in Object(source)) present |= 1 << index;
    return source[key];
  });
  values.push(present);
  return values;
}
