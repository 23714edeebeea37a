//! RFC 5849 §2: redirection-based authorization — the three legs, as pure functions.
//!
//! > 1. The client obtains a set of temporary credentials from the server (§2.1) […]
//! > 2. The resource owner authorizes the server to grant the client's access request (§2.2) […]
//! > 3. The client uses the temporary credentials to request a set of token credentials from the
//! >    server (§2.3) […]
//!
//! Responses are `application/x-www-form-urlencoded`:
//!
//! > oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true
//!
//! Providers add fields callers need (`user_id`, `screen_name`): [`TokenResponse`] keeps them.
//! Some providers omit `oauth_callback_confirmed`; it is checked by default, with an opt-out.
//! Error responses carrying `oauth_problem` (and Jira's `oauth_signature_base_string`) are
//! surfaced as [`FlowError::Problem`].

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::credentials::TokenCredentials;
use crate::encoding::{Text, encode_into};
use crate::params::form_pairs;
use crate::problem::ProblemReport;
use crate::protocol::{CALLBACK_CONFIRMED, PROBLEM, PROBLEM_ADVICE, TOKEN, TOKEN_SECRET, VERIFIER};

/// A parsed temporary-credentials (§2.1) or token-credentials (§2.3) response.
///
/// ```
/// use oauth1_core::client::TokenResponse;
///
/// let response = TokenResponse::parse_temporary(
///     b"oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true",
/// ).unwrap();
/// assert_eq!(response.credentials().token(), "hh5s93j4hdidpola");
///
/// let response = TokenResponse::parse(
///     b"oauth_token=nnch734d00sl2jdk&oauth_token_secret=pfkkdhi9sl3r4s00&user_id=42&screen_name=ada",
/// ).unwrap();
/// assert_eq!(response.get("screen_name"), Some("ada"));
/// ```
#[derive(Clone)]
pub struct TokenResponse {
    credentials: TokenCredentials,
    callback_confirmed: Option<bool>,
    extra: Vec<(String, String)>,
}

impl TokenResponse {
    /// Parses a token-credentials response (§2.3), or any response that must carry a token and
    /// its secret.
    pub fn parse(body: &[u8]) -> Result<Self, FlowError> {
        let text = core::str::from_utf8(body).map_err(|_| FlowError::NotUtf8)?;
        crate::encoding::validate_escapes(body).map_err(|_| FlowError::Malformed)?;
        let mut token = None;
        let mut secret = None;
        let mut confirmed = None;
        let mut problem = None;
        let mut extra = Vec::new();
        for p in form_pairs(text) {
            let name = decode(p.name);
            let value = decode(p.value);
            match name.as_str() {
                TOKEN => set_once(&mut token, value, TOKEN)?,
                TOKEN_SECRET => set_once(&mut secret, value, TOKEN_SECRET)?,
                CALLBACK_CONFIRMED => {
                    set_once(&mut confirmed, value == "true", CALLBACK_CONFIRMED)?;
                }
                PROBLEM => {
                    problem = Some(value.clone());
                    extra.push((name, value));
                }
                _ => extra.push((name, value)),
            }
        }
        if let Some(problem) = problem {
            return Err(FlowError::Problem(ProblemReport {
                problem,
                fields: extra,
            }));
        }
        let token = token.ok_or(FlowError::Missing(TOKEN))?;
        let secret = secret.ok_or(FlowError::Missing(TOKEN_SECRET))?;
        Ok(TokenResponse {
            credentials: TokenCredentials::new(token, secret),
            callback_confirmed: confirmed,
            extra,
        })
    }

    /// Parses a temporary-credentials response (§2.1), requiring `oauth_callback_confirmed=true`.
    ///
    /// Use [`TokenResponse::parse`] for providers that leave it out.
    pub fn parse_temporary(body: &[u8]) -> Result<Self, FlowError> {
        let response = Self::parse(body)?;
        match response.callback_confirmed {
            Some(true) => Ok(response),
            Some(false) => Err(FlowError::CallbackNotConfirmed),
            None => Err(FlowError::Missing(CALLBACK_CONFIRMED)),
        }
    }

    /// The token and its secret.
    pub fn credentials(&self) -> &TokenCredentials {
        &self.credentials
    }

    /// Takes the token and its secret.
    pub fn into_credentials(self) -> TokenCredentials {
        self.credentials
    }

    /// `oauth_callback_confirmed`, if the response carried it.
    pub fn callback_confirmed(&self) -> Option<bool> {
        self.callback_confirmed
    }

    /// The other fields (`user_id`, `screen_name`, …), decoded, in the order received.
    pub fn extra(&self) -> &[(String, String)] {
        &self.extra
    }

    /// The first extra field called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("credentials", &self.credentials)
            .field("callback_confirmed", &self.callback_confirmed)
            .field("extra", &self.extra)
            .finish()
    }
}

/// A client's side of the three legs (§2), Sans-IO: it builds each signed request and reads each
/// response; the caller (an adapter crate) sends them and supplies nonces and timestamps.
///
/// ```
/// # #[cfg(feature = "sha1")] {
/// use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
/// use oauth1_core::client::Endpoints;
///
/// let consumer = Consumer::new(
///     ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44"),
///     SignatureMethodName::HmacSha1,
///     Endpoints::new(
///         "https://photos.example.net/initiate",
///         "https://photos.example.net/authorize",
///         "https://photos.example.net/token",
///     ),
/// )
/// .with_realm("Photos")
/// .without_version(); // as in the RFC's examples
///
/// // 1. Temporary credentials: POST this (RFC 5849 §1.2's first request).
/// let signed = consumer.temporary_request("http://printer.example.com/ready", "wIjqoS", 137131200)?;
/// assert_eq!(signed.signature(), "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
/// let temporary = consumer.read_temporary(
///     200,
///     b"oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true",
/// )?;
///
/// // 2. Send the resource owner here.
/// assert_eq!(
///     consumer.authorize_url(temporary.credentials()),
///     "https://photos.example.net/authorize?oauth_token=hh5s93j4hdidpola"
/// );
///
/// // 3. Token credentials, with the verifier from the callback.
/// let signed = consumer.token_request(temporary.credentials(), "hfdp7dh39dks9884", "walatlh", 137131201)?;
/// assert_eq!(signed.signature(), "gKgrFCywp7rO0OXSjdot/IHF7IU=");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Consumer {
    client: crate::ClientCredentials,
    method: crate::SignatureMethodName,
    endpoints: Endpoints,
    /// The realm sent with every request, the flow's and [`signer`](Consumer::signer)'s.
    realm: Option<String>,
    version: bool,
    /// Mastercard's convention ([`Signer::for_mastercard`](crate::Signer::for_mastercard)).
    mastercard: bool,
    require_callback_confirmed: bool,
}

/// The provider's three endpoints (§2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// Temporary credential request URI (§2.1), e.g. `…/oauth/request_token`.
    pub request_token: String,
    /// Resource owner authorization URI (§2.2), e.g. `…/oauth/authorize`.
    pub authorize: String,
    /// Token request URI (§2.3), e.g. `…/oauth/access_token`.
    pub access_token: String,
}

impl Endpoints {
    /// The three endpoint URLs.
    pub fn new(
        request_token: impl Into<String>,
        authorize: impl Into<String>,
        access_token: impl Into<String>,
    ) -> Self {
        Endpoints {
            request_token: request_token.into(),
            authorize: authorize.into(),
            access_token: access_token.into(),
        }
    }
}

impl Consumer {
    /// A client with its credentials, signature method and the provider's endpoints. Requests are
    /// `POST`s with header placement and `oauth_version="1.0"`.
    pub fn new(
        client: crate::ClientCredentials,
        method: crate::SignatureMethodName,
        endpoints: Endpoints,
    ) -> Self {
        Consumer {
            client,
            method,
            endpoints,
            realm: None,
            version: true,
            mastercard: false,
            require_callback_confirmed: true,
        }
    }

    /// Sends this `realm` in the `Authorization` header: of the flow's requests and of every
    /// request a [`signer`](Self::signer) of this consumer signs.
    #[must_use]
    pub fn with_realm(mut self, realm: impl Into<String>) -> Self {
        self.realm = Some(realm.into());
        self
    }

    /// Leaves out `oauth_version` (it is optional; a few providers reject it), from the flow's
    /// requests and from its [`signer`](Self::signer)s'.
    #[must_use]
    pub fn without_version(mut self) -> Self {
        self.version = false;
        self
    }

    /// Signs as Mastercard's signers do ([`Signer::for_mastercard`](crate::Signer::for_mastercard):
    /// a SHA-256 `oauth_body_hash` on every request, the protocol values and the query as their
    /// signers encode them): the flow's requests and every [`signer`](Self::signer)'s.
    ///
    /// ```
    /// use oauth1_core::client::Endpoints;
    /// use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
    ///
    /// let endpoints = Endpoints::new("https://p.test/rt", "https://p.test/a", "https://p.test/at");
    /// let client = ClientCredentials::new("key!1", "secret");
    /// let consumer = Consumer::new(client, SignatureMethodName::HmacSha256, endpoints).for_mastercard();
    /// let signed = consumer.temporary_request("oob", "n", 1)?;
    /// let empty_body = r#"oauth_body_hash="47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=""#;
    /// assert!(signed.authorization().unwrap().contains(empty_body));
    /// assert!(signed.base_string().contains("oauth_consumer_key%3Dkey%211%26"));
    /// # Ok::<(), oauth1_core::SignError>(())
    /// ```
    #[must_use]
    pub fn for_mastercard(mut self) -> Self {
        self.mastercard = true;
        self
    }

    /// Accepts temporary-credentials responses that leave out `oauth_callback_confirmed`
    /// (providers implementing OAuth 1.0 rather than 1.0a). An explicit
    /// `oauth_callback_confirmed=false` is still refused.
    #[must_use]
    pub fn allow_unconfirmed_callback(mut self) -> Self {
        self.require_callback_confirmed = false;
        self
    }

    /// The client credentials.
    pub fn client(&self) -> &crate::ClientCredentials {
        &self.client
    }

    /// The signature method.
    pub fn method(&self) -> crate::SignatureMethodName {
        self.method
    }

    /// The endpoints.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// The realm, if one is sent.
    pub fn realm(&self) -> Option<&str> {
        self.realm.as_deref()
    }

    /// A signer for protected-resource requests with the token credentials obtained, carrying
    /// this consumer's choices (method, realm, version, Mastercard's convention); its `with_*` methods add more
    /// (placement, body hash).
    pub fn signer(
        &self,
        token: Option<&TokenCredentials>,
    ) -> Result<crate::Signer, crate::SignError> {
        let signer = crate::Signer::new(self.method, &self.client, token)?;
        let signer = match &self.realm {
            Some(realm) => signer.with_realm(realm.as_str()),
            None => signer,
        };
        let signer = match self.version {
            true => signer,
            false => signer.without_version(),
        };
        Ok(match self.mastercard {
            true => signer.for_mastercard(),
            false => signer,
        })
    }

    /// §2.1: the signed `POST` to the temporary-credentials endpoint, with `oauth_callback` (an
    /// absolute URI, or `oob`). Send `signed.url()` with `signed.authorization()`.
    pub fn temporary_request(
        &self,
        callback: &str,
        nonce: &str,
        timestamp: u64,
    ) -> Result<crate::Signed, crate::SignError> {
        let request = crate::Request::new("POST", &self.endpoints.request_token);
        let extras = crate::sign::Extras::new().callback(callback);
        self.signer(None)?
            .sign_with(&request, &extras, nonce, timestamp)
    }

    /// §2.1: reads the provider's answer (status and body) to the temporary-credentials request.
    pub fn read_temporary(&self, status: u16, body: &[u8]) -> Result<TokenResponse, FlowError> {
        let response = read_response(status, body)?;
        match response.callback_confirmed {
            Some(true) => Ok(response),
            // An explicit `false` says the provider did not take the callback: refused even
            // with the opt-out, which is for providers that leave the field out.
            Some(false) => Err(FlowError::CallbackNotConfirmed),
            None if !self.require_callback_confirmed => Ok(response),
            None => Err(FlowError::Missing(CALLBACK_CONFIRMED)),
        }
    }

    /// §2.2: where to send the resource owner to approve the temporary credentials.
    pub fn authorize_url(&self, temporary: &TokenCredentials) -> String {
        authorize_url(&self.endpoints.authorize, temporary.token())
    }

    /// §2.3: the signed `POST` to the token endpoint, with the temporary credentials and the
    /// verifier the callback (or the PIN shown for `oob`) carried.
    pub fn token_request(
        &self,
        temporary: &TokenCredentials,
        verifier: &str,
        nonce: &str,
        timestamp: u64,
    ) -> Result<crate::Signed, crate::SignError> {
        let request = crate::Request::new("POST", &self.endpoints.access_token);
        let extras = crate::sign::Extras::new().verifier(verifier);
        self.signer(Some(temporary))?
            .sign_with(&request, &extras, nonce, timestamp)
    }

    /// §2.3: reads the provider's answer to the token request: the token credentials, with the
    /// provider's extra fields (`user_id`, `screen_name`, …).
    pub fn read_token(&self, status: u16, body: &[u8]) -> Result<TokenResponse, FlowError> {
        read_response(status, body)
    }
}

/// A provider answer: an `oauth_problem` wins, then a non-2xx status, then the token fields.
fn read_response(status: u16, body: &[u8]) -> Result<TokenResponse, FlowError> {
    if body.len() > MAX_TOKEN_RESPONSE {
        return Err(FlowError::TooLarge);
    }
    if !(200..300).contains(&status) {
        return Err(match ProblemReport::parse(body) {
            Some(report) => {
                crate::trace::provider_refused(status, &report.problem);
                FlowError::Problem(report)
            }
            None => FlowError::Status(status),
        });
    }
    TokenResponse::parse(body)
}

/// Renders a token response body: `oauth_token=…&oauth_token_secret=…` and the given extra
/// fields, encoded (what a provider sends).
///
/// ```
/// let body = oauth1_core::server::render_token_response("t", "s", &[("oauth_callback_confirmed", "true")]);
/// assert_eq!(body, "oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true");
/// ```
pub fn render_token_response(token: &str, secret: &str, extra: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let fields = [(TOKEN, token), (TOKEN_SECRET, secret)];
    for (i, (name, value)) in fields.iter().chain(extra).enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(name, &mut out);
        out.push('=');
        encode_into(value, &mut out);
    }
    out
}

/// The resource-owner authorization URL (§2.2): `authorize_url` with `oauth_token` added to its
/// query.
///
/// ```
/// let url = oauth1_core::client::authorize_url("https://photos.example.net/authorize", "hh5s93j4hdidpola");
/// assert_eq!(url, "https://photos.example.net/authorize?oauth_token=hh5s93j4hdidpola");
/// let url = oauth1_core::client::authorize_url("https://x.example/auth?force_login=true", "a b");
/// assert_eq!(url, "https://x.example/auth?force_login=true&oauth_token=a%20b");
/// ```
pub fn authorize_url(authorize_url: &str, temporary_token: &str) -> String {
    append_query(authorize_url, &[(TOKEN, temporary_token)])
}

/// The provider's redirect to the client's callback (§2.2): `callback` with `oauth_token` and
/// `oauth_verifier` added to its query (before any fragment). [`CallbackParams::from_url`](crate::client::CallbackParams::from_url) reads
/// it back.
///
/// ```
/// let url = oauth1_core::server::callback_url("http://printer.example.com/ready", "hh5s93j4hdidpola", "hfdp7dh39dks9884");
/// assert_eq!(url, "http://printer.example.com/ready?oauth_token=hh5s93j4hdidpola&oauth_verifier=hfdp7dh39dks9884");
/// let url = oauth1_core::server::callback_url("https://app.example/cb?state=1#done", "t", "v w");
/// assert_eq!(url, "https://app.example/cb?state=1&oauth_token=t&oauth_verifier=v%20w#done");
/// ```
pub fn callback_url(callback: &str, token: &str, verifier: &str) -> String {
    append_query(callback, &[(TOKEN, token), (VERIFIER, verifier)])
}

/// `url` with `params` (encoded) added to its query, before any fragment.
fn append_query(url: &str, params: &[(&str, &str)]) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let extra: usize = params.iter().map(|(n, v)| n.len() + 3 * v.len() + 2).sum();
    let mut out = String::with_capacity(url.len() + extra);
    out.push_str(base);
    let mut separator = match base.split_once('?') {
        None => Some('?'),
        Some((_, q)) if q.is_empty() || q.ends_with('&') => None,
        Some(_) => Some('&'),
    };
    for (name, value) in params {
        if let Some(c) = separator {
            out.push(c);
        }
        separator = Some('&');
        out.push_str(name);
        out.push('=');
        encode_into(value, &mut out);
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    // The capacity is an upper bound (a value byte encodes to 3 at most): too small an estimate
    // fails the tests (issue 33).
    debug_assert!(out.len() <= url.len() + extra, "append_query's bound");
    out
}

pub(crate) fn decode(t: Text<'_>) -> String {
    String::from_utf8_lossy(&t.decoded()).into_owned()
}

pub(crate) fn set_once<T>(
    slot: &mut Option<T>,
    value: T,
    name: &'static str,
) -> Result<(), FlowError> {
    if slot.is_some() {
        return Err(FlowError::Duplicate(name));
    }
    *slot = Some(value);
    Ok(())
}

/// Reading a report: the token-response parser reads problems too (see `problem.rs`).
impl ProblemReport {
    /// Parses a form-encoded body that carries `oauth_problem`; `None` if it carries none.
    ///
    /// ```
    /// let report = oauth1_core::client::ProblemReport::parse(
    ///     b"oauth_problem=signature_invalid&oauth_signature_base_string=GET%26http",
    /// ).unwrap();
    /// assert_eq!(report.problem, "signature_invalid");
    /// assert_eq!(report.base_string(), Some("GET&http"));
    /// ```
    pub fn parse(body: &[u8]) -> Option<Self> {
        match TokenResponse::parse(body) {
            Err(FlowError::Problem(report)) => Some(report),
            _ => None,
        }
    }
}

/// Why a provider response could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlowError {
    /// The provider answered with an `oauth_problem`.
    Problem(ProblemReport),
    /// A required field is missing.
    Missing(&'static str),
    /// A field appears twice.
    Duplicate(&'static str),
    /// `oauth_callback_confirmed` is not `true`.
    CallbackNotConfirmed,
    /// The response is not valid UTF-8.
    NotUtf8,
    /// The response is not valid `application/x-www-form-urlencoded` text.
    Malformed,
    /// The provider answered with a non-2xx status and no `oauth_problem`.
    Status(u16),
    /// The response is longer than [`MAX_TOKEN_RESPONSE`]: a token response is a few hundred
    /// bytes, and a client that reads an endless one runs out of memory. Adapters stop reading
    /// there.
    TooLarge,
    /// The callback names another temporary token than the one being authorized
    /// ([`CallbackParams::verifier_for`](crate::client::CallbackParams::verifier_for)).
    TokenMismatch,
}

/// The most a flow step reads of a provider's answer (64 KiB): token responses and problem
/// reports are a few hundred bytes. [`Consumer::read_token`] refuses a longer body with
/// [`FlowError::TooLarge`], and every adapter stops reading at this many bytes plus one.
pub const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Problem(report) => {
                write!(f, "the provider reported {PROBLEM}={}", report.problem)?;
                if let Some(advice) = report.get(PROBLEM_ADVICE) {
                    write!(f, " ({advice})")?;
                }
                Ok(())
            }
            FlowError::Missing(name) => write!(f, "the provider's response has no {name}"),
            FlowError::Duplicate(name) => write!(f, "the provider's response has {name} twice"),
            FlowError::CallbackNotConfirmed => f.write_str(
                "the provider did not confirm the callback (oauth_callback_confirmed is not true); \
                 parse with TokenResponse::parse to accept providers that omit it",
            ),
            FlowError::NotUtf8 => f.write_str("the provider's response is not UTF-8"),
            FlowError::Malformed => f.write_str("the provider's response is not form-encoded"),
            FlowError::TooLarge => write!(
                f,
                "the provider's response is longer than {MAX_TOKEN_RESPONSE} bytes: not a token response"
            ),
            FlowError::TokenMismatch => f.write_str(
                "the callback's oauth_token is not the temporary token being authorized",
            ),
            FlowError::Status(status) => write!(
                f,
                "the provider answered with HTTP status {status} and no oauth_problem"
            ),
        }
    }
}

impl core::error::Error for FlowError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callback::CallbackParams;
    use alloc::string::ToString;

    #[test]
    fn temporary_credentials_need_confirmation_by_default() {
        let body = b"oauth_token=t&oauth_token_secret=s";
        assert_eq!(
            TokenResponse::parse_temporary(body).unwrap_err(),
            FlowError::Missing("oauth_callback_confirmed")
        );
        assert!(TokenResponse::parse(body).is_ok());
        let body = b"oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=false";
        assert_eq!(
            TokenResponse::parse_temporary(body).unwrap_err(),
            FlowError::CallbackNotConfirmed
        );
    }

    #[test]
    fn malformed_responses() {
        assert_eq!(
            TokenResponse::parse(b"oauth_token_secret=s").unwrap_err(),
            FlowError::Missing("oauth_token")
        );
        assert_eq!(
            TokenResponse::parse(b"oauth_token=t").unwrap_err(),
            FlowError::Missing("oauth_token_secret")
        );
        assert_eq!(
            TokenResponse::parse(b"oauth_token=t&oauth_token=u").unwrap_err(),
            FlowError::Duplicate("oauth_token")
        );
        assert_eq!(
            TokenResponse::parse(&[0xff]).unwrap_err(),
            FlowError::NotUtf8
        );
        assert_eq!(
            TokenResponse::parse(b"a=%zz").unwrap_err(),
            FlowError::Malformed
        );
        assert_eq!(
            TokenResponse::parse(b"<html>").unwrap_err(),
            FlowError::Missing("oauth_token")
        );
    }

    #[test]
    fn problems_are_surfaced() {
        let err =
            TokenResponse::parse(b"oauth_problem=token_rejected&oauth_problem_advice=expired")
                .unwrap_err();
        assert!(err.to_string().contains("token_rejected (expired)"));
        assert!(ProblemReport::parse(b"oauth_token=t&oauth_token_secret=s").is_none());
    }

    #[test]
    fn render_and_parse_round_trip() {
        let body = render_token_response("a b", "c&d", &[("user_id", "1"), ("screen_name", "ü")]);
        let parsed = TokenResponse::parse(body.as_bytes()).unwrap();
        assert_eq!(parsed.credentials().token(), "a b");
        assert_eq!(parsed.credentials().secret(), "c&d");
        assert_eq!(parsed.get("screen_name"), Some("ü"));
        assert_eq!(parsed.extra().len(), 2);
    }

    #[test]
    fn authorize_urls() {
        assert_eq!(
            authorize_url("https://h/a?", "t"),
            "https://h/a?oauth_token=t"
        );
        assert_eq!(
            authorize_url("https://h/a#x", "t"),
            "https://h/a?oauth_token=t#x"
        );
        assert_eq!(
            CallbackParams::from_url("oauth_token=t&oauth_verifier=v")
                .unwrap()
                .token(),
            "t"
        );
        let callback = CallbackParams::from_url("oauth_token=t&oauth_verifier=v").unwrap();
        assert_eq!(
            callback.verifier_for(&TokenCredentials::new("t", "s")),
            Ok("v")
        );
        assert_eq!(
            callback.verifier_for(&TokenCredentials::new("u", "s")),
            Err(FlowError::TokenMismatch)
        );
        assert_eq!(
            CallbackParams::from_url("http://h/?oauth_token=t").unwrap_err(),
            FlowError::Missing("oauth_verifier")
        );
    }
}
