//! Conversion of [`AuthMessage`] to and from JS objects (the `js` feature).
