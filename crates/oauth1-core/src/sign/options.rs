//! Signing options: where the protocol parameters go and which optional ones are sent.

use alloc::borrow::Cow;
use core::fmt;

use crate::signature::DigestAlgorithm;

/// Where the protocol parameters go (RFC 5849 §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Placement {
    /// The `Authorization: OAuth …` header (§3.5.1), the recommended placement.
    #[default]
    Header,
    /// The request URI's query (§3.5.3).
    Query,
    /// An `application/x-www-form-urlencoded` entity-body (§3.5.2).
    Body,
}

impl Placement {
    /// The placement's name: `header`, `query` or `body`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Placement::Header => "header",
            Placement::Query => "query",
            Placement::Body => "body",
        }
    }
}

impl core::str::FromStr for Placement {
    type Err = UnknownPlacement;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Placement::Header, Placement::Query, Placement::Body]
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
            .ok_or(UnknownPlacement)
    }
}

/// A placement name other than `header`, `query` and `body`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownPlacement;

impl fmt::Display for UnknownPlacement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown placement: expected header, query or body")
    }
}

impl core::error::Error for UnknownPlacement {}

/// What to sign and how: placement, realm, callback, verifier, `oauth_version`, body hash and
/// extra protocol parameters.
///
/// One type for one request (borrowed values; building one never allocates) and for what an
/// HTTP-client adapter keeps across requests: [`SignConfig`] is `SignOptions<'static>`, with an
/// owned realm if it has one, and [`options_for`](Self::options_for) turns it into one request's
/// options.
///
/// ```
/// use oauth1_core::{Placement, SignOptions};
///
/// let options = SignOptions::new()
///     .placement(Placement::Header)
///     .realm("Photos")
///     .callback("http://printer.example.com/ready");
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions<'a> {
    pub(super) placement: Placement,
    pub(super) realm: Option<Cow<'a, str>>,
    pub(super) callback: Option<&'a str>,
    pub(super) verifier: Option<&'a str>,
    pub(super) version: bool,
    pub(super) body_hash: Option<Option<DigestAlgorithm>>,
    pub(super) as_sent: bool,
    pub(super) extra: &'a [(&'a str, &'a str)],
}

impl Default for SignOptions<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> SignOptions<'a> {
    /// Header placement, `oauth_version="1.0"`, nothing else.
    pub const fn new() -> Self {
        SignOptions {
            placement: Placement::Header,
            realm: None,
            callback: None,
            verifier: None,
            version: true,
            body_hash: None,
            as_sent: false,
            extra: &[],
        }
    }

    /// Mastercard's APIs: a SHA-256 `oauth_body_hash` on every request (a GET hashes the empty
    /// body), and the protocol values as Mastercard's signers send them
    /// ([`protocol_values_as_sent`](Self::protocol_values_as_sent)). Sign with RSA-SHA256 or
    /// RSA-PSS; docs/providers.md has the whole recipe.
    ///
    /// ```
    /// use oauth1_core::SignOptions;
    ///
    /// assert_eq!(
    ///     SignOptions::mastercard(),
    ///     SignOptions::new()
    ///         .body_hash_with(oauth1_core::DigestAlgorithm::Sha256)
    ///         .protocol_values_as_sent()
    /// );
    /// ```
    pub const fn mastercard() -> Self {
        Self::new()
            .body_hash_with(DigestAlgorithm::Sha256)
            .protocol_values_as_sent()
    }

    /// Where the protocol parameters go.
    #[must_use]
    pub const fn placement(mut self, placement: Placement) -> Self {
        self.placement = placement;
        self
    }

    /// The `realm` of the `Authorization` header (§3.5.1): borrowed, or owned (a `String`) for
    /// options kept across requests. Never signed; ignored by the other placements.
    #[must_use]
    pub fn realm(mut self, realm: impl Into<Cow<'a, str>>) -> Self {
        self.realm = Some(realm.into());
        self
    }

    /// `oauth_callback`: an absolute URI, or `oob` (§2.1). Sent when requesting temporary
    /// credentials.
    #[must_use]
    pub const fn callback(mut self, callback: &'a str) -> Self {
        self.callback = Some(callback);
        self
    }

    /// `oauth_verifier` (§2.3). Sent when requesting token credentials.
    #[must_use]
    pub const fn verifier(mut self, verifier: &'a str) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Leaves out `oauth_version` (it is OPTIONAL; some providers reject it).
    #[must_use]
    pub const fn without_version(mut self) -> Self {
        self.version = false;
        self
    }

    /// Adds `oauth_body_hash` with the signature method's digest (SHA-1 for HMAC-SHA1 and RSA-SHA1,
    /// SHA-256 for the -SHA256 methods, …). Refused for form-encoded bodies, whose parameters are
    /// signed already; a request without a body hashes the empty body.
    #[must_use]
    pub const fn body_hash(mut self) -> Self {
        self.body_hash = Some(None);
        self
    }

    /// Adds `oauth_body_hash` with the given digest instead of the method's.
    #[must_use]
    pub const fn body_hash_with(mut self, algorithm: DigestAlgorithm) -> Self {
        self.body_hash = Some(Some(algorithm));
        self
    }

    /// Sends the protocol parameter values unencoded in the `Authorization` header, and encodes
    /// them once (not twice) in the signature base string: what Mastercard's official signers
    /// (Java, Node, Python) do, and what its gateway therefore checks.
    ///
    /// RFC 5849 §3.4.1.3.2 encodes each value, then the whole normalized string again, so a body
    /// hash `…+/…=` is `…%252B%252F…%253D` in the base string; Mastercard's signers put the value
    /// into the normalized string as is and encode once (`…%2B%2F…%3D`), and send it in the
    /// header unencoded, as they do the `!` of their consumer keys. The pair is consistent: a
    /// provider that reads header values as the normalized form accepts both this and RFC-encoded
    /// requests. A value that cannot travel unencoded in a quoted header value (holding `%`, `"`,
    /// `\`, `,`, a space, a control or non-ASCII character) is sent and signed the RFC way.
    /// `oauth_signature` itself is always encoded, as Mastercard's signers do. Only the header
    /// placement is affected; extra parameters keep the RFC encoding.
    #[must_use]
    pub const fn protocol_values_as_sent(mut self) -> Self {
        self.as_sent = true;
        self
    }

    /// Extra protocol parameters a provider asks for (`oauth_session_handle`, `xoauth_…`): signed,
    /// and placed with the other protocol parameters. Names must not repeat a protocol parameter.
    #[must_use]
    pub const fn extra_params(mut self, extra: &'a [(&'a str, &'a str)]) -> Self {
        self.extra = extra;
        self
    }

    /// The placement chosen.
    pub const fn placement_of(&self) -> Placement {
        self.placement
    }
}

/// [`SignOptions`] kept across requests, as an HTTP-client adapter keeps them in its middleware:
/// placement, realm (owned), version, body hash. [`options_for`](SignOptions::options_for) gives
/// each request its options.
///
/// ```
/// use oauth1_core::{Placement, SignConfig};
///
/// let config = SignConfig::new().placement(Placement::Query).realm(String::from("Photos"));
/// assert_eq!(config.options_for(None).placement_of(), Placement::Query);
/// // A form body is read to be signed; a JSON body streams untouched unless it is hashed.
/// assert!(config.reads_body(Some("application/x-www-form-urlencoded")));
/// assert!(!config.reads_body(Some("application/json")));
/// assert!(config.clone().body_hash().reads_body(Some("application/json")));
/// ```
pub type SignConfig = SignOptions<'static>;

impl SignOptions<'_> {
    /// The options for one request whose body has this `Content-Type`: these, borrowed, less the
    /// body hash for form bodies (their parameters are signed; §3.4.1.3.1 and the body-hash
    /// extension forbid both), so that one configuration serves every request.
    pub fn options_for(&self, content_type: Option<&str>) -> SignOptions<'_> {
        let form = content_type.is_some_and(crate::request::is_form_content_type);
        SignOptions {
            placement: self.placement,
            realm: self.realm.as_deref().map(Cow::Borrowed),
            callback: self.callback,
            verifier: self.verifier,
            version: self.version,
            body_hash: if form { None } else { self.body_hash },
            as_sent: self.as_sent,
            extra: self.extra,
        }
    }

    /// Whether signing a request with this `Content-Type` needs its body: form bodies (their
    /// parameters are signed), body placement (the parameters are added to it) and body hashes.
    pub fn reads_body(&self, content_type: Option<&str>) -> bool {
        self.placement == Placement::Body
            || self.body_hash.is_some()
            || content_type.is_some_and(crate::request::is_form_content_type)
    }
}
