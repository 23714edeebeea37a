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
use core::fmt;

use crate::base_string::{decimal, write_base_string, write_wire_url};
use crate::builtin::BuiltinMethod;
use crate::credentials::{ClientCredentials, TokenCredentials};
use crate::crypto::{CryptoProvider, default_provider};
use crate::encoding::Text;
use crate::invariant;
use crate::params::{
    self, INLINE_PARAMS, InlineList, Param, QueryReading, max_request_params, request_params,
};
use crate::protocol::{Name, PREFIX, is_protocol};
use crate::request::{Request, Url, validate_method};
mod options;
mod protocol_params;
mod signed;

pub(crate) use options::Choices;
pub use options::{BodyHash, Extras, Placement, UnknownPlacement};
use protocol_params::{ProtocolParams, classify, travels_unencoded};
use signed::Parts;
pub use signed::{Placed, SignError, Signed};

use crate::signature::{SIGNATURE_SLICE_LEN, SignatureError, SignatureMethod, SignatureMethodName};

/// Signs requests for one client (and token), reusing keys derived once, with the choices made
/// when it was built: placement, realm, `oauth_version`, body hash, Mastercard's convention and
/// the crypto provider. [`sign`](Self::sign) takes only what changes per request.
///
/// ```
/// use oauth1_core::{ClientCredentials, Placement, Request, Signer, TokenCredentials};
///
/// let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
/// let token = TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
/// let signer = Signer::hmac_sha1(&client, Some(&token))?
///     .with_realm("Photos")
///     .without_version();
///
/// let request = Request::new("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original");
/// let signed = signer.sign(&request, "chapoH", 137131202)?;
/// assert_eq!(signed.signature(), "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
///
/// // The same choices, but the protocol parameters in the query.
/// let query = signer.clone().with_placement(Placement::Query);
/// assert!(query.sign(&request, "chapoH", 137131202)?.url().contains("&oauth_signature=MdpQ"));
/// # Ok::<(), oauth1_core::SignError>(())
/// ```
#[derive(Clone)]
pub struct Signer<M = BuiltinMethod> {
    consumer_key: String,
    token: Option<String>,
    /// Whether the consumer key, the token and the method name encode to themselves (checked
    /// once, here).
    verbatim: (bool, bool, bool),
    method: M,
    /// What computes `oauth_body_hash` (the method computes the signature).
    crypto: &'static CryptoProvider,
    choices: Choices,
}

impl Signer<BuiltinMethod> {
    /// A signer for a built-in method. HMAC keys are derived here, once.
    ///
    /// `token` is `None` for the temporary-credentials request (§2.1); it is the temporary
    /// credentials for the token request (§2.3) and the token credentials afterwards.
    ///
    /// Header placement, `oauth_version="1.0"`, no realm and no body hash until the `with_*`
    /// methods say otherwise.
    pub fn new(
        method: SignatureMethodName,
        client: &ClientCredentials,
        token: Option<&TokenCredentials>,
    ) -> Result<Self, SignError> {
        Signer::with_crypto(default_provider(), method, client, token)
    }

    /// [`new`](Self::new) with HMAC-SHA1, the method most providers take.
    pub fn hmac_sha1(
        client: &ClientCredentials,
        token: Option<&TokenCredentials>,
    ) -> Result<Self, SignError> {
        Signer::new(SignatureMethodName::HmacSha1, client, token)
    }

    /// [`new`](Self::new), with every digest, HMAC and RSA operation computed by `provider`
    /// instead of the [default provider](crate::crypto::default_provider).
    pub fn with_crypto(
        provider: &'static CryptoProvider,
        method: SignatureMethodName,
        client: &ClientCredentials,
        token: Option<&TokenCredentials>,
    ) -> Result<Self, SignError> {
        Ok(Signer::with_method(
            client.key(),
            token.map(TokenCredentials::token),
            BuiltinMethod::with_crypto(provider, method, client, token)?,
        )
        .with_crypto_provider(provider))
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
            crypto: default_provider(),
            choices: Choices::default(),
        }
    }

    /// Computes `oauth_body_hash` with `provider` instead of the
    /// [default provider](crate::crypto::default_provider). (A custom method computes its
    /// signature itself; [`Signer::with_crypto`] sets both for a built-in one.)
    #[must_use]
    pub fn with_crypto_provider(mut self, provider: &'static CryptoProvider) -> Self {
        self.crypto = provider;
        self
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

    /// Signs `request` with the signer's choices: collects and normalizes its parameters,
    /// builds the signature base string, signs it, and renders the protocol parameters in the
    /// signer's placement.
    ///
    /// `nonce` should be a fresh random string for each request with the same timestamp
    /// ([`client::nonce`](crate::client::nonce) makes one with `std` and `ring`); `timestamp` is
    /// seconds since the Unix epoch.
    ///
    /// One heap allocation with a built-in HMAC or PLAINTEXT method: the returned [`Signed`]
    /// keeps the base string, the signature and what is sent in one buffer.
    /// [`sign_into`](Self::sign_into) writes into a buffer the caller reuses, and allocates
    /// nothing.
    pub fn sign(
        &self,
        request: &Request<'_>,
        nonce: &str,
        timestamp: u64,
    ) -> Result<Signed, SignError> {
        self.sign_with(request, &Extras::new(), nonce, timestamp)
    }

    /// [`sign`](Self::sign), with this request's `oauth_callback`, `oauth_verifier` or extra
    /// protocol parameters.
    ///
    /// ```
    /// use oauth1_core::client::Extras;
    /// use oauth1_core::{ClientCredentials, Request, Signer};
    ///
    /// let signer = Signer::hmac_sha1(&ClientCredentials::new("key", "secret"), None)?;
    /// let request = Request::new("POST", "https://api.example.com/oauth/request_token");
    /// let signed = signer.sign_with(&request, &Extras::new().callback("oob"), "n", 1)?;
    /// assert!(signed.authorization().unwrap().starts_with(r#"OAuth oauth_callback="oob", "#));
    /// # Ok::<(), oauth1_core::SignError>(())
    /// ```
    pub fn sign_with(
        &self,
        request: &Request<'_>,
        extras: &Extras<'_>,
        nonce: &str,
        timestamp: u64,
    ) -> Result<Signed, SignError> {
        let mut buf = String::new();
        let parts = self.sign_in(request, extras, nonce, timestamp, &mut buf)?;
        Ok(Signed::new(self.choices.placement, buf, parts))
    }

    /// Signs `request` like [`sign_with`](Self::sign_with) and appends to `out` only what the
    /// placement sends: the `Authorization` header value (header placement), the URL (query
    /// placement) or the new body (body placement).
    ///
    /// `out` is also the working space (the base string is written there first, then removed):
    /// a caller that keeps one `String` and clears it between requests signs without any heap
    /// allocation once it has grown to fit (built-in HMAC and PLAINTEXT methods, and custom
    /// methods that implement [`SignatureMethod::sign_to_slice`]). On error `out` is left as it
    /// was.
    ///
    /// ```
    /// use oauth1_core::client::Extras;
    /// use oauth1_core::{ClientCredentials, Request, Signer};
    ///
    /// let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
    /// let signer = Signer::hmac_sha1(&client, None)?;
    /// let mut header = String::with_capacity(1024);
    /// for nonce in ["n1", "n2"] {
    ///     header.clear();
    ///     let request = Request::new("GET", "https://api.example.com/me?fields=name");
    ///     signer.sign_into(&request, &Extras::new(), nonce, 1_700_000_000, &mut header)?;
    ///     assert!(header.starts_with("OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\""));
    /// }
    /// # Ok::<(), oauth1_core::SignError>(())
    /// ```
    pub fn sign_into(
        &self,
        request: &Request<'_>,
        extras: &Extras<'_>,
        nonce: &str,
        timestamp: u64,
        out: &mut String,
    ) -> Result<(), SignError> {
        let start = out.len();
        match self.sign_in(request, extras, nonce, timestamp, out) {
            Ok(parts) => {
                let keep = match self.choices.placement {
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
        extras: &Extras<'_>,
        nonce: &str,
        timestamp: u64,
        buf: &mut String,
    ) -> Result<Parts, SignError> {
        let _span = crate::trace::sign(
            request.method(),
            request.url(),
            self.method.name(),
            self.choices.placement,
        );
        let parts = self.sign_steps(request, extras, nonce, timestamp, buf);
        if let Err(e) = &parts {
            crate::trace::sign_refused(e);
        }
        parts
    }

    /// [`sign_in`](Self::sign_in)'s steps.
    fn sign_steps(
        &self,
        request: &Request<'_>,
        extras: &Extras<'_>,
        nonce: &str,
        timestamp: u64,
        buf: &mut String,
    ) -> Result<Parts, SignError> {
        validate_method(request.method())?;
        let url = Url::parse(request.url())?;
        let form_body = request.form_text()?;
        check_choices(request, &self.choices, form_body)?;
        let mut body_hash_buf = [0u8; 88];
        let body_hash = self.body_hash_of(request, form_body, &mut body_hash_buf)?;
        let mut timestamp_buf = [0u8; 20];
        let timestamp = decimal(timestamp, &mut timestamp_buf);
        let protocol = self.protocol_params(extras, nonce, timestamp, body_hash)?;

        // A URL without a query has no query parameters (§3.4.1.3.1).
        let query = url.query.unwrap_or("");
        let capacity = max_request_params(query, form_body) + protocol.count();
        let mut list: InlineList<Param<'_>, INLINE_PARAMS> = InlineList::with_capacity(capacity);
        let reading = self.choices.query_reading();
        collect(&protocol, query, reading, form_body, &mut list)?;
        let params = list.as_slice();
        // `capacity` bounds the list: more would have spilled to the heap.
        debug_assert!(params.len() <= capacity, "{capacity} parameters at most");

        let bound = self.reservation(request, &url, params, &protocol, form_body);
        // One reservation for everything below, a signature of up to SIGNATURE_SLICE_LEN
        // characters included (a longer one, RSA's, grows the buffer once more).
        buf.reserve(bound + 4 * SIGNATURE_SLICE_LEN);
        let start = buf.len();
        write_base_string(request.method(), &url, params, buf);
        let base_end = buf.len();
        crate::trace::base_string(invariant::some(buf.get(start..base_end)));
        let mut signature_buf = [0u8; SIGNATURE_SLICE_LEN];
        let mut signature_owned = String::new();
        // `start` was `buf`'s length before the base string was appended: a char boundary.
        let signature = self.signature(
            invariant::some(buf.get(start..)),
            &mut signature_buf,
            &mut signature_owned,
        )?;
        buf.push_str(signature);
        let signature_end = buf.len();
        write_wire_url(&url, buf);
        let (url_end, protocol_start) =
            protocol.place(&self.choices, url.query, form_body, signature, buf);
        // The reservation is an upper bound: an estimate too small fails the tests (issue 33).
        debug_assert!(
            buf.len() - start <= bound + 4 * signature.len(),
            "sign_steps wrote {} bytes, over its bound {bound} + 4 × {}",
            buf.len() - start,
            signature.len()
        );
        Ok(Parts {
            secret_signature: self.method.name() == SignatureMethodName::Plaintext.as_str(),
            base_end,
            signature_end,
            url_end,
            protocol_start,
        })
    }

    /// An upper bound of what [`sign_steps`](Self::sign_steps) writes, less 4 × the
    /// signature's length (the signature, and its encoded copy in the placement).
    ///
    /// A text byte grows at most 5 times in the base string (`:` → `%3A` → `%253A`) and 3 times
    /// on the wire (`"` of a realm twice); the URL is written twice, in the base string and as
    /// sent. `tests/mutation_holes.rs` makes each term the one that matters.
    fn reservation(
        &self,
        request: &Request<'_>,
        url: &Url<'_>,
        params: &[Param<'_>],
        protocol: &ProtocolParams<'_>,
        form_body: Option<&str>,
    ) -> usize {
        // Each parameter's name and value, its `=` and `&` (5 × the 2 bytes covers `%3D`, `%26`
        // in the base string, and a protocol parameter's `, `, `="` and `"` in the header).
        let params_len: usize = params
            .iter()
            .map(|p| p.name.raw().len() + p.value.raw().len() + 2)
            .sum();
        let body = match self.choices.placement {
            Placement::Body => form_body.map_or(0, str::len),
            _ => 0,
        };
        request.method().len()
            + 8 * url.without_fragment.len()
            + 5 * params_len
            + 3 * protocol.raw_len()
            + 2 * self.choices.realm.as_deref().map_or(0, str::len)
            + body
        // No term for the fixed text (`OAuth `, `realm=""`, `oauth_signature=`, `%3A%2F%2F`, a
        // `?`): `oauth_consumer_key` and `oauth_signature_method`, always signed, stand once in
        // the base string and once in the placement but are counted 8 times, which leaves more
        // room than that text takes.
    }

    /// The signature of `base_string`: on the stack when the method can, else in `owned`.
    fn signature<'b>(
        &self,
        base_string: &str,
        stack: &'b mut [u8; SIGNATURE_SLICE_LEN],
        owned: &'b mut String,
    ) -> Result<&'b str, SignError> {
        let signature = match self.method.sign_to_slice(base_string, stack)? {
            Some(n) => stack
                .get(..n)
                .and_then(|s| core::str::from_utf8(s).ok())
                .ok_or(SignError::Signature(SignatureError::Backend))?,
            None => {
                self.method.sign(base_string, owned)?;
                owned.as_str()
            }
        };
        // No method, built-in or custom, may make `oauth_signature=""`.
        if signature.is_empty() {
            return Err(SignError::Signature(SignatureError::Backend));
        }
        Ok(signature)
    }

    /// `oauth_body_hash` (Base64, in `buf`), when the signer sends one for this request: never
    /// for a form body or body placement, whose parameters are signed already.
    fn body_hash_of<'b>(
        &self,
        request: &Request<'_>,
        form_body: Option<&str>,
        buf: &'b mut [u8; 88],
    ) -> Result<Option<&'b str>, SignError> {
        let algorithm = match self.choices.body_hash_for(form_body.is_some()) {
            BodyHash::Off => return Ok(None),
            BodyHash::With(algorithm) => algorithm,
            BodyHash::MethodDigest => self
                .method
                .body_hash_algorithm()
                .ok_or(SignError::BodyHashNeedsAlgorithm)?,
        };
        // A request without a body hashes the empty one (what Mastercard requires of a GET).
        let body = request.body().unwrap_or(&[]);
        let n = self.crypto.base64_digest_into(algorithm, body, buf)?;
        buf.get(..n)
            .and_then(|s| core::str::from_utf8(s).ok())
            .map(Some)
            .ok_or(SignError::Signature(SignatureError::Backend))
    }

    /// The protocol parameters of one request, checked against the extra ones.
    fn protocol_params<'s>(
        &'s self,
        extras: &Extras<'s>,
        nonce: &'s str,
        timestamp: &'s str,
        body_hash: Option<&'s str>,
    ) -> Result<ProtocolParams<'s>, SignError> {
        // By name, in alphabetical order, as most providers document them; `oauth_signature`'s
        // slot is filled when rendering.
        let mut values = [None; Name::ALL.len()];
        values[Name::BodyHash.index()] = body_hash.map(Text::Plain);
        values[Name::Callback.index()] = extras.callback.map(Text::Plain);
        values[Name::ConsumerKey.index()] = Some(self.consumer_key_text());
        values[Name::Nonce.index()] = Some(classify(nonce));
        values[Name::SignatureMethod.index()] = Some(self.method_text());
        values[Name::Timestamp.index()] = Some(Text::Verbatim(timestamp));
        values[Name::Token.index()] = self.token_text();
        values[Name::Verifier.index()] = extras.verifier.map(Text::Plain);
        values[Name::Version.index()] = self.choices.version.then_some(Text::Verbatim("1.0"));
        for (i, &(name, _)) in extras.params.iter().enumerate() {
            let repeated = Name::of(Text::Plain(name))
                .is_some_and(|n| n == Name::Signature || values[n.index()].is_some())
                || extras
                    .params
                    .iter()
                    .take(i)
                    .any(|&(other, _)| other == name);
            // A header's `realm` is the realm, never a parameter (§3.4.1.3.1 leaves it out of
            // the base string): signed as one, the request could not verify.
            let realm_in_header = name == "realm" && self.choices.placement == Placement::Header;
            if repeated || name.is_empty() || realm_in_header {
                return Err(SignError::InvalidExtraParameter(name.into()));
            }
        }
        let mut protocol = ProtocolParams {
            values,
            extra: extras.params,
        };
        if self.choices.as_sent_in_header() {
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

/// Checks the choices that depend on the request: body placement needs a form body (or none),
/// and a realm must fit in a header.
fn check_choices(
    request: &Request<'_>,
    choices: &Choices,
    form_body: Option<&str>,
) -> Result<(), SignError> {
    if choices.placement == Placement::Body && request.body().is_some() && form_body.is_none() {
        return Err(SignError::BodyNotForm);
    }
    if let Some(realm) = choices.realm.as_deref()
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
    reading: QueryReading,
    form_body: Option<&'a str>,
    list: &mut InlineList<Param<'a>, INLINE_PARAMS>,
) -> Result<(), SignError> {
    list.extend(protocol.signed());
    let protocol_count = list.as_slice().len();
    list.extend(request_params(query, form_body, reading).map(|(_, p)| p));
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
            .field("choices", &self.choices)
            .finish()
    }
}

#[cfg(test)]
#[cfg(feature = "sha1")]
mod tests {
    use super::*;
    use crate::header::write_authorization;
    use crate::request::RequestError;

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
            .with_realm("Example")
            .without_version()
            .sign(&rfc_request(), "7d8f3e4a", 137131201)
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
        for placement in [Placement::Query, Placement::Body] {
            let signed = rfc_signer()
                .without_version()
                .with_placement(placement)
                .sign(&rfc_request(), "7d8f3e4a", 137131201)
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
        assert!(matches!(
            s.sign(&Request::new("", "http://h/"), "n", 1),
            Err(SignError::Request(RequestError::InvalidMethod))
        ));
        assert!(matches!(
            s.sign(&Request::new("GET", "h/"), "n", 1),
            Err(SignError::Request(RequestError::MissingScheme))
        ));
        let json = Request::new("POST", "http://h/").with_body(Some("application/json"), b"{}");
        assert!(matches!(
            s.clone()
                .with_placement(Placement::Body)
                .sign(&json, "n", 1),
            Err(SignError::BodyNotForm)
        ));
        let bad = Request::new("POST", "http://h/").with_form_body(&[0xff]);
        assert!(matches!(
            s.sign(&bad, "n", 1),
            Err(SignError::Request(RequestError::FormBodyNotUtf8))
        ));
        assert!(matches!(
            s.clone()
                .with_realm("a\nb")
                .sign(&Request::new("GET", "http://h/"), "n", 1),
            Err(SignError::InvalidRealm)
        ));
        let has_oauth = Request::new("GET", "http://h/?oauth_token=x");
        assert!(matches!(
            s.sign(&has_oauth, "n", 1),
            Err(SignError::ProtocolParameterInRequest(name)) if name == "oauth_token"
        ));
        let extra = [("oauth_nonce", "x")];
        assert!(matches!(
            s.sign_with(
                &Request::new("GET", "http://h/"),
                &Extras::new().params(&extra),
                "n",
                1
            ),
            Err(SignError::InvalidExtraParameter(_))
        ));
        let realm = [("realm", "x")];
        let with_realm = Extras::new().params(&realm);
        let get = Request::new("GET", "http://h/");
        assert!(matches!(
            s.sign_with(&get, &with_realm, "n", 1),
            Err(SignError::InvalidExtraParameter(name)) if name == "realm"
        ));
        // In the query or the body, `realm` is a parameter like any other.
        let query = s.clone().with_placement(Placement::Query);
        assert!(query.sign_with(&get, &with_realm, "n", 1).is_ok());
    }

    #[test]
    fn oauth_params_reads_back_a_header_past_a_verifier_s_limits() {
        let names: alloc::vec::Vec<String> =
            (0..40).map(|i| alloc::format!("xoauth_{i}")).collect();
        let extra: alloc::vec::Vec<(&str, &str)> =
            names.iter().map(|n| (n.as_str(), "v")).collect();
        let signed = rfc_signer()
            .sign_with(&rfc_request(), &Extras::new().params(&extra), "n", 1)
            .unwrap();
        let plain = rfc_signer().sign(&rfc_request(), "n", 1).unwrap();
        // 40 extra parameters and the signer's own: more than a header parser takes by default.
        assert_eq!(signed.oauth_params().len(), plain.oauth_params().len() + 40);
    }

    #[test]
    fn a_body_hash_is_left_out_of_form_requests_and_body_placement() {
        // The extension forbids it where the body's parameters are signed: a signer that hashes
        // bodies signs form requests without it, as the RFC alone would.
        let hashing = rfc_signer().with_body_hash(BodyHash::MethodDigest);
        let plain = rfc_signer();
        let with = hashing.sign(&rfc_request(), "n", 1).unwrap();
        assert_eq!(with, plain.sign(&rfc_request(), "n", 1).unwrap());
        let get = Request::new("GET", "http://h/");
        let body = hashing
            .with_placement(Placement::Body)
            .sign(&get, "n", 1)
            .unwrap();
        assert!(!body.base_string().contains("oauth_body_hash"));
    }

    #[test]
    fn body_hash_on_json_body() {
        let json = Request::new("POST", "http://h/").with_body(Some("application/json"), b"");
        let signed = rfc_signer()
            .with_body_hash(BodyHash::MethodDigest)
            .sign(&json, "n", 1)
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
            .sign(&Request::new("GET", &query), "n", 1)
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
        let signer = signer
            .with_body_hash(BodyHash::MethodDigest)
            .with_values_as_sent();
        let extras = Extras::new().callback("https://c/?a=1%202");
        let signed = signer.sign_with(&request, &extras, "n+1", 1).unwrap();
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
            .with_placement(Placement::Query)
            .sign_with(&request, &extras, "n+1", 1)
            .unwrap();
        assert!(
            query
                .base_string()
                .contains("oauth_consumer_key%3Dkey%25211%26")
        );
        assert!(query.url().contains("oauth_consumer_key=key%211"));
    }
}
