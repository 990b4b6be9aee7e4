//! Transport-independent HTTP types and the small encoders/decoders the simulator needs:
//! query strings, percent-encoding, HTML escaping, Basic credentials.

use smartcar_protocol::query;
use serde_json::Value;

/// An HTTP request, already read off the wire.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub method: String,
    /// The path without the query string, still percent-encoded.
    pub path: String,
    /// The decoded query parameters, in order (repeats kept).
    pub query: Vec<(String, String)>,
    /// Header names are compared case-insensitively.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// A request for `url` (path and query, as on the request line).
    pub fn new(method: &str, url: &str) -> Request {
        let (path, query) = match url.split_once('?') {
            Some((p, q)) => (p, parse_query(q)),
            None => (url, Vec::new()),
        };
        Request { method: method.to_ascii_uppercase(), path: path.to_string(), query, ..Request::default() }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn with_form(mut self, pairs: &[(&str, &str)]) -> Request {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect();
        self.body = body.join("&").into_bytes();
        self.with_header("Content-Type", "application/x-www-form-urlencoded")
    }

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
        parse_query(&String::from_utf8_lossy(&self.body))
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
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
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

    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/html; charset=utf-8", body)
    }

    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn json(status: u16, value: &Value) -> Response {
        Response::new(status, "application/json", value.to_string())
    }

    /// A `303 See Other` (after a form POST) or `302 Found` to `location`.
    pub fn redirect(status: u16, location: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("Redirecting to {location}")).with_header("Location", location)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn body_json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Parses `a=1&b=x+y` (application/x-www-form-urlencoded rules: `+` is a space), as the
/// redirect page reads its query string.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    query::pairs(q).collect()
}

/// Percent-encodes `s` as `encodeURIComponent` does.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    query::encode_component(s, &mut out);
    out
}

/// `uri` with `params` appended to its query string (any fragment is dropped, as OAuth
/// redirect URIs have none).
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

/// Standard base64 (padding optional); `None` on any invalid character.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in s.trim().trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push(((bits >> nbits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// `Authorization: Basic base64(id:secret)` → `(id, secret)` (both percent-decoded, per RFC 6749 §2.3.1).
pub fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64_decode(rest)?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((query::form_decode(id), query::form_decode(secret)))
}

/// `Authorization: Bearer <token>` → the token.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    let token = rest.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL, lower-cased.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// Whether `s` is exactly a bare http(s) origin (no path, query, fragment or credentials).
pub fn is_bare_origin(s: &str) -> bool {
    match origin_of(s) {
        Some(o) => o == s.to_ascii_lowercase() && !s.ends_with(':'),
        None => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trip() {
        let q = parse_query("a=1&b=x+y%2Bz&c&d=%E2%82%AC&bad=%zz");
        assert_eq!(q, vec![
            ("a".into(), "1".into()), ("b".into(), "x y+z".into()), ("c".into(), "".into()),
            ("d".into(), "€".into()), ("bad".into(), "%zz".into()),
        ]);
        assert_eq!(encode_component("a b+/=é"), "a%20b%2B%2F%3D%C3%A9");
    }

    #[test]
    fn append_keeps_existing_query() {
        assert_eq!(append_query("http://r/x?app_origin=http://a", &[("code", "c 1")]), "http://r/x?app_origin=http://a&code=c%201");
        assert_eq!(append_query("http://r/x#frag", &[("a", "1"), ("b", "2")]), "http://r/x?a=1&b=2");
    }

    #[test]
    fn basic_and_bearer() {
        assert_eq!(basic_credentials("Basic aWQ6c2VjcmV0"), Some(("id".into(), "secret".into())));
        assert_eq!(basic_credentials("Basic !!!"), None);
        assert_eq!(basic_credentials("Bearer x"), None);
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("Bearer "), None);
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("http://localhost:8001/redirect.html?x=1").as_deref(), Some("http://localhost:8001"));
        assert!(is_bare_origin("http://localhost:8000"));
        assert!(!is_bare_origin("http://localhost:8000/"));
        assert!(!is_bare_origin("*"));
        assert!(!is_bare_origin("javascript:alert(1)"));
        assert!(!is_bare_origin("http://user@host"));
    }

    #[test]
    fn escapes_html() {
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }
}
