//! The constructor's option rules and the messages the SDK shows, word for word as in
//! `@smartcar/auth` 2.14.1, so apps (and their tests) that match on them keep working.

/// Where Connect lives unless the app says otherwise.
pub const DEFAULT_CONNECT_URL: &str = "https://connect.smartcar.com";

/// The prefix of Smartcar's hosted ("CDN") redirect page.
pub const SMARTCAR_CDN_PREFIX: &str = "https://javascript-sdk.smartcar.com";

/// Thrown (as a `TypeError`) when neither `applicationId` nor `clientId` is given.
pub const MISSING_APPLICATION_ID: &str = "An applicationId option must be provided";

/// Thrown when `responseType` is neither `code` nor `none`.
pub const INVALID_RESPONSE_TYPE: &str = "The \"responseType\" option must be one of: code, none";

/// Thrown when `mode` is not one of the three modes.
pub const INVALID_MODE: &str =
    "The \"mode\" parameter MUST be one of the following: 'test', 'live', 'simulated'";

/// Thrown when the redirect URI is Smartcar's hosted page but `onComplete` is missing or
/// takes fewer than two parameters (it is the only way the result reaches the app).
pub const CDN_ON_COMPLETE_REQUIRED: &str = "When using Smartcar's CDN redirect an onComplete function with at least 2 parameters (error & code) is required to handle completion of Connect";

/// Warned (once per page) when the deprecated `clientId` option is used.
pub const CLIENT_ID_DEPRECATED: &str =
    "The \"clientId\" parameter is deprecated, please use the \"applicationId\" parameter instead.";

/// Warned when the deprecated `testMode` option is present.
pub const TEST_MODE_DEPRECATED: &str =
    "The \"testMode\" parameter is deprecated, please use the \"mode\" parameter instead.";

/// Warned when the redirect URI is an old versioned Smartcar CDN page
/// (see [`uses_outdated_cdn_scheme`]).
pub const OUTDATED_CDN_REDIRECT: &str = "\nThe Smartcar redirect URI you're using is outdated! To update it, please see:\nhttps://github.com/smartcar/javascript-sdk#1-register-a-javascript-sdk-redirect-uri\n";

/// Thrown by `addClickHandler` when neither `id` nor `selector` is given.
pub const ADD_CLICK_HANDLER_NO_TARGET: &str =
    "Could not add click handler: id or selector must be provided.";

/// The mode Connect runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Test vehicles only.
    Test,
    /// Real vehicles (the default).
    Live,
    /// Smartcar's vehicle simulator.
    Simulated,
}

impl Mode {
    /// The mode as Connect's `mode` parameter spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Mode::Test => "test",
            Mode::Live => "live",
            Mode::Simulated => "simulated",
        }
    }
}

/// The OAuth response type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseType {
    /// The usual flow: Connect returns an authorization code (the default).
    Code,
    /// The redirect-less machine-to-machine flow: no code comes back.
    None,
}

impl ResponseType {
    /// The type as Connect's `response_type` parameter spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ResponseType::Code => "code",
            ResponseType::None => "none",
        }
    }
}

/// An option value the SDK refuses; [`ConfigError::message`] is the reference's exact text.
/// (The reference's other errors, which need no parsing, are the constants above.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// `responseType` is not `code` or `none`.
    InvalidResponseType,
    /// `mode` is not `test`, `live` or `simulated`.
    InvalidMode,
}

impl ConfigError {
    /// The message to throw (as a plain `Error`), exactly as the reference words it.
    pub const fn message(self) -> &'static str {
        match self {
            ConfigError::InvalidResponseType => INVALID_RESPONSE_TYPE,
            ConfigError::InvalidMode => INVALID_MODE,
        }
    }
}

/// The mode from the options, as the reference decides it.
///
/// `test_mode` is `Some(options.testMode === true)` when the options object has a `testMode`
/// property at all (the caller then warns [`TEST_MODE_DEPRECATED`]); it wins over `mode`.
/// Otherwise `mode` is used when present, and the default is [`Mode::Live`].
///
/// # Errors
/// [`ConfigError::InvalidMode`] when `mode` is present (and `testMode` is not) but is not one
/// of `test`, `live`, `simulated`.
pub fn parse_mode(mode: Option<&str>, test_mode: Option<bool>) -> Result<Mode, ConfigError> {
    if let Some(test) = test_mode {
        return Ok(if test { Mode::Test } else { Mode::Live });
    }
    match mode {
        None => Ok(Mode::Live),
        Some("test") => Ok(Mode::Test),
        Some("live") => Ok(Mode::Live),
        Some("simulated") => Ok(Mode::Simulated),
        Some(_) => Err(ConfigError::InvalidMode),
    }
}

/// The response type from the options: absent or empty means [`ResponseType::Code`]
/// (the reference's `options.responseType || 'code'`).
///
/// # Errors
/// [`ConfigError::InvalidResponseType`] for anything but `code` and `none`.
pub fn parse_response_type(response_type: Option<&str>) -> Result<ResponseType, ConfigError> {
    match response_type {
        None | Some("") | Some("code") => Ok(ResponseType::Code),
        Some("none") => Ok(ResponseType::None),
        Some(_) => Err(ConfigError::InvalidResponseType),
    }
}

/// Whether `redirect_uri` is Smartcar's hosted redirect page (then `onComplete` with two
/// parameters is required: see [`CDN_ON_COMPLETE_REQUIRED`]).
pub fn is_smartcar_cdn_redirect(redirect_uri: &str) -> bool {
    redirect_uri.starts_with(SMARTCAR_CDN_PREFIX)
}

/// Whether `redirect_uri` uses the old versioned CDN page scheme, i.e. contains
/// `redirect-<digits>.<digits>.<digits>?` (the reference's regular expression
/// `/redirect-[0-9]+\.[0-9]+\.[0-9]+\?/`); the caller then warns [`OUTDATED_CDN_REDIRECT`].
pub fn uses_outdated_cdn_scheme(redirect_uri: &str) -> bool {
    // Every position is a candidate start, as in a regex search. (A byte loop rather than
    // `str::find`, whose substring searcher costs nearly a kilobyte of wasm.)
    let bytes = redirect_uri.as_bytes();
    (0..bytes.len()).any(|at| {
        bytes
            .get(at..)
            .and_then(|rest| rest.strip_prefix(b"redirect-".as_slice()))
            .is_some_and(version_then_question_mark)
    })
}

/// Whether `bytes` starts with `<digits>.<digits>.<digits>?`.
fn version_then_question_mark(bytes: &[u8]) -> bool {
    let mut pos = 0usize;
    for terminator in [b'.', b'.', b'?'] {
        let start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        if pos == start || bytes.get(pos) != Some(&terminator) {
            return false;
        }
        pos += 1;
    }
    true
}

/// The message `addClickHandler` throws when no element matches `what` (the `id`, or else the
/// `selector`), whitespace and all, as the reference writes it.
pub fn click_handler_not_found(what: &str) -> String {
    const BEFORE: &str = "\n        Could not add click handler: element with '";
    const AFTER: &str = "' was not found.\n      ";
    let mut out = String::with_capacity(BEFORE.len() + what.len() + AFTER.len());
    out.push_str(BEFORE);
    out.push_str(what);
    out.push_str(AFTER);
    out
}

/// The SDK instance's id, which travels in the `state` parameter so each instance only
/// answers its own Connect flows: 32 lowercase hex digits of 16 random bytes (the caller
/// fills them from `crypto.getRandomValues`; the reference used a guessable timestamp).
pub fn instance_id_from_bytes(bytes: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
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
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn mode_rules() {
        assert_eq!(parse_mode(None, None), Ok(Mode::Live));
        assert_eq!(parse_mode(Some("test"), None), Ok(Mode::Test));
        assert_eq!(parse_mode(Some("live"), None), Ok(Mode::Live));
        assert_eq!(parse_mode(Some("simulated"), None), Ok(Mode::Simulated));
        assert_eq!(
            parse_mode(Some("Test"), None),
            Err(ConfigError::InvalidMode)
        );
        assert_eq!(parse_mode(Some(""), None), Err(ConfigError::InvalidMode));
        // testMode wins over mode, even an invalid one.
        assert_eq!(parse_mode(Some("bogus"), Some(true)), Ok(Mode::Test));
        assert_eq!(parse_mode(Some("simulated"), Some(false)), Ok(Mode::Live));
        assert_eq!(
            ConfigError::InvalidMode.message(),
            "The \"mode\" parameter MUST be one of the following: 'test', 'live', 'simulated'"
        );
        assert_eq!(Mode::Simulated.as_str(), "simulated");
    }

    #[test]
    fn response_type_rules() {
        assert_eq!(parse_response_type(None), Ok(ResponseType::Code));
        assert_eq!(parse_response_type(Some("")), Ok(ResponseType::Code));
        assert_eq!(parse_response_type(Some("code")), Ok(ResponseType::Code));
        assert_eq!(parse_response_type(Some("none")), Ok(ResponseType::None));
        assert_eq!(
            parse_response_type(Some("token")),
            Err(ConfigError::InvalidResponseType)
        );
        assert_eq!(
            ConfigError::InvalidResponseType.message(),
            "The \"responseType\" option must be one of: code, none"
        );
        assert_eq!(ResponseType::None.as_str(), "none");
    }

    #[test]
    fn cdn_message() {
        assert_eq!(
            CDN_ON_COMPLETE_REQUIRED,
            "When using Smartcar's CDN redirect an onComplete function with at least 2 parameters (error & code) is required to handle completion of Connect"
        );
    }

    #[test]
    fn cdn_redirects() {
        assert!(is_smartcar_cdn_redirect(
            "https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://a.com"
        ));
        assert!(!is_smartcar_cdn_redirect(
            "http://javascript-sdk.smartcar.com/"
        ));
        assert!(!is_smartcar_cdn_redirect("https://example.com/"));

        assert!(uses_outdated_cdn_scheme(
            "https://javascript-sdk.smartcar.com/redirect-2.0.0?app_origin=https://a.com"
        ));
        assert!(uses_outdated_cdn_scheme("redirect-1.22.333?"));
        assert!(uses_outdated_cdn_scheme("xredirect-redirect-1.2.3?"));
        assert!(uses_outdated_cdn_scheme("redirect-1.2redirect-1.2.3?"));
        assert!(!uses_outdated_cdn_scheme(
            "https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://a.com"
        ));
        assert!(!uses_outdated_cdn_scheme("redirect-1.2.3"));
        assert!(!uses_outdated_cdn_scheme("redirect-1.2.?"));
        assert!(!uses_outdated_cdn_scheme("redirect-1..3?"));
        assert!(!uses_outdated_cdn_scheme("redirect-.1.2.3?"));
        assert!(!uses_outdated_cdn_scheme("redirect-1.2.3.4?"));
        assert!(!uses_outdated_cdn_scheme("redirect-a.2.3?"));
        assert!(!uses_outdated_cdn_scheme("Redirect-1.2.3?"));
        assert!(!uses_outdated_cdn_scheme("redirect-"));
        assert!(!uses_outdated_cdn_scheme("é redirect-١.2.3?"));
    }

    #[test]
    fn click_handler_message() {
        assert_eq!(
            click_handler_not_found("#connect"),
            "\n        Could not add click handler: element with '#connect' was not found.\n      "
        );
    }

    #[test]
    fn instance_ids() {
        let mut bytes = [0u8; 16];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8) * 17;
        }
        assert_eq!(
            instance_id_from_bytes(&bytes),
            "00112233445566778899aabbccddeeff"
        );
        assert_eq!(instance_id_from_bytes(&[0xff; 16]).len(), 32);
    }
}
