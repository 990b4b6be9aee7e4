//! The Connect URL, built like the reference's `getAuthUrl`: the same parameters, in the same
//! order, under the same conditions.
//!
//! One deliberate difference: every value is percent-encoded as `encodeURIComponent` does.
//! The reference writes `application_id`, `single_select_vin` and `state` raw, so an `&` in
//! them adds parameters and a `+` in the base64 state turns into a space on the way back. The
//! state is base64, whose `/` and `=` mean nothing special in a query value: it is written as
//! the reference writes it but for its `+` (`%2B`), so a URL whose state has none is the
//! reference's, byte for byte (tests written for the reference compare the whole string).

use crate::call_options::{AuthUrlOptions, SingleSelect};
use crate::options::{ExternalId, Settings};

/// The full Connect URL: `<base>/oauth/authorize?response_type=…&application_id=…
/// [&redirect_uri=…]&approval_prompt=…[&scope=…]&mode=…[&single_select_vin=…]
/// [&single_select=…]&state=…[&make=…][&flags=…][&user=…][&external_id=…][&app_origin=…]`,
/// every value percent-encoded (the base64 state but for its `/` and `=`).
///
/// `state` is the encoded Connect state; `app_origin` the page's origin, which the caller
/// passes when [`Settings::needs_app_origin`] says so.
pub fn build(settings: &Settings<'_>, options: &AuthUrlOptions<'_>, state: &str, app_origin: Option<&str>) -> String {
    build_marked(settings, options, state, app_origin).0
}

/// [`build`]'s URL, and where the state's value sits in it (a byte range): the bindings hand
/// the URL to JS in three parts, the two around the state rarely changing between calls.
pub fn build_marked(settings: &Settings<'_>, options: &AuthUrlOptions<'_>, state: &str, app_origin: Option<&str>) -> (String, core::ops::Range<usize>) {
    let mut out = String::with_capacity(256 + state.len());
    out.push_str(settings.connect_url);
    out.push_str("/oauth/authorize?response_type=");
    out.push_str(settings.response_type.as_str());
    param(&mut out, "application_id", settings.application_id);
    if let Some(redirect_uri) = settings.redirect_uri {
        param(&mut out, "redirect_uri", redirect_uri);
    }
    param(&mut out, "approval_prompt", if options.force_prompt { "force" } else { "auto" });
    if let Some(scope) = &settings.scope {
        joined_param(&mut out, "scope", scope);
    }
    param(&mut out, "mode", settings.mode.as_str());
    match &options.single_select {
        SingleSelect::Absent => {}
        SingleSelect::Flag(flag) => param(&mut out, "single_select", if *flag { "true" } else { "false" }),
        SingleSelect::Vin(vin) => {
            param(&mut out, "single_select_vin", vin);
            param(&mut out, "single_select", "true");
        }
        SingleSelect::NoVin => param(&mut out, "single_select", "false"),
    }
    out.push_str("&state=");
    let state_start = out.len();
    encode_base64(state, &mut out);
    let state_at = state_start..out.len();
    if let Some(make) = &options.make {
        param(&mut out, "make", make);
    }
    if let Some(flags) = &options.flags {
        joined_param(&mut out, "flags", flags);
    }
    if let Some(user) = &options.user {
        param(&mut out, "user", user);
    }
    match settings.external_id {
        ExternalId::Unset => {}
        ExternalId::Null => param(&mut out, "external_id", "null"),
        ExternalId::Value(id) => param(&mut out, "external_id", id),
    }
    if let Some(origin) = app_origin {
        param(&mut out, "app_origin", origin);
    }
    (out, state_at)
}

/// Appends `&<name>=<encoded value>`.
fn param(out: &mut String, name: &str, value: &str) {
    out.push('&');
    out.push_str(name);
    out.push('=');
    encode_component(value, out);
}

/// Appends `&<name>=` and the values joined with spaces, encoded (`%20` between them), as
/// `encodeURIComponent(values.join(' '))` writes it.
fn joined_param(out: &mut String, name: &str, values: &[&str]) {
    out.push('&');
    out.push_str(name);
    out.push('=');
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str("%20");
        }
        encode_component(value, out);
    }
}

/// Appends `value` to `out` percent-encoded exactly as `encodeURIComponent` does.
pub fn encode_component(value: &str, out: &mut String) {
    encode_all_but(value, b"", out);
}

/// Appends `value` as `encodeURIComponent` writes it, but with the bytes `raw` as they are.
fn encode_all_but(value: &str, raw: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')') || raw.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            for nibble in [b >> 4, b & 0xf] {
                out.push(HEX.get(usize::from(nibble)).map_or('0', |&h| char::from(h)));
            }
        }
    }
}

/// Appends base64 `value` as the reference writes it into the URL, but for a `+` (`%2B`, or
/// form decoding would read a space): as `encodeURIComponent` writes it, but for `/` and `=`.
fn encode_base64(value: &str, out: &mut String) {
    encode_all_but(value, b"/=", out);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;
    use crate::options::{Mode, ResponseType, DEFAULT_CONNECT_URL};

    /// The URL's query as decoded (name, value) pairs, read as `URLSearchParams` reads them.
    fn query_pairs(url: &str) -> Vec<(String, String)> {
        url::Url::parse(url).expect("a URL").query_pairs().into_owned().collect()
    }

    fn names(url: &str) -> Vec<String> {
        query_pairs(url).into_iter().map(|(n, _)| n).collect()
    }

    fn value(url: &str, name: &str) -> Option<String> {
        query_pairs(url).into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn base_settings() -> Settings<'static> {
        Settings {
            application_id: "8229df9f-91a0-4ff0-a1ae-a1f38ee24d07",
            redirect_uri: None,
            scope: None,
            mode: Mode::Live,
            response_type: ResponseType::Code,
            external_id: ExternalId::Unset,
            instance_id: "id",
            connect_url: DEFAULT_CONNECT_URL,
            expected_origin: DEFAULT_CONNECT_URL.into(),
        }
    }

    fn base_options() -> AuthUrlOptions<'static> {
        AuthUrlOptions { sends_state: false, force_prompt: false, single_select: SingleSelect::Absent, make: None, flags: None, user: None }
    }

    fn strings(items: &[&'static str]) -> Vec<&'static str> {
        items.to_vec()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn minimal_url() {
        assert_eq!(
            build(&base_settings(), &base_options(), "c3RhdGU=", None),
            "https://connect.smartcar.com/oauth/authorize?response_type=code\
             &application_id=8229df9f-91a0-4ff0-a1ae-a1f38ee24d07\
             &approval_prompt=auto&mode=live&state=c3RhdGU="
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn every_parameter_in_the_reference_order() {
        let settings = Settings {
            connect_url: "https://connect.example.com",
            response_type: ResponseType::None,
            redirect_uri: Some("https://example.com/home"),
            scope: Some(strings(&["read_odometer", "read_vehicle_info"])),
            mode: Mode::Test,
            external_id: ExternalId::Value("ext-1"),
            ..base_settings()
        };
        let options = AuthUrlOptions {
            force_prompt: true,
            single_select: SingleSelect::Vin("5YJSA1E14FF101307".into()),
            make: Some("TESLA".into()),
            flags: Some(strings(&["country:DE", "color:00819D"])),
            user: Some("2dad4eaf-9094-4bff-bb0f-ffbbdde8b562".into()),
            ..base_options()
        };
        let url = build(&settings, &options, "0facda3319", Some("https://app.example.com"));
        assert_eq!(
            names(&url),
            [
                "response_type", "application_id", "redirect_uri", "approval_prompt", "scope", "mode", "single_select_vin",
                "single_select", "state", "make", "flags", "user", "external_id", "app_origin",
            ]
        );
        assert_eq!(
            url,
            "https://connect.example.com/oauth/authorize?response_type=none\
             &application_id=8229df9f-91a0-4ff0-a1ae-a1f38ee24d07\
             &redirect_uri=https%3A%2F%2Fexample.com%2Fhome&approval_prompt=force\
             &scope=read_odometer%20read_vehicle_info&mode=test\
             &single_select_vin=5YJSA1E14FF101307&single_select=true&state=0facda3319\
             &make=TESLA&flags=country%3ADE%20color%3A00819D\
             &user=2dad4eaf-9094-4bff-bb0f-ffbbdde8b562&external_id=ext-1\
             &app_origin=https%3A%2F%2Fapp.example.com"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn awkward_values_round_trip_exactly() {
        let nasty = "a&b=c#d+e f%20g?h/é€😀";
        let settings = Settings {
            application_id: nasty,
            redirect_uri: Some(nasty),
            scope: Some(strings(&[nasty, "x"])),
            external_id: ExternalId::Value(nasty),
            ..base_settings()
        };
        let options = AuthUrlOptions {
            single_select: SingleSelect::Vin(nasty.into()),
            make: Some(nasty.into()),
            flags: Some(strings(&[nasty])),
            user: Some(nasty.into()),
            ..base_options()
        };
        let url = build(&settings, &options, "ab+/cd==", Some(nasty));
        assert!(!url.contains('#'));
        assert_eq!(names(&url).len(), 14);
        for name in ["application_id", "redirect_uri", "single_select_vin", "make", "flags", "user", "external_id", "app_origin"] {
            assert_eq!(value(&url, name).as_deref(), Some(nasty), "{name}");
        }
        assert_eq!(value(&url, "scope"), Some(format!("{nasty} x")));
        assert_eq!(value(&url, "state").as_deref(), Some("ab+/cd=="));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn optional_parameters_follow_the_reference_conditions() {
        let settings = Settings { scope: Some(vec![]), external_id: ExternalId::Null, ..base_settings() };
        let options = AuthUrlOptions { single_select: SingleSelect::Flag(false), flags: Some(vec![]), make: Some(String::new()), ..base_options() };
        let url = build(&settings, &options, "s", None);
        assert_eq!(names(&url), ["response_type", "application_id", "approval_prompt", "scope", "mode", "single_select", "state", "make", "flags", "external_id"]);
        assert!(url.contains("&scope=&") && url.contains("&single_select=false&"));
        assert!(url.ends_with("&make=&flags=&external_id=null"));
        let url = build(&base_settings(), &AuthUrlOptions { single_select: SingleSelect::NoVin, ..base_options() }, "s", None);
        assert!(url.contains("&mode=live&single_select=false&state=") && !url.contains("single_select_vin"));
    }

    /// What `encode` appends for `value`.
    fn appended(encode: fn(&str, &mut String), value: &str) -> String {
        let mut out = String::new();
        encode(value, &mut out);
        out
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_state_is_written_as_the_reference_writes_it_but_for_its_plus() {
        let encoded = |value: &str| appended(encode_base64, value);
        assert_eq!(encoded("eyJpbnN0YW5jZUlkIjoiYSJ9/w=="), "eyJpbnN0YW5jZUlkIjoiYSJ9/w==");
        assert_eq!(encoded("a+b++c"), "a%2Bb%2B%2Bc");
        // Not base64 (the SDK never writes such a state): percent-encoded but for `/` and `=`.
        assert_eq!(encoded("a b&c+d/="), "a%20b%26c%2Bd/=");
        // Read back as form decoding reads it, it is the state that was sent.
        for state in ["eyJ+/w==", "+++", "abc/def=", ""] {
            let url = format!("https://c.example/?state={}", encoded(state));
            assert_eq!(value(&url, "state").as_deref(), Some(state));
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_marked_state_is_where_the_state_was_written() {
        let connect = Settings { connect_url: "https://c.example/a&state=x", ..base_settings() };
        for (settings, state) in [(base_settings(), "c3RhdGU="), (base_settings(), "a+b/=="), (connect, "eyJ+")] {
            let (url, at) = build_marked(&settings, &base_options(), state, Some("https://app.example"));
            assert_eq!(url, build(&settings, &base_options(), state, Some("https://app.example")));
            assert_eq!(url.get(at.clone()), Some(appended(encode_base64, state).as_str()));
            assert!(url.get(..at.start).is_some_and(|before| before.ends_with("&state=")));
            assert!(url.get(at.end..).is_some_and(|after| after.starts_with("&app_origin=")));
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn encodes_like_encode_uri_component() {
        let encoded = |value: &str| appended(encode_component, value);
        assert_eq!(encoded("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");
        assert_eq!(encoded(" +/?#&=%:@$,;[]\"<>\\^`{|}"), "%20%2B%2F%3F%23%26%3D%25%3A%40%24%2C%3B%5B%5D%22%3C%3E%5C%5E%60%7B%7C%7D");
        assert_eq!(encoded("\0\n\u{7f}é日😀"), "%00%0A%7F%C3%A9%E6%97%A5%F0%9F%98%80");
    }
}
