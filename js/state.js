// The `state` value the SDK sends through Connect, written and read in the browser for the wasm:
// `JSON.stringify`, `btoa`, `atob` and `JSON.parse` here spare the module a JSON writer and
// parser. They write and read exactly what `smartcar_protocol::state` does (the wasm tests in
// src/bindings/mod.rs compare the two on a corpus, in every engine).

/**
 * The `state` parameter for `instanceId` and the app's own state: base64 (as `btoa` writes it)
 * of `{"instanceId":...,"originalState":...}`, with `originalState` left out when it is
 * `undefined` or has no JSON (a function). The JSON is written ASCII-only, every other
 * character as a `\uXXXX` escape, so any Unicode state survives `btoa`, `atob` and `JSON.parse`
 * (the reference's `btoa` throws on it). Throws what `JSON.stringify` throws (a cyclic or BigInt
 * state), as the reference does.
 */
export function encodeState(instanceId, originalState) {
  const json = JSON.stringify({ instanceId, originalState });
  return btoa(json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * What `state` holds, as `[instanceId, originalState, originalIsText]`: base64 (as `atob` reads
 * it) of a JSON object, its text taken as UTF-8 when it is UTF-8 (an app's server may write it
 * so) and as one character per byte otherwise. `originalState` is `undefined` when absent, and
 * a JSON value other than a string comes as its JSON text, as the protocol's
 * `OriginalState::Json` holds it. `null` when `state` is not base64 of a JSON object.
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
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    const original = value.originalState;
    const isText = typeof original === 'string';
    return [value.instanceId, isText || original === undefined ? original : JSON.stringify(original), isText];
  } catch {
    return null;
  }
}
