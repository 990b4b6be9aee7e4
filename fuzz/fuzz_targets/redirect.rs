//! The redirect page's decisions over an arbitrary URL, with the `url` crate (a WHATWG URL
//! parser) standing in for the browser's `URLSearchParams` and `URL`: `bare_origin` accepts
//! exactly the http(s) origins, and `plan::plan` posts only to the origin it was given, or to
//! its own. Also the Connect simulator's query reader against `form_urlencoded`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcar_protocol::message::APP_ORIGIN_QUERY_KEY;
use smartcar_protocol::origin::bare_origin;
use smartcar_protocol::query;
use smartcar_redirect::plan::{plan, AppOrigin, Delivery, Outcome};
use url::{form_urlencoded, Url};

const PAGES: [&str; 3] = ["https://redirect.example.com", "https://javascript-sdk.smartcar.com", "http://127.0.0.1:8000"];

/// `bare_origin` as the redirect page applies it to the browser's parse of `text`.
fn app_origin(text: &str) -> AppOrigin {
    Url::parse(text)
        .ok()
        .and_then(|url| bare_origin(url.as_str(), &url.origin().ascii_serialization()).map(str::to_owned))
        .map_or(AppOrigin::NotBare, AppOrigin::Bare)
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let page = PAGES[usize::from(mode) % PAGES.len()];

    // URLSearchParams: one leading `?` dropped, then form decoding; the first occurrence wins.
    let search = text.strip_prefix('?').unwrap_or(&text);
    let params: Vec<(String, String)> = form_urlencoded::parse(search.as_bytes()).into_owned().collect();
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());

    // The simulator's reader is URLSearchParams.
    assert!(query::pairs(&text).eq(params.iter().cloned()));
    assert_eq!(query::get(&text, APP_ORIGIN_QUERY_KEY).as_deref(), param(APP_ORIGIN_QUERY_KEY));

    // The origin rule, on the text itself and on the app_origin it carries.
    for candidate in [Some(text.as_ref()), param(APP_ORIGIN_QUERY_KEY)].into_iter().flatten() {
        if let AppOrigin::Bare(origin) = app_origin(candidate) {
            let url = Url::parse(candidate).expect("accepted, so parsed");
            assert!(matches!(url.scheme(), "http" | "https"), "{candidate:?}");
            assert!(url.path() == "/" && url.query().is_none() && url.fragment().is_none(), "{candidate:?}");
            assert!(url.username().is_empty() && url.password().is_none(), "{candidate:?}");
            assert_eq!(app_origin(&origin), AppOrigin::Bare(origin.clone()), "an origin is its own bare origin");
        }
    }

    // The whole page decision.
    let given = param(APP_ORIGIN_QUERY_KEY).map(app_origin);
    let outcome = Outcome { error: param("error"), error_description: param("error_description") };
    let p = plan(outcome, given.clone().unwrap_or(AppOrigin::Absent), page, mode & 4 != 0);
    match (&p.delivery, &given) {
        (Delivery::PostToOpener { target_origin }, None) => assert_eq!(target_origin, page),
        (Delivery::PostToOpener { target_origin }, Some(AppOrigin::Bare(origin))) => assert_eq!(target_origin, origin),
        (Delivery::PostToOpener { .. }, Some(_)) => panic!("posted to an app_origin that is not a bare origin"),
        (Delivery::Broadcast, None) => {}
        (Delivery::Broadcast, Some(a)) => assert_eq!(a, &AppOrigin::Bare(page.to_owned())),
        (Delivery::Refused(reason), _) => assert_eq!(&p.status, reason),
    }
    assert!(!p.status.is_empty());
});
