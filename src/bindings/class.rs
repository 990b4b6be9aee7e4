//! The exported class: the wasm side of one `Smartcar` instance. The face (`js/smartcar.js`)
//! creates one per instance and asks it for every decision, passing itself (`face`), whose plain
//! fields hold the settings. Each method converts what it is given, applies the rules, and
//! answers with what the face is to do; the work behind each lives in the module named.

use std::cell::Cell;

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use super::browser::origin_of;
use super::errors::to_js;
use super::read::{self, Face};
use super::value;
use super::nesting::{room, TOO_DEEP};
use super::{construct, popup, receiving, redirect};
use crate::error::Failure;
use crate::lifecycle::ClosedWatch;
use crate::options::{Fields, Receiving, ReceivingFields, Settings};
use crate::receive::SeenCodes;

/// The wasm side of one `Smartcar` instance: what the rules remember between calls.
#[wasm_bindgen]
pub struct Core {
    // Each in a `Cell` taken and put back, not a `RefCell`: a JS exception (the page's stack
    // running out, see js/guard.js) thrown in between, at a JS call or as a wasm function is
    // entered, would leave a `RefCell` borrowed for good, and its next borrow would trap; it
    // leaves a `Cell` empty, which only forgets.
    pub(super) popup_name: String,
    /// The codes delivered (see `receiving`).
    pub(super) seen: Cell<SeenCodes>,
    /// The last URLs whose origin was asked for, with their origin: the fields rarely change.
    origins: Cell<Vec<(String, String)>>,
    /// The last `getAuthUrl`'s text before and after its state, each with the same as a JS
    /// string: they rarely change between calls, and a text made a JS string costs a
    /// TextDecoder call (removing the URL's one took a `getAuthUrl` from about 10 to 6 µs).
    before_state: JsText,
    after_state: JsText,
}

/// A text, and the same as a JS string: the one made last time, while the text stays the same.
#[derive(Default)]
struct JsText(Cell<Option<(String, JsValue)>>);

impl JsText {
    /// `text` as a JS string.
    fn of(&self, text: &str) -> JsValue {
        let last = self.0.take().filter(|(same, _)| same == text);
        let (text, js) = last.unwrap_or_else(|| (text.to_owned(), JsValue::from_str(text)));
        let answer = js.clone();
        self.0.set(Some((text, js)));
        answer
    }
}

impl Core {
    pub(super) fn new(popup_name: String) -> Core {
        Core { popup_name, seen: Cell::default(), origins: Cell::default(), before_state: JsText::default(), after_state: JsText::default() }
    }

    /// The browser's origin of `url`, remembered for the next calls. Only an origin is
    /// remembered: the browser finds none for a URL it cannot parse, but also when the page's
    /// stack runs out as it parses, which must not be taken for the URL's for good.
    pub(super) fn origin_of(&self, url: &str) -> Option<String> {
        let mut origins = self.origins.take();
        let origin = match origins.iter().find(|(u, _)| u == url) {
            Some((_, origin)) => Some(origin.clone()),
            None => {
                let origin = origin_of(url);
                if let Some(origin) = &origin {
                    if origins.len() >= 4 {
                        origins.remove(0);
                    }
                    origins.push((url.to_owned(), origin.clone()));
                }
                origin
            }
        };
        self.origins.set(origins);
        origin
    }

    /// The face's fields, checked.
    pub(super) fn settings<'a>(&self, fields: &'a Fields) -> Result<Settings<'a>, JsValue> {
        Settings::from_fields(fields, &|url| self.origin_of(url)).map_err(|e| to_js(&e))
    }

    /// `getAuthUrl`'s URL (see [`Core::auth_url`]), made in JS of three strings: the state as
    /// JS made it (when the URL holds it as it is), and the two texts around it (see
    /// `before_state`).
    fn connect_url(&self, face: &Face, options: &JsValue) -> Result<JsValue, JsValue> {
        check_options(options, "The getAuthUrl options must be an object")?;
        let (fields, instance_id) = read::fields(face)?;
        let settings = self.settings(&fields)?;
        let built = popup::connect_url(&settings, options, &instance_id)?;
        let parts = built.url.split_at_checked(built.state_at.start).and_then(|(before, rest)| Some((before, rest.split_at_checked(built.state_at.len())?)));
        let Some((before, (state, after))) = parts else { return Ok(built.url.into()) };
        // Written as it is, or longer: the base64 state's `+` becomes `%2B`.
        let state = if state.len() == built.state.len() { built.state_js } else { JsValue::from_str(state) };
        Ok(concat(&self.before_state.of(before), &state, &self.after_state.of(after)))
    }

    /// What receiving needs of the face's fields.
    pub(super) fn receiving<'a>(&self, fields: ReceivingFields<'a>) -> Result<Receiving<'a>, JsValue> {
        Receiving::from_fields(fields, &|url| self.origin_of(url)).map_err(|e| to_js(&e))
    }
}

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    /// `error` boxed as a `Thrown`, which the face throws (js/errors.js's `unbox`).
    fn thrown(error: &JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/js/values.js")]
extern "C" {
    /// `a + b + c`, for three strings.
    fn concat(a: &JsValue, b: &JsValue, c: &JsValue) -> JsValue;
}

/// What a method answers the face: its value, or the error boxed for the face to throw. (A
/// `Result` return would cost every method a return area and its glue a decoder of it.)
/// A call nested too deep (see `nesting`) answers its error before doing anything.
fn answer<T: Into<JsValue>>(call: impl FnOnce() -> Result<T, JsValue>) -> JsValue {
    if !room() {
        return too_deep();
    }
    match call() {
        Ok(value) => value.into(),
        Err(error) => thrown(&error),
    }
}

/// The answer to a call nested too deep (one copy, not one per method).
#[cold]
#[inline(never)]
fn too_deep() -> JsValue {
    thrown(&to_js(&TOO_DEEP))
}

/// Refuses a call's options that are not an object (`undefined` and `null` read as `{}`).
pub(super) fn check_options(options: &JsValue, call: &'static str) -> Result<(), JsValue> {
    if value::is_options_object(options) { Ok(()) } else { Err(to_js(&Failure::type_error(call))) }
}

#[wasm_bindgen]
impl Core {
    /// `new Smartcar(options)`: checks the options with the reference's rules, errors and
    /// warnings; `[core, applicationId, redirectUri, scope, onComplete, mode, responseType,
    /// externalId, instanceId, connectUrl]`, the fields as the reference sets its own (see
    /// `construct`).
    pub fn construct(options: &JsValue) -> JsValue {
        answer(|| construct::construct(options))
    }

    /// `getAuthUrl`: the Connect URL, its state naming the instance.
    #[wasm_bindgen(js_name = authUrl)]
    pub fn auth_url(&self, face: &Face, options: &JsValue) -> JsValue {
        answer(|| self.connect_url(face, options))
    }

    /// A new popup flow (`kind` 0: `openDialog`, 1: `connect()`) while the flow of `open_kind`
    /// (-1: none) is open, its popup `open_popup_open`: what to open, or `undefined` to refuse
    /// it (see `popup`).
    pub fn popup(&self, face: &Face, options: &JsValue, kind: u32, open_kind: i32, open_popup_open: bool) -> JsValue {
        answer(|| popup::plan(self, face, options, kind, open_kind, open_popup_open))
    }

    /// A message `data` from `origin`, or on the open flow's channel: `[whether it completes the
    /// open flow, onComplete's arguments]`, or `undefined` (see `receiving`).
    #[allow(clippy::too_many_arguments)]
    pub fn receive(&self, face: &Face, data: &JsValue, origin: &JsValue, from_popup: bool, over_channel: bool, flow_id: Option<String>, popup_open: bool) -> Option<Array> {
        if !room() {
            return None;
        }
        receiving::receive(self, face, data, origin, from_popup, over_channel, flow_id.as_deref(), popup_open)
    }

    /// `addClickHandler`'s targets: `[id, selector, the error to throw when nothing matches]`.
    #[wasm_bindgen(js_name = clickTargets)]
    pub fn click_targets(&self, options: &JsValue) -> JsValue {
        answer(|| popup::click_targets(options))
    }

    /// One reading of the popup at `now` (a time from `Date.now()`, above 0): whether it is
    /// `closed`, whether it `shows_page` (not its initial blank one), for a flow with a channel
    /// for its result when `channel`, with the watch's `state` (NaN: opening, 0: shown,
    /// +Infinity: cut off from the page, else since when it reads closed): the new state, or -1
    /// when the popup has been closed for the whole grace period and the flow fails (see
    /// `ClosedWatch`).
    #[wasm_bindgen(js_name = watchClosed)]
    pub fn watch_closed(closed: bool, shows_page: bool, now: f64, state: f64, channel: bool) -> f64 {
        let mut watch = match state {
            s if s.is_nan() => ClosedWatch::Opening,
            0.0 => ClosedWatch::Shown,
            f64::INFINITY => ClosedWatch::CutOff,
            since => ClosedWatch::ClosedSince(since),
        };
        if watch.observe(closed, shows_page, now, channel) {
            return -1.0;
        }
        match watch {
            ClosedWatch::Opening => f64::NAN,
            ClosedWatch::Shown => 0.0,
            ClosedWatch::CutOff => f64::INFINITY,
            ClosedWatch::ClosedSince(since) => since,
        }
    }

    /// `redirectToConnect` at `now`: what to record and where to go (see `redirect`).
    #[wasm_bindgen(js_name = redirectStart)]
    pub fn redirect_start(&self, face: &Face, options: &JsValue, now: f64) -> JsValue {
        answer(|| redirect::start(self, face, options, now))
    }

    /// `handleRedirect`, for the URL's query `params`, reading flow records with `read_record`:
    /// `null` when it holds no Connect result, else what to do with it (see `redirect`).
    #[wasm_bindgen(js_name = redirectOutcome)]
    pub fn redirect_outcome(&self, params: &redirect::QueryParams, read_record: &Function, now: f64, has_opener: bool) -> JsValue {
        answer(|| redirect::outcome(params, read_record, now, has_opener))
    }
}
