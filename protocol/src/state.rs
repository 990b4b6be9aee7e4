//! The state codec: what the SDK puts in Connect's `state` parameter and reads back.
//!
//! Wire format (unchanged from `@smartcar/auth`, so apps that build it themselves and
//! Smartcar's hosted redirect page keep working): base64 of the JSON object
//! `{"instanceId": "...", "originalState": ...}`.
//! Unlike the reference, every non-ASCII character is written as a `\uXXXX` escape, so the
//! JSON text is ASCII and any Unicode state survives `atob` + `JSON.parse` on either side.

use crate::base64;
use crate::json::{self, Value};

/// The app's own state, as it handed it to `getAuthUrl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginalState {
    /// A string state (the documented case).
    Text(String),
    /// Any other JSON value (object, array, number, boolean, null), as JSON text.
    ///
    /// [`encode`] writes it as given, so it must be valid JSON, as `JSON.stringify` returns it;
    /// [`decode`] returns it exactly as it appears in the state, whitespace inside included.
    Json(String),
}

/// A decoded state: which SDK instance started the flow, and the app's own state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// The id of the SDK instance that opened Connect.
    pub instance_id: String,
    /// The app's state, `None` when the app gave none.
    pub original_state: Option<OriginalState>,
}

/// Why a `state` value was not one of ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateError {
    /// Longer than [`MAX_STATE_LEN`].
    TooLong,
    /// Not base64.
    NotBase64,
    /// Not JSON, or nested deeper than the decoder follows.
    NotJson,
    /// JSON, but not an object with a string `instanceId`.
    NoInstanceId,
}

/// The longest `state` value the decoder looks at; anything longer is refused unread.
pub const MAX_STATE_LEN: usize = 16 * 1024;

/// Encodes the state for Connect's `state` parameter: base64 (standard alphabet, `=` padding,
/// as `btoa` writes it) of `{"instanceId":"<id>","originalState":<state>}`, ASCII only.
/// `originalState` is left out when `original` is `None`.
pub fn encode(instance_id: &str, original: Option<&OriginalState>) -> String {
    let mut json = String::with_capacity(instance_id.len().saturating_add(48));
    json.push_str("{\"instanceId\":");
    json::write_string(instance_id, &mut json);
    if let Some(original) = original {
        json.push_str(",\"originalState\":");
        match original {
            OriginalState::Text(text) => json::write_string(text, &mut json),
            OriginalState::Json(raw) => json::ascii_escape_json(raw, &mut json),
        }
    }
    json.push('}');
    base64::encode(json.as_bytes())
}

/// Decodes a `state` value written by [`encode`], by the reference SDK, or by an app that
/// builds it itself.
///
/// # Errors
/// A [`StateError`] naming why the value is not a state of this protocol.
pub fn decode(state: &str) -> Result<State, StateError> {
    if state.len() > MAX_STATE_LEN {
        return Err(StateError::TooLong);
    }
    let bytes = base64::decode(state).ok_or(StateError::NotBase64)?;
    // `atob` yields one char per byte; the reference SDK's own states are ASCII and read the
    // same either way. UTF-8 is tried first so that an app's UTF-8 state (written by a
    // server, say) reads as meant; bytes that are not UTF-8 are read as `atob` reads them.
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.as_bytes().iter().map(|&b| char::from(b)).collect(),
    };
    let members = json::parse_object(&text).map_err(|e| match e {
        json::JsonError::NotObject => StateError::NoInstanceId,
        json::JsonError::Syntax | json::JsonError::TooDeep => StateError::NotJson,
    })?;
    // The last duplicate wins, as with `JSON.parse`.
    let last = |key: &str| members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v);
    let instance_id = match last("instanceId") {
        Some(Value::Str(id)) => id.clone(),
        _ => return Err(StateError::NoInstanceId),
    };
    let original_state = last("originalState").map(|value| match value {
        Value::Str(text) => OriginalState::Text(text.clone()),
        Value::Other(raw) => OriginalState::Json((*raw).to_owned()),
    });
    Ok(State {
        instance_id,
        original_state,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn text(s: &str) -> Option<OriginalState> {
        Some(OriginalState::Text(s.to_string()))
    }

    fn json_state(s: &str) -> Option<OriginalState> {
        Some(OriginalState::Json(s.to_string()))
    }

    fn state(id: &str, original: Option<OriginalState>) -> State {
        State {
            instance_id: id.to_string(),
            original_state: original,
        }
    }

    /// The JSON text inside an encoded state, as `atob` would hand it to `JSON.parse`.
    fn json_of(encoded: &str) -> String {
        let bytes = base64::decode(encoded).unwrap();
        assert!(bytes.is_ascii(), "not ASCII: {bytes:?}");
        String::from_utf8(bytes).unwrap()
    }

    const TRICKY: &[&str] = &[
        "",
        "abc",
        "with space",
        "quote\" and \\ backslash / slash",
        "\n\r\t\u{8}\u{c}\u{0}\u{1}\u{1f}\u{7f}",
        "é ü ß ñ",
        "日本語のステート",
        "😀👍🏽🇫🇷 family: 👨\u{200d}👩\u{200d}👧",
        "\u{2028}\u{2029}",
        "\u{feff}bom",
        "\u{fffd}\u{ffff}\u{10000}\u{10ffff}",
        "{\"looks\":\"like json\"}",
        "[1,2]",
        "null",
        "a+b/c=d&e?f#g%20",
        "\\u0041 is not an escape here",
        "</script><script>alert(1)</script>",
    ];

    #[test]
    fn encodes_the_documented_json() {
        assert_eq!(json_of(&encode("123", None)), r#"{"instanceId":"123"}"#);
        assert_eq!(
            json_of(&encode("123", text("abc").as_ref())),
            r#"{"instanceId":"123","originalState":"abc"}"#
        );
        assert_eq!(
            json_of(&encode("1", json_state(r#"{"a":[1,"é"]}"#).as_ref())),
            r#"{"instanceId":"1","originalState":{"a":[1,"\u00e9"]}}"#
        );
        assert_eq!(
            json_of(&encode("1", text("é😀\"").as_ref())),
            r#"{"instanceId":"1","originalState":"\u00e9\ud83d\ude00\""}"#
        );
        assert_eq!(
            encode("1700000000000123", text("abc").as_ref()),
            "eyJpbnN0YW5jZUlkIjoiMTcwMDAwMDAwMDAwMDEyMyIsIm9yaWdpbmFsU3RhdGUiOiJhYmMifQ=="
        );
    }

    #[test]
    fn text_states_round_trip() {
        for s in TRICKY {
            for id in ["1700000000000123", "", "id é😀\""] {
                let encoded = encode(id, text(s).as_ref());
                json_of(&encoded);
                assert_eq!(decode(&encoded), Ok(state(id, text(s))), "{s:?}");
            }
        }
        assert_eq!(decode(&encode("x", None)), Ok(state("x", None)));
    }

    #[test]
    fn every_char_round_trips() {
        let mut s = String::new();
        for code in (0..0x11_0000u32).step_by(13) {
            if let Some(c) = char::from_u32(code) {
                s.push(c);
            }
            if s.len() > 2000 {
                let encoded = encode("i", text(&s).as_ref());
                assert_eq!(decode(&encoded), Ok(state("i", text(&s))));
                s.clear();
            }
        }
        let encoded = encode("i", text(&s).as_ref());
        assert_eq!(decode(&encoded), Ok(state("i", text(&s))));
    }

    #[test]
    fn json_states_round_trip() {
        for raw in [
            "null",
            "true",
            "false",
            "0",
            "-1.5e10",
            "[]",
            "{}",
            r#"{"a":1,"b":[true,null,"x"],"c":{"d":"e"}}"#,
            r#"[" spaced ", {"k" : "v"}]"#,
        ] {
            let encoded = encode("9", json_state(raw).as_ref());
            assert_eq!(decode(&encoded), Ok(state("9", json_state(raw))), "{raw}");
        }
        // Non-ASCII inside JSON comes back escaped: the same JSON value.
        let encoded = encode("9", json_state(r#"{"é":"😀"}"#).as_ref());
        assert_eq!(
            decode(&encoded),
            Ok(state("9", json_state(r#"{"\u00e9":"\ud83d\ude00"}"#)))
        );
    }

    #[test]
    fn survives_plus_turned_into_space() {
        // States whose base64 holds `+` and `/`.
        let mut seen_plus = false;
        let mut seen_slash = false;
        for s in ["?>>?", "~~~>>>???", "ÿþý", "\u{3fff}\u{fbff}", "a>b?c~d"] {
            let encoded = encode("7", text(s).as_ref());
            seen_plus |= encoded.contains('+');
            seen_slash |= encoded.contains('/');
            let spaced = encoded.replace('+', " ");
            assert_eq!(decode(&spaced), Ok(state("7", text(s))), "{s:?}");
            let unpadded = encoded.trim_end_matches('=');
            assert_eq!(decode(unpadded), Ok(state("7", text(s))), "{s:?}");
        }
        assert!(seen_plus && seen_slash);
    }

    #[test]
    fn reads_reference_style_states() {
        // btoa(JSON.stringify({instanceId: '1700000000000123', originalState: 'abc'}))
        let reference =
            "eyJpbnN0YW5jZUlkIjoiMTcwMDAwMDAwMDAwMDEyMyIsIm9yaWdpbmFsU3RhdGUiOiJhYmMifQ==";
        assert_eq!(
            decode(reference),
            Ok(state("1700000000000123", text("abc")))
        );
        let hand = base64::encode(br#" { "originalState" : [1, 2] , "instanceId" : "abc" } "#);
        assert_eq!(decode(&hand), Ok(state("abc", json_state("[1, 2]"))));
        let no_state = base64::encode(br#"{"instanceId":"abc","other":1}"#);
        assert_eq!(decode(&no_state), Ok(state("abc", None)));
        let null_state = base64::encode(br#"{"instanceId":"abc","originalState":null}"#);
        assert_eq!(decode(&null_state), Ok(state("abc", json_state("null"))));
    }

    #[test]
    fn reads_latin1_and_utf8_bytes() {
        // btoa on a Latin-1 string: the byte 0xE9 is "é".
        let latin1 = base64::encode(b"{\"instanceId\":\"1\",\"originalState\":\"caf\xe9\"}");
        assert_eq!(decode(&latin1), Ok(state("1", text("café"))));
        let utf8 = base64::encode("{\"instanceId\":\"1\",\"originalState\":\"café😀\"}".as_bytes());
        assert_eq!(decode(&utf8), Ok(state("1", text("café😀"))));
    }

    #[test]
    fn last_duplicate_wins() {
        let dup = base64::encode(
            br#"{"instanceId":"a","originalState":"x","instanceId":"b","originalState":2}"#,
        );
        assert_eq!(decode(&dup), Ok(state("b", json_state("2"))));
        let bad_last = base64::encode(br#"{"instanceId":"a","instanceId":1}"#);
        assert_eq!(decode(&bad_last), Err(StateError::NoInstanceId));
    }

    #[test]
    fn refuses_what_is_not_a_state() {
        let b = |s: &str| base64::encode(s.as_bytes());
        assert_eq!(decode("not base64!"), Err(StateError::NotBase64));
        assert_eq!(decode("abcde"), Err(StateError::NotBase64));
        assert_eq!(decode(""), Err(StateError::NotJson));
        assert_eq!(decode(&b("{")), Err(StateError::NotJson));
        assert_eq!(decode(&b("hello")), Err(StateError::NotJson));
        assert_eq!(
            decode(&b(r#"{"instanceId":"a",}"#)),
            Err(StateError::NotJson)
        );
        assert_eq!(
            decode(&b(r#"{"instanceId":"a"} x"#)),
            Err(StateError::NotJson)
        );
        let deep = format!(
            r#"{{"instanceId":"a","originalState":{}{}}}"#,
            "[".repeat(40),
            "]".repeat(40)
        );
        assert_eq!(decode(&b(&deep)), Err(StateError::NotJson));
        for not_ours in [
            "null",
            "[]",
            "\"x\"",
            "1",
            "{}",
            r#"{"originalState":"x"}"#,
            r#"{"instanceId":1}"#,
            r#"{"instanceId":null}"#,
            r#"{"instanceId":["a"]}"#,
            r#"{"instanceid":"a"}"#,
        ] {
            assert_eq!(
                decode(&b(not_ours)),
                Err(StateError::NoInstanceId),
                "{not_ours}"
            );
        }
    }

    #[test]
    fn refuses_long_states_unread() {
        let long = "A".repeat(MAX_STATE_LEN + 1);
        assert_eq!(decode(&long), Err(StateError::TooLong));
        let long_garbage = "!".repeat(MAX_STATE_LEN + 1);
        assert_eq!(decode(&long_garbage), Err(StateError::TooLong));
        // Exactly at the limit is read.
        let id = "x".repeat(MAX_STATE_LEN / 4 * 3 - 20);
        let encoded = encode(&id, None);
        assert!(encoded.len() <= MAX_STATE_LEN);
        assert_eq!(decode(&encoded), Ok(state(&id, None)));
    }

    #[test]
    fn lone_surrogate_escapes_do_not_break_decoding() {
        let s = base64::encode(br#"{"instanceId":"a","originalState":"\ud800x\udfff"}"#);
        assert_eq!(decode(&s), Ok(state("a", text("\u{fffd}x\u{fffd}"))));
    }
}
