//! Writing the message as the JS object a redirect page posts (the `js` feature).

use js_sys::{JsString, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::message::{Field, HOSTED_KEY, MESSAGE_NAME, NAME_KEY};

/// The message as the JS object a redirect page posts, with `value(field)` the field's value:
/// every field `null` when absent, except `externalId`, which is left out.
///
/// The values stay JS strings (a redirect page reads them from `URLSearchParams`), so they are
/// never copied through wasm memory on their way from the query to the message.
pub fn message_to_js(is_smartcar_hosted: bool, mut value: impl FnMut(Field) -> Option<JsString>) -> Object {
    let object = Object::new();
    set_property(&object, NAME_KEY, &MESSAGE_NAME.into());
    set_property(&object, HOSTED_KEY, &is_smartcar_hosted.into());
    for &field in Field::ALL {
        let value = match value(field) {
            Some(text) => text.into(),
            None if field.omitted_when_absent() => continue,
            None => JsValue::NULL,
        };
        set_property(&object, field.message_key(), &value);
    }
    object
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `URLSearchParams` (a redirect URI's query), whose `get` here keeps each
    /// value a JS string: a message's values go from the query to `postMessage` without a copy
    /// through wasm memory. The redirect page and `handleRedirect` read their URLs with it.
    #[wasm_bindgen(js_name = URLSearchParams)]
    pub type QueryParams;
    /// `params.get(name)`: the first value of `name`, `None` without one.
    #[wasm_bindgen(method, js_class = URLSearchParams)]
    pub fn get(this: &QueryParams, name: &str) -> Option<JsString>;
    /// `params.getAll(name)`: every value of `name`, in order.
    #[wasm_bindgen(method, js_class = URLSearchParams, js_name = getAll)]
    pub fn get_all(this: &QueryParams, name: &str) -> js_sys::Array;

    /// `Reflect.set` on a fresh plain object, where it cannot throw: without js-sys's `catch`,
    /// whose error path would cost the scripts bytes for nothing.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    pub fn set_property(target: &Object, key: &str, value: &JsValue);
}
