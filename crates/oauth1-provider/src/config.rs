//! What a provider knows before it starts: clients, methods, window, realm, address.

use std::net::SocketAddr;

use oauth1::{ClientKeys, RsaPublicKey, SignatureMethodName, Verifier};

/// The provider's configuration.
///
/// ```
/// use oauth1::SignatureMethodName;
/// use oauth1_provider::ProviderConfig;
///
/// let config = ProviderConfig::new()
///     .client("key", "secret")
///     .allow_methods(&[SignatureMethodName::HmacSha1, SignatureMethodName::HmacSha256])
///     .timestamp_window(60)
///     .realm("Example");
/// # let _ = config;
/// ```
#[derive(Clone, Debug)]
pub struct ProviderConfig {
    pub(crate) clients: Vec<(String, ClientKeys)>,
    pub(crate) methods: Vec<SignatureMethodName>,
    pub(crate) window: u64,
    pub(crate) realm: String,
    pub(crate) addr: SocketAddr,
    pub(crate) user: (String, String),
    pub(crate) expose_base_string: bool,
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<crate::tls::TlsSource>,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ProviderConfig {
    /// No clients yet; every signature method but PLAINTEXT; a ±300 s window; realm `oauth1-provider`;
    /// `127.0.0.1:0`.
    pub fn new() -> Self {
        ProviderConfig {
            clients: Vec::new(),
            methods: SignatureMethodName::ALL
                .into_iter()
                .filter(|m| *m != SignatureMethodName::Plaintext)
                .collect(),
            window: 300,
            realm: String::from("oauth1-provider"),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            user: (String::from("1"), String::from("ada")),
            expose_base_string: false,
            #[cfg(feature = "tls")]
            tls: None,
        }
    }

    /// A client with a shared secret (HMAC and PLAINTEXT methods).
    #[must_use]
    pub fn client(self, consumer_key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.client_keys(consumer_key, ClientKeys::shared_secret(secret))
    }

    /// A client with an RSA public key (RSA methods).
    #[must_use]
    pub fn rsa_client(self, consumer_key: impl Into<String>, key: RsaPublicKey) -> Self {
        self.client_keys(consumer_key, ClientKeys::rsa_public_key(key))
    }

    /// A client with any keys.
    #[must_use]
    pub fn client_keys(mut self, consumer_key: impl Into<String>, keys: ClientKeys) -> Self {
        let key = consumer_key.into();
        self.clients.retain(|(k, _)| *k != key);
        self.clients.push((key, keys));
        self
    }

    /// The signature methods accepted.
    #[must_use]
    pub fn allow_methods(mut self, methods: &[SignatureMethodName]) -> Self {
        self.methods = methods.to_vec();
        self
    }

    /// Accepted distance between `oauth_timestamp` and the provider's clock, in seconds.
    #[must_use]
    pub fn timestamp_window(mut self, seconds: u64) -> Self {
        self.window = seconds;
        self
    }

    /// The realm in `WWW-Authenticate`.
    #[must_use]
    pub fn realm(mut self, realm: impl Into<String>) -> Self {
        self.realm = realm.into();
        self
    }

    /// The address to bind (default `127.0.0.1:0`: a free port on loopback).
    #[must_use]
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The resource owner who approves every authorization: `user_id` and `screen_name` of the
    /// token-credentials answer (default `1`, `ada`).
    #[must_use]
    pub fn user(mut self, user_id: impl Into<String>, screen_name: impl Into<String>) -> Self {
        self.user = (user_id.into(), screen_name.into());
        self
    }

    /// Answers `signature_invalid` with the base string the provider computed
    /// (`oauth_signature_base_string`, as Jira does): what client authors need to debug.
    #[must_use]
    pub fn expose_base_string(mut self, expose: bool) -> Self {
        self.expose_base_string = expose;
        self
    }

    /// Serve HTTPS with a certificate made at start: a fresh CA (its key never leaves the process)
    /// and a server certificate for `127.0.0.1` and `localhost` signed by it. Trust
    /// [`Provider::ca_certificate_pem`](crate::Provider::ca_certificate_pem) in the client.
    #[cfg(feature = "tls")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tls")))]
    #[must_use]
    pub fn tls(mut self) -> Self {
        self.tls = Some(crate::tls::TlsSource::Generated);
        self
    }

    /// Serve HTTPS with this certificate chain (PEM, the server's certificate first) and private
    /// key (PEM: PKCS#8, PKCS#1 or SEC1). A chain or key that cannot be used makes
    /// [`Provider::start`](crate::Provider::start) fail with a [`TlsError`](crate::TlsError).
    #[cfg(feature = "tls")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tls")))]
    #[must_use]
    pub fn tls_certificate(
        mut self,
        chain_pem: impl Into<String>,
        private_key_pem: impl Into<String>,
    ) -> Self {
        self.tls = Some(crate::tls::TlsSource::Given {
            chain: chain_pem.into(),
            key: private_key_pem.into(),
        });
        self
    }

    pub(crate) fn verifier(&self) -> Verifier {
        Verifier::new()
            .allow_methods(&self.methods)
            .timestamp_window(self.window)
            .allow_small_rsa_keys(true)
            .expose_base_string(self.expose_base_string)
    }
}
