//! What the redirect page does with the URL Connect sent it to, decided without a browser.

use smartcar_protocol::message::{AuthMessage, Field, APP_ORIGIN_QUERY_KEY};
use smartcar_protocol::origin::parse_bare_origin;
use smartcar_protocol::query;

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

/// Everything the redirect page does, in order: deliver the message, then tell the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The message for the SDK.
    pub message: AuthMessage,
    /// Where it goes.
    pub delivery: Delivery,
    /// What the page says, for when it stays open (no opener, a refused origin, or a browser
    /// that does not let it close itself).
    pub status: String,
}

/// Shown when `app_origin` is anything but a bare http(s) origin.
pub const BAD_APP_ORIGIN: &str = "This page was given an app_origin that is not a web origin (such as https://example.com), so the result was not sent anywhere. Please return to the app and try again.";

/// Shown when there is no window to hand the result to.
pub const NO_OPENER: &str = "This window is no longer connected to the app that opened it, so the result could not be handed back here. Please return to the app and try again.";

/// Decides what the redirect page at `page_origin` does with the query string `search`.
///
/// `app_origin`, when present, must be a bare http(s) origin: the reference posts to whatever
/// it says, so `app_origin=*` hands the code to any page that opened the popup.
pub fn plan(search: &str, page_origin: &str, has_opener: bool) -> Plan {
    let message = AuthMessage::from_query(search, page_origin);
    let target_origin = match query::get(search, APP_ORIGIN_QUERY_KEY) {
        None => Ok(page_origin.to_owned()),
        Some(app_origin) => parse_bare_origin(&app_origin).map_err(|_| BAD_APP_ORIGIN),
    };
    let delivery = match target_origin {
        Err(reason) => Delivery::Refused(reason),
        Ok(target_origin) if has_opener => Delivery::PostToOpener { target_origin },
        Ok(target_origin) if target_origin == page_origin => Delivery::Broadcast,
        Ok(_) => Delivery::Refused(NO_OPENER),
    };
    let status = status(&message, &delivery);
    Plan { message, delivery, status }
}

fn status(message: &AuthMessage, delivery: &Delivery) -> String {
    if let Delivery::Refused(reason) = delivery {
        return (*reason).to_owned();
    }
    let mut text = match message.get(Field::Error).filter(|e| !e.is_empty()) {
        None => String::from("Your vehicle is connected."),
        Some(error) => {
            let mut text = String::from("Connecting your vehicle did not finish: ");
            text.push_str(message.get(Field::ErrorDescription).unwrap_or(error));
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

    #[test]
    fn posts_to_app_origin_when_given() {
        let p = plan("?code=c&state=s&app_origin=https%3A%2F%2Fapp.example.com", REDIRECT, true);
        assert_eq!(p.delivery, Delivery::PostToOpener { target_origin: APP.into() });
        assert_eq!(p.message.get(Field::Code), Some("c"));
        assert!(p.status.starts_with("Your vehicle is connected."));
    }

    #[test]
    fn posts_to_own_origin_without_app_origin() {
        let p = plan("?code=c", APP, true);
        assert_eq!(p.delivery, Delivery::PostToOpener { target_origin: APP.into() });
    }

    #[test]
    fn normalises_app_origin() {
        let p = plan("?app_origin=HTTPS://App.Example.com:443/", REDIRECT, true);
        assert_eq!(p.delivery, Delivery::PostToOpener { target_origin: APP.into() });
    }

    #[test]
    fn refuses_anything_but_a_bare_origin() {
        for bad in ["*", "javascript:alert(1)", "https://app.example.com/path", "null", "", "https://a.com?x#y"] {
            let mut search = String::from("?code=c&app_origin=");
            query::encode_component(bad, &mut search);
            let p = plan(&search, REDIRECT, true);
            assert_eq!(p.delivery, Delivery::Refused(BAD_APP_ORIGIN), "{bad}");
            assert_eq!(p.status, BAD_APP_ORIGIN);
        }
    }

    #[test]
    fn without_opener_broadcasts_only_to_its_own_origin() {
        assert_eq!(plan("?code=c", APP, false).delivery, Delivery::Broadcast);
        let p = plan("?code=c&app_origin=https%3A%2F%2Fapp.example.com", REDIRECT, false);
        assert_eq!(p.delivery, Delivery::Refused(NO_OPENER));
        assert_eq!(p.status, NO_OPENER);
    }

    #[test]
    fn tells_the_user_about_errors() {
        let p = plan("?error=access_denied&error_description=User+denied+access", APP, true);
        assert_eq!(
            p.status,
            "Connecting your vehicle did not finish: User denied access. You can close this window and return to the app."
        );
        let p = plan("?error=boom", APP, true);
        assert!(p.status.contains("did not finish: boom."));
    }

    #[test]
    fn a_page_without_parameters_still_posts() {
        let p = plan("", APP, true);
        assert_eq!(p.delivery, Delivery::PostToOpener { target_origin: APP.into() });
        assert_eq!(p.message.get(Field::Code), None);
    }
}
