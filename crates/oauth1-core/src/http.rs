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
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let mut request = Request::new(parts.method.as_str(), &url);
        if !body.is_empty() || content_type.is_some() {
            request = request.with_body(content_type, body);
        }
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
