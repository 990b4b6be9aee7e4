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
pub mod receive;

mod bindings;

pub use bindings::Smartcar;

pub use smartcar_protocol as protocol;
