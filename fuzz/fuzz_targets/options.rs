//! The option rules over arbitrary JS values: `options::construct`, `Settings::from_fields`
//! (on the fields the constructor sets, and on fields as the app may reassign them),
//! `call_options::AuthUrlOptions::from_raw`, then `connect_url::build`.
//!
//! Input: one line per value, in the grammar of `smartcar_fuzz::value` (`"text`, `$3`, `#1.5`,
//! `F2`, `[a|b`, `n`, `u`, ...):
//! 0. a header: its first byte's bits: 0 unused (the options were once "not an object"); 1 `clientId` was
//!    already warned about; 2 `testMode` is present (line 6), 3 `mode` is present (line 7);
//!    4 the URL gets line 19 as `app_origin` (else the page's origin when the settings ask);
//! 1. to 10. `applicationId`, `clientId`, `responseType`, `redirectUri`, `onComplete`,
//!    `testMode`, `mode`, `scope`, `externalId`, `connectUrl`;
//! 11. the `instanceId` of the reassigned fields (which take the other fields from the lines
//!     above);
//! 12. to 17. `getAuthUrl`'s `state`, `forcePrompt`, `vehicleInfo`, `singleSelect`, `flags`,
//!     `user` (`vehicleInfo` and `singleSelect`: `{<value>` an object with its key, `o` one
//!     without);
//! 18. the Connect state text; 19. the `app_origin` text.
//!
//! Checks: nothing panics; every error is one of the modules' own, with its class; the
//! constructor accepts only valid options (`responseType`, `mode`, `onComplete`, and a
//! two-parameter `onComplete` for Smartcar's hosted redirect page), and what it accepts, every
//! call accepts; the expected origin is the browser's origin of the
//! redirect URI (or of Connect's URL), always http(s); and every URL built parses, with only
//! printable ASCII and no fragment after Connect's base URL, its parameters in place.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcar_auth::call_options::{AuthUrlOptions, Nested, RawAuthUrl};
use smartcar_auth::connect_url::build;
use smartcar_auth::error::{Class, Failure};
use smartcar_auth::input::Value;
use smartcar_auth::options::{
    construct, is_smartcar_cdn_redirect, ApplicationIdFrom, Fields, RawOptions, Receiving, Settings, CDN_ON_COMPLETE_REQUIRED, DEFAULT_CONNECT_URL, INVALID_MODE,
    INVALID_RESPONSE_TYPE, MISSING_APPLICATION_ID,
};
use smartcar_fuzz::{is_web_origin, origin_of, pieces, value};
use url::Url;

const INSTANCE: &str = "0123456789abcdef0123456789abcdef";
const PAGE_ORIGIN: &str = "https://app.example.com";

/// Every error the option rules report, with its class (the private messages word for word).
const ERRORS: &[(Class, &str)] = &[
    (Class::TypeError, MISSING_APPLICATION_ID),
    (Class::TypeError, "The \"applicationId\" option must be a string (at most 65536 characters)"),
    (Class::TypeError, "The \"redirectUri\" option must be a string (at most 65536 characters)"),
    (Class::TypeError, "The \"redirectUri\" option must be an absolute http(s) URL"),
    (Class::TypeError, "The \"onComplete\" option must be a function"),
    (Class::TypeError, "The \"scope\" option must be an array of strings (at most 1024, 64 KB in all)"),
    (Class::TypeError, "The \"externalId\" option must be a string (at most 65536 characters) or null"),
    (Class::TypeError, "The \"connectUrl\" option must be an absolute http(s) URL, without a query, a fragment or spaces"),
    (Class::TypeError, "The \"instanceId\" property must be a non-empty string (at most 65536 characters)"),
    (Class::Error, INVALID_RESPONSE_TYPE),
    (Class::Error, INVALID_MODE),
    (Class::Error, CDN_ON_COMPLETE_REQUIRED),
];

const VEHICLE_INFO_TYPE: &str = "The \"vehicleInfo\" option must be an object";
const FLAGS_TYPE: &str = "The \"flags\" option must be an array of strings (at most 1024, 64 KB in all)";

fn assert_known(error: &Failure) {
    assert!(!error.message.is_empty());
    // A lone surrogate in an option bound for the URL: a URIError naming it.
    let ill_formed = error.class == Class::UriError && error.message.ends_with("\" option is not well-formed text: it holds a lone surrogate (half of a UTF-16 pair)");
    assert!(ill_formed || ERRORS.iter().any(|(class, message)| *class == error.class && *message == error.message), "unknown error {error:?}");
}

fn nested(line: Option<&str>) -> Nested {
    match line {
        Some("o") => Nested::Object(None),
        Some(l) if l.starts_with('{') => Nested::Object(Some(value(l.get(1..)))),
        _ => match value(line) {
            Value::Undefined | Value::Null => Nested::Absent,
            other => Nested::Other(other),
        },
    }
}

/// The checks every accepted set of fields passes.
fn check_settings(fields: &Fields, settings: &Settings<'_>) {
    let want = match &fields.redirect_uri {
        Value::Text(uri) if !uri.is_empty() => origin_of(uri),
        // Connect's base URL as the rules read it: without its trailing slashes.
        _ => origin_of(match &fields.connect_url {
            Value::Text(url) => url.trim_end_matches('/'),
            _ => DEFAULT_CONNECT_URL,
        }),
    };
    assert_eq!(Some(&settings.expected_origin), want.as_ref());
    assert!(is_web_origin(&settings.expected_origin), "results expected from {:?}", settings.expected_origin);
    assert!(!settings.connect_url.ends_with('/'));
    let receiving = Receiving::from_fields(fields.receiving(), &origin_of).expect("receiving reads a subset of the settings");
    assert_eq!(receiving.expected_origin, settings.expected_origin);
    assert_eq!((receiving.instance_id, receiving.connect_url), (settings.instance_id, settings.connect_url));
}

/// The URL `build` writes for `settings`, checked.
fn check_url(settings: &Settings<'_>, options: &AuthUrlOptions<'_>, state: &str, app_origin: Option<&str>) {
    let built = build(settings, options, state, app_origin);
    let tail = built.strip_prefix(settings.connect_url).expect("the URL starts with Connect's base URL");
    assert!(tail.starts_with("/oauth/authorize?response_type="), "{built:?}");
    // Every value is percent-encoded: nothing a browser would drop, rewrite or cut.
    assert!(tail.bytes().all(|b| b.is_ascii_graphic()) && !tail.contains('#'), "{built:?}");
    let url = match Url::parse(&built) {
        Ok(url) => url,
        Err(e) => panic!("the Connect URL does not parse ({e}): {built:?}"),
    };
    // Without a redirect URI, the result comes from Connect itself: the origin of this URL.
    if settings.redirect_uri.is_none() {
        assert_eq!(url.origin().ascii_serialization(), settings.expected_origin, "{built:?}");
    }
    assert!(!settings.connect_url.contains(['?', '#']), "{built:?}");
    {
        assert_eq!(url.fragment(), None, "{built:?}");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs.first().map(|(k, v)| (k.as_str(), v.as_str())), Some(("response_type", settings.response_type.as_str())), "{built:?}");
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(get("application_id"), Some(settings.application_id));
        assert_eq!(get("state"), Some(state));
        assert_eq!(get("redirect_uri"), settings.redirect_uri);
        assert_eq!(get("app_origin"), app_origin);
        assert_eq!(pairs.iter().filter(|(k, _)| k == "state").count(), 1, "{built:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let p = pieces(data, 20);
    let line = |i: usize| p.get(i).and_then(|l| l.as_deref());
    let flags = line(0).and_then(|h| h.bytes().next()).unwrap_or(0);
    let v = |i: usize| value(line(i));

    let raw = RawOptions {
        application_id: v(1),
        client_id: v(2),
        response_type: v(3),
        redirect_uri: v(4),
        on_complete: v(5),
        test_mode: (flags & 4 != 0).then(|| v(6)),
        mode: (flags & 8 != 0).then(|| v(7)),
        scope: v(8),
        external_id: v(9),
        connect_url: v(10),
    };
    let raw_auth = RawAuthUrl {
        state: v(12),
        force_prompt: v(13),
        vehicle_info: nested(line(14)),
        single_select: nested(line(15)),
        flags: v(16),
        user: v(17),
    };
    let state = line(18).unwrap_or("c3RhdGU=");
    let given_app_origin = (flags & 16 != 0).then(|| line(19).unwrap_or_default());

    let options = match AuthUrlOptions::from_raw(&raw_auth) {
        Ok(options) => Some(options),
        Err(error) if error.class == Class::UriError => {
            // A lone surrogate in a value bound for the URL.
            assert_known(&error);
            None
        }
        Err(error) => {
            // A truthy vehicleInfo that is not an object, or flags that are not strings.
            let vehicle_info = matches!(&raw_auth.vehicle_info, Nested::Other(other) if other.is_truthy());
            assert_eq!((error.class, &*error.message), (Class::TypeError, if vehicle_info { VEHICLE_INFO_TYPE } else { FLAGS_TYPE }));
            None
        }
    };
    let url_for = |settings: &Settings<'_>| {
        if let Some(options) = &options {
            let app_origin = given_app_origin.or_else(|| settings.needs_app_origin().then_some(PAGE_ORIGIN));
            check_url(settings, options, state, app_origin);
        }
    };

    // The constructor, then the fields it leaves on the instance (see the bindings' construct).
    match construct(raw.clone(), flags & 2 != 0, &origin_of) {
        Err(refused) => assert_known(&refused.failure),
        Ok(constructed) => {
            // Only valid options pass (the reference throws for the others).
            let valid_response_type = !raw.response_type.is_truthy() || matches!(raw.response_type.as_text(), Some("code" | "none"));
            assert!(valid_response_type, "accepted responseType {:?}", raw.response_type);
            if let (None, Some(mode)) = (&raw.test_mode, &raw.mode) {
                assert!(matches!(mode.as_text(), Some("test" | "live" | "simulated")), "accepted mode {mode:?}");
            }
            assert!(raw.on_complete.is_nullish() || matches!(raw.on_complete, Value::Function { .. }), "accepted onComplete {:?}", raw.on_complete);
            if raw.redirect_uri.as_text().is_some_and(is_smartcar_cdn_redirect) {
                // Smartcar's hosted page returns the result only through onComplete(error, code).
                assert!(matches!(raw.on_complete, Value::Function { arity } if arity >= 2), "accepted onComplete {:?}", raw.on_complete);
            }
            assert_eq!(constructed.application_id == ApplicationIdFrom::ClientId, !raw.application_id.is_truthy());
            let fields = Fields {
                application_id: match constructed.application_id {
                    ApplicationIdFrom::ApplicationId => raw.application_id.clone(),
                    ApplicationIdFrom::ClientId => raw.client_id.clone(),
                },
                redirect_uri: raw.redirect_uri.clone(),
                scope: raw.scope.clone(),
                mode: Value::Text(constructed.mode.as_str().into()),
                response_type: Value::Text(constructed.response_type.as_str().into()),
                external_id: raw.external_id.clone(),
                instance_id: Value::Text(INSTANCE.into()),
                connect_url: raw.connect_url.clone(),
            };
            let settings = Settings::from_fields(&fields, &origin_of).unwrap_or_else(|e| panic!("constructed, but the calls refuse its fields: {e:?}"));
            check_settings(&fields, &settings);
            url_for(&settings);
        }
    }

    // The fields as the app may have reassigned them.
    let fields = Fields {
        application_id: v(1),
        redirect_uri: v(4),
        scope: v(8),
        mode: v(7),
        response_type: v(3),
        external_id: v(9),
        instance_id: v(11),
        connect_url: v(10),
    };
    match Settings::from_fields(&fields, &origin_of) {
        Err(error) => assert_known(&error),
        Ok(settings) => {
            check_settings(&fields, &settings);
            url_for(&settings);
        }
    }
});
