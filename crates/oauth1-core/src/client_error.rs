//! The one error shape of the HTTP-client adapters: the core's errors plus the client's own.

use core::fmt;

use crate::flow::FlowError;
use crate::sign::SignError;

/// Why an HTTP client could not sign, send or complete an OAuth request: every client adapter
/// (`oauth1-hyper`, `oauth1-ureq`, `oauth1-reqwest`, `oauth1-surf`) returns this, with its
/// client's transport error as `E`.
///
/// ```
/// use oauth1_core::client::Error;
/// use oauth1_core::{FlowError, SignError};
///
/// let e: Error<std::io::Error> = Error::Flow(FlowError::Status(503));
/// assert_eq!(e.to_string(), "the provider answered with HTTP status 503 and no oauth_problem");
/// let e: Error<std::io::Error> = SignError::NonceUnavailable.into();
/// assert!(e.to_string().starts_with("cannot sign the request: "));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be signed, or the signature not written into it (it was not sent).
    Sign(SignError),
    /// The provider's answer to a flow step was an error or could not be read.
    Flow(FlowError),
    /// Sending the request or reading the response failed.
    Transport(E),
    /// The provider refused the request's timestamp; the adapter's clock is corrected for the
    /// next requests, but this request was not sent again because its body was a stream
    /// ([`Skew::resend`](crate::client::Skew::resend)).
    #[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
    NotResent(crate::clock::NotResent),
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sign(e) => write!(f, "cannot sign the request: {e}"),
            Error::Flow(e) => e.fmt(f),
            Error::Transport(e) => write!(f, "HTTP request failed: {e}"),
            #[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
            Error::NotResent(e) => e.fmt(f),
        }
    }
}

impl<E: core::error::Error + 'static> core::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Error::Sign(e) => Some(e),
            Error::Flow(e) => Some(e),
            Error::Transport(e) => Some(e),
            #[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
            Error::NotResent(e) => Some(e),
        }
    }
}

impl<E> From<SignError> for Error<E> {
    fn from(e: SignError) -> Self {
        Error::Sign(e)
    }
}

#[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
impl<E> From<crate::clock::NotResent> for Error<E> {
    fn from(e: crate::clock::NotResent) -> Self {
        Error::NotResent(e)
    }
}

impl<E> From<FlowError> for Error<E> {
    fn from(e: FlowError) -> Self {
        Error::Flow(e)
    }
}

/// The transport error of an HTTP library whose own error is a boxed error (tower services,
/// `http_body` bodies) or does not implement [`core::error::Error`] (surf): `Error<TransportError>`.
#[derive(Debug)]
pub struct TransportError(pub alloc::boxed::Box<dyn core::error::Error + Send + Sync>);

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl core::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}
