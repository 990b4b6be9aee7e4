//! The one definition of the message the redirect page posts to the app's window.
//!
//! Its shape is the one `@smartcar/auth` 2.14.1 reads, so the reference SDK understands this
//! project's redirect page and this SDK understands Smartcar's hosted one:
//! `{name: 'SmartcarAuthMessage', isSmartcarHosted, code, error, errorDescription, state, vin,
//! make, model, year, virtualKeyUrl, userId}` with `null` for absent values, plus `externalId`
//! only when Connect sent `external_id`.
//!
//! The fields are listed once, in [`with_message_fields!`]: this crate derives [`Field`] from
//! the list, and the SDK's bindings derive their typed reader of a posted message from it, so
//! the writer and the reader cannot drift apart.

/// The `name` every genuine message carries.
pub const MESSAGE_NAME: &str = "SmartcarAuthMessage";

/// The message key holding [`MESSAGE_NAME`].
pub const NAME_KEY: &str = "name";

/// The message key saying whether the page that posted it is Smartcar's hosted redirect page.
pub const HOSTED_KEY: &str = "isSmartcarHosted";

/// The origin of Smartcar's own hosted redirect page.
pub const HOSTED_ORIGIN: &str = "https://javascript-sdk.smartcar.com";

/// The query parameter naming the app's origin, where the redirect page posts the message.
pub const APP_ORIGIN_QUERY_KEY: &str = "app_origin";

/// Calls the macro `$then` with every text field of the message, in the order the message's
/// keys are written, each as `Variant, messageKey, query_key;` after its doc comment.
///
/// `messageKey` is the key in the posted object, `query_key` the parameter Connect redirects
/// with (also the snake_case name a Rust reader gives the field).
///
/// # Examples
/// ```
/// macro_rules! count {
///     ($($(#[$doc:meta])* $variant:ident, $js:ident, $query:ident;)*) => { [$(stringify!($js)),*].len() };
/// }
/// assert_eq!(smartcar_protocol::with_message_fields!(count), 11);
/// ```
#[macro_export]
macro_rules! with_message_fields {
    ($then:ident) => {
        $then! {
            /// The authorization code to exchange for tokens.
            Code, code, code;
            /// Connect's error code, such as `access_denied`.
            Error, error, error;
            /// Connect's human-readable description of the error.
            ErrorDescription, errorDescription, error_description;
            /// The state the SDK sent, carrying its flow's id and the app's own state.
            State, state, state;
            /// The incompatible vehicle's VIN.
            Vin, vin, vin;
            /// The incompatible vehicle's make.
            Make, make, make;
            /// The incompatible vehicle's model.
            Model, model, model;
            /// The incompatible vehicle's year.
            Year, year, year;
            /// The URL where a Tesla owner registers Smartcar's virtual key.
            VirtualKeyUrl, virtualKeyUrl, virtual_key_url;
            /// The id of the vehicle owner who granted access.
            UserId, userId, user_id;
            /// The app's own id for the connection, echoed by Connect.
            ExternalId, externalId, external_id;
        }
    };
}

macro_rules! define_fields {
    ($($(#[$doc:meta])* $variant:ident, $js:ident, $query:ident;)*) => {
        /// A text field of the message: its key in the posted object and its name in the
        /// redirect page's query string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Field {
            $($(#[$doc])* $variant,)*
        }

        impl Field {
            /// Every field, in the order the message's keys are written.
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            /// The field's key in the posted message object.
            pub const fn message_key(self) -> &'static str {
                match self {
                    $(Field::$variant => stringify!($js),)*
                }
            }

            /// Every field's parameter name, each followed by a space.
            pub const QUERY_KEYS: &'static str = concat!($(stringify!($query), " "),*);

            /// The field's parameter name in the query string Connect redirects with.
            pub const fn query_key(self) -> &'static str {
                match self {
                    $(Field::$variant => stringify!($query),)*
                }
            }
        }
    };
}

with_message_fields!(define_fields);

impl Field {
    /// Whether the message leaves this key out when the value is absent (instead of `null`).
    ///
    /// `externalId` is present only when Connect sent `external_id`, so an app can tell
    /// "not sent" from "sent empty".
    pub const fn omitted_when_absent(self) -> bool {
        matches!(self, Field::ExternalId)
    }

    /// The field whose query parameter is `name`, if any: Connect's result parameters, the
    /// ones a redirect page reads and then removes from the address bar.
    pub fn from_query_key(name: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|field| field.query_key() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn keys_are_unique() {
        for (i, a) in Field::ALL.iter().enumerate() {
            for b in Field::ALL.iter().skip(i + 1) {
                assert_ne!(a.message_key(), b.message_key());
                assert_ne!(a.query_key(), b.query_key());
            }
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn keys_are_the_reference_ones() {
        let keys: Vec<&str> = Field::ALL.iter().map(|f| f.message_key()).collect();
        assert_eq!(
            keys,
            ["code", "error", "errorDescription", "state", "vin", "make", "model", "year", "virtualKeyUrl", "userId", "externalId"]
        );
        assert_eq!(Field::VirtualKeyUrl.query_key(), "virtual_key_url");
        let spaced: String = Field::ALL.iter().map(|f| format!("{} ", f.query_key())).collect();
        assert_eq!(Field::QUERY_KEYS, spaced);
        assert_eq!(Field::from_query_key("error_description"), Some(Field::ErrorDescription));
        assert_eq!(Field::from_query_key("app_origin"), None);
        assert_eq!(Field::from_query_key("errorDescription"), None);
    }
}
