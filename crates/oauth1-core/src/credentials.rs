//! RFC 5849 §1.1: client credentials and token credentials.
//!
//! > client credentials: the client identifier and shared secret (or RSA key) that authenticate
//! > the client; token credentials: the identifier and shared secret issued by the server to the
//! > client, to sign requests on the resource owner's behalf. Temporary credentials (§2.1) have the
//! > same shape and are carried in the same type.
//!
//! `Debug` never shows a secret or key material, and secrets are zeroized when dropped.

use alloc::string::String;
use core::fmt;

use zeroize::Zeroizing;

use crate::signature::RsaPrivateKey;

/// The client's (consumer's) identifier and shared secret, and optionally its RSA private key.
///
/// ```
/// use oauth1_core::ClientCredentials;
///
/// let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
/// assert_eq!(client.key(), "dpf43f3p2l4k3l03");
/// assert!(!format!("{client:?}").contains("kd94hf93k423kf44"));
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    key: String,
    secret: Zeroizing<String>,
    rsa_key: Option<RsaPrivateKey>,
}

impl ClientCredentials {
    /// Client credentials for the HMAC and PLAINTEXT methods. The secret may be empty.
    pub fn new(key: impl Into<String>, secret: impl Into<String>) -> Self {
        ClientCredentials {
            key: key.into(),
            secret: Zeroizing::new(secret.into()),
            rsa_key: None,
        }
    }

    /// Client credentials for the RSA methods: the client key and its RSA private key.
    pub fn with_rsa_key(key: impl Into<String>, rsa_key: RsaPrivateKey) -> Self {
        ClientCredentials {
            key: key.into(),
            secret: Zeroizing::new(String::new()),
            rsa_key: Some(rsa_key),
        }
    }

    /// The client identifier, sent as `oauth_consumer_key`.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The shared secret (empty for RSA-only credentials).
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The RSA private key, if any.
    pub fn rsa_key(&self) -> Option<&RsaPrivateKey> {
        self.rsa_key.as_ref()
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("key", &self.key)
            .field("secret", &"<hidden>")
            .field("rsa_key", &self.rsa_key.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

/// A token identifier and its shared secret: temporary credentials (§2.1) or token
/// credentials (§2.3).
///
/// ```
/// use oauth1_core::TokenCredentials;
///
/// let token = TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
/// assert_eq!(token.token(), "nnch734d00sl2jdk");
/// assert_eq!(format!("{token:?}"), r#"TokenCredentials { token: "nnch734d00sl2jdk", secret: "<hidden>" }"#);
/// ```
#[derive(Clone)]
pub struct TokenCredentials {
    token: String,
    secret: Zeroizing<String>,
}

impl TokenCredentials {
    /// Token credentials. The secret may be empty.
    pub fn new(token: impl Into<String>, secret: impl Into<String>) -> Self {
        TokenCredentials {
            token: token.into(),
            secret: Zeroizing::new(secret.into()),
        }
    }

    /// The token identifier, sent as `oauth_token`.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The token shared secret.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for TokenCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCredentials")
            .field("token", &self.token)
            .field("secret", &"<hidden>")
            .finish()
    }
}
