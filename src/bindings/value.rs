//! A JS value as the rules see it: every value they look at becomes an [`input::Value`]
//! here, in one place.
//!
//! [`input::Value`]: crate::input::Value

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::input::Value;

#[wasm_bindgen(module = "/js/values.js")]
extern "C" {
    /// What kind of value `value` is: one call instead of one per test (see `js/values.js`).
    #[wasm_bindgen(js_name = kindOf)]
    pub(super) fn kind_of(value: &JsValue, max_text: u32) -> u32;
    /// `[...list]` for an array: its items (`None` when a getter or a Proxy's trap throws).
    #[wasm_bindgen(js_name = items)]
    fn items(list: &JsValue, max: u32) -> Option<Array>;
    /// `String(value)` for a number.
    #[wasm_bindgen(js_name = numberText)]
    fn number_text(value: &JsValue) -> JsValue;
    /// `function.length`.
    #[wasm_bindgen(js_name = arity)]
    fn arity(function: &JsValue) -> u32;
}

// The kinds `kindOf` returns (js/values.js).
pub(super) const UNDEFINED: u32 = 0;
pub(super) const NULL: u32 = 1;
const FALSE: u32 = 2;
const TRUE: u32 = 3;
const NUMBER: u32 = 4;
const STRING: u32 = 5;
pub(super) const ARRAY: u32 = 6;
pub(super) const FUNCTION: u32 = 7;
pub(super) const OBJECT: u32 = 8;
const ILL_FORMED: u32 = 10;
// 9: anything else (a symbol, a BigInt but `0n`, which is FALSE, a text longer than `MAX_TEXT`):
// `Value::Other`.

/// The longest string (in UTF-16 units) read into wasm memory: no option is anywhere near it,
/// and a page must not make the SDK allocate for an arbitrarily long one.
pub(super) const MAX_TEXT: u32 = 64 * 1024;

/// The longest array read: more than any list of scopes or flags.
const MAX_ITEMS: u32 = 1024;

/// The most text an array's strings may hold in all (bytes of UTF-8): far more than any list
/// of scopes or flags, and it keeps what one call builds bounded (a thousand strings of 64 K
/// characters each took the wasm's memory to 1.8 GB building their URL, and then trapped).
const MAX_LIST_TEXT: usize = 64 * 1024;

/// `value` as the rules see it. What cannot be read (an array whose getters throw, a huge
/// string) is [`Value::Other`]: no rule accepts it, so it fails as an option of the wrong type.
pub(super) fn value(js: &JsValue) -> Value {
    match kind_of(js, MAX_TEXT) {
        ARRAY => items(js, MAX_ITEMS).map_or(Value::Other, |items| {
            let mut list = Vec::new();
            let mut bytes = 0;
            for index in 0..items.length() {
                let item = item(&items.get(index));
                bytes += item.as_text().map_or(0, str::len);
                if bytes > MAX_LIST_TEXT {
                    return Value::Other;
                }
                list.push(item);
            }
            Value::List(list)
        }),
        kind => not_a_list(js, kind),
    }
}

/// An array's item. Every list the rules take is of strings, so an array inside one is not
/// read further ([`Value::Other`]): reading it would recurse, and a page's array nested a
/// thousand deep would run the wasm out of its 64 KB stack, killing the SDK for the page.
fn item(js: &JsValue) -> Value {
    match kind_of(js, MAX_TEXT) {
        ARRAY => Value::Other,
        kind => not_a_list(js, kind),
    }
}

/// `js`, of `kind` (not an array), as the rules see it.
fn not_a_list(js: &JsValue, kind: u32) -> Value {
    match kind {
        UNDEFINED => Value::Undefined,
        NULL => Value::Null,
        FALSE => Value::Bool(false),
        TRUE => Value::Bool(true),
        NUMBER => Value::Number { value: js.as_f64().unwrap_or(f64::NAN), text: number_text(js).as_string().unwrap_or_default() },
        STRING => Value::Text(js.as_string().unwrap_or_default()),
        FUNCTION => Value::Function { arity: arity(js) },
        OBJECT => Value::Object,
        ILL_FORMED => Value::IllFormedText,
        _ => Value::Other,
    }
}

/// Appends `String(number)` to `out`: a number as JS writes it (`20.5`, `1e+21`).
pub(super) fn push_number_text(number: f64, out: &mut String) {
    if let Some(text) = number_text(&JsValue::from_f64(number)).as_string() {
        out.push_str(&text);
    }
}

/// `js` when it is a string no longer than `MAX_TEXT`, for a message's fields: nothing else of
/// a message is copied into wasm memory (a list of long strings as its `code` would be
/// hundreds of megabytes, for good: wasm memory never shrinks).
pub(super) fn text(js: &JsValue) -> Option<String> {
    text_within(js, MAX_TEXT)
}

/// `js` when it is a string of at most `max` UTF-16 units; nothing longer is copied. A lone
/// surrogate comes as U+FFFD: a message's texts are compared and handed on, never written into
/// a URL.
pub(super) fn text_within(js: &JsValue, max: u32) -> Option<String> {
    if matches!(kind_of(js, max), STRING | ILL_FORMED) {
        js.as_string()
    } else {
        None
    }
}

/// Whether `js` is an object (arrays and functions included).
pub(super) fn is_object(js: &JsValue) -> bool {
    matches!(kind_of(js, MAX_TEXT), ARRAY | FUNCTION | OBJECT)
}

/// Whether `js` may serve as a call's options: an object, or any falsy value (which reads as
/// `{}`, as the reference's `options || {}` does: `getAuthUrl(ready && options)`).
pub(super) fn is_options_object(js: &JsValue) -> bool {
    match kind_of(js, MAX_TEXT) {
        UNDEFINED | NULL | FALSE | ARRAY | FUNCTION | OBJECT => true,
        NUMBER | STRING | ILL_FORMED => !js.is_truthy(),
        _ => false,
    }
}
