//! Origin rules: the origin of a URL, and what counts as a bare origin.

/// Why a text is not a URL or origin these rules accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginError {
    /// Not an `http:` or `https:` URL.
    NotHttp,
    /// Not a URL at all, or one this parser does not fully understand (and so refuses).
    Malformed,
    /// A port that is not a number from 0 to 65535.
    BadPort,
    /// A URL with more than an origin: a path, query, fragment or user name.
    NotBare,
}

/// The origin of the absolute `http:`/`https:` URL `url`, serialized as the WHATWG URL
/// standard does (`scheme://host[:port]`, host lower-cased, default port left out).
///
/// # Errors
/// [`OriginError`] when `url` is not an http(s) URL this parser understands exactly.
pub fn origin_of_url(url: &str) -> Result<String, OriginError> {
    let _ = url;
    todo!("helper")
}

/// Checks that `text` is a bare http(s) origin (scheme, host, optional port, at most a lone
/// trailing `/`), returning it serialized.
///
/// # Errors
/// [`OriginError`] for `*`, `null`, other schemes, paths, queries, fragments, user names and
/// anything else that is not exactly an origin.
pub fn parse_bare_origin(text: &str) -> Result<String, OriginError> {
    let _ = text;
    todo!("helper")
}
