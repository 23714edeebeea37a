//! The one error type of this crate.

/// Why signing or a flow step failed.
///
/// Inside a [`reqwest_middleware`] chain it arrives as
/// [`reqwest_middleware::Error::Middleware`]; `error.downcast_ref::<oauth1_reqwest::Error>()`
/// gets it back.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be signed (bad URL, method, key …).
    Sign(oauth1_core::SignError),
    /// The signed request could not be written back into the request (an `Authorization` value
    /// that is not a header value, a signed URL the `http` crate refuses).
    Apply(oauth1_core::http::HttpSignError),
    /// The request's URL, or the signed URL of query placement, is not one reqwest can send
    /// (reqwest would refuse it too). Holds the URL.
    InvalidUrl(String),
    /// The signature covers the body (a form body, body placement, or a body hash was asked for)
    /// but the body is a stream, which cannot be read without consuming it. Buffer it first
    /// (`Body::from(bytes)`); the request is never sent unsigned.
    StreamingBody,
    /// The operating system's random source failed to give a nonce.
    Nonce,
    /// Building or sending the request, or reading the response, failed.
    Http(reqwest::Error),
    /// The middleware was asked to sign PLAINTEXT into the query string, which puts both secrets
    /// into the URL (and reqwest's `Referer` carries it to the next host on a redirect); not
    /// sent. See [`SigningMiddleware::allow_plaintext_in_query`](crate::SigningMiddleware::allow_plaintext_in_query).
    PlaintextInQuery,
    /// Reading a flow step's answer failed in a way reqwest does not report as its own error
    /// (the blocking client's reader).
    Read(std::io::Error),
    /// The provider's answer to a flow step was an error (with its `oauth_problem`, when it sent
    /// one) or could not be read.
    Flow(oauth1_core::FlowError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Sign(e) => write!(f, "cannot sign the request: {e}"),
            Error::Apply(e) => write!(f, "cannot write the signature into the request: {e}"),
            Error::InvalidUrl(url) => write!(f, "not a URL an HTTP request can be sent to: {url}"),
            Error::StreamingBody => f.write_str(
                "the signature covers the body, but the body is a stream: buffer it before signing",
            ),
            Error::Nonce => f.write_str("the operating system's random source failed"),
            Error::Http(e) => write!(f, "HTTP request failed: {e}"),
            Error::Read(e) => write!(f, "cannot read the provider's answer: {e}"),
            Error::PlaintextInQuery => f.write_str(
                "PLAINTEXT in the query string would put both secrets into the URL: use header placement (or allow it explicitly on the middleware, with .referer(false) on the client)",
            ),
            Error::Flow(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sign(e) => Some(e),
            Error::Apply(e) => Some(e),
            Error::Http(e) => Some(e),
            Error::Read(e) => Some(e),
            Error::Flow(e) => Some(e),
            Error::InvalidUrl(_)
            | Error::StreamingBody
            | Error::Nonce
            | Error::PlaintextInQuery => None,
        }
    }
}

impl From<oauth1_core::SignError> for Error {
    fn from(e: oauth1_core::SignError) -> Self {
        Error::Sign(e)
    }
}

impl From<oauth1_core::http::HttpSignError> for Error {
    fn from(e: oauth1_core::http::HttpSignError) -> Self {
        match e {
            oauth1_core::http::HttpSignError::Sign(e) => Error::Sign(e),
            other => Error::Apply(other),
        }
    }
}

impl From<oauth1_core::FlowError> for Error {
    fn from(e: oauth1_core::FlowError) -> Self {
        Error::Flow(e)
    }
}
