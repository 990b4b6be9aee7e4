//! The Smartcar Connect redirect page.
#![deny(missing_docs)]
