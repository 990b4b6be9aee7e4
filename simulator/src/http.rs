//! Transport-independent HTTP types and the few encoders/decoders the simulator needs: query
//! strings (`url`'s `form_urlencoded`), percent-encoding (`percent-encoding`), HTML escaping,
//! Basic credentials (`base64`), origins (`url`).

use base64::alphabet;
use base64::engine::{DecodePaddingMode, Engine as _, GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;
use url::{form_urlencoded, Url};

/// An HTTP request, already read off the wire.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The method, upper-cased (`GET`, `POST`, ...).
    pub method: String,
    /// The path without the query string, still percent-encoded.
    pub path: String,
    /// The decoded query parameters, in order (repeats kept).
    pub query: Vec<(String, String)>,
    /// Header names are compared case-insensitively.
    pub headers: Vec<(String, String)>,
    /// The raw body (empty when there is none).
    pub body: Vec<u8>,
}

impl Request {
    /// A request for `url` (path and query, as on the request line).
    pub fn new(method: &str, url: &str) -> Request {
        let (path, query) = match url.split_once('?') {
            Some((p, q)) => (p, form_urlencoded::parse(q.as_bytes()).into_owned().collect()),
            None => (url, Vec::new()),
        };
        Request { method: method.to_ascii_uppercase(), path: path.to_string(), query, ..Request::default() }
    }

    /// The request with header `name: value` added.
    pub fn with_header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The request with `pairs` as its `application/x-www-form-urlencoded` body (written as a
    /// browser submits a form), and that `Content-Type`.
    pub fn with_form(mut self, pairs: &[(&str, &str)]) -> Request {
        self.body = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish().into_bytes();
        self.with_header("Content-Type", "application/x-www-form-urlencoded")
    }

    /// The value of the first header called `name` (in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The first value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        first(&self.query, name)
    }

    /// The body as `application/x-www-form-urlencoded` pairs (empty for any other type).
    pub fn form(&self) -> Vec<(String, String)> {
        let is_form = self
            .header("content-type")
            .map(|t| t.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
            .unwrap_or(false);
        if !is_form {
            return Vec::new();
        }
        form_urlencoded::parse(&self.body).into_owned().collect()
    }
}

/// The first value of `name` in `pairs`.
pub fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// How many times `name` occurs in `pairs`.
pub fn count(pairs: &[(String, String)], name: &str) -> usize {
    pairs.iter().filter(|(k, _)| k == name).count()
}

/// An HTTP response.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with `body` of `content_type`, never cached.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type".to_string(), content_type.to_string()),
                ("Cache-Control".to_string(), "no-store".to_string()),
            ],
            body: body.into(),
        }
    }

    /// An HTML page.
    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/html; charset=utf-8", body)
    }

    /// Plain text.
    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    /// A JSON body.
    pub fn json(status: u16, value: &Value) -> Response {
        Response::new(status, "application/json", value.to_string())
    }

    /// A `303 See Other` (after a form POST) or `302 Found` to `location`.
    pub fn redirect(status: u16, location: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("Redirecting to {location}")).with_header("Location", location)
    }

    /// The response with header `name: value` added.
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The value of the first header called `name` (in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (`null` when it is not JSON).
    pub fn body_json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// What `encodeURIComponent` leaves as it is: ASCII letters and digits, and `-_.!~*'()`.
/// Everything else is percent-encoded (as UTF-8 bytes, with upper-case hex digits).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Percent-encodes `s` as `encodeURIComponent` does.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Percent-decodes one path segment as the URL standard does: `%XX` is a byte (a `%` without
/// two hex digits stays as it is), `+` stays `+`, and bytes that are not UTF-8 become U+FFFD.
pub fn decode_path_segment(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// `uri` with `params` appended to its query string, each name and value written as
/// `encodeURIComponent` writes it (any fragment is dropped, as OAuth redirect URIs have none).
/// An existing query is kept as it is, so `URLSearchParams` reads it back unchanged.
pub fn append_query(uri: &str, params: &[(&str, &str)]) -> String {
    let base = uri.split('#').next().unwrap_or(uri);
    let mut out = base.to_string();
    for (k, v) in params {
        let sep = if out.contains('?') { if out.ends_with('?') || out.ends_with('&') { "" } else { "&" } } else { "?" };
        out.push_str(sep);
        out.push_str(&encode_component(k));
        out.push('=');
        out.push_str(&encode_component(v));
    }
    out
}

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The base64 of HTTP Basic credentials: the standard alphabet (RFC 4648 §4), with or without
/// its `=` padding.
const BASIC: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent).with_decode_allow_trailing_bits(true),
);

/// Decodes a client id or secret taken out of Basic credentials, which RFC 6749 §2.3.1 has
/// `application/x-www-form-urlencoded`: `+` is a space, then `%XX` a byte. (This is what
/// `form_urlencoded::parse` does to each name and value; it is not called on the whole text
/// because a raw `&` or `=` in a secret is part of the secret, not a separator.)
fn form_decode(raw: &str) -> String {
    percent_decode_str(&raw.replace('+', " ")).decode_utf8_lossy().into_owned()
}

/// `Authorization: Basic base64(id:secret)` → `(id, secret)` (both form-decoded, per RFC 6749 §2.3.1).
pub fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(BASIC.decode(rest.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((form_decode(id), form_decode(secret)))
}

/// `Authorization: Bearer <token>` → the token.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    let token = rest.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// `url` parsed, when it is an absolute `http:` or `https:` URL without a user name or password.
fn web_url(url: &str) -> Option<Url> {
    let url = Url::parse(url).ok()?;
    let web = matches!(url.scheme(), "http" | "https");
    let no_credentials = url.username().is_empty() && url.password().is_none();
    (web && no_credentials).then_some(url)
}

/// The origin (`scheme://host[:port]`, as `URL.origin` writes it: lower case, no default port)
/// of an absolute http(s) URL without credentials.
pub fn origin_of(url: &str) -> Option<String> {
    web_url(url).map(|u| u.origin().ascii_serialization())
}

/// Whether `s` is a bare origin: an `http:` or `https:` URL with no user name or password, no
/// path but `/`, no query and no fragment. The rule applies to the parsed URL, so spellings
/// that parse to the same origin count too (`http://host`, `http://host/`, `HTTP://HOST:80`).
/// It is the redirect page's rule (`smartcar_protocol::origin::bare_origin`), applied to the
/// `url` crate's WHATWG parse instead of the browser's.
pub fn is_bare_origin(s: &str) -> bool {
    web_url(s).is_some_and(|url| url.path() == "/" && url.query().is_none() && url.fragment().is_none())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_forms_read_as_url_search_params() {
        let expected: Vec<(String, String)> = vec![
            ("a".into(), "1".into()), ("b".into(), "x y+z".into()), ("c".into(), "".into()),
            ("d".into(), "€".into()), ("bad".into(), "%zz".into()),
        ];
        let raw = "a=1&b=x+y%2Bz&&c&d=%E2%82%AC&bad=%zz";
        let req = Request::new("get", &format!("/p%20q?{raw}"));
        assert_eq!((req.method.as_str(), req.path.as_str()), ("GET", "/p%20q"));
        assert_eq!(req.query, expected);
        assert_eq!(req.param("b"), Some("x y+z"));
        let mut post = Request::new("POST", "/p").with_header("content-type", "Application/X-WWW-Form-Urlencoded; charset=utf-8");
        post.body = raw.as_bytes().to_vec();
        assert_eq!(post.form(), expected);
        post.headers.clear();
        assert_eq!(post.form(), vec![], "only form bodies are read");
        let form = Request::new("POST", "/p").with_form(&[("a b", "x+y&z=é")]);
        assert_eq!(form.form(), vec![("a b".to_string(), "x+y&z=é".to_string())]);
    }

    #[test]
    fn encodes_as_encode_uri_component_and_reads_back() {
        assert_eq!(encode_component("a b+/=é"), "a%20b%2B%2F%3D%C3%A9");
        assert_eq!(encode_component("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");
        assert_eq!(
            encode_component(" +/?#&=%:@$,;[]\"<>\\^`{|}\0\n\u{7f}日😀"),
            "%20%2B%2F%3F%23%26%3D%25%3A%40%24%2C%3B%5B%5D%22%3C%3E%5C%5E%60%7B%7C%7D%00%0A%7F%E6%97%A5%F0%9F%98%80"
        );
        for value in ["", "a b+c", "%41", "&=?#", "é😀\u{2028}", "base64+/=="] {
            let req = Request::new("GET", &format!("/?x=1&v={}&v=2", encode_component(value)));
            assert_eq!(req.param("v"), Some(value));
        }
        assert_eq!(decode_path_segment("a+b%2Fc%zz%FF"), "a+b/c%zz\u{fffd}");
    }

    #[test]
    fn append_keeps_existing_query() {
        assert_eq!(append_query("http://r/x?app_origin=http://a", &[("code", "c 1")]), "http://r/x?app_origin=http://a&code=c%201");
        assert_eq!(append_query("http://r/x#frag", &[("a", "1"), ("b", "2")]), "http://r/x?a=1&b=2");
        assert_eq!(append_query("http://r/x?y&", &[("s", "s+1/=")]), "http://r/x?y&s=s%2B1%2F%3D");
    }

    #[test]
    fn basic_and_bearer() {
        assert_eq!(basic_credentials("Basic aWQ6c2VjcmV0"), Some(("id".into(), "secret".into())));
        assert_eq!(basic_credentials("basic  aWQ6c2VjcmV0 "), Some(("id".into(), "secret".into())));
        // base64("id%20:s%2Bt+u&=v"), unpadded: the id and secret are form-decoded.
        assert_eq!(basic_credentials("Basic aWQlMjA6cyUyQnQrdSY9dg"), Some(("id ".into(), "s+t u&=v".into())));
        assert_eq!(basic_credentials("Basic aWQlMjA6cyUyQnQrdSY9dg=="), Some(("id ".into(), "s+t u&=v".into())));
        assert_eq!(basic_credentials("Basic !!!"), None);
        assert_eq!(basic_credentials("Basic aWQ6c2VjcmV0_-"), None, "the URL-safe alphabet is not Basic's");
        assert_eq!(basic_credentials("Basic c2VjcmV0"), None, "no colon");
        assert_eq!(basic_credentials("Bearer x"), None);
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("Bearer "), None);
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("http://localhost:8001/redirect.html?x=1").as_deref(), Some("http://localhost:8001"));
        assert_eq!(origin_of("HTTPS://App.Example.com:443/cb").as_deref(), Some("https://app.example.com"));
        assert_eq!(origin_of("http://user:pw@host/cb"), None);
        assert_eq!(origin_of("ftp://host/cb"), None);
        assert_eq!(origin_of("/relative"), None);
        for bare in [
            "http://localhost:8000", "http://localhost:8000/", "HTTP://LOCALHOST:8000", "https://app.example.com", "https://app.example.com:443",
            "http://host:", "http://[::1]:3000", "https://xn--bcher-kva.de", "https://bücher.de",
        ] {
            assert!(is_bare_origin(bare), "{bare}");
        }
        for not in [
            "http://localhost:8000/x", "http://localhost:8000/?", "http://localhost:8000?x=1", "http://localhost:8000#", "http://localhost:8000/#top",
            "http://user@host", "http://u:p@host", "http://host:99999", "http://host:abc", "*", "null", "", "/", "javascript:alert(1)",
            "ftp://host", "wss://host", "file:///etc", "http://",
        ] {
            assert!(!is_bare_origin(not), "{not}");
        }
    }

    #[test]
    fn escapes_html() {
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }
}
