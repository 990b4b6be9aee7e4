//! The simulator's configuration: registered applications, brands, vehicles and which flows
//! exist. Read from one JSON file (see `connect.json`, which is also the built-in default).
//!
//! Any string may use `${NAME}` or `${NAME:-default}`: it is replaced by the environment
//! variable `NAME` (or the default when it is unset or empty), so redirect URIs can follow the
//! ports the demo servers actually use.

use serde_json::{Map, Value};

/// The built-in configuration (the file `simulator/connect.json`).
pub const DEFAULT_CONFIG: &str = include_str!("../connect.json");

#[derive(Clone, Debug, PartialEq)]
pub struct Application {
    pub name: String,
    /// Connect's `application_id` (the SDK's `applicationId`); also the OAuth `client_id`.
    pub id: String,
    pub secret: String,
    /// Exact strings: a `redirect_uri` must equal one of them.
    pub redirect_uris: Vec<String>,
    /// Origins a redirect-less (`response_type=none`) flow may post its result to with
    /// `app_origin`, besides the origins of `redirect_uris`.
    pub allowed_origins: Vec<String>,
    /// Requested when the authorize URL has no `scope`.
    pub default_scope: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Brand {
    /// Connect's make identifier, e.g. `TESLA` (matched case-insensitively).
    pub make: String,
    /// Shown to the user, e.g. `Tesla`.
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Vehicle {
    pub id: String,
    pub make: String,
    pub model: String,
    pub year: i64,
    pub vin: String,
    /// `false`: only shown through the `vehicle_incompatible` test account.
    pub compatible: bool,
}

/// A login that works in `live` mode (in `test` and `simulated` mode any login works).
#[derive(Clone, Debug, PartialEq)]
pub struct LiveUser {
    pub username: String,
    pub password: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lifetimes {
    pub code: u64,
    pub access_token: u64,
    pub refresh_token: u64,
    pub application_token: u64,
    /// How long an unfinished Connect session (brand → login → permissions) lives.
    pub session: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub port: u16,
    pub modes: Vec<String>,
    pub response_types: Vec<String>,
    pub grant_types: Vec<String>,
    pub lifetimes: Lifetimes,
    pub applications: Vec<Application>,
    pub brands: Vec<Brand>,
    pub vehicles: Vec<Vehicle>,
    pub live_users: Vec<LiveUser>,
}

impl Config {
    /// The built-in configuration, with environment placeholders expanded.
    pub fn builtin() -> Result<Config, String> {
        Config::from_json(DEFAULT_CONFIG, &|name| std::env::var(name).ok())
    }

    /// Parses a configuration; `env` looks up `${NAME}` placeholders.
    pub fn from_json(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let root = expand(&root, env)?;
        let obj = root.as_object().ok_or("the configuration must be a JSON object")?;
        let config = Config {
            port: match obj.get("port") {
                None => 8002,
                Some(v) => v.as_u64().and_then(|p| u16::try_from(p).ok()).ok_or("port must be a number from 0 to 65535")?,
            },
            modes: strings_or(obj, "modes", &["live", "test", "simulated"])?,
            response_types: strings_or(obj, "response_types", &["code", "none"])?,
            grant_types: strings_or(obj, "grant_types", &["authorization_code", "refresh_token", "client_credentials"])?,
            lifetimes: lifetimes(obj.get("token_lifetimes").and_then(Value::as_object))?,
            applications: each(obj, "applications", application)?,
            brands: each(obj, "brands", brand)?,
            vehicles: each(obj, "vehicles", vehicle)?,
            live_users: each(obj, "live_users", |u, at| Ok(LiveUser { username: string(u, "username", at)?, password: string(u, "password", at)? }))?,
        };
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if self.applications.is_empty() {
            return Err("at least one application must be registered".into());
        }
        for (i, a) in self.applications.iter().enumerate() {
            if self.applications.iter().skip(i + 1).any(|b| b.id == a.id) {
                return Err(format!("application_id {} is registered twice", a.id));
            }
            for uri in &a.redirect_uris {
                if crate::http::origin_of(uri).is_none() {
                    return Err(format!("redirect URI {uri:?} of {} is not an absolute http(s) URL", a.id));
                }
            }
        }
        for v in &self.vehicles {
            if !self.brands.iter().any(|b| b.make == v.make) {
                return Err(format!("vehicle {} has make {}, which is not among the brands", v.id, v.make));
            }
        }
        Ok(())
    }

    pub fn application(&self, id: &str) -> Option<&Application> {
        self.applications.iter().find(|a| a.id == id)
    }

    pub fn brand(&self, make: &str) -> Option<&Brand> {
        self.brands.iter().find(|b| b.make.eq_ignore_ascii_case(make))
    }

    pub fn vehicle(&self, id: &str) -> Option<&Vehicle> {
        self.vehicles.iter().find(|v| v.id == id)
    }
}

impl Application {
    /// Whether a redirect-less flow may post its result to `origin`.
    pub fn allows_origin(&self, origin: &str) -> bool {
        let origin = origin.to_ascii_lowercase();
        self.allowed_origins.iter().any(|o| o.eq_ignore_ascii_case(&origin))
            || self.redirect_uris.iter().any(|u| crate::http::origin_of(u).as_deref() == Some(origin.as_str()))
    }
}

/// Expands `${NAME}` / `${NAME:-default}` in every string of `v`.
fn expand(v: &Value, env: &dyn Fn(&str) -> Option<String>) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) => Value::String(expand_str(s, env)?),
        Value::Array(a) => Value::Array(a.iter().map(|x| expand(x, env)).collect::<Result<_, _>>()?),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| Ok((k.clone(), expand(x, env)?))).collect::<Result<Map<_, _>, String>>()?),
        other => other.clone(),
    })
}

pub fn expand_str(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start + 2..).unwrap_or("");
        let end = after.find('}').ok_or(format!("unclosed ${{ in {s:?}"))?;
        let inner = after.get(..end).unwrap_or("");
        let (name, default) = match inner.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (inner, None),
        };
        match env(name).filter(|v| !v.is_empty()) {
            Some(value) => out.push_str(&value),
            None => out.push_str(default.ok_or(format!("environment variable {name} is not set (used in {s:?})"))?),
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

/// The token lifetimes, in seconds: `token_lifetimes`'s, or the defaults.
fn lifetimes(given: Option<&Map<String, Value>>) -> Result<Lifetimes, String> {
    let life = |key: &str, default: u64| -> Result<u64, String> {
        match given.and_then(|m| m.get(key)) {
            None => Ok(default),
            Some(v) => v.as_u64().ok_or(format!("token_lifetimes.{key} must be a whole number of seconds")),
        }
    };
    Ok(Lifetimes {
        code: life("code", 600)?,
        access_token: life("access_token", 7200)?,
        refresh_token: life("refresh_token", 60 * 24 * 3600)?,
        application_token: life("application_token", 3600)?,
        session: life("session", 1800)?,
    })
}

/// Each entry of the list `key`, read by `read` (given the entry and where it is, for errors).
fn each<T>(obj: &Map<String, Value>, key: &str, read: impl Fn(&Value, &str) -> Result<T, String>) -> Result<Vec<T>, String> {
    list(obj, key)?.iter().enumerate().map(|(i, entry)| read(entry, &format!("{key}[{i}]"))).collect()
}

fn application(a: &Value, at: &str) -> Result<Application, String> {
    Ok(Application {
        name: opt_string(a, "name")?.unwrap_or_else(|| "Smartcar app".to_string()),
        id: string(a, "application_id", at)?,
        secret: string(a, "client_secret", at)?,
        redirect_uris: strings_or(a, "redirect_uris", &[])?,
        allowed_origins: strings_or(a, "allowed_origins", &[])?,
        default_scope: strings_or(a, "default_scope", &["read_vehicle_info"])?,
    })
}

fn brand(b: &Value, at: &str) -> Result<Brand, String> {
    let make = string(b, "make", at)?.to_ascii_uppercase();
    Ok(Brand { name: opt_string(b, "name")?.unwrap_or_else(|| make.clone()), make })
}

fn vehicle(v: &Value, at: &str) -> Result<Vehicle, String> {
    Ok(Vehicle {
        id: string(v, "id", at)?,
        make: string(v, "make", at)?.to_ascii_uppercase(),
        model: string(v, "model", at)?,
        year: v.get("year").and_then(Value::as_i64).ok_or(format!("{at}.year must be a number"))?,
        vin: string(v, "vin", at)?,
        compatible: match v.get("compatible") {
            None => true,
            Some(b) => b.as_bool().ok_or(format!("{at}.compatible must be true or false"))?,
        },
    })
}

fn list<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], String> {
    match obj.get(key) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a.as_slice()),
        Some(_) => Err(format!("{key} must be an array")),
    }
}

fn string(v: &Value, key: &str, at: &str) -> Result<String, String> {
    match v.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(format!("{at}.{key} must be a non-empty string")),
    }
}

fn opt_string(v: &Value, key: &str) -> Result<Option<String>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{key} must be a string")),
    }
}

fn strings_or(v: &impl Lookup, key: &str, default: &[&str]) -> Result<Vec<String>, String> {
    match v.lookup(key) {
        None => Ok(default.iter().map(|s| s.to_string()).collect()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string).ok_or(format!("{key} must be an array of strings")))
            .collect(),
        Some(_) => Err(format!("{key} must be an array of strings")),
    }
}

trait Lookup {
    fn lookup(&self, key: &str) -> Option<&Value>;
}
impl Lookup for Map<String, Value> {
    fn lookup(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}
impl Lookup for Value {
    fn lookup(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn builtin_config_parses_with_defaults() {
        let c = Config::from_json(DEFAULT_CONFIG, &no_env).unwrap();
        assert_eq!(c.port, 8002);
        assert!(c.applications.len() >= 2);
        let demo = &c.applications[0];
        assert!(demo.redirect_uris.contains(&"http://localhost:8001/redirect.html?app_origin=http://localhost:8000".to_string()));
        assert!(demo.allows_origin("http://localhost:8000"));
        assert!(!demo.allows_origin("http://localhost:9999"));
        assert!(c.vehicles.iter().any(|v| !v.compatible));
    }

    #[test]
    fn placeholders_follow_the_environment() {
        let env = |n: &str| (n == "DEMO_ORIGIN").then(|| "http://127.0.0.1:1234".to_string());
        assert_eq!(expand_str("${DEMO_ORIGIN:-http://x}/cb", &env).unwrap(), "http://127.0.0.1:1234/cb");
        assert_eq!(expand_str("${OTHER:-http://x}/cb", &env).unwrap(), "http://x/cb");
        assert!(expand_str("${OTHER}/cb", &env).is_err());
        assert!(expand_str("${OPEN", &env).is_err());
    }

    #[test]
    fn bad_configs_are_reported_not_panicked() {
        for bad in ["", "[]", "{}", r#"{"applications": 1}"#, r#"{"applications": [{}]}"#,
            r#"{"applications": [{"application_id": "a", "client_secret": "s", "redirect_uris": ["nope"]}]}"#,
            r#"{"port": 70000, "applications": [{"application_id": "a", "client_secret": "s"}]}"#,
            r#"{"applications": [{"application_id": "a", "client_secret": "s"}], "vehicles": [{"id": "v", "make": "X", "model": "m", "year": 2020, "vin": "1"}]}"#] {
            assert!(Config::from_json(bad, &no_env).is_err(), "{bad}");
        }
    }
}
