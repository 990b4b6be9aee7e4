use wasm_bindgen_test::wasm_bindgen_test;
use super::*;

const ORIGIN: &str = "https://app.example.com";
const INSTANCE: &str = "0123456789abcdef0123456789abcdef";
const FLOW: &str = "fedcba9876543210fedcba9876543210";

fn window(from_flow_popup: bool, state_id: &str, code: &str) -> Incoming<'static> {
    let state_id: &'static str = Box::leak(state_id.to_owned().into_boxed_str());
    let code: &'static str = Box::leak(code.to_owned().into_boxed_str());
    Incoming { via: Via::Window { from_flow_popup }, state_id, code: Code::Text(code) }
}

fn expecting(flow: Option<&'static str>) -> Expecting<'static> {
    Expecting { instance_id: INSTANCE, flow_id: flow }
}

#[wasm_bindgen_test(unsupported = test)]
fn a_link_result_names_the_instance() {
    let mut seen = SeenCodes::default();
    assert_eq!(route(&window(false, INSTANCE, "c1"), &expecting(None), &mut seen, || true), Ok(Route::Instance));
    // Another instance's, or a forged one.
    assert_eq!(route(&window(false, "someone-else", "c2"), &expecting(None), &mut seen, || true), Err(Ignored::UnknownState));
}

#[wasm_bindgen_test(unsupported = test)]
fn only_the_exact_origin_counts() {
    let via = Via::Window { from_flow_popup: true };
    assert_eq!(check_origin(via, ORIGIN, ORIGIN), Ok(()));
    for origin in ["https://app.example.co", "https://app.example.com.evil.com", "http://app.example.com", "https://app.example.com:443", "null", ""] {
        assert_eq!(check_origin(via, origin, ORIGIN), Err(Ignored::Origin), "{origin}");
    }
    // The channel carries only this page's origin.
    assert_eq!(check_origin(Via::FlowChannel, "", ORIGIN), Ok(()));
}

#[wasm_bindgen_test(unsupported = test)]
fn a_flows_result_counts_only_from_its_popup_or_its_channel() {
    let mut seen = SeenCodes::default();
    let open = expecting(Some(FLOW));
    assert_eq!(route(&window(false, FLOW, "other-window"), &open, &mut seen, || true), Err(Ignored::NotTheFlowsWindow));
    assert_eq!(route(&window(true, FLOW, "genuine"), &open, &mut seen, || true), Ok(Route::Flow));
    // The channel counts once the popup reads closed (cut off by COOP), not while it can post.
    let channel = Incoming { via: Via::FlowChannel, ..window(false, FLOW, "over-channel") };
    assert_eq!(route(&channel, &open, &mut seen, || true), Err(Ignored::ChannelWhilePopupOpen));
    assert_eq!(route(&channel, &open, &mut seen, || false), Ok(Route::Flow));
}

#[wasm_bindgen_test(unsupported = test)]
fn while_the_popup_is_open_nothing_else_completes() {
    let mut seen = SeenCodes::default();
    let open = expecting(Some(FLOW));
    assert_eq!(route(&window(false, INSTANCE, "c"), &open, &mut seen, || true), Err(Ignored::FlowOpen));
    // Not even from the popup itself: it was sent the flow's state, not the instance's.
    assert_eq!(route(&window(true, INSTANCE, "c"), &open, &mut seen, || true), Err(Ignored::FlowOpen));
    // Once the popup is gone, links work again.
    assert_eq!(route(&window(false, INSTANCE, "c"), &open, &mut seen, || false), Ok(Route::Instance));
    // The channel only ever carries the flow's result.
    let channel = Incoming { via: Via::FlowChannel, ..window(false, INSTANCE, "d") };
    assert_eq!(route(&channel, &open, &mut seen, || false), Err(Ignored::UnknownState));
}

#[wasm_bindgen_test(unsupported = test)]
fn a_settled_flows_late_result_completes_nothing() {
    let mut seen = SeenCodes::default();
    // The first flow settled; a newer one is open.
    let newer = expecting(Some("11111111111111111111111111111111"));
    assert_eq!(route(&window(true, FLOW, "late"), &newer, &mut seen, || true), Err(Ignored::UnknownState));
    assert_eq!(route(&window(true, FLOW, "late"), &expecting(None), &mut seen, || true), Err(Ignored::UnknownState));
}

#[wasm_bindgen_test(unsupported = test)]
fn a_code_completes_once() {
    let mut seen = SeenCodes::default();
    assert_eq!(route(&window(false, INSTANCE, "c"), &expecting(None), &mut seen, || true), Ok(Route::Instance));
    assert_eq!(route(&window(false, INSTANCE, "c"), &expecting(None), &mut seen, || true), Err(Ignored::Replay));
    // Errors carry no code and are not deduplicated.
    let error = Incoming { code: Code::Absent, ..window(false, INSTANCE, "") };
    assert_eq!(route(&error, &expecting(None), &mut seen, || true), Ok(Route::Instance));
    assert_eq!(route(&error, &expecting(None), &mut seen, || true), Ok(Route::Instance));
}

#[wasm_bindgen_test(unsupported = test)]
fn a_code_that_is_not_a_string_completes_nothing() {
    let mut seen = SeenCodes::default();
    // `['c']` would reach the app's back end as `c`: it must not pass where `'c'` is a replay.
    assert_eq!(route(&window(true, FLOW, "c"), &expecting(Some(FLOW)), &mut seen, || true), Ok(Route::Flow));
    for incoming in [Incoming { code: Code::Other, ..window(true, FLOW, "") }, Incoming { code: Code::Other, ..window(false, INSTANCE, "") }] {
        assert_eq!(route(&incoming, &expecting(Some(FLOW)), &mut seen, || false), Err(Ignored::CodeNotText));
    }
    // The state's rules come first: a forged state is still reported as such.
    let forged = Incoming { code: Code::Other, ..window(true, "forged", "") };
    assert_eq!(route(&forged, &expecting(Some(FLOW)), &mut seen, || false), Err(Ignored::UnknownState));
}

#[wasm_bindgen_test(unsupported = test)]
fn seen_codes_are_bounded() {
    let mut seen = SeenCodes::default();
    for i in 0..(SeenCodes::CAPACITY * 3) {
        assert!(seen.first_time(&i.to_string()));
    }
    assert!(seen.codes.len() == SeenCodes::CAPACITY);
    assert!(!seen.first_time(&(SeenCodes::CAPACITY * 3 - 1).to_string()));
}

fn details(description: &str, has_vin: bool, has_model: bool) -> ErrorDetails<'_> {
    ErrorDetails { description, has_vin, has_model }
}

#[wasm_bindgen_test(unsupported = test)]
fn errors_map_like_generate_error() {
    let d = details("desc", true, true);
    assert_eq!(ConnectError::from_message(ErrorCode::None, d), None);
    assert_eq!(ConnectError::from_message(ErrorCode::Text("access_denied"), d), Some(ConnectError::AccessDenied));
    assert_eq!(ConnectError::from_message(ErrorCode::Text("invalid_subscription"), d), Some(ConnectError::InvalidSubscription));
    assert_eq!(
        ConnectError::from_message(ErrorCode::Text("vehicle_incompatible"), d),
        Some(ConnectError::VehicleIncompatible { with_vehicle: true, with_model: true })
    );
    assert_eq!(
        ConnectError::from_message(ErrorCode::Text("vehicle_incompatible"), details("x", false, true)),
        Some(ConnectError::VehicleIncompatible { with_vehicle: false, with_model: false })
    );
    assert_eq!(
        ConnectError::from_message(ErrorCode::Text("server_error"), details("undefined", false, false)),
        Some(ConnectError::Unexpected { message: "Unexpected error: server_error - undefined".into() })
    );
    // A non-string error never matches a known code (the reference's switch compares with ===).
    assert_eq!(
        ConnectError::from_message(ErrorCode::Other("access_denied"), details("null", false, false)),
        Some(ConnectError::Unexpected { message: "Unexpected error: access_denied - null".into() })
    );
}
