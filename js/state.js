// The `state` value Connect returns, decoded in the browser for the wasm: reading it with
// `atob` and `JSON.parse` here spares the module a JSON parser. It reads what
// `smartcar_protocol::state::decode` reads (tests/web.rs compares the two).

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The object `state` holds: base64 (as `atob` reads it) of JSON text, taken as UTF-8 when it
 * is UTF-8 (an app's server may write it so) and as one character per byte otherwise. `null`
 * when it is not base64 of a JSON object.
 */
export function decodeState(state) {
  try {
    // A space is a `+` that form decoding turned into one on the way (atob would drop it).
    const binary = atob(state.replace(/ /g, '+'));
    let text = binary;
    try {
      text = utf8.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    } catch {
      // Not UTF-8: one character per byte, as `atob` gives it.
    }
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
