//! The errors the SDK hands to JS: real `Error` objects, of the classes in `js/errors.js` where
//! apps test `instanceof` (exposed as `Smartcar.AccessDenied` and so on by the face).

use wasm_bindgen::prelude::*;

use crate::error::{Class, Failure};

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    /// `new <class of kind>(message, vehicleInfo)`; one import for every error the SDK makes.
    /// `undefined` when `String(message)` throws, which only a message from JS can make it do.
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(kind: u32, message: &JsValue, vehicle_info: &JsValue) -> JsValue;
}

/// The index of `class` in `makeError`'s list (js/errors.js keeps the same order).
fn kind(class: Class) -> u32 {
    match class {
        Class::Error => 0,
        Class::TypeError => 1,
        Class::AccessDenied => 2,
        Class::InvalidSubscription => 3,
        Class::VehicleIncompatible => 4,
        Class::InvalidState => 5,
        Class::UriError => 6,
    }
}

/// The JS error for `failure`.
pub(super) fn to_js(failure: &Failure) -> JsValue {
    make_error(kind(failure.class), &JsValue::from_str(&failure.message), &JsValue::UNDEFINED)
}

/// A JS error of `class` whose message is the JS value `message`, passed as the reference
/// passes Connect's description (`new AccessDenied(errorDescription)`: `undefined` gives an
/// empty message, anything else its `String()`).
///
/// # Errors
/// When `String(message)` throws (an object with a `toString` that is not a function survives
/// `postMessage`).
pub(super) fn with_js_message(class: Class, message: &JsValue, vehicle_info: &JsValue) -> Result<JsValue, JsValue> {
    let error = make_error(kind(class), message, vehicle_info);
    if error.is_undefined() { Err(error) } else { Ok(error) }
}
