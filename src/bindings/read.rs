//! Reading JS objects: every object the SDK reads has a reader with one named field per
//! property, read in one call; each value then becomes a rule's `Value` in [`value`].
//!
//! Options, messages and even the instance's own fields can be getters or Proxies written by
//! the page: an exception comes back as an error here, never unwinding through the wasm.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::call_options::{Nested, RawAuthUrl, RawWindowOptions};
use crate::input::Value;
use crate::options::{Fields, RawOptions, ReceivingFields};

use super::value::{is_object, kind_of, value, ARRAY, FUNCTION, MAX_TEXT, NULL, OBJECT, UNDEFINED};

/// Declares a reader of a JS object's properties: a struct with one named field per
/// property (a `JsValue`), read in one call to `readProperties` (js/values.js), which runs each
/// getter once, in order. The key list is generated from the same declaration as the fields,
/// so the two cannot drift apart, and made a JS array once per page.
macro_rules! js_reader {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident: $js:ident),* $(,)? }) => {
        $(#[$doc])*
        pub(super) struct $name {
            $($(#[$fdoc])* pub(super) $field: JsValue,)*
        }

        impl $name {
            /// Reads the properties of `object` (an object: the caller checked).
            ///
            /// # Errors
            /// What a getter throws.
            pub(super) fn read(object: &JsValue) -> Result<$name, JsValue> {
                // The key list crosses into JS once: a text from wasm memory costs a
                // TextDecoder call each time it crosses.
                thread_local!(static KEYS: JsValue = key_list(concat!($(stringify!($js), " "),*)));
                let values = KEYS.with(|keys| read_properties(object, keys))?;
                let mut index = 0;
                let mut next = || {
                    index += 1;
                    values.get(index - 1)
                };
                Ok($name { $($field: next(),)* })
            }
        }
    };
}

js_reader!(
    /// The options of `new Smartcar(options)`.
    ConstructorOptions {
        application_id: applicationId, client_id: clientId, response_type: responseType,
        redirect_uri: redirectUri, on_complete: onComplete, test_mode: testMode, mode: mode,
        scope: scope, external_id: externalId, connect_url: connectUrl,
    }
);

js_reader!(
    /// The instance's fields (the JS face, `js/smartcar.js`), as the app may have reassigned them.
    FaceFields {
        application_id: applicationId, redirect_uri: redirectUri, scope: scope, mode: mode,
        response_type: responseType, external_id: externalId, instance_id: instanceId,
        connect_url: connectUrl,
    }
);

js_reader!(
    /// The instance's fields receiving a result reads (`crate::options::ReceivingFields`).
    FaceReceiving { redirect_uri: redirectUri, instance_id: instanceId, connect_url: connectUrl }
);

js_reader!(
    /// The options of `getAuthUrl`, `openDialog`, `addClickHandler` and `redirectToConnect`.
    AuthUrlProperties {
        state: state, force_prompt: forcePrompt, vehicle_info: vehicleInfo, single_select: singleSelect,
        flags: flags, user: user,
    }
);

js_reader!(
    /// The options only `connect()` reads.
    ConnectProperties { timeout: timeout, signal: signal, fallback: fallback }
);

js_reader!(
    /// `addClickHandler`'s targets.
    ClickProperties { id: id, selector: selector }
);

js_reader!(
    /// The options' `windowOptions`.
    WindowOptionsProperty { window_options: windowOptions }
);

js_reader!(
    /// `windowOptions`.
    WindowProperties { top: top, left: left, width: width, height: height }
);

macro_rules! message_reader {
    ($($(#[$doc:meta])* $variant:ident, $js:ident, $query:ident;)*) => {
        js_reader!(
            /// A posted message, with the keys of the protocol's one definition
            /// (`smartcar_protocol::with_message_fields!`).
            MessageData { name: name, $($query: $js,)* }
        );
    };
}
smartcar_protocol::with_message_fields!(message_reader);

#[wasm_bindgen]
extern "C" {
    /// The JS face of an instance (`js/smartcar.js`): its fields are read with [`FaceFields`].
    #[derive(Clone)]
    pub type Face;
}

#[wasm_bindgen(module = "/js/values.js")]
extern "C" {
    /// The keys of `text` (each followed by a space), as a JS array.
    #[wasm_bindgen(js_name = keyList)]
    fn key_list(text: &str) -> JsValue;
    /// The properties `keys` (a [`key_list`]) of `object`, in order (see `js/values.js`).
    #[wasm_bindgen(catch, js_name = readProperties)]
    fn read_properties(object: &JsValue, keys: &JsValue) -> Result<Array, JsValue>;
    /// `key in object` for an object; `None` when it throws (a Proxy's trap).
    #[wasm_bindgen(js_name = has)]
    fn has(object: &JsValue, key: &JsValue) -> Option<bool>;
    /// Whether `object` has `key` as an own property; `None` when that throws.
    #[wasm_bindgen(js_name = hasOwn)]
    fn has_own(object: &JsValue, key: &str) -> Option<bool>;
    /// Whether `key` of `object` is defined on it or on what it inherits from below the first
    /// class prototype (`Object.prototype`, `Smartcar.prototype`); `false` when that throws.
    #[wasm_bindgen(js_name = definedBelowPrototypes)]
    fn defined_below_prototypes(object: &JsValue, key: &str) -> bool;
    /// JS `parseFloat(value)`, as the reference reads `windowOptions`: NaN for `undefined`,
    /// and when `String(value)` throws.
    #[wasm_bindgen(js_name = number)]
    fn parse_float(value: &JsValue) -> f64;
}

/// Reads `reader`'s properties of a call's `options`: all `undefined` when there are none.
pub(super) fn properties<T>(options: &JsValue, reader: fn(&JsValue) -> Result<T, JsValue>) -> Result<T, JsValue> {
    if is_object(options) {
        reader(options)
    } else {
        reader(&js_sys::Object::new())
    }
}

/// The `connectUrl` read of `object` (`connect_url`), unless it comes from a class prototype
/// (`Object.prototype` of any realm, `Smartcar.prototype`): this package's own option sends the
/// whole flow to another server, and a page whose prototypes were polluted
/// (`Object.prototype.connectUrl = ...`, even after the instance was made) must not decide
/// that. (The reference has no such option; its own options read as it reads them.)
fn own_connect_url(object: &JsValue, connect_url: JsValue) -> JsValue {
    if connect_url.is_undefined() || defined_below_prototypes(object, "connectUrl") { connect_url } else { JsValue::UNDEFINED }
}

/// The constructor's options, each read once, and their values as the instance keeps them (the
/// reference's `this.scope = options.scope`: the same array, not a copy). Options that are not
/// an object have no options, as the reference reads `(42).applicationId`: the missing
/// `applicationId` is the error.
pub(super) fn constructor_options(js: &JsValue) -> Result<(RawOptions, ConstructorOptions), JsValue> {
    let mut given = properties(js, ConstructorOptions::read)?;
    given.connect_url = own_connect_url(js, given.connect_url);
    let own = |key: &str, value_of: &JsValue| has_own(js, key).unwrap_or(false).then(|| value(value_of));
    let raw = RawOptions {
        application_id: value(&given.application_id),
        client_id: value(&given.client_id),
        response_type: value(&given.response_type),
        redirect_uri: value(&given.redirect_uri),
        on_complete: value(&given.on_complete),
        test_mode: own("testMode", &given.test_mode),
        mode: own("mode", &given.mode),
        scope: value(&given.scope),
        external_id: value(&given.external_id),
        connect_url: value(&given.connect_url),
    };
    Ok((raw, given))
}

/// The values of the instance's fields receiving a result reads, as they are now.
pub(super) struct ReceivingValues {
    redirect_uri: Value,
    instance_id: Value,
    connect_url: Value,
}

impl ReceivingValues {
    /// Reads them of `face`.
    ///
    /// # Errors
    /// What a getter throws.
    pub(super) fn read(face: &Face) -> Result<ReceivingValues, JsValue> {
        let fields = FaceReceiving::read(face)?;
        let connect_url = value(&own_connect_url(face, fields.connect_url));
        Ok(ReceivingValues { redirect_uri: value(&fields.redirect_uri), instance_id: value(&fields.instance_id), connect_url })
    }

    /// As the rules take them.
    pub(super) fn fields(&self) -> ReceivingFields<'_> {
        ReceivingFields { redirect_uri: &self.redirect_uri, instance_id: &self.instance_id, connect_url: &self.connect_url }
    }
}

/// The instance's fields, as they are now; and its `instanceId` as it is (a JS value).
pub(super) fn fields(face: &Face) -> Result<(Fields, JsValue), JsValue> {
    let read = FaceFields::read(face)?;
    let fields = Fields {
        application_id: value(&read.application_id),
        redirect_uri: value(&read.redirect_uri),
        scope: value(&read.scope),
        mode: value(&read.mode),
        response_type: value(&read.response_type),
        external_id: value(&read.external_id),
        instance_id: value(&read.instance_id),
        connect_url: value(&own_connect_url(face, read.connect_url)),
    };
    Ok((fields, read.instance_id))
}

/// `getAuthUrl`'s options, with the app's `state` as it is.
pub(super) fn auth_url_options(options: &JsValue) -> Result<(RawAuthUrl, JsValue), JsValue> {
    let o = properties(options, AuthUrlProperties::read)?;
    let raw = RawAuthUrl {
        // Only its truthiness, as JS has it (`0n` is falsy): the face encodes the value itself.
        state: Value::Bool(o.state.is_truthy()),
        force_prompt: value(&o.force_prompt),
        // The reference tests `'make' in vehicleInfo` for any truthy value (a function has
        // keys too), and `typeof singleSelect === 'object'`.
        vehicle_info: nested(&o.vehicle_info, &MAKE, true)?,
        single_select: nested(&o.single_select, &VIN, false)?,
        flags: value(&o.flags),
        user: value(&o.user),
    };
    Ok((raw, o.state))
}

thread_local! {
    // The keys `nested` reads, made JS strings once (see `js_reader!`).
    static MAKE: JsValue = JsValue::from_str("make");
    static VIN: JsValue = JsValue::from_str("vin");
}

/// `vehicleInfo` or `singleSelect`: read further (its `key`) when it is an object (a function
/// too, when `functions`).
fn nested(js: &JsValue, key: &'static std::thread::LocalKey<JsValue>, functions: bool) -> Result<Nested, JsValue> {
    Ok(match kind_of(js, MAX_TEXT) {
        UNDEFINED | NULL => Nested::Absent,
        ARRAY | OBJECT => nested_key(js, key)?,
        FUNCTION if functions => nested_key(js, key)?,
        _ => Nested::Other(value(js)),
    })
}

/// An object's `key`, for [`nested`].
fn nested_key(js: &JsValue, key: &'static std::thread::LocalKey<JsValue>) -> Result<Nested, JsValue> {
    Ok(match key.with(|key| has(js, key)) {
        Some(true) => Nested::Object(Some(value(&key.with(|key| js_sys::Reflect::get(js, key))?))),
        Some(false) => Nested::Object(None),
        None => Nested::Other(Value::Other),
    })
}

/// `windowOptions` of a call's options: of an object, each entry through `parseFloat` (NaN
/// when absent).
pub(super) fn window_options(options: &JsValue) -> Result<RawWindowOptions, JsValue> {
    let given = if is_object(options) { WindowOptionsProperty::read(options)?.window_options } else { JsValue::UNDEFINED };
    if !is_object(&given) {
        return Ok(RawWindowOptions::Other { truthy: given.is_truthy() });
    }
    let w = WindowProperties::read(&given)?;
    Ok(RawWindowOptions::Object { top: parse_float(&w.top), left: parse_float(&w.left), width: parse_float(&w.width), height: parse_float(&w.height) })
}
