//! Smartcar Connect for the browser, in Rust compiled to WebAssembly: a drop-in replacement
//! for `@smartcar/auth` 2.14.1.
//!
//! The logic lives in plain Rust modules with no browser types, unit-tested natively:
//! building the Connect URL ([`connect_url`]), the popup's geometry ([`geometry`]), checking
//! the options ([`config`]) and deciding what an incoming message means ([`receive`]).
//! On `wasm32`, the `bindings` module is the thin `#[wasm_bindgen]` layer that converts JS
//! values at the edge and calls into them.
#![deny(missing_docs)]

pub mod config;
pub mod connect_url;
pub mod geometry;
pub mod lifecycle;
pub mod receive;

mod bindings;

pub use bindings::Smartcar;

// A free-list allocator a tenth the size of the default dlmalloc. The page's wasm is single
// threaded (no shared memory, no atomics), which is what `AssumeSingleThreaded` relies on.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature runs on one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

pub use smartcar_protocol as protocol;
