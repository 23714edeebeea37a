//! RFC 5849 §3.1: making requests — signing a request and placing its protocol parameters.
//!
//! > 1. The client assigns value to each of these required (unless specified otherwise) protocol
//! >    parameters: oauth_consumer_key, oauth_token (omitted when the request is not associated
//! >    with a resource owner), oauth_signature_method, oauth_timestamp, oauth_nonce,
//! >    oauth_version (OPTIONAL; if present, MUST be set to "1.0").
//! > 2. The protocol parameters are added to the request using one transmission method listed in
//! >    Section 3.5. Each parameter MUST NOT appear more than once per request.
//! > 3. The client calculates and assigns the value of the "oauth_signature" parameter as described
//! >    in Section 3.4 and adds the parameter to the request using the same method as in the
//! >    previous step.
//!
//! The nonce and the timestamp are arguments: this module never reads a clock or draws randomness.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::base_string::{decimal, write_base_string, write_wire_url};
use crate::credentials::{ClientCredentials, TokenCredentials};
use crate::encoding::Text;
use crate::header::write_authorization;
use crate::params::{self, INLINE_PARAMS, InlineList, Param, form_pairs, max_form_pairs};
use crate::protocol::{Name, PREFIX, is_protocol};
use crate::request::{Request, RequestError, Url, validate_method};
use crate::signature::{
    BuiltinMethod, DigestAlgorithm, SIGNATURE_SLICE_LEN, SignatureError, SignatureMethod,
    SignatureMethodName,
};

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

/// Per-request choices: placement, realm, callback, verifier, `oauth_version`, body hash and extra
/// protocol parameters. All borrowed; building one never allocates.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignOptions<'a> {
    placement: Placement,
    realm: Option<&'a str>,
    callback: Option<&'a str>,
    verifier: Option<&'a str>,
    version: bool,
    body_hash: Option<Option<DigestAlgorithm>>,
    as_sent: bool,
    extra: &'a [(&'a str, &'a str)],
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

    /// The `realm` of the `Authorization` header (§3.5.1). Never signed; ignored by the other
    /// placements.
    #[must_use]
    pub const fn realm(mut self, realm: &'a str) -> Self {
        self.realm = Some(realm);
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

/// Owned [`SignOptions`] for what stays the same across requests (placement, realm, version,
/// body hash): what an HTTP-client adapter keeps in its middleware.
///
/// ```
/// use oauth1_core::{Placement, SignConfig};
///
/// let config = SignConfig::new().placement(Placement::Query).realm(String::from("Photos"));
/// assert_eq!(config.options().placement_of(), Placement::Query);
/// // A form body is read to be signed; a JSON body streams untouched unless it is hashed.
/// assert!(config.reads_body(Some("application/x-www-form-urlencoded")));
/// assert!(!config.reads_body(Some("application/json")));
/// assert!(config.clone().body_hash().reads_body(Some("application/json")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignConfig {
    placement: Placement,
    realm: Option<String>,
    version: bool,
    body_hash: Option<Option<DigestAlgorithm>>,
    as_sent: bool,
}

impl Default for SignConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl SignConfig {
    /// Header placement, `oauth_version="1.0"`, no realm, no body hash.
    pub const fn new() -> Self {
        SignConfig {
            placement: Placement::Header,
            realm: None,
            version: true,
            body_hash: None,
            as_sent: false,
        }
    }

    /// Mastercard's APIs, as [`SignOptions::mastercard`]: a SHA-256 body hash on every request
    /// (not on form bodies, which Mastercard's APIs do not take) and the protocol values as sent.
    pub const fn mastercard() -> Self {
        SignConfig {
            placement: Placement::Header,
            realm: None,
            version: true,
            body_hash: Some(Some(DigestAlgorithm::Sha256)),
            as_sent: true,
        }
    }

    /// See [`SignOptions::protocol_values_as_sent`].
    #[must_use]
    pub fn protocol_values_as_sent(mut self) -> Self {
        self.as_sent = true;
        self
    }

    /// Where the protocol parameters go.
    #[must_use]
    pub fn placement(mut self, placement: Placement) -> Self {
        self.placement = placement;
        self
    }

    /// The `realm` of the `Authorization` header.
    #[must_use]
    pub fn realm(mut self, realm: impl Into<String>) -> Self {
        self.realm = Some(realm.into());
        self
    }

    /// Leaves out `oauth_version`.
    #[must_use]
    pub fn without_version(mut self) -> Self {
        self.version = false;
        self
    }

    /// Adds `oauth_body_hash` (the signature method's digest) to requests whose body is not a
    /// form.
    #[must_use]
    pub fn body_hash(mut self) -> Self {
        self.body_hash = Some(None);
        self
    }

    /// Adds `oauth_body_hash` with the given digest to requests whose body is not a form.
    #[must_use]
    pub fn body_hash_with(mut self, algorithm: DigestAlgorithm) -> Self {
        self.body_hash = Some(Some(algorithm));
        self
    }

    /// The options for one request whose body has this `Content-Type`. The body hash is left
    /// out for form bodies (their parameters are signed; §3.4.1.3.1 and the body-hash extension
    /// forbid both).
    pub fn options_for(&self, content_type: Option<&str>) -> SignOptions<'_> {
        let mut options = SignOptions::new().placement(self.placement);
        if let Some(realm) = &self.realm {
            options = options.realm(realm);
        }
        if !self.version {
            options = options.without_version();
        }
        if self.as_sent {
            options = options.protocol_values_as_sent();
        }
        let form = content_type.is_some_and(crate::request::is_form_content_type);
        match self.body_hash {
            Some(_) if form => {}
            Some(None) => options = options.body_hash(),
            Some(Some(algorithm)) => options = options.body_hash_with(algorithm),
            None => {}
        }
        options
    }

    /// The options, as for a request without a form body.
    pub fn options(&self) -> SignOptions<'_> {
        self.options_for(None)
    }

    /// Whether signing a request with this `Content-Type` needs its body: form bodies (their
    /// parameters are signed), body placement (the parameters are added to it) and body hashes.
    pub fn reads_body(&self, content_type: Option<&str>) -> bool {
        self.placement == Placement::Body
            || self.body_hash.is_some()
            || content_type.is_some_and(crate::request::is_form_content_type)
    }
}

/// Signs requests for one client (and token), reusing keys derived once.
///
/// ```
/// use oauth1_core::{ClientCredentials, Request, SignOptions, SignatureMethodName, Signer, TokenCredentials};
///
/// let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
/// let token = TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
/// let signer = Signer::new(SignatureMethodName::HmacSha1, &client, Some(&token)).unwrap();
///
/// let request = Request::new("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original");
/// let options = SignOptions::new().realm("Photos").without_version();
/// let signed = signer.sign(&request, &options, "chapoH", 137131202).unwrap();
/// assert_eq!(signed.signature(), "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
/// ```
#[derive(Clone)]
pub struct Signer<M = BuiltinMethod> {
    consumer_key: String,
    token: Option<String>,
    /// Whether the consumer key, the token and the method name encode to themselves (checked
    /// once, here).
    verbatim: (bool, bool, bool),
    method: M,
}

impl Signer<BuiltinMethod> {
    /// A signer for a built-in method. HMAC keys are derived here, once.
    ///
    /// `token` is `None` for the temporary-credentials request (§2.1); it is the temporary
    /// credentials for the token request (§2.3) and the token credentials afterwards.
    pub fn new(
        method: SignatureMethodName,
        client: &ClientCredentials,
        token: Option<&TokenCredentials>,
    ) -> Result<Self, SignatureError> {
        Ok(Signer::with_method(
            client.key(),
            token.map(TokenCredentials::token),
            BuiltinMethod::new(method, client, token)?,
        ))
    }
}

impl<M: SignatureMethod> Signer<M> {
    /// A signer for any [`SignatureMethod`], keyed by the caller.
    pub fn with_method(consumer_key: impl Into<String>, token: Option<&str>, method: M) -> Self {
        let consumer_key: String = consumer_key.into();
        let token: Option<String> = token.map(Into::into);
        let verbatim = (
            crate::encoding::all_unreserved(consumer_key.as_bytes()),
            token
                .as_deref()
                .is_some_and(|t| crate::encoding::all_unreserved(t.as_bytes())),
            crate::encoding::all_unreserved(method.name().as_bytes()),
        );
        Signer {
            consumer_key,
            token,
            verbatim,
            method,
        }
    }

    fn consumer_key_text(&self) -> Text<'_> {
        if self.verbatim.0 {
            Text::Verbatim(&self.consumer_key)
        } else {
            Text::Plain(&self.consumer_key)
        }
    }

    fn token_text(&self) -> Option<Text<'_>> {
        let token = self.token.as_deref()?;
        Some(if self.verbatim.1 {
            Text::Verbatim(token)
        } else {
            Text::Plain(token)
        })
    }

    fn method_text(&self) -> Text<'_> {
        if self.verbatim.2 {
            Text::Verbatim(self.method.name())
        } else {
            Text::Plain(self.method.name())
        }
    }

    /// The signature method.
    pub fn method(&self) -> &M {
        &self.method
    }

    /// The client key sent as `oauth_consumer_key`.
    pub fn consumer_key(&self) -> &str {
        &self.consumer_key
    }

    /// The token sent as `oauth_token`, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Signs `request`: collects and normalizes its parameters, builds the signature base string,
    /// signs it, and renders the protocol parameters in the chosen placement.
    ///
    /// `nonce` should be a fresh random string for each request with the same timestamp
    /// (`oauth1_core::nonce()` makes one with `std` and `ring`); `timestamp` is seconds since the
    /// Unix epoch.
    ///
    /// One heap allocation with a built-in HMAC or PLAINTEXT method: the returned [`Signed`]
    /// keeps the base string, the signature and what is sent in one buffer.
    /// [`sign_into`](Self::sign_into) writes into a buffer the caller reuses, and allocates
    /// nothing.
    pub fn sign(
        &self,
        request: &Request<'_>,
        options: &SignOptions<'_>,
        nonce: &str,
        timestamp: u64,
    ) -> Result<Signed, SignError> {
        let mut buf = String::new();
        let parts = self.sign_in(request, options, nonce, timestamp, &mut buf)?;
        Ok(Signed {
            placement: options.placement,
            buf,
            parts,
        })
    }

    /// Signs `request` like [`sign`](Self::sign) and appends to `out` only what the placement
    /// sends: the `Authorization` header value (header placement), the URL (query placement) or
    /// the new body (body placement).
    ///
    /// `out` is also the working space (the base string is written there first, then removed):
    /// a caller that keeps one `String` and clears it between requests signs without any heap
    /// allocation once it has grown to fit (built-in HMAC and PLAINTEXT methods, and custom
    /// methods that implement [`SignatureMethod::sign_to_slice`]). On error `out` is left as it
    /// was.
    ///
    /// ```
    /// use oauth1_core::{ClientCredentials, Request, SignOptions, SignatureMethodName, Signer};
    ///
    /// let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
    /// let signer = Signer::new(SignatureMethodName::HmacSha1, &client, None).unwrap();
    /// let options = SignOptions::new();
    /// let mut header = String::with_capacity(1024);
    /// for nonce in ["n1", "n2"] {
    ///     header.clear();
    ///     let request = Request::new("GET", "https://api.example.com/me?fields=name");
    ///     signer.sign_into(&request, &options, nonce, 1_700_000_000, &mut header).unwrap();
    ///     assert!(header.starts_with("OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\""));
    /// }
    /// ```
    pub fn sign_into(
        &self,
        request: &Request<'_>,
        options: &SignOptions<'_>,
        nonce: &str,
        timestamp: u64,
        out: &mut String,
    ) -> Result<(), SignError> {
        let start = out.len();
        match self.sign_in(request, options, nonce, timestamp, out) {
            Ok(parts) => {
                let keep = match options.placement {
                    Placement::Query => parts.signature_end,
                    Placement::Header | Placement::Body => parts.url_end,
                };
                out.replace_range(start..keep, "");
                Ok(())
            }
            Err(e) => {
                out.truncate(start);
                Err(e)
            }
        }
    }

    /// Signs into `buf` (appending): base string, signature, URL, then the header or body.
    ///
    /// One function for the hot path's sequence; each step is its own function.
    fn sign_in(
        &self,
        request: &Request<'_>,
        options: &SignOptions<'_>,
        nonce: &str,
        timestamp: u64,
        buf: &mut String,
    ) -> Result<Parts, SignError> {
        validate_method(request.method())?;
        let url = Url::parse(request.url())?;
        let form_body = request.form_text()?;
        check_options(request, options, form_body)?;
        let mut body_hash_buf = [0u8; 88];
        let body_hash = self.body_hash(request, options, form_body, &mut body_hash_buf)?;
        let mut timestamp_buf = [0u8; 20];
        let timestamp = decimal(timestamp, &mut timestamp_buf);
        let protocol = self.protocol_params(options, nonce, timestamp, body_hash)?;

        let query = url.query.unwrap_or_default();
        let capacity =
            max_form_pairs(query) + form_body.map_or(0, max_form_pairs) + protocol.count();
        let mut list: InlineList<Param<'_>, INLINE_PARAMS> = InlineList::with_capacity(capacity);
        collect(&protocol, query, form_body, &mut list)?;
        let params = list.as_slice();

        let raw_len: usize = params
            .iter()
            .map(|p| p.name.raw().len() + p.value.raw().len() + 2)
            .sum();
        let protocol_len = 3 * protocol.raw_len() + 4 * protocol.count();
        // One reservation for everything below (an estimate: RSA signatures and unusual text
        // may grow it once more).
        buf.reserve(
            request.method().len()
                + 4 * url.without_fragment.len()
                + 3 * raw_len
                + 2 * protocol_len
                + 144
                + options.realm.map_or(0, str::len)
                + match options.placement {
                    Placement::Body => form_body.map_or(0, str::len),
                    _ => 0,
                },
        );
        let start = buf.len();
        write_base_string(request.method(), &url, params, buf);
        let base_end = buf.len();
        let mut signature_buf = [0u8; SIGNATURE_SLICE_LEN];
        let mut signature_owned = String::new();
        let signature = self.signature(
            buf.get(start..).unwrap_or_default(),
            &mut signature_buf,
            &mut signature_owned,
        )?;
        buf.push_str(signature);
        let signature_end = buf.len();
        write_wire_url(&url, buf);
        let (url_end, protocol_start) =
            protocol.place(options, url.query, form_body, signature, buf);
        Ok(Parts {
            secret_signature: self.method.name() == SignatureMethodName::Plaintext.as_str(),
            base_end,
            signature_end,
            url_end,
            protocol_start,
        })
    }

    /// The signature of `base_string`: on the stack when the method can, else in `owned`.
    fn signature<'b>(
        &self,
        base_string: &str,
        stack: &'b mut [u8; SIGNATURE_SLICE_LEN],
        owned: &'b mut String,
    ) -> Result<&'b str, SignError> {
        match self.method.sign_to_slice(base_string, stack)? {
            Some(n) => stack
                .get(..n)
                .and_then(|s| core::str::from_utf8(s).ok())
                .ok_or(SignError::Signature(SignatureError::Backend)),
            None => {
                self.method.sign(base_string, owned)?;
                Ok(owned)
            }
        }
    }

    /// `oauth_body_hash` (Base64, in `buf`), when the options ask for it.
    fn body_hash<'b>(
        &self,
        request: &Request<'_>,
        options: &SignOptions<'_>,
        form_body: Option<&str>,
        buf: &'b mut [u8; 88],
    ) -> Result<Option<&'b str>, SignError> {
        let Some(chosen) = options.body_hash else {
            return Ok(None);
        };
        // Body placement makes the body a form: its parameters are signed already.
        if form_body.is_some() || options.placement == Placement::Body {
            return Err(SignError::BodyHashOnFormBody);
        }
        let algorithm = chosen
            .or_else(|| self.method.body_hash_algorithm())
            .ok_or(SignError::BodyHashNeedsAlgorithm)?;
        let n = algorithm.base64_digest_into(request.body().unwrap_or_default(), buf)?;
        buf.get(..n)
            .and_then(|s| core::str::from_utf8(s).ok())
            .map(Some)
            .ok_or(SignError::Signature(SignatureError::Backend))
    }

    /// The protocol parameters of one request, checked against the extra ones.
    fn protocol_params<'s>(
        &'s self,
        options: &SignOptions<'s>,
        nonce: &'s str,
        timestamp: &'s str,
        body_hash: Option<&'s str>,
    ) -> Result<ProtocolParams<'s>, SignError> {
        // By name, in alphabetical order, as most providers document them; `oauth_signature`'s
        // slot is filled when rendering.
        let mut values = [None; Name::ALL.len()];
        values[Name::BodyHash.index()] = body_hash.map(Text::Plain);
        values[Name::Callback.index()] = options.callback.map(Text::Plain);
        values[Name::ConsumerKey.index()] = Some(self.consumer_key_text());
        values[Name::Nonce.index()] = Some(classify(nonce));
        values[Name::SignatureMethod.index()] = Some(self.method_text());
        values[Name::Timestamp.index()] = Some(Text::Verbatim(timestamp));
        values[Name::Token.index()] = self.token_text();
        values[Name::Verifier.index()] = options.verifier.map(Text::Plain);
        values[Name::Version.index()] = options.version.then_some(Text::Verbatim("1.0"));
        for (i, &(name, _)) in options.extra.iter().enumerate() {
            let repeated = Name::of(Text::Plain(name))
                .is_some_and(|n| n == Name::Signature || values[n.index()].is_some())
                || options
                    .extra
                    .iter()
                    .take(i)
                    .any(|&(other, _)| other == name);
            if repeated || name.is_empty() {
                return Err(SignError::InvalidExtraParameter(name.into()));
            }
        }
        let mut protocol = ProtocolParams {
            values,
            extra: options.extra,
        };
        if options.as_sent && options.placement == Placement::Header {
            for value in &mut protocol.values {
                if let Some(Text::Plain(text)) = *value
                    && travels_unencoded(text)
                {
                    *value = Some(Text::AsSent(text));
                }
            }
        }
        Ok(protocol)
    }
}

/// Where the parts of a signed request are in its buffer (byte offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Parts {
    /// The base string ends and the signature begins here.
    base_end: usize,
    /// The signature ends and the URL begins here.
    signature_end: usize,
    /// The URL ends here; the header value or the body follows.
    url_end: usize,
    /// The protocol parameters begin here (in the query or the body).
    protocol_start: usize,
    /// Whether the signature is the secrets themselves (PLAINTEXT): `Debug` hides it.
    secret_signature: bool,
}

/// Checks the options that depend on the request: body placement needs a form body (or none),
/// and a realm must fit in a header.
fn check_options(
    request: &Request<'_>,
    options: &SignOptions<'_>,
    form_body: Option<&str>,
) -> Result<(), SignError> {
    if options.placement == Placement::Body && request.body().is_some() && form_body.is_none() {
        return Err(SignError::BodyNotForm);
    }
    if let Some(realm) = options.realm
        && !realm
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        return Err(SignError::InvalidRealm);
    }
    Ok(())
}

/// Collects the signed parameters (protocol, query, form body) into `list`, in §3.4.1.3.2 order.
fn collect<'a>(
    protocol: &ProtocolParams<'a>,
    query: &'a str,
    form_body: Option<&'a str>,
    list: &mut InlineList<Param<'a>, INLINE_PARAMS>,
) -> Result<(), SignError> {
    list.extend(protocol.signed());
    let protocol_count = list.as_slice().len();
    list.extend(form_pairs(query));
    if let Some(body) = form_body {
        list.extend(form_pairs(body));
    }
    let params = list.as_mut_slice();
    let (protocol_block, request_params) = params.split_at_mut(protocol_count);
    // §3.1: each protocol parameter appears once, in one place; they all come from here.
    if let Some(p) = request_params.iter().find(|p| is_protocol(p.name)) {
        let name = String::from_utf8_lossy(&p.name.decoded()).into_owned();
        return Err(SignError::ProtocolParameterInRequest(name));
    }
    if protocol.extra.is_empty() {
        // The protocol parameters are already in order (`protocol` lists them alphabetically),
        // and in the sorted list they stand together: every encoded name beginning with
        // `oauth_` sorts the same way against any name that does not (they differ within the
        // first six bytes, which encode to themselves, or the other is shorter). So only the
        // request's own parameters are sorted, and the block is moved into its place.
        debug_assert!(protocol_block.is_sorted_by(|a, b| a.cmp_normalized(b).is_le()));
        params::sort(request_params);
        let before =
            request_params.partition_point(|p| p.name.cmp_encoded(Text::Verbatim(PREFIX)).is_lt());
        if let Some(head) = params.get_mut(..protocol_count + before) {
            head.rotate_left(protocol_count);
        }
    } else {
        params::sort(params);
    }
    Ok(())
}

impl<M: fmt::Debug> fmt::Debug for Signer<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("consumer_key", &self.consumer_key)
            .field("token", &self.token)
            .field("method", &self.method)
            .finish()
    }
}

/// The protocol parameters of one request, in rendering order.
struct ProtocolParams<'a> {
    /// Values by [`Name::index`]; `oauth_signature`'s slot stays empty until rendering.
    values: [Option<Text<'a>>; Name::ALL.len()],
    extra: &'a [(&'a str, &'a str)],
}

impl<'a> ProtocolParams<'a> {
    fn count(&self) -> usize {
        self.values.iter().flatten().count() + self.extra.len()
    }

    /// Raw length of the names and values, for sizing buffers.
    fn raw_len(&self) -> usize {
        Name::ALL
            .iter()
            .zip(&self.values)
            .filter_map(|(n, v)| Some(n.as_str().len() + (*v)?.raw().len()))
            .chain(self.extra.iter().map(|(n, v)| n.len() + v.len()))
            .sum()
    }

    /// The signed parameters (all but `oauth_signature`) as base-string entries. The names are
    /// unreserved text, copied without encoding.
    fn signed(&self) -> impl Iterator<Item = Param<'a>> + '_ {
        Name::ALL
            .iter()
            .zip(&self.values)
            .filter_map(|(name, value)| {
                Some(Param {
                    name: Text::Verbatim(name.as_str()),
                    value: (*value)?,
                })
            })
            .chain(self.extra.iter().map(|&(n, v)| Param::plain(n, v)))
    }

    /// Appends the protocol parameters, `oauth_signature` included, in their placement: the
    /// header value, the URL's query (after the URL already in `out`) or the body. Returns where
    /// the URL ends and where the protocol parameters begin.
    fn place(
        &self,
        options: &SignOptions<'_>,
        query: Option<&str>,
        form_body: Option<&str>,
        signature: &str,
        out: &mut String,
    ) -> (usize, usize) {
        match options.placement {
            Placement::Header => {
                let url_end = out.len();
                self.write_header(options.realm, signature, out);
                (url_end, url_end)
            }
            Placement::Query => {
                out.push_str(match query {
                    None => "?",
                    Some(q) if q.is_empty() || q.ends_with('&') => "",
                    Some(_) => "&",
                });
                let protocol_start = out.len();
                self.write_form(signature, out);
                (out.len(), protocol_start)
            }
            Placement::Body => {
                let url_end = out.len();
                let body = form_body.unwrap_or_default();
                out.push_str(body);
                if !body.is_empty() && !body.ends_with('&') {
                    out.push('&');
                }
                let protocol_start = out.len();
                self.write_form(signature, out);
                (url_end, protocol_start)
            }
        }
    }

    /// The fixed protocol parameters as sent, `oauth_signature` included, in alphabetical order.
    fn fixed<'s>(&'s self, signature: &'s str) -> impl Iterator<Item = (Name, Text<'s>)> + 's {
        Name::ALL
            .into_iter()
            .zip(&self.values)
            .filter_map(move |(name, &value)| {
                let value = match name {
                    Name::Signature => Text::Plain(signature),
                    _ => value?,
                };
                Some((name, value))
            })
    }

    /// The extra protocol parameters, after the fixed ones.
    fn extra(&self) -> impl Iterator<Item = (Text<'a>, Text<'a>)> + '_ {
        self.extra
            .iter()
            .map(|&(n, v)| (Text::Plain(n), Text::Plain(v)))
    }

    /// Appends the `Authorization` header value.
    fn write_header(&self, realm: Option<&str>, signature: &str, out: &mut String) {
        write_authorization(realm, self.fixed(signature), self.extra(), out);
    }

    /// Appends `name=enc(value)&…` for every protocol parameter, the signature included.
    fn write_form(&self, signature: &str, out: &mut String) {
        let fixed = self
            .fixed(signature)
            .map(|(name, value)| (Text::Verbatim(name.as_str()), value));
        for (i, (name, value)) in fixed.chain(self.extra()).enumerate() {
            if i > 0 {
                out.push('&');
            }
            name.write_encoded(out, false);
            out.push('=');
            value.write_encoded(out, false);
        }
    }
}

/// Whether `text` can stand unencoded in a quoted `Authorization` header value and be read back
/// as itself: printable ASCII without `"`, `\`, `,` (which end or split the value) and `%`
/// (which a reader decodes).
fn travels_unencoded(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\\' | b',' | b'%'))
}

/// Plain text, marked verbatim when it encodes to itself (checked once, used twice).
fn classify(s: &str) -> Text<'_> {
    if crate::encoding::all_unreserved(s.as_bytes()) {
        Text::Verbatim(s)
    } else {
        Text::Plain(s)
    }
}

/// A signed request: the protocol parameters in their placement, and every intermediate value a
/// person needs when a provider answers `signature_invalid`.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    placement: Placement,
    /// The base string, the signature, the URL to send, then (header placement) the header
    /// value or (body placement) the body: one allocation.
    buf: String,
    parts: Parts,
}

impl Signed {
    /// Where the protocol parameters were placed.
    pub fn placement(&self) -> Placement {
        self.placement
    }

    /// The signature base string (§3.4.1.1).
    pub fn base_string(&self) -> &str {
        self.buf.get(..self.parts.base_end).unwrap_or_default()
    }

    /// The signature, as computed (Base64 for HMAC and RSA), not percent-encoded.
    pub fn signature(&self) -> &str {
        self.buf
            .get(self.parts.base_end..self.parts.signature_end)
            .unwrap_or_default()
    }

    /// The `Authorization` header value, for header placement.
    pub fn authorization(&self) -> Option<&str> {
        (self.placement == Placement::Header)
            .then(|| self.buf.get(self.parts.url_end..).unwrap_or_default())
    }

    /// The URL to send the request to: with the protocol parameters in its query for query
    /// placement, and as given otherwise (less any fragment, with characters a URL may not hold
    /// percent-encoded).
    pub fn url(&self) -> &str {
        self.buf
            .get(self.parts.signature_end..self.parts.url_end)
            .unwrap_or_default()
    }

    /// The new `application/x-www-form-urlencoded` body, for body placement.
    pub fn body(&self) -> Option<&str> {
        (self.placement == Placement::Body)
            .then(|| self.buf.get(self.parts.url_end..).unwrap_or_default())
    }

    /// The base string URI (§3.4.1.2).
    pub fn base_string_uri(&self) -> String {
        self.base_string_part(1)
    }

    /// The normalized request parameters (§3.4.1.3.2).
    pub fn normalized_parameters(&self) -> String {
        self.base_string_part(2)
    }

    /// The protocol parameters as sent, `oauth_signature` included, not percent-encoded.
    pub fn oauth_params(&self) -> Vec<(String, String)> {
        let decode = |s: &str| {
            String::from_utf8_lossy(&crate::percent_decode(s).unwrap_or_default()).into_owned()
        };
        match self.placement {
            Placement::Header => {
                crate::header::parse_authorization(self.authorization().unwrap_or_default())
                    .map(|h| {
                        h.params
                            .iter()
                            .map(|(n, v)| (decode(n), decode(v)))
                            .collect()
                    })
                    .unwrap_or_default()
            }
            Placement::Query | Placement::Body => {
                let end = if self.placement == Placement::Query {
                    self.parts.url_end
                } else {
                    self.buf.len()
                };
                self.buf
                    .get(self.parts.protocol_start..end)
                    .unwrap_or_default()
                    .split('&')
                    .map(|pair| {
                        let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
                        (decode(n), decode(v))
                    })
                    .collect()
            }
        }
    }

    fn base_string_part(&self, index: usize) -> String {
        // The method is a token without `&`, and the encoded parts hold no raw `&`.
        let part = self.base_string().split('&').nth(index).unwrap_or_default();
        String::from_utf8_lossy(&crate::percent_decode(part).unwrap_or_default()).into_owned()
    }
}

impl fmt::Debug for Signed {
    /// PLAINTEXT's signature is the shared secrets themselves: then the signature, and the output
    /// that carries it, are hidden.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plaintext = self.parts.secret_signature;
        fn hide(plaintext: bool, s: Option<&str>) -> Option<&str> {
            if plaintext {
                s.map(|_| "<hidden: PLAINTEXT>")
            } else {
                s
            }
        }
        f.debug_struct("Signed")
            .field("placement", &self.placement)
            .field("base_string", &self.base_string())
            .field("signature", &hide(plaintext, Some(self.signature())))
            .field("url", &hide(plaintext, Some(self.url())))
            .field("authorization", &hide(plaintext, self.authorization()))
            .field("body", &hide(plaintext, self.body()))
            .finish()
    }
}

/// Why a request could not be signed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignError {
    /// The method, URL or body is malformed.
    Request(RequestError),
    /// The signature could not be computed.
    Signature(SignatureError),
    /// Body placement was asked for, but the request has a body that is not
    /// `application/x-www-form-urlencoded` (§3.5.2).
    BodyNotForm,
    /// `oauth_body_hash` was asked for on a form-encoded body, whose parameters are signed already.
    BodyHashOnFormBody,
    /// `oauth_body_hash` was asked for with a signature method that has no digest (PLAINTEXT, a
    /// custom method): choose one with [`SignOptions::body_hash_with`].
    BodyHashNeedsAlgorithm,
    /// The realm holds a control or non-ASCII character, which an HTTP header cannot carry.
    InvalidRealm,
    /// An extra protocol parameter is empty or repeats another protocol parameter's name.
    InvalidExtraParameter(String),
    /// The URL's query or the form body already holds an `oauth_` parameter. Protocol parameters
    /// are added by the signer, once and in one place (§3.1); pass provider-specific ones with
    /// [`SignOptions::extra_params`].
    ProtocolParameterInRequest(String),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::Request(e) => e.fmt(f),
            SignError::Signature(e) => e.fmt(f),
            SignError::BodyNotForm => f.write_str(
                "body placement needs an application/x-www-form-urlencoded body (or none); use header placement for other bodies",
            ),
            SignError::BodyHashOnFormBody => write!(
                f,
                "{} must not be sent with a form-encoded body: its parameters are signed already",
                Name::BodyHash.as_str()
            ),
            SignError::BodyHashNeedsAlgorithm => write!(
                f,
                "this signature method has no digest for {}: choose one (sha1, sha256 or sha512)",
                Name::BodyHash.as_str()
            ),
            SignError::InvalidRealm => f.write_str("the realm must be printable ASCII"),
            SignError::ProtocolParameterInRequest(name) => write!(
                f,
                "the request already holds protocol parameter {name:?}; protocol parameters are added by the signer (use extra_params for provider-specific ones)"
            ),
            SignError::InvalidExtraParameter(name) => write!(
                f,
                "extra protocol parameter {name:?} is empty or repeats another protocol parameter"
            ),
        }
    }
}

impl core::error::Error for SignError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            SignError::Request(e) => Some(e),
            SignError::Signature(e) => Some(e),
            _ => None,
        }
    }
}

impl From<RequestError> for SignError {
    fn from(e: RequestError) -> Self {
        SignError::Request(e)
    }
}

impl From<SignatureError> for SignError {
    fn from(e: SignatureError) -> Self {
        SignError::Signature(e)
    }
}

#[cfg(test)]
#[cfg(feature = "sha1")]
mod tests {
    use super::*;

    #[test]
    fn protocol_names_are_written_as_any_other_name_would_be() {
        // The header writer writes a protocol parameter's name and punctuation in one piece:
        // the same text as the general path for other names.
        let extra: &[(&str, &str)] = &[("xoauth_a b", "c&d"), ("z", "")];
        for realm in [None, Some("Photos \"x\"")] {
            for (some, extra) in [(false, &[][..]), (true, extra)] {
                let text = |s: &'static str| some.then_some(Text::Plain(s));
                let mut values = [None; Name::ALL.len()];
                values[Name::BodyHash.index()] = text("2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
                values[Name::Callback.index()] = text("https://c.example/cb?x=1");
                values[Name::ConsumerKey.index()] = Some(Text::Verbatim("key"));
                values[Name::Nonce.index()] = Some(Text::Plain("n o"));
                values[Name::SignatureMethod.index()] = Some(Text::Verbatim("HMAC-SHA1"));
                values[Name::Timestamp.index()] = Some(Text::Verbatim("1"));
                values[Name::Token.index()] = text("t");
                values[Name::Verifier.index()] = text("v");
                values[Name::Version.index()] = text("1.0");
                let protocol = ProtocolParams { values, extra };
                let (mut fast, mut general) = (String::new(), String::new());
                protocol.write_header(realm, "a+b=", &mut fast);
                let as_other = protocol
                    .fixed("a+b=")
                    .map(|(n, value)| (Text::Plain(n.as_str()), value))
                    .chain(protocol.extra());
                write_authorization(realm, core::iter::empty(), as_other, &mut general);
                assert_eq!(fast, general);
            }
        }
    }

    fn rfc_signer() -> Signer {
        let client = ClientCredentials::new("9djdj82h48djs9d2", "j49sk3j29djd");
        let token = TokenCredentials::new("kkk9d7dh3k39sjv7", "dh893hdasih9");
        Signer::new(SignatureMethodName::HmacSha1, &client, Some(&token)).unwrap()
    }

    fn rfc_request() -> Request<'static> {
        Request::new(
            "POST",
            "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        )
        .with_form_body(b"c2&a3=2+q")
    }

    #[test]
    fn rfc_3_4_1_example() {
        let signed = rfc_signer()
            .sign(
                &rfc_request(),
                &SignOptions::new().realm("Example").without_version(),
                "7d8f3e4a",
                137131201,
            )
            .unwrap();
        assert_eq!(
            signed.normalized_parameters(),
            "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7"
        );
        assert_eq!(signed.base_string_uri(), "http://example.com/request");
        assert_eq!(signed.signature(), "r6/TJjbCOr97/+UU0NsvSne7s5g=");
        assert_eq!(
            signed.authorization().unwrap(),
            r#"OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_nonce="7d8f3e4a", oauth_signature="r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_token="kkk9d7dh3k39sjv7""#
        );
        assert_eq!(
            signed.url(),
            "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
        );
    }

    #[test]
    fn query_and_body_placements_sign_the_same() {
        let base = SignOptions::new().without_version();
        for placement in [Placement::Query, Placement::Body] {
            let signed = rfc_signer()
                .sign(
                    &rfc_request(),
                    &base.placement(placement),
                    "7d8f3e4a",
                    137131201,
                )
                .unwrap();
            assert_eq!(signed.signature(), "r6/TJjbCOr97/+UU0NsvSne7s5g=");
            let params = signed.oauth_params();
            assert!(params.contains(&(
                "oauth_signature".into(),
                "r6/TJjbCOr97/+UU0NsvSne7s5g=".into()
            )));
            assert_eq!(params.len(), 6);
            if placement == Placement::Body {
                assert_eq!(
                    signed.body().unwrap(),
                    "c2&a3=2+q&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature=r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7"
                );
            } else {
                assert!(signed.url().starts_with(
                    "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b&oauth_consumer_key="
                ));
            }
        }
    }

    #[test]
    fn errors_are_typed() {
        let s = rfc_signer();
        let o = SignOptions::new();
        assert!(matches!(
            s.sign(&Request::new("", "http://h/"), &o, "n", 1),
            Err(SignError::Request(RequestError::InvalidMethod))
        ));
        assert!(matches!(
            s.sign(&Request::new("GET", "h/"), &o, "n", 1),
            Err(SignError::Request(RequestError::MissingScheme))
        ));
        let json = Request::new("POST", "http://h/").with_body(Some("application/json"), b"{}");
        assert!(matches!(
            s.sign(&json, &o.placement(Placement::Body), "n", 1),
            Err(SignError::BodyNotForm)
        ));
        assert!(matches!(
            s.sign(&rfc_request(), &o.body_hash(), "n", 1),
            Err(SignError::BodyHashOnFormBody)
        ));
        let bad = Request::new("POST", "http://h/").with_form_body(&[0xff]);
        assert!(matches!(
            s.sign(&bad, &o, "n", 1),
            Err(SignError::Request(RequestError::FormBodyNotUtf8))
        ));
        assert!(matches!(
            s.sign(&Request::new("GET", "http://h/"), &o.realm("a\nb"), "n", 1),
            Err(SignError::InvalidRealm)
        ));
        let has_oauth = Request::new("GET", "http://h/?oauth_token=x");
        assert!(matches!(
            s.sign(&has_oauth, &o, "n", 1),
            Err(SignError::ProtocolParameterInRequest(name)) if name == "oauth_token"
        ));
        let extra = [("oauth_nonce", "x")];
        assert!(matches!(
            s.sign(
                &Request::new("GET", "http://h/"),
                &o.extra_params(&extra),
                "n",
                1
            ),
            Err(SignError::InvalidExtraParameter(_))
        ));
    }

    #[test]
    fn body_hash_on_json_body() {
        let json = Request::new("POST", "http://h/").with_body(Some("application/json"), b"");
        let signed = rfc_signer()
            .sign(&json, &SignOptions::new().body_hash(), "n", 1)
            .unwrap();
        assert!(
            signed
                .authorization()
                .unwrap()
                .contains(r#"oauth_body_hash="2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D""#)
        );
        assert!(
            signed
                .base_string()
                .contains("oauth_body_hash%3D2jmj7l5rSw0yVb%252FvlWAYkK%252FYBwk%253D")
        );
    }

    #[test]
    fn many_params_spill_to_the_heap() {
        let mut query = String::from("http://h/?");
        for i in 0..100 {
            query.push_str(&alloc::format!("p{i}=v&"));
        }
        let signed = rfc_signer()
            .sign(&Request::new("GET", &query), &SignOptions::new(), "n", 1)
            .unwrap();
        assert_eq!(
            signed.normalized_parameters().matches('&').count(),
            100 + 6 - 1
        );
        assert!(signed.url().ends_with("&p99=v&"));
    }

    #[cfg(feature = "sha1")]
    #[test]
    fn protocol_values_as_sent_only_where_they_travel_unencoded() {
        let signer = Signer::new(
            SignatureMethodName::HmacSha1,
            &ClientCredentials::new("key!1", "s"),
            None,
        )
        .unwrap();
        let request = Request::new("GET", "https://h/");
        let as_sent = SignOptions::new()
            .body_hash()
            .protocol_values_as_sent()
            .callback("https://c/?a=1%202");
        let signed = signer.sign(&request, &as_sent, "n+1", 1).unwrap();
        let header = signed.authorization().unwrap();
        // Sent unencoded and encoded once in the base string…
        assert!(header.contains(r#"oauth_consumer_key="key!1""#), "{header}");
        assert!(header.contains(r#"oauth_nonce="n+1""#), "{header}");
        assert!(header.contains(r#"oauth_body_hash="2jmj7l5rSw0yVb/vlWAYkK/YBwk=""#));
        assert!(
            signed
                .base_string()
                .contains("oauth_consumer_key%3Dkey%211%26")
        );
        assert!(signed.base_string().contains("oauth_nonce%3Dn%2B1%26"));
        // …except a value with `%` (or a space, a quote): the RFC way, both places.
        assert!(header.contains(r#"oauth_callback="https%3A%2F%2Fc%2F%3Fa%3D1%25202""#));
        assert!(
            signed
                .base_string()
                .contains("oauth_callback%3Dhttps%253A%252F%252Fc%252F%253Fa%253D1%2525202")
        );
        // Only the header placement reads values as sent.
        let query = signer
            .sign(&request, &as_sent.placement(Placement::Query), "n+1", 1)
            .unwrap();
        assert!(
            query
                .base_string()
                .contains("oauth_consumer_key%3Dkey%25211%26")
        );
        assert!(query.url().contains("oauth_consumer_key=key%211"));
    }
}
