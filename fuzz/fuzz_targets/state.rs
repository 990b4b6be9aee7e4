//! The state decoder: arbitrary text into `state::decode`, directly (first byte even) or as the
//! base64 of the remaining bytes (first byte odd), which reaches the JSON reader behind it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcar_protocol::state::{self, OriginalState, State};
use smartcar_fuzz::btoa;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let text = if mode & 1 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        btoa(rest)
    };
    let Ok(decoded) = state::decode(&text) else { return };
    // What decodes re-encodes to a state that decodes the same (JSON states as the same text
    // when ASCII; non-ASCII JSON comes back \u-escaped, by design).
    let encoded = state::encode(&decoded.instance_id, decoded.original_state.as_ref());
    let again = state::decode(&encoded);
    if let Ok(again) = &again {
        assert_eq!(again.instance_id, decoded.instance_id);
        match (&again.original_state, &decoded.original_state) {
            (Some(OriginalState::Json(a)), Some(OriginalState::Json(b))) if !b.is_ascii() => {
                assert!(a.is_ascii());
            }
            (a, b) => assert_eq!(a, b),
        }
    } else {
        // The only way a re-encoded state fails is length: escaping non-ASCII as \uXXXX can
        // grow it past the limit (a Latin-1 byte becomes six characters).
        assert_eq!(again, Err(state::StateError::TooLong));
        assert!(encoded.len() > state::MAX_STATE_LEN);
    }
    // A text state round-trips whatever it holds.
    if let Some(OriginalState::Text(t)) = &decoded.original_state {
        let encoded = state::encode("i", Some(&OriginalState::Text(t.clone())));
        if encoded.len() <= state::MAX_STATE_LEN {
            assert_eq!(
                state::decode(&encoded),
                Ok(State { instance_id: "i".into(), original_state: Some(OriginalState::Text(t.clone())) })
            );
        }
    }
});
