//! Base64 as the browser's `btoa` writes it, and a reader that undoes the damage a query string
//! does to it.
//!
//! The state travels through Connect's query string. Apps and Connect do not always
//! percent-encode it, so a `+` in it can come back as a space after form decoding; the reader
//! takes a space for a `+` and tolerates missing padding, and refuses everything else, so a
//! value that is not ours is not mistaken for one.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The alphabet symbol for the low six bits of `v`.
fn symbol(v: u32) -> char {
    ALPHABET
        .get((v & 0x3f) as usize)
        .map_or('A', |&b| char::from(b))
}

/// Base64 of `bytes` with the standard alphabet and `=` padding: what `btoa` returns for the
/// Latin-1 string whose char codes are `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3).saturating_mul(4));
    for chunk in bytes.chunks(3) {
        let mut group: u32 = 0;
        for (i, &b) in chunk.iter().enumerate() {
            // Bytes fill the 24-bit group from the top, so a short last chunk leaves zeros
            // in the bits the padding stands for.
            let shift = match i {
                0 => 16,
                1 => 8,
                _ => 0,
            };
            group |= u32::from(b) << shift;
        }
        out.push(symbol(group >> 18));
        out.push(symbol(group >> 12));
        out.push(if chunk.len() > 1 {
            symbol(group >> 6)
        } else {
            '='
        });
        out.push(if chunk.len() > 2 { symbol(group) } else { '=' });
    }
    out
}

/// The six-bit value of one base64 symbol; a space is a `+` that form decoding turned into one.
fn value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' | b' ' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// The bytes `text` encodes, `None` when it is not base64.
///
/// Accepted beyond strict base64: a space for `+`, and missing trailing padding. Padding that
/// is present must be complete (total length a multiple of four, at most two `=`). Non-zero
/// bits after the last full byte are ignored, as `atob` ignores them.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let body_len = bytes
        .iter()
        .rposition(|&b| b != b'=')
        .map_or(0, |last| last.saturating_add(1));
    let (body, padding) = bytes.split_at_checked(body_len)?;
    if !padding.is_empty() && (padding.len() > 2 || bytes.len() % 4 != 0) {
        return None;
    }
    // One symbol alone carries six bits: not even a byte.
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity((body.len() / 4).saturating_mul(3).saturating_add(2));
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for &b in body {
        acc = (acc << 6) | u32::from(value(b)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            // Keep only the bits not yet emitted, so `acc` never grows past 14 bits.
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_btoa() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg==");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(b"foob"), "Zm9vYg==");
        assert_eq!(encode(b"fooba"), "Zm9vYmE=");
        assert_eq!(encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "+/+/");
        assert_eq!(encode(&[0, 0, 0]), "AAAA");
        assert_eq!(encode(&[0xff]), "/w==");
    }

    #[test]
    fn decodes_standard_base64() {
        assert_eq!(decode("").unwrap(), b"");
        assert_eq!(decode("Zg==").unwrap(), b"f");
        assert_eq!(decode("Zm8=").unwrap(), b"fo");
        assert_eq!(decode("Zm9v").unwrap(), b"foo");
        assert_eq!(decode("Zm9vYmFy").unwrap(), b"foobar");
        assert_eq!(decode("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn round_trips_every_byte_and_length() {
        let all: Vec<u8> = (0..=255u8).collect();
        for len in 0..all.len() {
            let bytes = &all[..len];
            assert_eq!(decode(&encode(bytes)).unwrap(), bytes, "len {len}");
        }
        let reversed: Vec<u8> = all.iter().rev().copied().collect();
        assert_eq!(decode(&encode(&reversed)).unwrap(), reversed);
    }

    #[test]
    fn padding_is_optional() {
        assert_eq!(decode("Zg").unwrap(), b"f");
        assert_eq!(decode("Zm8").unwrap(), b"fo");
        assert_eq!(decode("Zm9vYg").unwrap(), b"foob");
    }

    #[test]
    fn space_stands_for_plus() {
        assert_eq!(decode(" / /").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(decode("+/ /").unwrap(), [0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn refuses_bad_padding() {
        assert_eq!(decode("Zg="), None);
        assert_eq!(decode("Zg==="), None);
        assert_eq!(decode("Zm9v="), None);
        assert_eq!(decode("Zm9v=="), None);
        assert_eq!(decode("Z==="), None);
        assert_eq!(decode("===="), None);
        assert_eq!(decode("=="), None);
        assert_eq!(decode("="), None);
        assert_eq!(decode("Zg==Zg=="), None);
        assert_eq!(decode("Z=g="), None);
        assert_eq!(decode("Zm9vYmFy===="), None);
    }

    #[test]
    fn refuses_impossible_lengths() {
        assert_eq!(decode("Z"), None);
        assert_eq!(decode("Zm9vY"), None);
        assert_eq!(decode("Zm9vY=="), None);
    }

    #[test]
    fn refuses_other_characters() {
        for bad in [
            "Zm9v\n",
            "Zm 9v\t",
            "Zm-v",
            "Zm_v",
            "Zm9v.",
            "Zm%2B",
            "é===",
            "Zm9\0",
            "Zm\u{a0}v",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn accepts_non_zero_trailing_bits_like_atob() {
        // atob("Zh==") === "f"
        assert_eq!(decode("Zh==").unwrap(), b"f");
        assert_eq!(decode("Zm9=").unwrap(), b"fo");
    }
}
