//! The errors the SDK hands to JS: real `Error` objects, of the classes in `js/errors.js` where
//! apps test `instanceof`.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::lifecycle;
use crate::receive::ConnectError;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = AccessDenied)]
    pub(super) static ACCESS_DENIED: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = InvalidSubscription)]
    pub(super) static INVALID_SUBSCRIPTION: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = VehicleIncompatible)]
    pub(super) static VEHICLE_INCOMPATIBLE: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = PopupBlocked)]
    pub(super) static POPUP_BLOCKED: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = PopupClosed)]
    pub(super) static POPUP_CLOSED: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = Timeout)]
    pub(super) static TIMEOUT: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = InteractionInProgress)]
    pub(super) static INTERACTION_IN_PROGRESS: JsValue;
    /// Reports an exception thrown by the app's `onComplete` as an uncaught error.
    #[wasm_bindgen(js_name = reportError)]
    pub(super) fn report_error(error: &JsValue);
}

/// A `TypeError`.
pub(super) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// A plain `Error`.
pub(super) fn plain(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

/// An `AbortError` `DOMException`, what aborted web APIs reject with.
pub(super) fn abort_error(message: &str) -> JsValue {
    web_sys::DomException::new_with_message_and_name(message, "AbortError")
        .map_or_else(|_| plain(message), JsValue::from)
}

fn construct(class: &'static wasm_bindgen::JsThreadLocal<JsValue>, arguments: &Array) -> JsValue {
    class.with(|class| {
        class
            .dyn_ref::<Function>()
            .and_then(|class| Reflect::construct(class, arguments).ok())
            .unwrap_or(JsValue::NULL)
    })
}

fn with_message(class: &'static wasm_bindgen::JsThreadLocal<JsValue>, message: &JsValue) -> JsValue {
    construct(class, &Array::of1(message))
}

pub(super) fn popup_blocked() -> JsValue {
    with_message(&POPUP_BLOCKED, &lifecycle::POPUP_BLOCKED.into())
}

pub(super) fn popup_closed() -> JsValue {
    with_message(&POPUP_CLOSED, &lifecycle::POPUP_CLOSED.into())
}

pub(super) fn timeout(timeout_ms: f64) -> JsValue {
    with_message(&TIMEOUT, &lifecycle::timeout_message(timeout_ms).into())
}

pub(super) fn interaction_in_progress() -> JsValue {
    with_message(&INTERACTION_IN_PROGRESS, &lifecycle::INTERACTION_IN_PROGRESS.into())
}

/// The error `onComplete` receives for a Connect error, as the reference builds it.
pub(super) fn connect_error(error: ConnectError) -> JsValue {
    let text = |value: Option<String>| value.map_or(JsValue::NULL, |v| JsValue::from_str(&v));
    match error {
        ConnectError::AccessDenied { description } => with_message(&ACCESS_DENIED, &text(description)),
        ConnectError::InvalidSubscription { description } => {
            with_message(&INVALID_SUBSCRIPTION, &text(description))
        }
        ConnectError::VehicleIncompatible { description, vehicle } => {
            let info = match vehicle {
                None => JsValue::NULL,
                Some(vehicle) => {
                    let info = Object::new();
                    let _ = Reflect::set(&info, &"vin".into(), &vehicle.vin.into());
                    let _ = Reflect::set(&info, &"make".into(), &text(vehicle.make));
                    let _ = Reflect::set(&info, &"year".into(), &vehicle.year.into());
                    if let Some(model) = vehicle.model {
                        let _ = Reflect::set(&info, &"model".into(), &model.into());
                    }
                    info.into()
                }
            };
            construct(&VEHICLE_INCOMPATIBLE, &Array::of2(&text(description), &info))
        }
        ConnectError::Unexpected { message } => plain(&message),
    }
}
