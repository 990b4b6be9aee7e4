//! The message validator: arbitrary message fields and event origin into `Receiver::receive`.
//!
//! Input: `flags \n origin \n code \n error \n errorDescription \n state \n vin \n make \n model
//! \n year \n virtualKeyUrl \n userId \n externalId`. Flag bits make the origin the expected one
//! and turn the state text into a genuine state for this instance (as its original state), so
//! the fuzzer reaches acceptance as well as refusal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcar_auth::protocol::state::{self, OriginalState};
use smartcar_auth::protocol::{AuthMessage, Field};
use smartcar_auth::receive::{accept, Receiver};
use smartcar_fuzz::pieces;

const ORIGIN: &str = "https://app.example.com";
const ID: &str = "0123456789abcdef0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let p = pieces(data, 2 + Field::ALL.len());
    let flags = p[0].as_deref().and_then(|f| f.bytes().next()).unwrap_or(0);
    let origin = if flags & 1 != 0 { ORIGIN.to_owned() } else { p[1].clone().unwrap_or_default() };
    let mut message = AuthMessage::default();
    message.is_smartcar_hosted = flags & 2 != 0;
    for (field, value) in Field::ALL.iter().zip(&p[2..]) {
        message.set(*field, value.clone());
    }
    if flags & 4 != 0 {
        let original = message.get(Field::State).map(|s| OriginalState::Text(s.to_owned()));
        message.set(Field::State, Some(state::encode(ID, original.as_ref())));
    }

    let mut receiver = Receiver::new(ORIGIN.to_owned(), ID.to_owned());
    let first = receiver.receive(&origin, &message);
    if let Some(completion) = &first {
        // Only from the expected origin, only for this instance.
        assert_eq!(origin, ORIGIN);
        let decoded = state::decode(message.get(Field::State).expect("a state")).expect("decodes");
        assert_eq!(decoded.instance_id, ID);
        assert_eq!(completion.code.as_deref(), message.get(Field::Code));
        // A replay with a code completes nothing.
        let again = receiver.receive(&origin, &message);
        if completion.code.as_deref().is_some_and(|c| !c.is_empty()) {
            assert!(again.is_none(), "replay accepted");
        }
    }
    // `accept` agrees with the receiver on a fresh message.
    assert_eq!(accept(&origin, &message, ORIGIN, ID).is_some(), first.is_some());
    // Another instance, or another origin, never accepts it.
    assert!(accept(&origin, &message, ORIGIN, "another-instance").is_none());
    assert!(accept("https://evil.example", &message, ORIGIN, ID).is_none());
});
