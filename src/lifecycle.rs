//! The rules of a popup flow's life that need no browser: which flow wins when a popup opens
//! while another is open, when a closed popup counts as closed, how long a `connect()` flow
//! may last.
//!
//! A popup cut off by a `Cross-Origin-Opener-Policy` header reads as closed while the user is
//! still in it; the typical case is a redirect page with that header, which severs the popup a
//! moment before it delivers the result over a `BroadcastChannel`. So "closed" only counts
//! after it has been observed for [`CLOSED_GRACE_MS`]. A page that sends the header itself
//! cuts off every popup it opens as its first page arrives: see [`ClosedWatch`].

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

/// Which call opened a popup flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowKind {
    /// `openDialog` or a click through `addClickHandler`: the result goes to `onComplete`.
    Dialog,
    /// `connect()`: the result also settles its Promise.
    Connect,
}

/// What opening a new popup flow does to the one already open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opening {
    /// Nothing is open (or what was open is gone): open the new flow.
    Open,
    /// A `connect()` flow is open and its popup with it: the new `connect()` is refused with
    /// `InteractionInProgress` and the popup is brought to the front.
    Refuse,
    /// Replace the open flow; its `connect()` Promise, if any, is rejected (it can no longer
    /// get a result: the popup now shows the new flow).
    Replace {
        /// Whether the replaced flow has a Promise to reject.
        reject_old: bool,
    },
}

/// The rule for opening a `new` flow while `open` (its kind, and whether its popup is still
/// open) is the instance's current one. `openDialog` always opens, reusing the instance's
/// popup as the reference does; a second `connect()` does not take over a first one.
pub fn opening(new: FlowKind, open: Option<(FlowKind, bool)>) -> Opening {
    match open {
        None => Opening::Open,
        Some((FlowKind::Connect, true)) if new == FlowKind::Connect => Opening::Refuse,
        Some((kind, _)) => Opening::Replace { reject_old: kind == FlowKind::Connect },
    }
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
///
/// A page that sends a `Cross-Origin-Opener-Policy` header itself cuts off every popup it opens
/// the moment the popup's first page (Connect) arrives, so such a popup reads closed before it
/// was ever seen showing a page; a user can only close one they have seen. When a channel can
/// carry the flow's result (the redirect page is on the page's origin), such a popup counts as
/// cut off: the flow goes on, as if it were open, until its result, its timeout, its signal or
/// the next flow. Without a channel no result could reach the page, and closed is closed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ClosedWatch {
    /// Open, still on its initial blank page.
    #[default]
    Opening,
    /// Open, and seen showing a page.
    Shown,
    /// Closed since then (ms).
    ClosedSince(f64),
    /// Cut off from the page: its `closed` flag tells nothing any more.
    CutOff,
}

impl ClosedWatch {
    /// Records one reading of the popup at `now_ms` (`closed`; `shows_page`: it shows a page of
    /// its own, not its initial blank one), for a flow with a channel for its result when
    /// `channel`; `true` when the popup has now read as closed for at least
    /// [`CLOSED_GRACE_MS`] and the flow should fail with `PopupClosed`.
    pub fn observe(&mut self, closed: bool, shows_page: bool, now_ms: f64, channel: bool) -> bool {
        *self = match *self {
            ClosedWatch::CutOff => ClosedWatch::CutOff,
            _ if !closed => if shows_page { ClosedWatch::Shown } else { ClosedWatch::Opening },
            ClosedWatch::Opening if channel => ClosedWatch::CutOff,
            ClosedWatch::ClosedSince(since) => ClosedWatch::ClosedSince(since),
            ClosedWatch::Opening | ClosedWatch::Shown => ClosedWatch::ClosedSince(now_ms),
        };
        matches!(*self, ClosedWatch::ClosedSince(since) if now_ms - since >= CLOSED_GRACE_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn closed_counts_only_after_the_grace_period() {
        for channel in [false, true] {
            let mut watch = ClosedWatch::default();
            assert!(!watch.observe(false, false, 250.0, channel));
            assert!(!watch.observe(false, true, 500.0, channel));
            assert!(!watch.observe(true, false, 1_000.0, channel));
            assert!(!watch.observe(true, false, 3_999.0, channel));
            assert!(watch.observe(true, false, 4_000.0, channel));
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn an_open_reading_restarts_the_grace_period() {
        let mut watch = ClosedWatch::Shown;
        assert!(!watch.observe(true, false, 0.0, true));
        assert!(!watch.observe(false, true, 2_000.0, true));
        assert!(!watch.observe(true, false, 2_500.0, true));
        assert!(!watch.observe(true, false, 5_000.0, true));
        assert!(watch.observe(true, false, 5_500.0, true));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_popup_closed_before_it_showed_a_page_was_cut_off_when_a_channel_can_carry_the_result() {
        let mut watch = ClosedWatch::default();
        assert!(!watch.observe(false, false, 250.0, true));
        assert!(!watch.observe(true, false, 500.0, true));
        assert_eq!(watch, ClosedWatch::CutOff);
        // For good: even a reading as open later changes nothing.
        for (closed, now) in [(true, 10_000.0), (false, 20_000.0), (true, 1e9)] {
            assert!(!watch.observe(closed, false, now, true));
            assert_eq!(watch, ClosedWatch::CutOff);
        }
        // Without a channel no result can arrive: closed is closed.
        let mut watch = ClosedWatch::default();
        assert!(!watch.observe(true, false, 250.0, false));
        assert!(watch.observe(true, false, 3_250.0, false));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn which_flow_wins() {
        use FlowKind::{Connect, Dialog};
        assert_eq!(opening(Connect, None), Opening::Open);
        assert_eq!(opening(Connect, Some((Connect, true))), Opening::Refuse);
        assert_eq!(opening(Connect, Some((Connect, false))), Opening::Replace { reject_old: true });
        assert_eq!(opening(Connect, Some((Dialog, true))), Opening::Replace { reject_old: false });
        assert_eq!(opening(Dialog, Some((Connect, true))), Opening::Replace { reject_old: true });
        assert_eq!(opening(Dialog, Some((Dialog, true))), Opening::Replace { reject_old: false });
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn timeouts() {
        assert_eq!(parse_timeout(None), Ok(DEFAULT_TIMEOUT_MS));
        assert_eq!(parse_timeout(Some(500.0)), Ok(500.0));
        assert_eq!(parse_timeout(Some(1e12)), Ok(MAX_TIMEOUT_MS));
        assert!(parse_timeout(Some(0.0)).is_err());
        assert!(parse_timeout(Some(-1.0)).is_err());
        assert!(parse_timeout(Some(f64::NAN)).is_err());
    }
}
