//! What travels between the Smartcar SDK and its redirect page.
//!
//! The SDK (`smartcar-auth`) and the redirect page (`smartcar-redirect`) both depend on this
//! crate, so the message's field names, the state codec and the origin rules exist once.
//! Everything here is plain Rust with no browser types, tested natively; the optional `js`
//! feature adds the conversion of [`message::AuthMessage`] to and from JS objects.
//!
//! Nothing here panics: the code runs in wasm built with `panic=immediate-abort`, where a
//! panic would trap the module for the rest of the page's life.
#![deny(missing_docs)]

mod base64;
mod json;
pub mod message;
pub mod origin;
pub mod query;
pub mod state;

#[cfg(feature = "js")]
pub mod js;

pub use message::{AuthMessage, Field, MESSAGE_NAME};
