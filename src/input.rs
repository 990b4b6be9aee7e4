//! What the SDK reads from the app, as plain Rust: a JS value reduced to what the rules look
//! at. The bindings turn each JS value into a [`Value`] in one place; every rule about options
//! and messages works on these, so it is tested natively.

/// A JS value as the option rules see it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    /// `undefined`, or a property the object does not have.
    #[default]
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, with its text as JS `String(value)` writes it (the bindings ask the browser:
    /// number formatting is not worth its kilobytes of wasm).
    Number {
        /// The number.
        value: f64,
        /// `String(value)`.
        text: String,
    },
    /// A string.
    Text(String),
    /// An array, with its items.
    List(Vec<Value>),
    /// A function, with its `length` (the number of parameters it declares).
    Function {
        /// `function.length`.
        arity: u32,
    },
    /// Any other object.
    Object,
    /// A string holding a lone surrogate (half of a UTF-16 pair, as `text.slice(0, n)` can
    /// leave of an emoji): it has no UTF-8 form, so no URL can carry it as the app gave it.
    IllFormedText,
    /// A symbol, a BigInt other than `0n` (read as `false`), an array inside an array, or what
    /// could not be read (a string too long, an array whose getters throw): never a valid
    /// option.
    Other,
}

impl Value {
    /// JS truthiness (`Other` is truthy: the bindings read the one falsy value among its kinds,
    /// `0n`, as `false`).
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number { value, .. } => *value != 0.0 && !value.is_nan(),
            Value::Text(text) => !text.is_empty(),
            Value::IllFormedText | Value::List(_) | Value::Function { .. } | Value::Object | Value::Other => true,
        }
    }

    /// `undefined` or `null` (`value == null` in JS).
    pub fn is_nullish(&self) -> bool {
        matches!(self, Value::Undefined | Value::Null)
    }

    /// Whether this is a string holding a lone surrogate, or a list holding one.
    pub fn is_ill_formed(&self) -> bool {
        match self {
            Value::IllFormedText => true,
            Value::List(items) => items.iter().any(|item| matches!(item, Value::IllFormedText)),
            _ => false,
        }
    }

    /// The string, when this is one.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    /// `String(value)` for the primitives an app might put in a URL parameter (strings,
    /// numbers, booleans); `None` for anything else, which the SDK leaves out rather than
    /// sending `undefined` or `[object Object]`.
    pub fn primitive_text(&self) -> Option<String> {
        match self {
            Value::Text(text) => Some(text.clone()),
            Value::Bool(b) => Some(String::from(if *b { "true" } else { "false" })),
            Value::Number { text, .. } => Some(text.clone()),
            _ => None,
        }
    }

    /// The items of an array of strings; `None` for anything else.
    pub fn text_list(&self) -> Option<Vec<&str>> {
        let Value::List(items) = self else { return None };
        let mut texts = Vec::with_capacity(items.len());
        for item in items {
            texts.push(item.as_text()?);
        }
        Some(texts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn number(value: f64, text: &str) -> Value {
        Value::Number { value, text: text.into() }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn truthiness_is_javascripts() {
        for falsy in [Value::Undefined, Value::Null, Value::Bool(false), number(0.0, "0"), number(-0.0, "0"), number(f64::NAN, "NaN"), Value::Text(String::new())] {
            assert!(!falsy.is_truthy(), "{falsy:?}");
        }
        for truthy in [Value::Bool(true), number(-1.0, "-1"), Value::Text("0".into()), Value::List(vec![]), Value::Object, Value::Function { arity: 0 }] {
            assert!(truthy.is_truthy(), "{truthy:?}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn primitive_text_is_string_of_the_value() {
        assert_eq!(Value::Text("TESLA".into()).primitive_text().as_deref(), Some("TESLA"));
        assert_eq!(number(12345.0, "12345").primitive_text().as_deref(), Some("12345"));
        assert_eq!(Value::Bool(false).primitive_text().as_deref(), Some("false"));
        assert_eq!(Value::Undefined.primitive_text(), None);
        assert_eq!(Value::Object.primitive_text(), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn text_lists_only_from_arrays_of_strings() {
        let list = Value::List(vec![Value::Text("a".into()), Value::Text("b".into())]);
        assert_eq!(list.text_list(), Some(vec!["a", "b"]));
        assert_eq!(Value::List(vec![]).text_list(), Some(vec![]));
        assert_eq!(Value::List(vec![Value::Text("a".into()), number(1.0, "1")]).text_list(), None);
        assert_eq!(Value::Text("a".into()).text_list(), None);
    }
}
