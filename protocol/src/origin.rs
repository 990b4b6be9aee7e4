//! Origin rules: which URLs count as a bare web origin.
//!
//! The browser's own URL parser reads every URL (the SDK's `redirectUri`, the redirect page's
//! `app_origin`): its origins are the ones `postMessage` and `MessageEvent.origin` use, so a
//! second parser here could only disagree with it. What stays here is the rule applied to what
//! that parser returns.

/// The bare origin `href` stands for, given the browser's parse of it (`URL.href` and
/// `URL.origin`): `Some(origin)` when the URL is an `http:` or `https:` origin and nothing
/// else — no user name, path, query or fragment — and `None` otherwise.
///
/// The parser has already normalised case, default ports and international host names, so a
/// bare origin's `href` is exactly its origin followed by `/`.
pub fn bare_origin<'a>(href: &str, origin: &'a str) -> Option<&'a str> {
    (is_web_origin(origin) && href.strip_prefix(origin) == Some("/")).then_some(origin)
}

/// Whether `origin`, as the browser's URL parser serialises a URL's origin, is an `http:` or
/// `https:` one (other schemes have an opaque `null` origin, or their own scheme).
pub fn is_web_origin(origin: &str) -> bool {
    origin.starts_with("https://") || origin.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn accepts_http_and_https_origins() {
        assert_eq!(bare_origin("https://app.example.com/", "https://app.example.com"), Some("https://app.example.com"));
        assert_eq!(bare_origin("http://127.0.0.1:8080/", "http://127.0.0.1:8080"), Some("http://127.0.0.1:8080"));
        assert_eq!(bare_origin("http://[::1]:3000/", "http://[::1]:3000"), Some("http://[::1]:3000"));
        assert_eq!(bare_origin("https://xn--bcher-kva.de/", "https://xn--bcher-kva.de"), Some("https://xn--bcher-kva.de"));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refuses_anything_more_than_an_origin() {
        for href in [
            "https://app.example.com/path",
            "https://app.example.com/?",
            "https://app.example.com/?x=1",
            "https://app.example.com/#",
            "https://app.example.com/#top",
            "https://user@app.example.com/",
            "https://user:pw@app.example.com/",
        ] {
            assert_eq!(bare_origin(href, "https://app.example.com"), None, "{href}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn web_origins_are_http_and_https_only() {
        assert!(is_web_origin("https://app.example.com"));
        assert!(is_web_origin("http://127.0.0.1:8080"));
        for origin in ["null", "file://", "ftp://example.com", "wss://example.com", "chrome-extension://abc", "", "https:"] {
            assert!(!is_web_origin(origin), "{origin}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refuses_other_schemes_and_opaque_origins() {
        assert_eq!(bare_origin("javascript:alert(1)", "null"), None);
        assert_eq!(bare_origin("data:text/html,x", "null"), None);
        // Chromium gives file: URLs the origin "file://", whose href would otherwise match.
        assert_eq!(bare_origin("file:///", "file://"), None);
        assert_eq!(bare_origin("wss://app.example.com/", "wss://app.example.com"), None);
        assert_eq!(bare_origin("blob:https://app.example.com/1", "https://app.example.com"), None);
    }
}
