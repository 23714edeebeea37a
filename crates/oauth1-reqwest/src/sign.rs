//! Signing one request in place: the translation between reqwest's request and the core's, shared
//! by the middleware, the plain client and the blocking client.

use oauth1_core::client::{Clock, Placed};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{SignError, Signed, Signer};
use reqwest::header::HeaderMap;
use reqwest::{Method, Url};

use crate::{Error, transport};

/// Signs a built [`reqwest::Request`] in place, with a fresh nonce, the current time and the
/// signer's choices, for a plain [`reqwest::Client`] (no middleware): call it right before
/// [`execute`](reqwest::Client::execute).
///
/// Header placement sets `Authorization`, query placement rewrites the URL, body placement
/// replaces the body with the signed form. Returns the intermediate values (base string,
/// signature), for debugging a `signature_invalid`. On error the request is left unchanged.
///
/// ```
/// use oauth1_core::{ClientCredentials, Signer};
///
/// let signer = Signer::hmac_sha1(&ClientCredentials::new("key", "secret"), None)?;
/// # let _ = rustls::ClientConfig::builder(); // rustls on ring: see the crate docs, "TLS"
/// let client = reqwest::Client::builder().referer(false).build()?;
/// let mut request = client.get("https://api.example.com/1/items?page=2").build()?;
/// oauth1_reqwest::sign(&signer, &mut request)?;
/// assert!(request.headers()["authorization"].to_str()?.starts_with("OAuth oauth_consumer_key=\"key\""));
/// // client.execute(request).await?
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign<M: SignatureMethod>(
    signer: &Signer<M>,
    request: &mut reqwest::Request,
) -> Result<Signed, SignError> {
    sign_in_place(signer, None, request)
}

/// Signs a request builder of a plain client (async, or [`reqwest::blocking`] with the `blocking`
/// feature) as its last step before `send`: built, signed with [`sign`] and handed back. A query
/// parameter, header or body added after signing is not covered by the signature.
///
/// ```
/// use oauth1_core::{ClientCredentials, Signer};
/// use oauth1_reqwest::SignRequestBuilder as _;
///
/// let signer = Signer::hmac_sha1(&ClientCredentials::new("key", "secret"), None)?;
/// # let _ = rustls::ClientConfig::builder(); // rustls on ring: see the crate docs, "TLS"
/// let builder = reqwest::Client::builder().referer(false).build()?.get("https://api.example.com/1/items?page=2").sign(&signer)?;
/// // builder.send().await?
/// # let request = builder.build()?;
/// # assert!(request.headers().contains_key("authorization"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait SignRequestBuilder: Sized + sealed::Sealed {
    /// Signs with `signer` and its choices.
    fn sign<M: SignatureMethod>(self, signer: &Signer<M>) -> Result<Self, Error>;
}

impl SignRequestBuilder for reqwest::RequestBuilder {
    fn sign<M: SignatureMethod>(self, signer: &Signer<M>) -> Result<Self, Error> {
        let (client, request) = self.build_split();
        let mut request = request.map_err(transport)?;
        sign_in_place(signer, None, &mut request)?;
        Ok(reqwest::RequestBuilder::from_parts(client, request))
    }
}

impl sealed::Sealed for reqwest::RequestBuilder {}

pub(crate) mod sealed {
    /// Only the request builders of reqwest are signed through [`super::SignRequestBuilder`].
    pub trait Sealed {}
}

/// What the async and the blocking requests of reqwest both offer.
pub(crate) trait Outgoing {
    fn method(&self) -> &Method;
    fn url(&self) -> &Url;
    fn url_mut(&mut self) -> &mut Url;
    fn headers_mut(&mut self) -> &mut HeaderMap;
    /// The body in memory (empty for none), or `None` for a stream: reading it would consume it.
    fn body_bytes(&self) -> Option<&[u8]>;
    fn set_body(&mut self, body: String);
}

/// [`Outgoing`] for a request type of reqwest and its body type (async and blocking alike).
macro_rules! outgoing {
    ($request:ty, $body:ty) => {
        impl $crate::sign::Outgoing for $request {
            fn method(&self) -> &reqwest::Method {
                self.method()
            }
            fn url(&self) -> &reqwest::Url {
                self.url()
            }
            fn url_mut(&mut self) -> &mut reqwest::Url {
                self.url_mut()
            }
            fn headers_mut(&mut self) -> &mut reqwest::header::HeaderMap {
                self.headers_mut()
            }
            fn body_bytes(&self) -> Option<&[u8]> {
                self.body().map_or(Some(&[]), <$body>::as_bytes)
            }
            fn set_body(&mut self, body: String) {
                *self.body_mut() = Some(body.into());
            }
        }
    };
}
#[cfg(feature = "blocking")]
pub(crate) use outgoing;

outgoing!(reqwest::Request, reqwest::Body);

/// Signs `request` in place with the core's one client-side step, at the time of `clock` (the
/// system clock's for `None`); on error it is left unchanged. A stream the signature needs is an
/// error, never an unsigned (or wrongly signed) send.
pub(crate) fn sign_in_place<R: Outgoing, M: SignatureMethod>(
    signer: &Signer<M>,
    clock: Option<&Clock>,
    request: &mut R,
) -> Result<Signed, SignError> {
    // reqwest sends a URL only if it parses as an `http::Uri` (the same parse as here), so this
    // fails only for requests reqwest would refuse.
    let uri = request
        .url()
        .as_str()
        .parse()
        .map_err(|_| SignError::InvalidUri)?;
    let mut parts = http::Request::new(()).into_parts().0;
    parts.method = request.method().clone();
    parts.uri = uri;
    parts.headers = std::mem::take(request.headers_mut());
    let body = match signer.reads_body_of(&parts) {
        false => Some(&[][..]),
        true => request.body_bytes(),
    };
    let outcome = body.ok_or(SignError::StreamingBody).and_then(|body| {
        let (signed, new_body) = match clock {
            Some(clock) => clock.sign_parts(signer, &mut parts, body)?,
            None => oauth1_core::http::sign_now(signer, &mut parts, body)?,
        };
        // Only query placement changes the URL; a URL refused here leaves the request as it was.
        let url = match signed.placed() {
            Placed::Query { url } => Some(Url::parse(url).map_err(|_| SignError::InvalidUri)?),
            _ => None,
        };
        Ok((signed, new_body, url))
    });
    // The headers go back in any case: the signed ones, or the untouched ones on error.
    *request.headers_mut() = std::mem::take(&mut parts.headers);
    let (signed, new_body, url) = outcome?;
    if let Some(url) = url {
        *request.url_mut() = url;
    }
    if let Some(body) = new_body {
        request.set_body(body);
    }
    Ok(signed)
}
