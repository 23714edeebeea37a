//! What a provider knows before it starts: clients, the verifier, realm, address, limits.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use oauth1_core::Verifier;
use oauth1_core::crypto::RsaPublicKey;
use oauth1_core::http::TrustedProxies;
use oauth1_core::server::ClientKeys;

/// The provider's configuration.
///
/// How signed requests are checked (signature methods, custom methods, the timestamp window,
/// exposing base strings, concealing unknown keys) is the core's [`Verifier`], configured once
/// and handed over with [`verifier`](Self::verifier); everything else (clients, tokens, the
/// realm, the address, limits) is set here.
///
/// ```
/// use oauth1_core::{SignatureMethodName, Verifier};
/// use oauth1_provider::ProviderConfig;
///
/// let config = ProviderConfig::new()
///     .client("key", "secret")
///     .verifier(
///         Verifier::new()
///             .allow_methods(&[SignatureMethodName::HmacSha1, SignatureMethodName::HmacSha256])
///             .timestamp_window(60),
///     )
///     .realm("Example");
/// # let _ = config;
/// ```
#[derive(Clone, Debug)]
pub struct ProviderConfig {
    /// The clients, by consumer key.
    pub(crate) clients: BTreeMap<String, ClientKeys>,
    pub(crate) verifier: Verifier,
    pub(crate) realm: String,
    pub(crate) addr: SocketAddr,
    pub(crate) user: User,
    /// Registered callbacks, by consumer key: a client listed here may only use its own (or
    /// `oob`).
    pub(crate) callbacks: BTreeMap<String, String>,
    pub(crate) limits: Limits,
    /// A shared nonce store (Redis) instead of the in-memory one.
    pub(crate) nonces: Option<SharedNonces>,
    /// The public origin clients sign (behind a proxy), instead of this server's scheme and `Host`.
    pub(crate) public_origin: Option<oauth1_core::http::Origin>,
    /// The proxies whose `Forwarded` / `X-Forwarded-*` headers name the origin clients signed.
    pub(crate) proxies: TrustedProxies,
    /// Access tokens issued before start.
    pub(crate) tokens: Vec<PreIssuedToken>,
    /// Called once per answered request ([`ProviderConfig::log_requests`]); off by default.
    pub(crate) request_log: Option<crate::request_log::RequestLogger>,
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<crate::tls::TlsSource>,
}

/// The resource owner who approves every authorization (§2.2), as the token-credentials answer
/// names them.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) screen_name: String,
}

/// An access token issued before start ([`ProviderConfig::access_token`]).
#[derive(Clone)]
pub(crate) struct PreIssuedToken {
    pub(crate) token: String,
    pub(crate) secret: String,
    pub(crate) consumer_key: String,
}

/// Without the token's secret.
impl std::fmt::Debug for PreIssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreIssuedToken")
            .field("token", &self.token)
            .field("secret", &"<hidden>")
            .field("consumer_key", &self.consumer_key)
            .finish()
    }
}

/// A nonce store given by the caller.
#[derive(Clone)]
pub(crate) struct SharedNonces(pub(crate) std::sync::Arc<dyn oauth1_core::server::AsyncNonceStore>);

impl std::fmt::Debug for SharedNonces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<nonce store>")
    }
}

/// What one client or connection may make the provider hold: bodies, time, connections, tokens.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) max_body_bytes: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) body_read_timeout: Duration,
    pub(crate) max_connections: usize,
    pub(crate) max_slow_bodies_per_peer: usize,
    pub(crate) temporary_token_lifetime: Duration,
    pub(crate) access_token_lifetime: Duration,
    pub(crate) max_tokens: usize,
    pub(crate) max_tokens_per_client: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            max_connections: 256,
            max_slow_bodies_per_peer: 64,
            temporary_token_lifetime: Duration::from_secs(10 * 60),
            access_token_lifetime: Duration::from_secs(24 * 60 * 60),
            max_tokens: 100_000,
            max_tokens_per_client: 10_000,
        }
    }
}

impl Default for ProviderConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ProviderConfig {
    /// No clients yet; the [default verifier](Self::verifier) (every signature method but
    /// PLAINTEXT, a ±300 s window); realm `oauth1-provider`; `127.0.0.1:0`.
    pub fn new() -> Self {
        ProviderConfig {
            clients: BTreeMap::new(),
            verifier: Verifier::new().allow_small_rsa_keys(true),
            realm: String::from("oauth1-provider"),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            user: User {
                id: String::from("1"),
                screen_name: String::from("ada"),
            },
            callbacks: BTreeMap::new(),
            limits: Limits::default(),
            nonces: None,
            public_origin: None,
            proxies: TrustedProxies::new(),
            tokens: Vec::new(),
            request_log: None,
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
        self.clients.insert(consumer_key.into(), keys);
        self
    }

    /// Checks every signed request with `verifier`, as configured: the signature methods it
    /// accepts (built-in and [custom](Verifier::custom_method)), its
    /// [timestamp window](Verifier::timestamp_window),
    /// [exposing the base string](Verifier::expose_base_string) with `signature_invalid` (as
    /// Jira does, for client authors),
    /// [concealing unknown keys and tokens](Verifier::conceal_unknown_credentials), its limits and
    /// its crypto provider. Every option of the verifier is the provider's, with no second name
    /// here.
    ///
    /// The default is `Verifier::new().allow_small_rsa_keys(true)`: every method but PLAINTEXT, a
    /// ±300 s window, and RSA keys from 1024 bits (test clients' keys often are). A verifier
    /// given here is used as it is.
    ///
    /// ```
    /// use oauth1_core::{SignatureMethodName, Verifier};
    /// use oauth1_provider::ProviderConfig;
    ///
    /// // A mock provider for client authors: every method, base strings shown on refusals.
    /// let config = ProviderConfig::new().client("key", "secret").verifier(
    ///     Verifier::new()
    ///         .allow_methods(SignatureMethodName::ALL)
    ///         .expose_base_string(true),
    /// );
    /// # let _ = config;
    /// ```
    #[must_use]
    pub fn verifier(mut self, verifier: Verifier) -> Self {
        self.verifier = verifier;
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
        self.user = User {
            id: user_id.into(),
            screen_name: screen_name.into(),
        };
        self
    }

    /// Calls `log` once for every request answered, when the answer is ready and before it is
    /// sent, with a [`RequestLog`](crate::RequestLog): the method, the path without its query,
    /// the consumer key the request named, the status and the `oauth_problem` code — never a
    /// secret, whatever the signature method and placement. Its `Display` is one line for a
    /// server's log (`oauth1 serve` writes it to standard error). Off by default.
    ///
    /// `log` runs on the server's threads, in the middle of the request: keep it quick, and
    /// never let it panic (a panic ends the connection).
    ///
    /// ```
    /// use std::io::{Read as _, Write as _};
    /// use std::sync::{Arc, Mutex};
    /// use oauth1_provider::{Provider, ProviderConfig};
    ///
    /// let lines = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&lines);
    /// let config = ProviderConfig::new()
    ///     .client("demo-client", "demo-secret")
    ///     .log_requests(move |record| sink.lock().unwrap().push(record.to_string()));
    /// let provider = Provider::start_blocking(config)?;
    ///
    /// // An unsigned request to the protected echo (the query is never logged).
    /// let mut stream = std::net::TcpStream::connect(provider.addr())?;
    /// write!(stream, "GET /api/echo?secret=x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")?;
    /// stream.read_to_end(&mut Vec::new())?;
    /// assert_eq!(
    ///     *lines.lock().unwrap(),
    ///     ["GET /api/echo consumer_key=- 400 refused parameter_absent"]
    /// );
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn log_requests(
        mut self,
        log: impl Fn(&crate::RequestLog<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.request_log = Some(crate::request_log::RequestLogger(Arc::new(log)));
        self
    }

    /// Records nonces in `store` (for example `oauth1_redis::RedisNonceStore`, shared by several
    /// provider instances) instead of an in-memory store of this instance's own. A store that
    /// cannot answer makes requests fail with 503, never pass.
    #[must_use]
    pub fn nonce_store(
        mut self,
        store: impl oauth1_core::server::AsyncNonceStore + 'static,
    ) -> Self {
        self.nonces = Some(SharedNonces(std::sync::Arc::new(store)));
        self
    }

    /// Verifies against the public origin clients sign (`https://api.example.com`) instead of this
    /// server's own scheme and `Host`: for instances behind a proxy or a load balancer. A request
    /// in absolute form naming another host is refused.
    pub fn public_origin(mut self, origin: &str) -> Result<Self, oauth1_core::RequestError> {
        self.public_origin = Some(oauth1_core::http::Origin::fixed(origin)?);
        Ok(self)
    }

    /// Believes the origin a trusted proxy forwards: a request whose connection comes from one of
    /// `proxies` is verified against the scheme and host its RFC 7239 `Forwarded` header
    /// (`proto=`, `host=`), or else its `X-Forwarded-Proto` / `X-Forwarded-Host`, name — the URL
    /// the client signed in front of the proxy. From any other address those headers are ignored,
    /// so a client cannot choose the URL it is verified against. A
    /// [`public_origin`](Self::public_origin) wins over them. The default trusts no proxy.
    ///
    /// The provider hands each connection's address to oauth1-hyper's
    /// [`VerifyLayer::trust_proxies`](oauth1_hyper::VerifyLayer::trust_proxies) as a
    /// [`PeerAddr`](oauth1_hyper::PeerAddr); a forwarded host that is not a host is answered 400
    /// `parameter_rejected`.
    ///
    /// ```
    /// use std::io::{Read as _, Write as _};
    /// use oauth1_core::http::TrustedProxies;
    /// use oauth1_core::{ClientCredentials, Request, Signer};
    /// use oauth1_provider::{Provider, ProviderConfig};
    ///
    /// // The load balancer in front of it connects from 127.0.0.1 here.
    /// let config = ProviderConfig::new()
    ///     .client("demo-client", "demo-secret")
    ///     .trust_proxies(TrustedProxies::new().with("127.0.0.1")?);
    /// let provider = Provider::start_blocking(config)?;
    ///
    /// // Signed for the public URL; received at 127.0.0.1 with the proxy's `Forwarded`.
    /// let signer = Signer::hmac_sha1(&ClientCredentials::new("demo-client", "demo-secret"), None)?;
    /// let signed = signer.sign_now(&Request::new("GET", "https://api.example.com/api/echo"))?;
    /// let mut stream = std::net::TcpStream::connect(provider.addr())?;
    /// write!(
    ///     stream,
    ///     "GET /api/echo HTTP/1.1\r\nHost: {}\r\nForwarded: proto=https;host=api.example.com\r\n\
    ///      Authorization: {}\r\nConnection: close\r\n\r\n",
    ///     provider.addr(),
    ///     signed.authorization().ok_or("not signed into a header")?,
    /// )?;
    /// let mut answer = String::new();
    /// stream.read_to_string(&mut answer)?;
    /// assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn trust_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.proxies = proxies;
        self
    }

    /// An access token issued before start, bound to `consumer_key` (for tests that skip the
    /// three legs). It expires like issued ones ([`token_lifetimes`](Self::token_lifetimes)).
    #[must_use]
    pub fn access_token(
        mut self,
        token: impl Into<String>,
        secret: impl Into<String>,
        consumer_key: impl Into<String>,
    ) -> Self {
        self.tokens.push(PreIssuedToken {
            token: token.into(),
            secret: secret.into(),
            consumer_key: consumer_key.into(),
        });
        self
    }

    /// Registers `callback` for `consumer_key`: that client's temporary-credential requests must
    /// name this callback (or `oob`); any other is refused with `parameter_rejected`. Without a
    /// registration a client may name any `http` or `https` callback (or `oob`). Pin callbacks
    /// for real clients: the provider sends the verifier to the callback, so a callback the
    /// attacker chose hands them the user's approval.
    #[must_use]
    pub fn registered_callback(
        mut self,
        consumer_key: impl Into<String>,
        callback: impl Into<String>,
    ) -> Self {
        self.callbacks.insert(consumer_key.into(), callback.into());
        self
    }

    /// The largest request body read, in bytes (default 1 MiB): larger ones are answered 413, at
    /// once when the request declares its length (`Content-Length`), without reading it.
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.limits.max_body_bytes = bytes;
        self
    }

    /// How long a connection may take to send a request's headers (and a TLS handshake) before
    /// it is closed (default 10 s).
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// The most connections served at once (default 256); further ones wait to be accepted. The
    /// header-read and body-read timeouts, and the quota of slow bodies per client address
    /// ([`max_slow_bodies_per_peer`](Self::max_slow_bodies_per_peer)), bound how long stalling
    /// clients can keep them all.
    #[must_use]
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.limits.max_connections = connections.max(1);
        self
    }

    /// How long a request's body may take to arrive in full, from when the provider starts reading
    /// it (default 10 s); past it the request is answered 408 and its connection closed. It
    /// bounds the whole body, however the bytes trickle in. With the header-read timeout, it
    /// bounds how long one request can hold a connection slot
    /// ([`max_connections`](Self::max_connections)) without sending what it announced.
    ///
    /// The default is ten times what a 1 MiB body (the default
    /// [`max_body_bytes`](Self::max_body_bytes)) takes at 1 Mbit/s, and short enough that
    /// connections stalling their bodies hold slots for seconds, not minutes.
    #[must_use]
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_read_timeout = timeout;
        self
    }

    /// The most slow bodies one client address may have the provider read at once (default 64,
    /// a quarter of [`max_connections`](Self::max_connections)). A body is slow once it is still
    /// arriving a second after the provider started reading it; a further slow one from the same
    /// address is answered 429 (with `Retry-After`) and its connection closed at once, so one
    /// address that stalls its bodies cannot hold every connection slot for the body timeout.
    /// Requests whose bodies arrive within the second (nearly all) never count.
    #[must_use]
    pub fn max_slow_bodies_per_peer(mut self, bodies: usize) -> Self {
        self.limits.max_slow_bodies_per_peer = bodies;
        self
    }

    /// The most live tokens one client (consumer key) may hold (default 10 000). A client at its
    /// quota that asks for another gives up its own oldest temporary credentials first; one that
    /// holds only token credentials is refused with 503.
    #[must_use]
    pub fn max_tokens_per_client(mut self, tokens: usize) -> Self {
        self.limits.max_tokens_per_client = tokens;
        self
    }

    /// How long issued tokens stay valid: temporary credentials (default 10 minutes) and token
    /// credentials (default 24 hours). An expired token is answered `token_rejected`.
    #[must_use]
    pub fn token_lifetimes(mut self, temporary: Duration, access: Duration) -> Self {
        self.limits.temporary_token_lifetime = temporary;
        self.limits.access_token_lifetime = access;
        self
    }

    /// The most live tokens held at once (default 100 000). When the table is full, the client
    /// holding the most tokens gives up its oldest temporary credentials to make room, so one
    /// client filling it cannot lock out the others; when only token credentials are left, new
    /// tokens are refused with 503 until some expire. See also
    /// [`max_tokens_per_client`](Self::max_tokens_per_client).
    #[must_use]
    pub fn max_tokens(mut self, tokens: usize) -> Self {
        self.limits.max_tokens = tokens;
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
}
