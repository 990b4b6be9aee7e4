//! The result rules: a stream of arbitrary incoming results through `receive::check_origin`,
//! `receive::route` and one `SeenCodes`, as an instance receives them over its life.
//!
//! Input: a header line, then one line per result.
//! - Header: its first byte's bit 0 says whether a popup flow is open (id [`FLOW`]); the rest
//!   of the line is the expected origin (empty: [`ORIGIN`]).
//! - Result: a control byte, then `origin \t state \t code`. Control bits 0-1: how it arrived
//!   (0 a window, 1 the flow's popup, 2-3 the flow's channel); bit 2: from the expected origin
//!   (else the line's origin); bits 3-4: its state names 0 the instance, 1 the flow, 2-3 the
//!   line's state; bit 5: the flow's popup is open; bit 6: no code (else the line's code).
//!
//! Checks, for every result: another origin is refused before anything else; a result
//! naming the open flow completes only from its popup or channel; one naming the instance only
//! from a window, and only without an open popup; any other state nothing; a non-empty code
//! completes at most once while among the last `SeenCodes::CAPACITY` codes recorded; refused
//! results record nothing; and what the rules allow is accepted. Also `ConnectError::from_message`
//! over the line's texts.
#![no_main]

use std::collections::VecDeque;

use libfuzzer_sys::fuzz_target;
use smartcar_auth::receive::{check_origin, route, Code, ConnectError, ErrorCode, ErrorDetails, Expecting, Ignored, Incoming, Route, SeenCodes, Via};

const ORIGIN: &str = "https://app.example.com";
const INSTANCE: &str = "0123456789abcdef0123456789abcdef";
const FLOW: &str = "fedcba9876543210fedcba9876543210";

fuzz_target!(|data: &[u8]| {
    let mut lines = data.split(|&b| b == b'\n');
    let Some(header) = lines.next() else { return };
    let flow_open = header.first().is_some_and(|b| b & 1 != 0);
    let given = String::from_utf8_lossy(header.get(1..).unwrap_or_default()).into_owned();
    let expected = if given.is_empty() { ORIGIN.to_owned() } else { given };
    let expecting = Expecting { instance_id: INSTANCE, flow_id: flow_open.then_some(FLOW) };

    let mut seen = SeenCodes::default();
    // SeenCodes as documented: the last CAPACITY codes recorded, the oldest forgotten first.
    let mut memory: VecDeque<String> = VecDeque::new();
    // Each completed non-empty code with its position among the codes recorded.
    let mut completed: Vec<(String, usize)> = Vec::new();

    for line in lines {
        let Some((&control, rest)) = line.split_first() else { continue };
        let rest = String::from_utf8_lossy(rest);
        let mut parts = rest.splitn(3, '\t');
        let (origin_text, state_text, code_text) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));

        let via = match control & 3 {
            0 => Via::Window { from_flow_popup: false },
            1 => Via::Window { from_flow_popup: true },
            _ => Via::FlowChannel,
        };
        let origin = if control & 4 != 0 { expected.as_str() } else { origin_text };
        let state = match (control >> 3) & 3 {
            0 => INSTANCE,
            1 => FLOW,
            _ => state_text,
        };
        let popup_open = control & 32 != 0;
        let code = (control & 64 == 0).then_some(code_text);
        // Without a string code, a code text starting with `!` stands for one of another type.
        let code_kind = match code {
            Some(text) => Code::Text(text),
            None if code_text.starts_with('!') => Code::Other,
            None => Code::Absent,
        };

        // 1. The origin, before anything else is read.
        match check_origin(via, origin, &expected) {
            Err(Ignored::Origin) => {
                assert!(via != Via::FlowChannel && origin != expected, "refused {via:?} from the expected origin");
                continue;
            }
            Err(other) => panic!("check_origin gave {other:?}"),
            Ok(()) => assert!(via == Via::FlowChannel || origin == expected, "accepted a window message from {origin:?}, expecting {expected:?}"),
        }

        // 2. What it completes.
        let mut asked = 0u32;
        let incoming = Incoming { via, state_id: state, code: code_kind };
        let got = route(&incoming, &expecting, &mut seen, || {
            asked += 1;
            popup_open
        });
        let from_flow = matches!(via, Via::Window { from_flow_popup: true } | Via::FlowChannel);
        let allowed = if flow_open && state == FLOW {
            match via {
                Via::FlowChannel if popup_open => Err(Ignored::ChannelWhilePopupOpen),
                _ if from_flow => Ok(Route::Flow),
                _ => Err(Ignored::NotTheFlowsWindow),
            }
        } else if state == INSTANCE && via != Via::FlowChannel {
            if flow_open && popup_open { Err(Ignored::FlowOpen) } else { Ok(Route::Instance) }
        } else {
            Err(Ignored::UnknownState)
        };
        match got {
            Ok(Route::Flow) => assert!(flow_open && state == FLOW && from_flow && !(via == Via::FlowChannel && popup_open), "completed the flow from {via:?} with state {state:?}"),
            Ok(Route::Instance) => assert!(
                state == INSTANCE && via != Via::FlowChannel && !(flow_open && popup_open),
                "completed the instance from {via:?} with state {state:?} (flow open: {flow_open}, popup open: {popup_open})"
            ),
            Err(_) => {}
        }
        assert!(asked <= 1);
        if asked == 1 {
            assert!(flow_open && (state == INSTANCE || via == Via::FlowChannel), "asked about the popup needlessly");
        }

        // 3. The code, at most once (within the memory), and recorded only when it completes.
        let non_empty = code.filter(|c| !c.is_empty());
        let want = match (allowed, non_empty) {
            (Ok(_), _) if code_kind == Code::Other => Err(Ignored::CodeNotText),
            (Ok(_), Some(c)) if memory.iter().any(|m| m == c) => Err(Ignored::Replay),
            (Ok(r), Some(c)) => {
                memory.push_back(c.to_owned());
                if memory.len() > SeenCodes::CAPACITY {
                    memory.pop_front();
                }
                Ok(r)
            }
            (other, _) => other,
        };
        assert_eq!(got, want, "{via:?} state {state:?} code {code:?}");
        if let (Ok(_), Some(c)) = (got, non_empty) {
            let position = completed.len();
            if let Some((_, before)) = completed.iter().rev().find(|(done, _)| done == c) {
                assert!(position - before > SeenCodes::CAPACITY, "{c:?} completed twice");
            }
            completed.push((c.to_owned(), position));
        }

        // The error a result carries: exactly the three known codes, as strings only.
        let details = ErrorDetails { description: state_text, has_vin: control & 32 != 0, has_model: control & 128 != 0 };
        let unexpected = Some(ConnectError::Unexpected { message: format!("Unexpected error: {code_text} - {state_text}") });
        let known = match code_text {
            "access_denied" => Some(ConnectError::AccessDenied),
            "invalid_subscription" => Some(ConnectError::InvalidSubscription),
            "vehicle_incompatible" => Some(ConnectError::VehicleIncompatible { with_vehicle: details.has_vin, with_model: details.has_vin && details.has_model }),
            _ => unexpected.clone(),
        };
        assert_eq!(ConnectError::from_message(ErrorCode::Text(code_text), details), known);
        assert_eq!(ConnectError::from_message(ErrorCode::Other(code_text), details), unexpected);
        assert_eq!(ConnectError::from_message(ErrorCode::None, details), None);
    }
});
