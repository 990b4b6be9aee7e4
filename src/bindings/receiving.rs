//! An instance's receiving side: a message on the page or on the open flow's channel, through
//! the rules of `crate::receive`, to `onComplete`'s arguments. A message the rules refuse is
//! dropped with a `console.debug` line: never an exception into the page, never a trap.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::browser::debug;
use super::class::Core;
use super::complete;
use super::read::{self, Face, MessageData};
use super::value;
use crate::receive::{self, Code, Expecting, Ignored, Incoming, Route, Via};
use crate::state;
use smartcar_protocol::MESSAGE_NAME;

#[wasm_bindgen(module = "/js/state.js")]
extern "C" {
    /// `[instanceId, originalState]` of a `state` value of at most `max` characters, `None`
    /// when it holds no state.
    #[wasm_bindgen(js_name = decodeState)]
    fn decode_state_of_at_most(state: &JsValue, max: usize) -> Option<Array>;
}

/// `[instanceId, originalState]` of a `state` value, `None` when it holds no state the SDK
/// could have sent (one longer than `state::MAX_STATE` included).
pub(super) fn decode_state(state: &JsValue) -> Option<Array> {
    decode_state_of_at_most(state, state::MAX_STATE)
}

/// A message (`data`) from `origin` (a window message; from the open flow's popup when
/// `from_popup`) or on the open flow's channel (`over_channel`), while the flow `flow_id` is
/// open with its popup `popup_open`: `[whether it completes that flow, onComplete's
/// arguments]`, or `None` when it completes nothing.
#[allow(clippy::too_many_arguments)]
pub(super) fn receive(core: &Core, face: &Face, data: &JsValue, origin: &JsValue, from_popup: bool, over_channel: bool, flow_id: Option<&str>, popup_open: bool) -> Option<Array> {
    let via = if over_channel { Via::FlowChannel } else { Via::Window { from_flow_popup: from_popup } };
    let fields = read::ReceivingValues::read(face).ok()?;
    let receiving = core.receiving(fields.fields()).ok()?;
    let origin = value::value(origin);
    let decided = receive::check_origin(via, origin.as_text().unwrap_or_default(), &receiving.expected_origin).and_then(|()| {
        let message = smartcar_message(data).ok_or(Ignored::NotAResult)?;
        let decoded = decode_state(&message.state).ok_or(Ignored::NotAResult)?;
        let state_id = decoded.get(0).as_string().ok_or(Ignored::NotAResult)?;
        let text = value::text(&message.code);
        let code = match &text {
            Some(text) => Code::Text(text),
            None if message.code.is_undefined() || message.code.is_null() => Code::Absent,
            None => Code::Other,
        };
        let incoming = Incoming { via, state_id: &state_id, code };
        let expecting = Expecting { instance_id: receiving.instance_id, flow_id };
        let mut seen = core.seen.take();
        let route = receive::route(&incoming, &expecting, &mut seen, || popup_open);
        core.seen.set(seen);
        let route = route?;
        let arguments = complete::arguments(&message, &decoded.get(1)).map_err(|_| Ignored::NotAResult)?;
        Ok((route, arguments))
    });
    match decided {
        Ok((route, arguments)) => Some(Array::of2(&(route == Route::Flow).into(), &arguments)),
        // What is not a Smartcar result at all is too common to mention (every other
        // `postMessage` on the page).
        Err(Ignored::NotAResult | Ignored::Origin) => None,
        Err(ignored) => {
            debug("Smartcar: ignored a Connect result:", ignored.reason());
            None
        }
    }
}

/// `data` as a message, when it is an object named `SmartcarAuthMessage`.
pub(super) fn smartcar_message(data: &JsValue) -> Option<MessageData> {
    if !value::is_object(data) {
        return None;
    }
    let message = MessageData::read(data).ok()?;
    (value::text(&message.name).as_deref() == Some(MESSAGE_NAME)).then_some(message)
}
