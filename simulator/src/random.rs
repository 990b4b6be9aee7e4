//! Unguessable identifiers for codes, tokens, sessions and users, from the operating system's
//! random number generator (the `getrandom` crate). There is no fallback: when the generator
//! fails, no identifier is made and the caller gets the error (`main` checks it at startup,
//! and a request that needs an identifier then answers 500).

use std::fmt;

/// The operating system's random number generator failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error(getrandom::Error);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the operating system's random number generator failed ({})", self.0)
    }
}

impl std::error::Error for Error {}

/// 128 random bits.
fn random_bytes() -> Result<[u8; 16], Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(Error)?;
    Ok(bytes)
}

/// Whether the random number generator works (`main` asks once, before it listens).
pub fn check() -> Result<(), Error> {
    random_bytes().map(|_| ())
}

/// `prefix_` and 32 hex digits (128 bits).
pub fn token(prefix: &str) -> Result<String, Error> {
    Ok(format!("{prefix}_{:032x}", u128::from_be_bytes(random_bytes()?)))
}

/// A random (version 4, RFC 9562 variant) UUID, in lower case.
pub fn uuid() -> Result<String, Error> {
    let n = u128::from_be_bytes(random_bytes()?);
    // Version 4 in the high nibble of byte 6, variant `10` in the top bits of byte 8.
    let n = (n & !(0xf << 76)) | (0x4 << 76);
    let n = (n & !(0x3 << 62)) | (0x2 << 62);
    Ok(format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        n >> 96,
        (n >> 80) & 0xffff,
        (n >> 64) & 0xffff,
        (n >> 48) & 0xffff,
        n & 0xffff_ffff_ffff
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_hex_and_differ() {
        check().unwrap();
        let (a, b) = (token("at").unwrap(), token("at").unwrap());
        assert_ne!(a, b);
        let hex = a.strip_prefix("at_").unwrap();
        assert_eq!(hex.len(), 32);
        assert!(hex.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
    }

    #[test]
    fn uuids_are_version_4() {
        for _ in 0..64 {
            let u = uuid().unwrap();
            let parts: Vec<&str> = u.split('-').collect();
            assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{u}");
            assert!(u.bytes().all(|c| c == b'-' || c.is_ascii_digit() || (b'a'..=b'f').contains(&c)), "{u}");
            assert!(parts[2].starts_with('4'), "{u}");
            assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "{u}");
        }
    }
}
