//! The simulator's behaviour, end to end through `Simulator::handle` (no sockets).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use base64::Engine as _;
use serde_json::Value;
use smartcar_connect_simulator::http::encode_component;
use url::form_urlencoded;
use smartcar_connect_simulator::{Config, Request, Response, Simulator};

const APP: &str = "8229df9f-91a0-4ff0-a1ae-a1f38ee24d07";
const SECRET: &str = "demo-client-secret-not-for-production";
const OTHER_APP: &str = "5c1e8a62-3b0f-4d2e-9f3a-7e2b6c4d8a90";
const OTHER_SECRET: &str = "second-client-secret-not-for-production";
const REDIRECT: &str = "http://localhost:8001/redirect.html?app_origin=http://localhost:8000";
const SERVER_REDIRECT: &str = "http://localhost:8000/server/exchange";
const TESLA_3: &str = "36ab27d0-fd9d-4455-823a-ce30af709ffc";
const TESLA_Y: &str = "9f4a3b1c-2d5e-4f6a-8b7c-1d2e3f4a5b6c";

fn sim() -> Simulator {
    Simulator::new(Config::from_json(smartcar_connect_simulator::config::DEFAULT_CONFIG, &|_| None).unwrap())
}

fn get(s: &Simulator, url: &str) -> Response {
    s.handle(&Request::new("GET", url))
}

fn post(s: &Simulator, url: &str, form: &[(&str, &str)]) -> Response {
    s.handle(&Request::new("POST", url).with_form(form))
}

fn location(r: &Response) -> String {
    assert!(matches!(r.status, 302 | 303), "expected a redirect, got {} {}", r.status, r.body_text());
    r.header("location").unwrap().to_string()
}

/// The query of a redirect to the app, as a map.
fn redirect_params(r: &Response) -> Vec<(String, String)> {
    let loc = location(r);
    form_urlencoded::parse(loc.split_once('?').map(|(_, q)| q).unwrap_or("").as_bytes()).into_owned().collect()
}

fn param<'a>(p: &'a [(String, String)], k: &str) -> Option<&'a str> {
    p.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str())
}

fn authorize_url(extra: &str) -> String {
    format!(
        "/oauth/authorize?response_type=code&application_id={APP}&redirect_uri={}&approval_prompt=auto&scope=read_vehicle_info%20read_vin&mode=test&state=s%2B1%2F%3D{extra}",
        encode_component(REDIRECT)
    )
}

/// Runs authorize → brand → login and returns the response of the login POST.
fn login(s: &Simulator, url: &str, make: &str, user: &str) -> Response {
    let r = get(s, url);
    let mut page = location(&r);
    if page.ends_with("/brand") {
        let body = get(s, &page).body_text();
        assert!(body.contains(&format!("data-make=\"{make}\"")), "brand page lists {make}");
        page = page.replace("/brand", &format!("/login?make={make}"));
    }
    let login_page = get(s, &page);
    assert_eq!(login_page.status, 200, "{}", login_page.body_text());
    assert!(login_page.body_text().contains("Sign in"));
    let flow = page.split('/').nth(2).unwrap().to_string();
    post(s, &format!("/connect/{flow}/login"), &[("username", user), ("password", "pw")])
}

/// Full flow with Allow: returns the redirect's parameters.
fn allow(s: &Simulator, url: &str, make: &str, vehicles: &[&str]) -> Vec<(String, String)> {
    let r = login(s, url, make, "owner@example.com");
    let perms = location(&r);
    if !perms.ends_with("/permissions") {
        return redirect_params(&r); // approval_prompt=auto skipped the screen
    }
    let page = get(s, &perms).body_text();
    assert!(page.contains("Know make, model, and year"), "the scopes are listed");
    assert!(!url.contains("read_vin") || page.contains("Read VIN"));
    let mut form = vec![("decision", "allow")];
    for v in vehicles {
        form.push(("vehicle", v));
    }
    redirect_params(&post(s, &perms, &form))
}

fn exchange(s: &Simulator, code: &str, redirect_uri: &str) -> Response {
    let r = Request::new("POST", "/oauth/token")
        .with_form(&[("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect_uri)])
        .with_header("Authorization", &format!("Basic {}", b64(&format!("{APP}:{SECRET}"))));
    s.handle(&r)
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn api(s: &Simulator, path: &str, token: &str, user: Option<&str>) -> Response {
    let mut r = Request::new("GET", path).with_header("Authorization", &format!("Bearer {token}"));
    if let Some(u) = user {
        r = r.with_header("sc-user-id", u);
    }
    s.handle(&r)
}

#[test]
fn authorize_validates_before_anything_else() {
    let s = sim();
    let cases = [
        ("/oauth/authorize?application_id=x", "response_type"),
        (&*format!("/oauth/authorize?response_type=token&application_id={APP}&redirect_uri={}", encode_component(REDIRECT)), "unsupported_response_type"),
        (&*format!("/oauth/authorize?response_type=code&redirect_uri={}", encode_component(REDIRECT)), "application_id"),
        (&*format!("/oauth/authorize?response_type=code&application_id=nope&redirect_uri={}", encode_component(REDIRECT)), "invalid_client"),
        (&*format!("/oauth/authorize?response_type=code&application_id={APP}&redirect_uri=https%3A%2F%2Fevil.example%2Fcb"), "not registered"),
        (&*format!("/oauth/authorize?response_type=code&application_id={APP}"), "redirect_uri"),
        (&*format!("/oauth/authorize?response_type=code&application_id={APP}&redirect_uri={}&mode=prod", encode_component(REDIRECT)), "mode=prod"),
        (&*format!("/oauth/authorize?response_type=code&application_id={APP}&redirect_uri={}&approval_prompt=sometimes", encode_component(REDIRECT)), "approval_prompt"),
        (&*format!("/oauth/authorize?response_type=code&application_id={APP}&redirect_uri={}&single_select=yes", encode_component(REDIRECT)), "single_select"),
        (&*format!("/oauth/authorize?response_type=code&application_id={APP}&redirect_uri={}&scope=read%3Cscript%3E", encode_component(REDIRECT)), "invalid_scope"),
        (&*format!("/oauth/authorize?response_type=code&application_id={APP}&application_id={APP}&redirect_uri={}", encode_component(REDIRECT)), "more than once"),
        (&*format!("/oauth/authorize?response_type=none&application_id={APP}&app_origin=*"), "app_origin"),
        (&*format!("/oauth/authorize?response_type=none&application_id={APP}&app_origin=http%3A%2F%2Fevil.example"), "app_origin"),
        // Only the origin exactly as registered (and as `location.origin` writes it) is accepted.
        (&*format!("/oauth/authorize?response_type=none&application_id={APP}&app_origin=http%3A%2F%2Flocalhost%3A8000%2F"), "app_origin"),
        (&*format!("/oauth/authorize?response_type=none&application_id={APP}&app_origin=http%3A%2F%2Flocalhost%3A8000%2Fx"), "app_origin"),
        (&*format!("/oauth/authorize?response_type=none&application_id={APP}&app_origin=http%3A%2F%2Fu%40localhost%3A8000"), "app_origin"),
    ];
    for (url, needle) in cases {
        let r = get(&s, url);
        assert_eq!(r.status, 400, "{url}");
        assert!(r.header("location").is_none(), "an error page, not a redirect: {url}");
        let body = r.body_text();
        assert!(body.contains(needle), "{url}: {body}");
        assert!(!body.contains("<script>"), "{url}: values are escaped");
    }
}

#[test]
fn allow_redirects_with_a_single_use_code_bound_to_client_and_redirect_uri() {
    let s = sim();
    let p = allow(&s, &authorize_url("&external_id=ext-1"), "TESLA", &[TESLA_3]);
    let code = param(&p, "code").unwrap().to_string();
    assert_eq!(param(&p, "state"), Some("s+1/="), "state comes back untouched");
    assert_eq!(param(&p, "external_id"), Some("ext-1"));
    let user_id = param(&p, "user_id").unwrap().to_string();
    assert_eq!(user_id.len(), 36);
    assert_eq!(param(&p, "app_origin"), Some("http://localhost:8000"), "the redirect URI's own query is kept");

    // Wrong redirect URI, wrong client, wrong secret: refused, and the code survives them.
    let r = exchange(&s, &code, SERVER_REDIRECT);
    assert_eq!((r.status, r.body_json()["error"].as_str()), (400, Some("invalid_grant")));
    let other = s.handle(&Request::new("POST", "/oauth/token").with_form(&[
        ("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", REDIRECT), ("client_id", OTHER_APP), ("client_secret", OTHER_SECRET),
    ]));
    assert_eq!((other.status, other.body_json()["error"].as_str()), (400, Some("invalid_grant")));
    let bad_secret = s.handle(&Request::new("POST", "/oauth/token").with_form(&[
        ("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", REDIRECT), ("client_id", APP), ("client_secret", "wrong"),
    ]));
    assert_eq!((bad_secret.status, bad_secret.body_json()["error"].as_str()), (401, Some("invalid_client")));

    // Form credentials work as well as Basic.
    let ok = s.handle(&Request::new("POST", "/oauth/token").with_form(&[
        ("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", REDIRECT), ("client_id", APP), ("client_secret", SECRET),
    ]));
    assert_eq!(ok.status, 200, "{}", ok.body_text());
    let tokens = ok.body_json();
    let access = tokens["access_token"].as_str().unwrap().to_string();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 7200);

    let list = api(&s, "/v2.0/vehicles", &access, None).body_json();
    assert_eq!(list["vehicles"], serde_json::json!([TESLA_3]));
    let attrs = api(&s, &format!("/v2.0/vehicles/{TESLA_3}"), &access, None);
    assert_eq!(attrs.body_json(), serde_json::json!({"id": TESLA_3, "make": "TESLA", "model": "Model 3", "year": 2021}));
    assert_eq!(api(&s, &format!("/v2.0/vehicles/{TESLA_3}/vin"), &access, None).body_json()["vin"], "5YJ3E1EA7MF000316");
    assert_eq!(api(&s, &format!("/v2.0/vehicles/{TESLA_Y}"), &access, None).status, 404, "a vehicle the user did not share");
    assert_eq!(api(&s, "/v2.0/user", &access, None).body_json()["id"], user_id.as_str());

    // The code again: refused, and the tokens it gave are revoked.
    let again = exchange(&s, &code, REDIRECT);
    assert_eq!(again.status, 400);
    assert_eq!(again.body_json()["error"], "invalid_grant");
    assert!(again.body_json()["error_description"].as_str().unwrap().contains("already been used"));
    let revoked = api(&s, "/v2.0/vehicles", &access, None);
    assert_eq!(revoked.status, 401);
    assert_eq!(revoked.body_json()["type"], "AUTHENTICATION");
}

#[test]
fn refresh_tokens_rotate_and_tokens_expire() {
    let s = sim();
    let p = allow(&s, &authorize_url(""), "TESLA", &[TESLA_3, TESLA_Y]);
    let t = exchange(&s, param(&p, "code").unwrap(), REDIRECT).body_json();
    let refresh = t["refresh_token"].as_str().unwrap();
    let basic = format!("Basic {}", b64(&format!("{APP}:{SECRET}")));
    let r = s.handle(&Request::new("POST", "/oauth/token").with_form(&[("grant_type", "refresh_token"), ("refresh_token", refresh)]).with_header("Authorization", &basic));
    assert_eq!(r.status, 200);
    let fresh = r.body_json();
    assert_ne!(fresh["access_token"], t["access_token"]);
    let reuse = s.handle(&Request::new("POST", "/oauth/token").with_form(&[("grant_type", "refresh_token"), ("refresh_token", refresh)]).with_header("Authorization", &basic));
    assert_eq!((reuse.status, reuse.body_json()["error"].as_str()), (400, Some("invalid_grant")));

    let access = fresh["access_token"].as_str().unwrap();
    assert_eq!(api(&s, "/v2.0/vehicles", access, None).body_json()["vehicles"].as_array().unwrap().len(), 2);
    let later = smartcar_connect_simulator::sim::now() + 7201;
    let expired = s.handle_at(&Request::new("GET", "/v2.0/vehicles").with_header("Authorization", &format!("Bearer {access}")), later);
    assert_eq!(expired.status, 401);
    assert!(expired.body_json()["description"].as_str().unwrap().contains("expired"));
    assert_eq!(api(&s, "/v2.0/vehicles", "nonsense", None).status, 401);
    assert_eq!(s.handle(&Request::new("GET", "/v2.0/vehicles")).status, 401);
}

#[test]
fn token_endpoint_errors() {
    let s = sim();
    let basic = format!("Basic {}", b64(&format!("{APP}:{SECRET}")));
    let call = |form: &[(&str, &str)], auth: Option<&str>| {
        let mut r = Request::new("POST", "/oauth/token").with_form(form);
        if let Some(a) = auth {
            r = r.with_header("Authorization", a);
        }
        let resp = s.handle(&r);
        (resp.status, resp.body_json()["error"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(call(&[("grant_type", "authorization_code")], None), (401, "invalid_client".into()));
    assert_eq!(call(&[("grant_type", "authorization_code")], Some("Basic %%%")), (401, "invalid_client".into()));
    assert_eq!(call(&[("grant_type", "password")], Some(&basic)), (400, "unsupported_grant_type".into()));
    assert_eq!(call(&[], Some(&basic)), (400, "invalid_request".into()));
    assert_eq!(call(&[("grant_type", "authorization_code"), ("code", "x")], Some(&basic)), (400, "invalid_request".into()));
    assert_eq!(call(&[("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", REDIRECT)], Some(&basic)), (400, "invalid_grant".into()));
    assert_eq!(call(&[("grant_type", "refresh_token"), ("refresh_token", "x")], Some(&basic)), (400, "invalid_grant".into()));
    let json_body = s.handle(&Request::new("POST", "/oauth/token").with_header("Authorization", &basic).with_header("Content-Type", "application/json"));
    assert_eq!(json_body.status, 400);
    assert_eq!(s.handle(&Request::new("GET", "/oauth/token")).status, 405);
}

#[test]
fn deny_and_connect_errors_redirect_with_error_and_state() {
    let s = sim();
    let r = login(&s, &authorize_url(""), "FORD", "someone@example.com");
    let perms = location(&r);
    let p = redirect_params(&post(&s, &perms, &[("decision", "deny")]));
    assert_eq!(param(&p, "error"), Some("access_denied"));
    assert!(param(&p, "error_description").is_some());
    assert_eq!(param(&p, "state"), Some("s+1/="));
    assert_eq!(param(&p, "code"), None);
    assert_eq!(get(&s, &perms).status, 400, "the session is over");

    let r = login(&s, &authorize_url(""), "AUDI", "smartcar@vehicle-incompatible.com");
    assert_eq!(r.status, 200);
    let page = r.body_text();
    assert!(page.contains("not compatible") && page.contains("0SCAUDI012FE3B132"));
    let exit = page.split("action=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let p = redirect_params(&post(&s, &exit, &[]));
    assert_eq!(param(&p, "error"), Some("vehicle_incompatible"));
    assert_eq!((param(&p, "vin"), param(&p, "make"), param(&p, "model"), param(&p, "year")), (Some("0SCAUDI012FE3B132"), Some("AUDI"), Some("A4"), Some("2012")));

    let r = login(&s, &authorize_url(""), "BMW", "smartcar@invalid-subscription.com");
    let page = r.body_text();
    let exit = page.split("action=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let p = redirect_params(&post(&s, &exit, &[]));
    assert_eq!(param(&p, "error"), Some("invalid_subscription"));
}

#[test]
fn make_skips_brand_selection_and_live_mode_checks_credentials() {
    let s = sim();
    let url = authorize_url("&make=tesla").replace("mode=test", "mode=live");
    let first = location(&get(&s, &url));
    assert!(first.ends_with("/login"), "{first}");
    let flow = first.split('/').nth(2).unwrap().to_string();
    let wrong = post(&s, &format!("/connect/{flow}/login"), &[("username", "a@b.c"), ("password", "x")]);
    assert_eq!(wrong.status, 401);
    assert!(wrong.body_text().contains("Incorrect email or password"));
    let special = post(&s, &format!("/connect/{flow}/login"), &[("username", "smartcar@vehicle-incompatible.com"), ("password", "x")]);
    assert_eq!(special.status, 401, "test accounts are for test mode");
    let ok = post(&s, &format!("/connect/{flow}/login"), &[("username", "driver@example.com"), ("password", "connect")]);
    assert!(location(&ok).ends_with("/permissions"));
}

#[test]
fn single_select_and_single_select_vin() {
    let s = sim();
    let r = login(&s, &authorize_url("&single_select=true"), "TESLA", "owner@example.com");
    let perms = location(&r);
    let page = get(&s, &perms).body_text();
    assert!(page.contains("type=\"radio\""));
    let two = post(&s, &perms, &[("decision", "allow"), ("vehicle", TESLA_3), ("vehicle", TESLA_Y)]);
    assert_eq!(two.status, 400);
    let p = redirect_params(&post(&s, &perms, &[("decision", "allow"), ("vehicle", TESLA_Y)]));
    let t = exchange(&s, param(&p, "code").unwrap(), REDIRECT).body_json();
    assert_eq!(api(&s, "/v2.0/vehicles", t["access_token"].as_str().unwrap(), None).body_json()["vehicles"], serde_json::json!([TESLA_Y]));

    // single_select_vin: only that vehicle is offered and authorized.
    let s = sim();
    let r = login(&s, &authorize_url("&single_select=true&single_select_vin=7SAYGDEE1PF000421"), "TESLA", "owner@example.com");
    let perms = location(&r);
    let page = get(&s, &perms).body_text();
    assert!(page.contains("7SAYGDEE1PF000421") && !page.contains("5YJ3E1EA7MF000316"));
    let p = redirect_params(&post(&s, &perms, &[("decision", "allow"), ("vehicle", TESLA_3), ("vehicle", TESLA_Y)]));
    let t = exchange(&s, param(&p, "code").unwrap(), REDIRECT).body_json();
    assert_eq!(api(&s, "/v2.0/vehicles", t["access_token"].as_str().unwrap(), None).body_json()["vehicles"], serde_json::json!([TESLA_Y]));

    // An unknown VIN ends Connect with an error.
    let r = login(&s, &authorize_url("&single_select_vin=NOPE0000000000000"), "TESLA", "owner@example.com");
    assert!(r.body_text().contains("NOPE0000000000000"));
    let exit = r.body_text().split("action=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let p = redirect_params(&post(&s, &exit, &[]));
    assert_eq!(param(&p, "error"), Some("no_vehicles"));
}

#[test]
fn approval_prompt_auto_skips_the_permission_screen_for_a_returning_user() {
    let s = sim();
    let first = allow(&s, &authorize_url(""), "TESLA", &[TESLA_3]);
    assert!(param(&first, "code").is_some());
    // Same user, same scopes: straight back with a fresh code.
    let r = login(&s, &authorize_url(""), "TESLA", "owner@example.com");
    let p = redirect_params(&r);
    assert!(param(&p, "code").is_some());
    assert_ne!(param(&p, "code"), param(&first, "code"));
    assert_eq!(param(&p, "user_id"), param(&first, "user_id"), "the same user");
    // force, or a new scope, shows it again.
    let r = login(&s, &authorize_url("").replace("approval_prompt=auto", "approval_prompt=force"), "TESLA", "owner@example.com");
    assert!(location(&r).ends_with("/permissions"));
    let r = login(&s, &authorize_url("").replace("read_vin", "read_odometer"), "TESLA", "owner@example.com");
    assert!(location(&r).ends_with("/permissions"));
}

#[test]
fn application_tokens_read_connections_and_vehicles_with_sc_user_id() {
    let s = sim();
    let url = format!(
        "/oauth/authorize?response_type=none&application_id={APP}&redirect_uri={}&scope=read_vehicle_info&mode=simulated&state=st",
        encode_component("http://localhost:8000/fleet/redirect")
    );
    let p = allow(&s, &url, "FORD", &["b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"]);
    assert_eq!(param(&p, "code"), None, "response_type=none has no code");
    let user = param(&p, "user_id").unwrap().to_string();
    let t = s.handle(&Request::new("POST", "/oauth/token").with_form(&[("grant_type", "client_credentials"), ("client_id", APP), ("client_secret", SECRET)]));
    assert_eq!(t.status, 200);
    let token = t.body_json()["access_token"].as_str().unwrap().to_string();
    assert!(t.body_json().get("refresh_token").is_none());

    let c = api(&s, "/v2.0/connections", &token, Some(&user)).body_json();
    let conns = c["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 1);
    assert_eq!(conns[0]["vehicleId"], "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e");
    assert_eq!(conns[0]["userId"], user.as_str());
    assert!(conns[0]["connectedAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(api(&s, "/v2.0/connections", &token, Some("someone-else")).body_json()["connections"], serde_json::json!([]));

    let v = api(&s, "/v2.0/vehicles/b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", &token, Some(&user));
    assert_eq!(v.body_json()["model"], "Mustang Mach-E");
    assert_eq!(api(&s, "/v2.0/vehicles/b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", &token, None).status, 400, "sc-user-id is required");
    assert_eq!(api(&s, "/v2.0/vehicles/b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", &token, Some("someone-else")).status, 404);
    // Another application's token sees nothing of this app's users.
    let other = s.handle(&Request::new("POST", "/oauth/token").with_form(&[("grant_type", "client_credentials"), ("client_id", OTHER_APP), ("client_secret", OTHER_SECRET)]));
    let other = other.body_json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(api(&s, "/v2.0/connections", &other, Some(&user)).body_json()["connections"], serde_json::json!([]));
    let later = smartcar_connect_simulator::sim::now() + 3601;
    let expired = s.handle_at(&Request::new("GET", "/v2.0/connections").with_header("Authorization", &format!("Bearer {token}")), later);
    assert_eq!(expired.status, 401);
}

#[test]
fn redirectless_flow_posts_to_app_origin() {
    let s = sim();
    let url = format!("/oauth/authorize?response_type=none&application_id={APP}&app_origin=http%3A%2F%2Flocalhost%3A8000&mode=test&state=abc&external_id=e%3C1");
    let r = login(&s, &url, "BMW", "x@y.z");
    let perms = location(&r);
    let done = post(&s, &perms, &[("decision", "allow"), ("vehicle", "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f")]);
    assert_eq!(done.status, 200);
    let html = done.body_text();
    assert!(html.contains("postMessage(m,o)"));
    assert!(html.contains("\"http://localhost:8000\""));
    assert!(html.contains("\"name\":\"SmartcarAuthMessage\"") && html.contains("\"state\":\"abc\"") && html.contains("\"code\":null"));
    assert!(html.contains("e\\u003c1") && !html.contains("e<1"), "no raw < inside the script");
}

#[test]
fn nothing_panics_on_odd_input() {
    let s = sim();
    let weird = [
        "/", "/health", "/%", "/%zz/%%", "/oauth/authorize?%=%&&&=", "/oauth/authorize?response_type=code&application_id=%FF%FE",
        "/connect/../brand", "/connect/x/login?make=", "/connect/x/permissions", "/v2.0", "/v2.0/vehicles/%00/vin/x", "/v2.0/connections?vehicle_id=%",
        "/oauth/authorize?response_type=none&application_id=8229df9f-91a0-4ff0-a1ae-a1f38ee24d07&app_origin=http%3A%2F%2Flocalhost%3A8000%2F",
    ];
    for url in weird {
        for method in ["GET", "POST", "PUT", "DELETE", "HEAD", ""] {
            let mut r = Request::new(method, url);
            r.body = vec![0xff, 0xfe, b'=', b'&', b'%'];
            r.headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
            r.headers.push(("Authorization".into(), "Basic \u{1F600}".into()));
            let resp = s.handle(&r);
            assert!((200..600).contains(&resp.status), "{method} {url}");
        }
    }
    // A bogus flow id is a readable error page, not a crash.
    let r = post(&s, "/connect/flow_doesnotexist/login", &[("username", "a"), ("password", "b")]);
    assert_eq!(r.status, 400);
    assert!(r.body_text().contains("expired"));
    let _: Value = get(&s, "/v2.0/vehicles").body_json();
}
