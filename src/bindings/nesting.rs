//! How deep calls into the SDK may nest. Reading options and fields runs the page's own code
//! (getters, Proxy traps, a patched `Array.from`), which can call the SDK again from inside
//! the call that is reading; every level holds frames on the wasm's stack, which is 64 KB.
//! Between 50 and 100 levels ran it out: the innermost call trapped with "memory access out of
//! bounds" halfway through its work. No app nests calls on purpose, so once the calls under
//! way hold [`MAX_NESTED_STACK`] of the stack, the next one fails with a plain error instead,
//! before it has done anything.
//!
//! What is measured is the stack itself, not a count of calls: a count kept by a value that is
//! dropped when a call ends stays up by one for good each time a call does not end normally,
//! where the measure is off only by the frames such a call left. One case no guard inside the
//! module can repair: a JS `RangeError` for the page's own JS stack running out can be thrown
//! by any JS function the wasm calls (the glue's included), or at the entry of any wasm
//! function, and unwinds through the wasm's frames without giving back their stack. The face
//! repairs it from outside: every outermost call starts with the stack pointer back at the top
//! (`js/guard.js`; SECURITY.md, threat 15).

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Failure;

/// How much of the wasm's stack the calls under way may hold when another one starts: room
/// for dozens of nested calls, and for the deepest one's own work after it.
pub(super) const MAX_NESTED_STACK: usize = 40 * 1024;

/// What a call throws when calls nest deeper than [`MAX_NESTED_STACK`] allows.
pub(super) const TOO_DEEP: Failure =
    Failure::error("Smartcar: calls nested too deep (a getter or a patched built-in calling the SDK as it reads)");

/// The highest place the stack has stood at a call's start: where it stands when no call is
/// under way (it grows down from there; each export's own frame moves it a little). 0 until
/// the first call.
static BASE: AtomicUsize = AtomicUsize::new(0);

/// Whether a call starting now has room: the calls under way hold at most
/// [`MAX_NESTED_STACK`] of the stack.
#[inline(never)]
pub(super) fn room() -> bool {
    let marker = 0u8;
    // The marker's address is where the stack stands: `black_box` keeps it in memory.
    let here = core::hint::black_box(&marker) as *const u8 as usize;
    let base = BASE.load(Ordering::Relaxed).max(here);
    BASE.store(base, Ordering::Relaxed);
    base - here <= MAX_NESTED_STACK
}
