//! What an incoming `message` event means for one SDK instance: the security rules.
//!
//! A message completes this instance's Connect flow only when
//! 1. it comes from exactly the expected origin (string equality; the reference's
//!    `redirectUri.startsWith(event.origin)` lets `https://app.example.co` pose as
//!    `https://app.example.com`, and accepts anything when there is no redirect URI),
//! 2. its `state` decodes and names this instance, and
//! 3. its authorization code has not completed a flow already (a replayed message is ignored).
//!
//! The result is turned into [`Completion`], the arguments of the app's `onComplete`, with
//! Connect's error mapped like the reference's `generateError`.

use smartcar_protocol::state::{self, OriginalState, State};
use smartcar_protocol::{AuthMessage, Field};

/// Details of an incompatible vehicle, when the owner agreed to share them.
#[derive(Clone, Debug, PartialEq)]
pub struct VehicleInfo<'a> {
    /// The VIN (always non-empty).
    pub vin: &'a str,
    /// The make, `None` for the reference's `null`.
    pub make: Option<&'a str>,
    /// The year as Connect sent it (`None` for `null`); `vehicleInfo.year` is JS
    /// `Number(year)` of it, 0 for a missing year and NaN for text that is not a number.
    /// text that is not a number.
    pub year: Option<&'a str>,
    /// The model, only when present and non-empty (the key is absent otherwise).
    pub model: Option<&'a str>,
}

/// The error `onComplete` receives, as the reference's `generateError` builds it.
#[derive(Clone, Debug, PartialEq)]
pub enum ConnectError<'a> {
    /// `access_denied`: a `Smartcar.AccessDenied` with the description as message.
    AccessDenied {
        /// Connect's `error_description` (`None` for `null`).
        description: Option<&'a str>,
    },
    /// `invalid_subscription`: a `Smartcar.InvalidSubscription`.
    InvalidSubscription {
        /// Connect's `error_description` (`None` for `null`).
        description: Option<&'a str>,
    },
    /// `vehicle_incompatible`: a `Smartcar.VehicleIncompatible`.
    VehicleIncompatible {
        /// Connect's `error_description` (`None` for `null`).
        description: Option<&'a str>,
        /// The vehicle, when a non-empty VIN came back; `None` gives `vehicleInfo: null`.
        vehicle: Option<VehicleInfo<'a>>,
    },
    /// Any other error code: a plain `Error`.
    Unexpected {
        /// `Unexpected error: <error> - <description>`, a missing description written `null`.
        message: String,
    },
}

impl<'a> ConnectError<'a> {
    /// The error for the message's `error` and `errorDescription`; `None` when `error` is
    /// absent or empty (the reference's `if (!error)`).
    pub fn from_message(message: &'a AuthMessage) -> Option<ConnectError<'a>> {
        let error = message.get(Field::Error).filter(|e| !e.is_empty())?;
        let description = message.get(Field::ErrorDescription);
        Some(match error {
            "access_denied" => ConnectError::AccessDenied { description },
            "invalid_subscription" => ConnectError::InvalidSubscription { description },
            "vehicle_incompatible" => ConnectError::VehicleIncompatible {
                description,
                vehicle: vehicle_info(message),
            },
            other => {
                let description = description.unwrap_or("null");
                let mut text = String::with_capacity(20 + other.len() + description.len());
                text.push_str("Unexpected error: ");
                text.push_str(other);
                text.push_str(" - ");
                text.push_str(description);
                ConnectError::Unexpected { message: text }
            }
        })
    }
}

/// The vehicle details of a `vehicle_incompatible` message: present only with a non-empty
/// VIN, as in the reference.
fn vehicle_info(message: &AuthMessage) -> Option<VehicleInfo<'_>> {
    let vin = message.get(Field::Vin).filter(|v| !v.is_empty())?;
    Some(VehicleInfo {
        vin,
        make: message.get(Field::Make),
        year: message.get(Field::Year),
        model: message.get(Field::Model).filter(|m| !m.is_empty()),
    })
}

/// What `onComplete` is called with: `(error, code, state, virtualKeyUrl, userId, externalId)`,
/// borrowing the message's text.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion<'a> {
    /// The error, `None` for `null`.
    pub error: Option<ConnectError<'a>>,
    /// The authorization code (`None` for `null`, as in `response_type=none` flows).
    pub code: Option<&'a str>,
    /// The app's own state from `getAuthUrl`, `None` for `undefined`.
    pub state: Option<OriginalState>,
    /// The Tesla virtual key registration URL.
    pub virtual_key_url: Option<&'a str>,
    /// The vehicle owner's id.
    pub user_id: Option<&'a str>,
    /// The `external_id` Connect echoed.
    pub external_id: Option<&'a str>,
}

/// The completion for `message`, or `None` when it is not for this instance: `event_origin`
/// must equal `expected_origin` exactly (the redirect URI's origin, or Connect's origin
/// without a redirect URI), and the `state` must decode and carry `instance_id`.
///
/// The caller has already checked `message.name === 'SmartcarAuthMessage'`. Replays are not
/// caught here; [`Receiver`] does that.
pub fn accept<'a>(
    event_origin: &str,
    message: &'a AuthMessage,
    expected_origin: &str,
    instance_id: &str,
) -> Option<Completion<'a>> {
    accept_with(event_origin, message, expected_origin, instance_id, |text| state::decode(text).ok())
}

/// [`accept`] with another reader of the `state` value: the SDK in the browser decodes it with
/// the browser's own `atob` and `JSON.parse` (see `js/state.js`), which reads it as
/// [`state::decode`] does and spares the module a JSON parser.
pub fn accept_with<'a>(
    event_origin: &str,
    message: &'a AuthMessage,
    expected_origin: &str,
    instance_id: &str,
    decode: impl FnOnce(&str) -> Option<State>,
) -> Option<Completion<'a>> {
    if event_origin != expected_origin {
        return None;
    }
    let decoded = decode(message.get(Field::State)?)?;
    if decoded.instance_id != instance_id {
        return None;
    }
    Some(Completion {
        error: ConnectError::from_message(message),
        code: message.get(Field::Code),
        state: decoded.original_state,
        virtual_key_url: message.get(Field::VirtualKeyUrl),
        user_id: message.get(Field::UserId),
        external_id: message.get(Field::ExternalId),
    })
}

/// The authorization codes that already completed a flow, so a replayed message (the same
/// code posted again, by a stale tab or an attacker holding a copy) completes nothing.
///
/// Only the last [`SeenCodes::CAPACITY`] codes are kept: memory stays bounded however many
/// flows a long-lived page runs, and a code older than that has long expired at Connect
/// (codes live minutes and are single-use there too).
#[derive(Clone, Debug, Default)]
pub struct SeenCodes {
    codes: Vec<String>,
    next: usize,
}

impl SeenCodes {
    /// How many of the most recent codes are remembered.
    pub const CAPACITY: usize = 64;

    /// An empty set.
    pub const fn new() -> SeenCodes {
        SeenCodes {
            codes: Vec::new(),
            next: 0,
        }
    }

    /// Records `code`, returning whether this is the first time it was seen.
    pub fn first_time(&mut self, code: &str) -> bool {
        if self.codes.iter().any(|c| c == code) {
            return false;
        }
        if self.codes.len() < Self::CAPACITY {
            self.codes.push(String::from(code));
        } else if let Some(oldest) = self.codes.get_mut(self.next) {
            // Full: overwrite the oldest entry, ring-buffer style.
            *oldest = String::from(code);
            self.next = (self.next + 1) % Self::CAPACITY;
        }
        true
    }
}

/// One SDK instance's receiving side: [`accept`] plus replay protection.
#[derive(Clone, Debug)]
pub struct Receiver {
    expected_origin: String,
    instance_id: String,
    seen: SeenCodes,
}

impl Receiver {
    /// A receiver for the instance `instance_id` that listens to `expected_origin`.
    pub fn new(expected_origin: String, instance_id: String) -> Receiver {
        Receiver {
            expected_origin,
            instance_id,
            seen: SeenCodes::new(),
        }
    }

    /// The origin this receiver accepts messages from.
    pub fn expected_origin(&self) -> &str {
        &self.expected_origin
    }

    /// The completion for a `message` event, or `None` when the message is not for this
    /// instance (see [`accept`]) or repeats a code that already completed a flow. Messages
    /// without a (non-empty) code, such as errors, are not deduplicated.
    pub fn receive<'a>(&mut self, event_origin: &str, message: &'a AuthMessage) -> Option<Completion<'a>> {
        self.receive_with(event_origin, message, |text| state::decode(text).ok())
    }

    /// [`receive`](Self::receive) with another reader of the `state` value (see
    /// [`accept_with`]).
    pub fn receive_with<'a>(
        &mut self,
        event_origin: &str,
        message: &'a AuthMessage,
        decode: impl FnOnce(&str) -> Option<State>,
    ) -> Option<Completion<'a>> {
        let completion = accept_with(event_origin, message, &self.expected_origin, &self.instance_id, decode)?;
        if let Some(code) = completion.code.filter(|c| !c.is_empty()) {
            if !self.seen.first_time(code) {
                return None;
            }
        }
        Some(completion)
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::float_cmp
)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://app.example.com";
    const ID: &str = "0123456789abcdef0123456789abcdef";

    fn message(pairs: &[(Field, &str)]) -> AuthMessage {
        let mut m = AuthMessage::default();
        for &(field, value) in pairs {
            m.set(field, Some(value.to_string()));
        }
        m
    }

    fn state_for(id: &str, original: Option<&str>) -> String {
        let original = original.map(|s| OriginalState::Text(s.to_string()));
        state::encode(id, original.as_ref())
    }

    fn genuine() -> AuthMessage {
        let s = state_for(ID, Some("app state"));
        message(&[
            (Field::Code, "the-code"),
            (Field::State, &s),
            (
                Field::VirtualKeyUrl,
                "https://www.tesla.com/_ak/smartcar.com",
            ),
            (Field::UserId, "user-1"),
            (Field::ExternalId, "ext-1"),
        ])
    }

    #[test]
    fn genuine_message_is_accepted() {
        let m = genuine();
        let c = accept(ORIGIN, &m, ORIGIN, ID).expect("accepted");
        assert_eq!(
            c,
            Completion {
                error: None,
                code: Some("the-code"),
                state: Some(OriginalState::Text("app state".to_string())),
                virtual_key_url: Some("https://www.tesla.com/_ak/smartcar.com"),
                user_id: Some("user-1"),
                external_id: Some("ext-1"),
            }
        );
    }

    #[test]
    fn state_without_original_state() {
        let s = state_for(ID, None);
        let m = message(&[(Field::State, &s)]);
        let c = accept(ORIGIN, &m, ORIGIN, ID).expect("accepted");
        assert_eq!(c.state, None);
        assert_eq!(c.code, None);
        assert_eq!(c.error, None);
        assert_eq!(c.external_id, None);
    }

    #[test]
    fn reference_written_state_is_accepted() {
        // btoa(JSON.stringify({instanceId: ID, originalState: 'xyz'})), as the reference
        // SDK (or an app building its own URL) writes it.
        let s = "eyJpbnN0YW5jZUlkIjoiMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYiLCJvcmlnaW5hbFN0YXRlIjoieHl6In0=";
        let m = message(&[(Field::State, s), (Field::Code, "c")]);
        let c = accept(ORIGIN, &m, ORIGIN, ID).expect("accepted");
        assert_eq!(c.state, Some(OriginalState::Text("xyz".to_string())));
    }

    #[test]
    fn wrong_origin_is_ignored() {
        let m = genuine();
        for origin in [
            "https://app.example.co",
            "https://app.example",
            "https://app.example.com.evil.com",
            "http://app.example.com",
            "https://APP.example.com",
            "https://app.example.com/",
            "https://app.example.com:443",
            "null",
            "",
        ] {
            assert_eq!(accept(origin, &m, ORIGIN, ID), None, "{origin}");
        }
    }

    #[test]
    fn another_instance_is_ignored() {
        let s = state_for("ffffffffffffffffffffffffffffffff", Some("x"));
        let m = message(&[(Field::Code, "c"), (Field::State, &s)]);
        assert_eq!(accept(ORIGIN, &m, ORIGIN, ID), None);
        // An id that merely starts like ours.
        let s = state_for(&ID[..8], None);
        let m = message(&[(Field::Code, "c"), (Field::State, &s)]);
        assert_eq!(accept(ORIGIN, &m, ORIGIN, ID), None);
    }

    #[test]
    fn bad_states_are_ignored() {
        // Missing, not base64, base64 of non-JSON, of a JSON non-object, of an object
        // without a string instanceId.
        let no_state = message(&[(Field::Code, "c")]);
        assert_eq!(accept(ORIGIN, &no_state, ORIGIN, ID), None);
        for s in [
            "",
            "undefined",
            "!!!notbase64!!!",
            "aGVsbG8gd29ybGQ=",             // "hello world"
            "WzEsMiwzXQ==",                 // "[1,2,3]"
            "IjAxMjM0NTY3ODlhYmNkZWYi",     // "\"0123456789abcdef\""
            "bnVsbA==",                     // "null"
            "eyJpbnN0YW5jZUlkIjoxMjN9",     // {"instanceId":123}
            "eyJvcmlnaW5hbFN0YXRlIjoieCJ9", // {"originalState":"x"}
        ] {
            let m = message(&[(Field::Code, "c"), (Field::State, s)]);
            assert_eq!(accept(ORIGIN, &m, ORIGIN, ID), None, "{s}");
        }
    }

    #[test]
    fn replayed_code_completes_once() {
        let mut r = Receiver::new(ORIGIN.to_string(), ID.to_string());
        assert_eq!(r.expected_origin(), ORIGIN);
        let m = genuine();
        assert!(r.receive("https://evil.example", &m).is_none());
        assert!(r.receive(ORIGIN, &m).is_some());
        assert!(r.receive(ORIGIN, &m).is_none());
        // Errors without a code may repeat.
        let s = state_for(ID, None);
        let e = message(&[(Field::State, &s), (Field::Error, "access_denied")]);
        assert!(r.receive(ORIGIN, &e).is_some());
        assert!(r.receive(ORIGIN, &e).is_some());
        // A rejected message does not burn its code.
        let mut other = Receiver::new(ORIGIN.to_string(), ID.to_string());
        assert!(other.receive("https://evil.example", &m).is_none());
        assert!(other.receive(ORIGIN, &m).is_some());
    }

    #[test]
    fn seen_codes_are_bounded() {
        let mut seen = SeenCodes::new();
        assert!(seen.first_time("c0"));
        assert!(!seen.first_time("c0"));
        for i in 1..SeenCodes::CAPACITY {
            assert!(seen.first_time(&format!("c{i}")));
        }
        assert_eq!(seen.codes.len(), SeenCodes::CAPACITY);
        // The set is full: the next code evicts the oldest ("c0").
        assert!(seen.first_time("new"));
        assert_eq!(seen.codes.len(), SeenCodes::CAPACITY);
        assert!(!seen.first_time("new"));
        assert!(!seen.first_time("c1"));
        assert!(seen.first_time("c0"));
        // ...which evicted "c1".
        assert!(seen.first_time("c1"));
        for _ in 0..1000 {
            seen.first_time("x");
            seen.first_time("y");
        }
        assert_eq!(seen.codes.len(), SeenCodes::CAPACITY);
    }

    fn error_of(pairs: &[(Field, &str)]) -> Option<ConnectError<'static>> {
        let s = state_for(ID, None);
        let mut m = message(pairs);
        m.set(Field::State, Some(s));
        // Leaked so that the error may borrow it: a test's few bytes.
        let m: &'static AuthMessage = Box::leak(Box::new(m));
        accept(ORIGIN, m, ORIGIN, ID).expect("accepted").error
    }

    #[test]
    fn error_kinds() {
        assert_eq!(error_of(&[(Field::Error, "")]), None);
        assert_eq!(error_of(&[(Field::ErrorDescription, "ignored")]), None);
        assert_eq!(
            error_of(&[
                (Field::Error, "access_denied"),
                (Field::ErrorDescription, "User denied access")
            ]),
            Some(ConnectError::AccessDenied {
                description: Some("User denied access")
            })
        );
        assert_eq!(
            error_of(&[(Field::Error, "invalid_subscription")]),
            Some(ConnectError::InvalidSubscription { description: None })
        );
        assert_eq!(
            error_of(&[(Field::Error, "vehicle_incompatible"), (Field::Vin, "")]),
            Some(ConnectError::VehicleIncompatible {
                description: None,
                vehicle: None
            })
        );
        assert_eq!(
            error_of(&[
                (Field::Error, "vehicle_incompatible"),
                (Field::ErrorDescription, "Not compatible"),
                (Field::Vin, "5YJSA1E14FF101307"),
                (Field::Make, "TESLA"),
                (Field::Year, "2014"),
                (Field::Model, "Model S"),
            ]),
            Some(ConnectError::VehicleIncompatible {
                description: Some("Not compatible"),
                vehicle: Some(VehicleInfo {
                    vin: "5YJSA1E14FF101307",
                    make: Some("TESLA"),
                    year: Some("2014"),
                    model: Some("Model S"),
                }),
            })
        );
        // Model empty: left out; make and year missing: null and Number(null) = 0.
        assert_eq!(
            error_of(&[
                (Field::Error, "vehicle_incompatible"),
                (Field::Vin, "V"),
                (Field::Model, ""),
            ]),
            Some(ConnectError::VehicleIncompatible {
                description: None,
                vehicle: Some(VehicleInfo {
                    vin: "V",
                    make: None,
                    year: None,
                    model: None,
                }),
            })
        );
    }

    #[test]
    fn unexpected_error_text() {
        assert_eq!(
            error_of(&[
                (Field::Error, "server_error"),
                (Field::ErrorDescription, "Boom")
            ]),
            Some(ConnectError::Unexpected {
                message: "Unexpected error: server_error - Boom".to_string()
            })
        );
        assert_eq!(
            error_of(&[(Field::Error, "weird")]),
            Some(ConnectError::Unexpected {
                message: "Unexpected error: weird - null".to_string()
            })
        );
        assert_eq!(
            error_of(&[(Field::Error, "x"), (Field::ErrorDescription, "")]),
            Some(ConnectError::Unexpected {
                message: "Unexpected error: x - ".to_string()
            })
        );
    }
}
