//! The one definition of the message the redirect page posts to the app's window.
//!
//! Its shape is the one `@smartcar/auth` 2.14.1 reads, so the reference SDK understands this
//! project's redirect page and this SDK understands Smartcar's hosted one:
//! `{name: 'SmartcarAuthMessage', isSmartcarHosted, code, error, errorDescription, state, vin,
//! make, model, year, virtualKeyUrl, userId}` with `null` for absent values, plus `externalId`
//! only when Connect sent `external_id`.

/// The `name` every genuine message carries.
pub const MESSAGE_NAME: &str = "SmartcarAuthMessage";

/// The message key holding [`MESSAGE_NAME`].
pub const NAME_KEY: &str = "name";

/// The message key saying whether the page that posted it is Smartcar's hosted redirect page.
pub const HOSTED_KEY: &str = "isSmartcarHosted";

/// Every key of the message, space-separated, in the order the SDK reads them: [`NAME_KEY`],
/// [`HOSTED_KEY`], then each [`Field`] of [`Field::ALL`] (a test keeps them in step).
pub const MESSAGE_KEYS: &str =
    "name isSmartcarHosted code error errorDescription state vin make model year virtualKeyUrl userId externalId";

/// The origin of Smartcar's own hosted redirect page.
pub const HOSTED_ORIGIN: &str = "https://javascript-sdk.smartcar.com";

/// The `BroadcastChannel` a same-origin redirect page also delivers the message on, for when a
/// `Cross-Origin-Opener-Policy` header has cut the popup off from `window.opener`.
pub const CHANNEL_NAME: &str = "SmartcarAuthMessage";

/// The query parameter naming the app's origin, where the redirect page posts the message.
pub const APP_ORIGIN_QUERY_KEY: &str = "app_origin";

/// A text field of the message: its key in the posted object and its name in the redirect
/// page's query string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The authorization code to exchange for tokens.
    Code,
    /// Connect's error code, such as `access_denied`.
    Error,
    /// Connect's human-readable description of the error.
    ErrorDescription,
    /// The state the SDK sent, carrying its instance id and the app's own state.
    State,
    /// The incompatible vehicle's VIN.
    Vin,
    /// The incompatible vehicle's make.
    Make,
    /// The incompatible vehicle's model.
    Model,
    /// The incompatible vehicle's year.
    Year,
    /// The URL where a Tesla owner registers Smartcar's virtual key.
    VirtualKeyUrl,
    /// The id of the vehicle owner who granted access.
    UserId,
    /// The app's own id for the connection, echoed by Connect.
    ExternalId,
}

impl Field {
    /// Every field, in the order the message's keys are written.
    pub const ALL: [Field; 11] = [
        Field::Code,
        Field::Error,
        Field::ErrorDescription,
        Field::State,
        Field::Vin,
        Field::Make,
        Field::Model,
        Field::Year,
        Field::VirtualKeyUrl,
        Field::UserId,
        Field::ExternalId,
    ];

    /// The field's key in the posted message object.
    pub const fn message_key(self) -> &'static str {
        match self {
            Field::Code => "code",
            Field::Error => "error",
            Field::ErrorDescription => "errorDescription",
            Field::State => "state",
            Field::Vin => "vin",
            Field::Make => "make",
            Field::Model => "model",
            Field::Year => "year",
            Field::VirtualKeyUrl => "virtualKeyUrl",
            Field::UserId => "userId",
            Field::ExternalId => "externalId",
        }
    }

    /// The field's parameter name in the query string Connect redirects with.
    pub const fn query_key(self) -> &'static str {
        match self {
            Field::Code => "code",
            Field::Error => "error",
            Field::ErrorDescription => "error_description",
            Field::State => "state",
            Field::Vin => "vin",
            Field::Make => "make",
            Field::Model => "model",
            Field::Year => "year",
            Field::VirtualKeyUrl => "virtual_key_url",
            Field::UserId => "user_id",
            Field::ExternalId => "external_id",
        }
    }

    /// Whether the message leaves this key out when the value is absent (instead of `null`).
    ///
    /// `externalId` is present only when Connect sent `external_id`, so an app can tell
    /// "not sent" from "sent empty".
    pub const fn omitted_when_absent(self) -> bool {
        matches!(self, Field::ExternalId)
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// The result of a Connect session, as the redirect page posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthMessage {
    /// Whether the page that built it is Smartcar's hosted redirect page.
    pub is_smartcar_hosted: bool,
    values: [Option<String>; 11],
}

impl AuthMessage {
    /// The value of `field`, `None` when absent.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.values.get(field.index()).and_then(|v| v.as_deref())
    }

    /// Sets (or clears, with `None`) the value of `field`.
    pub fn set(&mut self, field: Field, value: Option<String>) {
        if let Some(slot) = self.values.get_mut(field.index()) {
            *slot = value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_keys_list_every_key_in_order() {
        let keys: Vec<&str> = [NAME_KEY, HOSTED_KEY].into_iter().chain(Field::ALL.map(Field::message_key)).collect();
        assert_eq!(MESSAGE_KEYS, keys.join(" "));
    }

    #[test]
    fn keys_are_unique() {
        for (i, a) in Field::ALL.iter().enumerate() {
            assert_eq!(a.index(), i);
            for b in Field::ALL.iter().skip(i + 1) {
                assert_ne!(a.message_key(), b.message_key());
                assert_ne!(a.query_key(), b.query_key());
            }
        }
    }
}
