//! The Connect URL, built like the reference's `getAuthUrl`: the same parameters, in the same
//! order, under the same conditions.
//!
//! One deliberate difference: every value is percent-encoded as `encodeURIComponent` does.
//! The reference writes `application_id`, `single_select_vin` and `state` raw, so an `&` in
//! them adds parameters and a `+` in the base64 state turns into a space on the way back.

use crate::config::{Mode, ResponseType};
use smartcar_protocol::query::encode_component;

/// The `external_id` parameter, as the constructor's `externalId` option sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternalId<'a> {
    /// The option is absent (`undefined`): no parameter.
    Unset,
    /// The option is `null`: the reference writes `external_id=null`, and so does this.
    Null,
    /// The option's text (the caller converts non-strings with `String(value)`).
    Value(&'a str),
}

/// The `singleSelect` option of `getAuthUrl`/`openDialog`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SingleSelect {
    /// `undefined` or `null`: no parameter.
    Absent,
    /// Any non-object value: `single_select=<value === true>`.
    Flag(bool),
    /// An object with a `vin` key (its value as `String(value)`):
    /// `single_select_vin=<vin>&single_select=true`.
    Vin(String),
    /// An object without a `vin` key: `single_select=false`.
    NoVin,
}

/// The instance's settings that go into every Connect URL.
#[derive(Clone, Copy, Debug)]
pub struct ConnectUrl<'a> {
    /// Connect's base URL, such as [`crate::config::DEFAULT_CONNECT_URL`]; one trailing `/`
    /// is tolerated.
    pub connect_url: &'a str,
    /// `response_type`.
    pub response_type: ResponseType,
    /// `application_id`.
    pub application_id: &'a str,
    /// `redirect_uri`, when the app gave one (a non-empty one: the reference tests truthiness).
    pub redirect_uri: Option<&'a str>,
    /// The scopes, joined with spaces into `scope`; `None` leaves the parameter out, while an
    /// empty list writes `scope=` (an empty array is truthy in the reference).
    pub scope: Option<&'a [String]>,
    /// `mode`.
    pub mode: Mode,
    /// `external_id`.
    pub external_id: ExternalId<'a>,
    /// `app_origin`: the page's origin, which the caller passes only for response type
    /// `none` without a redirect URI (then Connect posts the result back to it).
    pub app_origin: Option<&'a str>,
}

/// The per-call options of `getAuthUrl` and `openDialog`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthUrlOptions {
    /// `forcePrompt === true`: `approval_prompt=force` instead of `auto`.
    pub force_prompt: bool,
    /// `singleSelect`.
    pub single_select: SingleSelect,
    /// The `state` parameter, already produced by `smartcar_protocol::state::encode`.
    pub state: String,
    /// `vehicleInfo.make`, when `vehicleInfo` has a `make` key (as `String(value)`).
    pub make: Option<String>,
    /// `flags`, when given: joined with spaces.
    pub flags: Option<Vec<String>>,
    /// `user`; left out when `None` or empty (the reference tests truthiness).
    pub user: Option<String>,
}

impl ConnectUrl<'_> {
    /// The full Connect URL: `<base>/oauth/authorize?response_type=…&application_id=…
    /// [&redirect_uri=…]&approval_prompt=…[&scope=…]&mode=…[&single_select_vin=…]
    /// [&single_select=…]&state=…[&make=…][&flags=…][&user=…][&external_id=…][&app_origin=…]`,
    /// every value percent-encoded.
    pub fn build(&self, options: &AuthUrlOptions) -> String {
        let base = self
            .connect_url
            .strip_suffix('/')
            .unwrap_or(self.connect_url);
        let mut out = String::with_capacity(256 + options.state.len());
        out.push_str(base);
        out.push_str("/oauth/authorize?response_type=");
        out.push_str(self.response_type.as_str());
        param(&mut out, "application_id", self.application_id);
        if let Some(redirect_uri) = self.redirect_uri {
            param(&mut out, "redirect_uri", redirect_uri);
        }
        let prompt = if options.force_prompt {
            "force"
        } else {
            "auto"
        };
        param(&mut out, "approval_prompt", prompt);
        if let Some(scope) = self.scope {
            joined_param(&mut out, "scope", scope);
        }
        param(&mut out, "mode", self.mode.as_str());
        match &options.single_select {
            SingleSelect::Absent => {}
            SingleSelect::Flag(flag) => {
                param(
                    &mut out,
                    "single_select",
                    if *flag { "true" } else { "false" },
                );
            }
            SingleSelect::Vin(vin) => {
                param(&mut out, "single_select_vin", vin);
                param(&mut out, "single_select", "true");
            }
            SingleSelect::NoVin => param(&mut out, "single_select", "false"),
        }
        param(&mut out, "state", &options.state);
        if let Some(make) = &options.make {
            param(&mut out, "make", make);
        }
        if let Some(flags) = &options.flags {
            joined_param(&mut out, "flags", flags);
        }
        if let Some(user) = options.user.as_deref().filter(|u| !u.is_empty()) {
            param(&mut out, "user", user);
        }
        match self.external_id {
            ExternalId::Unset => {}
            ExternalId::Null => param(&mut out, "external_id", "null"),
            ExternalId::Value(id) => param(&mut out, "external_id", id),
        }
        if let Some(origin) = self.app_origin {
            param(&mut out, "app_origin", origin);
        }
        out
    }
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
fn joined_param(out: &mut String, name: &str, values: &[String]) {
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// The URL's query as decoded (name, value) pairs, read as `URLSearchParams` reads them.
    fn query_pairs(url: &str) -> Vec<(String, String)> {
        let query = url.split_once('?').expect("a query").1;
        smartcar_protocol::query::pairs(query).collect()
    }

    fn names(url: &str) -> Vec<String> {
        query_pairs(url).into_iter().map(|(n, _)| n).collect()
    }

    fn value(url: &str, name: &str) -> Option<String> {
        query_pairs(url)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    fn base_config() -> ConnectUrl<'static> {
        ConnectUrl {
            connect_url: crate::config::DEFAULT_CONNECT_URL,
            response_type: ResponseType::Code,
            application_id: "8229df9f-91a0-4ff0-a1ae-a1f38ee24d07",
            redirect_uri: None,
            scope: None,
            mode: Mode::Live,
            external_id: ExternalId::Unset,
            app_origin: None,
        }
    }

    fn base_options() -> AuthUrlOptions {
        AuthUrlOptions {
            force_prompt: false,
            single_select: SingleSelect::Absent,
            state: "c3RhdGU=".to_string(),
            make: None,
            flags: None,
            user: None,
        }
    }

    #[test]
    fn minimal_url() {
        assert_eq!(
            base_config().build(&base_options()),
            "https://connect.smartcar.com/oauth/authorize?response_type=code\
             &application_id=8229df9f-91a0-4ff0-a1ae-a1f38ee24d07\
             &approval_prompt=auto&mode=live&state=c3RhdGU%3D"
        );
    }

    #[test]
    fn every_parameter_in_the_reference_order() {
        let scope = vec!["read_odometer".to_string(), "read_vehicle_info".to_string()];
        let config = ConnectUrl {
            connect_url: "https://connect.example.com/",
            response_type: ResponseType::None,
            redirect_uri: Some("https://example.com/home"),
            scope: Some(&scope),
            mode: Mode::Test,
            external_id: ExternalId::Value("ext-1"),
            app_origin: Some("https://app.example.com"),
            ..base_config()
        };
        let options = AuthUrlOptions {
            force_prompt: true,
            single_select: SingleSelect::Vin("5YJSA1E14FF101307".to_string()),
            state: "0facda3319".to_string(),
            make: Some("TESLA".to_string()),
            flags: Some(vec!["country:DE".to_string(), "color:00819D".to_string()]),
            user: Some("2dad4eaf-9094-4bff-bb0f-ffbbdde8b562".to_string()),
        };
        let url = config.build(&options);
        assert!(url.starts_with("https://connect.example.com/oauth/authorize?"));
        assert_eq!(
            names(&url),
            [
                "response_type",
                "application_id",
                "redirect_uri",
                "approval_prompt",
                "scope",
                "mode",
                "single_select_vin",
                "single_select",
                "state",
                "make",
                "flags",
                "user",
                "external_id",
                "app_origin",
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

    #[test]
    fn reference_documented_example() {
        // The reference's @example, in its own parameter order, with its spaces encoded.
        let scope = vec!["read_odometer".to_string(), "read_vehicle_info".to_string()];
        let config = ConnectUrl {
            redirect_uri: Some("https://example.com/home"),
            scope: Some(&scope),
            ..base_config()
        };
        let options = AuthUrlOptions {
            single_select: SingleSelect::Vin("5YJSA1E14FF101307".to_string()),
            state: "0facda3319".to_string(),
            make: Some("TESLA".to_string()),
            flags: Some(vec!["country:DE".to_string(), "color:00819D".to_string()]),
            user: Some("2dad4eaf-9094-4bff-bb0f-ffbbdde8b562".to_string()),
            ..base_options()
        };
        let url = config.build(&options);
        for (name, expected) in [
            ("response_type", "code"),
            ("application_id", "8229df9f-91a0-4ff0-a1ae-a1f38ee24d07"),
            ("scope", "read_odometer read_vehicle_info"),
            ("redirect_uri", "https://example.com/home"),
            ("state", "0facda3319"),
            ("make", "TESLA"),
            ("single_select", "true"),
            ("single_select_vin", "5YJSA1E14FF101307"),
            ("flags", "country:DE color:00819D"),
            ("user", "2dad4eaf-9094-4bff-bb0f-ffbbdde8b562"),
        ] {
            assert_eq!(value(&url, name).as_deref(), Some(expected), "{name}");
        }
    }

    #[test]
    fn awkward_values_round_trip_exactly() {
        let nasty = "a&b=c#d+e f%20g?h/é€😀";
        let scope = vec![nasty.to_string(), "x".to_string()];
        let config = ConnectUrl {
            application_id: nasty,
            redirect_uri: Some(nasty),
            scope: Some(&scope),
            external_id: ExternalId::Value(nasty),
            app_origin: Some(nasty),
            ..base_config()
        };
        let options = AuthUrlOptions {
            single_select: SingleSelect::Vin(nasty.to_string()),
            state: "ab+/cd==".to_string(),
            make: Some(nasty.to_string()),
            flags: Some(vec![nasty.to_string()]),
            user: Some(nasty.to_string()),
            ..base_options()
        };
        let url = config.build(&options);
        // Nothing leaked into extra parameters or a fragment.
        assert!(!url.contains('#'));
        assert_eq!(names(&url).len(), 14);
        for name in [
            "application_id",
            "redirect_uri",
            "single_select_vin",
            "make",
            "flags",
            "user",
            "external_id",
            "app_origin",
        ] {
            assert_eq!(value(&url, name).as_deref(), Some(nasty), "{name}");
        }
        let joined = format!("{nasty} x");
        assert_eq!(value(&url, "scope").as_deref(), Some(joined.as_str()));
        assert_eq!(value(&url, "state").as_deref(), Some("ab+/cd=="));
        assert_eq!(
            smartcar_protocol::query::get(&url[url.find('?').unwrap()..], "user").as_deref(),
            Some(nasty)
        );
    }

    #[test]
    fn optional_parameters_follow_the_reference_conditions() {
        let empty: Vec<String> = Vec::new();
        let config = ConnectUrl {
            scope: Some(&empty),
            external_id: ExternalId::Null,
            ..base_config()
        };
        let options = AuthUrlOptions {
            single_select: SingleSelect::Flag(false),
            user: Some(String::new()),
            flags: Some(Vec::new()),
            make: Some(String::new()),
            ..base_options()
        };
        let url = config.build(&options);
        assert_eq!(
            names(&url),
            [
                "response_type",
                "application_id",
                "approval_prompt",
                "scope",
                "mode",
                "single_select",
                "state",
                "make",
                "flags",
                "external_id",
            ]
        );
        assert!(url.contains("&scope=&"));
        assert!(url.contains("&single_select=false&"));
        assert!(url.ends_with("&make=&flags=&external_id=null"));

        let url = base_config().build(&AuthUrlOptions {
            single_select: SingleSelect::Flag(true),
            ..base_options()
        });
        assert!(url.contains("&single_select=true&state="));
        let url = base_config().build(&AuthUrlOptions {
            single_select: SingleSelect::NoVin,
            ..base_options()
        });
        assert!(url.contains("&mode=live&single_select=false&state="));
        assert!(!url.contains("single_select_vin"));
    }

    #[test]
    fn simulated_mode_and_trailing_slash() {
        let config = ConnectUrl {
            connect_url: "https://connect.smartcar.com/",
            mode: Mode::Simulated,
            ..base_config()
        };
        let url = config.build(&base_options());
        assert!(url.starts_with("https://connect.smartcar.com/oauth/authorize?"));
        assert!(url.contains("&mode=simulated&"));
    }
}
