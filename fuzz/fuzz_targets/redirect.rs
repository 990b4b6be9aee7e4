//! Where a redirect page hands Connect's result (`smartcar_protocol::delivery`), over an
//! arbitrary query string and allow-list, with the `url` crate (a WHATWG URL parser) standing
//! in for the browser's `URLSearchParams` and `URL` as the page uses them (`bare_origin` on
//! `URL.href` and `URL.origin`).
//!
//! Input: a mode byte, then the text. Mode: `mode % 3` picks the page's origin; bit 2 says the
//! popup has an opener; bit 3 says the page has an allow-list, which is then the text's first
//! line (`|` separates the script tag's text from the meta tag's), the query the rest.
//!
//! Checks: `bare_origin` accepts only http(s) origins with nothing more; the allow-list holds
//! only bare origins, one per entry, or is invalid when an entry is not one; the page posts
//! only to the bare `app_origin` it was given (or its own origin without one), never to a
//! non-bare one, and with an allow-list only to one of its origins; it broadcasts only when
//! the app shares its origin, on the channel named after the result's state; every refusal has
//! its reason; and the status it shows is never empty, and never text from the URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcar_fuzz::{bare, is_web_origin};
use smartcar_protocol::delivery::{
    channel_name, connect_failed, delivery, status, AllowList, AppOrigin, Delivery, Refusal, INVALID_ALLOW_LIST, NOT_ALLOWED, NOT_AN_ORIGIN, NO_OPENER,
};
use smartcar_protocol::message::APP_ORIGIN_QUERY_KEY;
use url::{form_urlencoded, Url};

const PAGES: [&str; 3] = ["https://redirect.example.com", "https://javascript-sdk.smartcar.com", "http://127.0.0.1:8000"];

/// `bare` as the page applies it to a present `app_origin`.
fn app_origin(text: &str) -> AppOrigin {
    bare(text).map_or(AppOrigin::NotBare, AppOrigin::Bare)
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let rest = String::from_utf8_lossy(rest);
    let page = PAGES[usize::from(mode) % PAGES.len()];
    let has_opener = mode & 4 != 0;
    let (allow_texts, text): (Option<Vec<&str>>, &str) = if mode & 8 != 0 {
        let (list, query) = rest.split_once('\n').unwrap_or((&rest, ""));
        // The texts as the page passes them: NUL separates them, so none holds one.
        (Some(list.split(['|', '\0']).collect()), query)
    } else {
        (None, &rest)
    };

    // URLSearchParams: one leading `?` dropped, then form decoding; `get` is the first one.
    let search = text.strip_prefix('?').unwrap_or(text);
    let params: Vec<(String, String)> = form_urlencoded::parse(search.as_bytes()).into_owned().collect();
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());

    // The origin rule, on the text itself and on the app_origin it carries.
    for candidate in [Some(text), param(APP_ORIGIN_QUERY_KEY)].into_iter().flatten() {
        if let Some(origin) = bare(candidate) {
            let url = Url::parse(candidate).expect("accepted, so parsed");
            assert!(matches!(url.scheme(), "http" | "https"), "{candidate:?}");
            assert!(url.path() == "/" && url.query().is_none() && url.fragment().is_none(), "{candidate:?}");
            assert!(url.username().is_empty() && url.password().is_none(), "{candidate:?}");
            assert!(is_web_origin(&origin), "{origin:?}");
            assert_eq!(bare(&origin), Some(origin.clone()), "an origin is its own bare origin");
        }
    }

    // The allow-list, from the deployer's texts.
    let joined = allow_texts.as_ref().map(|texts| texts.join("\0"));
    let allowed = AllowList::from_texts(joined.as_deref(), bare);
    let entries_of = |t: &str| -> Vec<String> { t.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|e| !e.is_empty()).map(str::to_owned).collect() };
    let entries: Vec<String> = allow_texts.iter().flatten().flat_map(|t| entries_of(t)).collect();
    match (&allowed, &allow_texts) {
        (AllowList::Unset, None) => {}
        (AllowList::Origins(origins), Some(texts)) => {
            assert!(entries.iter().all(|e| bare(e).is_some()), "{entries:?}");
            // Exactly the origins every text lists.
            for origin in origins {
                assert!(is_web_origin(origin));
                for text in texts {
                    assert!(entries_of(text).iter().any(|e| bare(e).as_ref() == Some(origin)), "{origin:?} is not in {text:?}");
                }
            }
            if let Some(first) = texts.first() {
                for entry in entries_of(first) {
                    let origin = bare(&entry);
                    let everywhere = texts.iter().all(|t| entries_of(t).iter().any(|e| bare(e) == origin));
                    assert_eq!(everywhere, origins.iter().any(|o| Some(o) == origin.as_ref()), "{entry:?} in {texts:?}");
                }
            }
        }
        (AllowList::Invalid, Some(_)) => assert!(entries.iter().any(|e| bare(e).is_none()), "{entries:?}"),
        (list, texts) => panic!("{texts:?} made {list:?}"),
    }
    let admits = |origin: &str| match &allowed {
        AllowList::Unset => Ok(()),
        AllowList::Origins(origins) if origins.iter().any(|o| o == origin) => Ok(()),
        AllowList::Origins(_) => Err(Refusal::NotAllowed),
        AllowList::Invalid => Err(Refusal::InvalidAllowList),
    };

    // The page's decision.
    let given = param(APP_ORIGIN_QUERY_KEY).map_or(AppOrigin::Absent, app_origin);
    let state = param("state");
    let decided = delivery(given.clone(), &allowed, page, has_opener, state);
    match &decided {
        Delivery::PostToOpener { target_origin } => {
            assert!(has_opener);
            assert!(is_web_origin(target_origin), "posted to {target_origin:?}");
            match &given {
                AppOrigin::Absent => assert_eq!(target_origin, page),
                AppOrigin::Bare(origin) => {
                    assert_eq!(target_origin, origin);
                    assert_eq!(admits(origin), Ok(()), "posted to {origin:?}, not on the allow-list {allowed:?}");
                }
                AppOrigin::NotBare => panic!("posted to an app_origin that is not a bare origin"),
            }
        }
        Delivery::Broadcast { channel } => {
            assert!(!has_opener);
            assert_eq!(channel, &channel_name(state.expect("a state names the channel")));
            match &given {
                AppOrigin::Absent => {}
                AppOrigin::Bare(origin) => {
                    assert_eq!(origin, page, "broadcast for an app on another origin");
                    assert_eq!(admits(origin), Ok(()));
                }
                AppOrigin::NotBare => panic!("broadcast for an app_origin that is not a bare origin"),
            }
        }
        Delivery::Refused(reason) => {
            let want = match &given {
                AppOrigin::NotBare => Refusal::NotAnOrigin,
                AppOrigin::Bare(origin) => match admits(origin) {
                    Err(refusal) => refusal,
                    Ok(()) if has_opener || (state.is_some() && origin == page) => panic!("refused {origin:?}: {reason:?}"),
                    Ok(()) => Refusal::NoOpener,
                },
                AppOrigin::Absent if has_opener || state.is_some() => panic!("refused its own origin: {reason:?}"),
                AppOrigin::Absent => Refusal::NoOpener,
            };
            assert_eq!(*reason, want);
        }
    }

    // What the page tells the user, whatever happened.
    let failed = connect_failed(param("error"));
    let shown = status(failed, &decided);
    assert!(!shown.is_empty());
    // Only the page's own words: nothing a link could put on a trusted origin's page.
    for (_, value) in &params {
        assert!(value.len() < 12 || !shown.contains(value.as_str()), "{value:?} shown: {shown:?}");
    }
    match &decided {
        Delivery::Refused(reason) => {
            let text = match reason {
                Refusal::NotAnOrigin => NOT_AN_ORIGIN,
                Refusal::NotAllowed => NOT_ALLOWED,
                Refusal::InvalidAllowList => INVALID_ALLOW_LIST,
                Refusal::NoOpener => NO_OPENER,
            };
            assert_eq!(shown, text);
        }
        Delivery::PostToOpener { .. } | Delivery::Broadcast { .. } => {
            assert_eq!(failed, param("error").is_some_and(|e| !e.is_empty()));
            assert_eq!(shown.starts_with("Connecting your vehicle did not finish."), failed, "{shown:?}");
            assert_eq!(shown.starts_with("Connect has finished."), !failed, "{shown:?}");
        }
    }
});
