//! One `connect()` flow: the popup, the timers and listener that watch it, and the Promise
//! they settle. Everything a flow holds is owned by its [`Flow`] value, so settling it (taking
//! it out of the instance and dropping it) clears the timers and removes the listener,
//! whichever way it settles.

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, Window};

use crate::lifecycle::{self, ClosedWatch};

use super::{errors, Instance, JsResult};

/// An open `connect()` flow.
pub(super) struct Flow {
    pub(super) popup: Window,
    resolve: Function,
    reject: Function,
    _poll: Option<Timer>,
    _deadline: Option<Timer>,
    _abort: Option<EventListener>,
}

impl Flow {
    /// Settles the Promise. The caller has already taken the flow out of its instance.
    pub(super) fn settle(self, outcome: Result<JsValue, JsValue>) {
        let (settle, value) = match outcome {
            Ok(value) => (&self.resolve, value),
            Err(error) => (&self.reject, error),
        };
        // Resolving a Promise's own functions cannot throw.
        let _ = settle.call1(&JsValue::UNDEFINED, &value);
    }
}

/// A browser timer, cleared when dropped (like gloo's listeners, which remove themselves).
struct Timer {
    id: i32,
    repeat: bool,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    fn new(window: &Window, ms: i32, repeat: bool, callback: impl FnMut() + 'static) -> Option<Timer> {
        let callback = Closure::<dyn FnMut()>::new(callback);
        let function = callback.as_ref().unchecked_ref::<Function>();
        let id = if repeat {
            window.set_interval_with_callback_and_timeout_and_arguments_0(function, ms)
        } else {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(function, ms)
        };
        Some(Timer { id: id.ok()?, repeat, _callback: callback })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            if self.repeat {
                window.clear_interval_with_handle(self.id);
            } else {
                window.clear_timeout_with_handle(self.id);
            }
        }
    }
}

/// `connect()`'s own options, on top of `openDialog`'s.
pub(super) struct FlowOptions {
    pub(super) timeout_ms: f64,
    pub(super) signal: Option<AbortSignal>,
}

impl Instance {
    /// Starts a flow around an already opened `popup`, returning its Promise.
    pub(super) fn watch_popup(
        self: &Rc<Self>,
        window: &Window,
        popup: Window,
        options: FlowOptions,
    ) -> JsResult<Promise> {
        let mut functions = None;
        let promise = Promise::new(&mut |resolve, reject| functions = Some((resolve, reject)));
        let (resolve, reject) = functions.ok_or_else(|| errors::plain("Promise did not start"))?;

        let instance = Rc::clone(self);
        let watched = popup.clone();
        let watch = Cell::new(ClosedWatch::default());
        let poll = Timer::new(window, lifecycle::POLL_INTERVAL_MS, true, move || {
            let mut state = watch.get();
            let closed = state.observe(watched.closed().unwrap_or(true), js_sys::Date::now());
            watch.set(state);
            if closed {
                instance.fail_flow(errors::popup_closed(), false);
            }
        });

        let instance = Rc::clone(self);
        let timeout_ms = options.timeout_ms;
        // The timeout is at most 2^31 - 1 ms (lifecycle::MAX_TIMEOUT_MS), so it fits an i32.
        let deadline = Timer::new(window, timeout_ms as i32, false, move || {
            instance.fail_flow(errors::timeout(timeout_ms), true);
        });

        let abort = options.signal.map(|signal| {
            let instance = Rc::clone(self);
            let aborted = signal.clone();
            EventListener::once(&signal, "abort", move |_| {
                instance.fail_flow(aborted.reason(), true);
            })
        });

        let flow = Flow {
            popup,
            resolve,
            reject,
            _poll: poll,
            _deadline: deadline,
            _abort: abort,
        };
        // Another flow can only be here if the page called connect() again from inside this
        // one's window.open; it is the one that loses.
        let replaced = self.flow.borrow_mut().replace(flow);
        if let Some(replaced) = replaced {
            replaced.settle(Err(errors::interaction_in_progress()));
        }
        Ok(promise)
    }

    /// Ends the open flow, if any, with `error`; closes its popup when the flow is abandoned
    /// while the user may still be in it.
    pub(super) fn fail_flow(&self, error: JsValue, close_popup: bool) {
        let Some(flow) = self.flow.borrow_mut().take() else { return };
        if close_popup {
            let _ = flow.popup.close();
        }
        flow.settle(Err(error));
    }
}
