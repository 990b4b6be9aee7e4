//! What the redirect page does with the URL Connect sent it to, decided without a browser.

/// The redirect page's `app_origin` parameter, as the browser's URL parser read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppOrigin {
    /// No `app_origin`: the app shares the redirect page's origin.
    Absent,
    /// A bare http(s) origin (see [`smartcar_protocol::origin::bare_origin`]), serialised by
    /// the browser.
    Bare(String),
    /// Anything else: `*`, a path, another scheme, not a URL at all.
    NotBare,
}

/// Where the message goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// `window.opener.postMessage(message, target_origin)`, then close the popup.
    PostToOpener {
        /// The only origin allowed to receive the message.
        target_origin: String,
    },
    /// No opener, but the app shares this page's origin: the SDK listens on a
    /// `BroadcastChannel` of that origin.
    Broadcast,
    /// Nowhere: the reason is shown to the user.
    Refused(&'static str),
}

/// What the redirect page does: deliver the message, then tell the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Where the message goes.
    pub delivery: Delivery,
    /// What the page says, for when it stays open (no opener, a refused origin, or a browser
    /// that does not let it close itself).
    pub status: String,
}

/// Shown when `app_origin` is anything but a bare http(s) origin.
pub const BAD_APP_ORIGIN: &str = "This page was given an app_origin that is not a web origin (such as https://example.com), so the result was not sent anywhere. Please return to the app and try again.";

/// Shown when there is no window to hand the result to.
pub const NO_OPENER: &str = "This window is no longer connected to the app that opened it, so the result could not be handed back here. Please return to the app and try again.";

/// What Connect said, as far as the page tells the user: its `error` and `error_description`
/// parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome<'a> {
    /// `error`: absent or empty when the user connected a vehicle.
    pub error: Option<&'a str>,
    /// `error_description`: Connect's readable description of the error.
    pub error_description: Option<&'a str>,
}

/// Decides what the redirect page at `page_origin` does with the result of Connect.
///
/// `app_origin`, when present, must be a bare http(s) origin: the reference posts to whatever
/// it says, so `app_origin=*` hands the code to any page that opened the popup.
pub fn plan(outcome: Outcome<'_>, app_origin: AppOrigin, page_origin: &str, has_opener: bool) -> Plan {
    let target_origin = match app_origin {
        AppOrigin::Absent => Ok(page_origin.to_owned()),
        AppOrigin::Bare(origin) => Ok(origin),
        AppOrigin::NotBare => Err(BAD_APP_ORIGIN),
    };
    let delivery = match target_origin {
        Err(reason) => Delivery::Refused(reason),
        Ok(target_origin) if has_opener => Delivery::PostToOpener { target_origin },
        Ok(target_origin) if target_origin == page_origin => Delivery::Broadcast,
        Ok(_) => Delivery::Refused(NO_OPENER),
    };
    let status = status(outcome, &delivery);
    Plan { delivery, status }
}

fn status(outcome: Outcome<'_>, delivery: &Delivery) -> String {
    if let Delivery::Refused(reason) = delivery {
        return (*reason).to_owned();
    }
    let mut text = match outcome.error.filter(|e| !e.is_empty()) {
        None => String::from("Your vehicle is connected."),
        Some(error) => {
            let mut text = String::from("Connecting your vehicle did not finish: ");
            text.push_str(outcome.error_description.unwrap_or(error));
            if !text.ends_with('.') {
                text.push('.');
            }
            text
        }
    };
    text.push_str(" You can close this window and return to the app.");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "https://app.example.com";
    const REDIRECT: &str = "https://redirect.example.com";
    const CONNECTED: Outcome<'static> = Outcome { error: None, error_description: None };

    #[test]
    fn posts_to_app_origin_when_given() {
        let p = plan(CONNECTED, AppOrigin::Bare(APP.into()), REDIRECT, true);
        assert_eq!(p.delivery, Delivery::PostToOpener { target_origin: APP.into() });
        assert_eq!(p.status, "Your vehicle is connected. You can close this window and return to the app.");
    }

    #[test]
    fn posts_to_own_origin_without_app_origin() {
        let p = plan(CONNECTED, AppOrigin::Absent, APP, true);
        assert_eq!(p.delivery, Delivery::PostToOpener { target_origin: APP.into() });
    }

    #[test]
    fn refuses_anything_but_a_bare_origin() {
        for has_opener in [true, false] {
            let p = plan(CONNECTED, AppOrigin::NotBare, REDIRECT, has_opener);
            assert_eq!(p.delivery, Delivery::Refused(BAD_APP_ORIGIN));
            assert_eq!(p.status, BAD_APP_ORIGIN);
        }
    }

    #[test]
    fn without_opener_broadcasts_only_to_its_own_origin() {
        assert_eq!(plan(CONNECTED, AppOrigin::Absent, APP, false).delivery, Delivery::Broadcast);
        assert_eq!(plan(CONNECTED, AppOrigin::Bare(APP.into()), APP, false).delivery, Delivery::Broadcast);
        let p = plan(CONNECTED, AppOrigin::Bare(APP.into()), REDIRECT, false);
        assert_eq!(p.delivery, Delivery::Refused(NO_OPENER));
        assert_eq!(p.status, NO_OPENER);
    }

    #[test]
    fn tells_the_user_about_errors() {
        let denied = Outcome { error: Some("access_denied"), error_description: Some("User denied access") };
        assert_eq!(
            plan(denied, AppOrigin::Absent, APP, true).status,
            "Connecting your vehicle did not finish: User denied access. You can close this window and return to the app."
        );
        let bare = Outcome { error: Some("boom"), error_description: None };
        assert!(plan(bare, AppOrigin::Absent, APP, true).status.contains("did not finish: boom."));
        let empty = Outcome { error: Some(""), error_description: Some("ignored") };
        assert!(plan(empty, AppOrigin::Absent, APP, true).status.starts_with("Your vehicle is connected."));
    }
}
