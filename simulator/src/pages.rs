//! The HTML of Connect's screens. Every dynamic value goes through `escape`.

use serde_json::Value;

use crate::config::{Brand, Config, Vehicle};
use crate::http::{encode_component, escape};

/// How many vehicles the permission screen lets the user pick.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    Multiple,
    Single,
    /// `single_select_vin`: only this vehicle.
    Vin(String),
}

const STYLE: &str = r#"
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f8;color:#1c2430}
main{max-width:440px;margin:24px auto;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:24px 28px}
header{display:flex;align-items:center;gap:8px;color:#5b6675;font-size:13px;margin-bottom:12px}
header .logo{width:22px;height:22px;border-radius:6px;background:#00819d;display:inline-block}
h1{font-size:21px;margin:0 0 12px}p{margin:8px 0}.muted{color:#5b6675;font-size:14px}
.brands{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin:16px 0}
.brand{display:block;padding:14px;border:1px solid #d6dbe3;border-radius:8px;text-align:center;text-decoration:none;color:inherit;font-weight:600}
.brand:hover{border-color:#00819d}
label{display:block;margin:12px 0 4px;font-weight:600;font-size:14px}
input[type=email],input[type=text],input[type=password]{width:100%;padding:10px;border:1px solid #c3cad5;border-radius:6px;font:inherit}
button{font:inherit;padding:11px 18px;border-radius:8px;border:1px solid #00819d;background:#00819d;color:#fff;cursor:pointer;font-weight:600}
button.secondary{background:#fff;color:#00819d}
.actions{display:flex;gap:10px;justify-content:flex-end;margin-top:20px}
ul.scopes{padding-left:20px}ul.scopes li{margin:4px 0}
.vehicle{display:flex;gap:10px;align-items:center;border:1px solid #d6dbe3;border-radius:8px;padding:10px;margin:6px 0;font-weight:normal}
.error{background:#fdecea;color:#8a1c12;border-radius:6px;padding:10px;margin:10px 0}
.hint{background:#eef7f9;border-radius:6px;padding:10px;font-size:13px;margin-top:16px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px}dt{font-weight:600}dd{margin:0}
code{background:#f0f2f5;padding:1px 4px;border-radius:4px}
table{border-collapse:collapse}td,th{border:1px solid #d6dbe3;padding:4px 8px;text-align:left;font-size:14px}
"#;

fn layout(title: &str, app_name: Option<&str>, body: &str) -> String {
    let subtitle = match app_name {
        Some(app) => format!("Smartcar Connect (simulator) · {}", escape(app)),
        None => "Smartcar Connect (simulator)".to_string(),
    };
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{} · Smartcar Connect simulator</title><style>{STYLE}</style></head>\
<body><main><header><span class=\"logo\"></span><span>{subtitle}</span></header>{body}</main></body></html>\n",
        escape(title)
    )
}

fn error_box(error: Option<&str>) -> String {
    error.map(|e| format!("<p class=\"error\" id=\"form-error\" role=\"alert\">{}</p>", escape(e))).unwrap_or_default()
}

/// An error that stops Connect before it can redirect (a bad authorize request).
pub fn error_page(code: &str, message: &str) -> String {
    layout(
        "Error",
        None,
        &format!(
            "<h1>Something went wrong</h1><p id=\"error-message\">{}</p><p class=\"muted\">Error code: <code id=\"error-code\">{}</code></p>\
<p class=\"muted\">Connect could not return you to the app, because the request that opened this page is not valid. Close this window and contact the app's developer.</p>",
            escape(message),
            escape(code)
        ),
    )
}

pub fn brands(flow: &str, app_name: &str, brands: &[Brand], country: Option<&str>, mode: &str) -> String {
    let list: String = brands
        .iter()
        .map(|b| {
            format!(
                "<a class=\"brand\" data-make=\"{}\" href=\"/connect/{}/login?make={}\">{}</a>",
                escape(&b.make),
                encode_component(flow),
                encode_component(&b.make),
                escape(&b.name)
            )
        })
        .collect();
    let country = country.map(|c| format!("<p class=\"muted\" id=\"country\">Showing brands for country {}.</p>", escape(c))).unwrap_or_default();
    layout(
        "Select your brand",
        Some(app_name),
        &format!(
            "<h1>Select your vehicle's brand</h1><p class=\"muted\">{} uses Smartcar to connect to your vehicle. Mode: <code id=\"mode\">{}</code></p>{country}<nav class=\"brands\">{list}</nav>",
            escape(app_name),
            escape(mode)
        ),
    )
}

pub fn login(flow: &str, app_name: &str, brand: &Brand, mode: &str, user_hint: Option<&str>, error: Option<&str>) -> String {
    let testing = mode != "live";
    let note = if testing {
        format!(
            "<div class=\"hint\" id=\"test-hint\"><strong>{} mode:</strong> any email and password sign in. To try Connect's errors, sign in as \
<code>{}</code>, <code>{}</code> or <code>{}</code>.</div>",
            if mode == "test" { "Test" } else { "Simulated" },
            crate::sim::INCOMPATIBLE_USER,
            crate::sim::INVALID_SUBSCRIPTION_USER,
            crate::sim::NO_VEHICLES_USER
        )
    } else {
        "<div class=\"hint\">Live mode: sign in with an account from the simulator's <code>live_users</code>.</div>".to_string()
    };
    let flow = encode_component(flow);
    layout(
        "Sign in",
        Some(app_name),
        &format!(
            "<h1>Sign in to {name}</h1><p class=\"muted\">Use your {name} connected services account.</p>{err}\
<form method=\"post\" action=\"/connect/{flow}/login\" id=\"login-form\">\
<label for=\"username\">Email</label><input type=\"email\" id=\"username\" name=\"username\" autocomplete=\"username\" value=\"{user}\" required>\
<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
<div class=\"actions\"><a href=\"/connect/{flow}/brand\" class=\"muted\" id=\"change-brand\" style=\"margin-right:auto;align-self:center\">Choose another brand</a>\
<button type=\"submit\" id=\"sign-in\">Sign in</button></div></form>{note}",
            name = escape(&brand.name),
            err = error_box(error),
            user = escape(user_hint.unwrap_or("")),
        ),
    )
}

/// What a permission means, as Connect words it.
pub fn describe_scope(scope: &str) -> String {
    let text = match scope {
        "read_vehicle_info" => "Know make, model, and year",
        "read_vin" => "Read VIN",
        "read_odometer" => "Retrieve total distance traveled",
        "read_location" => "Access the vehicle's location",
        "read_battery" => "Read the EV battery's capacity and state of charge",
        "read_charge" => "Know whether the vehicle is charging",
        "control_charge" => "Start or stop charging",
        "read_fuel" => "Read fuel tank level",
        "read_tires" => "Read tire pressure",
        "read_engine_oil" => "Read engine oil health",
        "control_security" => "Lock or unlock the vehicle",
        "read_security" => "Know whether the vehicle is locked",
        "read_speedometer" => "Read the vehicle's speed",
        "read_thermometer" => "Read temperatures",
        "read_climate" => "Read the climate control settings",
        "control_climate" => "Set the climate control",
        "read_compass" => "Read the vehicle's heading",
        "read_extended_vehicle_info" => "Read the vehicle's configuration",
        "read_service_history" => "Read the vehicle's service records",
        "control_navigation" => "Send destinations to the navigation system",
        "control_trunk" => "Open or close the trunk",
        "read_user_profile" => "Read the connected account's profile",
        other => return format!("{} ({})", escape(other), "permission"),
    };
    escape(text)
}

pub fn permissions(flow: &str, app_name: &str, brand: &str, scopes: &[String], vehicles: &[&Vehicle], selection: &Selection, error: Option<&str>) -> String {
    let scopes_html: String = scopes
        .iter()
        .map(|s| format!("<li data-scope=\"{}\">{}</li>", escape(s), describe_scope(s)))
        .collect();
    let (kind, heading) = match selection {
        Selection::Multiple => ("checkbox", "Vehicles to share"),
        Selection::Single => ("radio", "Choose one vehicle to share"),
        Selection::Vin(_) => ("checkbox", "The vehicle this app asked for"),
    };
    let vehicles_html: String = vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let checked = matches!(selection, Selection::Multiple | Selection::Vin(_)) || i == 0;
            let locked = if matches!(selection, Selection::Vin(_)) { " onclick=\"return false\"" } else { "" };
            format!(
                "<label class=\"vehicle\"><input type=\"{kind}\" name=\"vehicle\" value=\"{id}\" data-vin=\"{vin}\"{}{locked}><span>{year} {make} {model}<br><span class=\"muted\">VIN {vin}</span></span></label>",
                if checked { " checked" } else { "" },
                id = escape(&v.id),
                vin = escape(&v.vin),
                year = v.year,
                make = escape(&v.make),
                model = escape(&v.model),
            )
        })
        .collect();
    layout(
        "Permissions",
        Some(app_name),
        &format!(
            "<h1>{app} wants access to your {brand} vehicle</h1>{err}<p>{app} is requesting permission to:</p><ul class=\"scopes\" id=\"scopes\">{scopes_html}</ul>\
<form method=\"post\" action=\"/connect/{flow}/permissions\" id=\"permissions-form\"><p><strong>{heading}</strong></p>{vehicles_html}\
<div class=\"actions\"><button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\" id=\"deny\">Deny</button>\
<button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow\">Allow</button></div></form>\
<p class=\"muted\">You can revoke access at any time.</p>",
            app = escape(app_name),
            brand = escape(brand),
            err = error_box(error),
            flow = encode_component(flow),
        ),
    )
}

/// A Connect error screen (no subscription, incompatible vehicle, ...) with a way back to the app.
pub fn interstitial(flow: &str, app_name: &str, title: &str, message: &str, details: &[(&str, String)]) -> String {
    let dl = if details.is_empty() {
        String::new()
    } else {
        let rows: String = details.iter().map(|(k, v)| format!("<dt>{}</dt><dd>{}</dd>", escape(k), escape(v))).collect();
        format!("<dl id=\"vehicle-details\">{rows}</dl>")
    };
    layout(
        title,
        Some(app_name),
        &format!(
            "<h1 id=\"problem\">{}</h1><p>{}</p>{dl}<form method=\"post\" action=\"/connect/{}/exit\"><div class=\"actions\">\
<button type=\"submit\" id=\"back-to-app\">Back to {}</button></div></form>",
            escape(title),
            escape(message),
            encode_component(flow),
            escape(app_name)
        ),
    )
}

/// The end of a redirect-less flow (`response_type=none` with `app_origin`): posts the result
/// to the app window that opened Connect, then closes.
pub fn post_message(message: &Value, app_origin: &str) -> String {
    // `<` escaped so that no string in the JSON can close the script element.
    let json = |v: &Value| v.to_string().replace('<', "\\u003c");
    let script = format!(
        "<script>(function(){{var m={},o={};var s=document.getElementById('status');\
if(window.opener){{window.opener.postMessage(m,o);s.textContent='Done. You can return to the app.';window.close();}}\
else{{s.textContent='This window lost its connection to the app. Close it and return to the app.';}}}})();</script>",
        json(message),
        json(&Value::from(app_origin))
    );
    layout("Returning to the app", None, &format!("<h1>Returning to the app…</h1><p id=\"status\"></p>{script}"))
}

/// The simulator's own front page: what is configured.
pub fn home(config: &Config) -> String {
    let apps: String = config
        .applications
        .iter()
        .map(|a| {
            let uris: String = a.redirect_uris.iter().map(|u| format!("<li><code>{}</code></li>", escape(u))).collect();
            format!("<li><strong>{}</strong> <code>{}</code><ul>{uris}</ul></li>", escape(&a.name), escape(&a.id))
        })
        .collect();
    let vehicles: String = config
        .vehicles
        .iter()
        .map(|v| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                escape(&v.make),
                escape(&v.model),
                v.year,
                escape(&v.vin),
                if v.compatible { "yes" } else { "no" }
            )
        })
        .collect();
    layout(
        "Simulator",
        None,
        &format!(
            "<h1>Smartcar Connect simulator</h1><p class=\"muted\">Endpoints: <code>GET /oauth/authorize</code>, <code>POST /oauth/token</code>, \
<code>GET /v2.0/vehicles</code>, <code>GET /v2.0/vehicles/{{id}}</code>, <code>GET /v2.0/connections</code>.</p>\
<h2>Applications</h2><ul>{apps}</ul><h2>Vehicles</h2><table><tr><th>Make</th><th>Model</th><th>Year</th><th>VIN</th><th>Compatible</th></tr>{vehicles}</table>"
        ),
    )
}
