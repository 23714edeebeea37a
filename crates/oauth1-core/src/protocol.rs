//! The protocol's parameter names, in one place: every `oauth_…` name the crate reads or writes is
//! spelled in this file only.
//!
//! - [`Name`]: the protocol parameters of a signed request (RFC 5849 §3.1, and `oauth_body_hash`
//!   of the body-hash draft), in the alphabetical order the signer renders them, with the
//!   `Authorization` header field each one begins;
//! - the names of the token responses (§2.1, §2.3), the callback (§2.2) and the problem reports of
//!   the OAuth Problem Reporting extension.

use crate::encoding::Text;

macro_rules! protocol_names {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A protocol parameter of a signed request.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Name {
            $($(#[$doc])* $variant,)*
        }

        impl Name {
            /// Every name, in alphabetical order (the order of the encoded names, too: they are
            /// all unreserved text).
            pub(crate) const ALL: [Name; [$($name),*].len()] = [$(Name::$variant),*];

            /// The name as sent.
            pub(crate) const fn as_str(self) -> &'static str {
                const NAMES: [&str; Name::ALL.len()] = [$($name),*];
                NAMES[self as usize]
            }

            /// The `Authorization` header text that begins this parameter's field: `name="` when
            /// it comes first, `, name="` after another.
            pub(crate) const fn header_field(self) -> (&'static str, &'static str) {
                const FIELDS: [(&str, &str); Name::ALL.len()] =
                    [$((concat!($name, "=\""), concat!(", ", $name, "=\""))),*];
                FIELDS[self as usize]
            }
        }
    };
}

protocol_names! {
    /// `oauth_body_hash` (draft-eaton-oauth-bodyhash): the digest of a body that is not a form.
    BodyHash = "oauth_body_hash",
    /// `oauth_callback` (§2.1): where the provider sends the resource owner back.
    Callback = "oauth_callback",
    /// `oauth_consumer_key`: the client.
    ConsumerKey = "oauth_consumer_key",
    /// `oauth_nonce` (§3.3).
    Nonce = "oauth_nonce",
    /// `oauth_signature` (§3.4): never part of the base string.
    Signature = "oauth_signature",
    /// `oauth_signature_method`.
    SignatureMethod = "oauth_signature_method",
    /// `oauth_timestamp` (§3.3).
    Timestamp = "oauth_timestamp",
    /// `oauth_token`: the temporary or token credentials.
    Token = "oauth_token",
    /// `oauth_verifier` (§2.3).
    Verifier = "oauth_verifier",
    /// `oauth_version`: "1.0" when present.
    Version = "oauth_version",
}

impl Name {
    /// The slot of this name in a table indexed like [`Name::ALL`].
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// The protocol parameter `name` (compared decoded) stands for, if any.
    pub(crate) fn of(name: Text<'_>) -> Option<Name> {
        match name {
            Text::Plain(raw) | Text::Verbatim(raw) => {
                Name::ALL.into_iter().find(|n| n.as_str() == raw)
            }
            _ => Name::ALL.into_iter().find(|n| name.eq_str(n.as_str())),
        }
    }
}

/// What every protocol parameter name begins with (§3.1: "oauth_" names are reserved).
pub(crate) const PREFIX: &str = "oauth_";

/// Whether a parameter name (compared decoded) is a protocol parameter's: it begins with
/// [`PREFIX`].
pub(crate) fn is_protocol(name: Text<'_>) -> bool {
    match name {
        Text::Plain(raw) | Text::Verbatim(raw) => raw.starts_with(PREFIX),
        _ => name.bytes().take(PREFIX.len()).eq(PREFIX.bytes()),
    }
}

/// `oauth_token`, for patterns (token responses and callbacks).
pub(crate) const TOKEN: &str = Name::Token.as_str();
/// `oauth_verifier`, for patterns (callbacks).
pub(crate) const VERIFIER: &str = Name::Verifier.as_str();
/// `oauth_token_secret` (§2.1, §2.3): the secret of issued credentials.
pub(crate) const TOKEN_SECRET: &str = "oauth_token_secret";
/// `oauth_callback_confirmed` (§2.1): "true" in a temporary-credentials response.
pub(crate) const CALLBACK_CONFIRMED: &str = "oauth_callback_confirmed";
/// `oauth_problem`: the problem a provider reports.
pub(crate) const PROBLEM: &str = "oauth_problem";
/// `oauth_problem_advice`: the provider's explanation.
pub(crate) const PROBLEM_ADVICE: &str = "oauth_problem_advice";
/// `oauth_parameters_absent`: the required parameters a request lacked.
pub(crate) const PARAMETERS_ABSENT: &str = "oauth_parameters_absent";
/// `oauth_parameters_rejected`: the parameters the provider refused.
pub(crate) const PARAMETERS_REJECTED: &str = "oauth_parameters_rejected";
/// `oauth_acceptable_timestamps`: the window of timestamps the provider accepts.
pub(crate) const ACCEPTABLE_TIMESTAMPS: &str = "oauth_acceptable_timestamps";
/// `oauth_signature_base_string`: the base string the provider computed, in some reports.
pub(crate) const SIGNATURE_BASE_STRING: &str = "oauth_signature_base_string";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_unique_and_indexed_in_order() {
        assert!(Name::ALL.is_sorted_by(|a, b| a.as_str() < b.as_str()));
        for (i, name) in Name::ALL.into_iter().enumerate() {
            assert_eq!(name.index(), i);
            assert!(name.as_str().starts_with(PREFIX));
            assert_eq!(Name::of(Text::Plain(name.as_str())), Some(name));
            let (alone, after) = name.header_field();
            assert_eq!(alone, alloc::format!("{}=\"", name.as_str()));
            assert_eq!(after, alloc::format!(", {alone}"));
        }
        assert_eq!(Name::of(Text::Percent("oauth%5Fnonce")), Some(Name::Nonce));
        assert_eq!(Name::of(Text::Plain("oauth_other")), None);
        assert!(is_protocol(Text::Percent("oauth%5Fother")));
        assert!(!is_protocol(Text::Plain("oauth")));
    }
}
