//! The constructor's options and the instance's settings, with `@smartcar/auth` 2.14.1's rules
//! and messages word for word, so apps (and their tests) that match on them keep working.
//!
//! As in the reference, the options end up as plain fields of the instance (`applicationId`,
//! `redirectUri`, `scope`, ...) that the app may reassign at any time, and every call reads
//! them anew. [`construct`] applies the constructor's own rules; [`Settings::from_fields`]
//! checks the fields as they are when a call uses them, in the constructor and afterwards.

use crate::error::{Class, Failure, Result};
use crate::input::Value;

/// Where Connect lives unless the app says otherwise.
pub const DEFAULT_CONNECT_URL: &str = "https://connect.smartcar.com";

/// The prefix of Smartcar's hosted ("CDN") redirect page.
pub const SMARTCAR_CDN_PREFIX: &str = "https://javascript-sdk.smartcar.com";

/// Thrown (as a `TypeError`) when neither `applicationId` nor `clientId` is given.
pub const MISSING_APPLICATION_ID: &str = "An applicationId option must be provided";

/// Thrown when `responseType` is neither `code` nor `none`.
pub const INVALID_RESPONSE_TYPE: &str = "The \"responseType\" option must be one of: code, none";

/// Thrown when `mode` is not one of the three modes.
pub const INVALID_MODE: &str = "The \"mode\" parameter MUST be one of the following: 'test', 'live', 'simulated'";

/// Thrown when the redirect URI is Smartcar's hosted page but `onComplete` is missing or
/// takes fewer than two parameters (it is the only way the result reaches the app).
pub const CDN_ON_COMPLETE_REQUIRED: &str = "When using Smartcar's CDN redirect an onComplete function with at least 2 parameters (error & code) is required to handle completion of Connect";

/// Warned (once per page) when the deprecated `clientId` option is used.
pub const CLIENT_ID_DEPRECATED: &str = "The \"clientId\" parameter is deprecated, please use the \"applicationId\" parameter instead.";

/// Warned when the deprecated `testMode` option is present.
pub const TEST_MODE_DEPRECATED: &str = "The \"testMode\" parameter is deprecated, please use the \"mode\" parameter instead.";

/// Warned when the redirect URI is an old versioned Smartcar CDN page
/// (see [`uses_outdated_cdn_scheme`]).
pub const OUTDATED_CDN_REDIRECT: &str = "\nThe Smartcar redirect URI you're using is outdated! To update it, please see:\nhttps://github.com/smartcar/javascript-sdk#1-register-a-javascript-sdk-redirect-uri\n";

const APPLICATION_ID_TYPE: &str = "The \"applicationId\" option must be a string (at most 65536 characters)";
const REDIRECT_URI_TYPE: &str = "The \"redirectUri\" option must be a string (at most 65536 characters)";
const REDIRECT_URI_URL: &str = "The \"redirectUri\" option must be an absolute http(s) URL";
const ON_COMPLETE_TYPE: &str = "The \"onComplete\" option must be a function";
const SCOPE_TYPE: &str = "The \"scope\" option must be an array of strings (at most 1024, 64 KB in all)";
const EXTERNAL_ID_TYPE: &str = "The \"externalId\" option must be a string (at most 65536 characters) or null";
const CONNECT_URL_TYPE: &str = "The \"connectUrl\" option must be an absolute http(s) URL, without a query, a fragment or spaces";
const INSTANCE_ID_TYPE: &str = "The \"instanceId\" property must be a non-empty string (at most 65536 characters)";

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
    /// The mode as Connect's `mode` parameter (and the instance's `mode` field) spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Mode::Test => "test",
            Mode::Live => "live",
            Mode::Simulated => "simulated",
        }
    }

    fn parse(value: &Value) -> Result<Mode> {
        match value.as_text() {
            Some("test") => Ok(Mode::Test),
            Some("live") => Ok(Mode::Live),
            Some("simulated") => Ok(Mode::Simulated),
            _ => Err(Failure::error(INVALID_MODE)),
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

    /// The reference's `options.responseType || 'code'`, checked against `code` and `none`.
    fn parse(value: &Value) -> Result<ResponseType> {
        if !value.is_truthy() {
            return Ok(ResponseType::Code);
        }
        match value.as_text() {
            Some("code") => Ok(ResponseType::Code),
            Some("none") => Ok(ResponseType::None),
            _ => Err(Failure::error(INVALID_RESPONSE_TYPE)),
        }
    }
}

/// The `external_id` parameter, from the instance's `externalId` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternalId<'a> {
    /// `undefined`: no parameter.
    Unset,
    /// `null`: the reference writes `external_id=null`, and so does this.
    Null,
    /// The id.
    Value(&'a str),
}

/// Whether `redirect_uri` is Smartcar's hosted redirect page (then `onComplete` with two
/// parameters is required: see [`CDN_ON_COMPLETE_REQUIRED`]).
pub fn is_smartcar_cdn_redirect(redirect_uri: &str) -> bool {
    redirect_uri.starts_with(SMARTCAR_CDN_PREFIX)
}

/// Whether `redirect_uri` uses the old versioned CDN page scheme, i.e. contains
/// `redirect-<digits>.<digits>.<digits>?` (the reference's `/redirect-[0-9]+\.[0-9]+\.[0-9]+\?/`).
pub fn uses_outdated_cdn_scheme(redirect_uri: &str) -> bool {
    // Every position is a candidate start, as in a regex search. (A byte loop rather than
    // `str::find`, whose substring searcher costs nearly a kilobyte of wasm.)
    let bytes = redirect_uri.as_bytes();
    (0..bytes.len()).any(|at| {
        bytes.get(at..).and_then(|rest| rest.strip_prefix(b"redirect-".as_slice())).is_some_and(version_then_question_mark)
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

/// The constructor's options, as the bindings read them from the app's object.
#[derive(Clone, Debug, Default)]
pub struct RawOptions {
    /// `applicationId`.
    pub application_id: Value,
    /// `clientId`, the deprecated spelling.
    pub client_id: Value,
    /// `responseType`.
    pub response_type: Value,
    /// `redirectUri`.
    pub redirect_uri: Value,
    /// `onComplete`.
    pub on_complete: Value,
    /// `testMode`, when the object has it as an own property (the reference's `hasOwnProperty`).
    pub test_mode: Option<Value>,
    /// `mode`, when the object has it as an own property.
    pub mode: Option<Value>,
    /// `scope`.
    pub scope: Value,
    /// `externalId`.
    pub external_id: Value,
    /// `connectUrl` (not in the reference).
    pub connect_url: Value,
}

/// Which option the instance's `applicationId` (and `clientId`) field is taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplicationIdFrom {
    /// `applicationId`.
    ApplicationId,
    /// The deprecated `clientId`, used when `applicationId` is falsy.
    ClientId,
}

/// What the constructor does with options that passed: the fields it computes (the others are
/// the options' own values, as in the reference) and what it warns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Construction {
    /// Where `applicationId` comes from.
    pub application_id: ApplicationIdFrom,
    /// The `mode` field.
    pub mode: Mode,
    /// The `responseType` field.
    pub response_type: ResponseType,
    /// `console.warn` each, in order.
    pub warnings: Vec<&'static str>,
}

/// Options the constructor refuses: the error it throws, and what it warned before (the
/// reference prints a deprecation before it throws for a later option).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The error.
    pub failure: Failure,
    /// `console.warn` each, in order, before throwing.
    pub warnings: Vec<&'static str>,
}

/// The constructor's rules, in the reference's order, then this SDK's type checks of every
/// field (through [`Settings::from_fields`]).
///
/// `client_id_warned` says whether this page already warned that `clientId` is deprecated
/// (the reference warns once per page). `origin_of` is the browser's URL parser: the origin of
/// an absolute URL, as `MessageEvent.origin` would give it.
///
/// # Errors
/// The reference's errors, then a `TypeError` naming any option of the wrong type; each with
/// the warnings given before it.
pub fn construct(raw: RawOptions, client_id_warned: bool, origin_of: &dyn Fn(&str) -> Option<String>) -> std::result::Result<Construction, Refused> {
    let mut warnings = Vec::new();
    match checked(raw, client_id_warned, origin_of, &mut warnings) {
        Ok((application_id, mode, response_type)) => Ok(Construction { application_id, mode, response_type, warnings }),
        Err(failure) => Err(Refused { failure, warnings }),
    }
}

/// [`construct`]'s rules, warning into `warnings` as they go.
fn checked(raw: RawOptions, client_id_warned: bool, origin_of: &dyn Fn(&str) -> Option<String>, warnings: &mut Vec<&'static str>) -> Result<(ApplicationIdFrom, Mode, ResponseType)> {
    let uses_client_id = !raw.application_id.is_truthy();
    if uses_client_id && !raw.client_id.is_truthy() {
        return Err(Failure::type_error(MISSING_APPLICATION_ID));
    }
    let response_type = ResponseType::parse(&raw.response_type)?;
    if raw.redirect_uri.is_truthy() {
        let uri = raw.redirect_uri.as_text().ok_or_else(|| wrong_type(&raw.redirect_uri, "redirectUri", REDIRECT_URI_TYPE))?;
        if is_smartcar_cdn_redirect(uri) {
            if !matches!(raw.on_complete, Value::Function { arity } if arity >= 2) {
                return Err(Failure::error(CDN_ON_COMPLETE_REQUIRED));
            }
            if uses_outdated_cdn_scheme(uri) {
                warnings.push(OUTDATED_CDN_REDIRECT);
            }
        }
    }
    if uses_client_id && !client_id_warned {
        warnings.push(CLIENT_ID_DEPRECATED);
    }
    let mode = match (&raw.test_mode, &raw.mode) {
        (Some(test_mode), _) => {
            warnings.push(TEST_MODE_DEPRECATED);
            if matches!(test_mode, Value::Bool(true)) { Mode::Test } else { Mode::Live }
        }
        (None, Some(mode)) => Mode::parse(mode)?,
        (None, None) => Mode::Live,
    };
    if !(raw.on_complete.is_nullish() || matches!(raw.on_complete, Value::Function { .. })) {
        return Err(Failure::type_error(ON_COMPLETE_TYPE));
    }
    let application_id = if uses_client_id { ApplicationIdFrom::ClientId } else { ApplicationIdFrom::ApplicationId };
    let fields = Fields {
        application_id: if uses_client_id { raw.client_id } else { raw.application_id },
        redirect_uri: raw.redirect_uri,
        scope: raw.scope,
        mode: Value::Text(mode.as_str().into()),
        response_type: Value::Text(response_type.as_str().into()),
        external_id: raw.external_id,
        // The instance id is the SDK's own, and valid.
        instance_id: Value::Text("0".into()),
        connect_url: raw.connect_url,
    };
    Settings::from_fields(&fields, origin_of)?;
    Ok((application_id, mode, response_type))
}

/// The instance's fields as a call reads them (the app may have reassigned any of them).
#[derive(Clone, Debug)]
pub struct Fields {
    /// `applicationId`.
    pub application_id: Value,
    /// `redirectUri`.
    pub redirect_uri: Value,
    /// `scope`.
    pub scope: Value,
    /// `mode`.
    pub mode: Value,
    /// `responseType`.
    pub response_type: Value,
    /// `externalId`.
    pub external_id: Value,
    /// `instanceId`.
    pub instance_id: Value,
    /// `connectUrl` (not in the reference; `undefined` unless the app set it).
    pub connect_url: Value,
}

impl Fields {
    /// The fields receiving a result reads.
    pub fn receiving(&self) -> ReceivingFields<'_> {
        ReceivingFields { redirect_uri: &self.redirect_uri, instance_id: &self.instance_id, connect_url: &self.connect_url }
    }
}

/// The fields receiving a result reads: for every message the page gets, so no more than
/// the reference's handler reads (`redirectUri`, `instanceId`), and `connectUrl`.
#[derive(Clone, Copy, Debug)]
pub struct ReceivingFields<'a> {
    /// `redirectUri`.
    pub redirect_uri: &'a Value,
    /// `instanceId`.
    pub instance_id: &'a Value,
    /// `connectUrl`.
    pub connect_url: &'a Value,
}

/// The instance's fields, checked: what a Connect URL is built from and which origin a result
/// may come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings<'a> {
    /// `application_id`.
    pub application_id: &'a str,
    /// `redirect_uri`, when the app gave one (a non-empty one: the reference tests truthiness).
    pub redirect_uri: Option<&'a str>,
    /// The scopes; `None` leaves the parameter out, while an empty list writes `scope=` (an
    /// empty array is truthy in the reference).
    pub scope: Option<Vec<&'a str>>,
    /// `mode`.
    pub mode: Mode,
    /// `response_type`.
    pub response_type: ResponseType,
    /// `external_id`.
    pub external_id: ExternalId<'a>,
    /// The instance's id, which names it in the `state` of links built with `getAuthUrl`.
    pub instance_id: &'a str,
    /// Connect's base URL, without trailing slashes.
    pub connect_url: &'a str,
    /// The only origin a result may come from: the redirect URI's origin, or Connect's own
    /// origin without a redirect URI (Connect then posts the result itself).
    pub expected_origin: String,
}

impl<'a> Settings<'a> {
    /// Checks `fields`; `origin_of` is the browser's URL parser (see [`construct`]).
    ///
    /// # Errors
    /// A `TypeError` naming the first field of the wrong type (or a missing application id), or
    /// the reference's errors for a `mode` or `responseType` that is not one of its values.
    pub fn from_fields(fields: &'a Fields, origin_of: &dyn Fn(&str) -> Option<String>) -> Result<Settings<'a>> {
        let application_id = match &fields.application_id {
            Value::Text(id) if !id.is_empty() => id,
            value if !value.is_truthy() => return Err(Failure::type_error(MISSING_APPLICATION_ID)),
            value => return Err(wrong_type(value, "applicationId", APPLICATION_ID_TYPE)),
        };
        let redirect_uri = match &fields.redirect_uri {
            value if !value.is_truthy() => None,
            Value::Text(uri) => Some(uri.as_str()),
            value => return Err(wrong_type(value, "redirectUri", REDIRECT_URI_TYPE)),
        };
        let scope = match &fields.scope {
            value if !value.is_truthy() => None,
            value => Some(value.text_list().ok_or_else(|| wrong_type(value, "scope", SCOPE_TYPE))?),
        };
        let external_id = match &fields.external_id {
            Value::Undefined => ExternalId::Unset,
            Value::Null => ExternalId::Null,
            Value::Text(id) => ExternalId::Value(id),
            value => return Err(wrong_type(value, "externalId", EXTERNAL_ID_TYPE)),
        };
        let Receiving { instance_id, connect_url, expected_origin } = Receiving::from_fields(fields.receiving(), origin_of)?;
        Ok(Settings {
            application_id,
            redirect_uri,
            scope,
            mode: Mode::parse(&fields.mode)?,
            response_type: ResponseType::parse(&fields.response_type)?,
            external_id,
            instance_id,
            connect_url,
            expected_origin,
        })
    }

    /// Whether the Connect URL carries `app_origin`: for response type `none` without a
    /// redirect URI, Connect posts the result back to the page itself.
    pub fn needs_app_origin(&self) -> bool {
        self.response_type == ResponseType::None && self.redirect_uri.is_none()
    }
}

/// What receiving a result needs of the fields: the instance's id and where results may come
/// from. Read for every message, so it reads no more than that.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receiving<'a> {
    /// The instance's id.
    pub instance_id: &'a str,
    /// Connect's base URL, without trailing slashes.
    pub connect_url: &'a str,
    /// The only origin a result may come from (see [`Settings::expected_origin`]).
    pub expected_origin: String,
}

impl<'a> Receiving<'a> {
    /// Checks the fields it needs (`redirectUri`, `connectUrl`, `instanceId`).
    ///
    /// # Errors
    /// A `TypeError` naming the first of them of the wrong type.
    pub fn from_fields(fields: ReceivingFields<'a>, origin_of: &dyn Fn(&str) -> Option<String>) -> Result<Receiving<'a>> {
        let instance_id = match fields.instance_id {
            Value::Text(id) if !id.is_empty() => id,
            value => return Err(wrong_type(value, "instanceId", INSTANCE_ID_TYPE)),
        };
        let connect_url = match fields.connect_url {
            Value::Undefined => DEFAULT_CONNECT_URL,
            Value::Text(url) if is_base_url(url) => without_trailing_slashes(url),
            value => return Err(wrong_type(value, "connectUrl", CONNECT_URL_TYPE)),
        };
        let connect_origin = web_origin(connect_url, origin_of).ok_or(Failure::type_error(CONNECT_URL_TYPE))?;
        let expected_origin = match fields.redirect_uri {
            value if !value.is_truthy() => connect_origin,
            Value::Text(uri) => web_origin(uri, origin_of).ok_or(Failure::type_error(REDIRECT_URI_URL))?,
            value => return Err(wrong_type(value, "redirectUri", REDIRECT_URI_TYPE)),
        };
        Ok(Receiving { instance_id, connect_url, expected_origin })
    }
}

/// `url` without its trailing slashes (a byte loop: `trim_end_matches` costs wasm bytes).
fn without_trailing_slashes(url: &str) -> &str {
    let mut end = url.len();
    while end > 0 && url.as_bytes().get(end - 1) == Some(&b'/') {
        end -= 1;
    }
    url.get(..end).unwrap_or(url)
}

/// Whether `url` can take `/oauth/authorize?…` as written: Connect URLs are built by appending
/// to the text, so anything the URL parser would trim (spaces, controls) or that would swallow
/// the parameters (`?`, `#`) is refused rather than silently rewritten.
fn is_base_url(url: &str) -> bool {
    !url.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'?' || b == b'#')
}

/// The error for `value`, the option `name`, of the wrong kind: a `URIError` when it is text
/// no URL can carry (see [`ill_formed`]), else the `TypeError` `type_error`.
pub(crate) fn wrong_type(value: &Value, name: &str, type_error: &'static str) -> Failure {
    if value.is_ill_formed() { ill_formed(name) } else { Failure::type_error(type_error) }
}

/// The `URIError` for the option `name`, whose text holds a lone surrogate: no URL can carry
/// it. The reference's `encodeURIComponent` throws one; U+FFFD in its place would send what
/// the app never gave.
pub(crate) fn ill_formed(name: &str) -> Failure {
    let mut message = String::from("The \"");
    message.push_str(name);
    message.push_str("\" option is not well-formed text: it holds a lone surrogate (half of a UTF-16 pair)");
    Failure::owned(Class::UriError, message)
}

/// The origin of `url` when it is an absolute http(s) URL.
fn web_origin(url: &str, origin_of: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    origin_of(url).filter(|origin| smartcar_protocol::origin::is_web_origin(origin))
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
