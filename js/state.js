// The `state` value the SDK sends through Connect, written and read by the browser: its own
// JSON, btoa and atob are the codec, so what is tested in every engine is what ships (see
// tests/e2e/state.test.mjs: property tests and fuzzing in Chromium, Firefox and WebKit).
//
// Wire format (the reference's): base64 of `{"instanceId": <id>, "originalState": <state>}`.

/**
 * The `state` parameter for `id` and the app's own state: base64 (as `btoa` writes it) of
 * `{"instanceId":...,"originalState":...}`, with `originalState` left out when it is
 * `undefined` or has no JSON (a function). Where the reference's `btoa` takes the JSON (all of
 * it Latin-1, U+0000 to U+00FF), these are its bytes exactly; any character past U+00FF, on
 * which the reference's `btoa` throws, is written as a `\uXXXX` escape, so any Unicode state
 * survives `btoa`, `atob` and `JSON.parse`. Throws what `JSON.stringify` throws (a cyclic or
 * BigInt state), as the reference does.
 */
export function encodeState(id, originalState) {
  const json = JSON.stringify({ instanceId: id, originalState });
  return btoa(json.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * What `state` holds, as `[instanceId, originalState]` (`originalState` as `JSON.parse` gives
 * it, `undefined` when absent), or `null` when `state` is not a string of at most `max`
 * characters (the longest the SDK sends: src/state.rs) holding base64 (as `atob` reads it) of
 * a JSON object with a string `instanceId`. Read as the reference reads it
 * (`JSON.parse(atob(state))`: one character per byte), except that a space after the first
 * character is taken for the `+` that form decoding turned into one on the way (`atob` would
 * drop it); leading whitespace is dropped, as `atob` drops it (the SDK's JSON starts `{"`,
 * whose base64 starts `ey`).
 */
export function decodeState(state, max) {
  if (typeof state !== 'string' || state.length > max) return null;
  try {
    const value = JSON.parse(atob(state.replace(/^[\t\n\f\r ]+/, '').replace(/ /g, '+')));
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
