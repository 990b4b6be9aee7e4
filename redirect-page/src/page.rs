//! The redirect page's decision, for `js/redirect.js`, which reads the page (its query, origin,
//! opener and allow-list) and carries the decision out (`postMessage` or a `BroadcastChannel`,
//! the status text, closing the popup).
//!
//! The browser reads the URL: `URLSearchParams` decodes the query and `URL` parses
//! `app_origin` (and the allow-list's entries), so the origin posted to is the one
//! `postMessage` itself would compute.

use js_sys::{Array, JsString};
use smartcar_protocol::delivery::{connect_failed, delivery, status, AllowList, AppOrigin, Delivery};
use smartcar_protocol::js::{message_to_js, QueryParams};
use smartcar_protocol::message::{Field, APP_ORIGIN_QUERY_KEY, HOSTED_ORIGIN};
use smartcar_protocol::origin::bare_origin;
use wasm_bindgen::prelude::*;
use web_sys::Url;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Array, js_name = of)]
    fn array_of(message: &JsValue, kind: u32, target: &str, status: &str) -> Array;
}

/// Where the result in the page's query `params` goes, for a page at `page_origin`, with or
/// without an opener, and with the page's allow-lists (each script tag's and meta tag's text,
/// separated by NUL (see `AllowList::from_texts`); `undefined` when it has none): `[the message to hand on (undefined when refused), REFUSED | POST | BROADCAST
/// (smartcar_protocol::delivery's numbers), the origin to post to or the channel's name, the
/// status to show]`.
#[wasm_bindgen]
pub fn plan(params: &QueryParams, page_origin: &JsString, has_opener: bool, allow_list: &JsValue) -> Array {
    // JS strings in, read once: wasm-bindgen's `&str` and `Option<String>` arguments each
    // bring their own decoding code into the page's wasm.
    let page_origin = &String::from(page_origin);
    let allow_list = allow_list.as_string();
    let text = |name: &str| params.get(name).and_then(|value| value.as_string());
    let count = params.get_all(APP_ORIGIN_QUERY_KEY).length();
    let app_origin = AppOrigin::from_query(count, text(APP_ORIGIN_QUERY_KEY), |text| origin(&text));
    let allowed = AllowList::from_texts(allow_list.as_deref(), origin);
    let state = text(Field::State.query_key());
    let decided = delivery(app_origin, &allowed, page_origin, has_opener, state.as_deref());
    let shown = status(connect_failed(text(Field::Error.query_key()).as_deref()), &decided);
    let message = match decided {
        Delivery::Refused(_) => JsValue::UNDEFINED,
        _ => message_to_js(page_origin == HOSTED_ORIGIN, |field| params.get(field.query_key())).into(),
    };
    let (kind, target) = decided.into_kind();
    array_of(&message, kind, &target, shown)
}

/// The bare origin `text` stands for, as the browser's URL parser reads it.
fn origin(text: &str) -> Option<String> {
    let url = Url::new(text).ok()?;
    bare_origin(&url.href(), &url.origin()).map(str::to_owned)
}
