//! Smartcar Connect for the browser, in Rust compiled to WebAssembly: a drop-in replacement
//! for `@smartcar/auth` 2.14.1.
//!
//! Every rule lives in a plain Rust module with no browser types, unit-tested natively:
//! the constructor's options and the instance's settings ([`options`]), each call's options
//! ([`call_options`]), the Connect URL ([`connect_url`]), the ids in its state ([`state`]),
//! what an incoming result completes ([`receive`]), the popup's geometry ([`geometry`]), a
//! popup flow's life ([`lifecycle`]) and the redirect flow ([`redirect_flow`]). JS values
//! reach them as [`input::Value`]s; errors leave as [`error::Failure`]s.
//!
//! The `bindings` module is the thin `#[wasm_bindgen]` layer that converts JS
//! values at the edge, calls the rules, and carries out what they decide. The JS face of the
//! package (`js/smartcar.js`) holds the instance's fields as plain properties, as the
//! reference does, and forwards each call to it.
#![deny(missing_docs)]

pub mod call_options;
pub mod connect_url;
pub mod error;
pub mod geometry;
pub mod input;
pub mod lifecycle;
pub mod options;
pub mod receive;
pub mod redirect_flow;
pub mod state;

// Compiled natively too (never called there), so that clippy's no-panic lints cover it.
mod bindings;

// A free-list allocator a tenth the size of the default dlmalloc. The page's wasm is single
// threaded (no shared memory, no atomics), which is what `AssumeSingleThreaded` relies on.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature runs on one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

pub use smartcar_protocol as protocol;

// The unit tests run in the browser too, when compiled to wasm (the wasm test layer).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
