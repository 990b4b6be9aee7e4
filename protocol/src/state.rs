//! The state codec: what the SDK puts in Connect's `state` parameter and reads back.
//!
//! Wire format (unchanged from `@smartcar/auth`, so apps that build it themselves and
//! Smartcar's hosted redirect page keep working): base64 of the JSON object
//! `{"instanceId": "...", "originalState": ...}`.
//! Unlike the reference, every non-ASCII character is written as a `\uXXXX` escape, so the
//! JSON text is ASCII and any Unicode state survives `atob` + `JSON.parse` on either side.

/// The app's own state, as it handed it to `getAuthUrl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginalState {
    /// A string state (the documented case).
    Text(String),
    /// Any other JSON value (object, array, number, boolean, null), as JSON text.
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
    let _ = (instance_id, original);
    todo!("helper")
}

/// Decodes a `state` value written by [`encode`], by the reference SDK, or by an app that
/// builds it itself.
///
/// # Errors
/// A [`StateError`] naming why the value is not a state of this protocol.
pub fn decode(state: &str) -> Result<State, StateError> {
    let _ = state;
    todo!("helper")
}
