#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use wasm_bindgen_test::wasm_bindgen_test;

use super::*;

/// The browser's URL parser, played by the `url` crate (a WHATWG implementation).
pub(crate) fn origin_of(url: &str) -> Option<String> {
    url::Url::parse(url).ok().map(|u| u.origin().ascii_serialization())
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn options() -> RawOptions {
    RawOptions {
        application_id: text("app"),
        client_id: Value::Undefined,
        response_type: Value::Undefined,
        redirect_uri: text("https://app.example.com/cb"),
        on_complete: Value::Function { arity: 6 },
        test_mode: None,
        mode: None,
        scope: Value::List(vec![text("read_odometer")]),
        external_id: Value::Undefined,
        connect_url: Value::Undefined,
    }
}

fn message(result: std::result::Result<Construction, Refused>) -> (Class, String) {
    let e = result.expect_err("an error").failure;
    (e.class, e.message.into_owned())
}

use crate::error::Class;

#[wasm_bindgen_test(unsupported = test)]
fn defaults() {
    let c = construct(options(), false, &origin_of).unwrap();
    assert_eq!(c, Construction { application_id: ApplicationIdFrom::ApplicationId, mode: Mode::Live, response_type: ResponseType::Code, warnings: vec![] });
}

#[wasm_bindgen_test(unsupported = test)]
fn a_missing_application_id_is_the_references_type_error() {
    for empty in [Value::Undefined, Value::Null, text(""), Value::Number { value: 0.0, text: "0".into() }] {
        let raw = RawOptions { application_id: empty, ..options() };
        assert_eq!(message(construct(raw, false, &origin_of)), (Class::TypeError, MISSING_APPLICATION_ID.into()));
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn client_id_stands_in_and_warns_once_per_page() {
    let raw = RawOptions { application_id: Value::Undefined, client_id: text("legacy"), ..options() };
    let c = construct(raw.clone(), false, &origin_of).unwrap();
    assert_eq!(c.application_id, ApplicationIdFrom::ClientId);
    assert_eq!(c.warnings, vec![CLIENT_ID_DEPRECATED]);
    assert!(construct(raw, true, &origin_of).unwrap().warnings.is_empty());
    // applicationId wins when both are given, without a warning.
    let both = RawOptions { client_id: text("legacy"), ..options() };
    assert_eq!(construct(both, false, &origin_of).unwrap().application_id, ApplicationIdFrom::ApplicationId);
}

#[wasm_bindgen_test(unsupported = test)]
fn warnings_given_before_a_refusal_are_kept() {
    // The reference warns about clientId (and testMode) before it throws for the mode.
    let raw = RawOptions { application_id: Value::Undefined, client_id: text("legacy"), mode: Some(text("prod")), ..options() };
    let refused = construct(raw, false, &origin_of).unwrap_err();
    assert_eq!((refused.failure.message.as_ref(), refused.warnings), (INVALID_MODE, vec![CLIENT_ID_DEPRECATED]));
    let old = "https://javascript-sdk.smartcar.com/redirect-2.0.0?app_origin=https://app.example.com";
    let raw = RawOptions { redirect_uri: text(old), test_mode: Some(Value::Bool(true)), on_complete: Value::Bool(true), ..options() };
    let refused = construct(raw, false, &origin_of).unwrap_err();
    assert_eq!(refused.failure.message.as_ref(), CDN_ON_COMPLETE_REQUIRED);
    assert!(refused.warnings.is_empty(), "the CDN check comes before its warning");
    let raw = RawOptions { redirect_uri: text(old), test_mode: Some(Value::Bool(true)), external_id: Value::Object, ..options() };
    assert_eq!(construct(raw, false, &origin_of).unwrap_err().warnings, vec![OUTDATED_CDN_REDIRECT, TEST_MODE_DEPRECATED]);
}

#[wasm_bindgen_test(unsupported = test)]
fn mode_and_test_mode() {
    let with_mode = |mode: Value| RawOptions { mode: Some(mode), ..options() };
    assert_eq!(construct(with_mode(text("simulated")), false, &origin_of).unwrap().mode, Mode::Simulated);
    for bad in [text("Test"), text(""), Value::Undefined, Value::Bool(true)] {
        assert_eq!(message(construct(with_mode(bad), false, &origin_of)), (Class::Error, INVALID_MODE.into()));
    }
    // testMode wins over mode, even an invalid one, and warns every time.
    let legacy = RawOptions { test_mode: Some(Value::Bool(true)), mode: Some(text("bogus")), ..options() };
    let c = construct(legacy, true, &origin_of).unwrap();
    assert_eq!((c.mode, c.warnings), (Mode::Test, vec![TEST_MODE_DEPRECATED]));
    let not_true = RawOptions { test_mode: Some(text("true")), ..options() };
    assert_eq!(construct(not_true, true, &origin_of).unwrap().mode, Mode::Live);
}

#[wasm_bindgen_test(unsupported = test)]
fn response_types() {
    let with = |v: Value| RawOptions { response_type: v, ..options() };
    assert_eq!(construct(with(text("none")), false, &origin_of).unwrap().response_type, ResponseType::None);
    assert_eq!(construct(with(text("")), false, &origin_of).unwrap().response_type, ResponseType::Code);
    assert_eq!(message(construct(with(text("token")), false, &origin_of)), (Class::Error, INVALID_RESPONSE_TYPE.into()));
    assert_eq!(message(construct(with(Value::Bool(true)), false, &origin_of)).0, Class::Error);
}

#[wasm_bindgen_test(unsupported = test)]
fn smartcars_cdn_redirect_needs_a_two_parameter_on_complete() {
    let cdn = |on_complete: Value, uri: &str| RawOptions { on_complete, redirect_uri: text(uri), ..options() };
    let uri = "https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://app.example.com";
    for bad in [Value::Undefined, Value::Null, Value::Function { arity: 1 }] {
        assert_eq!(message(construct(cdn(bad, uri), false, &origin_of)), (Class::Error, CDN_ON_COMPLETE_REQUIRED.into()));
    }
    assert!(construct(cdn(Value::Function { arity: 2 }, uri), false, &origin_of).unwrap().warnings.is_empty());
    let old = "https://javascript-sdk.smartcar.com/redirect-2.0.0?app_origin=https://app.example.com";
    assert_eq!(construct(cdn(Value::Function { arity: 2 }, old), false, &origin_of).unwrap().warnings, vec![OUTDATED_CDN_REDIRECT]);
}

#[wasm_bindgen_test(unsupported = test)]
fn options_of_the_wrong_type_name_the_option() {
    let cases: [(RawOptions, &str); 10] = [
        (RawOptions { application_id: Value::Object, ..options() }, APPLICATION_ID_TYPE),
        (RawOptions { redirect_uri: Value::Object, ..options() }, REDIRECT_URI_TYPE),
        (RawOptions { redirect_uri: text("/relative"), ..options() }, REDIRECT_URI_URL),
        (RawOptions { on_complete: text("f"), ..options() }, ON_COMPLETE_TYPE),
        (RawOptions { scope: text("read_odometer"), ..options() }, SCOPE_TYPE),
        (RawOptions { external_id: Value::Number { value: 5.0, text: "5".into() }, ..options() }, EXTERNAL_ID_TYPE),
        (RawOptions { connect_url: text("javascript:alert(1)"), ..options() }, CONNECT_URL_TYPE),
        // Built by appending to the text: what the parser would trim or swallow is refused.
        (RawOptions { connect_url: text("https://connect.example.com "), ..options() }, CONNECT_URL_TYPE),
        (RawOptions { connect_url: text("https://connect.example.com/?x=1"), ..options() }, CONNECT_URL_TYPE),
        (RawOptions { connect_url: text("https://connect.example.com/#"), ..options() }, CONNECT_URL_TYPE),
    ];
    for (raw, expected) in cases {
        assert_eq!(message(construct(raw, false, &origin_of)), (Class::TypeError, expected.into()));
    }
}

fn fields() -> Fields {
    Fields {
        application_id: text("app"),
        redirect_uri: text("https://redirect.example.com/cb?app_origin=https://app.example.com"),
        scope: Value::List(vec![text("read_odometer"), text("read_vin")]),
        mode: text("test"),
        response_type: text("code"),
        external_id: Value::Null,
        instance_id: text("id"),
        connect_url: Value::Undefined,
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn settings_follow_the_fields() {
    let given = fields();
    let s = Settings::from_fields(&given, &origin_of).unwrap();
    assert_eq!(s.expected_origin, "https://redirect.example.com");
    assert_eq!(s.scope, Some(vec!["read_odometer", "read_vin"]));
    assert_eq!((s.mode, s.external_id), (Mode::Test, ExternalId::Null));
    assert_eq!(s.connect_url, DEFAULT_CONNECT_URL);
    assert!(!s.needs_app_origin());

    // Without a redirect URI, results come from Connect's own origin.
    let local = Fields { redirect_uri: Value::Undefined, connect_url: text("http://localhost:8002//"), response_type: text("none"), ..fields() };
    let s = Settings::from_fields(&local, &origin_of).unwrap();
    assert_eq!((s.connect_url, s.expected_origin.as_str()), ("http://localhost:8002", "http://localhost:8002"));
    assert!(s.needs_app_origin());
    // An empty list of scopes is sent as an empty parameter; a falsy one is left out.
    let empty = Fields { scope: Value::List(vec![]), ..fields() };
    assert_eq!(Settings::from_fields(&empty, &origin_of).unwrap().scope, Some(vec![]));
    let falsy = Fields { scope: text(""), ..fields() };
    assert_eq!(Settings::from_fields(&falsy, &origin_of).unwrap().scope, None);
}

#[wasm_bindgen_test(unsupported = test)]
fn reassigned_fields_are_checked_when_used() {
    let bad = |f: Fields| Settings::from_fields(&f, &origin_of).map(|_| ()).expect_err("refused");
    assert_eq!(bad(Fields { mode: text("prod"), ..fields() }).message, INVALID_MODE);
    assert_eq!(bad(Fields { response_type: text("token"), ..fields() }).message, INVALID_RESPONSE_TYPE);
    assert_eq!(bad(Fields { scope: text("read_odometer"), ..fields() }).message, SCOPE_TYPE);
    assert_eq!(bad(Fields { instance_id: Value::Number { value: 1.0, text: "1".into() }, ..fields() }).message, INSTANCE_ID_TYPE);
    assert_eq!(bad(Fields { application_id: text(""), ..fields() }).message, MISSING_APPLICATION_ID);
    assert_eq!(bad(Fields { redirect_uri: text("ftp://files.example.com/"), ..fields() }).message, REDIRECT_URI_URL);
}

#[wasm_bindgen_test(unsupported = test)]
fn cdn_redirect_schemes() {
    assert!(is_smartcar_cdn_redirect("https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://a.com"));
    assert!(!is_smartcar_cdn_redirect("http://javascript-sdk.smartcar.com/"));
    assert!(uses_outdated_cdn_scheme("https://javascript-sdk.smartcar.com/redirect-2.0.0?app_origin=https://a.com"));
    assert!(uses_outdated_cdn_scheme("redirect-1.22.333?"));
    assert!(uses_outdated_cdn_scheme("xredirect-redirect-1.2.3?"));
    assert!(uses_outdated_cdn_scheme("redirect-1.2redirect-1.2.3?"));
    for not in ["https://javascript-sdk.smartcar.com/v2/redirect?x", "redirect-1.2.3", "redirect-1.2.?", "redirect-1..3?", "redirect-.1.2.3?", "redirect-1.2.3.4?", "redirect-a.2.3?", "Redirect-1.2.3?", "redirect-", "é redirect-١.2.3?"] {
        assert!(!uses_outdated_cdn_scheme(not), "{not}");
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn a_lone_surrogate_bound_for_the_url_is_a_uri_error_naming_the_option() {
    let ill = || Value::IllFormedText;
    let named = |name: &str| (Class::UriError, format!("The \"{name}\" option is not well-formed text: it holds a lone surrogate (half of a UTF-16 pair)"));
    for (raw, name) in [
        (RawOptions { application_id: ill(), ..options() }, "applicationId"),
        (RawOptions { redirect_uri: ill(), ..options() }, "redirectUri"),
        (RawOptions { scope: Value::List(vec![text("read_odometer"), ill()]), ..options() }, "scope"),
        (RawOptions { external_id: ill(), ..options() }, "externalId"),
        (RawOptions { connect_url: ill(), ..options() }, "connectUrl"),
    ] {
        assert_eq!(message(construct(raw, false, &origin_of)), named(name));
    }
    // A field reassigned afterwards, when a call reads it.
    let fields = Fields {
        application_id: text("app"), redirect_uri: text("https://app.example.com/cb"), scope: Value::Undefined, mode: text("live"),
        response_type: text("code"), external_id: Value::Undefined, instance_id: ill(), connect_url: Value::Undefined,
    };
    let e = Settings::from_fields(&fields, &origin_of).unwrap_err();
    assert_eq!((e.class, e.message.into_owned()), named("instanceId"));
    // Well-formed text past the BMP is fine.
    assert!(construct(RawOptions { external_id: text("car \u{1F697}"), ..options() }, false, &origin_of).is_ok());
}
