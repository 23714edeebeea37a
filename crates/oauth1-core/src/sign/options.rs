//! Signing options: where the protocol parameters go and which optional ones are sent.

use core::fmt;

use alloc::string::String;

use crate::params::QueryReading;
use crate::signature::{DigestAlgorithm, SignatureMethod};

use super::Signer;

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

/// Whether, and with which digest, a [`Signer`](crate::Signer) sends `oauth_body_hash` (the
/// OAuth Request Body Hash extension).
///
/// The hash covers bodies that are not form-encoded; a form body's parameters are signed
/// already, and the extension forbids both, so a form request (or body placement) is signed
/// without it whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BodyHash {
    /// No `oauth_body_hash` (RFC 5849 alone).
    #[default]
    Off,
    /// With the signature method's digest: SHA-1 for HMAC-SHA1 and RSA-SHA1, SHA-256 for the
    /// -SHA256 methods, … (signing with a method that has none, PLAINTEXT or a custom one, fails
    /// with [`SignError::BodyHashNeedsAlgorithm`](crate::SignError::BodyHashNeedsAlgorithm)).
    MethodDigest,
    /// With this digest, whatever the method.
    With(DigestAlgorithm),
}

/// The protocol values that change from one request to the next: `oauth_callback`,
/// `oauth_verifier` and a provider's extra `oauth_*` / `xoauth_*` parameters. Everything else a
/// signer sends is the [`Signer`](crate::Signer)'s own choice.
///
/// Borrowed values; building one never allocates. [`Consumer`](crate::Consumer) uses it for the
/// three legs; [`Signer::sign_with`](crate::Signer::sign_with) takes one.
///
/// ```
/// use oauth1_core::client::Extras;
///
/// let extras = Extras::new()
///     .callback("http://printer.example.com/ready")
///     .params(&[("xoauth_lang", "en")]);
/// # let _ = extras;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Extras<'a> {
    pub(super) callback: Option<&'a str>,
    pub(super) verifier: Option<&'a str>,
    pub(super) params: &'a [(&'a str, &'a str)],
}

impl<'a> Extras<'a> {
    /// Nothing beyond what the signer sends.
    pub const fn new() -> Self {
        Extras {
            callback: None,
            verifier: None,
            params: &[],
        }
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

    /// Extra protocol parameters a provider asks for (`oauth_session_handle`, `xoauth_…`): signed,
    /// and placed with the other protocol parameters. Names must not repeat a protocol parameter.
    #[must_use]
    pub const fn params(mut self, params: &'a [(&'a str, &'a str)]) -> Self {
        self.params = params;
        self
    }
}

/// The choices a [`Signer`](crate::Signer) keeps: placement, realm, version, body hash and
/// Mastercard's convention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choices {
    pub(crate) placement: Placement,
    pub(crate) realm: Option<alloc::string::String>,
    pub(crate) version: bool,
    pub(crate) body_hash: BodyHash,
    pub(crate) as_sent: bool,
}

impl Default for Choices {
    fn default() -> Self {
        Choices {
            placement: Placement::Header,
            realm: None,
            version: true,
            body_hash: BodyHash::Off,
            as_sent: false,
        }
    }
}

impl Choices {
    /// The body hash for a request whose body is a form (or none is hashed): none for form
    /// bodies and body placement, whose parameters are signed.
    pub(crate) fn body_hash_for(&self, form: bool) -> BodyHash {
        if form || self.placement == Placement::Body {
            BodyHash::Off
        } else {
            self.body_hash
        }
    }

    /// Whether Mastercard's convention applies: asked for, and the protocol parameters in the
    /// `Authorization` header, the one placement Mastercard's signers use.
    pub(crate) fn as_sent_in_header(&self) -> bool {
        self.as_sent && self.placement == Placement::Header
    }

    /// How the request's query is signed: Mastercard's signers' reading with their convention.
    pub(crate) fn query_reading(&self) -> QueryReading {
        if self.as_sent_in_header() {
            QueryReading::Mastercard
        } else {
            QueryReading::Form
        }
    }

    /// Whether signing a request with this `Content-Type` needs its body: form bodies (their
    /// parameters are signed), body placement (the parameters are added to it) and body hashes.
    pub(crate) fn reads_body(&self, content_type: Option<&str>) -> bool {
        self.placement == Placement::Body
            || self.body_hash != BodyHash::Off
            || content_type.is_some_and(crate::request::is_form_content_type)
    }
}

/// The choices a signer keeps, set once when it is built.
impl<M: SignatureMethod> Signer<M> {
    /// Where the protocol parameters go (default: the `Authorization` header).
    #[must_use]
    pub fn with_placement(mut self, placement: Placement) -> Self {
        self.choices.placement = placement;
        self
    }

    /// The `realm` of the `Authorization` header (§3.5.1). Never signed; the other placements
    /// leave it out.
    #[must_use]
    pub fn with_realm(mut self, realm: impl Into<String>) -> Self {
        self.choices.realm = Some(realm.into());
        self
    }

    /// Leaves out `oauth_version` (it is OPTIONAL; some providers reject it).
    #[must_use]
    pub fn without_version(mut self) -> Self {
        self.choices.version = false;
        self
    }

    /// Sends `oauth_body_hash` on requests whose body is not a form (default
    /// [`BodyHash::Off`]).
    #[must_use]
    pub fn with_body_hash(mut self, body_hash: BodyHash) -> Self {
        self.choices.body_hash = body_hash;
        self
    }

    /// Signs values as they are sent, as Mastercard's official signers do (the Java one, and
    /// those that follow it) and its gateway therefore checks: the protocol parameter values go
    /// unencoded into the `Authorization` header and are encoded once (not twice) in the
    /// signature base string, and so are the query's names and values when the query holds no
    /// percent escape.
    ///
    /// RFC 5849 §3.4.1.3.2 encodes each value, then the whole normalized string again, so a body
    /// hash `…+/…=` is `…%252B%252F…%253D` in the base string; Mastercard's signers put the value
    /// into the normalized string as is and encode once (`…%2B%2F…%3D`), and send it in the
    /// header unencoded, as they do the `!` of their consumer keys. The pair is consistent: a
    /// provider that reads header values as the normalized form accepts both this and RFC-encoded
    /// requests. A value that cannot travel unencoded in a quoted header value (holding `%`, `"`,
    /// `\`, `,`, a space, a control or non-ASCII character) is sent and signed the RFC way.
    /// `oauth_signature` itself is always encoded, as Mastercard's signers do; extra parameters
    /// keep the RFC encoding.
    ///
    /// The query, read as Java's `OAuth.extractQueryParams` reads it: without a percent escape
    /// in the URL as sent, its names and values are their own normalized form, encoded once and
    /// sorted as written (`?param=token1:token2` signs `param%3Dtoken1%3Atoken2`, where the RFC
    /// signs `%253A`; a literal `plus+value` signs `plus%2Bvalue`, where the RFC reads a space,
    /// `plus%2520value`). With an escape, each name and value is percent-decoded and encoded the
    /// RFC way, but `+` stays a plus sign (`%252B`). The URL is sent as given.
    ///
    /// Only the header placement is affected: Mastercard's signers use no other.
    ///
    /// ```
    /// # #[cfg(feature = "sha1")] {
    /// use oauth1_core::{ClientCredentials, Request, Signer};
    ///
    /// let signer = Signer::hmac_sha1(&ClientCredentials::new("key!1", "secret"), None)?;
    /// let request = Request::new("GET", "https://api.example.com/?param=token1:token2");
    /// let rfc = signer.sign(&request, "n", 1)?;
    /// assert!(rfc.base_string().ends_with("param%3Dtoken1%253Atoken2"));
    /// let as_sent = signer.with_values_as_sent().sign(&request, "n", 1)?;
    /// assert!(as_sent.base_string().contains("oauth_consumer_key%3Dkey%211%26"));
    /// assert!(as_sent.base_string().ends_with("param%3Dtoken1%3Atoken2"));
    /// assert!(as_sent.authorization().unwrap().contains(r#"oauth_consumer_key="key!1""#));
    /// # }
    /// # Ok::<(), oauth1_core::SignError>(())
    /// ```
    #[must_use]
    pub fn with_values_as_sent(mut self) -> Self {
        self.choices.as_sent = true;
        self
    }

    /// Mastercard's APIs: a SHA-256 `oauth_body_hash` on every request (a GET hashes the empty
    /// body), and the protocol values and the query as Mastercard's signers sign them
    /// ([`with_values_as_sent`](Self::with_values_as_sent)): the same base string, and with
    /// RSA-SHA256 the same signature, byte for byte. Sign with RSA-SHA256 or RSA-PSS;
    /// docs/providers.md has the whole recipe.
    #[must_use]
    pub fn for_mastercard(self) -> Self {
        self.with_body_hash(BodyHash::With(DigestAlgorithm::Sha256))
            .with_values_as_sent()
    }

    /// Where the protocol parameters go.
    pub fn placement(&self) -> Placement {
        self.choices.placement
    }

    /// The realm sent in the `Authorization` header, if any.
    pub fn realm(&self) -> Option<&str> {
        self.choices.realm.as_deref()
    }

    /// Whether `oauth_version="1.0"` is sent.
    pub fn sends_version(&self) -> bool {
        self.choices.version
    }

    /// The body-hash choice.
    pub fn body_hash(&self) -> BodyHash {
        self.choices.body_hash
    }

    /// Whether values are signed as Mastercard's signers sign them
    /// ([`with_values_as_sent`](Self::with_values_as_sent)).
    pub fn values_as_sent(&self) -> bool {
        self.choices.as_sent
    }

    /// Whether signing a request with this `Content-Type` needs its body: a form body (its
    /// parameters are signed), body placement (the parameters are added to it) and body
    /// hashes. An HTTP client streams every other body untouched.
    ///
    /// ```
    /// use oauth1_core::client::BodyHash;
    /// use oauth1_core::{ClientCredentials, Signer};
    ///
    /// let signer = Signer::hmac_sha1(&ClientCredentials::new("k", "s"), None)?;
    /// assert!(signer.reads_body(Some("application/x-www-form-urlencoded")));
    /// assert!(!signer.reads_body(Some("application/json")));
    /// assert!(signer.with_body_hash(BodyHash::MethodDigest).reads_body(Some("application/json")));
    /// # Ok::<(), oauth1_core::SignError>(())
    /// ```
    pub fn reads_body(&self, content_type: Option<&str>) -> bool {
        self.choices.reads_body(content_type)
    }
}
