//! The redirect flow's decisions, for the face, which carries them out with `sessionStorage`,
//! `location` and `history`. The rules are `crate::redirect_flow`'s, and where a result of no
//! flow of this tab goes is `smartcar_protocol::delivery`'s, shared with the redirect page.

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use super::browser::{bare_origin, page_origin, random};
use super::class::{check_options, Core};
use super::complete;
use super::errors::to_js;
use super::popup::{connect_url, Built};
use super::read::{self, Face, MessageData};
use super::receiving::decode_state;
use crate::error::{Class, Failure};
use crate::options::Settings;
use crate::redirect_flow::{self, Lookup};
use smartcar_protocol::delivery::{self, AllowList, AppOrigin, Delivery};
pub(super) use smartcar_protocol::js::QueryParams;
use smartcar_protocol::js::message_to_js;
use smartcar_protocol::message::{APP_ORIGIN_QUERY_KEY, HOSTED_ORIGIN};
use smartcar_protocol::Field;


#[wasm_bindgen(module = "/js/state.js")]
extern "C" {
    /// `JSON.stringify(value)`: `None` for a value without JSON.
    #[wasm_bindgen(catch, js_name = toJson)]
    fn to_json(value: &JsValue) -> Result<JsValue, JsValue>;
    /// `JSON.parse(text)` of a record the SDK wrote itself.
    #[wasm_bindgen(catch, js_name = fromJson)]
    fn from_json(text: &str) -> Result<JsValue, JsValue>;
}

/// Whether `settings`' redirect URI can take a redirect flow (`redirect_flow::check_redirect_uri`):
/// for `redirectToConnect`, and for `connect({ fallback: 'redirect' })` when it is called.
///
/// # Errors
/// Why it cannot.
pub(super) fn check_redirect_uri(settings: &Settings) -> Result<(), JsValue> {
    let redirect_origin = settings.redirect_uri.map(|_| settings.expected_origin.as_str());
    redirect_flow::check_redirect_uri(redirect_origin, &page_origin()).map_err(|e| to_js(&e))
}

/// `redirectToConnect` at `now`: `[the Connect URL, the flow record's key, the record, the
/// records' key prefix, the key below which records have expired]`. The state names a new
/// flow. The face removes the expired records, records the flow, then leaves for Connect.
///
/// # Errors
/// The options' errors, and one for a redirect URI that is not on the page's origin.
pub(super) fn start(core: &Core, face: &Face, options: &JsValue, now: f64) -> Result<Array, JsValue> {
    check_options(options, "The redirectToConnect options must be an object")?;
    let (fields, _) = read::fields(face)?;
    let settings = core.settings(&fields)?;
    check_redirect_uri(&settings)?;
    let id = redirect_flow::flow_id(now, &random());
    let Built { url, original, .. } = connect_url(&settings, options, &JsValue::from_str(&id))?;
    let original = if original.is_undefined() { None } else { to_json(&original)?.as_string() };
    let record = redirect_flow::pending(original.as_deref());
    let plan: [JsValue; 5] = [url.into(), redirect_flow::key(&id).into(), record.into(), redirect_flow::KEY_PREFIX.into(), redirect_flow::expired_before(now).into()];
    Ok(plan.iter().collect())
}

// What `outcome` answers besides the deliveries of `smartcar_protocol::delivery` (js/smartcar.js
// keeps the same number).
const DELIVER: u32 = 3;

/// `handleRedirect` for the URL's query `params` at `now`, reading its flow's record with
/// `read_record(key)`: `null` when the query holds no Connect result; else `[what, the message
/// a redirect page would post for it, a, b, Connect's parameter names (each followed by a
/// space), the record's key]`, where `what` is
/// - `DELIVER`: deliver it here: `a` is onComplete's arguments, `b` the record's new value;
/// - `REFUSED`: refuse it: `b` is the error;
/// - for a result of no flow of this tab, hand it on as the redirect page does (this page is
///   a popup flow's redirect URI): `POST` it to the opener at origin `a`, or `BROADCAST` it on
///   channel `a` (`b` is then the error to reject with); js/hand-on.js does, and closes the
///   popup.
///
/// # Errors
/// What `read_record` or a getter of the app's state throws.
pub(super) fn outcome(params: &QueryParams, read_record: &Function, now: f64, has_opener: bool) -> Result<JsValue, JsValue> {
    let state = params.get(Field::State.query_key()).map_or(JsValue::UNDEFINED, JsValue::from);
    let decoded = decode_state(&state);
    if !redirect_flow::holds_result(|name| params.get(name).is_some(), decoded.is_some()) {
        return Ok(JsValue::NULL);
    }
    let message = message_to_js(page_origin() == HOSTED_ORIGIN, |field| params.get(field.query_key())).into();
    let id = decoded.and_then(|decoded| decoded.get(0).as_string()).unwrap_or_default();
    let key = redirect_flow::key(&id);
    let record = read_record.call1(&JsValue::NULL, &JsValue::from_str(&key))?.as_string();
    let (what, a, b) = match record {
        None => hand_on(params, has_opener, state.as_string()),
        Some(record) => match redirect_flow::lookup(&id, Some(&record), now) {
            Lookup::Refuse(failure) => (delivery::REFUSED, JsValue::UNDEFINED, to_js(&failure)),
            Lookup::Deliver { original_state } => {
                let original = original_state.map_or(Ok(JsValue::UNDEFINED), |json| from_json(&json))?;
                let arguments = complete::arguments(&MessageData::read(&message)?, &original)?;
                (DELIVER, arguments.into(), redirect_flow::USED.into())
            }
        },
    };
    Ok([what.into(), message, a, b, Field::QUERY_KEYS.into(), key.into()].iter().collect::<Array>().into())
}

/// Where a result of no flow of this tab goes.
fn hand_on(params: &QueryParams, has_opener: bool, state: Option<String>) -> (u32, JsValue, JsValue) {
    let app_origin = match params.get(APP_ORIGIN_QUERY_KEY) {
        None => AppOrigin::Absent,
        Some(text) => bare_origin(&text).map_or(AppOrigin::NotBare, AppOrigin::Bare),
    };
    // Only to a page of this app: the SDK never sends an `app_origin` with a redirect URI, so
    // one in this page's URL is a link's, and the code must not follow it to another origin.
    // (So a repeated one, which the redirect page refuses, can send it nowhere else either.)
    let page_origin = page_origin();
    let allowed = AllowList::Origins(vec![page_origin.clone()]);
    let decided = delivery::delivery(app_origin, &allowed, &page_origin, has_opener, state.as_deref());
    // Posted to the opener, the result is the opener's business; otherwise this page's
    // handleRedirect rejects, since it delivered nothing here.
    let error = match decided {
        Delivery::PostToOpener { .. } => JsValue::NULL,
        _ => to_js(&Failure::new(Class::InvalidState, redirect_flow::UNKNOWN_FLOW)),
    };
    let (kind, target) = decided.into_kind();
    (kind, target.into(), error)
}
