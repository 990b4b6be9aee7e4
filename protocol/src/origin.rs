//! Origin rules: the origin of a URL, and what counts as a bare origin.
//!
//! The origins computed here are compared with `MessageEvent.origin` and passed as
//! `postMessage`'s target origin, so they must be exactly what the browser computes. Rather
//! than approximate the WHATWG URL parser, this is a strict subset of it: every URL it accepts
//! gets the origin the browser would give it, and what it does not fully implement
//! (percent-encoded or international hosts, non-canonical IPv4 forms) is refused.

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

#[derive(Clone, Copy)]
enum Scheme {
    Http,
    Https,
}

impl Scheme {
    const fn name(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    const fn default_port(self) -> u32 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// The scheme of `text` and what follows its `:`.
///
/// No valid scheme at all makes it a relative URL, which has no origin without a base.
fn split_scheme(text: &str) -> Result<(Scheme, &str), OriginError> {
    let (scheme, rest) = text.split_once(':').ok_or(OriginError::Malformed)?;
    let mut bytes = scheme.bytes();
    let valid = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !valid {
        return Err(OriginError::Malformed);
    }
    if scheme.eq_ignore_ascii_case("http") {
        Ok((Scheme::Http, rest))
    } else if scheme.eq_ignore_ascii_case("https") {
        Ok((Scheme::Https, rest))
    } else {
        Err(OriginError::NotHttp)
    }
}

/// Splits `text` where a special URL's authority ends.
fn split_authority(text: &str) -> (&str, &str) {
    let end = text.find(['/', '\\', '?', '#']).unwrap_or(text.len());
    text.split_at_checked(end).unwrap_or((text, ""))
}

/// The origin of the absolute `http:`/`https:` URL `url`, serialized as the WHATWG URL
/// standard does (`scheme://host[:port]`, host lower-cased, default port left out).
///
/// # Errors
/// [`OriginError`] when `url` is not an http(s) URL this parser understands exactly.
pub fn origin_of_url(url: &str) -> Result<String, OriginError> {
    // The URL parser's preprocessing: outer C0 controls and spaces go, and so do tabs and
    // newlines anywhere.
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, rest) = split_scheme(&url)?;
    // Special schemes skip any run of slashes and backslashes, none included.
    let (authority, _) = split_authority(rest.trim_start_matches(['/', '\\']));
    // The user info runs to the last `@`; it has no part in the origin.
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, after)| after);
    serialize(scheme, host_port)
}

/// Checks that `text` is a bare http(s) origin (scheme, host, optional port, at most a lone
/// trailing `/`), returning it serialized.
///
/// # Errors
/// [`OriginError`] for `*`, `null`, other schemes, paths, queries, fragments, user names and
/// anything else that is not exactly an origin.
pub fn parse_bare_origin(text: &str) -> Result<String, OriginError> {
    // No trimming and no stripped tabs: an origin given as configuration is taken literally.
    if text.bytes().any(|b| b <= b' ' || !b.is_ascii()) {
        return Err(OriginError::Malformed);
    }
    let (scheme, rest) = split_scheme(text)?;
    let rest = rest.strip_prefix("//").ok_or(OriginError::Malformed)?;
    if rest.starts_with(['/', '\\']) {
        return Err(OriginError::Malformed);
    }
    let (authority, tail) = split_authority(rest);
    if authority.contains('@') || !(tail.is_empty() || tail == "/") {
        return Err(OriginError::NotBare);
    }
    serialize(scheme, authority)
}

/// Serializes the origin of `scheme` with the authority (user info removed) `host_port`.
fn serialize(scheme: Scheme, host_port: &str) -> Result<String, OriginError> {
    let (host, port) = split_host_port(host_port);
    let mut out = String::with_capacity(host_port.len().saturating_add(8));
    out.push_str(scheme.name());
    out.push_str("://");
    write_host(host, &mut out)?;
    if let Some(port) = port.map(parse_port).transpose()?.flatten() {
        if port != scheme.default_port() {
            out.push(':');
            push_decimal(port, &mut out);
        }
    }
    Ok(out)
}

/// Splits the host from the port text at the first `:` outside brackets, as the URL parser's
/// host state does.
fn split_host_port(text: &str) -> (&str, Option<&str>) {
    let mut in_brackets = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' => in_brackets = true,
            b']' => in_brackets = false,
            b':' if !in_brackets => {
                if let Some((host, port)) = text.split_at_checked(i) {
                    return (host, port.strip_prefix(':'));
                }
            }
            _ => {}
        }
    }
    (text, None)
}

/// The port number in `text`, `None` for an empty port (which the URL parser allows and
/// ignores).
fn parse_port(text: &str) -> Result<Option<u32>, OriginError> {
    if text.is_empty() {
        return Ok(None);
    }
    let mut port: u32 = 0;
    for b in text.bytes() {
        if !b.is_ascii_digit() {
            return Err(OriginError::BadPort);
        }
        // Saturation keeps an overlong port above the limit instead of wrapping into range.
        port = port.saturating_mul(10).saturating_add(u32::from(b - b'0'));
    }
    if port > 0xffff {
        return Err(OriginError::BadPort);
    }
    Ok(Some(port))
}

fn push_decimal(mut n: u32, out: &mut String) {
    let mut digits = [0u8; 10];
    let mut len = 0;
    loop {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (n % 10) as u8;
        }
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits.iter().take(len).rev() {
        out.push(char::from(d));
    }
}

/// Code points the URL standard forbids in a domain (besides C0 controls, DEL and non-ASCII,
/// checked separately).
fn is_forbidden_domain_byte(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'#'
            | b'%'
            | b'/'
            | b':'
            | b'<'
            | b'>'
            | b'?'
            | b'@'
            | b'['
            | b'\\'
            | b']'
            | b'^'
            | b'|'
    )
}

/// Appends the serialized host.
fn write_host(host: &str, out: &mut String) -> Result<(), OriginError> {
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or(OriginError::Malformed)?;
        let address = parse_ipv6(inner.as_bytes()).ok_or(OriginError::Malformed)?;
        out.push('[');
        write_ipv6(&address, out);
        out.push(']');
        return Ok(());
    }
    // `%` (percent-decoding) and non-ASCII (IDNA) are refused rather than implemented.
    if host.is_empty()
        || host
            .bytes()
            .any(|b| !(0x20..0x7f).contains(&b) || is_forbidden_domain_byte(b))
    {
        return Err(OriginError::Malformed);
    }
    // Punycode labels (`xn--…`) are taken as written: they are the ASCII form browsers use in
    // origins. One the browser would reject names an origin no window can have, so accepting
    // it can deliver nothing to anyone.
    if ends_in_a_number(host) {
        // Only the canonical form, which serializes as itself; the URL parser's other IPv4
        // forms (hex, octal, fewer parts) are refused.
        if !is_canonical_ipv4(host) {
            return Err(OriginError::Malformed);
        }
        out.push_str(host);
        return Ok(());
    }
    for b in host.bytes() {
        out.push(char::from(b.to_ascii_lowercase()));
    }
    Ok(())
}

/// The URL standard's test for a host the IPv4 parser must take.
fn ends_in_a_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next().unwrap_or_default();
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    // A hex number, `0x` alone included.
    last.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x"))
        && last.bytes().skip(2).all(|b| b.is_ascii_hexdigit())
}

/// Whether `host` is four decimal numbers up to 255 without leading zeros.
fn is_canonical_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        let canonical = match part.as_bytes() {
            [b'0'] => true,
            [b'1'..=b'9', rest @ ..] if rest.len() <= 2 => {
                rest.iter().all(u8::is_ascii_digit)
                    && part.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')) <= 255
            }
            _ => false,
        };
        if !canonical || parts > 4 {
            return false;
        }
    }
    parts == 4
}

fn hex_value(b: u8) -> Option<u32> {
    char::from(b).to_digit(16)
}

/// The WHATWG IPv6 parser, step for step; `None` where it returns failure.
fn parse_ipv6(input: &[u8]) -> Option<[u16; 8]> {
    let at = |i: usize| input.get(i).copied();
    let mut address = [0u16; 8];
    let mut piece: usize = 0;
    let mut compress: Option<usize> = None;
    let mut i: usize = 0;
    if at(0) == Some(b':') {
        if at(1) != Some(b':') {
            return None;
        }
        i = 2;
        piece = 1;
        compress = Some(1);
    }
    while let Some(c) = at(i) {
        if piece == 8 {
            return None;
        }
        if c == b':' {
            if compress.is_some() {
                return None;
            }
            i += 1;
            piece += 1;
            compress = Some(piece);
            continue;
        }
        let mut value: u32 = 0;
        let mut length: usize = 0;
        while length < 4 {
            let Some(digit) = at(i).and_then(hex_value) else {
                break;
            };
            value = (value << 4) | digit;
            i += 1;
            length += 1;
        }
        match at(i) {
            Some(b'.') => {
                // An IPv4 tail: reread the digits just taken as hex, as decimal.
                if length == 0 || piece > 6 {
                    return None;
                }
                i = i.checked_sub(length)?;
                let mut numbers_seen = 0;
                while at(i).is_some() {
                    if numbers_seen > 0 {
                        if at(i) == Some(b'.') && numbers_seen < 4 {
                            i += 1;
                        } else {
                            return None;
                        }
                    }
                    let mut number: Option<u16> = None;
                    while let Some(d) = at(i).filter(u8::is_ascii_digit) {
                        let d = u16::from(d - b'0');
                        number = match number {
                            None => Some(d),
                            Some(0) => return None,
                            Some(n) => Some(n * 10 + d),
                        };
                        if number > Some(255) {
                            return None;
                        }
                        i += 1;
                    }
                    let slot = address.get_mut(piece)?;
                    *slot = (*slot << 8) | number?;
                    numbers_seen += 1;
                    if numbers_seen == 2 || numbers_seen == 4 {
                        piece += 1;
                    }
                }
                if numbers_seen != 4 {
                    return None;
                }
                break;
            }
            Some(b':') => {
                i += 1;
                at(i)?;
            }
            Some(_) => return None,
            None => {}
        }
        *address.get_mut(piece)? = u16::try_from(value).ok()?;
        piece += 1;
    }
    match compress {
        Some(compress) => {
            // Move the pieces after `::` to the end.
            let mut swaps = piece.checked_sub(compress)?;
            let mut last = 7;
            while last != 0 && swaps > 0 {
                let from = (compress + swaps).checked_sub(1)?;
                let moved = *address.get(from)?;
                let displaced = *address.get(last)?;
                *address.get_mut(last)? = moved;
                *address.get_mut(from)? = displaced;
                last -= 1;
                swaps -= 1;
            }
        }
        None if piece != 8 => return None,
        None => {}
    }
    Some(address)
}

/// Serializes an IPv6 address as the URL standard does: lowercase hex without leading zeros,
/// the first longest run of two or more zero pieces written `::`.
fn write_ipv6(address: &[u16; 8], out: &mut String) {
    let mut compress = None;
    let mut longest = 1;
    let mut start = 0;
    while start < address.len() {
        let run = address.iter().skip(start).take_while(|&&p| p == 0).count();
        if run > longest {
            longest = run;
            compress = Some(start);
        }
        start += run.max(1);
    }
    let mut ignore_zero = false;
    for (i, &piece) in address.iter().enumerate() {
        if ignore_zero && piece == 0 {
            continue;
        }
        ignore_zero = false;
        if compress == Some(i) {
            out.push_str(if i == 0 { "::" } else { ":" });
            ignore_zero = true;
            continue;
        }
        let mut started = false;
        for shift in [12, 8, 4, 0] {
            let digit = (piece >> shift) & 0xf;
            if digit != 0 || started || shift == 0 {
                started = true;
                out.push(char::from_digit(u32::from(digit), 16).unwrap_or('0'));
            }
        }
        if i != 7 {
            out.push(':');
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use OriginError::*;

    fn origin(url: &str) -> Result<String, OriginError> {
        origin_of_url(url)
    }

    #[test]
    fn origins_of_ordinary_urls() {
        for (url, expected) in [
            ("https://example.com", "https://example.com"),
            ("https://example.com/", "https://example.com"),
            ("https://example.com/cb?code=1#x", "https://example.com"),
            (
                "HTTPS://App.Example.COM:443/cb?x#y",
                "https://app.example.com",
            ),
            ("http://localhost:8000/callback", "http://localhost:8000"),
            ("http://a.com:80", "http://a.com"),
            ("http://a.com:443", "http://a.com:443"),
            ("https://a.com:80", "https://a.com:80"),
            ("https://a.com:0443/", "https://a.com"),
            ("https://a.com:00000000000000000000443/", "https://a.com"),
            ("https://a.com:0/", "https://a.com:0"),
            ("https://a.com:65535/", "https://a.com:65535"),
            ("https://a.com:/", "https://a.com"),
            ("https://a.com:", "https://a.com"),
            ("https://a.com?x", "https://a.com"),
            ("https://a.com#x", "https://a.com"),
            ("https://a.com:8080?x", "https://a.com:8080"),
            ("https://a.com:8080#x", "https://a.com:8080"),
            ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
            ("http://0.0.0.0/", "http://0.0.0.0"),
            ("http://255.255.255.255/", "http://255.255.255.255"),
            (
                "https://a-b_c.d~e!$&'()*+,;=.com/",
                "https://a-b_c.d~e!$&'()*+,;=.com",
            ),
            ("https://a..b/", "https://a..b"),
            ("https://a.com./", "https://a.com."),
            ("https://1a.com/", "https://1a.com"),
            ("https://a.0xg/", "https://a.0xg"),
            ("https://a.1x/", "https://a.1x"),
            (
                "https://example.com.evil.com/",
                "https://example.com.evil.com",
            ),
        ] {
            assert_eq!(origin(url).as_deref(), Ok(expected), "{url}");
        }
    }

    #[test]
    fn user_info_is_dropped() {
        for (url, expected) in [
            ("https://user:pw@a.com/", "https://a.com"),
            ("https://user@a.com:8443/", "https://a.com:8443"),
            ("https://a.com@b.com/", "https://b.com"),
            ("https://a@b@c.com/", "https://c.com"),
            ("https://a:b:c@d.com/", "https://d.com"),
            ("https://@a.com/", "https://a.com"),
            ("https://a.com\\@b.com/", "https://a.com"),
            ("https://a.com/@b.com/", "https://a.com"),
            ("https://a.com?@b.com/", "https://a.com"),
            ("https://a.com#@b.com/", "https://a.com"),
            ("https://[::1]@b.com/", "https://b.com"),
        ] {
            assert_eq!(origin(url).as_deref(), Ok(expected), "{url}");
        }
        assert_eq!(origin("https://user@/"), Err(Malformed));
        assert_eq!(origin("https://user@"), Err(Malformed));
        assert_eq!(origin("https://user@:443/"), Err(Malformed));
    }

    #[test]
    fn slashes_and_whitespace_as_the_url_parser_takes_them() {
        for (url, expected) in [
            ("https:example.com", "https://example.com"),
            ("https:/example.com", "https://example.com"),
            ("https:///example.com", "https://example.com"),
            ("https:\\\\example.com", "https://example.com"),
            ("https:/\\/\\example.com", "https://example.com"),
            ("https://a.com\\path", "https://a.com"),
            ("  https://a.com  ", "https://a.com"),
            ("\u{0}\u{1f} https://a.com\u{1}\n", "https://a.com"),
            ("ht\ttps://exa\nmple.com:4\r43/", "https://example.com"),
            ("https://a.com/ path with spaces", "https://a.com"),
            ("https://a.com/é", "https://a.com"),
            ("https://a.com?q=é#é", "https://a.com"),
        ] {
            assert_eq!(origin(url).as_deref(), Ok(expected), "{url:?}");
        }
    }

    #[test]
    fn other_schemes_are_not_http() {
        for url in [
            "ftp://a.com",
            "javascript:alert(1)",
            "data:text/html,hi",
            "file:///etc/passwd",
            "ws://a.com",
            "httpx://a.com",
            "http+s://a.com",
            "blob:https://a.com/uuid",
            "about:blank",
            "x:",
            "a.com:443",
            "localhost:8000",
        ] {
            assert_eq!(origin(url), Err(NotHttp), "{url}");
        }
    }

    #[test]
    fn relative_and_broken_urls_are_malformed() {
        for url in [
            "",
            "   ",
            "//a.com",
            "/cb",
            "a.com",
            "1http://a.com",
            "ht tps://a.com",
            "ht%74p://a.com",
            ":a.com",
            "https:",
            "https://",
            "https:///",
            "https://?x",
            "https://#x",
            "https://:443",
            "https://a b.com/",
            "https://a<b.com/",
            "https://a^b.com/",
            "https://a|b.com/",
            "https://a%41.com/",
            "https://a\u{7f}.com/",
            "https://a\u{0}.com/",
            "https://a\u{1}.com/",
            "https://\u{e9}.com/",
            "https://a]b/",
            "https://a[b]/",
        ] {
            assert_eq!(origin(url), Err(Malformed), "{url:?}");
        }
    }

    #[test]
    fn ipv4_only_in_canonical_form() {
        for url in [
            "http://1.2.3/",
            "http://1.2.3.4.5/",
            "http://1.2.3.256/",
            "http://01.2.3.4/",
            "http://1.2.3.04/",
            "http://0x7f.0.0.1/",
            "http://0x7f000001/",
            "http://2130706433/",
            "http://1.2.3.4./",
            "http://a.1/",
            "http://a.0x/",
            "http://a.0XfF/",
            "http://1..2.3/",
            "http://1.2.3.1000/",
            "http://99999999999999999999.1.1.1/",
        ] {
            assert_eq!(origin(url), Err(Malformed), "{url}");
        }
    }

    #[test]
    fn ipv6_is_parsed_and_serialized() {
        for (url, expected) in [
            ("http://[::1]/", "http://[::1]"),
            ("http://[0:0:0:0:0:0:0:1]/", "http://[::1]"),
            ("http://[::]/", "http://[::]"),
            ("http://[1::]/", "http://[1::]"),
            ("http://[1:0:0:0:0:0:0:0]/", "http://[1::]"),
            ("http://[2001:DB8::A]:8080/", "http://[2001:db8::a]:8080"),
            (
                "http://[2001:0db8:0000:0000:0000:0000:0000:0001]/",
                "http://[2001:db8::1]",
            ),
            ("http://[1:0:0:2:0:0:0:3]/", "http://[1:0:0:2::3]"),
            ("http://[1:0:0:2:0:0:3:4]/", "http://[1::2:0:0:3:4]"),
            ("http://[1:0:2:3:4:5:6:7]/", "http://[1:0:2:3:4:5:6:7]"),
            ("http://[1:2:3:4:5:6:7:8]/", "http://[1:2:3:4:5:6:7:8]"),
            ("http://[::ffff:192.168.0.1]/", "http://[::ffff:c0a8:1]"),
            ("http://[::127.0.0.1]/", "http://[::7f00:1]"),
            (
                "http://[1:2:3:4:5:6:1.2.3.4]/",
                "http://[1:2:3:4:5:6:102:304]",
            ),
            ("http://[::1]:80/", "http://[::1]"),
            ("https://[::1]:8080", "https://[::1]:8080"),
            ("http://[0::0:1]/", "http://[::1]"),
            ("http://[ffff::]/", "http://[ffff::]"),
            ("http://[::0.0.0.0]/", "http://[::]"),
        ] {
            assert_eq!(origin(url).as_deref(), Ok(expected), "{url}");
        }
        for url in [
            "http://[]/",
            "http://[:]/",
            "http://[:::]/",
            "http://[1:::2]/",
            "http://[::1::]/",
            "http://[1:2:3:4:5:6:7]/",
            "http://[1:2:3:4:5:6:7:8:9]/",
            "http://[1:2:3:4:5:6:7:8::]/",
            "http://[::1:2:3:4:5:6:7:8]/",
            "http://[12345::]/",
            "http://[1:]/",
            "http://[:1]/",
            "http://[g::]/",
            "http://[::1]x/",
            "http://[::1/",
            "http://[::1%25eth0]/",
            "http://[::1.2.3]/",
            "http://[::1.2.3.4.5]/",
            "http://[::1.2.3.256]/",
            "http://[::01.2.3.4]/",
            "http://[::1.2.3.4:5]/",
            "http://[1:2:3:4:5:6:7:1.2.3.4]/",
            "http://[::.1.2.3]/",
            "http://[::1.]/",
            "http://[::1.2..3]/",
            "http://::1/",
        ] {
            assert_eq!(origin(url), Err(Malformed), "{url}");
        }
    }

    #[test]
    fn bad_ports() {
        for url in [
            "https://a.com:65536/",
            "https://a.com:99999999999999999999999/",
            "https://a.com:8o/",
            "https://a.com:-1/",
            "https://a.com:+80/",
            "https://a.com: 80/",
            "https://a.com:80:80/",
            "https://[::1]:x/",
            "https://[::1]:1:2/",
        ] {
            assert_eq!(origin(url), Err(BadPort), "{url}");
        }
    }

    #[test]
    fn bare_origins() {
        for (text, expected) in [
            ("https://example.com", "https://example.com"),
            ("https://example.com/", "https://example.com"),
            ("http://localhost:8000", "http://localhost:8000"),
            ("https://EXAMPLE.com:443/", "https://example.com"),
            ("HTTP://A.COM:0080", "http://a.com"),
            (
                "https://example.com.evil.com",
                "https://example.com.evil.com",
            ),
            ("https://[::1]:8080", "https://[::1]:8080"),
            ("http://[0:0::1]", "http://[::1]"),
            ("https://a.com:", "https://a.com"),
            ("http://127.0.0.1:5500/", "http://127.0.0.1:5500"),
            ("https://XN--bcher-kva.de", "https://xn--bcher-kva.de"),
        ] {
            assert_eq!(parse_bare_origin(text).as_deref(), Ok(expected), "{text}");
            // Whatever is accepted as bare is the origin the URL parser gives it.
            assert_eq!(origin(text).as_deref(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn more_than_an_origin_is_not_bare() {
        for text in [
            "https://example.com/some/path",
            "https://example.com//",
            "https://example.com/?",
            "https://example.com?",
            "https://example.com#",
            "http://localhost:8000?foo=bar#baz",
            "https://user@example.com",
            "https://user:pw@example.com/",
            "https://@example.com",
            "https://example.com\\",
            "https://example.com/\\",
        ] {
            assert_eq!(parse_bare_origin(text), Err(NotBare), "{text}");
        }
    }

    #[test]
    fn non_origins_are_refused() {
        for (text, error) in [
            ("*", Malformed),
            ("null", Malformed),
            ("", Malformed),
            ("example.com", Malformed),
            ("//example.com", Malformed),
            ("javascript:alert(1)", NotHttp),
            ("data:text/html,hi", NotHttp),
            ("ftp://example.com", NotHttp),
            ("https://", Malformed),
            ("https:///", Malformed),
            ("https:///example.com", Malformed),
            ("https:/example.com", Malformed),
            ("https:example.com", Malformed),
            ("https:\\\\example.com", Malformed),
            ("https:/\\example.com", Malformed),
            ("https://exa mple.com", Malformed),
            (" https://example.com", Malformed),
            ("https://example.com ", Malformed),
            ("https://example.com\n", Malformed),
            ("https://exa\tmple.com", Malformed),
            ("https://ex\u{e9}mple.com", Malformed),
            ("https://exa%6dple.com", Malformed),
            ("https://[::1", Malformed),
            ("https://01.2.3.4", Malformed),
            ("https://example.com:65536", BadPort),
            ("https://example.com:x", BadPort),
        ] {
            assert_eq!(parse_bare_origin(text), Err(error), "{text:?}");
        }
    }
}
