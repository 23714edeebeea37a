//! RFC 5849 §3.2: verifying requests, as a provider.
//!
//! > Servers receiving an authenticated request MUST validate it by:
//! > - Recalculating the request signature independently as described in Section 3.4 and
//! >   comparing it to the value received from the client via the "oauth_signature" parameter.
//! > - If using the "HMAC-SHA1" or "RSA-SHA1" signature methods, ensuring that the combination of
//! >   nonce/timestamp/token (if present) received from the client has not been used before in a
//! >   previous request (the server MAY reject requests with stale timestamps as described in
//! >   Section 3.3).
//! > - If a token is present, verifying the scope and status of the client authorization as
//! >   represented by the token […].
//! > - If the "oauth_version" parameter is present, ensuring its value is "1.0".
//! >
//! > If the request fails verification, the server SHOULD respond with the appropriate HTTP
//! > response status code. The server MAY include further details about why the request was
//! > rejected in the response body. The server SHOULD use the following HTTP status codes:
//! > - 400 (Bad Request): unsupported parameter, unsupported signature method, missing required
//! >   parameter, duplicated OAuth protocol parameter.
//! > - 401 (Unauthorized): invalid client credentials, invalid or expired token, invalid
//! >   signature, invalid or used nonce.
//!
//! Problem codes follow the OAuth Problem Reporting extension (`oauth_problem=signature_invalid`).
//! Time is an argument (`now`); replay detection is the [`NonceStore`] the provider supplies.

use alloc::borrow::{Cow, ToOwned};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use crate::base_string::write_base_string;
use crate::encoding::{Text, encode_into};
use crate::header::{AuthorizationHeader, HeaderLimits, parse_authorization_with};
use crate::params::{self, INLINE_PARAMS, InlineList, Param, form_pairs, max_form_pairs};
use crate::protocol::{
    ACCEPTABLE_TIMESTAMPS, Name, PARAMETERS_ABSENT, PARAMETERS_REJECTED, PROBLEM,
    SIGNATURE_BASE_STRING, is_protocol,
};
use crate::request::{Request, RequestError, Url, validate_method};
use crate::signature::{
    DigestAlgorithm, HmacKey, RsaPublicKey, SignatureError, SignatureMethodName, constant_time_eq,
    signing_key,
};

/// What a provider knows about one client: its shared secret, its RSA public key, or both.
#[derive(Clone, Default)]
pub struct ClientKeys {
    secret: Option<Zeroizing<String>>,
    rsa_public_key: Option<RsaPublicKey>,
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
/// use oauth1_core::{ClientKeys, CredentialStore};
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
    /// The verifier's clock (`now` as given to [`Verifier::verify`]): entries whose `expires_at`
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
/// request is refused ([`VerifyError::StoreUnavailable`], 503), never accepted. Failing open would
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

/// Checks signed requests per RFC 5849 §3.2.
///
/// ```
/// # #[cfg(all(feature = "sha1", feature = "std"))] {
/// use oauth1_core::{
///     ClientCredentials, ClientKeys, CredentialStore, InMemoryNonceStore, Request, SignOptions,
///     SignatureMethodName, Signer, Verifier,
/// };
///
/// struct OneClient;
/// impl CredentialStore for OneClient {
///     fn client(&self, key: &str) -> Option<ClientKeys> {
///         (key == "client").then(|| ClientKeys::shared_secret("secret"))
///     }
///     fn token_secret(&self, _: &str, _: &str) -> Option<String> {
///         None
///     }
/// }
///
/// let signer = Signer::new(SignatureMethodName::HmacSha1, &ClientCredentials::new("client", "secret"), None).unwrap();
/// let request = Request::new("GET", "https://api.example.com/items?page=2");
/// let signed = signer.sign(&request, &SignOptions::new(), "n0nce", 1_700_000_000).unwrap();
///
/// let verifier = Verifier::new();
/// let nonces = InMemoryNonceStore::new();
/// let verified = verifier
///     .verify(&request, signed.authorization(), &OneClient, &nonces, 1_700_000_010)
///     .unwrap();
/// assert_eq!(verified.consumer_key(), "client");
/// assert!(verified.params().eq([("page", "2")]));
/// assert_eq!(verified.param("page"), Some("2"));
///
/// // The same request again is a replay.
/// let err = verifier.verify(&request, signed.authorization(), &OneClient, &nonces, 1_700_000_011).unwrap_err();
/// assert_eq!(err.problem().as_str(), "nonce_used");
/// assert_eq!(err.status(), 401);
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    allowed: [bool; SignatureMethodName::ALL.len()],
    window: u64,
    limits: VerifyLimits,
    expose_base_string: bool,
    allow_small_rsa_keys: bool,
    accept_sha1_body_hash: bool,
    conceal_unknown_credentials: bool,
    as_sent: bool,
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Verifier {
    /// Allows the HMAC and RSA methods (not PLAINTEXT), a ±300 s timestamp window, default limits.
    pub fn new() -> Self {
        let mut allowed = [true; SignatureMethodName::ALL.len()];
        allowed[method_index(SignatureMethodName::Plaintext)] = false;
        Verifier {
            allowed,
            window: 300,
            limits: VerifyLimits::default(),
            expose_base_string: false,
            allow_small_rsa_keys: false,
            accept_sha1_body_hash: false,
            conceal_unknown_credentials: false,
            as_sent: false,
        }
    }

    /// Accepts exactly these signature methods.
    #[must_use]
    pub fn allow_methods(mut self, methods: &[SignatureMethodName]) -> Self {
        self.allowed = [false; SignatureMethodName::ALL.len()];
        for &m in methods {
            self.allowed[method_index(m)] = true;
        }
        self
    }

    /// Accepts timestamps within `seconds` of `now`, before or after (default 300).
    #[must_use]
    pub fn timestamp_window(mut self, seconds: u64) -> Self {
        self.window = seconds;
        self
    }

    /// Sets the input limits.
    #[must_use]
    pub fn limits(mut self, limits: VerifyLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Puts the base string the provider computed into [`VerifyError::SignatureInvalid`] and its
    /// response body, so client authors can compare (Jira does this). Off by default: it tells a
    /// caller what a valid signature covers.
    ///
    /// The signature the provider expected is never exposed: for a request the caller made up, it
    /// would be a valid signature of a request nobody has sent yet.
    #[must_use]
    pub fn expose_base_string(mut self, expose: bool) -> Self {
        self.expose_base_string = expose;
        self
    }

    /// Accepts RSA public keys of 1024 to 2047 bits (default: 2048 bits at least).
    #[must_use]
    pub fn allow_small_rsa_keys(mut self, allow: bool) -> Self {
        self.allow_small_rsa_keys = allow;
        self
    }

    /// Also accepts a SHA-1 `oauth_body_hash` on requests signed with a SHA-2 method (default:
    /// the hash must use the signature method's digest, as draft-eaton-oauth-bodyhash says).
    ///
    /// A provider quirk switch for clients that always hash bodies with SHA-1: Python's oauthlib
    /// does, whatever the signature method. SHA-1 is weaker against collisions than the
    /// method's digest, so leave it off unless such clients must be served.
    #[must_use]
    pub fn accept_sha1_body_hash(mut self, accept: bool) -> Self {
        self.accept_sha1_body_hash = accept;
        self
    }

    /// Answers an unknown consumer key or token as `signature_invalid` (401) instead of
    /// `consumer_key_unknown` / `token_rejected` (default: off, the codes RFC 5849 §3.2 and the
    /// Problem Reporting extension name).
    ///
    /// Whatever this says, an unknown client or token is checked against a dummy key (HMAC and
    /// RSA alike), so timing does not tell whether it exists; with this on, the answer does not
    /// either. Turn it on when consumer keys or tokens are worth guessing.
    #[must_use]
    pub fn conceal_unknown_credentials(mut self, conceal: bool) -> Self {
        self.conceal_unknown_credentials = conceal;
        self
    }

    /// Reads the `Authorization` header's values as their own normalized form, encoding them
    /// once in the signature base string, as Mastercard's signers sign them (default: off, RFC
    /// 5849 §3.4.1.3.2: decode, encode, encode again). See
    /// [`SignOptions::protocol_values_as_sent`](crate::SignOptions::protocol_values_as_sent).
    ///
    /// A client that encodes its header values the RFC way (`%2B` for `+`) signs the same base
    /// string under both readings, so such clients keep verifying; only one that sends needless or
    /// lower-case escapes (`%7E`, `%2b`) fails under this one. Query and form parameters keep the
    /// RFC reading.
    #[must_use]
    pub fn protocol_values_as_sent(mut self, as_sent: bool) -> Self {
        self.as_sent = as_sent;
        self
    }

    /// The timestamp window in seconds.
    pub fn window(&self) -> u64 {
        self.window
    }

    /// Verifies `request` with the `Authorization` header value it carried (if any).
    ///
    /// `now` is the provider's clock, in seconds since the Unix epoch. The nonce is recorded only
    /// when everything else holds, so forged requests cannot use up nonces.
    ///
    /// This is [`begin`](Self::begin), [`Pending::check`] and [`Checked::finish`] with synchronous
    /// stores; call those three yourself to look credentials and nonces up asynchronously.
    pub fn verify<C, N>(
        &self,
        request: &Request<'_>,
        authorization: Option<&str>,
        credentials: &C,
        nonces: &N,
        now: u64,
    ) -> Result<Verified, VerifyError>
    where
        C: CredentialStore + ?Sized,
        N: NonceStore + ?Sized,
    {
        let pending = self.begin(request, authorization, now)?;
        let client = credentials.client(pending.consumer_key());
        let token_secret = pending
            .token()
            .and_then(|t| credentials.token_secret(pending.consumer_key(), t));
        let checked = pending.check(client, token_secret)?;
        let fresh = checked
            .nonce_use()
            .map(|nonce_use| nonces.check_and_insert(&nonce_use));
        checked.finish(fresh)
    }

    /// Step one of a verification (RFC 5849 §3.2): parses the request and checks everything that
    /// needs no lookup — parameters, signature method, version, timestamp window, body-hash
    /// rules. The [`Pending`] result says what to look up: the client
    /// ([`Pending::consumer_key`]) and, if present, the token ([`Pending::token`]).
    ///
    /// ```
    /// # #[cfg(all(feature = "sha1", feature = "std"))] {
    /// use oauth1_core::{ClientCredentials, ClientKeys, Request, SignOptions, SignatureMethodName, Signer, Verifier};
    ///
    /// let signer = Signer::new(SignatureMethodName::HmacSha1, &ClientCredentials::new("client", "secret"), None).unwrap();
    /// let request = Request::new("GET", "https://api.example.com/items");
    /// let signed = signer.sign(&request, &SignOptions::new(), "n0nce", 1_700_000_000).unwrap();
    ///
    /// let verifier = Verifier::new();
    /// let pending = verifier.begin(&request, signed.authorization(), 1_700_000_010)?;
    /// // Look the client (and token) up however you like: a database, a cache, async.
    /// let client = (pending.consumer_key() == "client").then(|| ClientKeys::shared_secret("secret"));
    /// let checked = pending.check(client, None)?;
    /// // Record the nonce last, in a store of your choice (async too).
    /// let nonce_use = checked.nonce_use().unwrap();
    /// assert_eq!(nonce_use.nonce, "n0nce");
    /// let verified = checked.finish(Some(Ok(true)))?;
    /// assert_eq!(verified.consumer_key(), "client");
    /// # }
    /// # Ok::<(), oauth1_core::VerifyError>(())
    /// ```
    pub fn begin<'a>(
        &'a self,
        request: &'a Request<'a>,
        authorization: Option<&'a str>,
        now: u64,
    ) -> Result<Pending<'a>, VerifyError> {
        let parsed = self.parse(request, authorization)?;
        let protocol = &parsed.protocol;
        let consumer_key = protocol.required(Name::ConsumerKey)?;
        let method_name = protocol.required(Name::SignatureMethod)?;
        let signature = protocol.required(Name::Signature)?;
        let method: SignatureMethodName = lossy(method_name)
            .parse()
            .map_err(|_| VerifyError::SignatureMethodRejected)?;
        if !self.allowed[method_index(method)] {
            return Err(VerifyError::SignatureMethodRejected);
        }
        if let Some(version) = protocol.text(Name::Version)
            && !version.eq_str("1.0")
        {
            return Err(VerifyError::VersionRejected);
        }
        let plaintext = method == SignatureMethodName::Plaintext;
        let timestamp = match protocol.text(Name::Timestamp) {
            Some(t) => Some(parse_timestamp(&lossy(t))?),
            None if plaintext => None,
            None => {
                return Err(VerifyError::ParameterAbsent {
                    name: Name::Timestamp.as_str(),
                });
            }
        };
        let nonce = match protocol.text(Name::Nonce) {
            Some(n) => Some(lossy(n)),
            None if plaintext => None,
            None => {
                return Err(VerifyError::ParameterAbsent {
                    name: Name::Nonce.as_str(),
                });
            }
        };
        if let Some(ts) = timestamp
            && ts.abs_diff(now) > self.window
        {
            return Err(VerifyError::TimestampRefused {
                earliest: now.saturating_sub(self.window),
                latest: now.saturating_add(self.window),
            });
        }
        let body_hash = protocol.text(Name::BodyHash).map(lossy);
        if body_hash.is_some() && parsed.form_body.is_some() {
            return Err(VerifyError::ParameterRejected {
                name: Name::BodyHash.as_str(),
            });
        }
        // A body hash covers the body the service will see: without that body there is nothing
        // to check it against, and hashing "no body" would let any body through.
        if body_hash.is_some() && request.body().is_none() {
            return Err(VerifyError::BodyNotGiven);
        }
        let token = protocol.text(Name::Token).map(lossy);
        Ok(Pending {
            verifier: self,
            request,
            authorization_len: authorization.map_or(0, str::len),
            consumer_key: lossy(consumer_key),
            token,
            method,
            signature,
            timestamp,
            nonce,
            body_hash,
            now,
            parsed,
        })
    }

    /// Parses a request as [`verify`](Self::verify) does, without checking anything: the
    /// protocol parameters it carries (from the header, query or form body) and the signature base
    /// string a provider computes from it.
    ///
    /// This is what a debugging tool shows next to a failed check, whatever the failure: nothing
    /// is looked up and no nonce is used. Malformed requests get the same errors as `verify`.
    ///
    /// ```
    /// use oauth1_core::{Request, Verifier};
    ///
    /// let request = Request::new("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original");
    /// let authorization = r#"OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D", oauth_timestamp="137131202", oauth_nonce="chapoH""#;
    /// let inspected = Verifier::new().inspect(&request, Some(authorization))?;
    /// assert_eq!(inspected.param("oauth_token"), Some("nnch734d00sl2jdk"));
    /// assert_eq!(inspected.param("oauth_signature"), Some("MdpQcU8iPSUjWoN/UDMsK2sui9I="));
    /// assert_eq!(inspected.realm(), Some("Photos"));
    /// assert!(inspected.base_string().starts_with("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg"));
    /// # Ok::<(), oauth1_core::VerifyError>(())
    /// ```
    pub fn inspect(
        &self,
        request: &Request<'_>,
        authorization: Option<&str>,
    ) -> Result<Inspected, VerifyError> {
        let parsed = self.parse(request, authorization)?;
        Ok(Inspected {
            base_string: base_string_of(request.method(), &parsed.url, parsed.all.as_slice(), 0),
            realm: parsed
                .header
                .as_ref()
                .and_then(|h| h.realm().map(ToOwned::to_owned)),
            params: parsed
                .all
                .as_slice()
                .iter()
                .filter(|(_, p)| is_protocol(p.name))
                .map(|&(_, p)| (lossy(p.name).into_owned(), lossy(p.value).into_owned()))
                .collect(),
        })
    }

    /// Everything `verify` and `inspect` share: the URL, the form body, the header and every
    /// parameter tagged with its source, and the protocol parameters (each once, one source).
    fn parse<'a>(
        &self,
        request: &Request<'a>,
        authorization: Option<&'a str>,
    ) -> Result<Parsed<'a>, VerifyError> {
        validate_method(request.method())?;
        let url = Url::parse(request.url())?;
        let form_body = self.form_body(request)?;

        let header = match authorization {
            Some(value) if is_oauth_scheme(value) => Some(
                parse_authorization_with(
                    value,
                    HeaderLimits {
                        max_len: self.limits.max_header_len,
                        max_params: self.limits.max_params,
                    },
                )
                .map_err(VerifyError::Header)?,
            ),
            _ => None,
        };

        let query = url.query.unwrap_or_default();
        let header_count = header.as_ref().map_or(0, |h| h.params.len());
        let count = max_form_pairs(query) + form_body.map_or(0, max_form_pairs) + header_count;
        if count > self.limits.max_params {
            return Err(VerifyError::TooManyParameters {
                limit: self.limits.max_params,
            });
        }

        // Every parameter, tagged with where it came from.
        let mut all: InlineList<(Source, Param<'_>), INLINE_PARAMS> =
            InlineList::with_capacity(count);
        all.extend(form_pairs(query).map(|p| (Source::Query, p)));
        if let Some(body) = form_body {
            all.extend(form_pairs(body).map(|p| (Source::Body, p)));
        }
        if let Some(h) = &header {
            // §3.4.1.3.1: "The OAuth HTTP Authorization header field (Section 3.5.1) if present.
            // The header's content is parsed into a list of name/value pairs excluding the
            // "realm" parameter if present." Every parameter, then, not only the `oauth_` ones.
            all.extend((0..h.params.len()).map(|i| {
                let value = match h.value(i) {
                    // Mastercard's convention: the text sent is the normalized value.
                    Text::Plain(raw) | Text::Percent(raw) if self.as_sent => Text::AsSent(raw),
                    value => value,
                };
                let p = Param {
                    name: h.name(i),
                    value,
                };
                (Source::Header, p)
            }));
        }

        let protocol = ProtocolParams::collect(all.as_slice())?;
        Ok(Parsed {
            url,
            form_body,
            header,
            all,
            protocol,
        })
    }

    fn form_body<'a>(&self, request: &Request<'a>) -> Result<Option<&'a str>, VerifyError> {
        if !request.has_form_body() {
            return Ok(None);
        }
        let body = request.body().unwrap_or_default();
        if body.len() > self.limits.max_form_body_len {
            return Err(VerifyError::BodyTooLarge {
                limit: self.limits.max_form_body_len,
            });
        }
        Ok(request.form_text()?)
    }

    /// Whether `sent` is the body's hash (draft-eaton-oauth-bodyhash).
    fn body_hash_matches(
        &self,
        method: SignatureMethodName,
        sent: &str,
        body: Option<&[u8]>,
    ) -> Result<bool, VerifyError> {
        // The draft ties the digest to the signature method; some clients (oauthlib) always send
        // SHA-1, accepted only when the provider opts in. The digest a hash was made with shows
        // in its length (28, 44 or 88 characters).
        let method_digest = method.digest().unwrap_or(DigestAlgorithm::Sha1);
        let algorithm = if self.accept_sha1_body_hash && sent.len() == 28 {
            DigestAlgorithm::Sha1
        } else {
            method_digest
        };
        let mut buf = [0u8; 88];
        let n = algorithm.base64_digest_into(body.unwrap_or_default(), &mut buf)?;
        Ok(constant_time_eq(
            buf.get(..n).unwrap_or_default(),
            sent.as_bytes(),
        ))
    }

    /// Recomputes (HMAC, PLAINTEXT) or checks (RSA) the signature; returns whether it matches.
    ///
    /// An unknown client arrives here with a dummy secret and no RSA key: it is checked against
    /// the dummy secret or [`DUMMY_RSA_PUBLIC_KEY`] all the same, so that it takes as long as a
    /// known one, and never matches.
    fn check_signature(
        &self,
        method: SignatureMethodName,
        client: &ClientKeys,
        token_secret: &str,
        base_string: &str,
        signature: &[u8],
    ) -> Result<bool, VerifyError> {
        let signature_text = core::str::from_utf8(signature).unwrap_or_default();
        if method.is_rsa() {
            return match &client.rsa_public_key {
                Some(key) => key
                    .verify(
                        method,
                        base_string.as_bytes(),
                        signature_text,
                        self.allow_small_rsa_keys,
                    )
                    .map_err(VerifyError::Unsupported),
                None => {
                    let dummy = RsaPublicKey::from_der(DUMMY_RSA_PUBLIC_KEY)
                        .map_err(|e| VerifyError::Unsupported(SignatureError::Key(e)))?;
                    // Same work as for a known key; the answer is "no" whatever it says.
                    let _ = dummy.verify(method, base_string.as_bytes(), signature_text, true);
                    Ok(false)
                }
            };
        }
        let client_secret = client.secret.as_deref().map_or("", String::as_str);
        let key = signing_key(client_secret, token_secret);
        if method == SignatureMethodName::Plaintext {
            // PLAINTEXT's signature is the key itself. Comparing digests of both keeps the
            // comparison constant-time in the secrets' length too (a build without any digest
            // compares the texts, which reveals their length).
            let digest = |bytes: &[u8]| {
                let mut out = [0u8; 88];
                DigestAlgorithm::Sha256
                    .base64_digest_into(bytes, &mut out)
                    .or_else(|_| DigestAlgorithm::Sha1.base64_digest_into(bytes, &mut out))
                    .ok()
                    .map(|n| (out, n))
            };
            let same = match (digest(key.as_bytes()), digest(signature)) {
                (Some((a, n)), Some((b, m))) => constant_time_eq(
                    a.get(..n).unwrap_or_default(),
                    b.get(..m).unwrap_or_default(),
                ),
                _ => constant_time_eq(key.as_bytes(), signature),
            };
            let valid = client.secret.is_some() && same;
            return Ok(valid);
        }
        let mut bytes = [0u8; 88];
        let len = HmacKey::new(method, key.as_bytes())
            .map_err(VerifyError::Unsupported)?
            .sign_into(base_string.as_bytes(), &mut bytes);
        let expected = bytes.get(..len).unwrap_or_default();
        Ok(client.secret.is_some() && constant_time_eq(expected, signature))
    }
}

/// A request that passed the checks needing no lookup ([`Verifier::begin`]): step two of a
/// verification takes the client's keys and the token's secret.
pub struct Pending<'a> {
    verifier: &'a Verifier,
    request: &'a Request<'a>,
    authorization_len: usize,
    consumer_key: Cow<'a, str>,
    token: Option<Cow<'a, str>>,
    method: SignatureMethodName,
    signature: Text<'a>,
    timestamp: Option<u64>,
    nonce: Option<Cow<'a, str>>,
    body_hash: Option<Cow<'a, str>>,
    now: u64,
    parsed: Parsed<'a>,
}

impl fmt::Debug for Pending<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending")
            .field("consumer_key", &self.consumer_key)
            .field("token", &self.token)
            .field("signature_method", &self.method)
            .field("timestamp", &self.timestamp)
            .field("nonce", &self.nonce)
            .finish_non_exhaustive()
    }
}

impl Pending<'_> {
    /// `oauth_consumer_key`: the client to look up.
    pub fn consumer_key(&self) -> &str {
        &self.consumer_key
    }

    /// `oauth_token`, if the request carries one: the token to look up.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The signature method the request names (allowed by the verifier).
    pub fn signature_method(&self) -> SignatureMethodName {
        self.method
    }

    /// Step two: checks the signature (and the body hash) with what the lookups found: the
    /// client's keys (`None`: no such client) and the token's secret (`None`: no token was sent,
    /// or the token is unknown, expired or not this client's).
    ///
    /// An unknown client or token is checked against a dummy key all the same, so that the answer
    /// takes as long as for a known one; then it is refused.
    pub fn check(
        self,
        client: Option<ClientKeys>,
        token_secret: Option<String>,
    ) -> Result<Checked, VerifyError> {
        let verifier = self.verifier;
        let client_known = client.is_some();
        let token_known = self.token.is_none() || token_secret.is_some();
        let client = client.unwrap_or_else(|| ClientKeys::shared_secret(DUMMY_SECRET));
        let token_secret: Zeroizing<String> = Zeroizing::new(token_secret.unwrap_or_default());
        let Parsed {
            url,
            form_body,
            header,
            all,
            protocol,
        } = self.parsed;

        // One buffer holds the base string and, once verified, every text `Verified` hands out.
        let mut text = base_string_of(
            self.request.method(),
            &url,
            all.as_slice(),
            self.authorization_len + form_body.map_or(0, str::len),
        );
        let base_end = text.len();
        let signature = push_decoded(&mut text, self.signature);
        let check = verifier.check_signature(
            self.method,
            &client,
            &token_secret,
            text.get(..base_end).unwrap_or_default(),
            text.get(signature.start..signature.end)
                .unwrap_or_default()
                .as_bytes(),
        );
        let body_hash_ok = match &self.body_hash {
            Some(sent) => verifier.body_hash_matches(self.method, sent, self.request.body())?,
            None => true,
        };
        let valid = check?;
        let exposed = || {
            verifier.expose_base_string.then(|| {
                Box::new(Exposed {
                    base_string: text.get(..base_end).unwrap_or_default().to_owned(),
                })
            })
        };
        if !client_known || !token_known {
            return Err(if verifier.conceal_unknown_credentials {
                VerifyError::SignatureInvalid(exposed())
            } else if !client_known {
                VerifyError::ConsumerKeyUnknown
            } else {
                VerifyError::TokenRejected
            });
        }
        if !valid || !body_hash_ok {
            return Err(if valid {
                VerifyError::BodyHashInvalid
            } else {
                VerifyError::SignatureInvalid(exposed())
            });
        }

        let params: Vec<(Span, Span)> = all
            .as_slice()
            .iter()
            .filter(|(_, p)| !is_protocol(p.name))
            .map(|&(_, p)| {
                (
                    push_decoded(&mut text, p.name),
                    push_decoded(&mut text, p.value),
                )
            })
            .collect();
        let mut push = |s: &str| push_str(&mut text, s);
        let consumer_key = push(&self.consumer_key);
        let token = self.token.as_deref().map(&mut push);
        let nonce = self.nonce.as_deref().map(&mut push);
        let realm = header.as_ref().and_then(|h| h.realm()).map(&mut push);
        let callback = protocol
            .text(Name::Callback)
            .map(|t| push_decoded(&mut text, t));
        let verifier_param = protocol
            .text(Name::Verifier)
            .map(|t| push_decoded(&mut text, t));
        Ok(Checked {
            verified: Verified {
                text,
                base_end,
                consumer_key,
                token,
                callback,
                verifier: verifier_param,
                realm,
                signature_method: self.method,
                timestamp: self.timestamp,
                nonce,
                params,
                signature,
            },
            expires_at: self.timestamp.map(|ts| ts.saturating_add(verifier.window)),
            now: self.now,
        })
    }
}

/// A request whose signature checked out ([`Pending::check`]); step three records its nonce.
#[derive(Debug)]
pub struct Checked {
    verified: Verified,
    expires_at: Option<u64>,
    now: u64,
}

impl Checked {
    /// The nonce use to record in the [`NonceStore`] (RFC 5849 §3.3), or `None` when the request
    /// carries no nonce and timestamp (PLAINTEXT may omit them).
    pub fn nonce_use(&self) -> Option<NonceUse<'_>> {
        let v = &self.verified;
        match (v.timestamp, v.nonce(), self.expires_at) {
            (Some(timestamp), Some(nonce), Some(expires_at)) => Some(NonceUse {
                consumer_key: v.consumer_key(),
                token: v.token(),
                timestamp,
                nonce,
                expires_at,
                now: self.now,
            }),
            _ => None,
        }
    }

    /// Step three: the verified request, given what the nonce store answered for
    /// [`nonce_use`](Self::nonce_use) (`None` when there was no nonce use to record).
    /// `Ok(false)` is a replay ([`VerifyError::NonceUsed`]); a store that could not answer refuses
    /// the request ([`VerifyError::StoreUnavailable`]), never accepts it.
    pub fn finish(
        self,
        fresh: Option<Result<bool, StoreUnavailable>>,
    ) -> Result<Verified, VerifyError> {
        match (self.nonce_use().is_some(), fresh) {
            (false, _) | (true, Some(Ok(true))) => Ok(self.verified),
            (true, Some(Ok(false))) => Err(VerifyError::NonceUsed),
            (true, Some(Err(StoreUnavailable))) => Err(VerifyError::StoreUnavailable),
            // A nonce that was never recorded cannot be taken as fresh.
            (true, None) => Err(VerifyError::StoreUnavailable),
        }
    }
}

/// Whether verifying a request needs its body (RFC 5849 §3.4.1.3.1): a form body, whose
/// parameters are signed, or an `oauth_body_hash` in the `Authorization` header or the query.
/// Servers that stream bodies read them only then.
///
/// Names are compared decoded, as the verifier reads them (`oauth%5Fbody%5Fhash` is
/// `oauth_body_hash`). When the header or the query cannot be read the answer is yes: reading a
/// body needlessly costs at most the server's body limit, while a wrong no would hand the
/// service a body nobody checked. The verifier refuses a body hash it was not given the body
/// for ([`VerifyError::BodyNotGiven`]), so a server that skips the body on a no stays safe.
///
/// ```
/// use oauth1_core::body_is_signed;
///
/// assert!(body_is_signed(Some("application/x-www-form-urlencoded"), None, None));
/// assert!(!body_is_signed(Some("application/json"), Some("OAuth oauth_consumer_key=\"k\""), None));
/// assert!(body_is_signed(Some("application/json"), Some("OAuth oauth_body_hash=\"2jmj\""), None));
/// assert!(body_is_signed(Some("application/json"), Some("OAuth oauth%5Fbody%5Fhash=\"2jmj\""), None));
/// assert!(body_is_signed(None, None, Some("a=1&oauth%5Fbody_hash=2jmj")));
/// ```
pub fn body_is_signed(
    content_type: Option<&str>,
    authorization: Option<&str>,
    query: Option<&str>,
) -> bool {
    content_type.is_some_and(crate::request::is_form_content_type)
        || authorization.is_some_and(header_names_body_hash)
        || query.is_some_and(query_names_body_hash)
}

/// Whether an `Authorization` value the verifier would read names `oauth_body_hash`.
fn header_names_body_hash(value: &str) -> bool {
    // The verifier reads only the OAuth scheme's parameters (see `parse`).
    if !is_oauth_scheme(value) {
        return false;
    }
    let unbounded = HeaderLimits {
        max_len: usize::MAX,
        max_params: usize::MAX,
    };
    match parse_authorization_with(value, unbounded) {
        Ok(h) => (0..h.params.len()).any(|i| h.name(i).eq_str(Name::BodyHash.as_str())),
        Err(_) => true,
    }
}

/// Whether a query string names `oauth_body_hash`.
fn query_names_body_hash(query: &str) -> bool {
    crate::encoding::validate_escapes(query.as_bytes()).is_err()
        || form_pairs(query).any(|p| p.name.eq_str(Name::BodyHash.as_str()))
}

/// A consumer secret no client has: unknown clients are checked against it so that they take as
/// long as known ones.
const DUMMY_SECRET: &str = "\u{0}oauth1-core unknown client\u{0}";

/// An RSA public key (2048 bits, PKCS#1 DER) no client has: unknown clients signing with an RSA
/// method are checked against it, so that they take as long as known ones. Its private key was
/// thrown away when it was made (`openssl genrsa 2048`).
const DUMMY_RSA_PUBLIC_KEY: &[u8] = &[
    0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xd5, 0x76, 0xd3, 0xef, 0xdf, 0x17, 0x55,
    0xad, 0xb8, 0x56, 0x9f, 0x3b, 0x26, 0x05, 0xe4, 0xcf, 0x73, 0xe6, 0x7d, 0x12, 0x5b, 0xaf, 0xc6,
    0x50, 0xa2, 0xb7, 0x2f, 0x9c, 0xd6, 0xec, 0x58, 0xbe, 0x3f, 0xab, 0x13, 0x58, 0x6d, 0xd3, 0x27,
    0x8a, 0x87, 0x9d, 0x16, 0x0a, 0x07, 0x61, 0x6f, 0x7a, 0x40, 0x32, 0xfb, 0xa7, 0xee, 0xdb, 0x06,
    0x85, 0xd8, 0xce, 0x1c, 0x41, 0x61, 0x24, 0xff, 0x38, 0xad, 0x17, 0xa2, 0xf7, 0xe2, 0xab, 0xa2,
    0x74, 0xde, 0x9b, 0x47, 0xca, 0xca, 0x87, 0xee, 0x8e, 0xd8, 0x7b, 0x5b, 0xbe, 0x42, 0x96, 0x9f,
    0xb6, 0x6b, 0xb6, 0x5c, 0xc9, 0xd2, 0x83, 0xec, 0xe9, 0xdc, 0x40, 0x6b, 0x72, 0x8d, 0x66, 0x72,
    0xf6, 0xf5, 0x0c, 0xb1, 0x9c, 0x20, 0xa6, 0xd2, 0x93, 0x82, 0x45, 0x47, 0xa7, 0x4c, 0xc9, 0xed,
    0x61, 0x0a, 0xe7, 0x91, 0xf2, 0x42, 0xd5, 0x6f, 0xdc, 0x38, 0xf6, 0x03, 0x5c, 0x79, 0x7e, 0x80,
    0xdd, 0x20, 0xa0, 0x0d, 0x97, 0x5f, 0xab, 0xcf, 0x53, 0x1c, 0x7f, 0x38, 0x6b, 0xa1, 0x8e, 0x40,
    0x6c, 0xc0, 0x9a, 0xe4, 0xe3, 0x49, 0x90, 0xb2, 0x8d, 0x35, 0xbe, 0x06, 0x0c, 0x4c, 0xde, 0xfd,
    0xe6, 0xa2, 0x2c, 0xd8, 0x8e, 0x06, 0xaf, 0xcc, 0xf2, 0x8c, 0x38, 0x8d, 0x36, 0x83, 0x77, 0x73,
    0xae, 0xcf, 0xb4, 0xfb, 0x06, 0x95, 0xea, 0x75, 0x3c, 0x83, 0x93, 0xc7, 0xb2, 0xd4, 0x81, 0xde,
    0xa5, 0x08, 0x36, 0xb8, 0xa7, 0xee, 0x0d, 0x9d, 0x3c, 0x17, 0x86, 0x62, 0x76, 0xe2, 0x60, 0xb1,
    0xec, 0x5b, 0x65, 0x58, 0x77, 0x48, 0xcc, 0x77, 0xe8, 0xc2, 0x88, 0x9f, 0xbd, 0xd3, 0x59, 0xd9,
    0xca, 0xde, 0x21, 0x27, 0x4b, 0x83, 0x93, 0xd6, 0x1d, 0xcb, 0x52, 0x96, 0x35, 0x95, 0xb0, 0x6f,
    0x5e, 0xe4, 0x4d, 0xb3, 0x3d, 0x79, 0x94, 0x81, 0x5b, 0x02, 0x03, 0x01, 0x00, 0x01,
];

/// A request parsed for verification.
struct Parsed<'a> {
    url: Url<'a>,
    form_body: Option<&'a str>,
    header: Option<AuthorizationHeader<'a>>,
    all: InlineList<(Source, Param<'a>), INLINE_PARAMS>,
    protocol: ProtocolParams<'a>,
}

/// The signature base string of a parsed request: every parameter but `oauth_signature`; with
/// room for `extra` more bytes.
fn base_string_of(
    method: &str,
    url: &Url<'_>,
    all: &[(Source, Param<'_>)],
    extra: usize,
) -> String {
    let mut base_params: InlineList<Param<'_>, INLINE_PARAMS> =
        InlineList::with_capacity(all.len());
    base_params.extend(
        all.iter()
            .filter(|(_, p)| !p.name.eq_str(Name::Signature.as_str()))
            .map(|&(_, p)| p),
    );
    let base_params = base_params.as_mut_slice();
    params::sort(base_params);
    let raw_len: usize = base_params
        .iter()
        .map(|p| p.name.raw().len() + p.value.raw().len() + 2)
        .sum();
    let mut base_string = String::with_capacity(
        method.len() + 3 * url.without_fragment.len() + 3 * raw_len + 16 + extra,
    );
    write_base_string(method, url, base_params, &mut base_string);
    base_string
}

/// A request as [`Verifier::inspect`] parsed it: its protocol parameters and the signature base
/// string a provider computes. Nothing in it has been checked.
///
/// `Debug` hides `oauth_signature` (with PLAINTEXT it is the secrets themselves).
#[derive(Clone, PartialEq, Eq)]
pub struct Inspected {
    params: Vec<(String, String)>,
    realm: Option<String>,
    base_string: String,
}

impl Inspected {
    /// The protocol parameters (`oauth_*`), decoded, in the order sent; `oauth_signature`
    /// included. Not secret: they travel in the clear.
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// One protocol parameter, decoded.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `Authorization` header's realm, if any.
    pub fn realm(&self) -> Option<&str> {
        self.realm.as_deref()
    }

    /// The signature base string (RFC 5849 §3.4.1) of the request, as a provider computes it.
    pub fn base_string(&self) -> &str {
        &self.base_string
    }
}

fn is_oauth_scheme(value: &str) -> bool {
    value
        .trim_start()
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("oauth"))
}

/// The decoded value as text (invalid UTF-8 replaced), borrowed when nothing needed decoding.
fn lossy(t: Text<'_>) -> Cow<'_, str> {
    match t {
        Text::Plain(s) | Text::Verbatim(s) => Cow::Borrowed(s),
        Text::Form(_) | Text::Percent(_) | Text::AsSent(_) => {
            Cow::Owned(String::from_utf8_lossy(&t.decoded()).into_owned())
        }
    }
}

fn parse_timestamp(t: &str) -> Result<u64, VerifyError> {
    if t.is_empty() || t.len() > 19 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::ParameterRejected {
            name: Name::Timestamp.as_str(),
        });
    }
    t.parse().map_err(|_| VerifyError::ParameterRejected {
        name: Name::Timestamp.as_str(),
    })
}

fn method_index(m: SignatureMethodName) -> usize {
    SignatureMethodName::ALL
        .iter()
        .position(|&x| x == m)
        .unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Source {
    #[default]
    Query,
    Body,
    Header,
}

/// The protocol parameters of a request, each at most once and all from one place. They stay
/// borrowed from the request: values are decoded only when one is needed.
struct ProtocolParams<'a> {
    known: [Option<Text<'a>>; Name::ALL.len()],
}

impl<'a> ProtocolParams<'a> {
    fn collect(all: &[(Source, Param<'a>)]) -> Result<Self, VerifyError> {
        let mut known = [None; Name::ALL.len()];
        let mut source = None;
        for (i, &(from, p)) in all.iter().enumerate() {
            if !is_protocol(p.name) {
                continue;
            }
            if source.is_some_and(|s| s != from) {
                return Err(VerifyError::ProtocolParametersSplit);
            }
            source = Some(from);
            let duplicate = match Name::of(p.name) {
                Some(name) => known
                    .get_mut(name.index())
                    .is_some_and(|v| v.replace(p.value).is_some()),
                // Other `oauth_` names are rare: compare them with the ones before.
                None => all
                    .get(..i)
                    .unwrap_or_default()
                    .iter()
                    .any(|(_, q)| q.name.same_decoded(p.name)),
            };
            if duplicate {
                return Err(VerifyError::DuplicateParameter(lossy(p.name).into_owned()));
            }
        }
        Ok(ProtocolParams { known })
    }

    /// A parameter's value, still in its transfer encoding.
    fn text(&self, name: Name) -> Option<Text<'a>> {
        self.known.get(name.index()).copied().flatten()
    }

    fn required(&self, name: Name) -> Result<Text<'a>, VerifyError> {
        self.text(name).ok_or(VerifyError::ParameterAbsent {
            name: name.as_str(),
        })
    }
}

/// Appends `&name=` to a problem report.
fn push_field(name: &str, out: &mut String) {
    out.push('&');
    out.push_str(name);
    out.push('=');
}

/// A request that passed verification: who signed it and what it carried.
///
/// Every text lives in one buffer (the base string first), so a `Verified` costs two
/// allocations whatever the request carries.
#[derive(Clone, PartialEq, Eq)]
pub struct Verified {
    text: String,
    base_end: usize,
    consumer_key: Span,
    token: Option<Span>,
    callback: Option<Span>,
    verifier: Option<Span>,
    realm: Option<Span>,
    signature_method: SignatureMethodName,
    timestamp: Option<u64>,
    nonce: Option<Span>,
    params: Vec<(Span, Span)>,
    signature: Span,
}

/// Where one text of a [`Verified`] lies in its buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn of(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// Appends `s` to `text`; returns where it went.
fn push_str(text: &mut String, s: &str) -> Span {
    let start = text.len();
    text.push_str(s);
    Span {
        start,
        end: text.len(),
    }
}

/// Appends the decoded value of `t` to `text` (invalid UTF-8 replaced, as
/// `String::from_utf8_lossy` does); returns where it went.
fn push_decoded(text: &mut String, t: Text<'_>) -> Span {
    let start = text.len();
    match t {
        Text::Plain(s) | Text::Verbatim(s) => text.push_str(s),
        Text::Form(_) | Text::Percent(_) | Text::AsSent(_) => {
            let mut bytes = t.bytes();
            // ASCII (nearly every protocol value) goes straight in; the rest, from the first
            // non-ASCII byte, through the lossy conversion.
            while let Some(b) = bytes.next() {
                if b.is_ascii() {
                    text.push(char::from(b));
                } else {
                    let rest: Vec<u8> = core::iter::once(b).chain(bytes).collect();
                    text.push_str(&String::from_utf8_lossy(&rest));
                    break;
                }
            }
        }
    }
    Span {
        start,
        end: text.len(),
    }
}

impl Verified {
    fn get(&self, span: Span) -> &str {
        span.of(&self.text)
    }
    /// The client's `oauth_consumer_key`.
    pub fn consumer_key(&self) -> &str {
        self.get(self.consumer_key)
    }
    /// The `oauth_token`, if the request carried one.
    pub fn token(&self) -> Option<&str> {
        self.token.map(|s| self.get(s))
    }
    /// The `oauth_callback` (temporary-credential requests).
    pub fn callback(&self) -> Option<&str> {
        self.callback.map(|s| self.get(s))
    }
    /// The `oauth_verifier` (token requests).
    pub fn verifier(&self) -> Option<&str> {
        self.verifier.map(|s| self.get(s))
    }
    /// The header's `realm`, if any.
    pub fn realm(&self) -> Option<&str> {
        self.realm.map(|s| self.get(s))
    }
    /// The signature method used.
    pub fn signature_method(&self) -> SignatureMethodName {
        self.signature_method
    }
    /// The `oauth_timestamp` (absent only with PLAINTEXT).
    pub fn timestamp(&self) -> Option<u64> {
        self.timestamp
    }
    /// The `oauth_nonce` (absent only with PLAINTEXT).
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.map(|s| self.get(s))
    }
    /// The request's other parameters (query and form body), decoded, in the order received.
    ///
    /// ```
    /// # use oauth1_core::Verified;
    /// fn page(verified: &Verified) -> Option<&str> {
    ///     verified.params().find(|&(name, _)| name == "page").map(|(_, value)| value)
    /// }
    /// ```
    pub fn params(&self) -> Params<'_> {
        Params {
            text: &self.text,
            spans: self.params.iter(),
        }
    }
    /// The value of the first parameter (query or form body) called `name`, decoded.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params().find(|&(n, _)| n == name).map(|(_, v)| v)
    }
    /// The signature base string the provider computed.
    pub fn base_string(&self) -> &str {
        self.text.get(..self.base_end).unwrap_or_default()
    }
    /// The verified `oauth_signature`.
    pub fn signature(&self) -> &str {
        self.get(self.signature)
    }
}

/// The parameters of a [`Verified`] request: `(name, value)` pairs, decoded, in the order received.
#[derive(Clone)]
pub struct Params<'a> {
    text: &'a str,
    spans: core::slice::Iter<'a, (Span, Span)>,
}

impl<'a> Iterator for Params<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let &(name, value) = self.spans.next()?;
        Some((name.of(self.text), value.of(self.text)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.spans.size_hint()
    }
}

impl DoubleEndedIterator for Params<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let &(name, value) = self.spans.next_back()?;
        Some((name.of(self.text), value.of(self.text)))
    }
}

impl ExactSizeIterator for Params<'_> {}

impl core::iter::FusedIterator for Params<'_> {}

impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

impl fmt::Debug for Inspected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(n, v)| {
                let shown = if n == Name::Signature.as_str() {
                    "<hidden>"
                } else {
                    v.as_str()
                };
                (n.as_str(), shown)
            })
            .collect();
        f.debug_struct("Inspected")
            .field("params", &params)
            .field("realm", &self.realm)
            .field("base_string", &self.base_string)
            .finish()
    }
}

impl fmt::Debug for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("consumer_key", &self.consumer_key())
            .field("token", &self.token())
            .field("signature_method", &self.signature_method)
            .field("timestamp", &self.timestamp)
            .field("nonce", &self.nonce())
            .field("realm", &self.realm())
            .field("params", &self.params())
            .finish_non_exhaustive()
    }
}

/// What the provider computed, exposed on `signature_invalid` when
/// [`Verifier::expose_base_string`] is on.
///
/// It holds the base string only, never the signature the provider expected: that would be a
/// valid signature of the caller's own, still unused request, readable wherever errors are
/// logged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Exposed {
    /// The signature base string the provider computed.
    pub base_string: String,
}

/// An `oauth_problem` code (OAuth Problem Reporting extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Problem {
    /// A required parameter is missing.
    ParameterAbsent,
    /// A parameter is malformed, duplicated, misplaced or too large.
    ParameterRejected,
    /// The signature method is unknown or not allowed.
    SignatureMethodRejected,
    /// `oauth_version` is not `1.0`.
    VersionRejected,
    /// The provider cannot check the request now (its nonce store is down): try again later.
    /// Not in the Problem Reporting extension; answered with HTTP 503.
    TemporarilyUnavailable,
    /// The timestamp is outside the window.
    TimestampRefused,
    /// The nonce was used before with this client, token and timestamp.
    NonceUsed,
    /// No client has this consumer key.
    ConsumerKeyUnknown,
    /// The token is unknown, expired, revoked or not this client's.
    TokenRejected,
    /// The signature does not match.
    SignatureInvalid,
    /// The resource owner has not decided yet whether to grant the client access: the client
    /// asked for token credentials (§2.3) with temporary credentials that are not authorized yet.
    /// Not produced by [`Verifier`]; a provider's token endpoint answers it (HTTP 401).
    PermissionUnknown,
    /// The resource owner refused to grant the client access (§2.2). Not produced by
    /// [`Verifier`]; a provider's token endpoint answers it (HTTP 401).
    PermissionDenied,
}

impl Problem {
    /// The code as sent in `oauth_problem`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Problem::ParameterAbsent => "parameter_absent",
            Problem::ParameterRejected => "parameter_rejected",
            Problem::SignatureMethodRejected => "signature_method_rejected",
            Problem::VersionRejected => "version_rejected",
            Problem::TimestampRefused => "timestamp_refused",
            Problem::NonceUsed => "nonce_used",
            Problem::ConsumerKeyUnknown => "consumer_key_unknown",
            Problem::TokenRejected => "token_rejected",
            Problem::SignatureInvalid => "signature_invalid",
            Problem::TemporarilyUnavailable => "temporarily_unavailable",
            Problem::PermissionUnknown => "permission_unknown",
            Problem::PermissionDenied => "permission_denied",
        }
    }

    /// The form-encoded body that reports this problem: `oauth_problem=<code>`, then each of
    /// `fields` as `&name=value`, both percent-encoded (§3.6). The extension's fields are
    /// `oauth_parameters_absent` and `oauth_parameters_rejected` (parameter names),
    /// `oauth_acceptable_timestamps` and `oauth_problem_advice`.
    ///
    /// ```
    /// use oauth1_core::Problem;
    ///
    /// assert_eq!(Problem::PermissionUnknown.response_body(&[]), "oauth_problem=permission_unknown");
    /// assert_eq!(
    ///     Problem::ParameterAbsent.response_body(&[("oauth_parameters_absent", "oauth_callback")]),
    ///     "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_callback",
    /// );
    /// ```
    pub fn response_body(self, fields: &[(&str, &str)]) -> String {
        let mut out = String::from(PROBLEM);
        out.push('=');
        out.push_str(self.as_str());
        for (name, value) in fields {
            out.push('&');
            encode_into(name, &mut out);
            out.push('=');
            encode_into(value, &mut out);
        }
        out
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request failed verification.
#[derive(Debug)]
#[non_exhaustive]
pub enum VerifyError {
    /// The method, URL or body is malformed (400 `parameter_rejected`).
    Request(RequestError),
    /// The `Authorization` header is malformed or over the limits (400 `parameter_rejected`).
    Header(crate::HeaderError),
    /// More parameters than [`VerifyLimits::max_params`] (400 `parameter_rejected`).
    TooManyParameters {
        /// The limit.
        limit: usize,
    },
    /// A form body larger than [`VerifyLimits::max_form_body_len`] (400 `parameter_rejected`).
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A protocol parameter appears more than once (400 `parameter_rejected`).
    DuplicateParameter(String),
    /// Protocol parameters were sent in more than one place (header, query, body) (400
    /// `parameter_rejected`).
    ProtocolParametersSplit,
    /// A required protocol parameter is missing (400 `parameter_absent`).
    ParameterAbsent {
        /// Its name.
        name: &'static str,
    },
    /// A protocol parameter's value is malformed (400 `parameter_rejected`).
    ParameterRejected {
        /// Its name.
        name: &'static str,
    },
    /// The signature method is unknown or not allowed (400 `signature_method_rejected`).
    SignatureMethodRejected,
    /// The signature method cannot be checked in this build or with this key (400
    /// `signature_method_rejected`).
    Unsupported(SignatureError),
    /// `oauth_version` is present and not `1.0` (400 `version_rejected`).
    VersionRejected,
    /// The timestamp is outside the window (401 `timestamp_refused`).
    TimestampRefused {
        /// The earliest timestamp accepted now.
        earliest: u64,
        /// The latest timestamp accepted now.
        latest: u64,
    },
    /// The nonce was used before (401 `nonce_used`).
    NonceUsed,
    /// Unknown consumer key (401 `consumer_key_unknown`).
    ConsumerKeyUnknown,
    /// Unknown or invalid token (401 `token_rejected`).
    TokenRejected,
    /// The signature does not match (401 `signature_invalid`); carries what the provider computed
    /// when [`Verifier::expose_base_string`] is on.
    SignatureInvalid(Option<Box<Exposed>>),
    /// `oauth_body_hash` does not match the body (401 `signature_invalid`).
    BodyHashInvalid,
    /// The nonce store could not answer, so the request was not accepted (503
    /// `temporarily_unavailable`; answer with `Retry-After`).
    StoreUnavailable,
    /// The request carries `oauth_body_hash`, but the verifier was not given its body
    /// ([`Request`] without a body): nothing to check the hash against (400
    /// `parameter_rejected`). A server that reads bodies only when [`body_is_signed`] says so
    /// never meets it.
    BodyNotGiven,
}

impl VerifyError {
    /// The `oauth_problem` code.
    pub fn problem(&self) -> Problem {
        match self {
            VerifyError::Request(_)
            | VerifyError::Header(_)
            | VerifyError::TooManyParameters { .. }
            | VerifyError::BodyTooLarge { .. }
            | VerifyError::DuplicateParameter(_)
            | VerifyError::ProtocolParametersSplit
            | VerifyError::ParameterRejected { .. }
            | VerifyError::BodyNotGiven => Problem::ParameterRejected,
            VerifyError::ParameterAbsent { .. } => Problem::ParameterAbsent,
            VerifyError::SignatureMethodRejected | VerifyError::Unsupported(_) => {
                Problem::SignatureMethodRejected
            }
            VerifyError::VersionRejected => Problem::VersionRejected,
            VerifyError::TimestampRefused { .. } => Problem::TimestampRefused,
            VerifyError::NonceUsed => Problem::NonceUsed,
            VerifyError::ConsumerKeyUnknown => Problem::ConsumerKeyUnknown,
            VerifyError::TokenRejected => Problem::TokenRejected,
            VerifyError::SignatureInvalid(_) | VerifyError::BodyHashInvalid => {
                Problem::SignatureInvalid
            }
            VerifyError::StoreUnavailable => Problem::TemporarilyUnavailable,
        }
    }

    /// The HTTP status RFC 5849 §3.2 asks for: 400 or 401 (and 503 when the provider's nonce store
    /// cannot answer).
    pub fn status(&self) -> u16 {
        match self.problem() {
            Problem::TemporarilyUnavailable => 503,
            Problem::ParameterAbsent
            | Problem::ParameterRejected
            | Problem::SignatureMethodRejected
            | Problem::VersionRejected => 400,
            _ => 401,
        }
    }

    /// The form-encoded response body: `oauth_problem=…`, with `oauth_parameters_absent`,
    /// `oauth_acceptable_timestamps` or `oauth_signature_base_string` where they apply.
    pub fn response_body(&self) -> String {
        let mut out = self.problem().response_body(&[]);
        match self {
            VerifyError::ParameterAbsent { name } => {
                push_field(PARAMETERS_ABSENT, &mut out);
                out.push_str(name);
            }
            VerifyError::DuplicateParameter(name) => {
                push_field(PARAMETERS_REJECTED, &mut out);
                encode_into(name, &mut out);
            }
            VerifyError::ParameterRejected { name } => {
                push_field(PARAMETERS_REJECTED, &mut out);
                out.push_str(name);
            }
            VerifyError::TimestampRefused { earliest, latest } => {
                push_field(ACCEPTABLE_TIMESTAMPS, &mut out);
                crate::base_string::push_decimal(*earliest, &mut out);
                out.push_str("%2D");
                crate::base_string::push_decimal(*latest, &mut out);
            }
            VerifyError::SignatureInvalid(Some(exposed)) => {
                push_field(SIGNATURE_BASE_STRING, &mut out);
                encode_into(&exposed.base_string, &mut out);
            }
            _ => {}
        }
        out
    }

    /// The `WWW-Authenticate` header value for a 401: `OAuth realm="…"`.
    pub fn www_authenticate(realm: &str) -> String {
        let mut out = String::with_capacity(realm.len() + 14);
        crate::header::write_authorization(
            Some(realm),
            core::iter::empty(),
            core::iter::empty(),
            &mut out,
        );
        out
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Request(e) => write!(f, "parameter_rejected: {e}"),
            VerifyError::Header(e) => write!(f, "parameter_rejected: {e}"),
            VerifyError::TooManyParameters { limit } => {
                write!(f, "parameter_rejected: more than {limit} request parameters")
            }
            VerifyError::BodyTooLarge { limit } => {
                write!(f, "parameter_rejected: form body larger than {limit} bytes")
            }
            VerifyError::DuplicateParameter(name) => {
                write!(f, "parameter_rejected: protocol parameter {name:?} appears more than once")
            }
            VerifyError::ProtocolParametersSplit => f.write_str(
                "parameter_rejected: protocol parameters were sent in more than one place (header, query, body)",
            ),
            VerifyError::ParameterAbsent { name } => write!(f, "parameter_absent: {name} is missing"),
            VerifyError::ParameterRejected { name } => write!(f, "parameter_rejected: {name} is malformed"),
            VerifyError::SignatureMethodRejected => {
                f.write_str("signature_method_rejected: the signature method is unknown or not allowed")
            }
            VerifyError::Unsupported(e) => write!(f, "signature_method_rejected: {e}"),
            VerifyError::VersionRejected => f.write_str("version_rejected: oauth_version must be 1.0"),
            VerifyError::TimestampRefused { earliest, latest } => write!(
                f,
                "timestamp_refused: oauth_timestamp must be between {earliest} and {latest}"
            ),
            VerifyError::NonceUsed => f.write_str("nonce_used: this nonce was already used"),
            VerifyError::ConsumerKeyUnknown => f.write_str("consumer_key_unknown: no client has this consumer key"),
            VerifyError::TokenRejected => f.write_str("token_rejected: the token is unknown or not valid for this client"),
            VerifyError::SignatureInvalid(_) => f.write_str("signature_invalid: the signature does not match"),
            VerifyError::BodyHashInvalid => {
                f.write_str("signature_invalid: oauth_body_hash does not match the body")
            }
            VerifyError::StoreUnavailable => f.write_str(
                "temporarily_unavailable: the nonce store cannot answer, so the request was not accepted",
            ),
            VerifyError::BodyNotGiven => f.write_str(
                "parameter_rejected: the request carries oauth_body_hash, but the verifier was not given its body",
            ),
        }
    }
}

impl core::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            VerifyError::Request(e) => Some(e),
            VerifyError::Header(e) => Some(e),
            VerifyError::Unsupported(e) => Some(e),
            _ => None,
        }
    }
}

impl From<RequestError> for VerifyError {
    fn from(e: RequestError) -> Self {
        VerifyError::Request(e)
    }
}

impl From<SignatureError> for VerifyError {
    fn from(e: SignatureError) -> Self {
        VerifyError::Unsupported(e)
    }
}
