//! The redirect page's readers against the WHATWG URL standard, with the `url` crate (a WHATWG
//! URL implementation) as the oracle:
//!
//! - `query::pairs` / `query::get` decode a query string exactly as
//!   `application/x-www-form-urlencoded` parsing (`URLSearchParams`) does, on every input;
//! - `origin::parse_bare_origin` (the `app_origin` check) and `origin::origin_of_url` never
//!   accept what the URL parser would read differently: whenever ours accepts, the oracle
//!   parses the same text to the same origin (and, for a bare origin, to nothing but it).
//!
//! Ours is deliberately a strict subset. Where it refuses what WHATWG accepts, the divergence
//! is listed in [`deliberately_refused`] with the reason; refusing is safe (the redirect page
//! posts nothing and says why), accepting wrongly is not.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use smartcar_protocol::origin::{origin_of_url, parse_bare_origin};
use smartcar_protocol::query;
use url::{form_urlencoded, Url};

/// `n` cases, or `PROPTEST_CASES` when set (for the longer runs in SECURITY.md).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n))
}

// --- query strings ----------------------------------------------------------------------------

/// `new URLSearchParams(search)` as the oracle reads it: one leading `?` dropped, then
/// `application/x-www-form-urlencoded` parsing.
fn oracle_pairs(search: &str) -> Vec<(String, String)> {
    let search = search.strip_prefix('?').unwrap_or(search);
    form_urlencoded::parse(search.as_bytes()).into_owned().collect()
}

fn check_query(search: &str) {
    let ours: Vec<(String, String)> = query::pairs(search).collect();
    let oracle = oracle_pairs(search);
    assert_eq!(ours, oracle, "pairs of {search:?}");
    for name in oracle.iter().map(|(n, _)| n.as_str()).chain(["code", "state", "app_origin", "", "a"]) {
        let first = oracle.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        assert_eq!(query::get(search, name), first, "get({search:?}, {name:?})");
    }
}

const TRICKY_QUERIES: &[&str] = &[
    "", "?", "??", "?&", "&&&", "=", "==", "?=", "a", "a=", "=a", "a==b", "a=b=c", "&a=1&&a=2&",
    "?code=abc&state=s%2B1", "a=%", "a=%2", "a=%zz", "a=%%41", "a=%4%41", "a=100%", "a=%+1",
    "a=%é", "%=%", "%%", "%2", "%ZZ=%GG", "a=%FF", "a=x%C3", "a=%C3%28", "a=%ED%A0%80",
    "a=%F0%9F%98", "a=%F0%9F%98%80", "a=%EF%BB%BFbom", "%EF%BB%BF=1", "a=%00", "a=\u{0}",
    "a+b=c+d", "a%20b=c%2Bd", "+=+", "%2B=%2b", "a=%2f%2F", "a=é", "é=日本", "a=😀", "a=\u{fffd}",
    "app_origin=https%3A%2F%2Fa.com&app_origin=*", "app_origin", "app_origin=",
    "?app_origin=https://a.com#frag", "a=1#b=2", "a=1;b=2", "a=\t\n\r", "a=%0D%0A", "A=1&a=2",
    "code=%63ode", "%63ode=x", "state=eyJ+In0=", "state=eyJ%2BIn0%3D",
];

#[test]
fn query_corpus_agrees_with_whatwg() {
    for search in TRICKY_QUERIES {
        check_query(search);
    }
}

/// Query strings from an alphabet of the characters that matter to the parser, plus anything.
fn query_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "&", "=", "+", "%", "?", "#", ";", "%2", "%25", "%2B", "%2b", "%20", "%26", "%3D",
            "%C3", "%A9", "%FF", "%F0%9F", "%98%80", "%ED%A0%80", "%00", "%zz", "a", "b", "code",
            "state", "app_origin", "é", "😀", "\u{0}", " ", "\t",
        ]).prop_map(String::from),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(cases(1024))]

    #[test]
    fn generated_queries_agree_with_whatwg(search in query_text()) {
        check_query(&search);
    }

    #[test]
    fn any_text_as_a_query_agrees_with_whatwg(search in any::<String>()) {
        check_query(&search);
    }
}

// --- origins ----------------------------------------------------------------------------------

/// The oracle's reading of `text` as a bare origin: the serialized origin when `text` parses
/// as an http(s) URL with nothing but scheme, host and port (path `/`, no query, fragment or
/// credentials).
fn oracle_bare_origin(text: &str) -> Option<String> {
    let url = Url::parse(text).ok()?;
    let bare = matches!(url.scheme(), "http" | "https")
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    bare.then(|| url.origin().ascii_serialization())
}

fn oracle_origin(text: &str) -> Option<String> {
    let url = Url::parse(text).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}

/// Whether a host label is punycode (`xn--`): ours takes those as written (they are the ASCII
/// form browsers put in origins), the oracle also validates the punycode. One the browser would
/// reject names an origin no window can have, so accepting it can deliver nothing.
fn has_punycode_label(text: &str) -> bool {
    // Read as the URL parser reads it: every ASCII tab, LF and CR removed first.
    let seen: String = text.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    seen.to_ascii_lowercase().contains("xn--")
}

/// Checks the one safety property: whenever ours accepts, the oracle reads the same origin.
/// Returns whether ours accepted (for the generator's coverage check).
fn check_origin(text: &str) -> bool {
    let mut accepted = false;
    if let Ok(ours) = parse_bare_origin(text) {
        accepted = true;
        match oracle_bare_origin(text) {
            Some(oracle) => assert_eq!(ours, oracle, "parse_bare_origin({text:?})"),
            None if has_punycode_label(text) => {}
            None => panic!("parse_bare_origin accepts {text:?} as {ours:?}; WHATWG: {:?}", Url::parse(text)),
        }
        // A bare origin is its own origin, and accepted again as itself.
        assert_eq!(parse_bare_origin(&ours).as_deref(), Ok(ours.as_str()), "{text:?}");
        assert_eq!(origin_of_url(&ours).as_deref(), Ok(ours.as_str()), "{text:?}");
    }
    if let Ok(ours) = origin_of_url(text) {
        accepted = true;
        match oracle_origin(text) {
            Some(oracle) => assert_eq!(ours, oracle, "origin_of_url({text:?})"),
            None if has_punycode_label(text) => {}
            None => panic!("origin_of_url accepts {text:?} as {ours:?}; WHATWG: {:?}", Url::parse(text)),
        }
    }
    accepted
}

const TRICKY_ORIGINS: &[&str] = &[
    "https://example.com", "https://example.com/", "HTTPS://EXAMPLE.COM:443/", "http://a.com:80",
    "http://a.com:0080", "https://a.com:", "https://a.com:0", "https://a.com:65535",
    "https://a.com:65536", "https://a.com:99999999999999999999", "http://localhost:8000",
    "http://127.0.0.1:5500/", "http://0.0.0.0", "http://255.255.255.255", "http://256.0.0.1",
    "http://[::1]", "http://[::1]:80/", "http://[0:0::1]", "http://[::ffff:192.168.0.1]",
    "http://[1:0:0:2:0:0:0:3]", "http://[::1.2.3.4]", "http://[1:2:3:4:5:6:7:8]",
    "http://[::1", "http://[::1]x", "http://[]", "http://[1:2:3:4:5:6:7:8:9]", "https://xn--bcher-kva.de",
    "https://a..b", "https://a.com.", "https://1a.com", "https://a.0xg", "https://a.1x",
    "https://a-b_c.d~e!$&'()*+,;=.com/", "https://example.com.evil.com", "*", "null", "",
    "javascript:alert(1)", "data:text/html,hi", "ftp://a.com", "ws://a.com", "blob:https://a.com/x",
    "//a.com", "a.com", "https:", "https://", "https:///", "https:///a.com", "https:/a.com",
    "https:a.com", "https:\\\\a.com", "https://a.com\\", "https://a.com/\\", "https://a.com//",
    "https://a.com/?", "https://a.com?", "https://a.com#", "https://a.com/path",
    "https://user@a.com", "https://user:pw@a.com/", "https://@a.com", "https://a.com@b.com",
    "https://a b.com", " https://a.com", "https://a.com ", "https://a.com\n", "https://a\t.com",
    "https://a%41.com", "https://ex\u{e9}mple.com", "https://a<b.com", "https://a^b.com",
    "https://a|b.com", "https://a\u{7f}.com", "http://1.2.3", "http://1.2.3.4.5", "http://01.2.3.4",
    "http://0x7f.0.0.1", "http://2130706433", "http://1.2.3.4.", "http://a.1", "http://a.0x",
    "https://a.com:80:80", "https://a.com:+80", "https://a.com:-1", "https://[::1]:x",
    "HtTp://MiXeD.CaSe.CoM:8080", "https://a.com:08080", "https://a.com:443443",
    "https://a.com/?x#y", "https://a.com:8080?x", "https://a.com:8080#x", "https://a.com./",
    "https://-.com", "https://_.com", "https://a_b.com", "https://xn--.com", "https://XN--BCHER-KVA.DE",
];

#[test]
fn origin_corpus_agrees_with_whatwg() {
    let accepted = TRICKY_ORIGINS.iter().filter(|t| check_origin(t)).count();
    assert!(accepted > 30, "only {accepted} accepted: the corpus no longer exercises acceptance");
}

/// Where ours refuses what WHATWG accepts, on purpose. Each line: the text, and why.
#[test]
fn deliberately_refused() {
    for (text, why) in [
        ("https://ex\u{e9}mple.com", "non-ASCII host: IDNA is not implemented, so it is refused"),
        ("https://b\u{fc}cher.de/", "non-ASCII host (the browser's origin would be xn--bcher-kva.de)"),
        ("https://exa%6dple.com", "percent-encoded host: decoding is not implemented"),
        ("http://0x7f.0.0.1", "non-canonical IPv4 (hex part)"),
        ("http://0177.0.0.1", "non-canonical IPv4 (octal part)"),
        ("http://127.1", "non-canonical IPv4 (fewer parts)"),
        ("http://2130706433", "non-canonical IPv4 (one number)"),
        ("http://1.2.3.4.", "IPv4 with a trailing dot"),
        (" https://a.com", "app_origin is taken literally: no trimming of spaces"),
        ("https://a\t.com", "app_origin is taken literally: no removal of tabs and newlines"),
        ("https:a.com", "app_origin must be written scheme://host"),
        ("https:///a.com", "app_origin must be written scheme://host"),
        ("https:\\\\a.com", "app_origin must be written scheme://host"),
        ("HTTPS://A.COM/?", "more than an origin: an empty query"),
        ("https://a.com#", "more than an origin: an empty fragment"),
        ("https://a.com//", "more than an origin: a path"),
        ("https://a.com\\", "more than an origin: a backslash path"),
        ("https://@a.com", "more than an origin: an (empty) user name"),
        ("https://user:pw@a.com", "more than an origin: credentials"),
    ] {
        assert!(parse_bare_origin(text).is_err(), "{text:?} should be refused: {why}");
        assert!(Url::parse(text).is_ok(), "{text:?}: WHATWG refuses it too; move it out of this list");
    }
    // origin_of_url (the SDK's reading of a redirect URI, natively) is lenient where the URL
    // parser is (whitespace, slashes), and strict about hosts in the same way.
    for text in ["https://ex\u{e9}mple.com/cb", "http://0x7f.0.0.1/cb", "https://a%41.com/cb", "http://127.1/"] {
        assert!(origin_of_url(text).is_err(), "{text:?}");
        assert!(oracle_origin(text).is_some(), "{text:?}");
    }
}

/// URL-ish text built from the pieces the URL parser treats specially.
fn origin_text() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec![
        "http", "https", "http", "https", "HTTPS", "hTtP", "ftp", "javascript", "ws", "h", "",
    ]);
    let separator = prop::sample::select(vec![
        "://", "://", "://", "://", "://", "://", ":", ":/", ":///", ":\\\\", ":/\\", "//",
        "://\t", ":// ",
    ]);
    let userinfo = prop::sample::select(vec!["", "", "", "", "", "", "", "", "u@", "u:p@", "@", "a@b@", "[::1]@"]);
    let label = prop_oneof![
        6 => "[a-z0-9]{1,6}",
        2 => prop::sample::select(vec![
            "localhost", "example", "com", "EXAMPLE", "0", "1", "255", "256", "01", "0x7f", "0X",
            "xn--bcher-kva", "xn--", "a-b", "-", "_", "~", "!", "$", "'", "*", "+", ",", ";", "=",
            "%41", "%", "é", "日本", "\u{0}", "\u{7f}", " ", "\t", "<", "^", "|", "#", "?", "@",
            "]", "[",
        ]).prop_map(String::from),
    ];
    let name = prop::collection::vec(label, 1..5).prop_map(|labels| labels.join("."));
    let ipv6 = prop::collection::vec(
        prop::sample::select(vec!["", "0", "1", "ffff", "FFFF", "12345", "g", "1.2.3.4", "0:0", "::"]),
        1..9,
    )
    .prop_map(|pieces| format!("[{}]", pieces.join(":")));
    let host = prop_oneof![8 => name, 2 => ipv6, 1 => Just(String::new())];
    let port = prop::sample::select(vec![
        "", "", "", ":", ":0", ":80", ":443", ":080", ":8080", ":65535", ":65536", ":x", ":-1",
        ": 1", ":99999999999999999999",
    ]);
    let tail = prop::sample::select(vec![
        "", "", "", "", "", "/", "/", "/", "//", "/p", "?", "?q", "#", "#f", "\\", "/\\", " ", "\n",
        "/?#",
    ]);
    (scheme, separator, userinfo, host, port, tail).prop_map(|(s, sep, u, h, p, t)| format!("{s}{sep}{u}{h}{p}{t}"))
}

/// Mostly-valid origins: http(s), a plausible host (name, dotted numbers, IPv6), a port, at
/// most a `/`; where the acceptance boundary is.
fn plausible_origin() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec!["http", "https", "HTTPS", "Http"]);
    let host = prop_oneof![
        4 => "[a-zA-Z0-9_~-]{1,8}(\\.[a-zA-Z0-9_~-]{1,8}){0,3}\\.?",
        2 => "(0|1|9|10|99|127|255|256|00|01|0x1|0X){1}(\\.(0|1|9|10|99|127|255|256|00|01|0x1|0X)){0,4}\\.?",
        2 => "\\[(::|0|1|ffff|0:0|1:2:3:4:5:6:7:8|::ffff:1\\.2\\.3\\.4|1::|::1|1:0:0:2::3)\\]",
        1 => "xn--[a-z0-9-]{0,8}\\.[a-z]{2,3}",
    ];
    let port = prop::sample::select(vec!["", "", ":", ":0", ":80", ":443", ":0443", ":8080", ":65535", ":65536"]);
    let tail = prop::sample::select(vec!["", "", "/"]);
    (scheme, host, port, tail).prop_map(|(s, h, p, t)| format!("{s}://{h}{p}{t}"))
}

proptest! {
    #![proptest_config(cases(1024))]

    #[test]
    fn plausible_origins_agree_with_whatwg(text in plausible_origin()) {
        check_origin(&text);
    }

    #[test]
    fn generated_origins_agree_with_whatwg(text in origin_text()) {
        check_origin(&text);
    }

    #[test]
    fn any_text_as_an_origin_agrees_with_whatwg(text in any::<String>()) {
        check_origin(&text);
    }
}

/// The generator must reach acceptance often enough for the agreement test to mean something.
#[test]
fn the_origin_generator_exercises_acceptance() {
    let mut runner = TestRunner::new(Config { rng_seed: proptest::test_runner::RngSeed::Fixed(8), ..Config::default() });
    let count = |strategy: BoxedStrategy<String>, runner: &mut TestRunner| {
        let (mut bare, mut url) = (0, 0);
        for _ in 0..1000 {
            let text = strategy.new_tree(runner).unwrap().current();
            bare += usize::from(parse_bare_origin(&text).is_ok());
            url += usize::from(origin_of_url(&text).is_ok());
        }
        (bare, url)
    };
    let (bare, url) = count(origin_text().boxed(), &mut runner);
    assert!(bare > 10 && url > 100, "origin_text: bare origins accepted {bare}/1000, URLs {url}/1000");
    let (bare, url) = count(plausible_origin().boxed(), &mut runner);
    assert!(bare > 300 && url > 300, "plausible_origin: bare origins accepted {bare}/1000, URLs {url}/1000");
}
