//! The errors the SDK hands to JS: real `Error` objects, of the classes in `js/errors.js` where
//! apps test `instanceof` (exposed as `Smartcar.AccessDenied` and so on by the package's entry
//! module).

use js_sys::{Array, Function, Object};
use smartcar_protocol::js::set_property;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::lifecycle;
use crate::receive::ConnectError;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    /// `new <class of kind>(message, vehicleInfo)`; a negative kind is an `AbortError`
    /// `DOMException`. One import for every error the SDK makes.
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(kind: i32, message: &JsValue, vehicle_info: &JsValue) -> JsValue;
    /// Reports an exception thrown by the app's `onComplete` as an uncaught error.
    #[wasm_bindgen(js_name = reportError)]
    pub(super) fn report_error(error: &JsValue);
    #[wasm_bindgen(js_name = deferred)]
    fn deferred_parts() -> Array;
}

#[wasm_bindgen]
extern "C" {
    /// JS `Number(value)`, for a string or `null` (it cannot throw then).
    #[wasm_bindgen(js_name = Number)]
    fn js_number(value: &JsValue) -> f64;
}

// The kinds `makeError` knows, indexes into its list of classes.
const ABORT: i32 = -1;
const ERROR: i32 = 0;
const TYPE_ERROR: i32 = 1;
const ACCESS_DENIED: i32 = 2;
const INVALID_SUBSCRIPTION: i32 = 3;
const VEHICLE_INCOMPATIBLE: i32 = 4;
const POPUP_BLOCKED: i32 = 5;
const POPUP_CLOSED: i32 = 6;
const TIMEOUT: i32 = 7;
const INTERACTION_IN_PROGRESS: i32 = 8;

fn with_message(kind: i32, message: &str) -> JsValue {
    make_error(kind, &message.into(), &JsValue::UNDEFINED)
}

/// A new Promise with its resolve and reject functions (made in JS: a Rust closure for the
/// executor would cost a closure type of its own).
pub(super) fn deferred() -> (js_sys::Promise, Function, Function) {
    let parts = deferred_parts();
    (parts.get(0).unchecked_into(), parts.get(1).unchecked_into(), parts.get(2).unchecked_into())
}

/// A `TypeError`.
pub(super) fn type_error(message: &str) -> JsValue {
    with_message(TYPE_ERROR, message)
}

/// A plain `Error`.
pub(super) fn plain(message: &str) -> JsValue {
    with_message(ERROR, message)
}

/// An `AbortError` `DOMException`, what aborted web APIs reject with.
pub(super) fn abort_error(message: &str) -> JsValue {
    with_message(ABORT, message)
}

pub(super) fn popup_blocked() -> JsValue {
    with_message(POPUP_BLOCKED, lifecycle::POPUP_BLOCKED)
}

pub(super) fn popup_closed() -> JsValue {
    with_message(POPUP_CLOSED, lifecycle::POPUP_CLOSED)
}

pub(super) fn timeout(timeout_ms: f64) -> JsValue {
    with_message(TIMEOUT, &lifecycle::timeout_message(timeout_ms))
}

pub(super) fn interaction_in_progress() -> JsValue {
    with_message(INTERACTION_IN_PROGRESS, lifecycle::INTERACTION_IN_PROGRESS)
}

/// The error `onComplete` receives for a Connect error, as the reference builds it.
pub(super) fn connect_error(error: ConnectError) -> JsValue {
    let text = |value: Option<&str>| value.map_or(JsValue::NULL, JsValue::from_str);
    let (kind, description, info) = match error {
        ConnectError::AccessDenied { description } => (ACCESS_DENIED, description, JsValue::UNDEFINED),
        ConnectError::InvalidSubscription { description } => (INVALID_SUBSCRIPTION, description, JsValue::UNDEFINED),
        ConnectError::VehicleIncompatible { description, vehicle } => {
            let info = match vehicle {
                None => JsValue::NULL,
                Some(vehicle) => {
                    let info = Object::new();
                    set_property(&info, "vin", &JsValue::from_str(vehicle.vin));
                    set_property(&info, "make", &text(vehicle.make));
                    set_property(&info, "year", &js_number(&text(vehicle.year)).into());
                    if let Some(model) = vehicle.model {
                        set_property(&info, "model", &JsValue::from_str(model));
                    }
                    info.into()
                }
            };
            (VEHICLE_INCOMPATIBLE, description, info)
        }
        ConnectError::Unexpected { message } => return make_error(ERROR, &JsValue::from_str(&message), &JsValue::UNDEFINED),
    };
    make_error(kind, &text(description), &info)
}
