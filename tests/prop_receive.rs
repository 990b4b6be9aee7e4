//! Property tests of the message validator (`receive::accept` and `receive::Receiver`): it
//! never accepts a message from another origin or for another instance, never accepts the same
//! code twice, never panics on arbitrary input, and does accept the genuine message (so the
//! safety properties are not vacuous).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use smartcar_auth::protocol::state::{self, OriginalState};
use smartcar_auth::protocol::{AuthMessage, Field};
use smartcar_auth::receive::{accept, Receiver};

/// `n` cases, or `PROPTEST_CASES` when set (for the longer runs in SECURITY.md).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n))
}

const ORIGIN: &str = "https://app.example.com";
const ID: &str = "0123456789abcdef0123456789abcdef";

/// Origins that are not [`ORIGIN`] but look like it, plus anything.
fn other_origin() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "https://app.example.co", "https://app.example.com.", "https://app.example.com/",
            "https://app.example.com:443", "https://APP.example.com", "http://app.example.com",
            "https://app.example.com.evil.com", "https://evil.com", "null", "", " https://app.example.com",
            "https://app.example.com\u{0}", "https://javascript-sdk.smartcar.com", "*",
        ])
        .prop_map(String::from),
        any::<String>(),
    ]
    .prop_filter("another origin", |o| o != ORIGIN)
}

/// Instance ids that are not [`ID`] but look like it, plus anything.
fn other_id() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "0123456789ABCDEF0123456789ABCDEF".to_owned(),
            format!("{ID} "),
            format!(" {ID}"),
            format!("{ID}0"),
            ID[1..].to_owned(),
            String::new(),
            format!("{ID}\u{0}"),
        ]),
        "[0-9a-f]{32}",
        any::<String>(),
    ]
    .prop_filter("another instance", |id| id != ID)
}

fn original() -> impl Strategy<Value = Option<OriginalState>> {
    prop_oneof![
        Just(None),
        any::<String>().prop_map(|s| Some(OriginalState::Text(s))),
        prop::sample::select(vec!["null", "1", "[1,{\"a\":\"\\u00e9\"}]", "{\"__proto__\":{\"instanceId\":\"x\"}}"])
            .prop_map(|s| Some(OriginalState::Json(s.to_owned()))),
    ]
}

/// A `state` that is anything but a state naming [`ID`].
fn forged_state() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        any::<String>().prop_map(Some),
        "[A-Za-z0-9+/= ]{0,80}".prop_map(Some),
        (other_id(), original()).prop_map(|(id, o)| Some(state::encode(&id, o.as_ref()))),
        // JSON the reference would read differently, or not at all.
        prop::sample::select(vec![
            format!("{{\"__proto__\":{{\"instanceId\":\"{ID}\"}}}}"),
            format!("{{\"instanceid\":\"{ID}\"}}"),
            format!("{{\"instanceId\":[\"{ID}\"]}}"),
            format!("{{\"instanceId\":{{\"toString\":\"{ID}\"}}}}"),
            format!("{{\"instanceId\":\"{ID}\",\"instanceId\":\"x\"}}"),
            format!("[{{\"instanceId\":\"{ID}\"}}]"),
            format!("\"{{\\\"instanceId\\\":\\\"{ID}\\\"}}\""),
            format!("{{\"instanceId\":\"{ID}\""),
        ])
        .prop_map(|json| Some(b64(json.as_bytes()))),
    ]
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= chunk.len() { char::from(A[((n >> (18 - 6 * i)) & 63) as usize]) } else { '=' });
        }
    }
    out
}

/// Every text field but `state`, each absent or any text.
fn other_fields() -> impl Strategy<Value = Vec<Option<String>>> {
    prop::collection::vec(prop::option::of(any::<String>()), Field::ALL.len())
}

fn message(fields: &[Option<String>], state: Option<String>, hosted: bool) -> AuthMessage {
    let mut m = AuthMessage::default();
    m.is_smartcar_hosted = hosted;
    for (field, value) in Field::ALL.iter().zip(fields) {
        m.set(*field, value.clone());
    }
    m.set(Field::State, state);
    m
}

fn genuine_state() -> impl Strategy<Value = (String, Option<OriginalState>)> {
    original().prop_map(|o| (state::encode(ID, o.as_ref()), o))
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn another_origin_is_never_accepted(
        origin in other_origin(),
        fields in other_fields(),
        (state, _) in genuine_state(),
        hosted in any::<bool>(),
    ) {
        let m = message(&fields, Some(state), hosted);
        prop_assert_eq!(accept(&origin, &m, ORIGIN, ID), None);
        prop_assert_eq!(Receiver::new(ORIGIN.into(), ID.into()).receive(&origin, &m), None);
    }

    #[test]
    fn another_instance_is_never_accepted(
        fields in other_fields(),
        state in forged_state(),
        hosted in any::<bool>(),
    ) {
        let m = message(&fields, state, hosted);
        prop_assert_eq!(accept(ORIGIN, &m, ORIGIN, ID), None);
        prop_assert_eq!(Receiver::new(ORIGIN.into(), ID.into()).receive(ORIGIN, &m), None);
    }

    #[test]
    fn the_genuine_message_is_accepted_once(
        fields in other_fields(),
        (state, original) in genuine_state(),
        code in "[A-Za-z0-9-]{1,40}",
    ) {
        let mut m = message(&fields, Some(state), false);
        m.set(Field::Code, Some(code.clone()));
        let mut receiver = Receiver::new(ORIGIN.into(), ID.into());
        let completion = receiver.receive(ORIGIN, &m).expect("the genuine message is accepted");
        prop_assert_eq!(completion.code, Some(code.as_str()));
        prop_assert_eq!(completion.state, original);
        prop_assert_eq!(completion.user_id, m.get(Field::UserId));
        prop_assert_eq!(completion.external_id, m.get(Field::ExternalId));
        prop_assert_eq!(completion.virtual_key_url, m.get(Field::VirtualKeyUrl));
        // A replay of the same code completes nothing, whatever else changed.
        let mut replay = m.clone();
        replay.set(Field::UserId, Some("someone else".into()));
        prop_assert_eq!(receiver.receive(ORIGIN, &replay), None);
    }

    #[test]
    fn anything_at_all_is_refused_or_accepted_only_for_us(
        origin in prop_oneof![Just(ORIGIN.to_owned()), other_origin()],
        fields in other_fields(),
        state in prop_oneof![forged_state(), genuine_state().prop_map(|(s, _)| Some(s))],
        expected_origin in prop_oneof![Just(ORIGIN.to_owned()), any::<String>()],
        instance in prop_oneof![Just(ID.to_owned()), any::<String>()],
    ) {
        // Never panics, and whatever it accepts came from the expected origin and names the
        // receiving instance in its state.
        let m = message(&fields, state, false);
        let mut receiver = Receiver::new(expected_origin.clone(), instance.clone());
        if let Some(c) = receiver.receive(&origin, &m) {
            prop_assert_eq!(&origin, &expected_origin);
            let decoded = state::decode(m.get(Field::State).unwrap()).unwrap();
            prop_assert_eq!(decoded.instance_id, instance);
            prop_assert_eq!(c.code, m.get(Field::Code));
        }
    }

    #[test]
    fn a_stream_of_messages_never_completes_a_code_twice(
        codes in prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "", "A"]), 1..80),
        other in prop::collection::vec(any::<bool>(), 1..80),
    ) {
        let mut receiver = Receiver::new(ORIGIN.into(), ID.into());
        let genuine = state::encode(ID, None);
        let mut completed = Vec::new();
        for (code, other) in codes.iter().zip(other.iter().cycle()) {
            let state = if *other { state::encode("not-us", None) } else { genuine.clone() };
            let mut m = message(&[], Some(state), false);
            m.set(Field::Code, Some((*code).to_owned()));
            if let Some(c) = receiver.receive(ORIGIN, &m) {
                prop_assert!(!*other);
                completed.push(c.code.unwrap().to_owned());
            }
        }
        // Empty codes are not deduplicated (error messages carry none); every other code once.
        let mut non_empty: Vec<&String> = completed.iter().filter(|c| !c.is_empty()).collect();
        let before = non_empty.len();
        non_empty.sort();
        non_empty.dedup();
        prop_assert_eq!(before, non_empty.len());
    }
}

#[test]
fn more_codes_than_the_memory_holds() {
    // Past SeenCodes::CAPACITY distinct codes, the oldest may be forgotten; the newest never are.
    let mut receiver = Receiver::new(ORIGIN.into(), ID.into());
    let state = state::encode(ID, None);
    for i in 0..1000 {
        let mut m = message(&[], Some(state.clone()), false);
        m.set(Field::Code, Some(format!("code-{i}")));
        assert!(receiver.receive(ORIGIN, &m).is_some(), "{i}");
        assert!(receiver.receive(ORIGIN, &m).is_none(), "{i} replayed");
    }
}
