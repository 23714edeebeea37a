//! The callback's query (§2.2): `oauth_token` and `oauth_verifier`, and the check that the
//! verifier goes with the temporary token being authorized.

use alloc::string::String;

use crate::credentials::TokenCredentials;
use crate::flow::{FlowError, decode, set_once};
use crate::params::form_pairs;
use crate::protocol::{TOKEN, VERIFIER};

/// What the provider's redirect to the callback carries (§2.2): `oauth_token` and
/// `oauth_verifier`. The verifier is handed out only for the temporary token it was issued for
/// ([`verifier_for`](Self::verifier_for)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackParams {
    token: String,
    verifier: String,
}

impl CallbackParams {
    /// Reads `oauth_token` and `oauth_verifier` from a callback URL or its query string.
    ///
    /// ```
    /// use oauth1_core::TokenCredentials;
    ///
    /// let p = oauth1_core::client::CallbackParams::from_url(
    ///     "http://printer.example.com/ready?oauth_token=hh5s93j4hdidpola&oauth_verifier=hfdp7dh39dks9884",
    /// ).unwrap();
    /// let temporary = TokenCredentials::new("hh5s93j4hdidpola", "hdhd0244k9j7ao03");
    /// assert_eq!(p.verifier_for(&temporary), Ok("hfdp7dh39dks9884"));
    /// ```
    pub fn from_url(url: &str) -> Result<Self, FlowError> {
        let without_fragment = url.split_once('#').map_or(url, |(before, _)| before);
        let query = without_fragment
            .split_once('?')
            .map_or(without_fragment, |(_, q)| q);
        crate::encoding::validate_escapes(query.as_bytes()).map_err(|_| FlowError::Malformed)?;
        let mut token = None;
        let mut verifier = None;
        for p in form_pairs(query) {
            match decode(p.name).as_str() {
                TOKEN => set_once(&mut token, decode(p.value), TOKEN)?,
                VERIFIER => set_once(&mut verifier, decode(p.value), VERIFIER)?,
                _ => {}
            }
        }
        Ok(CallbackParams {
            token: token.ok_or(FlowError::Missing(TOKEN))?,
            verifier: verifier.ok_or(FlowError::Missing(VERIFIER))?,
        })
    }

    /// The temporary token the callback names.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The verifier, if the callback names `temporary`'s token: a callback for another
    /// authorization (a stale tab, a forged redirect) is refused with
    /// [`FlowError::TokenMismatch`] before the verifier is ever sent.
    pub fn verifier_for(&self, temporary: &TokenCredentials) -> Result<&str, FlowError> {
        if crate::signature::constant_time_eq(self.token.as_bytes(), temporary.token().as_bytes()) {
            Ok(&self.verifier)
        } else {
            Err(FlowError::TokenMismatch)
        }
    }
}
