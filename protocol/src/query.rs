//! Query strings: reading them as `URLSearchParams` does, writing values as
//! `encodeURIComponent` does.
//!
//! Both sides of the redirect must agree with the browser byte for byte: the redirect page
//! reads what Connect wrote, and the SDK writes what Connect and apps read with the browser's
//! own functions.

/// The raw `name=value` pieces of `search`, split as `URLSearchParams` splits them.
fn raw_pairs(search: &str) -> impl Iterator<Item = (&str, &str)> + '_ {
    let search = search.strip_prefix('?').unwrap_or(search);
    search
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one name or value as `application/x-www-form-urlencoded` does: `+` is a space,
/// `%XX` a byte (a `%` without two hex digits stays as it is), and bytes that are not UTF-8
/// become U+FFFD.
pub fn form_decode(raw: &str) -> String {
    decode_bytes(raw, true)
}

/// Percent-decodes `text` as the URL standard decodes a path segment: `%XX` is a byte (a `%`
/// without two hex digits stays as it is), `+` stays `+`, and bytes that are not UTF-8 become
/// U+FFFD.
pub fn percent_decode(text: &str) -> String {
    decode_bytes(text, false)
}

fn decode_bytes(raw: &str, plus_is_space: bool) -> String {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        match b {
            b'+' if plus_is_space => bytes.push(b' '),
            b'%' => {
                if let [high, low, after @ ..] = tail {
                    if let (Some(high), Some(low)) = (hex_value(*high), hex_value(*low)) {
                        bytes.push((high << 4) | low);
                        rest = after;
                        continue;
                    }
                }
                bytes.push(b'%');
            }
            b => bytes.push(b),
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// The decoded `(name, value)` pairs of `search` (with or without its leading `?`), in order,
/// as iterating a `URLSearchParams` yields them.
pub fn pairs(search: &str) -> impl Iterator<Item = (String, String)> + '_ {
    raw_pairs(search).map(|(name, value)| (form_decode(name), form_decode(value)))
}

/// The value of the first parameter called `name` in `search` (with or without its leading `?`),
/// decoded as `URLSearchParams.get` decodes it; `None` when there is no such parameter.
pub fn get(search: &str, name: &str) -> Option<String> {
    raw_pairs(search)
        .find(|(raw_name, _)| form_decode(raw_name) == name)
        .map(|(_, value)| form_decode(value))
}

/// Appends `value` to `out` percent-encoded exactly as `encodeURIComponent` does.
pub fn encode_component(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            )
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            for nibble in [b >> 4, b & 0xf] {
                out.push(HEX.get(usize::from(nibble)).map_or('0', |&h| char::from(h)));
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn encoded(value: &str) -> String {
        let mut out = String::new();
        encode_component(value, &mut out);
        out
    }

    #[test]
    fn gets_the_first_occurrence() {
        assert_eq!(get("?a=1&a=2", "a").as_deref(), Some("1"));
        assert_eq!(get("a=1&b=2", "b").as_deref(), Some("2"));
        assert_eq!(get("?a=1", "b"), None);
        assert_eq!(get("", "a"), None);
        assert_eq!(get("?", "a"), None);
    }

    #[test]
    fn strips_only_one_question_mark() {
        assert_eq!(get("??a=1", "a"), None);
        assert_eq!(get("??a=1", "?a").as_deref(), Some("1"));
    }

    #[test]
    fn splits_at_the_first_equals_and_skips_empty_pieces() {
        assert_eq!(get("&&a=b=c&&", "a").as_deref(), Some("b=c"));
        assert_eq!(get("a", "a").as_deref(), Some(""));
        assert_eq!(get("a=", "a").as_deref(), Some(""));
        assert_eq!(get("=x", "").as_deref(), Some("x"));
        assert_eq!(get("=", "").as_deref(), Some(""));
    }

    #[test]
    fn percent_decode_keeps_plus() {
        assert_eq!(percent_decode("a+b%2Bc%zz%E2%82%AC"), "a+b+c%zz\u{20ac}");
        assert_eq!(percent_decode("%FF"), "\u{fffd}");
    }

    #[test]
    fn decodes_plus_and_percent() {
        assert_eq!(get("a=b+c", "a").as_deref(), Some("b c"));
        assert_eq!(get("a=b%2Bc", "a").as_deref(), Some("b+c"));
        assert_eq!(get("a=%2b%2F%3d", "a").as_deref(), Some("+/="));
        assert_eq!(get("a+b=1", "a b").as_deref(), Some("1"));
        assert_eq!(get("%61=1", "a").as_deref(), Some("1"));
        assert_eq!(get("a=%26%3D", "a").as_deref(), Some("&="));
        assert_eq!(get("a=%C3%A9%F0%9F%98%80", "a").as_deref(), Some("é😀"));
        assert_eq!(get("a=é", "a").as_deref(), Some("é"));
        assert_eq!(get("a=%00", "a").as_deref(), Some("\0"));
    }

    #[test]
    fn keeps_a_stray_percent() {
        assert_eq!(get("a=%", "a").as_deref(), Some("%"));
        assert_eq!(get("a=%2", "a").as_deref(), Some("%2"));
        assert_eq!(get("a=%zz", "a").as_deref(), Some("%zz"));
        assert_eq!(get("a=%%41", "a").as_deref(), Some("%A"));
        assert_eq!(get("a=%4%41", "a").as_deref(), Some("%4A"));
        assert_eq!(get("a=100%", "a").as_deref(), Some("100%"));
        assert_eq!(get("a=%+1", "a").as_deref(), Some("% 1"));
        assert_eq!(get("a=%é", "a").as_deref(), Some("%é"));
    }

    #[test]
    fn replaces_bad_utf8() {
        assert_eq!(get("a=%FF", "a").as_deref(), Some("\u{fffd}"));
        assert_eq!(get("a=x%C3", "a").as_deref(), Some("x\u{fffd}"));
        assert_eq!(get("a=%C3%28", "a").as_deref(), Some("\u{fffd}("));
        assert_eq!(
            get("a=%ED%A0%80", "a").as_deref(),
            Some("\u{fffd}\u{fffd}\u{fffd}")
        );
        assert_eq!(get("a=%F0%9F%98", "a").as_deref(), Some("\u{fffd}"));
        assert_eq!(get("%FF=1", "\u{fffd}").as_deref(), Some("1"));
    }

    #[test]
    fn lists_pairs_in_order() {
        let all: Vec<(String, String)> = pairs("?b=2&a&&c=%20=").collect();
        assert_eq!(
            all,
            vec![
                ("b".into(), "2".into()),
                ("a".into(), String::new()),
                ("c".into(), " =".into()),
            ]
        );
        assert_eq!(pairs("").count(), 0);
    }

    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(encoded(""), "");
        assert_eq!(encoded("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()",);
        assert_eq!(
            encoded(" +/?#&=%:@$,;[]\"<>\\^`{|}"),
            "%20%2B%2F%3F%23%26%3D%25%3A%40%24%2C%3B%5B%5D%22%3C%3E%5C%5E%60%7B%7C%7D"
        );
        assert_eq!(encoded("\0\n\u{7f}"), "%00%0A%7F");
        assert_eq!(encoded("é日😀"), "%C3%A9%E6%97%A5%F0%9F%98%80");
        assert_eq!(
            encoded("https://a.com/cb?x=1"),
            "https%3A%2F%2Fa.com%2Fcb%3Fx%3D1"
        );
    }

    #[test]
    fn encoded_values_read_back() {
        for value in [
            "",
            "a b+c",
            "%41",
            "&=?#",
            "é😀\u{2028}",
            "\0\u{7f}",
            "base64+/==",
        ] {
            let search = format!("?x=1&v={}&v=2", encoded(value));
            assert_eq!(get(&search, "v").as_deref(), Some(value), "{value:?}");
        }
        for b in 0..=0x7fu8 {
            let value = char::from(b).to_string();
            let search = format!("v={}", encoded(&value));
            assert_eq!(get(&search, "v").unwrap(), value);
        }
    }
}
