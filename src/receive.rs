//! What an incoming result means for one SDK instance: the security rules.
//!
//! A result arrives as a `message` event on the page (posted by the redirect page from the
//! popup), or on the `BroadcastChannel` of an open flow (a same-origin redirect page whose
//! popup lost its opener). It completes something only when
//! 1. a window message comes from exactly the expected origin (string equality; the
//!    reference's `redirectUri.startsWith(event.origin)` lets `https://app.example.co` pose as
//!    `https://app.example.com`, and accepts anything without a redirect URI);
//! 2. its `state` names the open popup flow and it comes from that flow's popup
//!    (`event.source`), or on its channel once the popup reads closed, or, when the SDK's popup is not open, its `state` names the
//!    instance itself (a link the app built with `getAuthUrl`: the SDK did not open that
//!    window, so the reference's rule stands);
//! 3. its authorization code, a string when it has one, has not completed anything already (a
//!    replay is ignored).
//!
//! What `onComplete` then receives is the message's own values, as the reference passes them;
//! [`ConnectError::from_message`] maps Connect's error like the reference's `generateError`.

/// How a result reached the instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// A `message` event on the page's window.
    Window {
        /// Whether `event.source` is the popup of the instance's open flow.
        from_flow_popup: bool,
    },
    /// The `BroadcastChannel` of the instance's open flow.
    FlowChannel,
}

/// What a result completes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// The instance's open popup flow (which then ends).
    Flow,
    /// The instance itself: a flow the SDK did not open.
    Instance,
}

/// Why a result was ignored (for a `console.debug` line; never thrown into the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignored {
    /// The message is not a Smartcar result, or its state is not one of the SDK's.
    NotAResult,
    /// The window message came from another origin than the expected one.
    Origin,
    /// The state names the open flow, but the result came from another window.
    NotTheFlowsWindow,
    /// The state names the instance, but the SDK's own popup is open: only its result counts.
    FlowOpen,
    /// The result came on the open flow's channel while the flow's popup still reads open (and
    /// so can post to this page itself).
    ChannelWhilePopupOpen,
    /// The state names nothing this instance has open (another instance's, a settled flow's,
    /// or a forged one).
    UnknownState,
    /// The code already completed something.
    Replay,
    /// The code is there but not a string: no redirect page posts one, and a code that is not
    /// a string would slip past the replay rule (`['abc']` is not `'abc'`, but a URL makes
    /// the two the same).
    CodeNotText,
}

impl Ignored {
    /// What the `console.debug` line says (nothing secret: no code, no state).
    pub const fn reason(self) -> &'static str {
        match self {
            Ignored::NotAResult => "not a Smartcar result",
            Ignored::Origin => "it came from another origin than the redirect URI's",
            Ignored::NotTheFlowsWindow => "it came from another window than the Connect popup",
            Ignored::FlowOpen => "the Connect popup is open: only its result counts",
            Ignored::ChannelWhilePopupOpen => "it came on the flow's channel while the Connect popup is open",
            Ignored::UnknownState => "its state names no flow this instance has open",
            Ignored::Replay => "its code was already delivered",
            Ignored::CodeNotText => "its code is not a string",
        }
    }
}

/// One incoming result, as the bindings read it.
#[derive(Clone, Copy, Debug)]
pub struct Incoming<'a> {
    /// How it arrived.
    pub via: Via,
    /// The `instanceId` its `state` carries.
    pub state_id: &'a str,
    /// Its `code`.
    pub code: Code<'a>,
}

/// A result's `code`, as the bindings read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code<'a> {
    /// `undefined` or `null` (an error result: Smartcar's redirect page posts `null`).
    Absent,
    /// A string.
    Text(&'a str),
    /// Anything else.
    Other,
}

impl<'a> From<Option<&'a str>> for Code<'a> {
    fn from(code: Option<&'a str>) -> Code<'a> {
        code.map_or(Code::Absent, Code::Text)
    }
}

/// What the instance has open when the result arrives.
#[derive(Clone, Copy, Debug)]
pub struct Expecting<'a> {
    /// The instance's id (its `instanceId` field).
    pub instance_id: &'a str,
    /// The open popup flow's id, if any.
    pub flow_id: Option<&'a str>,
}

/// The authorization codes that already completed something, so a replayed message (the same
/// code posted again, by a stale tab or an attacker holding a copy) completes nothing.
///
/// Only the last [`SeenCodes::CAPACITY`] codes are kept: memory stays bounded however many
/// flows a long-lived page runs, and an older code has long expired at Connect (codes live
/// minutes and are single-use there too).
#[derive(Clone, Debug, Default)]
pub struct SeenCodes {
    codes: Vec<String>,
    next: usize,
}

impl SeenCodes {
    /// How many of the most recent codes are remembered.
    pub const CAPACITY: usize = 64;

    /// Records `code`, returning whether this is the first time it was seen.
    pub fn first_time(&mut self, code: &str) -> bool {
        if self.codes.iter().any(|c| c == code) {
            return false;
        }
        if self.codes.len() < Self::CAPACITY {
            self.codes.push(String::from(code));
        } else if let Some(oldest) = self.codes.get_mut(self.next) {
            *oldest = String::from(code);
            self.next = (self.next + 1) % Self::CAPACITY;
        }
        true
    }
}

/// Checked first, before anything of the message is read: a window message must come from
/// exactly the `expected` origin. (The channel only carries messages of this page's origin,
/// and it is only opened when that is the expected one.)
///
/// # Errors
/// [`Ignored::Origin`].
pub fn check_origin(via: Via, origin: &str, expected: &str) -> Result<(), Ignored> {
    match via {
        Via::Window { .. } if origin != expected => Err(Ignored::Origin),
        _ => Ok(()),
    }
}

/// Decides what `incoming` completes, if anything (its origin already passed
/// [`check_origin`]). `flow_popup_open` is asked only when a result names the instance while a
/// flow is open (a flow whose popup is gone, closed by the user or cut off by a
/// `Cross-Origin-Opener-Policy` header, no longer shuts out links), and when the flow's result
/// comes on its channel (which counts only once the popup reads closed).
///
/// # Errors
/// Why the result is ignored.
pub fn route(incoming: &Incoming<'_>, expecting: &Expecting<'_>, seen: &mut SeenCodes, flow_popup_open: impl FnOnce() -> bool) -> Result<Route, Ignored> {
    let route = if Some(incoming.state_id) == expecting.flow_id {
        match incoming.via {
            Via::Window { from_flow_popup: true } => Route::Flow,
            // The channel is for a popup cut off from this page (by COOP), which reads as
            // closed here. While the popup reads open its result comes as a window message;
            // what comes on the channel then was broadcast by another window of the origin,
            // which any site can open on the redirect page with a known state.
            Via::FlowChannel if flow_popup_open() => return Err(Ignored::ChannelWhilePopupOpen),
            Via::FlowChannel => Route::Flow,
            Via::Window { from_flow_popup: false } => return Err(Ignored::NotTheFlowsWindow),
        }
    } else if incoming.state_id == expecting.instance_id && incoming.via != Via::FlowChannel {
        if expecting.flow_id.is_some() && flow_popup_open() {
            return Err(Ignored::FlowOpen);
        }
        Route::Instance
    } else {
        return Err(Ignored::UnknownState);
    };
    match incoming.code {
        Code::Other => return Err(Ignored::CodeNotText),
        Code::Text(code) if !code.is_empty() && !seen.first_time(code) => return Err(Ignored::Replay),
        _ => {}
    }
    Ok(route)
}

/// The error `onComplete` receives for a Connect error, as the reference's `generateError`
/// builds it (the bindings fill in the message's own values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectError {
    /// `access_denied`: `new Smartcar.AccessDenied(errorDescription)`.
    AccessDenied,
    /// `invalid_subscription`: `new Smartcar.InvalidSubscription(errorDescription)`.
    InvalidSubscription,
    /// `vehicle_incompatible`: `new Smartcar.VehicleIncompatible(errorDescription, info)`.
    VehicleIncompatible {
        /// Whether `info` is `{vin, make, year: Number(year)}` (the message has a truthy `vin`)
        /// rather than `null`.
        with_vehicle: bool,
        /// Whether `info` also has `model` (a truthy one).
        with_model: bool,
    },
    /// Any other error: `new Error(message)`.
    Unexpected {
        /// `Unexpected error: <error> - <errorDescription>`, each as JS `String()` writes it.
        message: String,
    },
}

/// The message's `error`, as the bindings read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode<'a> {
    /// Falsy (absent, `null`, `''`): no error.
    None,
    /// A string.
    Text(&'a str),
    /// Another truthy value, as `String(error)`.
    Other(&'a str),
}

/// What the message looks like beyond its error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorDetails<'a> {
    /// `String(errorDescription)`, for the unexpected-error message.
    pub description: &'a str,
    /// Whether `vin` is truthy.
    pub has_vin: bool,
    /// Whether `model` is truthy.
    pub has_model: bool,
}

impl ConnectError {
    /// The error for the message's `error`, `None` when there is none.
    pub fn from_message(code: ErrorCode<'_>, details: ErrorDetails<'_>) -> Option<ConnectError> {
        Some(match code {
            ErrorCode::None => return None,
            ErrorCode::Text("access_denied") => ConnectError::AccessDenied,
            ErrorCode::Text("invalid_subscription") => ConnectError::InvalidSubscription,
            ErrorCode::Text("vehicle_incompatible") => {
                ConnectError::VehicleIncompatible { with_vehicle: details.has_vin, with_model: details.has_vin && details.has_model }
            }
            ErrorCode::Text(other) | ErrorCode::Other(other) => {
                let mut message = String::with_capacity(20 + other.len() + details.description.len());
                message.push_str("Unexpected error: ");
                message.push_str(other);
                message.push_str(" - ");
                message.push_str(details.description);
                ConnectError::Unexpected { message }
            }
        })
    }
}

#[cfg(test)]
#[path = "receive_tests.rs"]
mod tests;
