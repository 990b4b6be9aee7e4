//! Property tests of the result rules (`receive::check_origin`, `receive::route`,
//! `receive::SeenCodes`): a window message from any other origin than the expected one is
//! refused; a result naming the open flow counts only from that flow's popup or its channel; a
//! result naming the instance counts only from a window, and only while no popup of the SDK's
//! is open; any other state is refused; the same code never completes twice (within the last
//! [`SeenCodes::CAPACITY`] codes it remembers); and the genuine results are accepted, so the
//! safety properties are not vacuous. Also `ConnectError::from_message` over any error.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::cell::Cell;
use std::collections::VecDeque;

use proptest::prelude::*;
use smartcar_auth::receive::{check_origin, route, Code, ConnectError, ErrorCode, ErrorDetails, Expecting, Ignored, Incoming, Route, SeenCodes, Via};

/// `n` cases, or `PROPTEST_CASES` when set (for the longer runs in SECURITY.md).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n))
}

const ORIGIN: &str = "https://app.example.com";
const INSTANCE: &str = "0123456789abcdef0123456789abcdef";
const FLOW: &str = "fedcba9876543210fedcba9876543210";

/// Origins that are not [`ORIGIN`] but look like it, plus anything.
fn other_origin() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "https://app.example.co", "https://app.example.com.", "https://app.example.com/",
            "https://app.example.com:443", "https://APP.example.com", "http://app.example.com",
            "https://app.example.com.evil.com", "https://evil.com", "null", "", " https://app.example.com",
            "https://app.example.com\u{0}", "https://javascript-sdk.smartcar.com", "*", "https://app.example.comm",
        ])
        .prop_map(String::from),
        any::<String>(),
    ]
    .prop_filter("another origin", |o| o != ORIGIN)
}

/// Ids that look like `id` without being it, plus anything.
fn near(id: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            id.to_ascii_uppercase(),
            format!("{id} "),
            format!(" {id}"),
            format!("{id}0"),
            id[1..].to_owned(),
            id[..31].to_owned(),
            String::new(),
            format!("{id}\u{0}"),
        ]),
        "[0-9a-f]{32}",
        any::<String>(),
    ]
    .prop_filter("another id", move |other| other != id)
}

/// A state id that is neither [`INSTANCE`] nor [`FLOW`].
fn unknown_state() -> impl Strategy<Value = String> {
    prop_oneof![near(INSTANCE), near(FLOW)].prop_filter("unknown", |s| s != INSTANCE && s != FLOW)
}

fn via() -> impl Strategy<Value = Via> {
    prop_oneof![Just(Via::Window { from_flow_popup: true }), Just(Via::Window { from_flow_popup: false }), Just(Via::FlowChannel)]
}

fn code() -> impl Strategy<Value = Option<String>> {
    prop_oneof![Just(None), Just(Some(String::new())), "[A-Za-z0-9-]{1,12}".prop_map(Some), any::<String>().prop_map(Some)]
}

/// What the instance has open: `flow` is `Some(FLOW)` or none.
fn expecting(flow: bool) -> Expecting<'static> {
    Expecting { instance_id: INSTANCE, flow_id: flow.then_some(FLOW) }
}

/// `route` with a `flow_popup_open` that answers `popup_open` and counts how often it is asked.
fn routed(incoming: &Incoming<'_>, expecting: &Expecting<'_>, seen: &mut SeenCodes, popup_open: bool, asked: &Cell<u32>) -> Result<Route, Ignored> {
    route(incoming, expecting, seen, || {
        asked.set(asked.get() + 1);
        popup_open
    })
}

/// [`SeenCodes`] as documented: the last `CAPACITY` codes recorded, oldest forgotten first.
#[derive(Default)]
struct Memory(VecDeque<String>);

impl Memory {
    fn first_time(&mut self, code: &str) -> bool {
        if self.0.iter().any(|c| c == code) {
            return false;
        }
        self.0.push_back(code.to_owned());
        if self.0.len() > SeenCodes::CAPACITY {
            self.0.pop_front();
        }
        true
    }
}

proptest! {
    #![proptest_config(cases(512))]

    /// The origin check comes first, so nothing else of a window message from another origin
    /// is read; only the exact expected origin passes (the channel carries only this page's).
    #[test]
    fn another_origin_is_refused(origin in other_origin(), expected in prop_oneof![Just(ORIGIN.to_owned()), any::<String>()], popup in any::<bool>()) {
        prop_assume!(origin != expected);
        prop_assert_eq!(check_origin(Via::Window { from_flow_popup: popup }, &origin, &expected), Err(Ignored::Origin));
        prop_assert_eq!(check_origin(Via::Window { from_flow_popup: popup }, &expected, &expected), Ok(()));
        prop_assert_eq!(check_origin(Via::FlowChannel, &origin, &expected), Ok(()));
    }

    /// A result naming the open flow completes it only from its popup, or on its channel once
    /// the popup reads closed; from any other window (another tab, an iframe, a window the
    /// attacker opened) it is refused.
    #[test]
    fn the_flows_result_counts_only_from_its_popup_or_channel(via in via(), code in code(), popup_open in any::<bool>()) {
        let mut seen = SeenCodes::default();
        let asked = Cell::new(0);
        let incoming = Incoming { via, state_id: FLOW, code: code.as_deref().into() };
        let got = routed(&incoming, &expecting(true), &mut seen, popup_open, &asked);
        match via {
            Via::Window { from_flow_popup: true } => prop_assert_eq!(got, Ok(Route::Flow)),
            Via::FlowChannel if popup_open => prop_assert_eq!(got, Err(Ignored::ChannelWhilePopupOpen)),
            Via::FlowChannel => prop_assert_eq!(got, Ok(Route::Flow)),
            Via::Window { from_flow_popup: false } => prop_assert_eq!(got, Err(Ignored::NotTheFlowsWindow)),
        }
        // The popup's state is asked about only for the channel.
        prop_assert_eq!(asked.get(), u32::from(via == Via::FlowChannel));
    }

    /// A result naming the instance (a link built with `getAuthUrl`) counts from any window of
    /// the expected origin, but not while the SDK's own popup is open, and never over a
    /// flow's channel (which only carries the flow's result).
    #[test]
    fn the_instances_result_counts_only_without_an_open_popup(via in via(), code in code(), flow in any::<bool>(), popup_open in any::<bool>()) {
        let mut seen = SeenCodes::default();
        let asked = Cell::new(0);
        let incoming = Incoming { via, state_id: INSTANCE, code: code.as_deref().into() };
        let got = routed(&incoming, &expecting(flow), &mut seen, popup_open, &asked);
        let want = match via {
            Via::FlowChannel => Err(Ignored::UnknownState),
            Via::Window { .. } if flow && popup_open => Err(Ignored::FlowOpen),
            Via::Window { .. } => Ok(Route::Instance),
        };
        prop_assert_eq!(got, want);
        // Asked only when it matters: a window result naming the instance while a flow is open.
        prop_assert_eq!(asked.get(), u32::from(flow && via != Via::FlowChannel));
    }

    /// Any other state id (another instance's, a settled flow's, a forged one) completes
    /// nothing, however it arrives.
    #[test]
    fn any_other_state_is_refused(state in unknown_state(), via in via(), code in code(), flow in any::<bool>(), popup_open in any::<bool>()) {
        let mut seen = SeenCodes::default();
        let asked = Cell::new(0);
        let incoming = Incoming { via, state_id: &state, code: code.as_deref().into() };
        prop_assert_eq!(routed(&incoming, &expecting(flow), &mut seen, popup_open, &asked), Err(Ignored::UnknownState));
        // And a refused result does not burn its code: the genuine one still completes.
        let genuine = Incoming { via: Via::Window { from_flow_popup: true }, state_id: INSTANCE, code: code.as_deref().into() };
        prop_assert_eq!(routed(&genuine, &expecting(false), &mut seen, popup_open, &asked), Ok(Route::Instance));
    }

    /// The genuine results are accepted (so the refusals above are not vacuous), and each
    /// code only once: a replay of the same message, from the same window, completes nothing.
    #[test]
    fn genuine_results_complete_once(code in "[A-Za-z0-9-]{1,40}", channel in any::<bool>(), flow_first in any::<bool>()) {
        let mut seen = SeenCodes::default();
        let asked = Cell::new(0);
        let via = if channel { Via::FlowChannel } else { Via::Window { from_flow_popup: true } };
        let flow_result = Incoming { via, state_id: FLOW, code: Code::Text(&code) };
        let link_result = Incoming { via: Via::Window { from_flow_popup: false }, state_id: INSTANCE, code: Code::Text(&code) };
        let (first, second, want) = if flow_first {
            (flow_result, link_result, Route::Flow)
        } else {
            (link_result, flow_result, Route::Instance)
        };
        let expecting = if flow_first { expecting(true) } else { expecting(false) };
        prop_assert_eq!(check_origin(first.via, ORIGIN, ORIGIN), Ok(()));
        prop_assert_eq!(routed(&first, &expecting, &mut seen, false, &asked), Ok(want));
        prop_assert_eq!(routed(&first, &expecting, &mut seen, false, &asked), Err(Ignored::Replay));
        // Nor by another genuine path: the code is spent, whoever carries it.
        prop_assert_eq!(routed(&second, &Expecting { instance_id: INSTANCE, flow_id: Some(FLOW) }, &mut seen, false, &asked), Err(Ignored::Replay));
        // An error result carries no code and is not deduplicated.
        let error = Incoming { code: Code::Absent, ..first };
        prop_assert_eq!(routed(&error, &expecting, &mut seen, false, &asked), Ok(want));
        prop_assert_eq!(routed(&error, &expecting, &mut seen, false, &asked), Ok(want));
    }

    /// `from_message` never panics, maps exactly the three known codes (as strings only) to
    /// their errors, no error to none, and anything else to the reference's message.
    #[test]
    fn connect_errors_map_exactly_the_three_known_codes(
        kind in 0u8..3,
        code in prop_oneof![
            prop::sample::select(vec!["access_denied", "invalid_subscription", "vehicle_incompatible", "Access_denied", "access_denied ", "", "server_error"]).prop_map(String::from),
            any::<String>(),
        ],
        description in any::<String>(),
        has_vin in any::<bool>(),
        has_model in any::<bool>(),
    ) {
        let details = ErrorDetails { description: &description, has_vin, has_model };
        let error = match kind {
            0 => ErrorCode::None,
            1 => ErrorCode::Text(&code),
            _ => ErrorCode::Other(&code),
        };
        let got = ConnectError::from_message(error, details);
        let unexpected = || Some(ConnectError::Unexpected { message: format!("Unexpected error: {code} - {description}") });
        let want = match (kind, code.as_str()) {
            (0, _) => None,
            (1, "access_denied") => Some(ConnectError::AccessDenied),
            (1, "invalid_subscription") => Some(ConnectError::InvalidSubscription),
            (1, "vehicle_incompatible") => Some(ConnectError::VehicleIncompatible { with_vehicle: has_vin, with_model: has_vin && has_model }),
            _ => unexpected(),
        };
        prop_assert_eq!(got, want);
    }
}

proptest! {
    // Streams: fewer cases, each a long one.
    #![proptest_config(cases(256))]

    /// Whatever arrives, in whatever order: what completes is exactly what the rules allow,
    /// and a non-empty code completes at most once while it is among the last `CAPACITY`
    /// codes that completed something.
    #[test]
    fn a_stream_of_results_completes_only_what_the_rules_allow(
        flow in any::<bool>(),
        expected in prop_oneof![Just(ORIGIN.to_owned()), "https://[a-z]{1,3}\\.example"],
        stream in prop::collection::vec(
            (
                via(),
                prop_oneof![3 => Just(None), 1 => other_origin().prop_map(Some)],
                prop_oneof![Just(INSTANCE.to_owned()), Just(FLOW.to_owned()), unknown_state()],
                prop_oneof![
                    2 => prop::sample::select(vec!["a", "b", "c", "", "A"]).prop_map(|c| Some(c.to_owned())),
                    1 => Just(None),
                    1 => "[a-z]{1,2}".prop_map(Some),
                ],
                any::<bool>(),
            ),
            1..150,
        ),
    ) {
        let expecting = expecting(flow);
        let mut seen = SeenCodes::default();
        let mut memory = Memory::default();
        // Each completed non-empty code, with how many codes had been recorded before it.
        let mut completed: Vec<(String, usize)> = Vec::new();
        let mut recorded = 0usize;
        for (via, origin, state, code, popup_open) in &stream {
            let origin = origin.clone().unwrap_or_else(|| expected.clone());
            if check_origin(*via, &origin, &expected).is_err() {
                prop_assert!(*via != Via::FlowChannel && origin != expected, "refused {:?} from {:?}", via, origin);
                continue;
            }
            prop_assert!(*via == Via::FlowChannel || origin == expected);
            let asked = Cell::new(0);
            let incoming = Incoming { via: *via, state_id: state, code: code.as_deref().into() };
            let got = routed(&incoming, &expecting, &mut seen, *popup_open, &asked);

            // The rules, written out.
            let allowed = if flow && state == FLOW {
                match via {
                    Via::Window { from_flow_popup: true } => Ok(Route::Flow),
                    Via::FlowChannel if *popup_open => Err(Ignored::ChannelWhilePopupOpen),
                    Via::FlowChannel => Ok(Route::Flow),
                    Via::Window { from_flow_popup: false } => Err(Ignored::NotTheFlowsWindow),
                }
            } else if state == INSTANCE && *via != Via::FlowChannel {
                if flow && *popup_open { Err(Ignored::FlowOpen) } else { Ok(Route::Instance) }
            } else {
                Err(Ignored::UnknownState)
            };
            let want = match (allowed, code.as_deref().filter(|c| !c.is_empty())) {
                (Ok(r), Some(c)) => if memory.first_time(c) { Ok(r) } else { Err(Ignored::Replay) },
                (other, _) => other,
            };
            prop_assert_eq!(got, want, "{:?} {:?} {:?}", via, state, code);

            if let (Ok(_), Some(c)) = (got, code.as_deref().filter(|c| !c.is_empty())) {
                recorded += 1;
                if let Some((_, before)) = completed.iter().rev().find(|(done, _)| done == c) {
                    // Completed again: only after `CAPACITY` other codes (strictly between the two
                    // completions) pushed it out of the memory.
                    prop_assert!(recorded - 1 - before > SeenCodes::CAPACITY, "{c:?} completed twice");
                }
                completed.push((c.to_owned(), recorded - 1));
            }
        }
        // With fewer distinct codes than the memory holds, no code ever completes twice.
        let mut codes: Vec<&String> = completed.iter().map(|(c, _)| c).collect();
        let distinct = { let mut d = codes.clone(); d.sort(); d.dedup(); d.len() };
        if distinct <= SeenCodes::CAPACITY {
            codes.sort();
            let before = codes.len();
            codes.dedup();
            prop_assert_eq!(before, codes.len());
        }
    }

    /// `SeenCodes` remembers exactly the last `CAPACITY` codes it recorded, whatever the mix.
    #[test]
    fn seen_codes_keep_the_last_capacity_codes(codes in prop::collection::vec(prop_oneof![
        3 => (0u32..100).prop_map(|n| n.to_string()),
        1 => any::<String>(),
    ], 0..300)) {
        let mut seen = SeenCodes::default();
        let mut memory = Memory::default();
        for code in &codes {
            prop_assert_eq!(seen.first_time(code), memory.first_time(code), "{:?}", code);
        }
        // The most recent `CAPACITY` recorded codes are all still refused.
        for code in memory.0.iter() {
            prop_assert!(!seen.first_time(code), "{code:?} forgotten too early");
        }
    }
}

#[test]
fn more_codes_than_the_memory_holds() {
    // The documented memory: the last 64 codes (the models above are written in terms of it).
    assert_eq!(SeenCodes::CAPACITY, 64);
    // Past SeenCodes::CAPACITY distinct codes the oldest are forgotten; the newest never are.
    let mut seen = SeenCodes::default();
    let asked = Cell::new(0);
    for i in 0..1000usize {
        let code = format!("code-{i}");
        let incoming = Incoming { via: Via::Window { from_flow_popup: false }, state_id: INSTANCE, code: Code::Text(&code) };
        assert_eq!(routed(&incoming, &expecting(false), &mut seen, true, &asked), Ok(Route::Instance), "{i}");
        assert_eq!(routed(&incoming, &expecting(false), &mut seen, true, &asked), Err(Ignored::Replay), "{i} replayed");
        // The last CAPACITY codes are all still remembered.
        let oldest_kept = i.saturating_sub(SeenCodes::CAPACITY - 1);
        let kept = format!("code-{oldest_kept}");
        let again = Incoming { code: Code::Text(&kept), ..incoming };
        assert_eq!(routed(&again, &expecting(false), &mut seen, true, &asked), Err(Ignored::Replay), "{oldest_kept} forgotten at {i}");
    }
    // And exactly those: the one before them is forgotten.
    let forgotten = format!("code-{}", 1000 - SeenCodes::CAPACITY - 1);
    assert!(seen.first_time(&forgotten));
}
