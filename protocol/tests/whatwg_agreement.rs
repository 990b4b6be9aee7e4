//! The origin rule against the WHATWG URL standard, with the `url` crate (a WHATWG URL
//! implementation) as the oracle: `origin::bare_origin`, given what a WHATWG parser returns for
//! a text (`href` and `origin`, as the redirect page and the SDK get them from the browser's
//! `URL`), accepts exactly the texts that are an http(s) origin and nothing more, and returns
//! that origin.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use smartcar_protocol::origin::bare_origin;
use url::Url;

/// `n` cases, or `PROPTEST_CASES` when set (for the longer runs in SECURITY.md).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n))
}

// --- origins ----------------------------------------------------------------------------------

/// The oracle's reading of `text` as a bare origin, from the URL's structure: the serialized
/// origin when `text` parses as an http(s) URL with nothing but scheme, host and port (path
/// `/`, no query, fragment or credentials).
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

/// `bare_origin` over the parser's `href` and `origin` agrees with the structural reading.
/// Returns whether it accepted (for the generators' coverage check).
fn check_origin(text: &str) -> bool {
    let ours = Url::parse(text).ok().and_then(|url| {
        let origin = url.origin().ascii_serialization();
        bare_origin(url.as_str(), &origin).map(str::to_owned)
    });
    assert_eq!(ours, oracle_bare_origin(text), "bare_origin of {text:?}");
    ours.is_some()
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

/// The generators must reach acceptance often enough for the agreement test to mean something.
#[test]
fn the_origin_generators_exercise_acceptance() {
    let mut runner = TestRunner::new(Config { rng_seed: proptest::test_runner::RngSeed::Fixed(8), ..Config::default() });
    let mut accepted = |strategy: BoxedStrategy<String>| {
        (0..1000).filter(|_| check_origin(&strategy.new_tree(&mut runner).unwrap().current())).count()
    };
    let generated = accepted(origin_text().boxed());
    assert!(generated > 10, "origin_text: bare origins accepted {generated}/1000");
    let plausible = accepted(plausible_origin().boxed());
    assert!(plausible > 300, "plausible_origin: bare origins accepted {plausible}/1000");
}
