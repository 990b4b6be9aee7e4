//! Carries out the [`plan`](crate::plan) in the browser when the module starts.
//!
//! The browser reads the URL: `URLSearchParams` decodes the query and `URL` parses
//! `app_origin`, so the origin posted to is the one `postMessage` itself would compute.

use js_sys::JsString;
use smartcar_protocol::js::message_to_js;
use smartcar_protocol::message::{Field, APP_ORIGIN_QUERY_KEY, CHANNEL_NAME, HOSTED_ORIGIN};
use smartcar_protocol::origin::bare_origin;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, Url};

use crate::plan::{plan, AppOrigin, Delivery, Outcome};

// The few browser APIs the page uses, declared here rather than taken from web-sys: web-sys
// declares many of them as throwing (for another origin's window, or for arguments this page
// never passes), and each `catch` costs an error path in the wasm and a wrapper in the glue,
// which together were a third of this script. What can throw here is noted where it is used.
#[wasm_bindgen]
extern "C" {
    /// The page's own `Window`.
    pub type Window;
    #[wasm_bindgen(method, getter)]
    fn location(this: &Window) -> Location;
    #[wasm_bindgen(method, getter)]
    fn history(this: &Window) -> History;
    #[wasm_bindgen(method, getter)]
    fn document(this: &Window) -> Option<Document>;
    #[wasm_bindgen(method, getter)]
    fn opener(this: &Window) -> JsValue;
    #[wasm_bindgen(method)]
    fn close(this: &Window);

    type Location;
    #[wasm_bindgen(method, getter)]
    fn search(this: &Location) -> JsString;
    #[wasm_bindgen(method, getter)]
    fn origin(this: &Location) -> String;
    #[wasm_bindgen(method, getter)]
    fn pathname(this: &Location) -> JsString;

    type History;
    // Throws only for a URL on another origin; a path on this page's own cannot be.
    #[wasm_bindgen(method, js_name = replaceState)]
    fn replace_state(this: &History, data: &JsValue, unused: &str, url: &JsString);

    /// Any window, another origin's included: only `postMessage` is used on it.
    type WindowProxy;
    // Throws only for an invalid target origin: a bare origin from the browser's URL parser is
    // valid, and so is the page's own origin (a redirect page is served over http or https).
    #[wasm_bindgen(method, js_name = postMessage)]
    fn post_message(this: &WindowProxy, message: &JsValue, target_origin: &str);

    type Document;
    #[wasm_bindgen(method, js_name = getElementById)]
    fn get_element_by_id(this: &Document, id: &str) -> Option<Element>;
    #[wasm_bindgen(method, getter)]
    fn body(this: &Document) -> Option<Element>;
    #[wasm_bindgen(method, getter, js_name = documentElement)]
    fn document_element(this: &Document) -> Option<Element>;
    // Cannot throw for a valid tag name.
    #[wasm_bindgen(method, js_name = createElement)]
    fn create_element(this: &Document, tag: &str) -> Element;

    type Element;
    #[wasm_bindgen(method, setter)]
    fn set_id(this: &Element, id: &str);
    #[wasm_bindgen(method, setter, js_name = textContent)]
    fn set_text_content(this: &Element, text: &str);
    // Cannot throw for a new paragraph put into the body or the root element.
    #[wasm_bindgen(method, js_name = appendChild)]
    fn append_child(this: &Element, child: &Element);

    /// The browser's `URLSearchParams`, whose `get` here keeps the value a JS string: the
    /// message's values go from the query to `postMessage` without a copy through wasm memory.
    #[wasm_bindgen(js_name = URLSearchParams)]
    type QueryParams;
    #[wasm_bindgen(constructor, js_class = URLSearchParams)]
    fn new(search: &JsString) -> QueryParams;
    #[wasm_bindgen(method, js_class = URLSearchParams)]
    fn get(this: &QueryParams, name: &str) -> Option<JsString>;
}

/// The element a redirect page may provide for the status text (`redirect.html` does).
const STATUS_ELEMENT_ID: &str = "smartcar-status";

/// Does the redirect page's whole job in `window`, the page's own: called once by
/// `redirect.js` when it loads. Whatever the URL holds, the page ends up with the result
/// delivered or with a readable reason why not.
#[wasm_bindgen]
pub fn run(window: &Window) {
    let location = window.location();
    let search = location.search();
    let page_origin = location.origin();
    // The code must not stay in the address bar, the history, or a Referer.
    if search.length() > 0 {
        window.history().replace_state(&JsValue::NULL, "", &location.pathname());
    }

    let params = QueryParams::new(&search);
    let text = |name: &str| params.get(name).and_then(|value| value.as_string());
    let app_origin = match text(APP_ORIGIN_QUERY_KEY) {
        None => AppOrigin::Absent,
        Some(text) => Url::new(&text)
            .ok()
            .and_then(|url| bare_origin(&url.href(), &url.origin()).map(str::to_owned))
            .map_or(AppOrigin::NotBare, AppOrigin::Bare),
    };
    let error = text(Field::Error.query_key());
    let error_description = text(Field::ErrorDescription.query_key());
    let outcome = Outcome { error: error.as_deref(), error_description: error_description.as_deref() };
    // `null`, or a WindowProxy (an object, even for another origin's window).
    let opener = window.opener();
    let plan = plan(outcome, app_origin, &page_origin, opener.is_object());

    let message = message_to_js(page_origin == HOSTED_ORIGIN, |field| params.get(field.query_key()));
    match &plan.delivery {
        // Any non-null opener is a WindowProxy (`instanceof Window` is false across origins).
        Delivery::PostToOpener { target_origin } => opener.unchecked_into::<WindowProxy>().post_message(&message, target_origin),
        Delivery::Broadcast => {
            if let Ok(channel) = BroadcastChannel::new(CHANNEL_NAME) {
                let _ = channel.post_message(&message);
                channel.close();
            }
        }
        Delivery::Refused(_) => {}
    }
    if let Some(document) = window.document() {
        show_status(&document, &plan.status);
    }
    if !matches!(plan.delivery, Delivery::Refused(_)) {
        window.close();
    }
}

/// Writes the status into the page's status element, or into a new paragraph at the end of
/// the body. A script in `<head>` runs before the body exists: the paragraph then goes into
/// the root element, where it shows above the body the parser adds after it. (Waiting for
/// `DOMContentLoaded` instead would need a Rust callback, whose glue is a quarter of this
/// script's size.)
fn show_status(document: &Document, status: &str) {
    if let Some(element) = document.get_element_by_id(STATUS_ELEMENT_ID) {
        element.set_text_content(status);
        return;
    }
    let Some(parent) = document.body().or_else(|| document.document_element()) else { return };
    let paragraph = document.create_element("p");
    paragraph.set_id(STATUS_ELEMENT_ID);
    paragraph.set_text_content(status);
    parent.append_child(&paragraph);
}
