//! `new Smartcar(options)`: the options read once, the reference's rules, and the fields the
//! face sets on itself.

use std::sync::atomic::{AtomicBool, Ordering};

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::browser::{page_window, random, warn};
use super::class::Core;
use super::errors::to_js;
use super::read;
use crate::error::Failure;
use crate::options::{self, ApplicationIdFrom};
use crate::state;

/// Whether this page was already told that `clientId` is deprecated (the reference warns once).
static WARNED_CLIENT_ID: AtomicBool = AtomicBool::new(false);

/// `[core, applicationId, redirectUri, scope, onComplete, mode, responseType, externalId,
/// instanceId, connectUrl]`: the options' own values where the reference keeps them as they are
/// (`this.scope = options.scope`: the same array, not a copy), the computed ones otherwise.
pub(super) fn construct(options: &JsValue) -> Result<Array, JsValue> {
    if page_window().is_undefined() {
        return Err(to_js(&Failure::error("Smartcar needs a browser window")));
    }
    let core = Core::new(state::popup_name(&random()));
    let (raw, given) = read::constructor_options(options)?;
    let warned = WARNED_CLIENT_ID.load(Ordering::Relaxed);
    let constructed = options::construct(raw, warned, &|url| core.origin_of(url));
    // Given also when the options are then refused, as the reference warns before it throws.
    let warnings = match &constructed {
        Ok(construction) => &construction.warnings,
        Err(refused) => &refused.warnings,
    };
    for warning in warnings {
        if *warning == options::CLIENT_ID_DEPRECATED {
            WARNED_CLIENT_ID.store(true, Ordering::Relaxed);
        }
        // What a page's own console.warn throws, the constructor throws, as the reference's.
        let thrown = warn(warning);
        if !thrown.is_undefined() {
            return Err(thrown);
        }
    }
    let construction = constructed.map_err(|refused| to_js(&refused.failure))?;
    let application_id = match construction.application_id {
        ApplicationIdFrom::ApplicationId => given.application_id,
        ApplicationIdFrom::ClientId => given.client_id,
    };
    let fields = [
        core.into(),
        application_id,
        given.redirect_uri,
        given.scope,
        given.on_complete,
        construction.mode.as_str().into(),
        construction.response_type.as_str().into(),
        given.external_id,
        state::id_from_bytes(&random()).into(),
        given.connect_url,
    ];
    Ok(fields.iter().collect())
}
