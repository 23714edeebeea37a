//! Feature `http`: sign `http::Request`s and `http::request::Parts` (needs `std`).
//!
//! The rules all live in the core; this module only translates `http` types into a
//! [`Request`] and writes the result back.
//!
//! ```
//! # #[cfg(feature = "sha1")] {
//! use oauth1_core::{ClientCredentials, SignOptions, SignatureMethodName, Signer};
//!
//! let client = ClientCredentials::new("key", "secret");
//! let signer = Signer::new(SignatureMethodName::HmacSha1, &client, None).unwrap();
//! let mut request = http::Request::post("https://api.example.com/statuses")
//!     .header("content-type", "application/x-www-form-urlencoded")
//!     .body(String::from("status=hello"))
//!     .unwrap();
//! signer.sign_http(&mut request, &SignOptions::new(), "nonce", 1_700_000_000).unwrap();
//! assert!(request.headers()["authorization"].to_str().unwrap().starts_with("OAuth oauth_consumer_key=\"key\""));
//! # }
//! ```

use std::string::{String, ToString};

use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use http::request::Parts;

use crate::request::{FORM_CONTENT_TYPE, Request};
use crate::sign::{Placement, SignError, SignOptions, Signed, Signer};
use crate::signature::SignatureMethod;
use crate::verify::{CredentialStore, NonceStore, Verified, Verifier, VerifyError};

impl<M: SignatureMethod> Signer<M> {
    /// Signs the request described by `parts` and `body` without changing them.
    ///
    /// The URI must be absolute (`https://host/path`), as a client sends it.
    pub fn sign_parts(
        &self,
        parts: &Parts,
        body: &[u8],
        options: &SignOptions<'_>,
        nonce: &str,
        timestamp: u64,
    ) -> Result<Signed, SignError> {
        let url = parts.uri.to_string();
        let request = core_request(&parts.method, &url, &parts.headers, body);
        self.sign(&request, options, nonce, timestamp)
    }

    /// Signs `request` in place: sets the `Authorization` header (header placement), replaces the
    /// URI (query placement) or the body (body placement, setting a form `Content-Type` when there
    /// is none). Returns the [`Signed`] result with its intermediate values.
    pub fn sign_http<B>(
        &self,
        request: &mut http::Request<B>,
        options: &SignOptions<'_>,
        nonce: &str,
        timestamp: u64,
    ) -> Result<Signed, HttpSignError>
    where
        B: AsRef<[u8]> + From<String>,
    {
        let (mut parts, body) =
            std::mem::replace(request, http::Request::new(B::from(String::new()))).into_parts();
        let result = self.sign_parts(&parts, body.as_ref(), options, nonce, timestamp);
        let outcome = match result {
            Ok(signed) => apply(&signed, &mut parts).map(|new_body| (signed, new_body)),
            Err(e) => Err(HttpSignError::Sign(e)),
        };
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
}

impl Verifier {
    /// Verifies a request received by an `http`-based server (hyper, axum, …).
    ///
    /// A server sees the request target in origin form (`/path?query`); the absolute URL that was
    /// signed is rebuilt from `scheme` (what the server listens on: `"http"` or `"https"`, or what a
    /// trusted proxy says) and the `Host` header. An absolute-form URI is used as it is.
    pub fn verify_parts<C, N>(
        &self,
        parts: &Parts,
        body: &[u8],
        scheme: &str,
        credentials: &C,
        nonces: &N,
        now: u64,
    ) -> Result<Verified, VerifyError>
    where
        C: CredentialStore + ?Sized,
        N: NonceStore + ?Sized,
    {
        self.verify_received(
            &parts.method,
            &parts.uri,
            &parts.headers,
            body,
            scheme,
            credentials,
            nonces,
            now,
        )
    }

    /// Verifies an `http::Request` whose body is in memory; see [`Verifier::verify_parts`].
    pub fn verify_http<B, C, N>(
        &self,
        request: &http::Request<B>,
        scheme: &str,
        credentials: &C,
        nonces: &N,
        now: u64,
    ) -> Result<Verified, VerifyError>
    where
        B: AsRef<[u8]>,
        C: CredentialStore + ?Sized,
        N: NonceStore + ?Sized,
    {
        self.verify_received(
            request.method(),
            request.uri(),
            request.headers(),
            request.body().as_ref(),
            scheme,
            credentials,
            nonces,
            now,
        )
    }

    /// What both entry points do: rebuild the absolute URL, view the request, verify.
    #[allow(
        clippy::too_many_arguments,
        reason = "the parts of a received request, taken apart"
    )]
    fn verify_received<C, N>(
        &self,
        method: &http::Method,
        uri: &http::Uri,
        headers: &http::HeaderMap,
        body: &[u8],
        scheme: &str,
        credentials: &C,
        nonces: &N,
        now: u64,
    ) -> Result<Verified, VerifyError>
    where
        C: CredentialStore + ?Sized,
        N: NonceStore + ?Sized,
    {
        let url = absolute_url_of(uri, headers, scheme)
            .ok_or(VerifyError::Request(crate::RequestError::MissingHost))?;
        let request = core_request(method, &url, headers, body);
        self.verify(&request, authorization(headers), credentials, nonces, now)
    }
}

/// The core's view of an `http` request: the body counts when there is one or a `Content-Type`.
fn core_request<'a>(
    method: &'a http::Method,
    url: &'a str,
    headers: &'a http::HeaderMap,
    body: &'a [u8],
) -> Request<'a> {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let request = Request::new(method.as_str(), url);
    if !body.is_empty() || content_type.is_some() {
        request.with_body(content_type, body)
    } else {
        request
    }
}

fn authorization(headers: &http::HeaderMap) -> Option<&str> {
    headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())
}

/// The absolute URL of a received request: its URI if absolute, else `scheme://Host` + the
/// origin-form target. `None` when the URI is relative and there is no valid `Host` header.
pub fn absolute_url(parts: &Parts, scheme: &str) -> Option<String> {
    absolute_url_of(&parts.uri, &parts.headers, scheme)
}

fn absolute_url_of(uri: &http::Uri, headers: &http::HeaderMap, scheme: &str) -> Option<String> {
    if uri.scheme().is_some() && uri.authority().is_some() {
        return Some(uri.to_string());
    }
    let host = headers.get(http::header::HOST)?.to_str().ok()?;
    if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
        return None;
    }
    let target = uri
        .path_and_query()
        .map_or("/", http::uri::PathAndQuery::as_str);
    let mut url = String::with_capacity(scheme.len() + 3 + host.len() + target.len());
    for part in [scheme, "://", host, target] {
        url.push_str(part);
    }
    Some(url)
}

/// Writes a [`Signed`] result into request `parts`: the `Authorization` header, or the URI.
///
/// For body placement it sets a form `Content-Type` if none is set and returns the new body,
/// which the caller must send.
pub fn apply(signed: &Signed, parts: &mut Parts) -> Result<Option<String>, HttpSignError> {
    match signed.placement() {
        Placement::Header => {
            let value = HeaderValue::from_str(signed.authorization().unwrap_or_default())
                .map_err(|_| HttpSignError::InvalidHeaderValue)?;
            parts.headers.insert(AUTHORIZATION, value);
            Ok(None)
        }
        Placement::Query => {
            parts.uri = signed
                .url()
                .parse()
                .map_err(|_| HttpSignError::InvalidUri)?;
            Ok(None)
        }
        Placement::Body => {
            if !parts.headers.contains_key(CONTENT_TYPE) {
                parts
                    .headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static(FORM_CONTENT_TYPE));
            }
            Ok(signed.body().map(str::to_string))
        }
    }
}

/// Why an `http` request could not be signed in place.
#[derive(Debug)]
#[non_exhaustive]
pub enum HttpSignError {
    /// Signing failed.
    Sign(SignError),
    /// The `Authorization` value is not a valid header value.
    InvalidHeaderValue,
    /// The signed URL is not a URI the `http` crate accepts.
    InvalidUri,
}

impl std::fmt::Display for HttpSignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpSignError::Sign(e) => e.fmt(f),
            HttpSignError::InvalidHeaderValue => {
                f.write_str("the Authorization value is not a valid HTTP header value")
            }
            HttpSignError::InvalidUri => f.write_str("the signed URL is not a valid http::Uri"),
        }
    }
}

impl std::error::Error for HttpSignError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HttpSignError::Sign(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SignError> for HttpSignError {
    fn from(e: SignError) -> Self {
        HttpSignError::Sign(e)
    }
}

#[cfg(test)]
#[cfg(feature = "sha1")]
mod tests {
    use super::*;
    use crate::{ClientCredentials, SignatureMethodName};

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
        let o = SignOptions::new().placement(Placement::Query);
        let signed = signer().sign_http(&mut req, &o, "n", 1).unwrap();
        assert_eq!(req.uri().to_string(), signed.url());
        assert!(req.uri().query().unwrap().contains("oauth_signature="));

        let mut req = http::Request::post("http://h/p")
            .body(std::vec::Vec::<u8>::new())
            .unwrap();
        let o = SignOptions::new().placement(Placement::Body);
        signer().sign_http(&mut req, &o, "n", 1).unwrap();
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
        signer
            .sign_http(&mut sent, &SignOptions::new(), "n", 1000)
            .unwrap();
        // What the server receives: origin form plus Host.
        let received = http::Request::get("/p?a=1")
            .header("host", "Example.com:8080")
            .header("authorization", sent.headers()["authorization"].clone())
            .body(std::vec::Vec::<u8>::new())
            .unwrap();
        struct Store;
        impl crate::CredentialStore for Store {
            fn client(&self, _: &str) -> Option<crate::ClientKeys> {
                Some(crate::ClientKeys::shared_secret("s"))
            }
            fn token_secret(&self, _: &str, _: &str) -> Option<String> {
                None
            }
        }
        let nonces = crate::InMemoryNonceStore::new(300);
        let verified = Verifier::new()
            .verify_http(&received, "http", &Store, &nonces, 1000)
            .unwrap();
        assert_eq!(verified.consumer_key(), "k");
        let (parts, _) = received.into_parts();
        assert_eq!(
            absolute_url(&parts, "http").unwrap(),
            "http://Example.com:8080/p?a=1"
        );
        let no_host = http::Request::get("/p").body(()).unwrap().into_parts().0;
        assert_eq!(absolute_url(&no_host, "http"), None);
    }

    #[test]
    fn relative_uri_is_an_error_and_request_is_kept() {
        let mut req = http::Request::get("/p").body(String::from("x")).unwrap();
        assert!(
            signer()
                .sign_http(&mut req, &SignOptions::new(), "n", 1)
                .is_err()
        );
        assert_eq!(req.uri(), "/p");
        assert_eq!(req.body(), "x");
    }
}
