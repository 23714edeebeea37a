//! What a provider looks up (client keys, token secrets, nonces) and the verifier's bounds.

use alloc::string::String;
use core::fmt;

use zeroize::Zeroizing;

use crate::signature::RsaPublicKey;

/// What a provider knows about one client: its shared secret, its RSA public key, or both.
#[derive(Clone, Default)]
pub struct ClientKeys {
    pub(super) secret: Option<Zeroizing<String>>,
    pub(super) rsa_public_key: Option<RsaPublicKey>,
}

impl ClientKeys {
    /// A client that signs with its shared secret (HMAC, PLAINTEXT).
    pub fn shared_secret(secret: impl Into<String>) -> Self {
        ClientKeys {
            secret: Some(Zeroizing::new(secret.into())),
            rsa_public_key: None,
        }
    }

    /// A client that signs with an RSA key (RSA-SHA1, RSA-SHA256, RSA-SHA512, RSA-PSS).
    pub fn rsa_public_key(key: RsaPublicKey) -> Self {
        ClientKeys {
            secret: None,
            rsa_public_key: Some(key),
        }
    }

    /// Adds an RSA public key to a shared-secret client.
    #[must_use]
    pub fn with_rsa_public_key(mut self, key: RsaPublicKey) -> Self {
        self.rsa_public_key = Some(key);
        self
    }

    /// The client's shared secret, if it has one: what a custom
    /// [`VerifyMethod`](super::VerifyMethod) keys with.
    pub fn secret(&self) -> Option<&str> {
        self.secret.as_deref().map(String::as_str)
    }

    /// The client's RSA public key, if it has one.
    pub fn rsa_key(&self) -> Option<&RsaPublicKey> {
        self.rsa_public_key.as_ref()
    }
}

impl fmt::Debug for ClientKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientKeys")
            .field("secret", &self.secret.as_ref().map(|_| "<hidden>"))
            .field("rsa_public_key", &self.rsa_public_key)
            .finish()
    }
}

/// The provider's credential lookups: client keys by consumer key, token secrets by token.
///
/// ```
/// use std::collections::HashMap;
/// use oauth1_core::CredentialStore;
/// use oauth1_core::server::ClientKeys;
///
/// struct Store {
///     clients: HashMap<String, String>,
///     tokens: HashMap<String, String>,
/// }
///
/// impl CredentialStore for Store {
///     fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
///         self.clients.get(consumer_key).map(|s| ClientKeys::shared_secret(s.clone()))
///     }
///     fn token_secret(&self, _consumer_key: &str, token: &str) -> Option<String> {
///         self.tokens.get(token).cloned()
///     }
/// }
/// ```
pub trait CredentialStore {
    /// The keys of the client `consumer_key`, or `None` if there is no such client.
    fn client(&self, consumer_key: &str) -> Option<ClientKeys>;

    /// The shared secret of `token` issued to `consumer_key`, or `None` if the token is unknown,
    /// expired, revoked, or was issued to another client. Temporary and access tokens are both
    /// looked up here; a provider tells them apart by the endpoint it verifies for.
    fn token_secret(&self, consumer_key: &str, token: &str) -> Option<String>;
}

impl<T: CredentialStore + ?Sized> CredentialStore for &T {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        (**self).client(consumer_key)
    }
    fn token_secret(&self, consumer_key: &str, token: &str) -> Option<String> {
        (**self).token_secret(consumer_key, token)
    }
}

/// A store shared between servers (or a server's tasks) answers as itself.
impl<T: CredentialStore + ?Sized> CredentialStore for alloc::sync::Arc<T> {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        (**self).client(consumer_key)
    }
    fn token_secret(&self, consumer_key: &str, token: &str) -> Option<String> {
        (**self).token_secret(consumer_key, token)
    }
}

/// One use of a nonce: the client, token and timestamp it came with (RFC 5849 §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NonceUse<'a> {
    /// `oauth_consumer_key`.
    pub consumer_key: &'a str,
    /// `oauth_token`, if present.
    pub token: Option<&'a str>,
    /// `oauth_timestamp`.
    pub timestamp: u64,
    /// `oauth_nonce`.
    pub nonce: &'a str,
    /// When the entry may be forgotten: the timestamp plus the verifier's window. After it, the
    /// timestamp check alone refuses a replay.
    pub expires_at: u64,
    /// The verifier's clock (`now` as given to [`Verifier::verify`](crate::Verifier::verify)): entries whose `expires_at`
    /// is before it can be forgotten. A store takes time from here, never from the request's
    /// timestamp, which the client chooses.
    pub now: u64,
}

/// Replay protection: remembers nonces until their timestamp leaves the window.
///
/// `check_and_insert` must be **atomic**: of two concurrent calls with the same [`NonceUse`],
/// exactly one returns `true`. A store shared by several provider instances (Redis
/// `SET key 1 NX EXAT expires_at`, a database row with a unique key) fits this trait as well as
/// the in-memory one; use a shared store when several instances serve the same clients, or a
/// replay sent to another instance is accepted.
///
/// A store that cannot answer (its backend is down, a timeout) returns [`StoreUnavailable`]: the
/// request is refused ([`VerifyError::StoreUnavailable`](crate::VerifyError::StoreUnavailable), 503), never accepted. Failing open would
/// accept replays.
pub trait NonceStore {
    /// Records `nonce_use` and returns `Ok(true)` if it was not seen before, `Ok(false)` for a
    /// replay, and `Err(StoreUnavailable)` when the store cannot tell.
    fn check_and_insert(&self, nonce_use: &NonceUse<'_>) -> Result<bool, StoreUnavailable>;
}

impl<T: NonceStore + ?Sized> NonceStore for &T {
    fn check_and_insert(&self, nonce_use: &NonceUse<'_>) -> Result<bool, StoreUnavailable> {
        (**self).check_and_insert(nonce_use)
    }
}

/// A store shared between servers (or a server's tasks) answers as itself.
impl<T: NonceStore + ?Sized> NonceStore for alloc::sync::Arc<T> {
    fn check_and_insert(&self, nonce_use: &NonceUse<'_>) -> Result<bool, StoreUnavailable> {
        (**self).check_and_insert(nonce_use)
    }
}

/// A nonce store could not answer (its backend is down or too slow): the request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreUnavailable;

impl fmt::Display for StoreUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the nonce store cannot answer")
    }
}

impl core::error::Error for StoreUnavailable {}

/// Bounds on what a request may make the verifier read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyLimits {
    /// Longest `Authorization` header value accepted, in bytes (default 8 KiB).
    pub max_header_len: usize,
    /// Most request parameters (query, form body and header together) accepted (default 1024).
    pub max_params: usize,
    /// Largest form-encoded body whose parameters are read, in bytes (default 1 MiB).
    pub max_form_body_len: usize,
}

impl Default for VerifyLimits {
    fn default() -> Self {
        VerifyLimits {
            max_header_len: 8 * 1024,
            max_params: 1024,
            max_form_body_len: 1024 * 1024,
        }
    }
}
