//! Property test of the Connect URL (`connect_url::ConnectUrl::build`): for any options, the
//! URL parses back (with the `url` crate, a WHATWG URL parser, as `URLSearchParams` would read
//! it at Connect) to exactly those values, under the documented names, in the documented order:
//! `response_type, application_id, redirect_uri, approval_prompt, scope, mode,
//! single_select_vin, single_select, state, make, flags, user, external_id, app_origin`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use smartcar_auth::config::{Mode, ResponseType};
use smartcar_auth::connect_url::{AuthUrlOptions, ConnectUrl, ExternalId, SingleSelect};
use url::Url;

/// `n` cases, or `PROPTEST_CASES` when set (for the longer runs in SECURITY.md).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n))
}

/// Any text, weighted towards the characters a query string gives meaning to.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => prop::collection::vec(
            prop::sample::select(vec![
                "&", "=", "+", "%", "%20", "?", "#", " ", "/", "\\", ";", "a", "Z", "0", "é", "😀",
                "\u{0}", "\n", "\u{2028}", "\u{feff}", "null", "undefined",
            ]),
            0..12,
        )
        .prop_map(|v| v.concat()),
    ]
}

#[derive(Debug, Clone)]
struct Input {
    base: String,
    response_type: ResponseType,
    application_id: String,
    redirect_uri: Option<String>,
    scope: Option<Vec<String>>,
    mode: Mode,
    external_id: Option<Option<String>>,
    app_origin: Option<String>,
    options: AuthUrlOptions,
}

fn input() -> impl Strategy<Value = Input> {
    let config = (
        prop::sample::select(vec![
            "https://connect.smartcar.com",
            "https://connect.smartcar.com/",
            "http://127.0.0.1:8080",
            "http://localhost:3000/connect",
        ]),
        prop::bool::ANY.prop_map(|none| if none { ResponseType::None } else { ResponseType::Code }),
        text(),
        prop::option::of(text()),
        prop::option::of(prop::collection::vec(text(), 0..4)),
        prop::sample::select(vec![Mode::Live, Mode::Test, Mode::Simulated]),
        prop::option::of(prop::option::of(text())),
        prop::option::of(text()),
    );
    let single_select = prop_oneof![
        Just(SingleSelect::Absent),
        any::<bool>().prop_map(SingleSelect::Flag),
        text().prop_map(SingleSelect::Vin),
        Just(SingleSelect::NoVin),
    ];
    let options = (
        any::<bool>(),
        single_select,
        text(),
        prop::option::of(text()),
        prop::option::of(prop::collection::vec(text(), 0..4)),
        prop::option::of(text()),
    )
        .prop_map(|(force_prompt, single_select, state, make, flags, user)| AuthUrlOptions {
            force_prompt,
            single_select,
            state,
            make,
            flags,
            user,
        });
    (config, options).prop_map(|((base, rt, app, redirect, scope, mode, ext, origin), options)| Input {
        base: base.to_owned(),
        response_type: rt,
        application_id: app,
        redirect_uri: redirect,
        scope,
        mode,
        external_id: ext,
        app_origin: origin,
        options,
    })
}

/// The parameters the URL must carry, in order, computed from the documented rules.
fn expected(input: &Input) -> Vec<(String, String)> {
    let mut out: Vec<(&str, String)> = vec![
        ("response_type", input.response_type.as_str().to_owned()),
        ("application_id", input.application_id.clone()),
    ];
    if let Some(uri) = &input.redirect_uri {
        out.push(("redirect_uri", uri.clone()));
    }
    out.push(("approval_prompt", if input.options.force_prompt { "force" } else { "auto" }.to_owned()));
    if let Some(scope) = &input.scope {
        out.push(("scope", scope.join(" ")));
    }
    out.push(("mode", input.mode.as_str().to_owned()));
    match &input.options.single_select {
        SingleSelect::Absent => {}
        SingleSelect::Flag(flag) => out.push(("single_select", flag.to_string())),
        SingleSelect::Vin(vin) => {
            out.push(("single_select_vin", vin.clone()));
            out.push(("single_select", "true".to_owned()));
        }
        SingleSelect::NoVin => out.push(("single_select", "false".to_owned())),
    }
    out.push(("state", input.options.state.clone()));
    if let Some(make) = &input.options.make {
        out.push(("make", make.clone()));
    }
    if let Some(flags) = &input.options.flags {
        out.push(("flags", flags.join(" ")));
    }
    if let Some(user) = input.options.user.as_ref().filter(|u| !u.is_empty()) {
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

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn any_options_parse_back_exactly_in_the_documented_order(input in input()) {
        let external_id = match &input.external_id {
            None => ExternalId::Unset,
            Some(None) => ExternalId::Null,
            Some(Some(id)) => ExternalId::Value(id),
        };
        let built = ConnectUrl {
            connect_url: &input.base,
            response_type: input.response_type,
            application_id: &input.application_id,
            redirect_uri: input.redirect_uri.as_deref(),
            scope: input.scope.as_deref(),
            mode: input.mode,
            external_id,
            app_origin: input.app_origin.as_deref(),
        }
        .build(&input.options);

        // Plain ASCII, with nothing a browser would rewrite or cut: no fragment, no spaces.
        prop_assert!(built.bytes().all(|b| b.is_ascii_graphic()), "{}", built);
        prop_assert!(!built.contains('#'));
        let base = input.base.strip_suffix('/').unwrap_or(&input.base);
        prop_assert!(built.starts_with(&format!("{base}/oauth/authorize?response_type=")), "{}", built);

        let url = Url::parse(&built).unwrap();
        prop_assert_eq!(url.path(), format!("{}/oauth/authorize", Url::parse(base).unwrap().path().trim_end_matches('/')));
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        prop_assert_eq!(pairs, expected(&input));
    }
}
