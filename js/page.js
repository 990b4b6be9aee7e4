// The few page APIs the wasm side reads itself (src/bindings/browser.rs), each one call.

/** The page's `window`: `undefined` outside a browser page (server-side rendering, a worker). */
export const pageWindow = () => globalThis.window;

/** `location.origin`. */
export const pageOrigin = () => location.origin;

/** `new URL(url).origin`, `undefined` when `url` is not an absolute URL. */
export function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** `[href, origin]` of `text` as the browser's URL parser reads it, `undefined` when it is not
 * a URL. */
export function parseUrl(text) {
  try {
    const url = new URL(text);
    return [url.href, url.origin];
  } catch {
    return undefined;
  }
}

/** `console.warn(text)`; what it throws (a page's own console), returned, not thrown through
 * the wasm. */
export function warn(text) {
  try {
    console.warn(text);
  } catch (error) {
    return error;
  }
}

/** `console.debug(text, reason)`, and nothing if the page's console refuses it. */
export function debug(text, reason) {
  try {
    console.debug(text, reason);
  } catch {
    // The page's business.
  }
}

/** Fills `bytes` from `crypto.getRandomValues`. */
export const randomBytes = (bytes) => crypto.getRandomValues(bytes);

/** The screen and the page's window, for the popup's geometry: `[screen.width, screen.height,
 * availLeft, availTop, availWidth, availHeight, screenX, screenY, outerWidth, outerHeight]`
 * (`availLeft` and `availTop` are not in every engine: NaN, read as 0). */
export function geometry() {
  try {
    const s = screen;
    return [s.width, s.height, s.availLeft, s.availTop, s.availWidth, s.availHeight, screenX, screenY, outerWidth, outerHeight].map(Number);
  } catch {
    // A page that replaced these with values `Number` refuses: the default geometry.
    return [];
  }
}
