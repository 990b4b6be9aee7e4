//! One `connect()` flow: the popup, the timers and listener that watch it, and the Promise
//! they settle. Everything a flow holds is owned by its [`Flow`] value, so settling it (taking
//! it out of the instance and dropping it) clears the timers and removes the listener,
//! whichever way it settles.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use crate::lifecycle::{self, ClosedWatch};

use super::browser::{Closable, Window};
use super::listener::{EventListener, Timer};
use super::{errors, Instance};

/// An open `connect()` flow.
pub(super) struct Flow {
    pub(super) popup: Window,
    resolve: Function,
    reject: Function,
    _poll: Timer,
    _deadline: Timer,
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

/// `connect()`'s own options, on top of `openDialog`'s.
pub(super) struct FlowOptions {
    pub(super) timeout_ms: f64,
    pub(super) signal: Option<AbortSignal>,
}

impl Instance {
    /// Starts a flow around an already opened `popup`, returning its Promise.
    pub(super) fn watch_popup(self: &Rc<Self>, popup: Window, options: FlowOptions) -> Promise {
        let (promise, resolve, reject) = errors::deferred();

        let instance = Rc::clone(self);
        let watched = popup.clone();
        let watch = Cell::new(ClosedWatch::default());
        let poll = Timer::new(lifecycle::POLL_INTERVAL_MS, true, Box::new(move |_| {
            let mut state = watch.get();
            let closed = state.observe(watched.closed(), js_sys::Date::now());
            watch.set(state);
            if closed {
                instance.fail_flow(errors::popup_closed(), false);
            }
        }));

        let instance = Rc::clone(self);
        let timeout_ms = options.timeout_ms;
        // The timeout is at most 2^31 - 1 ms (lifecycle::MAX_TIMEOUT_MS), so it fits an i32.
        let deadline = Timer::new(timeout_ms as i32, false, Box::new(move |_| {
            instance.fail_flow(errors::timeout(timeout_ms), true);
        }));

        let abort = options.signal.map(|signal| {
            let instance = Rc::clone(self);
            let aborted = signal.clone();
            EventListener::new(&signal, "abort", Box::new(move |_| {
                instance.fail_flow(aborted.reason(), true);
            }))
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
        promise
    }

    /// Ends the open flow, if any, with `error`; closes its popup when the flow is abandoned
    /// while the user may still be in it.
    pub(super) fn fail_flow(&self, error: JsValue, close_popup: bool) {
        let Some(flow) = self.flow.borrow_mut().take() else { return };
        if close_popup {
            flow.popup.unchecked_ref::<Closable>().close();
        }
        flow.settle(Err(error));
    }
}
