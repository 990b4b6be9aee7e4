//! Where a redirect page hands Connect's result, and what it tells the user, decided without a
//! browser. Shared by the redirect page (`redirect.js`) and the SDK's `handleRedirect`, which
//! does the same job when the app's own page is the redirect URI.
//!
//! The result goes to the window that opened the popup, with `postMessage` restricted to the
//! app's origin. A popup that lost its opener (a `Cross-Origin-Opener-Policy` header cut it
//! off) can still reach a same-origin app over a `BroadcastChannel`, but only over the one
//! named after the flow's `state` ([`channel_name`]): a context that does not know the state
//! can neither hear the result nor post one of its own.

use crate::message::MESSAGE_NAME;

/// The redirect page's `app_origin` parameter, as the browser's URL parser read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppOrigin {
    /// No `app_origin`: the app shares the redirect page's origin.
    Absent,
    /// A bare http(s) origin (see [`crate::origin::bare_origin`]), serialised by the browser.
    Bare(String),
    /// Anything else: `*`, a path, another scheme, not a URL at all; or more than one.
    NotBare,
}

impl AppOrigin {
    /// The `app_origin` of a query that holds `count` of them, the first being `first`, reduced
    /// to its bare origin by `bare`. A query with more than one names no single origin: a
    /// server that checks the last one (as some parsers read a repeated parameter) and this
    /// page, which reads the first, would disagree about where the result may go.
    pub fn from_query<T>(count: u32, first: Option<T>, bare: impl FnOnce(T) -> Option<String>) -> AppOrigin {
        match first {
            None => AppOrigin::Absent,
            Some(_) if count > 1 => AppOrigin::NotBare,
            Some(text) => bare(text).map_or(AppOrigin::NotBare, AppOrigin::Bare),
        }
    }
}

/// The app origins a self-hosted redirect page may post to, as whoever deployed it listed them
/// (see the redirect page's README section): each entry as the browser's URL parser read it,
/// `None` for an entry that is not a bare http(s) origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowList {
    /// No list: any bare `app_origin` is posted to (Connect only redirects to the registered
    /// redirect URI, query included, so `app_origin` is what the app registered).
    Unset,
    /// Only these origins.
    Origins(Vec<String>),
    /// A list with an entry that is not an origin: no result goes to any `app_origin` until it
    /// is fixed (a result without one still goes to the page's own origin, as always).
    Invalid,
}

impl AllowList {
    /// The list from its entries, each already reduced to its bare origin or `None`; an empty
    /// list allows nothing but the page's own origin.
    pub fn from_entries(entries: impl IntoIterator<Item = Option<String>>) -> AllowList {
        let origins: Option<Vec<String>> = entries.into_iter().collect();
        origins.map_or(AllowList::Invalid, AllowList::Origins)
    }

    /// The list from the texts the page's deployer wrote (each script tag's `data-app-origins`,
    /// each `smartcar-app-origins` meta tag), `lists`: the texts separated by NUL, which the
    /// HTML parser never leaves in an attribute's text. Each holds origins separated by spaces or
    /// commas, each read with `bare` (the browser's URL parser and
    /// [`crate::origin::bare_origin`]). No text at all (`None`) is [`AllowList::Unset`]. Several
    /// texts allow only the origins that every one of them lists: a list that an injection into
    /// the page adds (a meta tag needs no script) can only narrow what the deployer allowed,
    /// never widen it. (One byte loop: `str::split` would bring its pattern searcher into the
    /// redirect page's wasm.)
    pub fn from_texts(lists: Option<&str>, bare: impl Fn(&str) -> Option<String>) -> AllowList {
        let Some(text) = lists else { return AllowList::Unset };
        let mut allowed: Option<Vec<String>> = None;
        let mut listed = Vec::new();
        let mut start = 0;
        for (end, byte) in text.bytes().chain([0]).enumerate() {
            if byte == b',' || byte == 0 || byte.is_ascii_whitespace() {
                if let Some(entry) = text.get(start..end).filter(|entry| !entry.is_empty()) {
                    let Some(origin) = bare(entry) else { return AllowList::Invalid };
                    listed.push(origin);
                }
                start = end + 1;
            }
            if byte == 0 {
                let list = core::mem::take(&mut listed);
                match &mut allowed {
                    None => allowed = Some(list),
                    Some(so_far) => so_far.retain(|origin| list.contains(origin)),
                }
            }
        }
        AllowList::Origins(allowed.unwrap_or_default())
    }

    fn allows(&self, origin: &str) -> Result<(), Refusal> {
        match self {
            AllowList::Unset => Ok(()),
            AllowList::Origins(origins) if origins.iter().any(|o| o == origin) => Ok(()),
            AllowList::Origins(_) => Err(Refusal::NotAllowed),
            AllowList::Invalid => Err(Refusal::InvalidAllowList),
        }
    }
}

/// Why a result was not handed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `app_origin` is not a bare http(s) origin.
    NotAnOrigin,
    /// `app_origin` is not on the page's allow-list.
    NotAllowed,
    /// The page's allow-list has an entry that is not an origin.
    InvalidAllowList,
    /// No opener, and the app is on another origin (or the result has no state to name a
    /// channel after): there is no one to hand the result to.
    NoOpener,
}

/// Where the result goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// `window.opener.postMessage(message, target_origin)`, then close the popup.
    PostToOpener {
        /// The only origin allowed to receive the message.
        target_origin: String,
    },
    /// No opener, but the app shares this page's origin: post on the `BroadcastChannel` of
    /// this name, which only the flow that sent this state listens on, then close the popup.
    Broadcast {
        /// [`channel_name`] of the result's state.
        channel: String,
    },
    /// Nowhere.
    Refused(Refusal),
}

// How a delivery is told to the pages' JS (js/hand-on.js keeps the same numbers).
/// [`Delivery::Refused`], as a number.
pub const REFUSED: u32 = 0;
/// [`Delivery::PostToOpener`], as a number.
pub const POST: u32 = 1;
/// [`Delivery::Broadcast`], as a number.
pub const BROADCAST: u32 = 2;

impl Delivery {
    /// What the page's JS does: [`REFUSED`], [`POST`] or [`BROADCAST`], and to which origin or
    /// channel (empty when refused).
    pub fn into_kind(self) -> (u32, String) {
        match self {
            Delivery::PostToOpener { target_origin } => (POST, target_origin),
            Delivery::Broadcast { channel } => (BROADCAST, channel),
            Delivery::Refused(_) => (REFUSED, String::new()),
        }
    }
}

/// The `BroadcastChannel` a same-origin redirect page delivers the result of the flow that sent
/// `state` on, when the popup lost its opener.
pub fn channel_name(state: &str) -> String {
    let mut name = String::with_capacity(MESSAGE_NAME.len() + 1 + state.len());
    name.push_str(MESSAGE_NAME);
    name.push(':');
    name.push_str(state);
    name
}

/// Decides where the redirect page at `page_origin` hands the result with this `state`.
///
/// `app_origin`, when present, must be a bare http(s) origin (the reference posts to whatever
/// it says, so `app_origin=*` hands the code to any page that opened the popup) and, when the
/// page has an allow-list, one of its origins. Without `app_origin` the page posts to its own
/// origin.
pub fn delivery(app_origin: AppOrigin, allowed: &AllowList, page_origin: &str, has_opener: bool, state: Option<&str>) -> Delivery {
    let target_origin = match app_origin {
        AppOrigin::Absent => page_origin.to_owned(),
        AppOrigin::Bare(origin) => match allowed.allows(&origin) {
            Ok(()) => origin,
            Err(refusal) => return Delivery::Refused(refusal),
        },
        AppOrigin::NotBare => return Delivery::Refused(Refusal::NotAnOrigin),
    };
    if has_opener {
        return Delivery::PostToOpener { target_origin };
    }
    match state {
        Some(state) if target_origin == page_origin => Delivery::Broadcast { channel: channel_name(state) },
        _ => Delivery::Refused(Refusal::NoOpener),
    }
}

/// Shown when `app_origin` is anything but a bare http(s) origin.
pub const NOT_AN_ORIGIN: &str = "The result was not sent: this page's app_origin is not a web origin. Return to the app and try again.";

/// Shown when `app_origin` is not on the page's allow-list.
pub const NOT_ALLOWED: &str = "The result was not sent: this page may not return results to that app. Return to the app and try again.";

/// Shown when the page's own allow-list is broken.
pub const INVALID_ALLOW_LIST: &str = "The result was not sent: this page's list of app origins has an entry that is not an origin. Please tell the app's developers.";

/// Shown when there is no window to hand the result to.
pub const NO_OPENER: &str = "The result was not sent: this window is no longer connected to the app. Return to the app and try again.";

/// What the page says, for when it stays open (no opener, a refused origin, or a browser that
/// does not let it close itself), given whether Connect reported an error. It says only what it
/// knows: after a broadcast it cannot know whether the app was listening. Nothing from the URL
/// is shown: anyone can link to a redirect page with an `error_description` of their choosing,
/// and the page's origin would lend it credibility.
pub fn status(connect_failed: bool, delivery: &Delivery) -> &'static str {
    match (delivery, connect_failed) {
        (Delivery::Refused(Refusal::NotAnOrigin), _) => NOT_AN_ORIGIN,
        (Delivery::Refused(Refusal::NotAllowed), _) => NOT_ALLOWED,
        (Delivery::Refused(Refusal::InvalidAllowList), _) => INVALID_ALLOW_LIST,
        (Delivery::Refused(Refusal::NoOpener), _) => NO_OPENER,
        (Delivery::Broadcast { .. }, false) => BROADCAST_CONNECTED,
        (Delivery::Broadcast { .. }, true) => BROADCAST_FAILED,
        (Delivery::PostToOpener { .. }, false) => CONNECTED,
        (Delivery::PostToOpener { .. }, true) => FAILED,
    }
}

/// Shown when the result went back to the app.
pub const CONNECTED: &str = "Connect has finished. You can close this window.";

/// Shown when Connect's error went back to the app.
pub const FAILED: &str = "Connecting your vehicle did not finish. You can close this window.";

/// Shown when the result went out to the app's other windows on this site.
pub const BROADCAST_CONNECTED: &str = "Connect has finished. This page cannot tell whether the app received the result: if it has not moved on, try again.";

/// Shown when Connect's error went out to the app's other windows on this site.
pub const BROADCAST_FAILED: &str = "Connecting your vehicle did not finish. Return to the app.";

/// Whether the query's `error` says Connect failed (present and not empty, as the SDKs read it).
pub fn connect_failed(error: Option<&str>) -> bool {
    error.is_some_and(|e| !e.is_empty())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const APP: &str = "https://app.example.com";
    const REDIRECT: &str = "https://redirect.example.com";
    const STATE: Option<&str> = Some("c3RhdGU=");

    fn post(target: &str) -> Delivery {
        Delivery::PostToOpener { target_origin: target.into() }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn app_origin_from_the_query() {
        let bare = |text: &str| Some(text.trim_end_matches('/').to_owned());
        assert_eq!(AppOrigin::from_query(0, None, bare), AppOrigin::Absent);
        assert_eq!(AppOrigin::from_query(1, Some("https://app.example.com/"), bare), AppOrigin::Bare(APP.into()));
        assert_eq!(AppOrigin::from_query(1, Some("*"), |_| None), AppOrigin::NotBare);
        // Repeated, even with the same value twice: refused, whichever comes first.
        assert_eq!(AppOrigin::from_query(2, Some(APP), bare), AppOrigin::NotBare);
        assert_eq!(AppOrigin::from_query(3, Some(APP), bare), AppOrigin::NotBare);
        assert_eq!(delivery(AppOrigin::from_query(2, Some(APP), bare), &AllowList::Unset, REDIRECT, true, STATE), Delivery::Refused(Refusal::NotAnOrigin));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn posts_to_app_origin_when_given() {
        assert_eq!(delivery(AppOrigin::Bare(APP.into()), &AllowList::Unset, REDIRECT, true, STATE), post(APP));
        assert_eq!(status(false, &post(APP)), CONNECTED);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn posts_to_own_origin_without_app_origin() {
        assert_eq!(delivery(AppOrigin::Absent, &AllowList::Unset, APP, true, STATE), post(APP));
        // The page's own origin needs no entry in an allow-list.
        assert_eq!(delivery(AppOrigin::Absent, &AllowList::Origins(vec![]), APP, true, STATE), post(APP));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refuses_anything_but_a_bare_origin() {
        for has_opener in [true, false] {
            let d = delivery(AppOrigin::NotBare, &AllowList::Unset, REDIRECT, has_opener, STATE);
            assert_eq!(d, Delivery::Refused(Refusal::NotAnOrigin));
            assert_eq!(status(false, &d), NOT_AN_ORIGIN);
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn an_allow_list_admits_only_its_origins() {
        let list = AllowList::from_entries([Some(APP.to_owned()), Some("http://127.0.0.1:8000".to_owned())]);
        assert_eq!(delivery(AppOrigin::Bare(APP.into()), &list, REDIRECT, true, STATE), post(APP));
        let other = delivery(AppOrigin::Bare("https://evil.example".into()), &list, REDIRECT, true, STATE);
        assert_eq!(other, Delivery::Refused(Refusal::NotAllowed));
        assert_eq!(status(false, &other), NOT_ALLOWED);
        let broken = AllowList::from_entries([Some(APP.to_owned()), None]);
        assert_eq!(broken, AllowList::Invalid);
        assert_eq!(delivery(AppOrigin::Bare(APP.into()), &broken, REDIRECT, true, STATE), Delivery::Refused(Refusal::InvalidAllowList));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn allow_lists_from_the_pages_texts() {
        let bare = |text: &str| text.starts_with("https://").then(|| text.trim_end_matches('/').to_owned());
        assert_eq!(AllowList::from_texts(None, bare), AllowList::Unset);
        assert_eq!(AllowList::from_texts(Some(""), bare), AllowList::Origins(vec![]));
        assert_eq!(
            AllowList::from_texts(Some("https://a.example  https://b.example/,https://c.example\n"), bare),
            AllowList::Origins(vec!["https://a.example".into(), "https://b.example".into(), "https://c.example".into()])
        );
        // Several lists: only what every one allows (an injected list cannot widen the page's).
        assert_eq!(
            AllowList::from_texts(Some("https://a.example https://b.example\0https://b.example https://evil.example"), bare),
            AllowList::Origins(vec!["https://b.example".into()])
        );
        assert_eq!(AllowList::from_texts(Some("https://a.example\0https://evil.example"), bare), AllowList::Origins(vec![]));
        assert_eq!(AllowList::from_texts(Some("https://a.example\0"), bare), AllowList::Origins(vec![]));
        assert_eq!(AllowList::from_texts(Some("https://a.example *"), bare), AllowList::Invalid);
        assert_eq!(AllowList::from_texts(Some("https://a.example\0*"), bare), AllowList::Invalid);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn without_opener_broadcasts_only_to_its_own_origin_on_the_states_channel() {
        let channel = Delivery::Broadcast { channel: "SmartcarAuthMessage:c3RhdGU=".into() };
        assert_eq!(delivery(AppOrigin::Absent, &AllowList::Unset, APP, false, STATE), channel);
        assert_eq!(delivery(AppOrigin::Bare(APP.into()), &AllowList::Unset, APP, false, STATE), channel);
        let elsewhere = delivery(AppOrigin::Bare(APP.into()), &AllowList::Unset, REDIRECT, false, STATE);
        assert_eq!(elsewhere, Delivery::Refused(Refusal::NoOpener));
        assert_eq!(status(false, &elsewhere), NO_OPENER);
        // Without a state there is no channel to name.
        assert_eq!(delivery(AppOrigin::Absent, &AllowList::Unset, APP, false, None), Delivery::Refused(Refusal::NoOpener));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn after_a_broadcast_the_page_does_not_claim_the_app_received_it() {
        let text = status(false, &Delivery::Broadcast { channel: channel_name("s") });
        assert!(text.contains("cannot tell whether the app received the result"), "{text}");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn channels_differ_per_state() {
        assert_ne!(channel_name("a"), channel_name("b"));
        assert_eq!(channel_name("x"), "SmartcarAuthMessage:x");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn tells_the_user_about_errors_in_its_own_words() {
        assert!(connect_failed(Some("access_denied")));
        assert!(!connect_failed(Some("")) && !connect_failed(None));
        assert_eq!(status(true, &post(APP)), FAILED);
        assert!(status(true, &Delivery::Broadcast { channel: channel_name("s") }).starts_with("Connecting your vehicle did not finish."));
        // Every text is the page's own: nothing a link could put there.
        for delivery in [post(APP), Delivery::Broadcast { channel: channel_name("s") }, Delivery::Refused(Refusal::NoOpener)] {
            for failed in [false, true] {
                assert!(status(failed, &delivery).ends_with('.'));
            }
        }
    }
}
