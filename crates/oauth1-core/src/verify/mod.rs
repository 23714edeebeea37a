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

use alloc::borrow::ToOwned;

use crate::crypto::{CryptoProvider, default_provider};
use crate::header::{HeaderLimits, parse_authorization_with};
use crate::params::form_pairs;
use crate::protocol::{Name, is_protocol};
use crate::request::Request;
use crate::signature::{MethodSet, SignatureMethodName};

mod async_steps;
mod check;
mod error;
mod fixed;
#[cfg(feature = "std")]
mod key_cache;
mod method;
mod parse;
mod pending;
mod stores;
mod verified;

use crate::problem::Problem;
pub use error::VerifyError;
pub use fixed::FixedCredentials;
pub use method::VerifyMethod;
use method::{CustomMethods, MethodRef};
use parse::*;
use pending::Head;
pub use pending::{Checked, Pending};
pub use stores::{
    ClientKeys, CredentialStore, NonceStore, NonceUse, StoreUnavailable, VerifyLimits,
};
use verified::*;
pub use verified::{Exposed, Inspected, Params, Verified};

/// Checks signed requests per RFC 5849 §3.2.
///
/// ```
/// # #[cfg(all(feature = "sha1", feature = "std"))] {
/// use oauth1_core::server::{ClientKeys, InMemoryNonceStore};
/// use oauth1_core::{
///     ClientCredentials, CredentialStore, Request, SignatureMethodName, Signer, Verifier,
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
/// let signed = signer.sign(&request, "n0nce", 1_700_000_000).unwrap();
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
    allowed: MethodSet,
    custom: CustomMethods,
    crypto: &'static CryptoProvider,
    window: u64,
    limits: VerifyLimits,
    expose_base_string: bool,
    allow_small_rsa_keys: bool,
    accept_sha1_body_hash: bool,
    conceal_unknown_credentials: bool,
    as_sent: bool,
    /// Keyed HMACs kept between verifications, shared by clones ([`cache_keys`](Self::cache_keys)).
    #[cfg(feature = "std")]
    key_cache: Option<alloc::sync::Arc<key_cache::KeyCache>>,
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Verifier {
    /// Allows the HMAC and RSA methods (not PLAINTEXT), a ±300 s timestamp window, default limits.
    pub fn new() -> Self {
        Verifier {
            allowed: MethodSet::of(SignatureMethodName::ALL)
                .without(SignatureMethodName::Plaintext),
            custom: CustomMethods::default(),
            crypto: default_provider(),
            window: 300,
            limits: VerifyLimits::default(),
            expose_base_string: false,
            allow_small_rsa_keys: false,
            accept_sha1_body_hash: false,
            conceal_unknown_credentials: false,
            as_sent: false,
            #[cfg(feature = "std")]
            key_cache: None,
        }
    }

    /// Accepts exactly these built-in signature methods (custom ones stay accepted).
    #[must_use]
    pub fn allow_methods(mut self, methods: &[SignatureMethodName]) -> Self {
        self.allowed = MethodSet::of(methods);
        self
    }

    /// Computes every digest, HMAC and RSA check with `provider` instead of the
    /// [default provider](crate::crypto::default_provider).
    #[must_use]
    pub fn crypto_provider(mut self, provider: &'static CryptoProvider) -> Self {
        self.crypto = provider;
        self
    }

    /// Accepts a signature method this crate does not ship, checked by `method` (see
    /// [`VerifyMethod`]). A method with a built-in name replaces the built-in check for that name
    /// (and is accepted whatever [`allow_methods`](Self::allow_methods) says); a second method of
    /// the same name replaces the first.
    #[must_use]
    pub fn custom_method(mut self, method: impl VerifyMethod + 'static) -> Self {
        self.custom.add(alloc::sync::Arc::new(method));
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

    /// Keeps up to `slots` keyed HMACs between verifications (`0`, the default: none), so that
    /// the next request of the same client and token skips keying its HMAC: two digest
    /// compressions, four when both secrets together are longer than the digest's block (64
    /// bytes for SHA-1) — about a sixth of an HMAC-SHA1 verification. Clones of the verifier
    /// share the cache. Only a key whose signature matched, for a known client, is kept (a
    /// request signed without the secrets never puts anything here); a slot holds one key, taken
    /// by a keyed hash, and the newest key to need a slot replaces the one there. Keys are wiped
    /// when replaced and when the last clone is dropped; secrets that change in the store are
    /// keys of their own, so a rotated secret never verifies from the cache.
    ///
    /// What it costs: memory (a slot holds both encoded secrets and the keyed HMAC's state, a
    /// few hundred bytes), and a timing difference. A verification from the cache is faster,
    /// which tells someone who times the provider's answers that this client (and token) has
    /// verified successfully lately. Unknown clients and tokens still take the same time as
    /// known ones that are not cached. Leave it off when that is worth hiding. HMAC methods
    /// only (RSA verification keys nothing per request; PLAINTEXT and custom methods are not
    /// cached).
    ///
    /// A busy slot is never waited for (that verification keys its HMAC as without the cache).
    #[cfg(feature = "std")]
    #[must_use]
    pub fn cache_keys(mut self, slots: usize) -> Self {
        self.key_cache =
            (slots > 0).then(|| alloc::sync::Arc::new(key_cache::KeyCache::new(slots)));
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

    /// Reads requests the way Mastercard's gateway does, and so accepts what Mastercard's
    /// signers sign (default: off, RFC 5849 §3.4.1.3.2). See
    /// [`Signer::with_values_as_sent`](crate::Signer::with_values_as_sent).
    ///
    /// The `Authorization` header's values are their own normalized form, encoded once in the
    /// signature base string (the RFC decodes, encodes, and encodes again). A client that encodes
    /// its header values the RFC way (`%2B` for `+`) signs the same base string under both
    /// readings, so such clients keep verifying; only one that sends needless or lower-case
    /// escapes (`%7E`, `%2b`) fails under this one.
    ///
    /// The query is read as Java's `OAuth.extractQueryParams` reads it: a query without a percent
    /// escape is taken as written (`colon:value`, a literal `plus+value`), encoded once; a query
    /// with one is decoded with `+` a plus sign. An RFC client whose query holds reserved
    /// characters unescaped, or a `+`, signs another base string and is refused
    /// (`signature_invalid`); [`Verified::params`] gives the values as signed (`+` a plus sign).
    ///
    /// Only requests with the protocol parameters in the header are read this way (Mastercard's
    /// signers use no other placement); form bodies keep the RFC reading.
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
        let _span = crate::trace::verify(request.method(), request.url());
        let result = self.verify_steps(request, authorization, credentials, nonces, now);
        trace_outcome(&result);
        result
    }

    /// [`verify`](Self::verify)'s steps.
    fn verify_steps<C, N>(
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
        // Step one as `begin`, its two results kept where they are made (no `Pending` to move,
        // the parse written in place).
        let mut parsed = parse::Parsed::empty();
        self.parse_into(request, authorization, &mut parsed)?;
        let head = self.head(request, authorization, &parsed, now)?;
        let client = credentials.client(&head.consumer_key);
        let token_secret =
            (head.token.as_deref()).and_then(|t| credentials.token_secret(&head.consumer_key, t));
        let checked = head.check(&parsed, client, token_secret)?;
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
    /// use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer, Verifier};
    /// use oauth1_core::server::ClientKeys;
    ///
    /// let signer = Signer::new(SignatureMethodName::HmacSha1, &ClientCredentials::new("client", "secret"), None).unwrap();
    /// let request = Request::new("GET", "https://api.example.com/items");
    /// let signed = signer.sign(&request, "n0nce", 1_700_000_000).unwrap();
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
        let head = self.head(request, authorization, &parsed, now)?;
        Ok(Pending { head, parsed })
    }

    /// What [`begin`](Self::begin) reads of a parsed request, and checks without a lookup.
    fn head<'a>(
        &'a self,
        request: &'a Request<'a>,
        authorization: Option<&'a str>,
        parsed: &Parsed<'a>,
        now: u64,
    ) -> Result<Head<'a>, VerifyError> {
        let protocol = &parsed.protocol;
        let consumer_key = protocol.required(Name::ConsumerKey)?;
        let method_name = protocol.required(Name::SignatureMethod)?;
        let signature = protocol.required(Name::Signature)?;
        let method = self.resolve_method(&lossy(method_name))?;
        if let Some(version) = protocol.text(Name::Version)
            && !version.eq_str("1.0")
        {
            return Err(VerifyError::VersionRejected);
        }
        let plaintext = method.builtin() == Some(SignatureMethodName::Plaintext);
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
        Ok(Head {
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
            base_string: base_string_of(
                request.method(),
                &parsed.url,
                parsed.all.as_slice(),
                &parsed.protocol,
                0,
            ),
            realm: parsed.realm.as_deref().map(ToOwned::to_owned),
            params: parsed
                .all
                .as_slice()
                .iter()
                .filter(|(_, p)| is_protocol(p.name))
                .map(|&(_, p)| (lossy(p.name).into_owned(), lossy(p.value).into_owned()))
                .collect(),
        })
    }

    /// The method called `name`: a registered custom one first, then an allowed built-in one.
    fn resolve_method(&self, name: &str) -> Result<MethodRef<'_>, VerifyError> {
        if let Some(custom) = self.custom.find(name) {
            return Ok(MethodRef::Custom(custom));
        }
        match name.parse::<SignatureMethodName>() {
            Ok(method) if self.allowed.contains(method) => Ok(MethodRef::Builtin(method)),
            _ => Err(VerifyError::SignatureMethodRejected),
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
/// use oauth1_core::server::body_is_signed;
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
        Ok(h) => (0..h.params.as_slice().len()).any(|i| h.name(i).eq_str(Name::BodyHash.as_str())),
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
pub(super) const DUMMY_SECRET: &str = "\u{0}oauth1-core unknown client\u{0}";

/// An RSA public key (2048 bits, PKCS#1 DER) no client has: unknown clients signing with an RSA
/// method are checked against it, so that they take as long as known ones. Its private key was
/// thrown away when it was made (`openssl genrsa 2048`).
pub(super) const DUMMY_RSA_PUBLIC_KEY: &[u8] = &[
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

/// What a verification's span records of its outcome (feature `tracing`).
pub(crate) fn trace_outcome(result: &Result<Verified, VerifyError>) {
    match result {
        Ok(verified) => {
            crate::trace::verified(verified.consumer_key(), verified.signature_method());
        }
        Err(e) => crate::trace::refused(e.problem().as_str(), e),
    }
}
