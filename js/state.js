// The `state` value the SDK sends through Connect, written and read by the browser: its own
// JSON, btoa and atob are the codec, so what is tested in every engine is what ships (see
// tests/e2e/state.test.mjs: property tests and fuzzing in Chromium, Firefox and WebKit).
//
// Wire format (the reference's): base64 of `{"instanceId": <id>, "originalState": <state>}`.

/**
 * The `state` parameter for `id` and the app's own state: base64 (as `btoa` writes it) of
 * `{"instanceId":...,"originalState":...}`, with `originalState` left out when it is
 * `undefined` or has no JSON (a function). The JSON is written ASCII-only, every other
 * character as a `\uXXXX` escape, so any Unicode state survives `btoa`, `atob` and `JSON.parse`
 * (the reference's `btoa` throws on it). Throws what `JSON.stringify` throws (a cyclic or BigInt
 * state), as the reference does.
 */
export function encodeState(id, originalState) {
  const json = JSON.stringify({ instanceId: id, originalState });
  return btoa(json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * What `state` holds, as `[instanceId, originalState]` (`originalState` as `JSON.parse` gives
 * it, `undefined` when absent), or `null` when `state` is not a string holding base64 (as
 * `atob` reads it) of a JSON object with a string `instanceId`. A space is taken for a `+`
 * that form decoding turned into one on the way; the text is read as UTF-8 when it is UTF-8
 * (an app's server may write it so) and as one character per byte otherwise.
 */
export function decodeState(state) {
  if (typeof state !== 'string' || state.length > 16384) return null;
  try {
    const binary = atob(state.replace(/ /g, '+'));
    let text = binary;
    if (/[\x80-\xff]/.test(binary)) {
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      try {
        text = utf8.decode(bytes);
      } catch {
        // Not UTF-8: one character per byte, as `atob` gives it.
      }
    }
    const value = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof value.instanceId !== 'string') return null;
    return [value.instanceId, value.originalState];
  } catch {
    return null;
  }
}

/** `JSON.stringify(value)` for the redirect flow's record (`undefined` for no JSON). */
export const toJson = (value) => JSON.stringify(value);

/** `JSON.parse(text)` of a record the SDK wrote itself. */
export const fromJson = (text) => JSON.parse(text);
