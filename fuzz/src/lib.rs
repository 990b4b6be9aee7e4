//! Helpers shared by the fuzz targets: the browser's URL parser (played by the `url` crate),
//! splitting an input into lines, and a small text grammar for JS values, so that seeds stay
//! readable and libFuzzer's mutations of a line stay within that value.

use smartcar_auth::input::Value;
use url::Url;

/// The origin of an absolute URL as the browser serialises it (`MessageEvent.origin`), played
/// by the `url` crate: the `origin_of` the SDK's rules are given.
pub fn origin_of(url: &str) -> Option<String> {
    Url::parse(url).ok().map(|u| u.origin().ascii_serialization())
}

/// The bare origin `text` stands for, as the redirect page reads it: the browser's parse of
/// it (`URL.href`, `URL.origin`) through `smartcar_protocol::origin::bare_origin`.
pub fn bare(text: &str) -> Option<String> {
    let url = Url::parse(text).ok()?;
    smartcar_protocol::origin::bare_origin(url.as_str(), &url.origin().ascii_serialization()).map(str::to_owned)
}

/// Whether `origin` is an http(s) origin exactly as the browser serialises one: it parses, is
/// http(s), and is its own origin.
pub fn is_web_origin(origin: &str) -> bool {
    Url::parse(origin).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.origin().ascii_serialization() == origin)
}

/// Splits `data` at `\n` into at most `n` lossily-decoded strings (missing ones are `None`).
pub fn pieces(data: &[u8], n: usize) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = data.splitn(n, |&b| b == b'\n').map(|p| Some(String::from_utf8_lossy(p).into_owned())).collect();
    out.resize(n, None);
    out
}

/// Texts an app might pass, by number (`$0`, `$1`, ...): the fuzzer reaches them in one byte.
pub const TEXTS: &[&str] = &[
    "app",
    "https://app.example.com/cb",
    "https://connect.smartcar.com",
    "https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://app.example.com",
    "https://javascript-sdk.smartcar.com/redirect-2.0.0?app_origin=https://app.example.com",
    "code",
    "none",
    "test",
    "live",
    "simulated",
    "read_odometer",
    "http://localhost:8000/",
    "0123456789abcdef0123456789abcdef",
    "javascript:alert(1)",
    "",
    "https://user:pw@[::1]:8443/x?y#z",
];

/// A JS value from one line of text:
///
/// | text | value |
/// | --- | --- |
/// | (no line), `u` | `undefined` |
/// | `n` | `null` |
/// | `t`, `f` | `true`, `false` |
/// | `#<number>` | the number (`NaN` when it does not parse), with `<number>` as its text |
/// | `"<text>` | the string `<text>` (the rest of the line) |
/// | `$<hex digit>` | the string [`TEXTS`]`[digit]` |
/// | `F<digit>` | a function of that many parameters |
/// | `[<a>|<b>|…` | an array of the values `<a>`, `<b>`, … (each in this grammar, not nested) |
/// | `o` | any other object |
/// | `~` | a string holding a lone surrogate |
/// | anything else | a symbol or a BigInt |
pub fn value(line: Option<&str>) -> Value {
    let Some(line) = line else { return Value::Undefined };
    match line.strip_prefix('[') {
        Some("") => Value::List(vec![]),
        Some(items) => Value::List(items.split('|').map(scalar).collect()),
        None => scalar(line),
    }
}

fn scalar(text: &str) -> Value {
    let mut chars = text.chars();
    let rest = || text.get(1..).unwrap_or_default();
    match chars.next() {
        None | Some('u') => Value::Undefined,
        Some('n') => Value::Null,
        Some('t') => Value::Bool(true),
        Some('f') => Value::Bool(false),
        Some('#') => {
            let value = rest().parse::<f64>().unwrap_or(f64::NAN);
            Value::Number { value, text: rest().to_owned() }
        }
        Some('"') => Value::Text(rest().to_owned()),
        Some('$') => Value::Text(digit(chars.next()).and_then(|d| TEXTS.get(d)).copied().unwrap_or_default().to_owned()),
        Some('F') => Value::Function { arity: digit(chars.next()).map_or(0, |d| d as u32) },
        Some('o') => Value::Object,
        Some('~') => Value::IllFormedText,
        Some(_) => Value::Other,
    }
}

fn digit(c: Option<char>) -> Option<usize> {
    c.and_then(|c| c.to_digit(16)).map(|d| d as usize)
}
