//! How deep calls into the SDK may nest. Reading options and fields runs the page's own code
//! (getters, Proxy traps, a patched `Array.from`), which can call the SDK again from inside
//! the call that is reading; every level holds frames on the wasm's stack, which is 64 KB.
//! About a hundred levels ran it out: the innermost call trapped with "memory access out of
//! bounds" halfway through its work. No app nests calls on purpose, so past [`MAX_NESTED`]
//! levels the innermost one fails with a plain error instead, before it has done anything.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::Failure;

/// How many calls into the SDK may be under way at once, one inside another.
pub(super) const MAX_NESTED: u32 = 16;

/// What the innermost call throws when calls nest deeper than [`MAX_NESTED`].
pub(super) const TOO_DEEP: Failure =
    Failure::error("Smartcar: calls nested too deep (a getter or a patched built-in calling the SDK as it reads)");

/// How many calls into the SDK are under way (the page has one thread).
static DEPTH: AtomicU32 = AtomicU32::new(0);

/// One call under way; the count goes down when it is dropped, however the call ends (no JS
/// exception unwinds through the wasm: see `js/values.js`).
pub(super) struct Entered(());

impl Drop for Entered {
    fn drop(&mut self) {
        DEPTH.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Enters a call, or `None` when [`MAX_NESTED`] calls are already under way.
pub(super) fn enter() -> Option<Entered> {
    let depth = DEPTH.load(Ordering::Relaxed);
    if depth >= MAX_NESTED {
        return None;
    }
    DEPTH.store(depth + 1, Ordering::Relaxed);
    Some(Entered(()))
}
