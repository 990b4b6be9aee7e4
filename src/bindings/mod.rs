//! The `#[wasm_bindgen]` layer: the wasm side of each instance, which converts JS values at
//! the edge, applies the plain Rust rules, and answers the face (`js/smartcar.js`) with what to
//! do. It decides nothing a rule could, and it does not act on the page: the face does.
//!
//! - [`class`]: the exported class, one per instance, whose methods are the face's questions;
//! - [`construct`]: `new Smartcar(options)`;
//! - [`popup`]: a Connect URL, a popup flow's plan, `addClickHandler`'s targets;
//! - [`receiving`] and [`complete`]: an incoming result, through the rules, to `onComplete`'s
//!   arguments;
//! - [`redirect`]: the redirect flow's decisions;
//! - [`read`]: reading options, fields and messages, and [`value`]: each JS value as the
//!   rules' `Value`;
//! - [`browser`], [`errors`]: the few page APIs read here, and JS errors;
//! - [`nesting`]: how deep calls into the SDK may nest.

mod browser;
mod class;
mod complete;
mod construct;
mod errors;
mod nesting;
mod popup;
mod read;
mod receiving;
mod redirect;
mod value;

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
