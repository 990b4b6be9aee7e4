//! Conversion of [`AuthMessage`] to and from JS objects (the `js` feature).
//!
//! The redirect page writes the message with [`message_to_js`]; the SDK reads what arrives in
//! a `MessageEvent` with [`message_from_js`] into an [`AuthMessage`]. Both walk [`Field::ALL`], so the keys exist once.

use js_sys::{Array, JsString, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::message::{AuthMessage, Field, HOSTED_KEY, MESSAGE_KEYS, MESSAGE_NAME, NAME_KEY};

/// The longest field value (in UTF-16 units) the SDK copies into wasm memory. Genuine values are
/// short; a page posting a huge string must not make the SDK allocate for it.
pub const MAX_FIELD_LEN: u32 = 16 * 1024;

/// The message as the JS object the redirect page posts, with `value(field)` the field's
/// value: every field `null` when absent, except `externalId`, which is left out.
///
/// The values stay JS strings (the redirect page reads them from `URLSearchParams`), so they
/// are never copied through wasm memory on their way from the query to the message.
pub fn message_to_js(is_smartcar_hosted: bool, mut value: impl FnMut(Field) -> Option<JsString>) -> Object {
    let object = Object::new();
    set_property(&object, NAME_KEY, &MESSAGE_NAME.into());
    set_property(&object, HOSTED_KEY, &is_smartcar_hosted.into());
    for field in Field::ALL {
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
    /// `Reflect.set` on a fresh plain object, where it cannot throw: without js-sys's `catch`,
    /// whose error path would cost the scripts bytes for nothing.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    pub fn set_property(target: &Object, key: &str, value: &JsValue);
}

#[wasm_bindgen(module = "/js/properties.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = readProperties)]
    fn read_properties(object: &JsValue, keys: &str) -> Result<Array, JsValue>;
}

/// The properties `keys` (space-separated) of `object`, read in one call (see
/// `protocol/js/properties.js`): `.get(i)` is the value of key `i`, `.has(i)` whether `object`
/// has it (`key in object`). `undefined` and `null` read as `{}`.
///
/// # Errors
/// What a getter throws.
pub fn read(object: &JsValue, keys: &str) -> Result<Properties, JsValue> {
    let values = read_properties(object, keys)?;
    // The last entry is the bit mask of the keys present.
    let present = values.get(values.length().saturating_sub(1)).as_f64().unwrap_or(0.0) as u32;
    Ok(Properties { values, present })
}

/// What [`read`] read.
pub struct Properties {
    values: Array,
    present: u32,
}

impl Properties {
    /// The value of key `index` (`undefined` when absent).
    pub fn get(&self, index: u32) -> JsValue {
        self.values.get(index)
    }

    /// Whether the object has key `index`.
    pub fn has(&self, index: u32) -> bool {
        self.present & (1 << index) != 0
    }
}

/// Reads a message posted to the app's window, `None` unless `data` is an object named
/// `SmartcarAuthMessage`.
///
/// Fields that are not strings count as absent; a string longer than [`MAX_FIELD_LEN`] makes
/// the whole message unreadable, since no genuine message carries one.
pub fn message_from_js(data: &JsValue) -> Option<AuthMessage> {
    if !data.is_object() {
        return None;
    }
    let values = read(data, MESSAGE_KEYS).ok()?;
    // Compared as JS values (`===`), so a huge `name` is never copied into wasm memory.
    if values.get(0) != JsValue::from_str(MESSAGE_NAME) {
        return None;
    }
    let mut message = AuthMessage::default();
    message.is_smartcar_hosted = values.get(1).is_truthy();
    for (index, field) in (2..).zip(Field::ALL) {
        if let Some(text) = values.get(index).dyn_ref::<JsString>() {
            if text.length() > MAX_FIELD_LEN {
                return None;
            }
            message.set(field, text.as_string());
        }
    }
    Some(message)
}
