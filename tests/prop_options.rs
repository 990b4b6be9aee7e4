//! Property tests of the constructor's options and the instance's settings
//! (`options::construct`, `Settings::from_fields`, `Receiving::from_fields`) over arbitrary JS
//! values: they never panic; every error is a `TypeError` or an `Error` with one of the
//! module's messages, word for word (apps match on them); whatever the constructor accepts, the
//! calls accept too; and the one origin a result may come from is the browser's origin of the
//! redirect URI (or of Connect's URL without one), always an http(s) origin.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use smartcar_auth::error::{Class, Failure};
use smartcar_auth::input::Value;
use smartcar_auth::options::{
    construct, is_smartcar_cdn_redirect, uses_outdated_cdn_scheme, ApplicationIdFrom, ExternalId, Fields, Mode, RawOptions, Receiving, ResponseType,
    Settings, CDN_ON_COMPLETE_REQUIRED, CLIENT_ID_DEPRECATED, DEFAULT_CONNECT_URL, INVALID_MODE, INVALID_RESPONSE_TYPE, MISSING_APPLICATION_ID,
    OUTDATED_CDN_REDIRECT, TEST_MODE_DEPRECATED,
};
use url::Url;

/// `n` cases, or `PROPTEST_CASES` when set (for the longer runs in SECURITY.md).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n))
}

/// The browser's URL parser, played by the `url` crate (a WHATWG implementation).
fn origin_of(url: &str) -> Option<String> {
    Url::parse(url).ok().map(|u| u.origin().ascii_serialization())
}

// The module's private messages, word for word (an app may match on them).
const APPLICATION_ID_TYPE: &str = "The \"applicationId\" option must be a string (at most 65536 characters)";
const REDIRECT_URI_TYPE: &str = "The \"redirectUri\" option must be a string (at most 65536 characters)";
const REDIRECT_URI_URL: &str = "The \"redirectUri\" option must be an absolute http(s) URL";
const ON_COMPLETE_TYPE: &str = "The \"onComplete\" option must be a function";
const SCOPE_TYPE: &str = "The \"scope\" option must be an array of strings (at most 1024, 64 KB in all)";
const EXTERNAL_ID_TYPE: &str = "The \"externalId\" option must be a string (at most 65536 characters) or null";
const CONNECT_URL_TYPE: &str = "The \"connectUrl\" option must be an absolute http(s) URL, without a query, a fragment or spaces";
const INSTANCE_ID_TYPE: &str = "The \"instanceId\" property must be a non-empty string (at most 65536 characters)";

/// Every error the module may report, with its class.
const ERRORS: &[(Class, &str)] = &[
    (Class::TypeError, MISSING_APPLICATION_ID),
    (Class::TypeError, APPLICATION_ID_TYPE),
    (Class::TypeError, REDIRECT_URI_TYPE),
    (Class::TypeError, REDIRECT_URI_URL),
    (Class::TypeError, ON_COMPLETE_TYPE),
    (Class::TypeError, SCOPE_TYPE),
    (Class::TypeError, EXTERNAL_ID_TYPE),
    (Class::TypeError, CONNECT_URL_TYPE),
    (Class::TypeError, INSTANCE_ID_TYPE),
    (Class::Error, INVALID_RESPONSE_TYPE),
    (Class::Error, INVALID_MODE),
    (Class::Error, CDN_ON_COMPLETE_REQUIRED),
];

/// The options whose text is written into the Connect URL, each named in the `URIError` for a
/// lone surrogate in it.
const URL_BOUND: &[&str] = &["applicationId", "redirectUri", "scope", "externalId", "instanceId", "connectUrl"];

fn assert_known(error: &Failure) -> Result<(), TestCaseError> {
    prop_assert!(!error.message.is_empty());
    let ill_formed = |name: &&str| error.message == format!("The \"{name}\" option is not well-formed text: it holds a lone surrogate (half of a UTF-16 pair)");
    let known = ERRORS.iter().any(|(class, message)| *class == error.class && *message == error.message)
        || (error.class == Class::UriError && URL_BOUND.iter().any(ill_formed));
    prop_assert!(known, "{:?}", error);
    Ok(())
}

/// Texts an app might pass, and texts a URL parser reads in surprising ways.
const TEXTS: &[&str] = &[
    "", "app", "8229df9f-91a0-4ff0-a1ae-a1f38ee24d07", "code", "none", "token", "Code", "test", "live", "simulated", "Test", "0", "true",
    "read_odometer", "read_vin", "https://app.example.com/cb", "https://app.example.com", "http://localhost:8000/cb?x=1#y",
    "http://127.0.0.1:8000", "http://[::1]:8002//", "HTTPS://APP.Example.COM:443/cb", "https://user:pw@app.example.com:8443/x?y#z",
    "https://xn--bcher-kva.de/", "https://bücher.de/", "https://connect.smartcar.com", "https://connect.smartcar.com/",
    "https://connect.example.com/base///", "https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://app.example.com",
    "https://javascript-sdk.smartcar.com/redirect-2.0.0?app_origin=https://app.example.com", "https://javascript-sdk.smartcar.com",
    "javascript:alert(1)", "data:text/html,x", "blob:https://app.example.com/1", "file:///etc/passwd", "ftp://files.example.com/",
    "wss://app.example.com/", "/relative", "//app.example.com/cb", "app.example.com", "https:", "https://", "http://%zz/",
    " https://app.example.com/cb ", "\thttps://app.exa\nmple.com/cb", "https:\\\\app.example.com\\cb", "https://app.example.com:99999/",
    "https://[::1", "null", "undefined", "\u{0}", "é", "😀",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TEXTS).prop_map(String::from),
        1 => any::<String>(),
        // A URL with something in its path, host or port.
        1 => ("https?", "[a-z0-9.-]{0,12}", prop::option::of(0u32..70000), "[/?#a-z%:@ ]{0,10}")
            .prop_map(|(scheme, host, port, rest)| format!("{scheme}://{host}{}{rest}", port.map(|p| format!(":{p}")).unwrap_or_default())),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![Just(0.0), Just(-0.0), Just(1.0), Just(f64::NAN), Just(f64::INFINITY), any::<f64>()].prop_map(|value| Value::Number {
        value,
        text: if value.is_nan() { "NaN".into() } else { format!("{value}") },
    })
}

/// Any JS value as the rules see it, weighted towards the ones options are made of.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Undefined),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => number(),
        6 => text().prop_map(Value::Text),
        1 => (0u32..5).prop_map(|arity| Value::Function { arity }),
        1 => Just(Value::Object),
        1 => Just(Value::Other),
        1 => Just(Value::IllFormedText),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            2 => prop::collection::vec(text().prop_map(Value::Text), 0..4).prop_map(Value::List),
            1 => Just(Value::List(vec![Value::Text("read_odometer".into()), Value::IllFormedText])),
            1 => prop::collection::vec(inner, 0..4).prop_map(Value::List),
        ]
    })
}

/// A value, more often one that passes, so that the later rules are reached too.
fn mostly(valid: impl Strategy<Value = Value> + 'static) -> impl Strategy<Value = Value> {
    prop_oneof![8 => valid.boxed(), 1 => value().boxed()]
}

fn texts(items: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::sample::select(items).prop_map(|s| Value::Text(s.into()))
}

/// Absolute http(s) URLs, some of them unusual.
const WEB_URLS: &[&str] = &[
    "https://app.example.com/cb", "https://app.example.com", "http://localhost:8000/cb?x=1#y", "http://127.0.0.1:8000",
    "http://[::1]:8002//", "HTTPS://APP.Example.COM:443/cb", "https://user:pw@app.example.com:8443/x?y#z", "https://xn--bcher-kva.de/",
    "https://bücher.de/", "https://connect.smartcar.com/", "https://connect.example.com/base///", "http://0x7f.1/",
    "https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://app.example.com",
    "https://javascript-sdk.smartcar.com/redirect-2.0.0?app_origin=https://app.example.com", " https://app.example.com/cb ",
    "\thttps://app.exa\nmple.com/cb", "https:\\\\app.example.com\\cb", "https:app.example.com", "http://app.example.com:80/",
];

/// A URL option: absent, `null`, or a text (mostly an absolute http(s) URL).
fn url_option() -> impl Strategy<Value = Value> {
    prop_oneof![2 => Just(Value::Undefined), 1 => Just(Value::Null), 4 => texts(WEB_URLS), 2 => text().prop_map(Value::Text)]
}

fn scope() -> impl Strategy<Value = Value> {
    prop_oneof![Just(Value::Undefined), prop::collection::vec(text().prop_map(Value::Text), 0..3).prop_map(Value::List)]
}

fn external_id() -> impl Strategy<Value = Value> {
    prop_oneof![2 => Just(Value::Undefined), 1 => Just(Value::Null), 1 => text().prop_map(Value::Text)]
}

fn raw_options() -> impl Strategy<Value = RawOptions> {
    (
        mostly(prop_oneof![4 => texts(&["app", "8229df9f"]), 1 => Just(Value::Undefined)]),
        prop_oneof![2 => Just(Value::Undefined), 2 => texts(&["legacy"]), 1 => value()],
        mostly(prop_oneof![Just(Value::Undefined), texts(&["code", "none", ""])]),
        mostly(url_option()),
        mostly(prop_oneof![Just(Value::Undefined), (0u32..4).prop_map(|arity| Value::Function { arity })]),
        prop_oneof![3 => Just(None), 1 => value().prop_map(Some)],
        prop::option::of(mostly(texts(&["test", "live", "simulated"]))),
        mostly(scope()),
        mostly(external_id()),
        mostly(url_option()),
    )
        .prop_map(|(application_id, client_id, response_type, redirect_uri, on_complete, test_mode, mode, scope, external_id, connect_url)| RawOptions {
            application_id,
            client_id,
            response_type,
            redirect_uri,
            on_complete,
            test_mode,
            mode,
            scope,
            external_id,
            connect_url,
        })
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        mostly(texts(&["app", "8229df9f"])),
        mostly(url_option()),
        mostly(scope()),
        mostly(texts(&["test", "live", "simulated"])),
        mostly(texts(&["code", "none"])),
        mostly(external_id()),
        mostly("[0-9a-f]{32}".prop_map(Value::Text)),
        mostly(url_option()),
    )
        .prop_map(|(application_id, redirect_uri, scope, mode, response_type, external_id, instance_id, connect_url)| Fields {
            application_id,
            redirect_uri,
            scope,
            mode,
            response_type,
            external_id,
            instance_id,
            connect_url,
        })
}

/// Whether `origin` is an http(s) origin as the browser serialises one: it parses, and is its
/// own origin.
fn is_web_origin(origin: &str) -> bool {
    Url::parse(origin).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.origin().ascii_serialization() == origin)
}

/// The checks every accepted set of fields passes.
fn assert_settings(fields: &Fields, settings: &Settings<'_>) -> Result<(), TestCaseError> {
    // Results come only from the redirect URI's origin, or from Connect's without one.
    let want = match &fields.redirect_uri {
        Value::Text(uri) if !uri.is_empty() => origin_of(uri),
        // Connect's base URL as the rules read it: without its trailing slashes.
        _ => origin_of(match &fields.connect_url {
            Value::Text(url) => url.trim_end_matches('/'),
            Value::Undefined => DEFAULT_CONNECT_URL,
            other => return Err(TestCaseError::fail(format!("accepted connectUrl {other:?}"))),
        }),
    };
    prop_assert_eq!(Some(&settings.expected_origin), want.as_ref());
    prop_assert!(is_web_origin(&settings.expected_origin), "{:?}", settings.expected_origin);
    prop_assert_eq!(settings.redirect_uri.is_some(), fields.redirect_uri.is_truthy());

    // The values are the fields' own.
    prop_assert_eq!(Some(settings.application_id), fields.application_id.as_text());
    prop_assert!(!settings.application_id.is_empty());
    prop_assert_eq!(Some(settings.instance_id), fields.instance_id.as_text());
    prop_assert!(!settings.connect_url.ends_with('/'));
    // Connect URLs are built by appending to it: nothing a parser would trim or that would
    // swallow the parameters.
    prop_assert!(!settings.connect_url.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'?' || b == b'#'));
    match &fields.connect_url {
        Value::Text(url) => prop_assert_eq!(settings.connect_url, url.trim_end_matches('/')),
        other => {
            prop_assert_eq!(other, &Value::Undefined);
            prop_assert_eq!(settings.connect_url, DEFAULT_CONNECT_URL);
        }
    }
    prop_assert_eq!(origin_of(settings.connect_url).map(|o| is_web_origin(&o)), Some(true));
    prop_assert_eq!(&settings.scope, &fields.scope.is_truthy().then(|| fields.scope.text_list().unwrap()));
    prop_assert_eq!(Some(settings.mode.as_str()), fields.mode.as_text());
    let response_type = fields.response_type.as_text().filter(|t| !t.is_empty()).unwrap_or("code");
    prop_assert_eq!(settings.response_type.as_str(), response_type);
    let external_id = match &fields.external_id {
        Value::Undefined => ExternalId::Unset,
        Value::Null => ExternalId::Null,
        other => ExternalId::Value(other.as_text().unwrap()),
    };
    prop_assert_eq!(settings.external_id, external_id);

    // Receiving a result reads the same instance, Connect URL and origin.
    let receiving = Receiving::from_fields(fields.receiving(), &origin_of).unwrap();
    prop_assert_eq!(
        receiving,
        Receiving { instance_id: settings.instance_id, connect_url: settings.connect_url, expected_origin: settings.expected_origin.clone() }
    );
    Ok(())
}

proptest! {
    #![proptest_config(cases(1024))]

    /// The constructor never panics; it fails only with one of its messages; and whatever it
    /// accepts, every call accepts too (the fields it sets pass `Settings::from_fields`).
    #[test]
    fn construct_accepts_only_what_the_calls_accept(raw in raw_options(), warned in any::<bool>(), instance in "[0-9a-f]{32}") {
        let given = raw.clone();
        let constructed = match construct(raw, warned, &origin_of) {
            Err(refused) => {
                // The reference's checks that come before any warning refuse without one.
                let first = [MISSING_APPLICATION_ID, INVALID_RESPONSE_TYPE, CDN_ON_COMPLETE_REQUIRED];
                if first.contains(&&*refused.failure.message) {
                    prop_assert!(refused.warnings.is_empty(), "{:?}", refused);
                }
                return assert_known(&refused.failure);
            }
            Ok(c) => c,
        };

        // The fields the instance ends up with (see the bindings' `construct`).
        let fields = Fields {
            application_id: match constructed.application_id {
                ApplicationIdFrom::ApplicationId => given.application_id.clone(),
                ApplicationIdFrom::ClientId => given.client_id.clone(),
            },
            redirect_uri: given.redirect_uri.clone(),
            scope: given.scope.clone(),
            mode: Value::Text(constructed.mode.as_str().into()),
            response_type: Value::Text(constructed.response_type.as_str().into()),
            external_id: given.external_id.clone(),
            instance_id: Value::Text(instance),
            connect_url: given.connect_url.clone(),
        };
        let settings = Settings::from_fields(&fields, &origin_of);
        prop_assert!(settings.is_ok(), "constructed, but the calls refuse its fields: {:?}", settings);
        assert_settings(&fields, &settings.unwrap())?;

        // The reference's rules, as an app sees them.
        prop_assert_eq!(constructed.application_id == ApplicationIdFrom::ClientId, !given.application_id.is_truthy());
        let mode = match (&given.test_mode, &given.mode) {
            (Some(Value::Bool(true)), _) => Mode::Test,
            (Some(_), _) | (None, None) => Mode::Live,
            (None, Some(mode)) => match mode.as_text() {
                Some("test") => Mode::Test,
                Some("simulated") => Mode::Simulated,
                _ => Mode::Live,
            },
        };
        prop_assert_eq!(constructed.mode, mode);
        prop_assert_eq!(constructed.response_type == ResponseType::None, given.response_type.as_text() == Some("none"));
        // Only valid options pass (the reference throws for the others).
        prop_assert!(!given.response_type.is_truthy() || matches!(given.response_type.as_text(), Some("code" | "none")), "{:?}", given.response_type);
        if given.test_mode.is_none() {
            if let Some(mode) = &given.mode {
                prop_assert!(matches!(mode.as_text(), Some("test" | "live" | "simulated")), "{:?}", mode);
            }
        }
        prop_assert!(given.on_complete.is_nullish() || matches!(given.on_complete, Value::Function { .. }), "{:?}", given.on_complete);
        let redirect = given.redirect_uri.as_text().filter(|u| !u.is_empty());
        if redirect.is_some_and(is_smartcar_cdn_redirect) {
            // Smartcar's hosted page returns the result only through onComplete(error, code).
            let two_parameters = matches!(given.on_complete, Value::Function { arity } if arity >= 2);
            prop_assert!(two_parameters, "onComplete: {:?}", given.on_complete);
        }
        let mut warnings = Vec::new();
        if redirect.is_some_and(|u| is_smartcar_cdn_redirect(u) && uses_outdated_cdn_scheme(u)) {
            warnings.push(OUTDATED_CDN_REDIRECT);
        }
        if constructed.application_id == ApplicationIdFrom::ClientId && !warned {
            warnings.push(CLIENT_ID_DEPRECATED);
        }
        if given.test_mode.is_some() {
            warnings.push(TEST_MODE_DEPRECATED);
        }
        prop_assert_eq!(constructed.warnings, warnings);
    }

    /// The fields as a call reads them (the app may have reassigned any of them): never a
    /// panic, only the module's messages, and what passes is what the fields say.
    #[test]
    fn settings_come_only_from_valid_fields(fields in fields()) {
        match Settings::from_fields(&fields, &origin_of) {
            Err(error) => {
                assert_known(&error)?;
                prop_assert!(error.message != CDN_ON_COMPLETE_REQUIRED && error.message != ON_COMPLETE_TYPE);
            }
            Ok(settings) => assert_settings(&fields, &settings)?,
        }
        // What receiving needs never fails where the whole settings pass, and fails only with
        // its own messages.
        if let Err(error) = Receiving::from_fields(fields.receiving(), &origin_of) {
            let ill_formed = error.class == Class::UriError && ["redirectUri", "instanceId", "connectUrl"].iter().any(|name| error.message.contains(&format!("\"{name}\"")));
            prop_assert!(ill_formed || [INSTANCE_ID_TYPE, CONNECT_URL_TYPE, REDIRECT_URI_URL, REDIRECT_URI_TYPE].contains(&&*error.message), "{:?}", error);
            prop_assert!(Settings::from_fields(&fields, &origin_of).is_err());
        }
    }

    /// With Smartcar's hosted redirect page, the result reaches the app only through
    /// `onComplete(error, code)`: the constructor refuses anything else, whatever the page's
    /// URL looks like after its prefix.
    #[test]
    fn smartcars_hosted_page_needs_a_two_parameter_on_complete(
        rest in prop_oneof![Just("/v2/redirect?app_origin=https://app.example.com".to_owned()), Just("/redirect-2.0.0?app_origin=https://a.example".to_owned()), "[/?=a-z0-9.-]{0,30}"],
        on_complete in prop_oneof![(0u32..5).prop_map(|arity| Value::Function { arity }), value()],
        client_id in any::<bool>(),
    ) {
        let uri = format!("https://javascript-sdk.smartcar.com{rest}");
        prop_assume!(origin_of(&uri).is_some());
        let (application_id, client) = if client_id { (Value::Undefined, Value::Text("legacy".into())) } else { (Value::Text("app".into()), Value::Undefined) };
        let raw = RawOptions { application_id, client_id: client, redirect_uri: Value::Text(uri.clone()), on_complete: on_complete.clone(), ..RawOptions::default() };
        let two = matches!(on_complete, Value::Function { arity } if arity >= 2);
        match construct(raw, true, &origin_of) {
            Ok(c) => {
                prop_assert!(two, "accepted onComplete {:?}", on_complete);
                prop_assert_eq!(c.warnings.contains(&OUTDATED_CDN_REDIRECT), uses_outdated_cdn_scheme(&uri));
            }
            Err(refused) => {
                prop_assert!(!two, "{:?}", refused);
                prop_assert_eq!((refused.failure.class, &*refused.failure.message), (Class::Error, CDN_ON_COMPLETE_REQUIRED));
            }
        }
    }
}
