//! The `#[wasm_bindgen]` face of the SDK: converts JS values at the edge and calls the plain
//! Rust modules. Nothing here decides anything the pure modules could decide.
//!
//! Lifetimes: a mounted instance is owned by the listeners the page holds (the message
//! listener and any click listeners each keep an `Rc` of it), exactly as `@smartcar/auth`'s
//! closures keep its instance alive, so an app may drop its reference and still get
//! `onComplete`. `unmount()` drops those listeners, which removes them from the page and lets
//! the instance go when the JS object is freed or garbage-collected.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use js_sys::{Array, Function, JsString, Object, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

use crate::config::{self, Mode, ResponseType};
use crate::connect_url::{AuthUrlOptions, ConnectUrl, ExternalId, SingleSelect};
use crate::geometry::{self, AppWindow, Screen, WindowOptions};
use crate::lifecycle;
use crate::receive::{Completion, Receiver};
use smartcar_protocol::message::CHANNEL_NAME;
use smartcar_protocol::origin::is_web_origin;
use smartcar_protocol::state::{OriginalState, State};
use smartcar_protocol::js::{message_from_js, read, set_property};

mod browser;
mod errors;
mod flow;
mod listener;

use browser::{global_window, Closable, HasLength, HasOrigin, Window};

use errors::{plain as error, report_error, type_error};
use flow::{Flow, FlowOptions};
// Not gloo's: the message and click callbacks must be re-entrant (see listener.rs).
use listener::EventListener;

#[wasm_bindgen]
extern "C" {
    /// JS `String(value)`; throws only for values whose `toString` throws.
    #[wasm_bindgen(catch, js_name = String)]
    fn js_string(value: &JsValue) -> Result<String, JsValue>;

    /// JS `parseFloat`, for a string (it cannot throw then).
    #[wasm_bindgen(js_name = parseFloat)]
    fn parse_float(text: &str) -> f64;
}

/// Whether this page was already told that `clientId` is deprecated (the reference warns once).
static WARNED_CLIENT_ID: AtomicBool = AtomicBool::new(false);

type JsResult<T> = Result<T, JsValue>;

fn page_window() -> JsResult<Window> {
    global_window().ok_or_else(|| error("Smartcar needs a browser window"))
}

/// Rejects anything but an options object (or nothing at all), before any property is read.
fn check_options_object(options: &JsValue, what: &str) -> JsResult<()> {
    if options.is_undefined() || options.is_null() || options.is_object() {
        Ok(())
    } else {
        Err(type_error(what))
    }
}

/// A string option: `None` when absent or falsy-empty as the reference treats it, a `TypeError`
/// naming the option when it has another type.
fn string_option(value: &JsValue, message: &str) -> JsResult<Option<String>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_string() {
        Some(text) => Ok(Some(text)),
        None if !value.is_truthy() => Ok(None),
        None => Err(type_error(message)),
    }
}

/// An array of strings, or a `TypeError` with `message`.
fn string_array(value: &JsValue, message: &str) -> JsResult<Vec<String>> {
    let strings = value.dyn_ref::<Array>().and_then(|array| {
        // A plain loop: the iterator adapters cost several times its size in wasm.
        let mut strings = Vec::new();
        for index in 0..array.unchecked_ref::<HasLength>().length() {
            strings.push(array.get(index).as_string()?);
        }
        Some(strings)
    });
    strings.ok_or_else(|| type_error(message))
}

/// `String(value)` for the primitives the reference would write into the URL.
fn primitive_text(value: &JsValue) -> Option<String> {
    if let Some(text) = value.as_string() {
        return Some(text);
    }
    if value.as_f64().is_some() || value.as_bool().is_some() {
        return js_string(value).ok();
    }
    None
}

/// The origin of an absolute http(s) URL, as the browser's own URL parser computes it: the
/// same parser that computes `MessageEvent.origin`, so the two compare exactly (IDN hosts,
/// default ports and case included).
fn http_origin(url: &str) -> Option<String> {
    let origin = web_sys::Url::new(url).ok()?.unchecked_into::<HasOrigin>().origin();
    is_web_origin(&origin).then_some(origin)
}

/// One SDK instance: what the app configured, and what it holds on the page.
struct Instance {
    application_id: String,
    redirect_uri: Option<String>,
    scope_value: JsValue,
    scope: Option<Vec<String>>,
    on_complete: RefCell<JsValue>,
    mode: Mode,
    response_type: ResponseType,
    external_id: Option<Option<String>>,
    instance_id: String,
    connect_url: String,
    /// The page's origin, sent as `app_origin` when Connect has no redirect URI to return to.
    app_origin: Option<String>,
    receiver: RefCell<Receiver>,
    /// The listeners that keep this instance mounted; `unmount` drops them.
    listeners: RefCell<Vec<EventListener>>,
    channel: RefCell<Option<BroadcastChannel>>,
    /// The open `connect()` flow, at most one per instance.
    flow: RefCell<Option<Flow>>,
}

/// Smartcar Connect for this page: builds the Connect URL, opens it in a popup, and calls
/// `onComplete` with the result the redirect page posts back.
///
/// A drop-in replacement for `@smartcar/auth`'s `Smartcar` class. Call `unmount()` when done
/// with an instance; its memory is then released when the object is garbage-collected (or at
/// once with `free()`).
#[wasm_bindgen]
pub struct Smartcar {
    instance: Rc<Instance>,
}

#[wasm_bindgen]
impl Smartcar {
    /// Checks the options (with `@smartcar/auth`'s errors and warnings), picks a random
    /// instance id and starts listening for the redirect page's message.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> JsResult<Smartcar> {
        check_options_object(&options, "The Smartcar options must be an object")?;
        let window = page_window()?;

        let properties = read(
            &options,
            "applicationId clientId responseType redirectUri onComplete testMode mode scope externalId connectUrl",
        )?;
        let (application_id, client_id, response_type) = (properties.get(0), properties.get(1), properties.get(2));
        let (redirect_uri, on_complete, test_mode) = (properties.get(3), properties.get(4), properties.get(5));
        let (mode, scope_value, external_id, connect_url) =
            (properties.get(6), properties.get(7), properties.get(8), properties.get(9));
        let has = |index: u32| properties.has(index);

        let uses_client_id = !application_id.is_truthy() && client_id.is_truthy();
        let application_id = if uses_client_id { client_id } else { application_id };
        let application_id = string_option(
            &application_id,
            "The \"applicationId\" option must be a string",
        )?
        .filter(|id| !id.is_empty())
        .ok_or_else(|| type_error(config::MISSING_APPLICATION_ID))?;

        let response_type = match response_type.as_string() {
            Some(text) => config::parse_response_type(Some(&text)),
            None if !response_type.is_truthy() => config::parse_response_type(None),
            None => Err(config::ConfigError::InvalidResponseType),
        }
        .map_err(|e| error(e.message()))?;

        let redirect_uri = string_option(&redirect_uri, "The \"redirectUri\" option must be a string")?
            .filter(|uri| !uri.is_empty());
        if !(on_complete.is_undefined() || on_complete.is_null() || on_complete.is_function()) {
            return Err(type_error("The \"onComplete\" option must be a function"));
        }
        if let Some(uri) = &redirect_uri {
            if config::is_smartcar_cdn_redirect(uri) {
                let arity = if on_complete.is_function() { on_complete.unchecked_ref::<HasLength>().length() } else { 0 };
                if arity < 2 {
                    return Err(error(config::CDN_ON_COMPLETE_REQUIRED));
                }
                if config::uses_outdated_cdn_scheme(uri) {
                    web_sys::console::warn_1(&config::OUTDATED_CDN_REDIRECT.into());
                }
            }
        }
        if uses_client_id && !WARNED_CLIENT_ID.swap(true, Ordering::Relaxed) {
            web_sys::console::warn_1(&config::CLIENT_ID_DEPRECATED.into());
        }

        let test_mode = if has(5) {
            web_sys::console::warn_1(&config::TEST_MODE_DEPRECATED.into());
            Some(test_mode.as_bool() == Some(true))
        } else {
            None
        };
        // Any non-string mode is invalid, as in the reference.
        let mode = has(6).then(|| mode.as_string().unwrap_or_default());
        let mode = config::parse_mode(mode.as_deref(), test_mode).map_err(|e| error(e.message()))?;

        let scope = if scope_value.is_undefined() || scope_value.is_null() {
            None
        } else {
            Some(string_array(&scope_value, "The \"scope\" option must be an array of strings")?)
        };

        let external_id = if !has(8) || external_id.is_undefined() {
            None
        } else if external_id.is_null() {
            Some(None)
        } else {
            let text = external_id
                .as_string()
                .ok_or_else(|| type_error("The \"externalId\" option must be a string or null"))?;
            Some(Some(text))
        };

        let connect_url = match string_option(&connect_url, "The \"connectUrl\" option must be a string")? {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => config::DEFAULT_CONNECT_URL.to_owned(),
        };
        let connect_origin = http_origin(&connect_url)
            .ok_or_else(|| type_error("The \"connectUrl\" option must be an absolute http(s) URL"))?;
        let expected_origin = match &redirect_uri {
            Some(uri) => http_origin(uri).ok_or_else(|| {
                type_error("The \"redirectUri\" option must be an absolute http(s) URL")
            })?,
            None => connect_origin,
        };

        let page_origin = window.location().origin();
        let app_origin = (response_type == ResponseType::None && redirect_uri.is_none())
            .then(|| page_origin.clone());

        let mut random = [0u8; 16];
        window.crypto().get_random_values(&mut random);
        let instance_id = config::instance_id_from_bytes(&random);

        let same_origin_redirect = expected_origin == page_origin;
        let instance = Rc::new(Instance {
            application_id,
            redirect_uri,
            scope_value,
            scope,
            on_complete: RefCell::new(on_complete),
            mode,
            response_type,
            external_id,
            receiver: RefCell::new(Receiver::new(expected_origin, instance_id.clone())),
            instance_id,
            connect_url,
            app_origin,
            listeners: RefCell::new(Vec::new()),
            channel: RefCell::new(None),
            flow: RefCell::new(None),
        });
        instance.listen(&window, same_origin_redirect.then_some(page_origin));
        Ok(Smartcar { instance })
    }

    /// The Connect URL for these options (`state`, `forcePrompt`, `vehicleInfo.make`,
    /// `singleSelect`, `flags`, `user`), with every value percent-encoded.
    #[wasm_bindgen(js_name = getAuthUrl)]
    pub fn get_auth_url(&self, options: JsValue) -> JsResult<JsString> {
        check_options_object(&options, "The getAuthUrl options must be an object")?;
        let options = read_auth_url_options(&options, &self.instance.instance_id)?;
        Ok(self.instance.auth_url(&options).as_str().into())
    }

    /// Opens Connect in a popup centred on the app's window; `windowOptions` `{top, left,
    /// width, height}` override the position and size.
    #[wasm_bindgen(js_name = openDialog)]
    pub fn open_dialog(&self, options: JsValue) -> JsResult<()> {
        check_options_object(&options, "The openDialog options must be an object")?;
        let dialog = read_dialog_options(&options, &self.instance.instance_id)?;
        self.instance.open_dialog(&page_window()?, &dialog)?;
        Ok(())
    }

    /// Opens Connect in a popup, like `openDialog`, and returns a Promise of its result:
    /// `{code, state, virtualKeyUrl, userId, externalId}`, or a typed error (`AccessDenied`,
    /// `InvalidSubscription`, `VehicleIncompatible`, `PopupBlocked`, `PopupClosed`, `Timeout`,
    /// `InteractionInProgress`, or the `signal`'s abort reason).
    ///
    /// Options: those of `openDialog`, plus `timeout` (ms, default 15 minutes) and `signal`
    /// (an `AbortSignal`). A second `connect()` while one is open brings the open popup to the
    /// front and rejects with `InteractionInProgress`. `onComplete` is still called with the
    /// result.
    pub fn connect(&self, options: JsValue) -> js_sys::Promise {
        self.instance
            .connect(&options)
            .unwrap_or_else(|error| js_sys::Promise::reject(&error))
    }

    /// Opens Connect when the element with `id`, or any element matching `selector`, is
    /// clicked. The popup opens inside the click, so popup blockers let it through.
    ///
    /// Throws the reference's errors when neither `id` nor `selector` is given, or when
    /// nothing matches.
    #[wasm_bindgen(js_name = addClickHandler)]
    pub fn add_click_handler(&self, options: JsValue) -> JsResult<()> {
        check_options_object(&options, "The addClickHandler options must be an object")?;
        let properties = read(&options, "id selector")?;
        let (id, selector) = (properties.get(0), properties.get(1));
        let id = primitive_text(&id).filter(|id| !id.is_empty());
        let selector = primitive_text(&selector).filter(|s| !s.is_empty());
        if id.is_none() && selector.is_none() {
            return Err(error(config::ADD_CLICK_HANDLER_NO_TARGET));
        }
        let window = page_window()?;
        let document = window.document().ok_or_else(|| error("Smartcar needs a document"))?;
        let mut elements = Vec::new();
        if let Some(element) = id.as_deref().and_then(|id| document.get_element_by_id(id)) {
            elements.push(web_sys::EventTarget::from(element));
        }
        if let Some(selector) = &selector {
            let found = document.query_selector_all(selector)?;
            for index in 0..found.unchecked_ref::<HasLength>().length() {
                if let Some(node) = found.item(index) {
                    elements.push(node.into());
                }
            }
        }
        if elements.is_empty() {
            let what = id.as_deref().or(selector.as_deref()).unwrap_or_default();
            return Err(error(&config::click_handler_not_found(what)));
        }
        let dialog = Rc::new(read_dialog_options(&options, &self.instance.instance_id)?);
        let listeners = elements.iter().map(|element| {
            let instance = Rc::clone(&self.instance);
            let dialog = Rc::clone(&dialog);
            EventListener::new(element, "click", Box::new(move |_| {
                if let Ok(window) = page_window() {
                    let _ = instance.open_dialog(&window, &dialog);
                }
            }))
        });
        self.instance.hold(listeners.collect());
        Ok(())
    }

    /// Stops listening: removes the message listener and every click listener this instance
    /// added. The instance can still build URLs afterwards.
    pub fn unmount(&self) {
        self.instance.fail_flow(errors::abort_error(lifecycle::UNMOUNTED), true);
        // Taken out first, then dropped: removing a listener or closing the channel calls into
        // the page, which may call back into this instance.
        let listeners = std::mem::take(&mut *self.instance.listeners.borrow_mut());
        drop(listeners);
        let channel = self.instance.channel.borrow_mut().take();
        if let Some(channel) = channel {
            channel.unchecked_ref::<Closable>().close();
        }
    }

    /// The application id (also readable as `clientId`).
    #[wasm_bindgen(getter, js_name = applicationId)]
    pub fn application_id(&self) -> JsValue {
        JsValue::from_str(&self.instance.application_id)
    }

    /// The application id, under its deprecated name.
    #[wasm_bindgen(getter, js_name = clientId)]
    pub fn client_id(&self) -> JsValue {
        self.application_id()
    }

    /// The redirect URI, `undefined` when none was given.
    #[wasm_bindgen(getter, js_name = redirectUri)]
    pub fn redirect_uri(&self) -> JsValue {
        self.instance.redirect_uri.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str)
    }

    /// The requested scopes, as given.
    #[wasm_bindgen(getter)]
    pub fn scope(&self) -> JsValue {
        self.instance.scope_value.clone()
    }

    /// The completion callback.
    #[wasm_bindgen(getter, js_name = onComplete)]
    pub fn on_complete(&self) -> JsValue {
        self.instance.on_complete.borrow().clone()
    }

    /// Replaces the completion callback, as apps written for the reference may do.
    #[wasm_bindgen(setter, js_name = onComplete)]
    pub fn set_on_complete(&self, callback: JsValue) {
        *self.instance.on_complete.borrow_mut() = callback;
    }

    /// `'test'`, `'live'` or `'simulated'`.
    #[wasm_bindgen(getter)]
    pub fn mode(&self) -> JsValue {
        JsValue::from_str(self.instance.mode.as_str())
    }

    /// `'code'` or `'none'`.
    #[wasm_bindgen(getter, js_name = responseType)]
    pub fn response_type(&self) -> JsValue {
        JsValue::from_str(self.instance.response_type.as_str())
    }

    /// The external id: a string, `null` when explicitly cleared, `undefined` when unset.
    #[wasm_bindgen(getter, js_name = externalId)]
    pub fn external_id(&self) -> JsValue {
        match &self.instance.external_id {
            None => JsValue::UNDEFINED,
            Some(None) => JsValue::NULL,
            Some(Some(id)) => JsValue::from_str(id),
        }
    }

    /// This instance's id (128 random bits, hex), which the state carries through Connect so
    /// that only this instance accepts the result.
    #[wasm_bindgen(getter, js_name = instanceId)]
    pub fn instance_id(&self) -> JsValue {
        JsValue::from_str(&self.instance.instance_id)
    }

    /// The Connect base URL this instance sends users to.
    #[wasm_bindgen(getter, js_name = connectUrl)]
    pub fn connect_url(&self) -> JsValue {
        JsValue::from_str(&self.instance.connect_url)
    }
}

/// `getAuthUrl`'s options plus `windowOptions`, read once from the JS object.
struct DialogOptions {
    auth_url: AuthUrlOptions,
    window: WindowOptions,
}

fn read_dialog_options(options: &JsValue, instance_id: &str) -> JsResult<DialogOptions> {
    let window_options = read(options, "windowOptions")?.get(0);
    let entries = read(&window_options, "top left width height")?;
    let number = |value: &JsValue| -> JsResult<Option<f64>> {
        if value.is_undefined() {
            return Ok(None);
        }
        // parseFloat(String(value)), as the reference reads each entry.
        let number = parse_float(&js_string(value)?);
        Ok((!number.is_nan()).then_some(number))
    };
    Ok(DialogOptions {
        auth_url: read_auth_url_options(options, instance_id)?,
        window: WindowOptions {
            top: number(&entries.get(0))?,
            left: number(&entries.get(1))?,
            width: number(&entries.get(2))?,
            height: number(&entries.get(3))?,
        },
    })
}

/// Reads `getAuthUrl`'s options; the state is encoded here, once, with this instance's id.
fn read_auth_url_options(options: &JsValue, instance_id: &str) -> JsResult<AuthUrlOptions> {
    let properties = read(options, "state vehicleInfo singleSelect flags forcePrompt user")?;
    let (state, vehicle_info, single_select) = (properties.get(0), properties.get(1), properties.get(2));
    let (flags, force_prompt, user) = (properties.get(3), properties.get(4), properties.get(5));
    // A falsy state is no state, as in the reference; any other travels as its JSON.
    let state = encode_state(instance_id, &if state.is_truthy() { state } else { JsValue::UNDEFINED })?;

    let make = if vehicle_info.is_object() {
        primitive_text(&read(&vehicle_info, "make")?.get(0))
    } else {
        None
    };

    let single_select = if single_select.is_undefined() || single_select.is_null() {
        SingleSelect::Absent
    } else if single_select.is_object() {
        let vin = read(&single_select, "vin")?;
        match primitive_text(&vin.get(0)) {
            Some(text) if vin.has(0) => SingleSelect::Vin(text),
            _ => SingleSelect::NoVin,
        }
    } else {
        SingleSelect::Flag(single_select.as_bool() == Some(true))
    };

    let flags = if flags.is_truthy() {
        Some(string_array(&flags, "The \"flags\" option must be an array of strings")?)
    } else {
        None
    };

    Ok(AuthUrlOptions {
        force_prompt: force_prompt.as_bool() == Some(true),
        single_select,
        state,
        make,
        flags,
        user: primitive_text(&user).filter(|user| !user.is_empty()),
    })
}

impl Instance {
    fn auth_url(&self, options: &AuthUrlOptions) -> String {
        let external_id = match &self.external_id {
            None => ExternalId::Unset,
            Some(None) => ExternalId::Null,
            Some(Some(id)) => ExternalId::Value(id),
        };
        ConnectUrl {
            connect_url: &self.connect_url,
            response_type: self.response_type,
            application_id: &self.application_id,
            redirect_uri: self.redirect_uri.as_deref(),
            scope: self.scope.as_deref(),
            mode: self.mode,
            external_id,
            app_origin: self.app_origin.as_deref(),
        }
        .build(options)
    }

    fn popup_name(&self) -> String {
        let mut name = String::from("smartcar-connect-");
        name.push_str(&self.instance_id);
        name
    }

    /// Opens Connect in this instance's popup; `None` when the browser blocked it.
    fn open_dialog(&self, window: &Window, dialog: &DialogOptions) -> JsResult<Option<Window>> {
        let url = self.auth_url(&dialog.auth_url);
        let features = geometry::popup_features(&dialog.window, &screen(window), &app_window(window));
        window.open(&url, &self.popup_name(), &features)
    }

    /// `connect()`: everything up to `window.open` happens synchronously, inside the caller's
    /// click handler, so popup blockers let the popup through.
    fn connect(self: &Rc<Self>, options: &JsValue) -> JsResult<js_sys::Promise> {
        check_options_object(options, "The connect options must be an object")?;
        let dialog = read_dialog_options(options, &self.instance_id)?;
        let properties = read(options, "timeout signal")?;
        let (timeout, signal) = (properties.get(0), properties.get(1));
        let timeout = if timeout.is_undefined() {
            None
        } else {
            Some(timeout.as_f64().unwrap_or(f64::NAN))
        };
        let timeout_ms = lifecycle::parse_timeout(timeout).map_err(type_error)?;
        let signal = if signal.is_undefined() || signal.is_null() {
            None
        } else {
            Some(signal.dyn_into::<web_sys::AbortSignal>().map_err(|_| {
                type_error("The \"signal\" option must be an AbortSignal")
            })?)
        };
        if let Some(signal) = &signal {
            if signal.aborted() {
                return Err(signal.reason());
            }
        }
        let open_popup = self.flow.borrow().as_ref().map(|flow| flow.popup.clone());
        if let Some(popup) = open_popup {
            // Focusing fires focus and blur handlers, which may call back into this instance.
            popup.focus();
            return Err(errors::interaction_in_progress());
        }
        let window = page_window()?;
        let popup = self.open_dialog(&window, &dialog)?.ok_or_else(errors::popup_blocked)?;
        Ok(self.watch_popup(popup, FlowOptions { timeout_ms, signal }))
    }

    /// Starts listening for the redirect page's message: on `window`, and on the
    /// `BroadcastChannel` too when the redirect page shares this page's origin.
    fn listen(self: &Rc<Self>, window: &Window, same_origin: Option<String>) {
        let instance = Rc::clone(self);
        let on_message = EventListener::new(window, "message", Box::new(move |event| {
            if let Some(event) = event.dyn_ref::<MessageEvent>() {
                instance.receive(&event.unchecked_ref::<HasOrigin>().origin(), &event.data());
            }
        }));
        self.hold(vec![on_message]);
        let Some(page_origin) = same_origin else { return };
        let Ok(channel) = BroadcastChannel::new(CHANNEL_NAME) else { return };
        let instance = Rc::clone(self);
        // A BroadcastChannel only carries messages from this page's own origin.
        let on_broadcast = EventListener::new(&channel, "message", Box::new(move |event| {
            if let Some(event) = event.dyn_ref::<MessageEvent>() {
                instance.receive(&page_origin, &event.data());
            }
        }));
        self.hold(vec![on_broadcast]);
        *self.channel.borrow_mut() = Some(channel);
    }

    /// Keeps `listeners` until `unmount`. The caller creates them first: adding a listener
    /// calls into the page, which may call back into this instance, so no borrow of
    /// `listeners` is held while one is added.
    fn hold(&self, listeners: Vec<EventListener>) {
        self.listeners.borrow_mut().extend(listeners);
    }

    fn receive(&self, event_origin: &str, data: &JsValue) {
        if self.receiver.borrow().expected_origin() != event_origin {
            return;
        }
        let Some(message) = message_from_js(data) else { return };
        let Some(completion) = self.receiver.borrow_mut().receive_with(event_origin, &message, decode_state) else {
            return;
        };
        let arguments = completion_arguments(completion);
        // Cloned out so that onComplete may replace itself or unmount this instance.
        let on_complete = self.on_complete.borrow().clone();
        if let Some(on_complete) = on_complete.dyn_ref::<Function>() {
            if let Err(thrown) = on_complete.apply(&JsValue::UNDEFINED, &arguments) {
                report_error(&thrown);
            }
        }
        let flow = self.flow.borrow_mut().take();
        if let Some(flow) = flow {
            let error = arguments.get(0);
            flow.settle(if error.is_null() { Ok(connect_result(&arguments)) } else { Err(error) });
        }
    }
}

#[wasm_bindgen(module = "/js/state.js")]
extern "C" {
    /// The `state` parameter for this instance and the app's state (see `js/state.js`); throws
    /// what `JSON.stringify` throws for it.
    #[wasm_bindgen(catch, js_name = encodeState)]
    fn encode_state(instance_id: &str, original_state: &JsValue) -> Result<String, JsValue>;
    /// `[instanceId, originalState, originalIsText]` for a `state` value, `None` when it holds
    /// no state (see `js/state.js`).
    #[wasm_bindgen(js_name = decodeState)]
    fn decode_state_parts(state: &str) -> Option<Array>;
}

/// A `state` value read by the browser: its `instanceId`, and its `originalState` (a JSON
/// value other than a string travels as its JSON text, as `state::decode` gives it).
fn decode_state(text: &str) -> Option<State> {
    let parts = decode_state_parts(text)?;
    let instance_id = parts.get(0).as_string()?;
    let original_state = parts.get(1).as_string().map(|original| {
        if parts.get(2).is_truthy() {
            OriginalState::Text(original)
        } else {
            OriginalState::Json(original)
        }
    });
    Some(State { instance_id, original_state })
}

/// What `connect()` resolves with, from `onComplete`'s arguments.
fn connect_result(arguments: &Array) -> JsValue {
    let result = Object::new();
    for (index, key) in [(1, "code"), (2, "state"), (3, "virtualKeyUrl"), (4, "userId"), (5, "externalId")] {
        set_property(&result, key, &arguments.get(index));
    }
    result.into()
}

/// `onComplete(err, code, state, virtualKeyUrl, userId, externalId)`, with the values the
/// reference passes: `null` for absent message fields, `undefined` for an absent state or
/// external id.
fn completion_arguments(completion: Completion) -> Array {
    let text = |value: Option<&str>| value.map_or(JsValue::NULL, JsValue::from_str);
    let state = match completion.state {
        None => JsValue::UNDEFINED,
        Some(OriginalState::Text(text)) => JsValue::from_str(&text),
        Some(OriginalState::Json(json)) => JSON::parse(&json).unwrap_or(JsValue::UNDEFINED),
    };
    let arguments = Array::new();
    arguments.push(&completion.error.map_or(JsValue::NULL, errors::connect_error));
    arguments.push(&text(completion.code));
    arguments.push(&state);
    arguments.push(&text(completion.virtual_key_url));
    arguments.push(&text(completion.user_id));
    arguments.push(&completion.external_id.map_or(JsValue::UNDEFINED, JsValue::from_str));
    arguments
}

/// A number the page reports, 0 when it is missing (NaN, from `undefined`) or not finite.
fn number(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else {
        0.0
    }
}

fn screen(window: &Window) -> Screen {
    let screen = window.screen();
    Screen {
        width: number(screen.width()),
        height: number(screen.height()),
        avail_left: number(screen.avail_left()),
        avail_top: number(screen.avail_top()),
        avail_width: number(screen.avail_width()),
        avail_height: number(screen.avail_height()),
    }
}

fn app_window(window: &Window) -> AppWindow {
    AppWindow {
        screen_x: number(window.screen_x()),
        screen_y: number(window.screen_y()),
        outer_width: number(window.outer_width()),
        outer_height: number(window.outer_height()),
    }
}

/// The browser's reading of `state` values (`js/state.js`) against the protocol's own decoder,
/// in every engine the wasm tests run in.
#[cfg(all(test, target_arch = "wasm32"))]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use smartcar_protocol::state;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen]
    extern "C" {
        fn btoa(binary: &str) -> String;
    }

    /// Base64 of `bytes`, each byte one char for `btoa`.
    fn base64(bytes: &[u8]) -> String {
        btoa(&bytes.iter().map(|&b| char::from(b)).collect::<String>())
    }

    /// The state with JSON values compared as values: the protocol keeps a value's JSON text as
    /// written, the browser writes it back with `JSON.stringify`.
    fn normalised(state: Option<State>) -> Option<(String, Option<String>)> {
        state.map(|s| {
            let original = s.original_state.map(|o| match o {
                OriginalState::Text(text) => format!("text:{text}"),
                OriginalState::Json(raw) => {
                    let value = JSON::parse(&raw).unwrap();
                    format!("json:{}", String::from(JSON::stringify(&value).unwrap()))
                }
            });
            (s.instance_id, original)
        })
    }

    fn agree(text: &str) -> bool {
        let browser = normalised(decode_state(text));
        let protocol = normalised(state::decode(text).ok());
        assert_eq!(browser, protocol, "state {text:?}");
        protocol.is_some()
    }

    #[wasm_bindgen_test]
    fn the_browser_reads_states_as_the_protocol_does() {
        let id = "0123456789abcdef0123456789abcdef";
        let originals = [
            None,
            Some(OriginalState::Text(String::new())),
            Some(OriginalState::Text("plain".into())),
            Some(OriginalState::Text("h\u{e9}llo \u{2713} \u{1F600} \"quoted\" \\ \n\t".into())),
            Some(OriginalState::Json("{\"a\":[1,2.5,{\"b\":null}],\"c\":\"\u{e9}\"}".into())),
            Some(OriginalState::Json("[true,false]".into())),
            Some(OriginalState::Json("42".into())),
            Some(OriginalState::Json("null".into())),
            Some(OriginalState::Json("{ \"spaced\" : 1.0 }".into())),
        ];
        for original in &originals {
            let written = state::encode(id, original.as_ref());
            assert!(agree(&written));
            // The browser writes the same bytes.
            let value = match original {
                None => JsValue::UNDEFINED,
                Some(OriginalState::Text(text)) => JsValue::from_str(text),
                Some(OriginalState::Json(raw)) => JSON::parse(raw).unwrap(),
            };
            let expected = match original {
                // The protocol keeps a JSON state's text as given; the browser writes it anew.
                Some(OriginalState::Json(raw)) => state::encode(
                    id,
                    Some(&OriginalState::Json(String::from(JSON::stringify(&JSON::parse(raw).unwrap()).unwrap()))),
                ),
                _ => written,
            };
            assert_eq!(encode_state(id, &value).unwrap(), expected, "{original:?}");
        }

        let written = |json: &str| base64(json.as_bytes());
        // The reference's own states, and ones an app's server writes: UTF-8, or Latin-1 bytes.
        assert!(agree(&written(r#"{"instanceId":"abc","originalState":"x"}"#)));
        assert!(agree(&written("{\"instanceId\":\"abc\",\"originalState\":\"h\u{e9}llo \u{2713}\"}")));
        assert!(agree(&base64(b"{\"instanceId\":\"abc\",\"originalState\":\"h\xe9llo\"}")));
        // The last duplicate wins, as with JSON.parse; the padding may be missing.
        assert!(agree(&written(r#"{"instanceId":"x","instanceId":"abc"}"#)));
        assert!(agree(written(r#"{"instanceId":"abc"}"#).trim_end_matches('=')));
        // A `+` that form decoding turned into a space.
        let plus = (0..64)
            .map(|n| written(&format!("{{\"instanceId\":\"abc\",\"originalState\":\"{}~~~?>?>\"}}", "a".repeat(n % 3))))
            .find(|s| s.contains('+'))
            .expect("a base64 text with a +");
        assert!(agree(&plus.replace('+', " ")));

        // Not states.
        for text in ["", "not base64!", "e30=", "W10=", "InN0ciI=", "NDI=", "bnVsbA=="] {
            assert!(!agree(text), "{text}");
        }
        for json in [r#"{"instanceId":5}"#, r#"{"originalState":"x"}"#, "{bad json", "\u{feff}{\"instanceId\":\"abc\"}"] {
            assert!(!agree(&written(json)), "{json}");
        }
    }
}
