//! A genuine result, turned into what the app receives: `onComplete`'s six arguments with the
//! message's own values (`undefined` stays `undefined`, as the reference passes
//! `message.virtualKeyUrl` as it is), and the error built like the reference's `generateError`.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::read::MessageData;
use super::value;
use crate::error::Class;
use crate::input::Value;
use crate::receive::{ConnectError, ErrorCode, ErrorDetails};
use smartcar_protocol::js::set_property;

#[wasm_bindgen(module = "/js/complete.js")]
extern "C" {
    /// `[error, code, state, virtualKeyUrl, userId, externalId]`.
    fn completion(error: &JsValue, code: &JsValue, state: &JsValue, virtual_key_url: &JsValue, user_id: &JsValue, external_id: &JsValue) -> Array;
}

#[wasm_bindgen]
extern "C" {
    /// JS `String(value)`, for a message value (throws for an object whose `toString` does).
    #[wasm_bindgen(catch, js_name = String)]
    fn js_string(value: &JsValue) -> Result<JsValue, JsValue>;
    /// JS `Number(value)` (throws for an object whose `valueOf` does).
    #[wasm_bindgen(catch, js_name = Number)]
    fn js_number(value: &JsValue) -> Result<f64, JsValue>;
}

/// `onComplete`'s arguments for `message`, whose state held `original_state`.
///
/// # Errors
/// What a getter of the message (or a `toString` of one of its values) throws.
pub(super) fn arguments(message: &MessageData, original_state: &JsValue) -> Result<Array, JsValue> {
    let error = connect_error(message)?;
    Ok(completion(&error, &message.code, original_state, &message.virtual_key_url, &message.user_id, &message.external_id))
}

/// `null`, or the error for the message's `error`.
fn connect_error(message: &MessageData) -> Result<JsValue, JsValue> {
    let error = &message.error;
    let text;
    let code = match value::value(error) {
        value if !value.is_truthy() => return Ok(JsValue::NULL),
        Value::Text(code) => {
            text = code;
            ErrorCode::Text(&text)
        }
        _ => {
            text = js_string(error)?.as_string().unwrap_or_default();
            ErrorCode::Other(&text)
        }
    };
    let description = &message.error_description;
    let description_text = match code {
        ErrorCode::Text("access_denied" | "invalid_subscription" | "vehicle_incompatible") => String::new(),
        _ => js_string(description)?.as_string().unwrap_or_default(),
    };
    let details = ErrorDetails { description: &description_text, has_vin: message.vin.is_truthy(), has_model: message.model.is_truthy() };
    let (class, info) = match ConnectError::from_message(code, details) {
        None => return Ok(JsValue::NULL),
        Some(ConnectError::AccessDenied) => (Class::AccessDenied, JsValue::UNDEFINED),
        Some(ConnectError::InvalidSubscription) => (Class::InvalidSubscription, JsValue::UNDEFINED),
        Some(ConnectError::VehicleIncompatible { with_vehicle: false, .. }) => (Class::VehicleIncompatible, JsValue::NULL),
        Some(ConnectError::VehicleIncompatible { with_model, .. }) => (Class::VehicleIncompatible, vehicle_info(message, with_model)?),
        Some(ConnectError::Unexpected { message }) => return super::errors::with_js_message(Class::Error, &message.into(), &JsValue::UNDEFINED),
    };
    super::errors::with_js_message(class, description, &info)
}

/// `{vin, make, year: Number(year)}`, plus `model` when the rule says so.
fn vehicle_info(message: &MessageData, with_model: bool) -> Result<JsValue, JsValue> {
    let info = Object::new();
    set_property(&info, "vin", &message.vin);
    set_property(&info, "make", &message.make);
    set_property(&info, "year", &js_number(&message.year)?.into());
    if with_model {
        set_property(&info, "model", &message.model);
    }
    Ok(info.into())
}
