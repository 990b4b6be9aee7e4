//! The SDK's JS face in a real browser: options in, URLs and `onComplete` calls out, driven by
//! real `postMessage`s, `BroadcastChannel` messages and clicks.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
use smartcar_auth::protocol::state::{self, OriginalState};
use smartcar_auth::Smartcar;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

/// The instance's id, as a Rust string.
fn id(sc: &Smartcar) -> String {
    sc.instance_id().as_string().unwrap()
}

/// The name of the class `value` was made by.
fn constructor_name(value: &JsValue) -> JsValue {
    Reflect::get(&Reflect::get(value, &"constructor".into()).unwrap(), &"name".into()).unwrap()
}

fn page_origin() -> String {
    window().location().origin().unwrap()
}

fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &(*key).into(), value).unwrap();
    }
    object.into()
}

fn strings(items: &[&str]) -> JsValue {
    items.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into()
}

/// Records every `onComplete` call's arguments.
struct Calls {
    calls: Rc<RefCell<Vec<Array>>>,
    function: Function,
    _closure: Closure<dyn FnMut(JsValue, JsValue, JsValue, JsValue, JsValue, JsValue)>,
}

impl Calls {
    fn new() -> Calls {
        let calls = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&calls);
        let closure = Closure::<dyn FnMut(JsValue, JsValue, JsValue, JsValue, JsValue, JsValue)>::new(
            move |a, b, c, d, e, f| {
                sink.borrow_mut().push(Array::of(&[a, b, c, d, e, f]));
            },
        );
        let function = closure.as_ref().unchecked_ref::<Function>().clone();
        Calls { calls, function, _closure: closure }
    }

    fn count(&self) -> usize {
        self.calls.borrow().len()
    }

    fn last(&self) -> Array {
        self.calls.borrow().last().cloned().expect("onComplete was called")
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (at most two seconds) until `calls` has `n` entries.
async fn wait_for_calls(calls: &Calls, n: usize) {
    for _ in 0..200 {
        if calls.count() >= n {
            return;
        }
        sleep(10).await;
    }
    panic!("onComplete was called {} times, expected {n}", calls.count());
}

/// Lets any message in flight arrive: a `postMessage` posted after it is dispatched after it.
async fn settle() {
    sleep(50).await;
}

fn sdk(calls: &Calls, redirect_uri: &str) -> Smartcar {
    Smartcar::new(object(&[
        ("applicationId", "app-id".into()),
        ("redirectUri", redirect_uri.into()),
        ("scope", strings(&["read_vehicle_info"])),
        ("onComplete", calls.function.clone().into()),
    ]))
    .unwrap()
}

fn message(state: &str, extra: &[(&str, JsValue)]) -> JsValue {
    let mut entries = vec![
        ("name", JsValue::from_str("SmartcarAuthMessage")),
        ("isSmartcarHosted", JsValue::FALSE),
        ("code", JsValue::NULL),
        ("error", JsValue::NULL),
        ("errorDescription", JsValue::NULL),
        ("state", state.into()),
    ];
    entries.extend(extra.iter().cloned());
    object(&entries)
}

fn post(data: &JsValue) {
    window().post_message(data, "*").unwrap();
}

fn error_of(thrown: JsValue) -> (String, String) {
    let name = Reflect::get(&thrown, &"name".into()).unwrap().as_string().unwrap();
    let message = Reflect::get(&thrown, &"message".into()).unwrap().as_string().unwrap();
    (name, message)
}

#[wasm_bindgen_test]
fn constructor_errors_match_the_reference() {
    let missing = Smartcar::new(object(&[])).err().unwrap();
    assert_eq!(
        error_of(missing),
        ("TypeError".into(), "An applicationId option must be provided".into())
    );
    let mode = Smartcar::new(object(&[("applicationId", "a".into()), ("mode", "prod".into())]))
        .err()
        .unwrap();
    assert_eq!(
        error_of(mode),
        (
            "Error".into(),
            "The \"mode\" parameter MUST be one of the following: 'test', 'live', 'simulated'".into()
        )
    );
    let response_type =
        Smartcar::new(object(&[("applicationId", "a".into()), ("responseType", "token".into())]))
            .err()
            .unwrap();
    assert_eq!(
        error_of(response_type),
        ("Error".into(), "The \"responseType\" option must be one of: code, none".into())
    );
    let cdn = Smartcar::new(object(&[
        ("applicationId", "a".into()),
        ("redirectUri", "https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://a.com".into()),
    ]))
    .err()
    .unwrap();
    assert!(error_of(cdn).1.starts_with("When using Smartcar's CDN redirect"));
}

#[wasm_bindgen_test]
fn options_of_the_wrong_type_name_the_option() {
    for (key, value, named) in [
        ("scope", JsValue::from(5), "\"scope\""),
        ("scope", strings(&["a"]).tap_push(&JsValue::from(1)), "\"scope\""),
        ("applicationId", Object::new().into(), "\"applicationId\""),
        ("redirectUri", JsValue::from(3), "\"redirectUri\""),
        ("redirectUri", "not a url".into(), "\"redirectUri\""),
        ("onComplete", "nope".into(), "\"onComplete\""),
        ("externalId", JsValue::from(7), "\"externalId\""),
    ] {
        let mut entries = vec![("applicationId", JsValue::from("a"))];
        entries.retain(|(k, _)| *k != key);
        entries.push((key, value));
        let (name, message) = error_of(Smartcar::new(object(&entries)).err().unwrap());
        assert_eq!(name, "TypeError", "{key}");
        assert!(message.contains(named), "{key}: {message}");
    }
}

trait TapPush {
    fn tap_push(self, value: &JsValue) -> JsValue;
}

impl TapPush for JsValue {
    fn tap_push(self, value: &JsValue) -> JsValue {
        self.unchecked_ref::<Array>().push(value);
        self
    }
}

#[wasm_bindgen_test]
fn properties_are_readable() {
    let calls = Calls::new();
    let sc = Smartcar::new(object(&[
        ("clientId", "legacy-id".into()),
        ("scope", strings(&["read_odometer"])),
        ("onComplete", calls.function.clone().into()),
        ("testMode", JsValue::TRUE),
        ("externalId", JsValue::NULL),
    ]))
    .unwrap();
    assert_eq!(sc.application_id(), "legacy-id");
    assert_eq!(sc.client_id(), "legacy-id");
    assert_eq!(sc.mode(), "test");
    assert_eq!(sc.response_type(), "code");
    assert!(sc.external_id().is_null());
    assert!(sc.redirect_uri().is_undefined());
    assert_eq!(sc.on_complete(), JsValue::from(calls.function.clone()));
    assert_eq!(Array::from(&sc.scope()).get(0), "read_odometer");
    sc.unmount();
}

#[wasm_bindgen_test]
fn instance_ids_are_128_random_bits() {
    let a = Smartcar::new(object(&[("applicationId", "a".into())])).unwrap();
    let b = Smartcar::new(object(&[("applicationId", "a".into())])).unwrap();
    assert_eq!(id(&a).len(), 32);
    assert!(id(&a).bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(id(&a), id(&b));
    a.unmount();
    b.unmount();
}

#[wasm_bindgen_test]
fn auth_url_has_the_reference_parameters_in_order_and_survives_any_value() {
    let sc = Smartcar::new(object(&[
        ("applicationId", "id&mode=live".into()),
        ("redirectUri", "https://app.example.com/cb?x=1".into()),
        ("scope", strings(&["read_vehicle_info", "read_odometer"])),
        ("mode", "simulated".into()),
        ("externalId", "ext 1".into()),
        ("connectUrl", "http://127.0.0.1:9".into()),
    ]))
    .unwrap();
    let state = "🚗 é+中&=#";
    let url: String = sc
        .get_auth_url(object(&[
            ("state", state.into()),
            ("forcePrompt", JsValue::TRUE),
            ("vehicleInfo", object(&[("make", "TESLA".into()), ("junk", 1.into())])),
            ("singleSelect", object(&[("vin", "5YJ&3".into())])),
            ("flags", strings(&["country:DE", "color:00819D"])),
            ("user", "u 1".into()),
        ]))
        .unwrap()
        .into();
    assert!(url.starts_with("http://127.0.0.1:9/oauth/authorize?"), "{url}");
    let parsed = web_sys::Url::new(&url).unwrap();
    let params = parsed.search_params();
    let names: Vec<String> = js_sys::try_iter(&params.keys()).unwrap().unwrap().map(|k| k.unwrap().as_string().unwrap()).collect();
    assert_eq!(
        names,
        [
            "response_type", "application_id", "redirect_uri", "approval_prompt", "scope", "mode",
            "single_select_vin", "single_select", "state", "make", "flags", "user", "external_id",
        ]
    );
    let get = |k: &str| params.get(k).unwrap();
    assert_eq!(get("application_id"), "id&mode=live");
    assert_eq!(get("redirect_uri"), "https://app.example.com/cb?x=1");
    assert_eq!(get("approval_prompt"), "force");
    assert_eq!(get("scope"), "read_vehicle_info read_odometer");
    assert_eq!(get("mode"), "simulated");
    assert_eq!(get("single_select_vin"), "5YJ&3");
    assert_eq!(get("single_select"), "true");
    assert_eq!(get("make"), "TESLA");
    assert_eq!(get("flags"), "country:DE color:00819D");
    assert_eq!(get("user"), "u 1");
    assert_eq!(get("external_id"), "ext 1");
    let decoded = state::decode(&get("state")).unwrap();
    assert_eq!(decoded.instance_id, id(&sc));
    assert_eq!(decoded.original_state, Some(OriginalState::Text(state.into())));
    // The reference's own decoding (atob + JSON.parse) reads it too.
    let json = window().atob(&get("state")).unwrap();
    let parsed = js_sys::JSON::parse(&json).unwrap();
    assert_eq!(Reflect::get(&parsed, &"originalState".into()).unwrap(), state);
    sc.unmount();
}

#[wasm_bindgen_test]
fn response_type_none_without_redirect_sends_the_page_origin() {
    let sc = Smartcar::new(object(&[("applicationId", "a".into()), ("responseType", "none".into())])).unwrap();
    let url = web_sys::Url::new(&String::from(sc.get_auth_url(JsValue::UNDEFINED).unwrap())).unwrap();
    assert_eq!(url.search_params().get("app_origin"), Some(page_origin()));
    assert_eq!(url.search_params().get("response_type").as_deref(), Some("none"));
    sc.unmount();
}

fn state_for(sc: &Smartcar, original: &str) -> String {
    state::encode(&id(sc), Some(&OriginalState::Text(original.into())))
}

#[wasm_bindgen_test]
async fn a_genuine_message_completes_once_and_a_replay_is_ignored() {
    let calls = Calls::new();
    let sc = sdk(&calls, &(page_origin() + "/redirect"));
    let data = message(
        &state_for(&sc, "my state"),
        &[
            ("code", "code-1".into()),
            ("virtualKeyUrl", "https://vk".into()),
            ("userId", "user-1".into()),
            ("externalId", "ext-1".into()),
        ],
    );
    post(&data);
    wait_for_calls(&calls, 1).await;
    let args = calls.last();
    assert!(args.get(0).is_null());
    assert_eq!(args.get(1), "code-1");
    assert_eq!(args.get(2), "my state");
    assert_eq!(args.get(3), "https://vk");
    assert_eq!(args.get(4), "user-1");
    assert_eq!(args.get(5), "ext-1");
    post(&data);
    settle().await;
    assert_eq!(calls.count(), 1, "the same code must not complete twice");
    sc.unmount();
}

#[wasm_bindgen_test]
async fn connect_errors_are_typed() {
    let calls = Calls::new();
    let sc = sdk(&calls, &(page_origin() + "/redirect"));
    let state = state_for(&sc, "s");
    post(&message(&state, &[("error", "access_denied".into()), ("errorDescription", "User denied".into())]));
    wait_for_calls(&calls, 1).await;
    let error = calls.last().get(0);
    assert!(error.is_instance_of::<js_sys::Error>());
    assert!(error.dyn_ref::<js_sys::Object>().unwrap().is_instance_of::<js_sys::Error>());
    assert_eq!(error_of(error.clone()), ("AccessDenied".into(), "User denied".into()));
    // The class itself (js/errors.js); the package's entry module exposes it as
    // Smartcar.AccessDenied, which the e2e tests check with instanceof.
    assert_eq!(constructor_name(&error), "AccessDenied");

    post(&message(
        &state,
        &[
            ("error", "vehicle_incompatible".into()),
            ("errorDescription", "Not compatible".into()),
            ("vin", "VIN1".into()),
            ("make", "TESLA".into()),
            ("year", "2019".into()),
            ("model", "S".into()),
        ],
    ));
    wait_for_calls(&calls, 2).await;
    let error = calls.last().get(0);
    assert_eq!(error_of(error.clone()).0, "VehicleIncompatible");
    let info = Reflect::get(&error, &"vehicleInfo".into()).unwrap();
    assert_eq!(Reflect::get(&info, &"vin".into()).unwrap(), "VIN1");
    assert_eq!(Reflect::get(&info, &"year".into()).unwrap(), 2019);
    assert_eq!(Reflect::get(&info, &"model".into()).unwrap(), "S");

    post(&message(&state, &[("error", "invalid_subscription".into()), ("errorDescription", "Inactive".into())]));
    wait_for_calls(&calls, 3).await;
    assert_eq!(error_of(calls.last().get(0)).0, "InvalidSubscription");

    post(&message(&state, &[("error", "server_error".into()), ("errorDescription", "Boom".into())]));
    wait_for_calls(&calls, 4).await;
    assert_eq!(error_of(calls.last().get(0)), ("Error".into(), "Unexpected error: server_error - Boom".into()));
    sc.unmount();
}

#[wasm_bindgen_test]
async fn anything_else_is_ignored_and_the_instance_keeps_working() {
    let calls = Calls::new();
    let sc = sdk(&calls, &(page_origin() + "/redirect"));
    let other = Smartcar::new(object(&[("applicationId", "a".into())])).unwrap();
    let huge = "A".repeat(100_000);
    let junk = [
        JsValue::NULL,
        JsValue::from(42),
        JsValue::from("SmartcarAuthMessage"),
        message(&state_for(&sc, "s"), &[]).tap_set("name", "Other".into()),
        message("%%%not base64", &[("code", "c".into())]),
        message(&window().btoa("{not json").unwrap(), &[("code", "c".into())]),
        message(&window().btoa("null").unwrap(), &[("code", "c".into())]),
        message(&state_for(&other, "s"), &[("code", "c".into())]),
        message(&huge, &[("code", "c".into())]),
        message(&state_for(&sc, "s"), &[("code", huge.as_str().into())]),
        js_sys::JSON::parse(r#"{"__proto__":{"name":"SmartcarAuthMessage"},"constructor":{"prototype":{}}}"#).unwrap(),
    ];
    for data in &junk {
        post(data);
    }
    settle().await;
    assert_eq!(calls.count(), 0);
    post(&message(&state_for(&sc, "s"), &[("code", "after-junk".into())]));
    wait_for_calls(&calls, 1).await;
    assert_eq!(calls.last().get(1), "after-junk");
    sc.unmount();
    other.unmount();
}

trait TapSet {
    fn tap_set(self, key: &str, value: JsValue) -> JsValue;
}

impl TapSet for JsValue {
    fn tap_set(self, key: &str, value: JsValue) -> JsValue {
        Reflect::set(&self, &key.into(), &value).unwrap();
        self
    }
}

#[wasm_bindgen_test]
async fn messages_from_another_origin_than_the_redirect_uri_are_ignored() {
    let calls = Calls::new();
    // The redirect URI starts with this page's origin but its origin is app.example.com's:
    // the reference's startsWith test accepts this page's messages for it.
    let sc = sdk(&calls, &(page_origin() + "@app.example.com/redirect"));
    post(&message(&state_for(&sc, "s"), &[("code", "c".into())]));
    settle().await;
    assert_eq!(calls.count(), 0);
    sc.unmount();
}

#[wasm_bindgen_test]
async fn unmount_stops_listening() {
    let calls = Calls::new();
    let sc = sdk(&calls, &(page_origin() + "/redirect"));
    sc.unmount();
    post(&message(&state_for(&sc, "s"), &[("code", "c".into())]));
    settle().await;
    assert_eq!(calls.count(), 0);
}

#[wasm_bindgen_test]
async fn a_same_origin_redirect_page_can_answer_over_broadcast_channel() {
    let calls = Calls::new();
    let sc = sdk(&calls, &(page_origin() + "/redirect"));
    let channel = web_sys::BroadcastChannel::new("SmartcarAuthMessage").unwrap();
    channel.post_message(&message(&state_for(&sc, "bc"), &[("code", "bc-code".into())])).unwrap();
    wait_for_calls(&calls, 1).await;
    assert_eq!(calls.last().get(1), "bc-code");
    assert_eq!(calls.last().get(2), "bc");
    channel.close();
    sc.unmount();
}

#[wasm_bindgen_test]
fn click_handler_opens_a_centred_popup_named_for_the_instance() {
    let document = window().document().unwrap();
    let button = document.create_element("button").unwrap();
    button.set_id("connect-button");
    document.body().unwrap().append_child(&button).unwrap();

    // Record window.open instead of opening (the e2e tests open real popups).
    let opened = Rc::new(RefCell::new(Vec::<(String, String, String)>::new()));
    let sink = Rc::clone(&opened);
    let stub = Closure::<dyn FnMut(String, String, String) -> JsValue>::new(move |url, name, features| {
        sink.borrow_mut().push((url, name, features));
        JsValue::NULL
    });
    let original_open = Reflect::get(&window(), &"open".into()).unwrap();
    Reflect::set(&window(), &"open".into(), stub.as_ref()).unwrap();

    let sc = Smartcar::new(object(&[("applicationId", "a".into())])).unwrap();
    let missing = sc.add_click_handler(object(&[("id", "nope".into())])).err().unwrap();
    assert!(error_of(missing).1.contains("Could not add click handler: element with 'nope' was not found."));
    let neither = sc.add_click_handler(object(&[])).err().unwrap();
    assert_eq!(error_of(neither).1, "Could not add click handler: id or selector must be provided.");

    sc.add_click_handler(object(&[
        ("id", "connect-button".into()),
        ("state", "clicked".into()),
        ("windowOptions", object(&[("width", "50".into())])),
    ]))
    .unwrap();
    button.unchecked_ref::<web_sys::HtmlElement>().click();
    sc.unmount();
    button.unchecked_ref::<web_sys::HtmlElement>().click();
    Reflect::set(&window(), &"open".into(), &original_open).unwrap();
    button.remove();

    let opened = opened.borrow();
    assert_eq!(opened.len(), 1, "one popup for the click before unmount, none after");
    let (url, name, features) = &opened[0];
    assert!(url.starts_with("https://connect.smartcar.com/oauth/authorize?"));
    assert_eq!(*name, format!("smartcar-connect-{}", id(&sc)));
    let parts: Vec<&str> = features.split(',').collect();
    assert_eq!(parts.len(), 4, "{features}");
    assert!(parts[0].starts_with("top=") && parts[1].starts_with("left="));
    assert_eq!(parts[2], "width=100", "explicit widths below 100 become 100");
    assert!(parts[3].starts_with("height="));
}

async fn rejection(promise: js_sys::Promise) -> JsValue {
    wasm_bindgen_futures::JsFuture::from(promise).await.expect_err("the Promise rejects")
}

#[wasm_bindgen_test]
async fn connect_rejects_bad_options_without_opening_anything() {
    let sc = Smartcar::new(object(&[("applicationId", "a".into())])).unwrap();
    for (key, value, named) in [
        ("timeout", JsValue::from(-5), "\"timeout\""),
        ("timeout", JsValue::from("soon"), "\"timeout\""),
        ("signal", JsValue::from("nope"), "\"signal\""),
        ("flags", JsValue::from(3), "\"flags\""),
    ] {
        let (name, message) = error_of(rejection(sc.connect(object(&[(key, value)]))).await);
        assert_eq!(name, "TypeError", "{key}");
        assert!(message.contains(named), "{key}: {message}");
    }
    sc.unmount();
}

#[wasm_bindgen_test]
async fn connect_rejects_with_popup_blocked_when_window_open_returns_nothing() {
    let stub = Closure::<dyn FnMut() -> JsValue>::new(|| JsValue::NULL);
    let original_open = Reflect::get(&window(), &"open".into()).unwrap();
    Reflect::set(&window(), &"open".into(), stub.as_ref()).unwrap();
    let sc = Smartcar::new(object(&[("applicationId", "a".into())])).unwrap();
    let error = rejection(sc.connect(JsValue::UNDEFINED)).await;
    Reflect::set(&window(), &"open".into(), &original_open).unwrap();
    assert_eq!(error_of(error.clone()).0, "PopupBlocked");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(constructor_name(&error), "PopupBlocked");
    // The failed flow left nothing open: a second attempt is not "in progress".
    Reflect::set(&window(), &"open".into(), stub.as_ref()).unwrap();
    let again = rejection(sc.connect(JsValue::UNDEFINED)).await;
    Reflect::set(&window(), &"open".into(), &original_open).unwrap();
    assert_eq!(error_of(again).0, "PopupBlocked");
    sc.unmount();
}
