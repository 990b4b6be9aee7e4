//! Just enough JSON for the state codec: writing ASCII-only JSON strings, and reading the
//! members of one object.
//!
//! The writer escapes every non-ASCII character, because the text goes through `btoa`, which
//! throws on anything outside Latin-1, and `atob`, which hands back bytes as Latin-1; only
//! ASCII means the same thing on both sides.
//!
//! The reader validates the whole text strictly (RFC 8259), but decodes only what the codec
//! needs: the top-level keys and string values. Other values are handed back as their raw
//! text, so an app's JSON state is passed on untouched. It is iterative with a depth limit,
//! because running out of stack traps the wasm module.

/// How many arrays and objects may be open at once, the top-level object included.
pub(crate) const MAX_DEPTH: u32 = 32;

/// Why a text is not a JSON object the reader accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JsonError {
    /// Not JSON.
    Syntax,
    /// JSON nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Valid JSON, but not an object.
    NotObject,
}

/// The value of a top-level member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// A string, decoded.
    Str(String),
    /// Any other value (number, literal, array, object), as its exact text in the input.
    Other(&'a str),
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `\uXXXX` for the UTF-16 code unit `unit`, in lowercase hex as `JSON.stringify`
/// writes control characters.
fn push_unit_escape(unit: u32, out: &mut String) {
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        let digit = HEX
            .get(((unit >> shift) & 0xf) as usize)
            .copied()
            .unwrap_or(b'0');
        out.push(char::from(digit));
    }
}

/// Appends `c` as `\uXXXX` escapes of its UTF-16 code units (a surrogate pair when astral).
fn push_char_escape(c: char, out: &mut String) {
    let code = u32::from(c);
    if code >= 0x1_0000 {
        let offset = code - 0x1_0000;
        push_unit_escape(0xd800 | (offset >> 10), out);
        push_unit_escape(0xdc00 | (offset & 0x3ff), out);
    } else {
        push_unit_escape(code, out);
    }
}

/// Appends `s` as a JSON string literal, quotes included, in pure ASCII.
pub(crate) fn write_string(s: &str, out: &mut String) {
    out.reserve(s.len().saturating_add(2));
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' || !c.is_ascii() => push_char_escape(c, out),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends the valid JSON text `raw` with every non-ASCII character written as `\uXXXX`.
///
/// Same JSON value, because in valid JSON a non-ASCII character can only be inside a string,
/// where the escape means that character.
pub(crate) fn ascii_escape_json(raw: &str, out: &mut String) {
    out.reserve(raw.len());
    for c in raw.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            push_char_escape(c, out);
        }
    }
}

/// Validates and reads the JSON text `text`, which must be one object: its members in order,
/// duplicates included (the caller takes the last one, as `JSON.parse` does).
///
/// Escapes of lone surrogates decode to U+FFFD, since a Rust string cannot hold them.
///
/// # Errors
/// [`JsonError::NotObject`] for valid JSON that is not an object; otherwise why it is not JSON.
pub(crate) fn parse_object(text: &str) -> Result<Vec<(String, Value<'_>)>, JsonError> {
    let mut p = Parser { text, pos: 0 };
    p.ws();
    if p.peek() != Some(b'{') {
        p.skip_value(0)?;
        p.ws();
        return Err(if p.peek().is_none() {
            JsonError::NotObject
        } else {
            JsonError::Syntax
        });
    }
    p.bump();
    p.ws();
    let mut members = Vec::new();
    if p.peek() == Some(b'}') {
        p.bump();
    } else {
        loop {
            let mut key = String::new();
            p.member_key(Some(&mut key))?;
            p.ws();
            let value = if p.peek() == Some(b'"') {
                let mut s = String::new();
                p.string(Some(&mut s))?;
                Value::Str(s)
            } else {
                let start = p.pos;
                p.skip_value(1)?;
                Value::Other(text.get(start..p.pos).ok_or(JsonError::Syntax)?)
            };
            members.push((key, value));
            p.ws();
            match p.peek() {
                Some(b',') => {
                    p.bump();
                    p.ws();
                }
                Some(b'}') => {
                    p.bump();
                    break;
                }
                _ => return Err(JsonError::Syntax),
            }
        }
    }
    p.ws();
    if p.peek().is_some() {
        return Err(JsonError::Syntax);
    }
    Ok(members)
}

/// A cursor over the JSON text. It only ever stops on ASCII bytes or the end, so `pos` is
/// always a char boundary and slices at it are valid.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.text
            .as_bytes()
            .get(self.pos.saturating_add(ahead))
            .copied()
    }

    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn consume(&mut self, b: u8) -> Result<(), JsonError> {
        if self.peek() == Some(b) {
            self.bump();
            Ok(())
        } else {
            Err(JsonError::Syntax)
        }
    }

    /// A member's key and the `:` after it, the cursor on the key's opening quote.
    fn member_key(&mut self, out: Option<&mut String>) -> Result<(), JsonError> {
        self.string(out)?;
        self.ws();
        self.consume(b':')
    }

    /// A string literal, decoded into `out` when given, else only validated.
    fn string(&mut self, mut out: Option<&mut String>) -> Result<(), JsonError> {
        self.consume(b'"')?;
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.bump();
            }
            if let Some(out) = out.as_deref_mut() {
                out.push_str(self.text.get(start..self.pos).ok_or(JsonError::Syntax)?);
            }
            match self.peek() {
                Some(b'"') => {
                    self.bump();
                    return Ok(());
                }
                Some(b'\\') => {
                    self.bump();
                    let c = self.escape()?;
                    if let Some(out) = out.as_deref_mut() {
                        out.push(c);
                    }
                }
                // A raw control character or the end of the text.
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    /// The character an escape stands for, the cursor after its backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let b = self.peek().ok_or(JsonError::Syntax)?;
        self.bump();
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                if (0xd800..0xdc00).contains(&unit) {
                    self.low_surrogate_after(unit)
                } else {
                    // A lone low surrogate is not a char.
                    char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
            }
            _ => return Err(JsonError::Syntax),
        })
    }

    /// Completes the high surrogate `high` with a `\u` low surrogate right after it, if there
    /// is one; otherwise leaves the cursor alone and yields U+FFFD for the lone surrogate.
    fn low_surrogate_after(&mut self, high: u32) -> char {
        if self.peek() == Some(b'\\') && self.peek_at(1) == Some(b'u') {
            let save = self.pos;
            self.pos = self.pos.saturating_add(2);
            if let Ok(low) = self.hex4() {
                if (0xdc00..0xe000).contains(&low) {
                    let code = 0x1_0000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                    return char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                }
            }
            // Not a low surrogate: it is read again as an escape of its own.
            self.pos = save;
        }
        char::REPLACEMENT_CHARACTER
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or(JsonError::Syntax)?;
            unit = (unit << 4) | digit;
            self.bump();
        }
        Ok(unit)
    }

    /// One or more digits.
    fn digits(&mut self) -> Result<(), JsonError> {
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(JsonError::Syntax);
        }
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.bump();
        }
        Ok(())
    }

    fn number(&mut self) -> Result<(), JsonError> {
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            // A leading zero stands alone; digits after it fail where the caller expects
            // a separator.
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => self.digits()?,
            _ => return Err(JsonError::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            self.digits()?;
        }
        Ok(())
    }

    fn literal(&mut self) -> Result<(), JsonError> {
        let rest = self.text.as_bytes().get(self.pos..).unwrap_or_default();
        for word in ["true", "false", "null"] {
            if rest.starts_with(word.as_bytes()) {
                self.pos = self.pos.saturating_add(word.len());
                return Ok(());
            }
        }
        Err(JsonError::Syntax)
    }

    /// Validates one value (leading whitespace allowed) inside `depth` open containers.
    ///
    /// Iterative: open containers are a stack of bits (1 for an object), which fits in a
    /// `u64` because the depth limit is below 64.
    fn skip_value(&mut self, depth: u32) -> Result<(), JsonError> {
        let mut stack: u64 = 0;
        let mut open: u32 = 0;
        'value: loop {
            self.ws();
            match self.peek() {
                Some(b @ (b'{' | b'[')) => {
                    if depth.saturating_add(open) >= MAX_DEPTH {
                        return Err(JsonError::TooDeep);
                    }
                    self.bump();
                    let is_object = b == b'{';
                    self.ws();
                    let close = if is_object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.bump();
                    } else {
                        open += 1;
                        stack = (stack << 1) | u64::from(is_object);
                        if is_object {
                            self.member_key(None)?;
                        }
                        continue 'value;
                    }
                }
                Some(b'"') => self.string(None)?,
                Some(b't' | b'f' | b'n') => self.literal()?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                _ => return Err(JsonError::Syntax),
            }
            // A value is complete: close what it completes, or go on to the next element.
            loop {
                if open == 0 {
                    return Ok(());
                }
                self.ws();
                let in_object = stack & 1 == 1;
                match self.peek() {
                    Some(b',') => {
                        self.bump();
                        if in_object {
                            self.ws();
                            self.member_key(None)?;
                        }
                        continue 'value;
                    }
                    Some(b'}') if in_object => {}
                    Some(b']') if !in_object => {}
                    _ => return Err(JsonError::Syntax),
                }
                self.bump();
                open -= 1;
                stack >>= 1;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    fn string_of(s: &str) -> String {
        let mut out = String::new();
        write_string(s, &mut out);
        out
    }

    /// Parses `{"k": <value>}` and returns the member's value.
    fn value_of(value_text: &str) -> Result<Value<'_>, JsonError> {
        // Leak so the borrowed `Other` outlives this helper; fine in tests.
        let text: &'static str = Box::leak(format!("{{\"k\":{value_text}}}").into_boxed_str());
        let mut members = parse_object(text)?;
        assert_eq!(members.len(), 1);
        let (key, value) = members.pop().unwrap();
        assert_eq!(key, "k");
        Ok(value)
    }

    fn decoded(json_string: &str) -> Result<String, JsonError> {
        match value_of(json_string)? {
            Value::Str(s) => Ok(s),
            Value::Other(raw) => panic!("not a string: {raw}"),
        }
    }

    #[test]
    fn writes_escapes_like_json_stringify_but_ascii() {
        assert_eq!(string_of(""), r#""""#);
        assert_eq!(string_of("abc"), r#""abc""#);
        assert_eq!(string_of("a\"b\\c/d"), r#""a\"b\\c/d""#);
        assert_eq!(string_of("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(
            string_of("\u{0}\u{1}\u{1f}\u{7f}"),
            "\"\\u0000\\u0001\\u001f\u{7f}\""
        );
        assert_eq!(string_of("é"), r#""\u00e9""#);
        assert_eq!(string_of("\u{2028}\u{2029}"), r#""\u2028\u2029""#);
        assert_eq!(string_of("日本"), r#""\u65e5\u672c""#);
        assert_eq!(string_of("😀"), r#""\ud83d\ude00""#);
        assert_eq!(string_of("\u{10ffff}"), r#""\udbff\udfff""#);
        assert_eq!(string_of("\u{ffff}"), r#""\uffff""#);
        assert!(string_of("a😀é\u{0}\"").is_ascii());
    }

    #[test]
    fn ascii_escape_keeps_the_json_value() {
        let mut out = String::new();
        ascii_escape_json(r#"{"a":["é",1,"😀"],"b":null}"#, &mut out);
        assert_eq!(out, r#"{"a":["\u00e9",1,"\ud83d\ude00"],"b":null}"#);
        let mut out = String::new();
        ascii_escape_json(" [1, 2.5e3, true] ", &mut out);
        assert_eq!(out, " [1, 2.5e3, true] ");
    }

    #[test]
    fn written_strings_read_back() {
        for s in [
            "",
            "plain",
            "quote\" backslash\\ slash/",
            "\u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}\u{7f}",
            "é日本😀\u{2028}\u{2029}\u{fffd}\u{ffff}\u{10000}\u{10ffff}",
            "{\"nested\": [1, 2]}",
        ] {
            assert_eq!(decoded(&string_of(s)).unwrap(), s);
        }
        for code in (0..0x11_0000u32).step_by(97) {
            if let Some(c) = char::from_u32(code) {
                let s: String = [c, 'x', c].iter().collect();
                assert_eq!(decoded(&string_of(&s)).unwrap(), s);
            }
        }
    }

    #[test]
    fn decodes_escapes() {
        assert_eq!(
            decoded(r#""\"\\\/\b\f\n\r\t""#).unwrap(),
            "\"\\/\u{8}\u{c}\n\r\t"
        );
        assert_eq!(decoded(r#""\u0041\u00E9\u00e9""#).unwrap(), "Aéé");
        assert_eq!(decoded(r#""\uD83D\uDE00""#).unwrap(), "😀");
        assert_eq!(
            decoded("\"raw é 😀 \u{2028}\"").unwrap(),
            "raw é 😀 \u{2028}"
        );
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(decoded(r#""\ud800""#).unwrap(), "\u{fffd}");
        assert_eq!(decoded(r#""\udc00""#).unwrap(), "\u{fffd}");
        assert_eq!(decoded(r#""a\ud800b""#).unwrap(), "a\u{fffd}b");
        assert_eq!(decoded(r#""\ud800\ud800""#).unwrap(), "\u{fffd}\u{fffd}");
        assert_eq!(decoded(r#""\ud800\u0041""#).unwrap(), "\u{fffd}A");
        assert_eq!(decoded(r#""\ud800\n""#).unwrap(), "\u{fffd}\n");
        assert_eq!(decoded(r#""\udc00\ud800""#).unwrap(), "\u{fffd}\u{fffd}");
        assert_eq!(
            decoded(r#""\ud800\ud800\udc00""#).unwrap(),
            "\u{fffd}\u{10000}"
        );
        // A broken escape after a high surrogate is still an error.
        assert_eq!(decoded(r#""\ud800\u00""#), Err(JsonError::Syntax));
        assert_eq!(decoded(r#""\ud800\uzzzz""#), Err(JsonError::Syntax));
        assert_eq!(decoded(r#""\ud800\"#), Err(JsonError::Syntax));
    }

    #[test]
    fn refuses_bad_strings() {
        for bad in [
            r#""\x41""#,
            r#""\u12""#,
            r#""\u12g4""#,
            r#""\U0041""#,
            "\"a\nb\"",
            "\"a\tb\"",
            "\"\u{0}\"",
            r#""abc"#,
            r#""\"#,
            "'a'",
        ] {
            assert_eq!(value_of(bad), Err(JsonError::Syntax), "{bad}");
        }
    }

    #[test]
    fn other_values_are_raw_text() {
        for raw in [
            "0",
            "-0",
            "12",
            "-1.5e-3",
            "1E+2",
            "0.0",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            "[1,\"a\",[{}],{\"x\":[null]}]",
            "{ \"a\" : { \"b\" : [ 1 , 2 ] } , \"c\" : \"\\u00e9\" }",
        ] {
            assert_eq!(value_of(raw).unwrap(), Value::Other(raw), "{raw}");
            let padded = format!(" \n\t{raw}\r ");
            let text: &'static str = Box::leak(format!("{{\"k\":{padded}}}").into_boxed_str());
            let members = parse_object(text).unwrap();
            assert_eq!(members[0].1, Value::Other(raw));
        }
    }

    #[test]
    fn refuses_bad_values() {
        for bad in [
            "",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "1e+",
            "+1",
            "0x10",
            "NaN",
            "Infinity",
            "tru",
            "nul",
            "True",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{a:1}",
            "{'a':1}",
            "[",
            "]",
            "{",
            "[1}",
            "{\"a\":1]",
            "undefined",
            "//c\n1",
            "/*c*/1",
            "- 1",
            "1 .5",
        ] {
            assert_eq!(value_of(bad), Err(JsonError::Syntax), "{bad}");
        }
    }

    #[test]
    fn reads_members_in_order_with_duplicates() {
        let members = parse_object(r#" {"a":"1","b":2,"a":[3] , "\u0063":"x"} "#).unwrap();
        assert_eq!(
            members,
            vec![
                ("a".to_string(), Value::Str("1".to_string())),
                ("b".to_string(), Value::Other("2")),
                ("a".to_string(), Value::Other("[3]")),
                ("c".to_string(), Value::Str("x".to_string())),
            ]
        );
        assert_eq!(parse_object("{}").unwrap(), vec![]);
        assert_eq!(parse_object(" \r\n\t{ } \r\n\t").unwrap(), vec![]);
    }

    #[test]
    fn refuses_bad_objects() {
        for bad in [
            "",
            " ",
            "{",
            "}",
            "{}}",
            "{}{}",
            "{} x",
            "{,}",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "\u{feff}{}",
            "{}\u{0}",
            "{\"a\":1}\u{a0}",
        ] {
            assert_eq!(parse_object(bad), Err(JsonError::Syntax), "{bad:?}");
        }
    }

    #[test]
    fn valid_non_objects_are_told_apart() {
        for other in ["null", "[]", "[{}]", "\"x\"", "1", " true ", "-2.5"] {
            assert_eq!(parse_object(other), Err(JsonError::NotObject), "{other}");
        }
        assert_eq!(parse_object("[] []"), Err(JsonError::Syntax));
    }

    #[test]
    fn depth_is_limited() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        // The top-level object is one level, so 31 arrays fit inside it.
        let ok = format!("{{\"k\":{}}}", nested(31));
        assert!(parse_object(&ok).is_ok());
        let deep = format!("{{\"k\":{}}}", nested(32));
        assert_eq!(parse_object(&deep), Err(JsonError::TooDeep));
        assert_eq!(parse_object(&nested(32)), Err(JsonError::NotObject));
        assert_eq!(parse_object(&nested(33)), Err(JsonError::TooDeep));
        let objects = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        assert!(parse_object(&objects(32)).is_ok());
        assert_eq!(parse_object(&objects(33)), Err(JsonError::TooDeep));
        // Far too deep must be an error, not a stack overflow.
        let huge = format!("{{\"k\":{}}}", "[".repeat(1_000_000));
        assert_eq!(parse_object(&huge), Err(JsonError::TooDeep));
    }

    #[test]
    fn depth_resets_between_siblings() {
        // Top-level object, one array, then 30 more: exactly the limit, fifty times over.
        let nested_30 = format!("{}{}", "[".repeat(30), "]".repeat(30));
        let siblings = format!(
            "{{\"a\":[{}],\"b\":[{nested_30}]}}",
            vec![nested_30.clone(); 50].join(",")
        );
        assert!(parse_object(&siblings).is_ok());
        let objects = format!("{{\"a\":[{}]}}", vec!["{\"x\":[{\"y\":{}}]}"; 50].join(","));
        assert!(parse_object(&objects).is_ok());
    }

    #[test]
    fn keys_are_decoded() {
        let members = parse_object(r#"{"\u00e9\n":1,"😀":"v"}"#).unwrap();
        assert_eq!(members[0].0, "é\n");
        assert_eq!(members[1].0, "😀");
    }
}
