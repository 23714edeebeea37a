//! A [`CredentialStore`] for clients and tokens known in advance: a test, a demo, an internal
//! service with two partners.

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::fmt;

use super::{ClientKeys, CredentialStore};
use crate::signature::RsaPublicKey;

/// Clients and tokens known in advance, in memory: what a server with a few fixed clients uses
/// instead of writing its own [`CredentialStore`].
///
/// A token is found only for the client it was issued to. `Debug` lists the consumer keys and
/// the number of tokens, never a secret.
///
/// ```
/// use oauth1_core::server::FixedCredentials;
/// use oauth1_core::CredentialStore as _;
///
/// let credentials = FixedCredentials::new()
///     .with_client("dpf43f3p2l4k3l03", "kd94hf93k423kf44")
///     .with_client("partner-b", "another secret")
///     .with_token("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00", "dpf43f3p2l4k3l03");
/// assert_eq!(credentials.client("partner-b").unwrap().secret(), Some("another secret"));
/// assert_eq!(
///     credentials.token_secret("dpf43f3p2l4k3l03", "nnch734d00sl2jdk").as_deref(),
///     Some("pfkkdhi9sl3r4s00")
/// );
/// // Another client's token is unknown to this one.
/// assert_eq!(credentials.token_secret("partner-b", "nnch734d00sl2jdk"), None);
/// ```
#[derive(Clone, Default)]
pub struct FixedCredentials {
    clients: BTreeMap<String, ClientKeys>,
    /// token → (consumer key it was issued to, secret)
    tokens: BTreeMap<String, (String, String)>,
}

impl FixedCredentials {
    /// No clients, no tokens.
    pub fn new() -> Self {
        Self::default()
    }

    /// A client that signs with a shared secret (HMAC, PLAINTEXT).
    #[must_use]
    pub fn with_client(self, consumer_key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.with_client_keys(consumer_key, ClientKeys::shared_secret(secret))
    }

    /// A client that signs with RSA: its public key.
    #[must_use]
    pub fn with_rsa_client(self, consumer_key: impl Into<String>, key: RsaPublicKey) -> Self {
        self.with_client_keys(consumer_key, ClientKeys::rsa_public_key(key))
    }

    /// A client with these keys (a secret, an RSA key, or both); replaces one of the same key.
    #[must_use]
    pub fn with_client_keys(mut self, consumer_key: impl Into<String>, keys: ClientKeys) -> Self {
        self.clients.insert(consumer_key.into(), keys);
        self
    }

    /// Token credentials issued to `consumer_key`.
    #[must_use]
    pub fn with_token(
        mut self,
        token: impl Into<String>,
        secret: impl Into<String>,
        consumer_key: impl Into<String>,
    ) -> Self {
        self.tokens
            .insert(token.into(), (consumer_key.into(), secret.into()));
        self
    }
}

impl CredentialStore for FixedCredentials {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        self.clients.get(consumer_key).cloned()
    }

    fn token_secret(&self, consumer_key: &str, token: &str) -> Option<String> {
        let (issued_to, secret) = self.tokens.get(token)?;
        (issued_to == consumer_key).then(|| secret.clone())
    }
}

impl fmt::Debug for FixedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FixedCredentials")
            .field(
                "clients",
                &self.clients.keys().collect::<alloc::vec::Vec<_>>(),
            )
            .field("tokens", &self.tokens.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn debug_shows_no_secret() {
        let store = FixedCredentials::new()
            .with_client("k", "client-secret")
            .with_token("t", "token-secret", "k");
        let debug = format!("{store:?}");
        assert!(!debug.contains("secret\""), "{debug}");
        assert!(!debug.contains("client-secret") && !debug.contains("token-secret"));
        assert!(debug.contains("\"k\""));
    }

    #[test]
    fn an_unknown_client_or_token_is_none() {
        let store = FixedCredentials::new()
            .with_client("k", "s")
            .with_token("t", "ts", "k");
        assert!(store.client("other").is_none());
        assert_eq!(store.token_secret("k", "other"), None);
        assert_eq!(store.token_secret("k", "t").as_deref(), Some("ts"));
    }
}
