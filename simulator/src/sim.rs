//! The simulator's behaviour: `Simulator::handle` maps a request to a response, with all state
//! in memory behind one mutex. No I/O here, so it is tested directly (see the tests below and
//! `tests/flows.rs`).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};

use serde_json::{json, Map, Value};
use smartcar_protocol::message::{Field, HOSTED_KEY, MESSAGE_NAME, NAME_KEY};

use crate::config::{Application, Config, Vehicle};
use crate::http::{self, append_query, basic_credentials, bearer_token, count, encode_component, first, Request, Response};
use crate::pages::{self, Selection};
use crate::random;

// The test accounts of Smartcar's test mode that end Connect with an error on purpose (any
// password; `test` and `simulated` modes).

/// Test account: Connect ends with `vehicle_incompatible`.
pub const INCOMPATIBLE_USER: &str = "smartcar@vehicle-incompatible.com";
/// Test account: Connect ends with `invalid_subscription`.
pub const INVALID_SUBSCRIPTION_USER: &str = "smartcar@invalid-subscription.com";
/// Test account: Connect ends with `no_vehicles`.
pub const NO_VEHICLES_USER: &str = "smartcar@no-vehicles.com";

/// The simulated Connect: its configuration and all its state.
pub struct Simulator {
    /// What is registered (applications, brands, vehicles) and which flows exist.
    pub config: Config,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    flows: HashMap<String, Flow>,
    /// (make, lower-cased username) → user id, stable for the process.
    users: HashMap<(String, String), String>,
    /// (application id, user id) → what the user granted, for `approval_prompt=auto`.
    grants: HashMap<(String, String), Grant>,
    codes: HashMap<String, Code>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    connections: Vec<Connection>,
}

/// One Connect session, from `/oauth/authorize` to the redirect.
#[derive(Clone, Debug)]
struct Flow {
    app_id: String,
    redirect_uri: Option<String>,
    app_origin: Option<String>,
    response_type: String,
    scopes: Vec<String>,
    mode: String,
    state: Option<String>,
    make: Option<String>,
    single_select: bool,
    single_select_vin: Option<String>,
    force_prompt: bool,
    flags: Vec<String>,
    user_hint: Option<String>,
    external_id: Option<String>,
    login: Option<Login>,
    /// An error the user is being told about; "Back to the app" sends it.
    pending_error: Option<Vec<(String, String)>>,
    expires: u64,
}

#[derive(Clone, Debug)]
struct Login {
    user_id: String,
    vehicles: Vec<String>,
}

#[derive(Clone, Debug, Default)]
struct Grant {
    scopes: BTreeSet<String>,
    vehicles: BTreeSet<String>,
}

#[derive(Clone, Debug)]
struct Code {
    app_id: String,
    redirect_uri: String,
    user_id: String,
    vehicles: Vec<String>,
    scopes: Vec<String>,
    expires: u64,
    used: bool,
    /// Tokens issued for this code: revoked if the code is presented again (RFC 6749 §4.1.2).
    issued: Vec<String>,
}

#[derive(Clone, Debug)]
enum Subject {
    User { user_id: String, vehicles: Vec<String>, scopes: Vec<String> },
    Application,
}

#[derive(Clone, Debug)]
struct Access {
    app_id: String,
    subject: Subject,
    expires: u64,
}

#[derive(Clone, Debug)]
struct Refresh {
    app_id: String,
    user_id: String,
    vehicles: Vec<String>,
    scopes: Vec<String>,
    expires: u64,
}

#[derive(Clone, Debug)]
struct Connection {
    app_id: String,
    user_id: String,
    vehicle_id: String,
    scopes: Vec<String>,
    connected_at: u64,
}

/// A user id and the vehicles (with their granted scopes) a token may read.
type View = (String, Vec<(String, Vec<String>)>);

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn error_page(status: u16, code: &str, message: &str) -> Response {
    Response::html(status, pages::error_page(code, message))
}

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    Response::json(status, &json!({ "error": error, "error_description": description }))
}

/// The error page for a Connect request that needed a random identifier the OS could not give.
fn random_failed_page(e: random::Error) -> Response {
    error_page(500, "server_error", &format!("The simulator could not continue: {e}."))
}

/// The token endpoint's error for a token the OS could not give random bits for.
fn random_failed_oauth(e: random::Error) -> Response {
    oauth_error(500, "server_error", &format!("The simulator could not issue a token: {e}."))
}

/// A Vehicle API error in Smartcar's v2.0 shape (500 instead when no request id can be made).
fn api_error(status: u16, kind: &str, code: Option<&str>, description: &str) -> Response {
    let request_id = match random::uuid() {
        Ok(id) => id,
        Err(e) => return Response::json(500, &json!({ "type": "SERVER", "code": "INTERNAL", "description": e.to_string(), "statusCode": 500 })),
    };
    Response::json(
        status,
        &json!({
            "type": kind,
            "code": code,
            "description": description,
            "docURL": format!("https://smartcar.com/docs/errors/api-errors/{}", kind.to_ascii_lowercase().replace('_', "-")),
            "statusCode": status,
            "resolution": { "type": if status == 401 { Value::from("REAUTHENTICATE") } else { Value::Null } },
            "requestId": request_id,
        }),
    )
}

fn unauthorized(description: &str) -> Response {
    api_error(401, "AUTHENTICATION", None, description).with_header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
}

fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Compares secrets without stopping at the first difference.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_scope(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.'))
}

/// A Connect error screen to show: the parameters "Back to the app" sends, a title, a message.
type Problem = (Vec<(String, String)>, &'static str, String);

/// Where a flow ends: `(redirect_uri, app_origin)`, exactly one of them set.
type Destination = (Option<String>, Option<String>);

/// Where the flow asked for by authorize query `q` ends: a registered `redirect_uri`, or (with
/// `response_type=none` and no redirect URI) an `app_origin` the app may be posted the result at.
fn destination(app: &Application, q: &[(String, String)], response_type: &str) -> Result<Destination, Response> {
    let nonempty = |k: &str| first(q, k).filter(|v| !v.is_empty());
    match nonempty("redirect_uri") {
        Some(uri) if !app.redirect_uris.iter().any(|r| r == uri) => {
            Err(error_page(400, "invalid_request", &format!("The redirect_uri {uri} is not registered for {}.", app.name)))
        }
        Some(uri) => Ok((Some(uri.to_string()), None)),
        None if response_type == "none" => match nonempty("app_origin") {
            Some(origin) if http::is_bare_origin(origin) && app.allows_origin(origin) => Ok((None, Some(origin.to_string()))),
            Some(origin) => Err(error_page(400, "invalid_request", &format!("app_origin {origin} is not an origin registered for {}.", app.name))),
            None => Err(error_page(400, "invalid_request", "A redirect_uri (or, with response_type=none, an app_origin) is required.")),
        },
        None => Err(error_page(400, "invalid_request", "The redirect_uri parameter is missing.")),
    }
}

/// The permissions authorize query `q` asks for, each once, in order; the app's default ones
/// when it asks for none.
fn requested_scopes(app: &Application, q: &[(String, String)]) -> Result<Vec<String>, Response> {
    let mut scopes: Vec<String> = Vec::new();
    for s in first(q, "scope").unwrap_or("").split_whitespace() {
        // Connect's `required:` prefix marks a permission the user cannot untick.
        let s = s.strip_prefix("required:").unwrap_or(s);
        if !is_scope(s) {
            return Err(error_page(400, "invalid_scope", &format!("{s:?} is not a valid permission.")));
        }
        if !scopes.iter().any(|x| x == s) {
            scopes.push(s.to_string());
        }
    }
    Ok(if scopes.is_empty() { app.default_scope.clone() } else { scopes })
}

impl State {
    /// The id of the user `key` (make, lower-cased username): made at the first sign-in, then
    /// the same for the life of the process.
    fn user_id(&mut self, key: (String, String)) -> Result<String, random::Error> {
        if let Some(id) = self.users.get(&key) {
            return Ok(id.clone());
        }
        let id = random::uuid()?;
        self.users.insert(key, id.clone());
        Ok(id)
    }
}

impl Simulator {
    /// A simulator for `config`, with no sessions, users or tokens yet.
    pub fn new(config: Config) -> Simulator {
        Simulator { config, state: Mutex::new(State::default()) }
    }

    /// The response to `req`, now.
    pub fn handle(&self, req: &Request) -> Response {
        self.handle_at(req, now())
    }

    /// `handle` at time `now` (seconds since the epoch), for tests of expiry.
    pub fn handle_at(&self, req: &Request, now: u64) -> Response {
        let segments: Vec<String> = req.path.split('/').filter(|s| !s.is_empty()).map(http::decode_path_segment).collect();
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        let method = req.method.as_str();
        let get = method == "GET" || method == "HEAD";
        match segs.as_slice() {
            [] if get => Response::html(200, pages::home(&self.config)),
            ["health"] if get => Response::text(200, "ok"),
            ["oauth", "authorize"] if get => self.authorize(req, now),
            ["connect", flow, "brand"] if get => self.brand_page(flow, now),
            ["connect", flow, "login"] if get => self.login_page(flow, req, now),
            ["connect", flow, "login"] if method == "POST" => self.login_submit(flow, req, now),
            ["connect", flow, "permissions"] if get => self.permissions_page(flow, now),
            ["connect", flow, "permissions"] if method == "POST" => self.permissions_submit(flow, req, now),
            ["connect", flow, "exit"] if method == "POST" => self.exit(flow, now),
            ["oauth", "token"] if method == "POST" => self.token(req, now),
            ["v2.0", rest @ ..] if get => self.api(rest, req, now),
            ["oauth", "authorize"] | ["health"] | [] | ["v2.0", ..] => Response::text(405, "method not allowed").with_header("Allow", "GET"),
            ["oauth", "token"] => oauth_error(405, "invalid_request", "The token endpoint takes POST requests.").with_header("Allow", "POST"),
            ["connect", ..] => Response::text(405, "method not allowed"),
            _ => Response::text(404, "not found"),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Connect pages

    fn authorize(&self, req: &Request, now: u64) -> Response {
        let q = &req.query;
        for key in ["response_type", "application_id", "client_id", "redirect_uri", "state", "scope", "mode", "app_origin"] {
            if count(q, key) > 1 {
                return error_page(400, "invalid_request", &format!("The {key} parameter was given more than once."));
            }
        }
        let nonempty = |k: &str| first(q, k).filter(|v| !v.is_empty());
        let Some(response_type) = nonempty("response_type") else {
            return error_page(400, "invalid_request", "The response_type parameter is missing.");
        };
        if !self.config.response_types.iter().any(|t| t == response_type) {
            return error_page(400, "unsupported_response_type", &format!("response_type={response_type} is not supported: use one of {}.", self.config.response_types.join(", ")));
        }
        let Some(app_id) = nonempty("application_id").or_else(|| nonempty("client_id")) else {
            return error_page(400, "invalid_request", "The application_id parameter is missing.");
        };
        let Some(app) = self.config.application(app_id) else {
            return error_page(400, "invalid_client", &format!("No application is registered with the id {app_id}."));
        };
        match destination(app, q, response_type) {
            Ok(destination) => self.start_flow(app, q, response_type, destination, now),
            Err(r) => r,
        }
    }

    /// The rest of an authorize request from a known client with a valid destination: checks
    /// the options, then starts the session at the brand screen (or at login, given `make`).
    fn start_flow(&self, app: &Application, q: &[(String, String)], response_type: &str, destination: Destination, now: u64) -> Response {
        let nonempty = |k: &str| first(q, k).filter(|v| !v.is_empty());
        let mode = first(q, "mode").unwrap_or("live");
        if !self.config.modes.iter().any(|m| m == mode) {
            return error_page(400, "invalid_request", &format!("mode={mode} is not valid: use one of {}.", self.config.modes.join(", ")));
        }
        let force_prompt = match first(q, "approval_prompt").unwrap_or("auto") {
            "auto" => false,
            "force" => true,
            other => return error_page(400, "invalid_request", &format!("approval_prompt={other} is not valid: use auto or force.")),
        };
        let single_select_vin = nonempty("single_select_vin").map(str::to_string);
        let single_select = match first(q, "single_select") {
            None | Some("false") => single_select_vin.is_some(),
            Some("true") => true,
            Some(other) => return error_page(400, "invalid_request", &format!("single_select={other} is not valid: use true or false.")),
        };
        let scopes = match requested_scopes(app, q) {
            Ok(scopes) => scopes,
            Err(r) => return r,
        };
        let (redirect_uri, app_origin) = destination;
        let flow = Flow {
            app_id: app.id.clone(),
            redirect_uri,
            app_origin,
            response_type: response_type.to_string(),
            scopes,
            mode: mode.to_string(),
            state: first(q, "state").map(str::to_string),
            make: nonempty("make").and_then(|m| self.config.brand(m)).map(|b| b.make.clone()),
            single_select,
            single_select_vin,
            force_prompt,
            flags: first(q, "flags").unwrap_or("").split_whitespace().map(str::to_string).collect(),
            user_hint: nonempty("user").map(str::to_string),
            external_id: nonempty("external_id").filter(|e| *e != "null").map(str::to_string),
            login: None,
            pending_error: None,
            expires: now + self.config.lifetimes.session,
        };
        let id = match random::token("flow") {
            Ok(id) => id,
            Err(e) => return random_failed_page(e),
        };
        let next = if flow.make.is_some() { "login" } else { "brand" };
        let mut st = lock(&self.state);
        st.flows.retain(|_, f| f.expires > now);
        st.flows.insert(id.clone(), flow);
        Response::redirect(302, &format!("/connect/{id}/{next}"))
    }

    /// The live flow `id`, or the error page to show instead.
    fn flow(&self, st: &State, id: &str, now: u64) -> Result<Flow, Response> {
        match st.flows.get(id) {
            Some(f) if f.expires > now => Ok(f.clone()),
            _ => Err(error_page(400, "session_expired", "This Connect session has expired or was already completed. Close this window and start again from the app.")),
        }
    }

    fn app(&self, flow: &Flow) -> Result<&Application, Response> {
        self.config.application(&flow.app_id).ok_or_else(|| error_page(500, "server_error", "The application is no longer registered."))
    }

    fn country(flow: &Flow) -> Option<String> {
        flow.flags.iter().find_map(|f| f.strip_prefix("country:")).map(str::to_string)
    }

    fn brand_page(&self, id: &str, now: u64) -> Response {
        let st = lock(&self.state);
        let flow = match self.flow(&st, id, now) {
            Ok(f) => f,
            Err(r) => return r,
        };
        let app = match self.app(&flow) {
            Ok(a) => a,
            Err(r) => return r,
        };
        Response::html(200, pages::brands(id, &app.name, &self.config.brands, Self::country(&flow).as_deref(), &flow.mode))
    }

    fn login_page(&self, id: &str, req: &Request, now: u64) -> Response {
        let mut st = lock(&self.state);
        let mut flow = match self.flow(&st, id, now) {
            Ok(f) => f,
            Err(r) => return r,
        };
        if let Some(make) = req.param("make") {
            match self.config.brand(make) {
                Some(b) => flow.make = Some(b.make.clone()),
                None => return Response::redirect(302, &format!("/connect/{id}/brand")),
            }
            st.flows.insert(id.to_string(), flow.clone());
        }
        self.render_login(id, &flow, None, 200)
    }

    fn render_login(&self, id: &str, flow: &Flow, error: Option<&str>, status: u16) -> Response {
        let app = match self.app(flow) {
            Ok(a) => a,
            Err(r) => return r,
        };
        let Some(brand) = flow.make.as_deref().and_then(|m| self.config.brand(m)) else {
            return Response::redirect(302, &format!("/connect/{id}/brand"));
        };
        Response::html(status, pages::login(id, &app.name, brand, &flow.mode, flow.user_hint.as_deref(), error))
    }

    fn login_submit(&self, id: &str, req: &Request, now: u64) -> Response {
        let mut st = lock(&self.state);
        let mut flow = match self.flow(&st, id, now) {
            Ok(f) => f,
            Err(r) => return r,
        };
        let Some(make) = flow.make.clone() else {
            return Response::redirect(303, &format!("/connect/{id}/brand"));
        };
        let form = req.form();
        let username = first(&form, "username").unwrap_or("").trim().to_string();
        let password = first(&form, "password").unwrap_or("");
        if username.is_empty() || password.is_empty() {
            return self.render_login(id, &flow, Some("Enter your email and password."), 400);
        }
        let testing = flow.mode != "live";
        if !testing && !self.config.live_users.iter().any(|u| u.username.eq_ignore_ascii_case(&username) && same_secret(&u.password, password)) {
            return self.render_login(id, &flow, Some("Incorrect email or password."), 401);
        }
        let brand_name = self.config.brand(&make).map(|b| b.name.clone()).unwrap_or_else(|| make.clone());
        let special = username.to_ascii_lowercase();
        if testing && special == INCOMPATIBLE_USER {
            return self.incompatible_vehicle(&mut st, id, flow, &make);
        }
        if testing && special == INVALID_SUBSCRIPTION_USER {
            let params = vec![
                ("error".to_string(), "invalid_subscription".to_string()),
                ("error_description".to_string(), "User does not have an active connected vehicle subscription.".to_string()),
            ];
            let msg = format!("Your {brand_name} connected services subscription is inactive. Activate it in the {brand_name} app, then try again.");
            return self.interstitial(&mut st, id, flow, params, "No active subscription", &msg, Vec::new());
        }
        let user_id = match st.user_id((make.clone(), special.clone())) {
            Ok(id) => id,
            Err(e) => return random_failed_page(e),
        };
        let vehicles: Vec<String> = if testing && special == NO_VEHICLES_USER {
            Vec::new()
        } else {
            self.config.vehicles.iter().filter(|v| v.make == make && v.compatible).map(|v| v.id.clone()).collect()
        };
        if let Some((params, title, msg)) = self.missing_vehicle(&flow, &vehicles, &brand_name) {
            return self.interstitial(&mut st, id, flow, params, title, &msg, Vec::new());
        }
        flow.login = Some(Login { user_id: user_id.clone(), vehicles });
        if let Some(chosen) = self.remembered_choice(&st, &flow, &user_id) {
            return self.complete(&mut st, id, flow, chosen, now);
        }
        st.flows.insert(id.to_string(), flow);
        Response::redirect(303, &format!("/connect/{id}/permissions"))
    }

    /// The `vehicle_incompatible` test account: an interstitial about an incompatible vehicle
    /// (of `make` if the config has one), whose details go back to the app.
    fn incompatible_vehicle(&self, st: &mut State, id: &str, flow: Flow, make: &str) -> Response {
        let incompatible = || self.config.vehicles.iter().filter(|v| !v.compatible);
        let vehicle = incompatible().find(|v| v.make == make).or_else(|| incompatible().next());
        let mut params = vec![
            ("error".to_string(), "vehicle_incompatible".to_string()),
            ("error_description".to_string(), "The user's vehicle is not compatible.".to_string()),
        ];
        let mut details = Vec::new();
        if let Some(v) = vehicle {
            params.push(("vin".into(), v.vin.clone()));
            params.push(("make".into(), v.make.clone()));
            params.push(("model".into(), v.model.clone()));
            params.push(("year".into(), v.year.to_string()));
            details = vec![("VIN", v.vin.clone()), ("Make", v.make.clone()), ("Model", v.model.clone()), ("Year", v.year.to_string())];
        }
        self.interstitial(st, id, flow, params, "Your vehicle is not compatible", "This vehicle cannot be connected to the app yet.", details)
    }

    /// Why a signed-in user with `vehicles` has nothing to share, if so: no vehicles at all, or
    /// not the one `single_select_vin` asked for.
    fn missing_vehicle(&self, flow: &Flow, vehicles: &[String], brand_name: &str) -> Option<Problem> {
        if vehicles.is_empty() {
            let params = vec![
                ("error".to_string(), "no_vehicles".to_string()),
                ("error_description".to_string(), "No vehicles found. Please add vehicles to your account and try again.".to_string()),
            ];
            return Some((params, "No vehicles found", format!("There are no vehicles in this {brand_name} account.")));
        }
        let vin = flow.single_select_vin.as_ref()?;
        if vehicles.iter().filter_map(|v| self.config.vehicle(v)).any(|v| v.vin.eq_ignore_ascii_case(vin)) {
            return None;
        }
        let params = vec![
            ("error".to_string(), "no_vehicles".to_string()),
            ("error_description".to_string(), format!("No vehicle with VIN {vin} was found in this account.")),
        ];
        let msg = format!("The app asked for the vehicle with VIN {vin}, which is not in this {brand_name} account.");
        Some((params, "Vehicle not found", msg))
    }

    /// `approval_prompt=auto`: the vehicles to authorize at once for a returning user who
    /// already granted these permissions (and, with `single_select_vin`, that vehicle).
    fn remembered_choice(&self, st: &State, flow: &Flow, user_id: &str) -> Option<Vec<String>> {
        if flow.force_prompt {
            return None;
        }
        let grant = st.grants.get(&(flow.app_id.clone(), user_id.to_string()))?;
        let covers = flow.scopes.iter().all(|s| grant.scopes.contains(s));
        let chosen: Vec<String> = match &flow.single_select_vin {
            Some(vin) => grant.vehicles.iter().filter(|v| self.config.vehicle(v).is_some_and(|x| x.vin.eq_ignore_ascii_case(vin))).cloned().collect(),
            None if flow.single_select => grant.vehicles.iter().take(1).cloned().collect(),
            None => grant.vehicles.iter().cloned().collect(),
        };
        (covers && !chosen.is_empty()).then_some(chosen)
    }

    #[allow(clippy::too_many_arguments)]
    fn interstitial(&self, st: &mut State, id: &str, mut flow: Flow, params: Vec<(String, String)>, title: &str, message: &str, details: Vec<(&str, String)>) -> Response {
        let app_name = self.app(&flow).map(|a| a.name.clone()).unwrap_or_default();
        flow.pending_error = Some(params);
        st.flows.insert(id.to_string(), flow);
        Response::html(200, pages::interstitial(id, &app_name, title, message, &details))
    }

    fn exit(&self, id: &str, now: u64) -> Response {
        let mut st = lock(&self.state);
        let flow = match self.flow(&st, id, now) {
            Ok(f) => f,
            Err(r) => return r,
        };
        let params = flow.pending_error.clone().unwrap_or_else(|| {
            vec![
                ("error".to_string(), "access_denied".to_string()),
                ("error_description".to_string(), "User denied access to application.".to_string()),
            ]
        });
        self.finish(&mut st, id, &flow, params)
    }

    fn selection(flow: &Flow) -> Selection {
        match (&flow.single_select_vin, flow.single_select) {
            (Some(vin), _) => Selection::Vin(vin.clone()),
            (None, true) => Selection::Single,
            (None, false) => Selection::Multiple,
        }
    }

    /// The logged-in user's vehicles offered on the permission screen.
    fn offered<'a>(&'a self, flow: &Flow, login: &Login) -> Vec<&'a Vehicle> {
        login
            .vehicles
            .iter()
            .filter_map(|id| self.config.vehicle(id))
            .filter(|v| flow.single_select_vin.as_ref().is_none_or(|vin| v.vin.eq_ignore_ascii_case(vin)))
            .collect()
    }

    fn render_permissions(&self, id: &str, flow: &Flow, error: Option<&str>, status: u16) -> Response {
        let Some(login) = &flow.login else {
            return Response::redirect(303, &format!("/connect/{id}/login"));
        };
        let app = match self.app(flow) {
            Ok(a) => a,
            Err(r) => return r,
        };
        let brand = flow.make.as_deref().and_then(|m| self.config.brand(m)).map(|b| b.name.as_str()).unwrap_or("");
        let vehicles = self.offered(flow, login);
        Response::html(status, pages::permissions(id, &app.name, brand, &flow.scopes, &vehicles, &Self::selection(flow), error))
    }

    fn permissions_page(&self, id: &str, now: u64) -> Response {
        let st = lock(&self.state);
        match self.flow(&st, id, now) {
            Ok(flow) => self.render_permissions(id, &flow, None, 200),
            Err(r) => r,
        }
    }

    fn permissions_submit(&self, id: &str, req: &Request, now: u64) -> Response {
        let mut st = lock(&self.state);
        let flow = match self.flow(&st, id, now) {
            Ok(f) => f,
            Err(r) => return r,
        };
        let Some(login) = flow.login.clone() else {
            return Response::redirect(303, &format!("/connect/{id}/login"));
        };
        let form = req.form();
        match first(&form, "decision") {
            Some("deny") => {
                let params = vec![
                    ("error".to_string(), "access_denied".to_string()),
                    ("error_description".to_string(), "User denied access to application.".to_string()),
                ];
                self.finish(&mut st, id, &flow, params)
            }
            Some("allow") => {
                let offered: Vec<String> = self.offered(&flow, &login).iter().map(|v| v.id.clone()).collect();
                let mut chosen: Vec<String> = form.iter().filter(|(k, _)| k == "vehicle").map(|(_, v)| v.clone()).filter(|v| offered.contains(v)).collect();
                chosen.dedup();
                if chosen.is_empty() {
                    return self.render_permissions(id, &flow, Some("Select a vehicle to continue."), 400);
                }
                if flow.single_select && chosen.len() > 1 {
                    return self.render_permissions(id, &flow, Some("Select only one vehicle."), 400);
                }
                self.complete(&mut st, id, flow, chosen, now)
            }
            _ => self.render_permissions(id, &flow, Some("Choose Allow or Deny."), 400),
        }
    }

    /// The user allowed access to `vehicles`: record the grant and the connections, and send
    /// the user back to the app (with a code when `response_type=code`).
    fn complete(&self, st: &mut State, id: &str, flow: Flow, vehicles: Vec<String>, now: u64) -> Response {
        let Some(login) = flow.login.clone() else {
            return Response::redirect(303, &format!("/connect/{id}/login"));
        };
        // The code first: when it cannot be made, nothing is recorded.
        let code = match (flow.response_type == "code").then(|| random::token("code")).transpose() {
            Ok(code) => code,
            Err(e) => return random_failed_page(e),
        };
        let grant = st.grants.entry((flow.app_id.clone(), login.user_id.clone())).or_default();
        grant.scopes.extend(flow.scopes.iter().cloned());
        grant.vehicles.extend(vehicles.iter().cloned());
        for v in &vehicles {
            st.connections.retain(|c| !(c.app_id == flow.app_id && c.user_id == login.user_id && &c.vehicle_id == v));
            st.connections.push(Connection {
                app_id: flow.app_id.clone(),
                user_id: login.user_id.clone(),
                vehicle_id: v.clone(),
                scopes: flow.scopes.clone(),
                connected_at: now,
            });
        }
        let mut params = Vec::new();
        if let Some(code) = code {
            st.codes.retain(|_, c| c.expires > now);
            st.codes.insert(
                code.clone(),
                Code {
                    app_id: flow.app_id.clone(),
                    redirect_uri: flow.redirect_uri.clone().unwrap_or_default(),
                    user_id: login.user_id.clone(),
                    vehicles,
                    scopes: flow.scopes.clone(),
                    expires: now + self.config.lifetimes.code,
                    used: false,
                    issued: Vec::new(),
                },
            );
            params.push(("code".to_string(), code));
        }
        params.push(("user_id".to_string(), login.user_id));
        self.finish(st, id, &flow, params)
    }

    /// Ends the flow: redirects to `redirect_uri` with `params` (plus `state` and
    /// `external_id`), or without a redirect URI posts them to the opener at `app_origin`.
    fn finish(&self, st: &mut State, id: &str, flow: &Flow, mut params: Vec<(String, String)>) -> Response {
        st.flows.remove(id);
        if let Some(state) = &flow.state {
            params.push(("state".to_string(), state.clone()));
        }
        if let Some(external_id) = &flow.external_id {
            params.push(("external_id".to_string(), external_id.clone()));
        }
        if let Some(uri) = &flow.redirect_uri {
            let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            return Response::redirect(303, &append_query(uri, &pairs));
        }
        let origin = flow.app_origin.clone().unwrap_or_default();
        Response::html(200, pages::post_message(&auth_message(&params), &origin))
    }

    // -----------------------------------------------------------------------------------------
    // Token endpoint

    fn token(&self, req: &Request, now: u64) -> Response {
        let is_form = req
            .header("content-type")
            .is_some_and(|t| t.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
        if !is_form {
            return oauth_error(400, "invalid_request", "The request body must be application/x-www-form-urlencoded.");
        }
        let form = req.form();
        for key in ["grant_type", "code", "redirect_uri", "refresh_token", "client_id", "client_secret"] {
            if count(&form, key) > 1 {
                return oauth_error(400, "invalid_request", &format!("The {key} parameter was given more than once."));
            }
        }
        let app = match self.client(req, &form) {
            Ok(app) => app,
            Err(r) => return r,
        };
        let Some(grant_type) = first(&form, "grant_type").filter(|g| !g.is_empty()) else {
            return oauth_error(400, "invalid_request", "The grant_type parameter is missing.");
        };
        if !self.config.grant_types.iter().any(|g| g == grant_type) {
            return oauth_error(400, "unsupported_grant_type", &format!("grant_type={grant_type} is not supported."));
        }
        let mut st = lock(&self.state);
        st.access.retain(|_, a| a.expires > now);
        st.refresh.retain(|_, r| r.expires > now);
        let issued = match grant_type {
            "authorization_code" => self.exchange_code(&mut st, app, &form, now),
            "refresh_token" => self.refresh(&mut st, app, &form, now),
            "client_credentials" => {
                let ttl = self.config.lifetimes.application_token;
                random::token("app").map(|token| {
                    st.access.insert(token.clone(), Access { app_id: app.id.clone(), subject: Subject::Application, expires: now + ttl });
                    Response::json(200, &json!({ "access_token": token, "token_type": "Bearer", "expires_in": ttl }))
                })
            }
            other => Ok(oauth_error(400, "unsupported_grant_type", &format!("grant_type={other} is not supported."))),
        };
        issued.unwrap_or_else(random_failed_oauth)
    }

    /// The authenticated client: HTTP Basic, or `client_id` + `client_secret` in the body.
    fn client(&self, req: &Request, form: &[(String, String)]) -> Result<&Application, Response> {
        let from_header = req.header("authorization").map(basic_credentials);
        let from_body = match (first(form, "client_id"), first(form, "client_secret")) {
            (Some(id), Some(secret)) => Some((id.to_string(), secret.to_string())),
            _ => None,
        };
        let invalid_client = |d: &str| oauth_error(401, "invalid_client", d).with_header("WWW-Authenticate", "Basic realm=\"Smartcar Connect simulator\"");
        let (client_id, secret) = match (from_header, from_body) {
            (Some(Some(_)), Some(_)) => return Err(oauth_error(400, "invalid_request", "Use one client authentication method, not both.")),
            (Some(None), _) => return Err(invalid_client("The Authorization header is not valid HTTP Basic credentials.")),
            (Some(Some(c)), None) | (None, Some(c)) => c,
            (None, None) => return Err(invalid_client("Client authentication is required (HTTP Basic, or client_id and client_secret).")),
        };
        self.config.application(&client_id).filter(|a| same_secret(&a.secret, &secret)).ok_or_else(|| invalid_client("Invalid client id or client secret."))
    }

    /// `grant_type=authorization_code`: a code, once, for the client and redirect URI it was issued to.
    fn exchange_code(&self, st: &mut State, app: &Application, form: &[(String, String)], now: u64) -> Result<Response, random::Error> {
        let (Some(code), Some(redirect_uri)) = (first(form, "code"), first(form, "redirect_uri")) else {
            return Ok(oauth_error(400, "invalid_request", "The code and redirect_uri parameters are required."));
        };
        let Some(record) = st.codes.get(code).cloned() else {
            return Ok(oauth_error(400, "invalid_grant", "Invalid or expired authorization code."));
        };
        if record.app_id != app.id {
            return Ok(oauth_error(400, "invalid_grant", "The authorization code was issued to another client."));
        }
        if record.used {
            // A replayed code: refuse it and revoke what it was exchanged for.
            for t in &record.issued {
                st.access.remove(t);
                st.refresh.remove(t);
            }
            return Ok(oauth_error(400, "invalid_grant", "The authorization code has already been used."));
        }
        if record.expires <= now {
            st.codes.remove(code);
            return Ok(oauth_error(400, "invalid_grant", "Invalid or expired authorization code."));
        }
        if record.redirect_uri != redirect_uri {
            return Ok(oauth_error(400, "invalid_grant", "The redirect_uri does not match the one the code was issued for."));
        }
        let (body, issued) = self.issue_user_tokens(st, &app.id, &record.user_id, &record.vehicles, &record.scopes, now)?;
        if let Some(r) = st.codes.get_mut(code) {
            r.used = true;
            r.issued = issued;
        }
        Ok(Response::json(200, &body))
    }

    /// `grant_type=refresh_token`: refresh tokens rotate, each is single-use.
    fn refresh(&self, st: &mut State, app: &Application, form: &[(String, String)], now: u64) -> Result<Response, random::Error> {
        let Some(token) = first(form, "refresh_token") else {
            return Ok(oauth_error(400, "invalid_request", "The refresh_token parameter is required."));
        };
        let Some(record) = st.refresh.get(token).filter(|r| r.app_id == app.id).cloned() else {
            return Ok(oauth_error(400, "invalid_grant", "Invalid or expired refresh token."));
        };
        let (body, _) = self.issue_user_tokens(st, &app.id, &record.user_id, &record.vehicles, &record.scopes, now)?;
        st.refresh.remove(token);
        Ok(Response::json(200, &body))
    }

    fn issue_user_tokens(&self, st: &mut State, app_id: &str, user_id: &str, vehicles: &[String], scopes: &[String], now: u64) -> Result<(Value, Vec<String>), random::Error> {
        let access = random::token("at")?;
        let refresh = random::token("rt")?;
        let lt = self.config.lifetimes;
        st.access.insert(
            access.clone(),
            Access {
                app_id: app_id.to_string(),
                subject: Subject::User { user_id: user_id.to_string(), vehicles: vehicles.to_vec(), scopes: scopes.to_vec() },
                expires: now + lt.access_token,
            },
        );
        st.refresh.insert(
            refresh.clone(),
            Refresh { app_id: app_id.to_string(), user_id: user_id.to_string(), vehicles: vehicles.to_vec(), scopes: scopes.to_vec(), expires: now + lt.refresh_token },
        );
        let body = json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": lt.access_token,
            "refresh_token": refresh,
            "refresh_expires_in": lt.refresh_token,
            "scope": scopes.join(" "),
        });
        Ok((body, vec![access, refresh]))
    }

    // -----------------------------------------------------------------------------------------
    // Vehicle API

    fn api(&self, path: &[&str], req: &Request, now: u64) -> Response {
        let st = lock(&self.state);
        let Some(token) = req.header("authorization").and_then(bearer_token) else {
            return unauthorized("The Authorization header is missing or is not a Bearer token.");
        };
        let access = match st.access.get(token) {
            Some(a) if a.expires > now => a.clone(),
            Some(_) => return unauthorized("The access token has expired. Refresh it, or ask the user to connect again."),
            None => return unauthorized("The access token is invalid."),
        };
        let sc_user = req.header("sc-user-id").map(str::trim).filter(|s| !s.is_empty());
        // What this token may read: the user id and each vehicle with its scopes.
        let view: Option<View> = match &access.subject {
            Subject::User { user_id, vehicles, scopes } => Some((user_id.clone(), vehicles.iter().map(|v| (v.clone(), scopes.clone())).collect())),
            Subject::Application => sc_user.map(|user| {
                let vs = st
                    .connections
                    .iter()
                    .filter(|c| c.app_id == access.app_id && c.user_id == user)
                    .map(|c| (c.vehicle_id.clone(), c.scopes.clone()))
                    .collect();
                (user.to_string(), vs)
            }),
        };
        let need_user = || {
            api_error(400, "VALIDATION", Some("PARAMETER"), "An application token needs the sc-user-id header naming the user whose vehicles to read.")
        };
        match path {
            ["connections"] => connections(&st, &access, sc_user, req.param("vehicle_id")),
            ["user"] => match view {
                Some((user, _)) => Response::json(200, &json!({ "id": user })),
                None => need_user(),
            },
            ["vehicles"] => match view {
                Some((_, vs)) => {
                    let ids: Vec<&String> = vs.iter().map(|(v, _)| v).collect();
                    Response::json(200, &json!({ "vehicles": ids, "paging": { "count": ids.len(), "offset": 0 } }))
                }
                None => need_user(),
            },
            ["vehicles", id, rest @ ..] => match view {
                Some((_, vs)) => self.vehicle_endpoint(&vs, id, rest),
                None => need_user(),
            },
            _ => api_error(404, "RESOURCE_NOT_FOUND", Some("PATH"), "This endpoint does not exist in the simulator."),
        }
    }

    /// `/v2.0/vehicles/{id}[/vin]` for a token that may read the vehicles `vs`.
    fn vehicle_endpoint(&self, vs: &[(String, Vec<String>)], id: &str, rest: &[&str]) -> Response {
        let (Some((_, scopes)), Some(vehicle)) = (vs.iter().find(|(v, _)| v == id), self.config.vehicle(id)) else {
            return api_error(404, "RESOURCE_NOT_FOUND", Some("VEHICLE"), "This token has no access to a vehicle with this id.");
        };
        let (scope, body) = match rest {
            [] => ("read_vehicle_info", json!({ "id": vehicle.id, "make": vehicle.make, "model": vehicle.model, "year": vehicle.year })),
            ["vin"] => ("read_vin", json!({ "vin": vehicle.vin })),
            _ => return api_error(404, "RESOURCE_NOT_FOUND", Some("PATH"), "This endpoint does not exist in the simulator."),
        };
        if !scopes.iter().any(|s| s == scope) {
            return api_error(403, "PERMISSION", None, &format!("The user did not grant the {scope} permission."));
        }
        Response::json(200, &body)
    }
}

/// `/v2.0/connections`: the application's connections, for an application token (filtered by
/// the `sc-user-id` header and the `vehicle_id` parameter).
fn connections(st: &State, access: &Access, sc_user: Option<&str>, vehicle_filter: Option<&str>) -> Response {
    if !matches!(access.subject, Subject::Application) {
        return api_error(403, "PERMISSION", None, "The connections endpoint takes an application token (client_credentials grant).");
    }
    let list: Vec<Value> = st
        .connections
        .iter()
        .filter(|c| c.app_id == access.app_id)
        .filter(|c| sc_user.is_none_or(|u| c.user_id == u))
        .filter(|c| vehicle_filter.is_none_or(|v| c.vehicle_id == v))
        .map(|c| json!({ "userId": c.user_id, "vehicleId": c.vehicle_id, "connectedAt": iso8601(c.connected_at), "scopes": c.scopes }))
        .collect();
    Response::json(200, &json!({ "connections": list, "paging": { "cursor": Value::Null } }))
}

/// The message a redirect-less flow posts to the app, as the redirect page would post it after
/// a redirect with `params` (the message's one definition is in `smartcar-protocol`): every
/// field under its message key, `null` when absent, except that `externalId` is left out then.
fn auth_message(params: &[(String, String)]) -> Value {
    let mut message = Map::new();
    message.insert(NAME_KEY.to_string(), Value::from(MESSAGE_NAME));
    message.insert(HOSTED_KEY.to_string(), Value::Bool(false));
    for field in Field::ALL {
        match first(params, field.query_key()) {
            Some(value) => {
                message.insert(field.message_key().to_string(), Value::from(value));
            }
            None if field.omitted_when_absent() => {}
            None => {
                message.insert(field.message_key().to_string(), Value::Null);
            }
        }
    }
    Value::Object(message)
}

/// `2024-01-02T03:04:05.000Z` for Unix seconds.
pub fn iso8601(secs: u64) -> String {
    let days = (secs / 86400) as i64;
    let rem = secs % 86400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// For log lines: the request line without secrets in the query.
pub fn describe(req: &Request) -> String {
    let keys: Vec<String> = req.query.iter().map(|(k, _)| encode_component(k)).collect();
    if keys.is_empty() {
        format!("{} {}", req.method, req.path)
    } else {
        format!("{} {}?{}", req.method, req.path, keys.join("&"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_700_000_000), "2023-11-14T22:13:20.000Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }
}
