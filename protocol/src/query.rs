//! Query strings: reading them as `URLSearchParams` does, writing values as
//! `encodeURIComponent` does.

/// The value of the first parameter called `name` in `search` (with or without its leading `?`),
/// decoded as `URLSearchParams.get` decodes it; `None` when there is no such parameter.
pub fn get(search: &str, name: &str) -> Option<String> {
    let _ = (search, name);
    todo!("helper")
}

/// Appends `value` to `out` percent-encoded exactly as `encodeURIComponent` does.
pub fn encode_component(value: &str, out: &mut String) {
    let _ = (value, out);
    todo!("helper")
}
