//! An event listener that removes itself when dropped, like `gloo_events::EventListener`, but
//! whose callback may be re-entered.
//!
//! gloo wraps the callback in an `FnMut` closure, and wasm-bindgen refuses to re-enter an
//! `FnMut` closure: an event dispatched synchronously while the callback runs (a page that
//! re-dispatches a `message` event from `onComplete` or from a getter of the message it posts,
//! a `click()` from inside `window.open`) made the nested call throw "closure invoked
//! recursively or after being dropped" into the page as an uncaught error. The callbacks here
//! hold no `RefCell` borrow across a call into JS, so they take `Fn` and re-entering is safe.
//! Found by tests/e2e/fuzz.test.mjs; regression test in the same file.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

/// A `kind` listener on `target` for as long as this value lives.
pub(super) struct EventListener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn Fn(&Event)>,
}

impl EventListener {
    /// Adds `callback` as a `kind` listener on `target`.
    pub(super) fn new<F>(target: &EventTarget, kind: &'static str, callback: F) -> EventListener
    where
        F: Fn(&Event) + 'static,
    {
        let callback = Closure::<dyn Fn(&Event)>::new(callback);
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        EventListener { target: target.clone(), kind, callback }
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}
