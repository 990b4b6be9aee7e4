//! The redirect page's reading of its URL: `plan::plan` over an arbitrary query string, and
//! the readers under it (`query::get`, `parse_bare_origin`, `origin_of_url`), checked against
//! the WHATWG URL parser (`url`) where they accept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcar_fuzz::has_punycode_label;
use smartcar_protocol::message::APP_ORIGIN_QUERY_KEY;
use smartcar_protocol::origin::{origin_of_url, parse_bare_origin};
use smartcar_protocol::query;
use smartcar_redirect::plan::{plan, Delivery};
use url::{form_urlencoded, Url};

const PAGES: [&str; 3] = ["https://redirect.example.com", "https://javascript-sdk.smartcar.com", "http://127.0.0.1:8000"];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let page = PAGES[usize::from(mode) % PAGES.len()];

    // The whole page decision.
    let p = plan(&text, page, mode & 4 != 0);
    let app_origin = query::get(&text, APP_ORIGIN_QUERY_KEY);
    match &p.delivery {
        Delivery::PostToOpener { target_origin } => match &app_origin {
            None => assert_eq!(target_origin, page),
            Some(a) => assert_eq!(Ok(target_origin.clone()), parse_bare_origin(a)),
        },
        Delivery::Broadcast => assert!(app_origin.as_deref().is_none_or(|a| parse_bare_origin(a).as_deref() == Ok(page))),
        Delivery::Refused(_) => {}
    }

    // The query reader is URLSearchParams.
    let search = text.strip_prefix('?').unwrap_or(&text);
    let oracle: Vec<(String, String)> = form_urlencoded::parse(search.as_bytes()).into_owned().collect();
    assert!(query::pairs(&text).eq(oracle.iter().cloned()));
    assert_eq!(app_origin, oracle.iter().find(|(k, _)| k == APP_ORIGIN_QUERY_KEY).map(|(_, v)| v.clone()));

    // The origin readers, on the text itself and on the app_origin it carries.
    for candidate in [Some(text.as_ref()), app_origin.as_deref()].into_iter().flatten() {
        if let Ok(bare) = parse_bare_origin(candidate) {
            assert_eq!(parse_bare_origin(&bare).as_deref(), Ok(bare.as_str()));
            assert_eq!(origin_of_url(&bare).as_deref(), Ok(bare.as_str()));
            match Url::parse(candidate) {
                Ok(url) => {
                    assert_eq!(url.origin().ascii_serialization(), bare, "{candidate:?}");
                    assert!(url.path() == "/" && url.query().is_none() && url.fragment().is_none());
                    assert!(url.username().is_empty() && url.password().is_none());
                }
                Err(e) => assert!(has_punycode_label(candidate), "{candidate:?}: WHATWG says {e}"),
            }
        }
        if let Ok(origin) = origin_of_url(candidate) {
            match Url::parse(candidate) {
                Ok(url) => assert_eq!(url.origin().ascii_serialization(), origin, "{candidate:?}"),
                Err(e) => assert!(has_punycode_label(candidate), "{candidate:?}: WHATWG says {e}"),
            }
        }
    }
});
