//! Carries out the [`plan`](crate::plan) in the browser when the module starts.

use smartcar_protocol::js::message_to_js;
use smartcar_protocol::message::CHANNEL_NAME;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, Document, Window};

use crate::plan::{plan, Delivery};

/// The element a redirect page may provide for the status text (`redirect.html` does).
const STATUS_ELEMENT_ID: &str = "smartcar-status";

/// Does the redirect page's whole job: called once by `redirect.js` as soon as it loads.
/// Never throws: on any failure the page keeps its readable fallback text.
#[wasm_bindgen]
pub fn run() {
    if let Some(window) = web_sys::window() {
        // Nothing here may throw into the page: a failure leaves the readable fallback text.
        let _ = deliver(&window);
    }
}

fn deliver(window: &Window) -> Result<(), JsValue> {
    let location = window.location();
    let search = location.search()?;
    let page_origin = location.origin()?;
    // The code must not stay in the address bar, the history, or a Referer.
    if !search.is_empty() {
        let path = location.pathname()?;
        window.history()?.replace_state_with_url(&JsValue::NULL, "", Some(&path))?;
    }

    let opener = window.opener().ok().filter(|o| !o.is_null() && !o.is_undefined());
    let plan = plan(&search, &page_origin, opener.is_some());
    let message = message_to_js(&plan.message);
    match &plan.delivery {
        Delivery::PostToOpener { target_origin } => {
            if let Some(opener) = &opener {
                // Not `dyn_ref`: `instanceof Window` is false for an opener on another origin,
                // and any non-null opener is a WindowProxy.
                opener.unchecked_ref::<Window>().post_message(&message, target_origin)?;
            }
        }
        Delivery::Broadcast => {
            let channel = BroadcastChannel::new(CHANNEL_NAME)?;
            channel.post_message(&message)?;
            channel.close();
        }
        Delivery::Refused(_) => {}
    }
    if let Some(document) = window.document() {
        show_status(&document, plan.status);
    }
    if !matches!(plan.delivery, Delivery::Refused(_)) {
        window.close()?;
    }
    Ok(())
}

/// Writes the status into the page, now or, when this script runs in `<head>`, once the body
/// exists.
fn show_status(document: &Document, status: String) {
    if write_status(document, &status) {
        return;
    }
    let later = document.clone();
    let on_ready = Closure::once_into_js(move || {
        write_status(&later, &status);
    });
    let _ = document.add_event_listener_with_callback("DOMContentLoaded", on_ready.unchecked_ref());
}

fn write_status(document: &Document, status: &str) -> bool {
    if let Some(element) = document.get_element_by_id(STATUS_ELEMENT_ID) {
        element.set_text_content(Some(status));
        return true;
    }
    let Some(body) = document.body() else { return false };
    if let Ok(paragraph) = document.create_element("p") {
        paragraph.set_id(STATUS_ELEMENT_ID);
        paragraph.set_text_content(Some(status));
        let _ = body.append_child(&paragraph);
    }
    true
}
