//! A Connect URL, and a popup flow's plan: what `openDialog`, a click and `connect()` open, or
//! why they do not; and `addClickHandler`'s targets.

use std::ops::Range;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::browser::{geometry_numbers, page_origin, random};
use super::class::{check_options, Core};
use super::errors::to_js;
use super::read::{self, ClickProperties, ConnectProperties, Face};
use super::value;
use crate::call_options::{click_handler_not_found, AuthUrlOptions, ClickTargets, ConnectOptions, Fallback};
use crate::connect_url;
use crate::error::{Class, Failure};
use crate::geometry::{self, AppWindow, Screen, WindowOptions};
use crate::lifecycle::{self, FlowKind, Opening};
use crate::options::Settings;
use crate::state;
use smartcar_protocol::delivery::channel_name;

#[wasm_bindgen(module = "/js/state.js")]
extern "C" {
    /// The `state` parameter for `id` and the app's state; throws what `JSON.stringify` throws.
    #[wasm_bindgen(catch, js_name = encodeState)]
    fn encode_state(id: &JsValue, original_state: &JsValue) -> Result<JsValue, JsValue>;
}

/// A Connect URL, with what went into it.
pub(super) struct Built {
    /// The URL.
    pub(super) url: String,
    /// Where the state's value sits in `url`.
    pub(super) state_at: Range<usize>,
    /// The state (base64).
    pub(super) state: String,
    /// The same as a JS string (`encodeState`'s own).
    pub(super) state_js: JsValue,
    /// The app's own state as sent (`undefined` when none is).
    pub(super) original: JsValue,
}

/// The Connect URL for `options` with a state naming `id` (a JS string: the instance's id as
/// the face holds it, or a new flow's).
pub(super) fn connect_url(settings: &Settings<'_>, options: &JsValue, id: &JsValue) -> Result<Built, JsValue> {
    let (raw, state) = read::auth_url_options(options)?;
    let checked = AuthUrlOptions::from_raw(&raw).map_err(|e| to_js(&e))?;
    let original = if checked.sends_state { state } else { JsValue::UNDEFINED };
    let state_js = encode_state(id, &original)?;
    let encoded = value::text_within(&state_js, state::MAX_STATE as u32);
    let encoded = state::check_sent(encoded).map_err(|e| to_js(&e))?;
    let app_origin = settings.needs_app_origin().then(page_origin);
    let (url, state_at) = connect_url::build_marked(settings, &checked, &encoded, app_origin.as_deref());
    Ok(Built { url, state_at, state: encoded, state_js, original })
}

/// A new popup flow of `kind` (0 `openDialog`, 1 `connect()`) while the flow of `open_kind`
/// (-1: none) is open and its popup `open_popup_open`: to open it, `[url, name, features, flow
/// id, channel]` (`channel` `undefined` unless the redirect page shares the page's origin), for
/// `connect()` followed by `[timeout ms, whether to fall back to redirectToConnect, signal,
/// how often to read the popup's closed flag (ms)]`; `None` to refuse it (a second
/// `connect()`: the face brings the open popup to the front and throws
/// `InteractionInProgress`).
pub(super) fn plan(core: &Core, face: &Face, options: &JsValue, kind: u32, open_kind: i32, open_popup_open: bool) -> Result<Option<Array>, JsValue> {
    check_options(options, if kind == 0 { "The openDialog options must be an object" } else { "The connect options must be an object" })?;
    let connect = (kind == 1).then(|| connect_options(options)).transpose()?;
    // `windowOptions` first, as the reference reads them before the rest.
    let window_options = window_options(options)?;
    let (fields, _) = read::fields(face)?;
    let settings = core.settings(&fields)?;
    // `fallback: 'redirect'` is refused now, not once a blocked popup needs it: its redirect
    // flow needs a redirect URI on this page's origin.
    if connect.as_ref().is_some_and(|[_, redirect, ..]| redirect.is_truthy()) {
        super::redirect::check_redirect_uri(&settings)?;
    }
    let id = state::id_from_bytes(&random());
    let Built { url, state: encoded, .. } = connect_url(&settings, options, &JsValue::from_str(&id))?;
    let (screen, window) = screen();
    let features = geometry::popup_features(&window_options, &screen, &window, value::push_number_text);
    let flow_kind = |k: i32| if k == 0 { FlowKind::Dialog } else { FlowKind::Connect };
    let open = (open_kind >= 0).then(|| (flow_kind(open_kind), open_popup_open));
    if lifecycle::opening(flow_kind(kind as i32), open) == Opening::Refuse {
        return Ok(None);
    }
    // A channel only carries this page's origin: the fallback of a same-origin redirect page,
    // named after this flow's state.
    let channel = (settings.expected_origin == page_origin()).then(|| channel_name(&encoded));
    let plan: Array = [url.into(), core.popup_name.as_str().into(), features.into(), id.into(), channel.map_or(JsValue::UNDEFINED, JsValue::from)]
        .iter()
        .collect();
    if let Some(connect) = connect {
        for value in connect {
            plan.push(&value);
        }
    }
    Ok(Some(plan))
}

/// `connect()`'s own options (see [`plan`]).
fn connect_options(options: &JsValue) -> Result<[JsValue; 4], JsValue> {
    let own = read::properties(options, ConnectProperties::read)?;
    let signal = own.signal.clone().dyn_into::<web_sys::AbortSignal>().ok();
    let signal_ok = signal.is_some() || own.signal.is_undefined() || own.signal.is_null();
    let checked = ConnectOptions::from_raw(&value::value(&own.timeout), signal_ok, &value::value(&own.fallback)).map_err(|e| to_js(&e))?;
    let redirect = checked.fallback == Fallback::Redirect;
    Ok([checked.timeout_ms.into(), redirect.into(), signal.map_or(JsValue::UNDEFINED, JsValue::from), lifecycle::POLL_INTERVAL_MS.into()])
}

/// `addClickHandler`'s targets: `[id, selector, the reference's error for when nothing
/// matches]` (`undefined` for one not given). The options the click will use are checked now.
pub(super) fn click_targets(options: &JsValue) -> Result<Array, JsValue> {
    // `undefined` too: the reference reads `options.id` unguarded.
    if !value::is_object(options) {
        return Err(to_js(&Failure::type_error("The addClickHandler options must be an object")));
    }
    let given = ClickProperties::read(options)?;
    let targets = ClickTargets::from_raw(&value::value(&given.id), &value::value(&given.selector)).map_err(|e| to_js(&e))?;
    let (raw, _) = read::auth_url_options(options)?;
    AuthUrlOptions::from_raw(&raw).map_err(|e| to_js(&e))?;
    window_options(options)?;
    let text = |t: &Option<String>| t.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str);
    let not_found = to_js(&Failure::owned(Class::Error, click_handler_not_found(targets.name())));
    Ok(Array::of3(&text(&targets.id), &text(&targets.selector), &not_found))
}

/// The options' `windowOptions`, through the rules.
fn window_options(options: &JsValue) -> Result<WindowOptions, JsValue> {
    read::window_options(options)?.checked().map_err(|e| to_js(&e))
}

/// The page's screen and window, from one call.
fn screen() -> (Screen, AppWindow) {
    let n = geometry_numbers();
    let at = |i: usize| n.get(i).copied().filter(|v| v.is_finite()).unwrap_or(0.0);
    let screen = Screen { width: at(0), height: at(1), avail_left: at(2), avail_top: at(3), avail_width: at(4), avail_height: at(5) };
    (screen, AppWindow { screen_x: at(6), screen_y: at(7), outer_width: at(8), outer_height: at(9) })
}
