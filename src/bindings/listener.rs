//! The SDK's two kinds of callback from the page, event listeners and timers, both values that
//! undo themselves when dropped (as `gloo_events::EventListener` does): dropping what an
//! instance holds removes its listeners and clears its timers.
//!
//! Both wrap the same closure type, `Fn(JsValue)`: every distinct closure type costs its own
//! shim in the wasm and in the glue. And `Fn`, not gloo's `FnMut`: wasm-bindgen refuses to
//! re-enter an `FnMut` closure, and an event dispatched synchronously while a callback runs (a
//! page that re-dispatches a `message` event from `onComplete` or from a getter of the message
//! it posts, a `click()` from inside `window.open`) made the nested call throw "closure invoked
//! recursively or after being dropped" into the page. The callbacks here hold no `RefCell`
//! borrow across a call into JS, so re-entering is safe. Found by tests/e2e/fuzz.test.mjs;
//! regression test in the same file.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::EventTarget;

#[wasm_bindgen]
extern "C" {
    // The global timer functions: they cannot throw for a function and a number.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> i32;
    #[wasm_bindgen(js_name = setInterval)]
    fn set_interval(callback: &js_sys::Function, ms: i32) -> i32;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: i32);
    #[wasm_bindgen(js_name = clearInterval)]
    fn clear_interval(id: i32);
}

type Callback = Closure<dyn Fn(JsValue)>;

/// A `kind` listener on `target` for as long as this value lives.
pub(super) struct EventListener {
    target: EventTarget,
    kind: &'static str,
    callback: Callback,
}

impl EventListener {
    /// Adds `callback` as a `kind` listener on `target`; it receives the event.
    pub(super) fn new(target: &EventTarget, kind: &'static str, callback: Box<dyn Fn(JsValue)>) -> EventListener {
        // Boxed by the caller: one closure conversion in the wasm, not one per listener.
        let callback = Callback::wrap(callback);
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

/// A browser timer for as long as this value lives.
pub(super) struct Timer {
    id: i32,
    repeat: bool,
    _callback: Callback,
}

impl Timer {
    /// Calls `callback` (with `undefined`) after `ms` milliseconds, and again every `ms` when
    /// `repeat`.
    pub(super) fn new(ms: i32, repeat: bool, callback: Box<dyn Fn(JsValue)>) -> Timer {
        let callback = Callback::wrap(callback);
        let function = callback.as_ref().unchecked_ref();
        let id = if repeat { set_interval(function, ms) } else { set_timeout(function, ms) };
        Timer { id, repeat, _callback: callback }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if self.repeat {
            clear_interval(self.id);
        } else {
            clear_timeout(self.id);
        }
    }
}
