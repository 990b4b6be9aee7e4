//! Property test of the Connect URL (`connect_url::build`): for any settings, call options,
//! state and app origin, the URL parses back (with the `url` crate, a WHATWG URL parser, as
//! `URLSearchParams` would read it at Connect) to exactly those values, under the documented
//! names, in the documented order: `response_type, application_id, redirect_uri,
//! approval_prompt, scope, mode, single_select_vin, single_select, state, make, flags, user,
//! external_id, app_origin`, with nothing else (no fragment, no parameter injected by a value).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use smartcar_auth::call_options::{AuthUrlOptions, SingleSelect};
use smartcar_auth::connect_url::{build, encode_component};
use smartcar_auth::input::Value;
use smartcar_auth::options::{ExternalId, Fields, Mode, ResponseType, Settings};
use url::Url;

/// `n` cases, or `PROPTEST_CASES` when set (for the longer runs in SECURITY.md).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n))
}

/// The browser's URL parser, played by the `url` crate.
fn origin_of(url: &str) -> Option<String> {
    Url::parse(url).ok().map(|u| u.origin().ascii_serialization())
}

/// The characters a query string (or a URL parser) gives meaning to, and a few others.
const AWKWARD: &[&str] = &[
    "&", "=", "+", "%", "%20", "%2", "?", "#", " ", "/", "\\", ";", "a", "Z", "0", "é", "😀", "\u{0}", "\t", "\n", "\r",
    "\u{2028}", "\u{feff}", "\u{fffd}", "null", "undefined", "app_origin=https://evil.example", "&state=x", "[", "]",
];

/// Any text, weighted towards the characters a query string gives meaning to.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => prop::collection::vec(prop::sample::select(AWKWARD), 0..12).prop_map(|v| v.concat()),
    ]
}

/// Connect's base URL as [`Settings`] holds it: absolute http(s), without trailing slashes.
const BASES: &[&str] = &[
    "https://connect.smartcar.com",
    "http://127.0.0.1:8080",
    "http://localhost:3000/connect",
    "https://connect.example.com/a/b",
    "http://[::1]:8002",
    "https://xn--bcher-kva.de",
];

/// Everything the URL is built from, owned (the strategy's value; the test borrows it).
#[derive(Debug, Clone)]
struct Input {
    connect_url: &'static str,
    response_type: ResponseType,
    application_id: String,
    redirect_uri: Option<String>,
    scope: Option<Vec<String>>,
    mode: Mode,
    external_id: Option<Option<String>>,
    force_prompt: bool,
    single_select: SingleSelect,
    make: Option<String>,
    flags: Option<Vec<String>>,
    user: Option<String>,
    state: String,
    app_origin: Option<String>,
}

fn input() -> impl Strategy<Value = Input> {
    let settings = (
        prop::sample::select(BASES),
        prop_oneof![Just(ResponseType::Code), Just(ResponseType::None)],
        text(),
        prop::option::of(text()),
        prop::option::of(prop::collection::vec(text(), 0..4)),
        prop_oneof![Just(Mode::Live), Just(Mode::Test), Just(Mode::Simulated)],
        prop::option::of(prop::option::of(text())),
    );
    let single_select = prop_oneof![
        Just(SingleSelect::Absent),
        any::<bool>().prop_map(SingleSelect::Flag),
        text().prop_map(SingleSelect::Vin),
        Just(SingleSelect::NoVin),
    ];
    let call = (
        any::<bool>(),
        single_select,
        prop::option::of(text()),
        prop::option::of(prop::collection::vec(text(), 0..4)),
        // `AuthUrlOptions::from_raw` never gives an empty user (a falsy one is left out).
        prop::option::of(text().prop_filter("non-empty", |u| !u.is_empty())),
        // The state is base64 in practice; any text must survive all the same.
        prop_oneof![text(), "[A-Za-z0-9+/=]{0,80}"],
        prop::option::of(text()),
    );
    (settings, call).prop_map(
        |((connect_url, response_type, application_id, redirect_uri, scope, mode, external_id), (force_prompt, single_select, make, flags, user, state, app_origin))| Input {
            connect_url,
            response_type,
            application_id,
            redirect_uri,
            scope,
            mode,
            external_id,
            force_prompt,
            single_select,
            make,
            flags,
            user,
            state,
            app_origin,
        },
    )
}

/// The settings `input` stands for, borrowing from it.
fn settings(input: &Input) -> Settings<'_> {
    Settings {
        application_id: &input.application_id,
        redirect_uri: input.redirect_uri.as_deref(),
        scope: input.scope.as_ref().map(|s| s.iter().map(String::as_str).collect()),
        mode: input.mode,
        response_type: input.response_type,
        external_id: match &input.external_id {
            None => ExternalId::Unset,
            Some(None) => ExternalId::Null,
            Some(Some(id)) => ExternalId::Value(id),
        },
        instance_id: "0123456789abcdef0123456789abcdef",
        connect_url: input.connect_url,
        expected_origin: origin_of(input.connect_url).unwrap(),
    }
}

fn options(input: &Input) -> AuthUrlOptions<'_> {
    AuthUrlOptions {
        sends_state: false,
        force_prompt: input.force_prompt,
        single_select: input.single_select.clone(),
        make: input.make.clone(),
        flags: input.flags.as_ref().map(|f| f.iter().map(String::as_str).collect()),
        user: input.user.clone(),
    }
}

/// The parameters the URL must carry, in order, computed from the documented rules.
fn expected(input: &Input) -> Vec<(String, String)> {
    let mut out: Vec<(&str, String)> =
        vec![("response_type", input.response_type.as_str().to_owned()), ("application_id", input.application_id.clone())];
    if let Some(uri) = &input.redirect_uri {
        out.push(("redirect_uri", uri.clone()));
    }
    out.push(("approval_prompt", if input.force_prompt { "force" } else { "auto" }.to_owned()));
    if let Some(scope) = &input.scope {
        out.push(("scope", scope.join(" ")));
    }
    out.push(("mode", input.mode.as_str().to_owned()));
    match &input.single_select {
        SingleSelect::Absent => {}
        SingleSelect::Flag(flag) => out.push(("single_select", flag.to_string())),
        SingleSelect::Vin(vin) => {
            out.push(("single_select_vin", vin.clone()));
            out.push(("single_select", "true".to_owned()));
        }
        SingleSelect::NoVin => out.push(("single_select", "false".to_owned())),
    }
    out.push(("state", input.state.clone()));
    if let Some(make) = &input.make {
        out.push(("make", make.clone()));
    }
    if let Some(flags) = &input.flags {
        out.push(("flags", flags.join(" ")));
    }
    if let Some(user) = &input.user {
        out.push(("user", user.clone()));
    }
    match &input.external_id {
        None => {}
        Some(None) => out.push(("external_id", "null".to_owned())),
        Some(Some(id)) => out.push(("external_id", id.clone())),
    }
    if let Some(origin) = &input.app_origin {
        out.push(("app_origin", origin.clone()));
    }
    out.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// JS `encodeURIComponent`, written out: everything but its unreserved set as `%XX` of UTF-8.
fn encode_uri_component(value: &str) -> String {
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b);
    value.bytes().map(|b| if unreserved(b) { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

/// The state as the URL holds it: base64 raw as the reference writes it, each `+` as `%2B`
/// (any other text, never the SDK's, through `encodeURIComponent` but for `/` and `=`).
fn state_as_written(value: &str) -> String {
    encode_uri_component(value).replace("%2F", "/").replace("%3D", "=")
}

/// The checks every built URL must pass, whatever it was built from.
fn assert_parses_back(built: &str, connect_url: &str, expected: &[(String, String)]) -> Result<(), TestCaseError> {
    // Plain printable ASCII, with nothing a browser would rewrite or cut: no fragment, no
    // spaces, no control characters (which the URL parser would silently drop).
    prop_assert!(built.bytes().all(|b| b.is_ascii_graphic()), "{}", built);
    prop_assert!(!built.contains('#'), "{}", built);
    prop_assert!(built.starts_with(&format!("{connect_url}/oauth/authorize?response_type=")), "{}", built);

    let url = Url::parse(built).unwrap();
    let base = Url::parse(connect_url).unwrap();
    prop_assert_eq!(url.origin(), base.origin());
    prop_assert_eq!(url.path(), format!("{}/oauth/authorize", base.path().trim_end_matches('/')));
    prop_assert_eq!(url.fragment(), None);
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    prop_assert_eq!(&pairs, &expected);
    // Byte for byte what the reference writes, every value through `encodeURIComponent`
    // (scopes and flags joined with a space first, so `%20` between them), but the base64
    // state, written as the reference writes it, but for its `+`.
    let query: Vec<String> = expected
        .iter()
        .map(|(k, v)| if k == "state" { format!("state={}", state_as_written(v)) } else { format!("{k}={}", encode_uri_component(v)) })
        .collect();
    // (Compared with the text as built: the URL parser would escape `'` in a special URL's query.)
    let (head, joined) = (format!("{connect_url}/oauth/authorize?"), query.join("&"));
    prop_assert_eq!(built.strip_prefix(&head), Some(joined.as_str()));
    Ok(())
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn any_settings_parse_back_exactly_in_the_documented_order(input in input()) {
        let settings = settings(&input);
        let options = options(&input);
        let built = build(&settings, &options, &input.state, input.app_origin.as_deref());
        assert_parses_back(&built, input.connect_url, &expected(&input))?;
    }

    /// The same through the instance's fields as the app holds them: `Settings::from_fields`
    /// (trailing slashes of `connectUrl` dropped, scopes read from a JS array) then `build`.
    #[test]
    fn the_instances_fields_parse_back_too(
        input in input(),
        slashes in 0usize..3,
        redirect in prop::option::of(prop::sample::select(vec![
            "https://app.example.com/callback?x=1&app_origin=https://app.example.com",
            "http://localhost:8000/a b/é?#",
            "https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://app.example.com",
        ])),
    ) {
        let fields = Fields {
            application_id: Value::Text(format!("a{}", input.application_id)),
            redirect_uri: redirect.map_or(Value::Undefined, |r| Value::Text(r.to_owned())),
            scope: input.scope.as_ref().map_or(Value::Undefined, |s| Value::List(s.iter().cloned().map(Value::Text).collect())),
            mode: Value::Text(input.mode.as_str().to_owned()),
            response_type: Value::Text(input.response_type.as_str().to_owned()),
            external_id: match &input.external_id {
                None => Value::Undefined,
                Some(None) => Value::Null,
                Some(Some(id)) => Value::Text(id.clone()),
            },
            instance_id: Value::Text("0123456789abcdef0123456789abcdef".into()),
            connect_url: Value::Text(format!("{}{}", input.connect_url, "/".repeat(slashes))),
        };
        let settings = Settings::from_fields(&fields, &origin_of).unwrap();
        prop_assert_eq!(settings.connect_url, input.connect_url);
        let app_origin = settings.needs_app_origin().then_some("https://app.example.com");
        let built = build(&settings, &options(&input), &input.state, app_origin);

        // An empty array is truthy: `scope=` is sent, as `expected` writes it.
        let want = Input {
            application_id: format!("a{}", input.application_id),
            redirect_uri: redirect.map(str::to_owned),
            app_origin: app_origin.map(str::to_owned),
            ..input.clone()
        };
        assert_parses_back(&built, input.connect_url, &expected(&want))?;
        // Connect posts the result itself only without a redirect URI, for response type none.
        prop_assert_eq!(app_origin.is_some(), redirect.is_none() && input.response_type == ResponseType::None);
    }

    /// `encode_component` is `encodeURIComponent`: only its unreserved set stays as it is, and
    /// what it writes decodes (as URLSearchParams decodes) to the input.
    #[test]
    fn encode_component_is_encode_uri_component(value in text()) {
        let mut out = String::new();
        encode_component(&value, &mut out);
        prop_assert_eq!(&out, &encode_uri_component(&value));
        let decoded: Vec<(String, String)> = url::form_urlencoded::parse(format!("v={out}").as_bytes()).into_owned().collect();
        prop_assert_eq!(decoded, vec![("v".to_owned(), value)]);
    }
}
