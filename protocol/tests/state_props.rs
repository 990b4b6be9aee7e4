//! Property tests of the state codec (`state::encode` / `state::decode`): every Unicode string
//! and every JSON value the SDK can hand it round-trips, the encoded state is ASCII through and
//! through (base64 of ASCII JSON, so `atob` + `JSON.parse` read it the same on any side), and
//! the decoder returns instead of panicking on anything at all.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use serde_json::Value;
use smartcar_protocol::state::{self, OriginalState, State, StateError, MAX_STATE_LEN};

/// `n` cases, or `PROPTEST_CASES` when set (for the longer runs in SECURITY.md).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `btoa` over bytes: standard alphabet, `=` padding. Independent of the crate's own codec.
fn btoa(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `atob` over a canonical (padded) base64 text.
fn atob(text: &str) -> Vec<u8> {
    assert_eq!(text.len() % 4, 0, "padded base64: {text}");
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        let mut pads = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = if c == b'=' {
                pads += 1;
                0
            } else {
                assert_eq!(pads, 0, "'=' only at the end: {text}");
                ALPHABET.iter().position(|&a| a == c).expect("base64 alphabet") as u32
            };
            n |= v << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pads]);
    }
    out
}

/// JSON values as `JSON.stringify` can produce them (finite numbers, any strings and keys),
/// nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A non-string JSON value: what the SDK passes as [`OriginalState::Json`] (a string state
/// travels as [`OriginalState::Text`]).
fn json_state() -> impl Strategy<Value = Value> {
    json_value().prop_filter("not a string", |v| !v.is_string())
}

/// Strings weighted towards what breaks codecs: quotes, backslashes, controls, surrogate-pair
/// characters, the BOM, line separators, `\u` look-alikes.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(
            prop_oneof![
                Just('"'),
                Just('\\'),
                Just('/'),
                Just('u'),
                Just('\u{0}'),
                Just('\u{1f}'),
                Just('\u{7f}'),
                Just('\u{80}'),
                Just('\u{ff}'),
                Just('\u{2028}'),
                Just('\u{feff}'),
                Just('\u{fffd}'),
                Just('\u{ffff}'),
                Just('\u{10000}'),
                Just('\u{10ffff}'),
                any::<char>(),
            ],
            0..40
        )
        .prop_map(|cs| cs.into_iter().collect()),
    ]
}

fn assert_ascii_state(encoded: &str) {
    assert!(encoded.bytes().all(|b| ALPHABET.contains(&b) || b == b'='), "{encoded}");
    let json = atob(encoded);
    assert!(json.is_ascii(), "JSON inside the state is not ASCII: {:?}", String::from_utf8_lossy(&json));
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn text_states_round_trip(id in tricky_string(), text in tricky_string()) {
        let original = OriginalState::Text(text);
        let encoded = state::encode(&id, Some(&original));
        assert_ascii_state(&encoded);
        prop_assert_eq!(
            state::decode(&encoded),
            // Longer than the decoder reads: refused unread, never truncated.
            if encoded.len() > MAX_STATE_LEN { Err(StateError::TooLong) }
            else { Ok(State { instance_id: id, original_state: Some(original) }) }
        );
    }

    #[test]
    fn absent_states_round_trip(id in tricky_string()) {
        let encoded = state::encode(&id, None);
        assert_ascii_state(&encoded);
        prop_assert_eq!(state::decode(&encoded), Ok(State { instance_id: id, original_state: None }));
    }

    #[test]
    fn the_encoded_json_is_what_json_parse_reads(id in tricky_string(), text in tricky_string()) {
        // The JSON text `atob` yields is exactly {"instanceId": id, "originalState": text} to an
        // independent JSON parser.
        let encoded = state::encode(&id, Some(&OriginalState::Text(text.clone())));
        let parsed: Value = serde_json::from_slice(&atob(&encoded)).unwrap();
        prop_assert_eq!(parsed, serde_json::json!({ "instanceId": id, "originalState": text }));
    }

    #[test]
    fn json_states_round_trip_as_the_same_value(value in json_state()) {
        let raw = serde_json::to_string(&value).unwrap();
        let encoded = state::encode("instance", Some(&OriginalState::Json(raw.clone())));
        assert_ascii_state(&encoded);
        let decoded = state::decode(&encoded);
        if encoded.len() > MAX_STATE_LEN {
            prop_assert_eq!(decoded, Err(StateError::TooLong));
            return Ok(());
        }
        let decoded = decoded.unwrap();
        prop_assert_eq!(decoded.instance_id.as_str(), "instance");
        let Some(OriginalState::Json(back)) = decoded.original_state else {
            panic!("not a JSON state: {decoded:?}");
        };
        // ASCII JSON comes back byte for byte; non-ASCII comes back \u-escaped: the same value.
        if raw.is_ascii() {
            prop_assert_eq!(&back, &raw);
        }
        prop_assert_eq!(serde_json::from_str::<Value>(&back).unwrap(), value);
    }

    #[test]
    fn decode_never_panics_on_any_text(text in any::<String>()) {
        let _ = state::decode(&text);
    }

    #[test]
    fn decode_never_panics_on_base64_of_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = state::decode(&btoa(&bytes));
        let _ = state::decode(btoa(&bytes).trim_end_matches('='));
        let _ = state::decode(&btoa(&bytes).replace('+', " "));
    }

    #[test]
    fn decode_reads_hand_built_states(id in any::<String>(), value in json_value(), extra in json_value()) {
        // {"x": extra, "instanceId": id, "originalState": value} built by another JSON writer:
        // the instance id comes back exactly, the original state as the same value.
        let mut object = serde_json::Map::new();
        object.insert("x".into(), extra);
        object.insert("instanceId".into(), Value::String(id.clone()));
        object.insert("originalState".into(), value.clone());
        let encoded = btoa(serde_json::to_string(&Value::Object(object)).unwrap().as_bytes());
        if encoded.len() > MAX_STATE_LEN {
            prop_assert_eq!(state::decode(&encoded), Err(StateError::TooLong));
            return Ok(());
        }
        let decoded = state::decode(&encoded).unwrap();
        prop_assert_eq!(decoded.instance_id, id);
        match (decoded.original_state, value) {
            (Some(OriginalState::Text(t)), Value::String(s)) => prop_assert_eq!(t, s),
            (Some(OriginalState::Json(raw)), v) if !v.is_string() => {
                prop_assert_eq!(serde_json::from_str::<Value>(&raw).unwrap(), v);
            }
            (other, v) => panic!("{other:?} for {v}"),
        }
    }

    #[test]
    fn an_instance_id_that_is_not_a_string_is_refused(value in json_value()) {
        prop_assume!(!value.is_string());
        let encoded = btoa(serde_json::json!({ "instanceId": value, "originalState": "x" }).to_string().as_bytes());
        prop_assert!(state::decode(&encoded).is_err());
    }
}
