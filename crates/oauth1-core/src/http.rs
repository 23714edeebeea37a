//! Feature `http`: sign `http::Request`s and `http::request::Parts` (needs `std`).
//!
//! The rules all live in the core; this module only translates `http` types into a
//! [`Request`] and writes the result back.
//!
//! ```
//! # #[cfg(feature = "sha1")] {
//! use oauth1_core::{ClientCredentials, Signer};
//!
//! let client = ClientCredentials::new("key", "secret");
//! let signer = Signer::hmac_sha1(&client, None).unwrap();
//! let mut request = http::Request::post("https://api.example.com/statuses")
//!     .header("content-type", "application/x-www-form-urlencoded")
//!     .body(String::from("status=hello"))
//!     .unwrap();
//! signer.sign_http(&mut request, "nonce", 1_700_000_000).unwrap();
//! assert!(request.headers()["authorization"].to_str().unwrap().starts_with("OAuth oauth_consumer_key=\"key\""));
//! # }
//! ```

use std::format;
use std::string::{String, ToString};

use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use http::request::Parts;

mod forwarded;
use crate::request::Request;
use crate::sign::{Placed, SignError, Signed, Signer};
use crate::signature::SignatureMethod;
use crate::verify::{CredentialStore, NonceStore, Verified, Verifier, VerifyError};
pub use forwarded::{InvalidCidr, TrustedProxies};

impl<M: SignatureMethod> Signer<M> {
    /// Signs the request described by `parts` and `body` without changing them.
    ///
    /// The URI must be absolute (`https://host/path`), as a client sends it.
    pub fn sign_parts(
        &self,
        parts: &Parts,
        body: &[u8],
        nonce: &str,
        timestamp: u64,
    ) -> Result<Signed, SignError> {
        let url = parts.uri.to_string();
        let request = core_request(&parts.method, &url, &parts.headers, body);
        self.sign(&request, nonce, timestamp)
    }

    /// Signs `request` in place: sets the `Authorization` header (header placement), replaces the
    /// URI (query placement) or the body (body placement, setting a form `Content-Type` when there
    /// is none). Returns the [`Signed`] result with its intermediate values. On error the request
    /// is left as it was.
    pub fn sign_http<B>(
        &self,
        request: &mut http::Request<B>,
        nonce: &str,
        timestamp: u64,
    ) -> Result<Signed, SignError>
    where
        B: AsRef<[u8]> + From<String>,
    {
        let (mut parts, body) =
            std::mem::replace(request, http::Request::new(B::from(String::new()))).into_parts();
        let outcome = self
            .sign_parts(&parts, body.as_ref(), nonce, timestamp)
            .and_then(|signed| apply(&signed, &mut parts).map(|new_body| (signed, new_body)));
        match outcome {
            Ok((signed, new_body)) => {
                let body = new_body.map_or(body, B::from);
                *request = http::Request::from_parts(parts, body);
                Ok(signed)
            }
            Err(e) => {
                *request = http::Request::from_parts(parts, body);
                Err(e)
            }
        }
    }

    /// Whether signing the request `parts` describe needs its body
    /// ([`Signer::reads_body`] for its `Content-Type`): an HTTP client reads the body into
    /// memory only then, and streams it untouched otherwise.
    pub fn reads_body_of(&self, parts: &Parts) -> bool {
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        self.reads_body(content_type)
    }
}

#[cfg(any(feature = "ring", feature = "getrandom"))]
impl<M: SignatureMethod> Signer<M> {
    /// [`sign_http`](Self::sign_http) with a fresh nonce and the current time: one in-memory
    /// `http::Request` (hyper's, ureq's, any client on the `http` crate) signed in place and
    /// ready to send, with what was signed. On error the request is left as it was.
    ///
    /// ```
    /// # #[cfg(feature = "sha1")] {
    /// use oauth1_core::{ClientCredentials, Signer};
    ///
    /// let signer = Signer::hmac_sha1(&ClientCredentials::new("key", "secret"), None)?;
    /// let mut request = http::Request::post("https://api.example.com/items")
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(b"name=widget".to_vec())?;
    /// let signed = signer.sign_http_now(&mut request)?;
    /// assert!(signed.base_string().starts_with("POST&https%3A%2F%2Fapi.example.com%2Fitems&name%3Dwidget"));
    /// assert!(request.headers()["authorization"].to_str()?.starts_with("OAuth "));
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_http_now<B>(&self, request: &mut http::Request<B>) -> Result<Signed, SignError>
    where
        B: AsRef<[u8]> + From<String>,
    {
        let nonce = crate::client::nonce()?;
        self.sign_http(request, &nonce, crate::client::timestamp_now())
    }
}

/// The client-side step every `http`-based adapter takes, whole: a fresh nonce and the current
/// time, the signature, and the result written into `parts` ([`apply`]). `body` is the body as
/// it will be sent, or empty when [`Signer::reads_body_of`] says the signature does not cover
/// it. Returns what was signed and, for body placement, the new body to send. On error `parts`
/// is left as it was.
#[cfg(any(feature = "ring", feature = "getrandom"))]
pub fn sign_now<M: SignatureMethod>(
    signer: &Signer<M>,
    parts: &mut Parts,
    body: &[u8],
) -> Result<(Signed, Option<String>), SignError> {
    sign_parts_at(signer, parts, body, crate::client::timestamp_now())
}

/// [`sign_now`] at `timestamp`: what [`sign_now`] and a corrected
/// [`Clock`](crate::client::Clock) share.
#[cfg(any(feature = "ring", feature = "getrandom"))]
pub(crate) fn sign_parts_at<M: SignatureMethod>(
    signer: &Signer<M>,
    parts: &mut Parts,
    body: &[u8],
    timestamp: u64,
) -> Result<(Signed, Option<String>), SignError> {
    let signed = signer.sign_parts(parts, body, &crate::client::nonce()?, timestamp)?;
    let new_body = apply(&signed, parts)?;
    Ok((signed, new_body))
}

impl Verifier {
    /// Verifies a request received by an `http`-based server (hyper, axum, …).
    ///
    /// A server sees the request target in origin form (`/path?query`); the absolute URL that was
    /// signed is rebuilt from `origin`: the server's scheme with the `Host` header, or a fixed
    /// public origin (see [`Origin`]). A target in absolute form (`GET https://host/path`) must
    /// name that same scheme and host, or the request is refused
    /// ([`RequestError::AuthorityMismatch`](crate::RequestError::AuthorityMismatch)): otherwise a
    /// client could choose the URL it is verified against.
    ///
    /// `body` is the body as received, or `None` when the server did not read it (a streaming
    /// server reads it only when [`body_is_signed`](crate::server::body_is_signed) says so). A request
    /// that carries `oauth_body_hash` is refused without its body
    /// ([`VerifyError::BodyNotGiven`]).
    pub fn verify_parts<C, N>(
        &self,
        parts: &Parts,
        body: Option<&[u8]>,
        origin: &Origin,
        credentials: &C,
        nonces: &N,
        now: u64,
    ) -> Result<Verified, VerifyError>
    where
        C: CredentialStore + ?Sized,
        N: NonceStore + ?Sized,
    {
        let url =
            absolute_url_of(&parts.uri, &parts.headers, origin).map_err(VerifyError::Request)?;
        let request = received_request(&parts.method, &url, &parts.headers, body);
        self.verify(
            &request,
            authorization(&parts.headers),
            credentials,
            nonces,
            now,
        )
    }

    /// Verifies an `http::Request` whose body is in memory; see [`Verifier::verify_parts`].
    pub fn verify_http<B, C, N>(
        &self,
        request: &http::Request<B>,
        origin: &Origin,
        credentials: &C,
        nonces: &N,
        now: u64,
    ) -> Result<Verified, VerifyError>
    where
        B: AsRef<[u8]>,
        C: CredentialStore + ?Sized,
        N: NonceStore + ?Sized,
    {
        let url = absolute_url_of(request.uri(), request.headers(), origin)
            .map_err(VerifyError::Request)?;
        let received = received_request(
            request.method(),
            &url,
            request.headers(),
            Some(request.body().as_ref()),
        );
        self.verify(
            &received,
            authorization(request.headers()),
            credentials,
            nonces,
            now,
        )
    }
}

/// Where clients reach a server, as they sign it: the scheme and host of the base string URI
/// (RFC 5849 §3.4.1.2) that [`Verifier::verify_parts`] rebuilds for a received request.
///
/// ```
/// use oauth1_core::http::Origin;
///
/// // The server's own scheme; the host is the request's `Host` header.
/// let direct = Origin::host_header("https");
/// // Behind a TLS-terminating proxy or a load balancer: the public origin clients sign, whatever
/// // `Host` the proxy forwards.
/// let public = Origin::fixed("https://api.example.com")?;
/// assert_eq!(public.authority(), Some("api.example.com"));
/// # let _ = direct;
/// # Ok::<(), oauth1_core::RequestError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    authority: Option<String>,
}

impl Origin {
    /// The server's scheme (`"http"` or `"https"`); the host and port come from each request's
    /// `Host` header.
    pub fn host_header(scheme: &str) -> Origin {
        Origin {
            scheme: scheme.to_ascii_lowercase(),
            authority: None,
        }
    }

    /// A fixed public origin, `scheme://host[:port]` (no path, query or fragment): the base
    /// string URI uses it whatever `Host` the request carries. For servers behind a proxy or a
    /// load balancer, where `Host` may name an internal address.
    pub fn fixed(origin: &str) -> Result<Origin, crate::RequestError> {
        use crate::RequestError;
        // The core's one URL parser checks scheme, host and port; an origin has nothing after them.
        let url = crate::request::Url::parse(origin)?;
        if !matches!(url.path, "" | "/") || url.query.is_some() || origin.contains('#') {
            return Err(RequestError::InvalidHost);
        }
        let authority = match url.port {
            Some(port) => format!("{}:{port}", url.host),
            None => url.host.to_string(),
        };
        Ok(Origin {
            scheme: url.scheme.to_ascii_lowercase(),
            authority: Some(authority),
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The fixed host and port, or `None` when they come from `Host`.
    pub fn authority(&self) -> Option<&str> {
        self.authority.as_deref()
    }
}

/// A received request as the verifier sees it: `parts`' method and `Content-Type`, the absolute
/// `url` its client signed ([`absolute_url`]), and the body when the server read one. For the
/// step-by-step verification ([`Verifier::begin`]) with stores that look up asynchronously.
pub fn received<'a>(parts: &'a Parts, url: &'a str, body: Option<&'a [u8]>) -> Request<'a> {
    received_request(&parts.method, url, &parts.headers, body)
}

/// The `Authorization` header's value, if it is text.
pub fn authorization(headers: &http::HeaderMap) -> Option<&str> {
    headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())
}

fn received_request<'a>(
    method: &'a http::Method,
    url: &'a str,
    headers: &'a http::HeaderMap,
    body: Option<&'a [u8]>,
) -> Request<'a> {
    let request = Request::new(method.as_str(), url);
    match body {
        Some(body) => request.with_body(content_type(headers), body),
        None => request,
    }
}

fn core_request<'a>(
    method: &'a http::Method,
    url: &'a str,
    headers: &'a http::HeaderMap,
    body: &'a [u8],
) -> Request<'a> {
    Request::new(method.as_str(), url).with_body_if_present(content_type(headers), body)
}

fn content_type(headers: &http::HeaderMap) -> Option<&str> {
    headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
}

/// The absolute URL of a received request, as its client signed it (see
/// [`Verifier::verify_parts`]).
pub fn absolute_url(parts: &Parts, origin: &Origin) -> Result<String, crate::RequestError> {
    absolute_url_of(&parts.uri, &parts.headers, origin)
}

fn absolute_url_of(
    uri: &http::Uri,
    headers: &http::HeaderMap,
    origin: &Origin,
) -> Result<String, crate::RequestError> {
    use crate::RequestError;
    // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
    // request message that lacks a Host header field and to any that contains more than one".
    // With a fixed origin too: a proxy in front may have routed by the other one.
    let mut hosts = headers.get_all(http::header::HOST).iter();
    let first_host = hosts.next();
    if hosts.next().is_some() {
        return Err(RequestError::DuplicateHost);
    }
    let host = match (&origin.authority, first_host) {
        (Some(fixed), _) => fixed.as_str(),
        (None, Some(value)) => {
            let host = value.to_str().map_err(|_| RequestError::InvalidHost)?;
            if host.is_empty() {
                return Err(RequestError::MissingHost);
            }
            if !valid_authority(host) {
                return Err(RequestError::InvalidHost);
            }
            host
        }
        // HTTP/2 carries the host in `:authority`, which `http` puts in the URI.
        (None, None) => uri
            .authority()
            .map(http::uri::Authority::as_str)
            .ok_or(RequestError::MissingHost)?,
    };
    // An absolute-form target names the server it was meant for: it must be this one.
    if let Some(authority) = uri.authority() {
        // An authority-form target (CONNECT's `host:port`) has no scheme: the empty one, no server's.
        let scheme = uri.scheme_str().unwrap_or("");
        if !scheme.eq_ignore_ascii_case(&origin.scheme)
            || !same_authority(authority.as_str(), host, &origin.scheme)
        {
            return Err(RequestError::AuthorityMismatch);
        }
    }
    let target = uri
        .path_and_query()
        .map_or("/", http::uri::PathAndQuery::as_str);
    let mut url = String::with_capacity(origin.scheme.len() + 3 + host.len() + target.len());
    for part in [origin.scheme.as_str(), "://", host, target] {
        url.push_str(part);
    }
    Ok(url)
}

/// A `host[:port]` with no character that would end the authority of a URL.
fn valid_authority(authority: &str) -> bool {
    !authority.is_empty()
        && !authority
            .bytes()
            .any(|b| matches!(b, b'/' | b'?' | b'#' | b'@' | b'\\') || b <= b' ' || b == 0x7f)
}

/// Whether two authorities name the same server: the same base string URI authority (RFC 5849
/// §3.4.1.2: host lower-cased, the scheme's default port dropped), by the one rule that builds it.
fn same_authority(a: &str, b: &str, scheme: &str) -> bool {
    let uri = |authority: &str| {
        crate::base_string::base_string_uri(&format!("{scheme}://{authority}/")).ok()
    };
    matches!((uri(a), uri(b)), (Some(x), Some(y)) if x == y)
}

/// Writes a [`Signed`] result into request `parts`, as [`Signed::placed`] says: the
/// `Authorization` header, or the URI.
///
/// For body placement it sets a form `Content-Type` if none is set and returns the new body,
/// which the caller must send. On error `parts` is left as it was.
pub fn apply(signed: &Signed, parts: &mut Parts) -> Result<Option<String>, SignError> {
    match signed.placed() {
        Placed::Header { authorization } => {
            let value =
                HeaderValue::from_str(authorization).map_err(|_| SignError::InvalidHeaderValue)?;
            parts.headers.insert(AUTHORIZATION, value);
            Ok(None)
        }
        Placed::Query { url } => {
            parts.uri = url.parse().map_err(|_| SignError::InvalidUri)?;
            Ok(None)
        }
        Placed::Body { body, content_type } => {
            if !parts.headers.contains_key(CONTENT_TYPE) {
                parts
                    .headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            }
            Ok(Some(body.to_string()))
        }
    }
}

#[cfg(test)]
#[cfg(feature = "sha1")]
mod tests {
    use super::*;
    use crate::request::FORM_CONTENT_TYPE;
    use crate::{ClientCredentials, Placement, SignatureMethodName};

    fn signer() -> Signer {
        Signer::new(
            SignatureMethodName::HmacSha1,
            &ClientCredentials::new("k", "s"),
            None,
        )
        .unwrap()
    }

    #[test]
    fn query_and_body_in_place() {
        let mut req = http::Request::get("http://h/p?a=1")
            .body(String::new())
            .unwrap();
        let signed = signer()
            .with_placement(Placement::Query)
            .sign_http(&mut req, "n", 1)
            .unwrap();
        assert_eq!(req.uri().to_string(), signed.url());
        assert!(req.uri().query().unwrap().contains("oauth_signature="));

        let mut req = http::Request::post("http://h/p")
            .body(std::vec::Vec::<u8>::new())
            .unwrap();
        signer()
            .with_placement(Placement::Body)
            .sign_http(&mut req, "n", 1)
            .unwrap();
        assert!(
            std::str::from_utf8(req.body())
                .unwrap()
                .starts_with("oauth_consumer_key=k&")
        );
        assert_eq!(req.headers()[CONTENT_TYPE], FORM_CONTENT_TYPE);
    }

    #[test]
    fn server_side_rebuilds_the_absolute_url() {
        let client = crate::ClientCredentials::new("k", "s");
        let signer = Signer::new(SignatureMethodName::HmacSha1, &client, None).unwrap();
        let mut sent = http::Request::get("http://Example.com:8080/p?a=1")
            .body(String::new())
            .unwrap();
        signer.sign_http(&mut sent, "n", 1000).unwrap();
        // What the server receives: origin form plus Host.
        let received = http::Request::get("/p?a=1")
            .header("host", "Example.com:8080")
            .header("authorization", sent.headers()["authorization"].clone())
            .body(std::vec::Vec::<u8>::new())
            .unwrap();
        struct Store;
        impl crate::CredentialStore for Store {
            fn client(&self, _: &str) -> Option<crate::server::ClientKeys> {
                Some(crate::server::ClientKeys::shared_secret("s"))
            }
            fn token_secret(&self, _: &str, _: &str) -> Option<String> {
                None
            }
        }
        let nonces = crate::server::InMemoryNonceStore::new();
        let verified = Verifier::new()
            .verify_http(
                &received,
                &Origin::host_header("http"),
                &Store,
                &nonces,
                1000,
            )
            .unwrap();
        assert_eq!(verified.consumer_key(), "k");
        let (parts, _) = received.into_parts();
        assert_eq!(
            absolute_url(&parts, &Origin::host_header("http")).unwrap(),
            "http://Example.com:8080/p?a=1"
        );
        let no_host = http::Request::get("/p").body(()).unwrap().into_parts().0;
        assert_eq!(
            absolute_url(&no_host, &Origin::host_header("http")),
            Err(crate::RequestError::MissingHost)
        );
    }

    /// G15e of the second review: two `Host` headers were accepted (the first won), while a
    /// proxy in front may have routed by the second. RFC 9112 §3.2 answers 400, fixed origin or not.
    #[test]
    fn two_host_headers_are_refused() {
        let parts = http::Request::get("/api/echo")
            .header("host", "api.example.com")
            .header("host", "evil.example")
            .body(())
            .unwrap()
            .into_parts()
            .0;
        for origin in [
            Origin::host_header("https"),
            Origin::fixed("https://api.example.com").unwrap(),
        ] {
            assert_eq!(
                absolute_url(&parts, &origin),
                Err(crate::RequestError::DuplicateHost)
            );
        }
        let err = crate::Verifier::new()
            .verify_parts(
                &parts,
                None,
                &Origin::host_header("https"),
                &NoClients,
                &crate::server::InMemoryNonceStore::new(),
                1,
            )
            .unwrap_err();
        assert_eq!(err.status(), 400, "{err}");
    }

    struct NoClients;
    impl crate::CredentialStore for NoClients {
        fn client(&self, _: &str) -> Option<crate::server::ClientKeys> {
            None
        }
        fn token_secret(&self, _: &str, _: &str) -> Option<alloc::string::String> {
            None
        }
    }

    /// F4 of the security review: an absolute-form target (`GET https://bank.example:8443/…`)
    /// was verified as sent, so the client chose the scheme and host it was verified against.
    #[test]
    fn absolute_form_targets_must_name_this_server() {
        let parts = |target: &str, host: &str| {
            http::Request::get(target)
                .header("host", host)
                .body(())
                .unwrap()
                .into_parts()
                .0
        };
        let direct = Origin::host_header("http");
        let other_host = parts("https://bank.example:8443/api/echo", "127.0.0.1:8080");
        assert_eq!(
            absolute_url(&other_host, &direct),
            Err(crate::RequestError::AuthorityMismatch)
        );
        let other_scheme = parts("https://127.0.0.1:8080/api/echo", "127.0.0.1:8080");
        assert_eq!(
            absolute_url(&other_scheme, &direct),
            Err(crate::RequestError::AuthorityMismatch)
        );
        // The same server in absolute form: accepted, default port and case aside.
        let same = parts("http://EXAMPLE.com:80/api?x=1", "example.com");
        assert_eq!(
            absolute_url(&same, &direct).unwrap(),
            "http://example.com/api?x=1"
        );
        // A fixed public origin wins over `Host` (behind a proxy) and pins absolute-form targets.
        let public = Origin::fixed("https://api.example.com").unwrap();
        let proxied = parts("/api/echo", "10.0.0.5:8080");
        assert_eq!(
            absolute_url(&proxied, &public).unwrap(),
            "https://api.example.com/api/echo"
        );
        let elsewhere = parts("https://evil.example/api/echo", "api.example.com");
        assert_eq!(
            absolute_url(&elsewhere, &public),
            Err(crate::RequestError::AuthorityMismatch)
        );
        assert_eq!(
            Origin::fixed("api.example.com"),
            Err(crate::RequestError::MissingScheme)
        );
        assert_eq!(
            Origin::fixed("https://a b"),
            Err(crate::RequestError::InvalidHost)
        );
        assert_eq!(
            Origin::fixed("https://"),
            Err(crate::RequestError::MissingHost)
        );
    }

    #[test]
    fn relative_uri_is_an_error_and_request_is_kept() {
        let mut req = http::Request::get("/p").body(String::from("x")).unwrap();
        assert!(signer().sign_http(&mut req, "n", 1).is_err());
        assert_eq!(req.uri(), "/p");
        assert_eq!(req.body(), "x");
    }
}
