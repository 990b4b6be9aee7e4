//! The rules of a `connect()` flow's life that need no browser: when a closed popup counts as
//! closed, how long a flow may last, and what its errors say.
//!
//! A popup cut off by a `Cross-Origin-Opener-Policy` header reads as closed while the user is
//! still in it; the typical case is a redirect page with that header, which severs the popup a
//! moment before it delivers the result over a `BroadcastChannel`. So "closed" only counts
//! after it has been observed for [`CLOSED_GRACE_MS`].

use crate::geometry::push_decimal;

/// How often the popup's `closed` flag is read.
pub const POLL_INTERVAL_MS: i32 = 250;

/// How long the popup must read as closed before the flow fails with `PopupClosed`.
pub const CLOSED_GRACE_MS: f64 = 3_000.0;

/// The default `timeout`: Connect asks for a brand login (sometimes with a second factor) and
/// a consent; a minute is not enough for real people.
pub const DEFAULT_TIMEOUT_MS: f64 = 15.0 * 60.0 * 1000.0;

/// The longest timeout a browser timer can hold (2^31 - 1 ms, about 24.8 days); longer values
/// are clamped to it instead of firing at once.
pub const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;

/// Error text for `window.open` returning nothing.
pub const POPUP_BLOCKED: &str =
    "The browser blocked the Connect popup. Call connect() directly inside a click handler.";

/// Error text for a popup the user closed.
pub const POPUP_CLOSED: &str = "The Connect popup was closed before Connect finished.";

/// Error text for a second `connect()` while one is open.
pub const INTERACTION_IN_PROGRESS: &str =
    "Connect is already open in a popup for this instance; it was brought to the front.";

/// Error text for an `unmount()` while a flow is open.
pub const UNMOUNTED: &str = "The Smartcar instance was unmounted before Connect finished.";

/// Error text for a flow that outlived its `timeout`.
pub fn timeout_message(timeout_ms: f64) -> String {
    let mut text = String::from("Connect did not finish within ");
    push_decimal(&mut text, crate::geometry::round_to_int(timeout_ms));
    text.push_str(" ms.");
    text
}

/// The `timeout` option: absent means [`DEFAULT_TIMEOUT_MS`].
///
/// # Errors
/// A message naming the option for anything but a positive number.
pub fn parse_timeout(timeout: Option<f64>) -> Result<f64, &'static str> {
    match timeout {
        None => Ok(DEFAULT_TIMEOUT_MS),
        Some(ms) if ms > 0.0 => Ok(ms.min(MAX_TIMEOUT_MS)),
        Some(_) => Err("The \"timeout\" option must be a positive number of milliseconds"),
    }
}

/// Watches the popup's `closed` flag through the grace period.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ClosedWatch {
    closed_since: Option<f64>,
}

impl ClosedWatch {
    /// Records one reading of `popup.closed` at `now_ms`; `true` when the popup has now read as
    /// closed for at least [`CLOSED_GRACE_MS`] and the flow should fail with `PopupClosed`.
    pub fn observe(&mut self, closed: bool, now_ms: f64) -> bool {
        if !closed {
            self.closed_since = None;
            return false;
        }
        let since = *self.closed_since.get_or_insert(now_ms);
        now_ms - since >= CLOSED_GRACE_MS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_counts_only_after_the_grace_period() {
        let mut watch = ClosedWatch::default();
        assert!(!watch.observe(false, 0.0));
        assert!(!watch.observe(true, 1_000.0));
        assert!(!watch.observe(true, 3_999.0));
        assert!(watch.observe(true, 4_000.0));
    }

    #[test]
    fn an_open_reading_restarts_the_grace_period() {
        let mut watch = ClosedWatch::default();
        assert!(!watch.observe(true, 0.0));
        assert!(!watch.observe(false, 2_000.0));
        assert!(!watch.observe(true, 2_500.0));
        assert!(!watch.observe(true, 5_000.0));
        assert!(watch.observe(true, 5_500.0));
    }

    #[test]
    fn timeouts() {
        assert_eq!(parse_timeout(None), Ok(DEFAULT_TIMEOUT_MS));
        assert_eq!(parse_timeout(Some(500.0)), Ok(500.0));
        assert_eq!(parse_timeout(Some(1e12)), Ok(MAX_TIMEOUT_MS));
        assert!(parse_timeout(Some(0.0)).is_err());
        assert!(parse_timeout(Some(-1.0)).is_err());
        assert!(parse_timeout(Some(f64::NAN)).is_err());
        assert_eq!(timeout_message(1500.0), "Connect did not finish within 1500 ms.");
    }
}
