//! Connect without a popup: `redirectToConnect` sends the page itself to Connect, and
//! `handleRedirect` on the redirect URI's page takes the result back from the address bar.
//!
//! One transaction, stored, used once: before leaving, the page records the flow in
//! `sessionStorage` (per tab, per origin) under an unguessable id that travels as the state's
//! `instanceId`. On the way back the record is looked up and marked used; a result whose flow
//! is unknown (another tab's, a forged link), expired, or already handled delivers nothing.
//!
//! The id starts with the time the flow started (13 decimal digits of ms), then 128 random
//! bits: a record's age is read from its key, so expired records are found by comparing keys
//! (see [`expired_before`]). A record's value is `pending <JSON of the app's state, or
//! nothing>`, and `used` once handled (kept until it expires, so that a replay is told apart
//! from an unknown flow).

use crate::error::{Class, Failure};
use crate::geometry::push_decimal;
use crate::state::{id_from_bytes, ID_BYTES};
use smartcar_protocol::Field;

/// The `sessionStorage` key prefix of flow records.
pub const KEY_PREFIX: &str = "smartcar-connect-flow:";

/// How long a flow may take, from leaving for Connect to handling its result.
pub const TTL_MS: f64 = 60.0 * 60.0 * 1000.0;

/// How many digits of the start time a flow id begins with (ms since 1970 until the year 2286).
const TIME_DIGITS: usize = 13;

/// Thrown by `redirectToConnect` without a redirect URI.
pub const NO_REDIRECT_URI: &str = "A redirect flow (redirectToConnect(), connect() with fallback: 'redirect') needs a redirectUri: the page Connect returns to, which calls handleRedirect().";

/// Thrown by `redirectToConnect` when the redirect URI is on another origin.
pub const OTHER_ORIGIN: &str = "A redirect flow (redirectToConnect(), connect() with fallback: 'redirect') needs a redirectUri on this page's origin: the flow is recorded in this tab's sessionStorage, which only this origin can read.";

/// Rejected by `handleRedirect` for a result of no flow this tab started.
pub const UNKNOWN_FLOW: &str = "This Connect result belongs to no flow started in this tab (another tab's, or a forged link): nothing was delivered.";

/// Rejected by `handleRedirect` for a result that came back too late.
pub const EXPIRED_FLOW: &str = "This Connect result came back more than an hour after its flow started: nothing was delivered. Please connect again.";

/// Rejected by `handleRedirect` for a result it already handled.
pub const REUSED_FLOW: &str = "This Connect result was already handled: nothing was delivered again.";

/// The value of a record once its result was handled.
pub const USED: &str = "used";

/// A new flow's id: its start time `now_ms`, then `random` as hex.
pub fn flow_id(now_ms: f64, random: &[u8; ID_BYTES]) -> String {
    let mut id = String::with_capacity(TIME_DIGITS + 2 * ID_BYTES);
    push_padded(&mut id, now_ms);
    id.push_str(&id_from_bytes(random));
    id
}

/// `ms` as exactly [`TIME_DIGITS`] decimal digits (clamped into their range).
fn push_padded(out: &mut String, ms: f64) {
    let mut digits = String::new();
    push_decimal(&mut digits, ms.clamp(0.0, 9_999_999_999_999.0) as i64);
    for _ in digits.len()..TIME_DIGITS {
        out.push('0');
    }
    out.push_str(&digits);
}

/// The start time a flow id carries, `None` when it is not a flow id.
fn started_ms(id: &str) -> Option<f64> {
    let digits = id.as_bytes().get(..TIME_DIGITS)?;
    digits.iter().try_fold(0.0, |n, &b| b.is_ascii_digit().then(|| n * 10.0 + f64::from(b - b'0')))
}

/// The `sessionStorage` key of flow `id`.
pub fn key(id: &str) -> String {
    let mut key = String::from(KEY_PREFIX);
    key.push_str(id);
    key
}

/// The key below which every record key (of the same prefix) has expired at `now_ms`: keys
/// compare as their start times do, since those are fixed-width digits.
pub fn expired_before(now_ms: f64) -> String {
    let mut key = String::from(KEY_PREFIX);
    push_padded(&mut key, now_ms - TTL_MS);
    key
}

/// The record of a flow that is leaving for Connect, with the app's state as JSON text
/// (`None`: no state).
pub fn pending(original_state: Option<&str>) -> String {
    let mut text = String::from("pending ");
    text.push_str(original_state.unwrap_or_default());
    text
}

/// What a result's flow record says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Deliver it: the flow is pending and young enough. The record must now become [`USED`].
    Deliver {
        /// The app's state, as the JSON text it was recorded with.
        original_state: Option<String>,
    },
    /// Refuse it, with this error (nothing is delivered).
    Refuse(Failure),
}

/// The rule for a result of flow `id`, whose record is `stored` (`None`: there is none), at
/// `now_ms`.
pub fn lookup(id: &str, stored: Option<&str>, now_ms: f64) -> Lookup {
    let refuse = |message| Lookup::Refuse(Failure::new(Class::InvalidState, message));
    let (Some(started), Some(stored)) = (started_ms(id), stored) else { return refuse(UNKNOWN_FLOW) };
    if stored == USED {
        return refuse(REUSED_FLOW);
    }
    let Some(original_state) = stored.strip_prefix("pending ") else { return refuse(UNKNOWN_FLOW) };
    // A NaN clock counts as expired. A start in the future (the clock was set back during
    // the flow) is let through: the record exists and is unguessable, and refusing it would
    // break a genuine flow.
    let age = now_ms - started;
    if age.is_nan() || age >= TTL_MS {
        return refuse(EXPIRED_FLOW);
    }
    Lookup::Deliver { original_state: Some(original_state).filter(|s| !s.is_empty()).map(str::to_owned) }
}

/// Whether a URL whose query has the parameters `has` says it has holds a Connect result at
/// all (else `handleRedirect` resolves with `null` and touches nothing): a `state` of the shape
/// the SDK sends with every flow (`sdk_state`: base64 of JSON naming an `instanceId`), which
/// Connect returns with every result, and at least one of the result's other fields (`code`,
/// `error`, `user_id`, ...). A page's own `?state=CA&make=Ford` or `?error=expired` is not one.
pub fn holds_result(has: impl Fn(&str) -> bool, sdk_state: bool) -> bool {
    sdk_state && Field::ALL.iter().any(|&field| field != Field::State && has(field.query_key()))
}

/// The rule for `redirectToConnect`'s redirect URI: there must be one, on the page's own
/// origin (`redirect_origin` is its origin, `None` without one).
///
/// # Errors
/// Why the flow cannot start.
pub fn check_redirect_uri(redirect_origin: Option<&str>, page_origin: &str) -> Result<(), Failure> {
    match redirect_origin {
        None => Err(Failure::error(NO_REDIRECT_URI)),
        Some(origin) if origin != page_origin => Err(Failure::error(OTHER_ORIGIN)),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const T0: f64 = 1_764_000_000_000.0;

    fn id_at(ms: f64) -> String {
        flow_id(ms, &[0xab; ID_BYTES])
    }

    fn refused(lookup: Lookup) -> std::borrow::Cow<'static, str> {
        match lookup {
            Lookup::Refuse(Failure { class: Class::InvalidState, message }) => message,
            other => panic!("delivered: {other:?}"),
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn ids_start_with_the_time() {
        assert_eq!(id_at(T0), format!("1764000000000{}", "ab".repeat(16)));
        assert_eq!(&id_at(42.0)[..13], "0000000000042");
        assert_eq!(started_ms(&id_at(T0)), Some(T0));
        assert_eq!(started_ms("12345"), None);
        assert_eq!(started_ms("17640000000x0abab"), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_pending_flow_delivers_its_recorded_state_once() {
        let record = pending(Some(r#"{"page":"/garage"}"#));
        assert_eq!(record, r#"pending {"page":"/garage"}"#);
        let id = id_at(T0);
        assert_eq!(lookup(&id, Some(&record), T0 + 1000.0), Lookup::Deliver { original_state: Some(r#"{"page":"/garage"}"#.into()) });
        assert_eq!(lookup(&id, Some(&pending(None)), T0), Lookup::Deliver { original_state: None });
        assert_eq!(refused(lookup(&id, Some(USED), T0 + 2000.0)), REUSED_FLOW);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn unknown_forged_and_expired_flows_deliver_nothing() {
        let id = id_at(T0);
        assert_eq!(refused(lookup(&id, None, T0)), UNKNOWN_FLOW);
        for garbage in ["", "pending", "done", "used ", "Pending {}"] {
            assert_eq!(refused(lookup(&id, Some(garbage), T0)), UNKNOWN_FLOW, "{garbage:?}");
        }
        assert_eq!(refused(lookup("not-a-flow-id", Some(&pending(None)), T0)), UNKNOWN_FLOW);
        assert_eq!(refused(lookup(&id, Some(&pending(None)), T0 + TTL_MS)), EXPIRED_FLOW);
        assert!(matches!(lookup(&id, Some(&pending(None)), T0 + TTL_MS - 1.0), Lookup::Deliver { .. }));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn expired_keys_sort_below_the_cutoff() {
        let cutoff = expired_before(T0 + TTL_MS + 1.0);
        assert!(key(&id_at(T0)) < cutoff);
        assert!(key(&id_at(T0 + 2.0)) > cutoff);
        assert!(key(&id_at(T0 + TTL_MS)) > cutoff);
        assert!(cutoff.starts_with(KEY_PREFIX));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_redirect_uri_must_be_on_the_pages_origin() {
        assert_eq!(check_redirect_uri(Some("https://app.example.com"), "https://app.example.com"), Ok(()));
        assert_eq!(check_redirect_uri(None, "https://app.example.com").unwrap_err().message, NO_REDIRECT_URI);
        assert_eq!(check_redirect_uri(Some("https://redirect.example.com"), "https://app.example.com").unwrap_err().message, OTHER_ORIGIN);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn results_are_told_by_the_sdks_state_and_another_field() {
        let has = |names: &'static [&'static str]| move |name: &str| names.contains(&name);
        assert!(holds_result(has(&["tab", "code", "state"]), true));
        assert!(holds_result(has(&["state", "error", "error_description"]), true));
        assert!(holds_result(has(&["state", "user_id"]), true));
        // The page's own parameters that share a name with one of Connect's.
        assert!(!holds_result(has(&["state", "view"]), true));
        assert!(!holds_result(has(&["state", "make", "year"]), false));
        assert!(!holds_result(has(&["error"]), false));
        assert!(!holds_result(has(&["code", "tab"]), false));
        assert!(!holds_result(has(&["tab", "user_id"]), false));
        assert_eq!(key("abc"), "smartcar-connect-flow:abc");
    }
}
