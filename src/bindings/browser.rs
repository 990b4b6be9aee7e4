//! The page APIs the SDK calls, declared here rather than taken from web-sys where web-sys
//! declares them as throwing but they cannot throw as the SDK uses them (on the page's own
//! window, or on the popup, whose `closed`, `focus` and `close` every origin may use). Each
//! `catch` costs an error path in the wasm and a wrapper in the glue; what can throw keeps it.

use wasm_bindgen::prelude::*;
use web_sys::{Document, EventTarget};

#[wasm_bindgen(module = "/js/page.js")]
extern "C" {
    /// `globalThis.window`: `undefined` outside a browser page (server-side rendering, a
    /// worker), where the SDK can be imported but not constructed.
    #[wasm_bindgen(js_name = pageWindow)]
    pub(super) fn global_window() -> Option<Window>;
}

#[wasm_bindgen]
extern "C" {
    /// A window: the app's page, or the Connect popup (possibly on another origin).
    #[wasm_bindgen(extends = EventTarget)]
    #[derive(Clone)]
    pub(super) type Window;

    #[wasm_bindgen(method, getter)]
    pub(super) fn location(this: &Window) -> HasOrigin;
    #[wasm_bindgen(method, getter)]
    pub(super) fn crypto(this: &Window) -> Crypto;
    #[wasm_bindgen(method, getter)]
    pub(super) fn document(this: &Window) -> Option<Document>;
    #[wasm_bindgen(method, getter)]
    pub(super) fn screen(this: &Window) -> Screen;
    #[wasm_bindgen(method, getter, js_name = screenX)]
    pub(super) fn screen_x(this: &Window) -> f64;
    #[wasm_bindgen(method, getter, js_name = screenY)]
    pub(super) fn screen_y(this: &Window) -> f64;
    #[wasm_bindgen(method, getter, js_name = outerWidth)]
    pub(super) fn outer_width(this: &Window) -> f64;
    #[wasm_bindgen(method, getter, js_name = outerHeight)]
    pub(super) fn outer_height(this: &Window) -> f64;
    /// `window.open`: `None` when a popup blocker stopped it.
    #[wasm_bindgen(method, catch)]
    pub(super) fn open(this: &Window, url: &str, target: &str, features: &str) -> Result<Option<Window>, JsValue>;
    #[wasm_bindgen(method, getter)]
    pub(super) fn closed(this: &Window) -> bool;
    #[wasm_bindgen(method)]
    pub(super) fn focus(this: &Window);

    /// Anything with a `length`: an `Array`, a `NodeList`, a `Function` (its arity).
    pub(super) type HasLength;
    #[wasm_bindgen(method, getter)]
    pub(super) fn length(this: &HasLength) -> u32;

    /// Anything with a `close()`: a window, a `BroadcastChannel`.
    pub(super) type Closable;
    #[wasm_bindgen(method)]
    pub(super) fn close(this: &Closable);

    /// Anything with an `origin`: a `Location`, a `URL`, a `MessageEvent` (one import for all).
    pub(super) type HasOrigin;
    #[wasm_bindgen(method, getter)]
    pub(super) fn origin(this: &HasOrigin) -> String;

    pub(super) type Crypto;
    #[wasm_bindgen(method, js_name = getRandomValues)]
    pub(super) fn get_random_values(this: &Crypto, bytes: &mut [u8]);

    pub(super) type Screen;
    #[wasm_bindgen(method, getter)]
    pub(super) fn width(this: &Screen) -> f64;
    #[wasm_bindgen(method, getter)]
    pub(super) fn height(this: &Screen) -> f64;
    // Not in every engine's Screen: `undefined` arrives as NaN, read as 0.
    #[wasm_bindgen(method, getter, js_name = availLeft)]
    pub(super) fn avail_left(this: &Screen) -> f64;
    #[wasm_bindgen(method, getter, js_name = availTop)]
    pub(super) fn avail_top(this: &Screen) -> f64;
    #[wasm_bindgen(method, getter, js_name = availWidth)]
    pub(super) fn avail_width(this: &Screen) -> f64;
    #[wasm_bindgen(method, getter, js_name = availHeight)]
    pub(super) fn avail_height(this: &Screen) -> f64;
}
