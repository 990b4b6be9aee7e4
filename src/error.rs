//! The errors the rules report to the app: which JS error class each becomes, and its message.
//! The bindings turn a [`Failure`] into a real JS `Error` of that class, so apps can test
//! `instanceof` and read `message` as they do with `@smartcar/auth`. (The errors of what
//! happens on the page, such as a popup blocked or closed, are the face's: `js/errors.js`.)

use std::borrow::Cow;

/// The JS class an error is thrown (or rejected) as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A plain `Error`.
    Error,
    /// A `TypeError`: an option of the wrong type, or a missing `applicationId`.
    TypeError,
    /// A `URIError`: a text no URL can carry (the reference's `encodeURIComponent` throws one).
    UriError,
    /// `Smartcar.AccessDenied`: the user denied access.
    AccessDenied,
    /// `Smartcar.InvalidSubscription`: the vehicle's connected-services subscription is inactive.
    InvalidSubscription,
    /// `Smartcar.VehicleIncompatible`: the vehicle cannot be connected.
    VehicleIncompatible,
    /// `Smartcar.InvalidState`: a redirect result that belongs to no flow this tab started.
    InvalidState,
}

/// An error for the app: its class and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The JS class.
    pub class: Class,
    /// The message (`error.message`).
    pub message: Cow<'static, str>,
}

impl Failure {
    /// An error of `class` with a fixed message.
    pub const fn new(class: Class, message: &'static str) -> Failure {
        Failure { class, message: Cow::Borrowed(message) }
    }

    /// An error of `class` with a composed message.
    pub fn owned(class: Class, message: String) -> Failure {
        Failure { class, message: Cow::Owned(message) }
    }

    /// A `TypeError` with a fixed message.
    pub const fn type_error(message: &'static str) -> Failure {
        Failure::new(Class::TypeError, message)
    }

    /// A plain `Error` with a fixed message.
    pub const fn error(message: &'static str) -> Failure {
        Failure::new(Class::Error, message)
    }
}

/// The result of an SDK rule.
pub type Result<T> = core::result::Result<T, Failure>;
