//! The options of each call: `getAuthUrl` (and `openDialog`, `addClickHandler`, `connect`,
//! `redirectToConnect`, which take the same ones), plus each call's own.

use crate::error::{Failure, Result};
use crate::geometry::WindowOptions;
use crate::input::Value;
use crate::lifecycle;
use crate::options::{ill_formed, wrong_type};

/// Thrown by `addClickHandler` when neither `id` nor `selector` is given.
pub const ADD_CLICK_HANDLER_NO_TARGET: &str = "Could not add click handler: id or selector must be provided.";

const VEHICLE_INFO_TYPE: &str = "The \"vehicleInfo\" option must be an object";
const FLAGS_TYPE: &str = "The \"flags\" option must be an array of strings (at most 1024, 64 KB in all)";
const SIGNAL_TYPE: &str = "The \"signal\" option must be an AbortSignal";
const FALLBACK_TYPE: &str = "The \"fallback\" option must be 'redirect' or undefined";
const WINDOW_OPTIONS_TYPE: &str = "The \"windowOptions\" option must be an object";

/// The message `addClickHandler` throws when no element matches `what` (the `id`, or else the
/// `selector`), whitespace and all, as the reference writes it.
pub fn click_handler_not_found(what: &str) -> String {
    const BEFORE: &str = "\n        Could not add click handler: element with '";
    const AFTER: &str = "' was not found.\n      ";
    let mut out = String::with_capacity(BEFORE.len() + what.len() + AFTER.len());
    out.push_str(BEFORE);
    out.push_str(what);
    out.push_str(AFTER);
    out
}

/// An option that is read further when it is an object (`vehicleInfo`, `singleSelect`).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Nested {
    /// `undefined` or `null`.
    #[default]
    Absent,
    /// An object (not a function): its one key the SDK reads, `None` when the object does not
    /// have it (`'make' in vehicleInfo` is false).
    Object(Option<Value>),
    /// Anything else.
    Other(Value),
}

/// `getAuthUrl`'s options, as the bindings read them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawAuthUrl {
    /// `state` (only its truthiness matters here; the bindings encode the value itself).
    pub state: Value,
    /// `forcePrompt`.
    pub force_prompt: Value,
    /// `vehicleInfo`, with its `make`.
    pub vehicle_info: Nested,
    /// `singleSelect`, with its `vin`.
    pub single_select: Nested,
    /// `flags`.
    pub flags: Value,
    /// `user`.
    pub user: Value,
}

/// The `singleSelect` option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SingleSelect {
    /// `undefined` or `null`: no parameter.
    Absent,
    /// Any non-object value: `single_select=<value === true>`.
    Flag(bool),
    /// An object with a `vin` key: `single_select_vin=<vin>&single_select=true`.
    Vin(String),
    /// An object without a `vin` key: `single_select=false`.
    NoVin,
}

/// `getAuthUrl`'s options, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthUrlOptions<'a> {
    /// Whether the app's `state` goes into the Connect state: a falsy state is no state, as
    /// in the reference.
    pub sends_state: bool,
    /// `forcePrompt === true`: `approval_prompt=force` instead of `auto`.
    pub force_prompt: bool,
    /// `singleSelect`.
    pub single_select: SingleSelect,
    /// `vehicleInfo.make`, when `vehicleInfo` has a `make` key whose value is a string, number
    /// or boolean (the reference would send `undefined` or `[object Object]`).
    pub make: Option<String>,
    /// `flags`, when given: joined with spaces.
    pub flags: Option<Vec<&'a str>>,
    /// `user`, when truthy (as the reference tests it: `false`, `0` and `NaN` send nothing)
    /// and a string, number or boolean.
    pub user: Option<String>,
}

impl<'a> AuthUrlOptions<'a> {
    /// Checks `raw`.
    ///
    /// # Errors
    /// A `TypeError` when `flags` is not an array of strings, or `vehicleInfo` is truthy and
    /// not an object.
    pub fn from_raw(raw: &'a RawAuthUrl) -> Result<AuthUrlOptions<'a>> {
        let single_select = match &raw.single_select {
            Nested::Absent => SingleSelect::Absent,
            Nested::Object(Some(vin)) => url_text(vin, "singleSelect.vin")?.map_or(SingleSelect::NoVin, SingleSelect::Vin),
            Nested::Object(None) => SingleSelect::NoVin,
            Nested::Other(value) => SingleSelect::Flag(matches!(value, Value::Bool(true))),
        };
        let make = match &raw.vehicle_info {
            Nested::Object(Some(make)) => url_text(make, "vehicleInfo.make")?,
            // The reference's `'make' in vehicleInfo` throws for a truthy primitive too.
            Nested::Other(other) if other.is_truthy() => return Err(Failure::type_error(VEHICLE_INFO_TYPE)),
            _ => None,
        };
        let flags = match &raw.flags {
            value if !value.is_truthy() => None,
            value => Some(value.text_list().ok_or_else(|| wrong_type(value, "flags", FLAGS_TYPE))?),
        };
        Ok(AuthUrlOptions {
            sends_state: raw.state.is_truthy(),
            force_prompt: matches!(raw.force_prompt, Value::Bool(true)),
            single_select,
            make,
            flags,
            user: if raw.user.is_truthy() { url_text(&raw.user, "user")? } else { None },
        })
    }
}

/// `String(value)` of an option written into the URL (see `Value::primitive_text`).
///
/// # Errors
/// A `URIError` naming the option (`name`) for text no URL can carry.
fn url_text(value: &Value, name: &str) -> Result<Option<String>> {
    if value.is_ill_formed() { Err(ill_formed(name)) } else { Ok(value.primitive_text()) }
}

/// `windowOptions` of `openDialog`, as the bindings read it.
#[derive(Clone, Debug, PartialEq)]
pub enum RawWindowOptions {
    /// An object (arrays and functions included): each entry read with JS `parseFloat`, as
    /// the reference reads them (NaN when absent or not a number).
    Object {
        /// `top`.
        top: f64,
        /// `left`.
        left: f64,
        /// `width`.
        width: f64,
        /// `height`.
        height: f64,
    },
    /// Anything else, truthy or not.
    Other {
        /// Whether it is truthy.
        truthy: bool,
    },
}

impl RawWindowOptions {
    /// The popup's explicit position and size, each `None` when not a finite number; a falsy
    /// `windowOptions` gives none (the reference's `windowOptions || {}`).
    ///
    /// # Errors
    /// A `TypeError` naming the option for a truthy value that is not an object (the
    /// reference throws one from inside for a string, and ignores a number or `true`).
    pub fn checked(&self) -> Result<WindowOptions> {
        let finite = |v: f64| v.is_finite().then_some(v);
        match *self {
            RawWindowOptions::Object { top, left, width, height } => {
                Ok(WindowOptions { top: finite(top), left: finite(left), width: finite(width), height: finite(height) })
            }
            RawWindowOptions::Other { truthy: true } => Err(Failure::type_error(WINDOW_OPTIONS_TYPE)),
            RawWindowOptions::Other { truthy: false } => Ok(WindowOptions::default()),
        }
    }
}

/// What `addClickHandler` attaches to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClickTargets {
    /// `id`, as `String(id)`, when truthy.
    pub id: Option<String>,
    /// `selector`, when truthy.
    pub selector: Option<String>,
}

impl ClickTargets {
    /// The targets from the `id` and `selector` options: each one that is truthy, as the
    /// reference tests them (`id: 0` is no id), as `String(value)`.
    ///
    /// # Errors
    /// The reference's error when neither is truthy; a `TypeError` naming the option for a
    /// truthy one that is not a string, number or boolean (the reference would look for
    /// `[object Object]`, or throw on a symbol).
    pub fn from_raw(id: &Value, selector: &Value) -> Result<ClickTargets> {
        if !id.is_truthy() && !selector.is_truthy() {
            return Err(Failure::error(ADD_CLICK_HANDLER_NO_TARGET));
        }
        Ok(ClickTargets { id: click_target(id, ID_TYPE)?, selector: click_target(selector, SELECTOR_TYPE)? })
    }

    /// What the not-found error names: the `id`, or else the `selector`.
    pub fn name(&self) -> &str {
        self.id.as_deref().or(self.selector.as_deref()).unwrap_or_default()
    }
}

const ID_TYPE: &str = "The \"id\" option must be a string (at most 65536 characters)";
const SELECTOR_TYPE: &str = "The \"selector\" option must be a string (at most 65536 characters)";

/// One of `addClickHandler`'s targets (see [`ClickTargets::from_raw`]).
fn click_target(value: &Value, type_error: &'static str) -> Result<Option<String>> {
    if !value.is_truthy() {
        return Ok(None);
    }
    value.primitive_text().map(Some).ok_or(Failure::type_error(type_error))
}

/// What `connect()` does when the browser blocks its popup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// Reject with `PopupBlocked` (the default).
    None,
    /// Continue with `redirectToConnect`: the page itself goes to Connect.
    Redirect,
}

/// `connect()`'s own options, checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConnectOptions {
    /// How long the flow may last, in ms.
    pub timeout_ms: f64,
    /// `fallback`.
    pub fallback: Fallback,
}

impl ConnectOptions {
    /// Checks `timeout`, `fallback` and whether `signal` is an `AbortSignal` (the bindings
    /// tell: `signal_ok` is false for anything else but `undefined` and `null`).
    ///
    /// # Errors
    /// A `TypeError` naming the option.
    pub fn from_raw(timeout: &Value, signal_ok: bool, fallback: &Value) -> Result<ConnectOptions> {
        let timeout = match timeout {
            Value::Undefined => None,
            Value::Number { value, .. } => Some(*value),
            _ => Some(f64::NAN),
        };
        let timeout_ms = lifecycle::parse_timeout(timeout).map_err(Failure::type_error)?;
        if !signal_ok {
            return Err(Failure::type_error(SIGNAL_TYPE));
        }
        let fallback = match fallback {
            Value::Undefined => Fallback::None,
            Value::Text(text) if text == "redirect" => Fallback::Redirect,
            _ => return Err(Failure::type_error(FALLBACK_TYPE)),
        };
        Ok(ConnectOptions { timeout_ms, fallback })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn raw() -> RawAuthUrl {
        RawAuthUrl {
            state: Value::Undefined,
            force_prompt: Value::Undefined,
            vehicle_info: Nested::Absent,
            single_select: Nested::Absent,
            flags: Value::Undefined,
            user: Value::Undefined,
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_lone_surrogate_bound_for_the_url_is_a_uri_error_naming_the_option() {
        let ill = || Value::IllFormedText;
        let failure = |raw: &RawAuthUrl| AuthUrlOptions::from_raw(raw).map(|_| ()).unwrap_err();
        for (raw, name) in [
            (RawAuthUrl { user: ill(), ..raw() }, "user"),
            (RawAuthUrl { flags: Value::List(vec![text("a"), ill()]), ..raw() }, "flags"),
            (RawAuthUrl { vehicle_info: Nested::Object(Some(ill())), ..raw() }, "vehicleInfo.make"),
            (RawAuthUrl { single_select: Nested::Object(Some(ill())), ..raw() }, "singleSelect.vin"),
        ] {
            let e = failure(&raw);
            assert_eq!(e.class, crate::error::Class::UriError);
            assert!(e.message.starts_with(&format!("The \"{name}\" option is not well-formed text")), "{}", e.message);
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn defaults() {
        let raw = raw();
        let o = AuthUrlOptions::from_raw(&raw).unwrap();
        assert_eq!(o, AuthUrlOptions { sends_state: false, force_prompt: false, single_select: SingleSelect::Absent, make: None, flags: None, user: None });
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn falsy_states_are_not_sent() {
        for falsy in [text(""), Value::Bool(false), Value::Null, Value::Number { value: 0.0, text: "0".into() }] {
            assert!(!AuthUrlOptions::from_raw(&RawAuthUrl { state: falsy, ..raw() }).unwrap().sends_state);
        }
        assert!(AuthUrlOptions::from_raw(&RawAuthUrl { state: Value::Object, ..raw() }).unwrap().sends_state);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn single_select_as_the_reference_reads_it() {
        let ss = |n: Nested| AuthUrlOptions::from_raw(&RawAuthUrl { single_select: n, ..raw() }).unwrap().single_select;
        assert_eq!(ss(Nested::Other(Value::Bool(true))), SingleSelect::Flag(true));
        assert_eq!(ss(Nested::Other(text("true"))), SingleSelect::Flag(false));
        assert_eq!(ss(Nested::Object(Some(text("5YJ")))), SingleSelect::Vin("5YJ".into()));
        assert_eq!(ss(Nested::Object(None)), SingleSelect::NoVin);
        // `{vin: undefined}`: the reference sends the text "undefined"; this leaves it out.
        assert_eq!(ss(Nested::Object(Some(Value::Undefined))), SingleSelect::NoVin);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn make_flags_user_and_force_prompt() {
        let given = RawAuthUrl {
            vehicle_info: Nested::Object(Some(text("TESLA"))),
            flags: Value::List(vec![text("country:DE"), text("color:00819D")]),
            user: text("u1"),
            force_prompt: Value::Bool(true),
            ..raw()
        };
        let o = AuthUrlOptions::from_raw(&given).unwrap();
        assert_eq!((o.make.as_deref(), o.user.as_deref(), o.force_prompt), (Some("TESLA"), Some("u1"), true));
        for falsy in [text(""), Value::Bool(false), Value::Number { value: 0.0, text: "0".into() }, Value::Number { value: f64::NAN, text: "NaN".into() }] {
            let raw = RawAuthUrl { user: falsy, ..RawAuthUrl::default() };
            assert_eq!(AuthUrlOptions::from_raw(&raw).unwrap().user, None);
        }
        assert_eq!(o.flags.unwrap().len(), 2);
        let bad = AuthUrlOptions::from_raw(&RawAuthUrl { flags: text("country:DE"), ..raw() }).map(|_| ()).unwrap_err();
        assert_eq!(bad.message, FLAGS_TYPE);
        assert!(!AuthUrlOptions::from_raw(&RawAuthUrl { force_prompt: text("true"), ..raw() }).unwrap().force_prompt);
        // A truthy vehicleInfo that is not an object: the reference's `'make' in` throws a
        // TypeError; a falsy one is no vehicleInfo.
        for truthy in [text("TESLA"), Value::Bool(true), Value::Number { value: 1.0, text: "1".into() }, Value::Other] {
            let refused = AuthUrlOptions::from_raw(&RawAuthUrl { vehicle_info: Nested::Other(truthy), ..raw() }).map(|_| ()).unwrap_err();
            assert_eq!((refused.class, &*refused.message), (crate::error::Class::TypeError, VEHICLE_INFO_TYPE));
        }
        for falsy in [text(""), Value::Bool(false), Value::Number { value: 0.0, text: "0".into() }] {
            assert_eq!(AuthUrlOptions::from_raw(&RawAuthUrl { vehicle_info: Nested::Other(falsy), ..raw() }).unwrap().make, None);
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn click_targets() {
        assert_eq!(ClickTargets::from_raw(&Value::Undefined, &text("")).unwrap_err().message, ADD_CLICK_HANDLER_NO_TARGET);
        let t = ClickTargets::from_raw(&text("connect"), &text(".b")).unwrap();
        assert_eq!((t.id.as_deref(), t.name()), (Some("connect"), "connect"));
        assert_eq!(ClickTargets::from_raw(&Value::Null, &text(".b")).unwrap().name(), ".b");
        // Truthiness, as the reference tests it: `id: 0` is no id.
        let zero = Value::Number { value: 0.0, text: "0".into() };
        assert_eq!(ClickTargets::from_raw(&zero, &Value::Bool(false)).unwrap_err().message, ADD_CLICK_HANDLER_NO_TARGET);
        assert_eq!(ClickTargets::from_raw(&zero, &text(".b")).unwrap().id, None);
        let five = Value::Number { value: 5.0, text: "5".into() };
        assert_eq!(ClickTargets::from_raw(&five, &Value::Undefined).unwrap().name(), "5");
        // A truthy value that is not a string, number or boolean names its option.
        assert_eq!(ClickTargets::from_raw(&Value::Object, &Value::Undefined).unwrap_err(), Failure::type_error(ID_TYPE));
        assert_eq!(ClickTargets::from_raw(&Value::Undefined, &Value::List(vec![text(".c")])).unwrap_err(), Failure::type_error(SELECTOR_TYPE));
        assert_eq!(
            click_handler_not_found("#connect"),
            "\n        Could not add click handler: element with '#connect' was not found.\n      "
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn connect_options() {
        let ok = ConnectOptions::from_raw(&Value::Undefined, true, &Value::Undefined).unwrap();
        assert_eq!((ok.timeout_ms, ok.fallback), (lifecycle::DEFAULT_TIMEOUT_MS, Fallback::None));
        let r = ConnectOptions::from_raw(&Value::Number { value: 500.0, text: "500".into() }, true, &text("redirect")).unwrap();
        assert_eq!((r.timeout_ms, r.fallback), (500.0, Fallback::Redirect));
        assert!(ConnectOptions::from_raw(&text("500"), true, &Value::Undefined).is_err());
        assert_eq!(ConnectOptions::from_raw(&Value::Undefined, false, &Value::Undefined).unwrap_err().message, SIGNAL_TYPE);
        assert_eq!(ConnectOptions::from_raw(&Value::Undefined, true, &text("popup")).unwrap_err().message, FALLBACK_TYPE);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn window_options_keep_finite_numbers() {
        let w = RawWindowOptions::Object { top: 10.0, left: f64::NAN, width: f64::INFINITY, height: 50.5 };
        assert_eq!(w.checked().unwrap(), WindowOptions { top: Some(10.0), left: None, width: None, height: Some(50.5) });
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn window_options_that_are_not_an_object() {
        assert_eq!(RawWindowOptions::Other { truthy: false }.checked().unwrap(), WindowOptions::default());
        let refused = RawWindowOptions::Other { truthy: true }.checked().unwrap_err();
        assert_eq!((refused.class, &*refused.message), (crate::error::Class::TypeError, WINDOW_OPTIONS_TYPE));
    }
}
