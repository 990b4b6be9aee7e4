//! The few page APIs the wasm side reads itself: the page's window and origin, the clock, the
//! random bytes of new ids, and the browser's URL parser. Everything that acts on the page is
//! the face's (`js/smartcar.js`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/page.js")]
extern "C" {
    /// `globalThis.window`: `undefined` outside a browser page (server-side rendering, a
    /// worker), where the SDK can be imported but not constructed.
    #[wasm_bindgen(js_name = pageWindow)]
    pub(super) fn page_window() -> JsValue;
    /// `location.origin` of the page.
    #[wasm_bindgen(js_name = pageOrigin)]
    fn page_origin_js() -> JsValue;
    /// The browser's origin of `url` (as `new URL(url).origin`), `undefined` when it is not an
    /// absolute URL.
    #[wasm_bindgen(js_name = originOf)]
    fn origin_of_js(url: &str) -> JsValue;
    /// `[href, origin]` of `text` read by the browser's URL parser, `None` when it is not a URL.
    #[wasm_bindgen(js_name = parseUrl)]
    pub(super) fn parse_url(text: &JsValue) -> Option<js_sys::Array>;
    /// The page's screen and window geometry: `[screen.width, screen.height, availLeft,
    /// availTop, availWidth, availHeight, screenX, screenY, outerWidth, outerHeight]`.
    #[wasm_bindgen(js_name = geometry)]
    pub(super) fn geometry_numbers() -> Vec<f64>;
    /// `console.warn(text)`: what it throws, returned (`undefined` when nothing).
    pub(super) fn warn(text: &str) -> JsValue;
    /// `console.debug(text, reason)`, whatever the page did to its console.
    pub(super) fn debug(text: &str, reason: &str);
    /// `crypto.getRandomValues`.
    #[wasm_bindgen(js_name = randomBytes)]
    fn random_bytes(bytes: &mut [u8]);
}

// Texts come back as JS values, read with `as_string`: a `String` return would cost each import
// its own copy of the return-area code, in the module and in the glue.

/// `location.origin` of the page.
pub(super) fn page_origin() -> String {
    page_origin_js().as_string().unwrap_or_default()
}

/// The browser's origin of `url` (as `new URL(url).origin`), `None` when it is not an absolute
/// URL.
pub(super) fn origin_of(url: &str) -> Option<String> {
    origin_of_js(url).as_string()
}

/// `N` random bytes from `crypto.getRandomValues`.
pub(super) fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    random_bytes(&mut bytes);
    bytes
}

/// The bare origin `text` stands for, as the browser's URL parser reads it (see
/// `smartcar_protocol::origin::bare_origin`).
pub(super) fn bare_origin(text: &JsValue) -> Option<String> {
    let parsed = parse_url(text)?;
    let (href, origin) = (parsed.get(0).as_string()?, parsed.get(1).as_string()?);
    smartcar_protocol::origin::bare_origin(&href, &origin).map(str::to_owned)
}
