//! What travels between the Smartcar SDK and its redirect page, and the rules both apply.
//!
//! The SDK (`smartcar-auth`) and the redirect page (`smartcar-redirect`) both depend on this
//! crate, so the message's fields ([`message`]), the origin rule ([`origin`]) and where a
//! redirect page hands a result ([`delivery`]) exist once. Everything here is plain Rust with
//! no browser types, tested natively; the optional `js` feature adds writing the message as the
//! JS object a redirect page posts.
//!
//! Nothing here panics: the code runs in wasm built with `panic=immediate-abort`, where a
//! panic would trap the module for the rest of the page's life.
#![deny(missing_docs)]

pub mod delivery;
pub mod message;
pub mod origin;

#[cfg(feature = "js")]
pub mod js;

pub use message::{Field, MESSAGE_NAME};

// The unit tests run in the browser too, when compiled to wasm (the wasm test layer).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
