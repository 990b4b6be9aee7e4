//! The ids the SDK puts in Connect's `state`, and the popup's name.
//!
//! The wire format is the reference's: base64 of `{"instanceId": <id>, "originalState": <the
//! app's state>}` (written and read by the browser's own `JSON` and `btoa`/`atob`, in
//! `js/state.js`). A link built with `getAuthUrl` carries the instance's id, as in the
//! reference. A popup the SDK opens carries a fresh id of its own flow instead, and so does a
//! redirect flow: only Connect ever sees it, and a result for a flow that has ended names
//! nothing the instance still accepts.

use crate::error::{Failure, Result};

/// The longest `state` parameter the SDK sends, in characters of base64, and so the longest
/// it reads back: a result is read before anything proves it is this app's, so what is read
/// of it stays bounded.
pub const MAX_STATE: usize = 16 * 1024;

/// Refused by `getAuthUrl` and every call that opens Connect: a state the SDK would not read
/// back (its result would be dropped without a word).
pub const STATE_TOO_LONG: &str = "The \"state\" option is too long: Connect's state must fit in 16384 characters";

/// Checks the `state` parameter about to be sent: `encoded` is the base64 text (one byte per
/// character), or `None` when it is longer than [`MAX_STATE`] (the bindings do not copy such a
/// text into wasm memory just to refuse it).
///
/// # Errors
/// A `TypeError` ([`STATE_TOO_LONG`]) when it is longer than [`MAX_STATE`].
pub fn check_sent(encoded: Option<String>) -> Result<String> {
    encoded.filter(|e| e.len() <= MAX_STATE).ok_or(Failure::type_error(STATE_TOO_LONG))
}

/// How many random bytes an id holds: 128 bits, from `crypto.getRandomValues` (the reference
/// used a guessable timestamp).
pub const ID_BYTES: usize = 16;

/// An instance or flow id: 32 lowercase hex digits of `bytes`.
pub fn id_from_bytes(bytes: &[u8; ID_BYTES]) -> String {
    hex(bytes)
}

/// The name of an instance's popup window: random, and unrelated to any id in a `state`.
///
/// A popup keeps its name across navigations, so every page that loads in it (Connect, a
/// carmaker's login page) can read it: it must not carry anything secret. It differs per
/// instance so that two instances never reuse each other's popup, while one instance's
/// clicks reuse its own, as the reference's fixed name does.
pub fn popup_name(bytes: &[u8; 8]) -> String {
    let mut name = String::from("smartcar-connect-");
    name.push_str(&hex(bytes));
    name
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            if let Some(&digit) = HEX.get(usize::from(nibble)) {
                out.push(char::from(digit));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn ids_are_hex_of_the_random_bytes() {
        let mut bytes = [0u8; ID_BYTES];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8) * 17;
        }
        assert_eq!(id_from_bytes(&bytes), "00112233445566778899aabbccddeeff");
        assert_eq!(popup_name(&[0xab; 8]), "smartcar-connect-abababababababab");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_state_longer_than_what_is_read_back_is_not_sent() {
        let longest = "e".repeat(MAX_STATE);
        assert_eq!(check_sent(Some(longest.clone())), Ok(longest));
        assert_eq!(check_sent(Some("e".repeat(MAX_STATE + 1))), Err(Failure::type_error(STATE_TOO_LONG)));
        assert_eq!(check_sent(None), Err(Failure::type_error(STATE_TOO_LONG)));
    }
}
