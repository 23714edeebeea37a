//! Signing one request in place: the translation between reqwest's request and the core's, shared
//! by the middleware, the plain client and the blocking client.

use http::header::CONTENT_TYPE;
use http::request::Parts;
use oauth1_core::{SignConfig, SignatureMethod, Signed, Signer};
use reqwest::header::HeaderMap;
use reqwest::{Method, Url};

use crate::Error;

/// Signs a built [`reqwest::Request`] in place, with a fresh nonce and the current time, for a
/// plain [`reqwest::Client`] (no middleware): call it right before
/// [`execute`](reqwest::Client::execute).
///
/// Header placement sets `Authorization`, query placement rewrites the URL, body placement
/// replaces the body with the signed form. A form body is read to be signed and left as it is;
/// any other body is read only when `config` asks for a body hash. Returns the intermediate
/// values (base string, signature), for debugging a `signature_invalid`. On error the request is
/// left unchanged.
///
/// ```
/// use oauth1_core::{ClientCredentials, SignConfig, SignatureMethodName, Signer};
///
/// let signer = Signer::new(SignatureMethodName::HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
/// # let _ = rustls::crypto::ring::default_provider().install_default(); // see the crate docs: TLS
/// let client = reqwest::Client::builder().referer(false).build()?;
/// let mut request = client.get("https://api.example.com/1/items?page=2").build()?;
/// oauth1_reqwest::sign(&signer, &SignConfig::new(), &mut request)?;
/// assert!(request.headers()["authorization"].to_str()?.starts_with("OAuth oauth_consumer_key=\"key\""));
/// // client.execute(request).await?
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign<M: SignatureMethod>(
    signer: &Signer<M>,
    config: &SignConfig,
    request: &mut reqwest::Request,
) -> Result<Signed, Error> {
    sign_in_place(signer, config, request)
}

/// Signs a request builder of a plain client (async, or [`reqwest::blocking`] with the `blocking`
/// feature) as its last step before `send`.
///
/// The builder is built, signed with [`sign`] and handed back. Call it last: a query parameter,
/// header or body added after signing is not covered by the signature.
///
/// ```
/// use oauth1_core::{ClientCredentials, SignatureMethodName, Signer};
/// use oauth1_reqwest::SignRequestBuilder as _;
///
/// let signer = Signer::new(SignatureMethodName::HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
/// # let _ = rustls::crypto::ring::default_provider().install_default(); // see the crate docs: TLS
/// let builder = reqwest::Client::builder().referer(false).build()?.get("https://api.example.com/1/items?page=2").sign(&signer)?;
/// // builder.send().await?
/// # let request = builder.build()?;
/// # assert!(request.headers().contains_key("authorization"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait SignRequestBuilder: Sized + sealed::Sealed {
    /// Signs with header placement and `oauth_version="1.0"`.
    fn sign<M: SignatureMethod>(self, signer: &Signer<M>) -> Result<Self, Error> {
        self.sign_with(signer, &SignConfig::new())
    }

    /// Signs with the given placement, realm, version and body-hash choices.
    fn sign_with<M: SignatureMethod>(
        self,
        signer: &Signer<M>,
        config: &SignConfig,
    ) -> Result<Self, Error>;
}

impl SignRequestBuilder for reqwest::RequestBuilder {
    fn sign_with<M: SignatureMethod>(
        self,
        signer: &Signer<M>,
        config: &SignConfig,
    ) -> Result<Self, Error> {
        let (client, request) = self.build_split();
        let mut request = request.map_err(Error::Http)?;
        sign_in_place(signer, config, &mut request)?;
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
    fn body_view(&self) -> BodyView<'_>;
    fn set_body(&mut self, body: String);
}

/// A request body as far as signing can see it without consuming it.
pub(crate) enum BodyView<'a> {
    /// No body.
    Empty,
    /// A body in memory.
    Bytes(&'a [u8]),
    /// A stream: reading it would consume it.
    Stream,
}

impl Outgoing for reqwest::Request {
    fn method(&self) -> &Method {
        self.method()
    }
    fn url(&self) -> &Url {
        self.url()
    }
    fn url_mut(&mut self) -> &mut Url {
        self.url_mut()
    }
    fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers_mut()
    }
    fn body_view(&self) -> BodyView<'_> {
        match self.body() {
            None => BodyView::Empty,
            Some(body) => body.as_bytes().map_or(BodyView::Stream, BodyView::Bytes),
        }
    }
    fn set_body(&mut self, body: String) {
        *self.body_mut() = Some(body.into());
    }
}

/// Signs `request` in place; on error it is left unchanged.
pub(crate) fn sign_in_place<R: Outgoing, M: SignatureMethod>(
    signer: &Signer<M>,
    config: &SignConfig,
    request: &mut R,
) -> Result<Signed, Error> {
    // reqwest sends a URL only if it parses as an `http::Uri` (the same parse as here), so this
    // fails only for requests reqwest would refuse.
    let uri = request
        .url()
        .as_str()
        .parse()
        .map_err(|_| Error::InvalidUrl(request.url().to_string()))?;
    let mut parts = http::Request::new(()).into_parts().0;
    parts.method = request.method().clone();
    parts.uri = uri;
    parts.headers = std::mem::take(request.headers_mut());
    let outcome = sign_parts(signer, config, &mut parts, request.body_view());
    // The headers go back in any case: the signed ones, or the untouched ones on error.
    *request.headers_mut() = std::mem::take(&mut parts.headers);
    let (signed, new_body, new_url) = outcome?;
    if let Some(url) = new_url {
        *request.url_mut() = url;
    }
    if let Some(body) = new_body {
        request.set_body(body);
    }
    Ok(signed)
}

/// Signs the request `parts` describe, writes the signature into them, and returns what else
/// changed: the new body (body placement) and the new URL (query placement).
fn sign_parts<M: SignatureMethod>(
    signer: &Signer<M>,
    config: &SignConfig,
    parts: &mut Parts,
    body: BodyView<'_>,
) -> Result<(Signed, Option<String>, Option<Url>), Error> {
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let options = config.options_for(content_type);
    // Which bodies the signature covers is the core's decision; a stream it needs is an error,
    // never an unsigned (or wrongly signed) send.
    let body: &[u8] = match body {
        _ if !config.reads_body(content_type) => &[],
        BodyView::Empty => &[],
        BodyView::Bytes(bytes) => bytes,
        BodyView::Stream => return Err(Error::StreamingBody),
    };
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed = signer.sign_parts(parts, body, &options, &nonce, oauth1_core::timestamp_now())?;
    let uri = parts.uri.clone();
    let new_body = oauth1_core::http::apply(&signed, parts)?;
    // Only query placement changes the URI, and it leaves the headers alone: a URL refused here
    // leaves the request as it was.
    let new_url = if parts.uri == uri {
        None
    } else {
        let url = parts.uri.to_string();
        Some(Url::parse(&url).map_err(|_| Error::InvalidUrl(url))?)
    };
    Ok((signed, new_body, new_url))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use oauth1_core::{ClientCredentials, Placement, SignatureMethodName};

    fn signer() -> Signer {
        Signer::new(
            SignatureMethodName::HmacSha1,
            &ClientCredentials::new("k", "s"),
            None,
        )
        .unwrap()
    }

    fn request(method: Method, url: &str) -> reqwest::Request {
        reqwest::Request::new(method, Url::parse(url).unwrap())
    }

    #[test]
    fn a_fragment_is_not_signed_and_query_placement_keeps_the_rest_of_the_url() {
        let mut with = request(Method::GET, "https://h.example/p%20q?a=1#frag");
        let mut without = request(Method::GET, "https://h.example/p%20q?a=1");
        let config = SignConfig::new().placement(Placement::Query);
        let a = sign_in_place(&signer(), &config, &mut with).unwrap();
        let b = sign_in_place(&signer(), &config, &mut without).unwrap();
        assert_eq!(a.base_string_uri(), "https://h.example/p%20q");
        assert_eq!(a.base_string_uri(), b.base_string_uri());
        assert_eq!(with.url().path(), "/p%20q");
        assert!(
            with.url()
                .query()
                .unwrap()
                .starts_with("a=1&oauth_consumer_key=k&")
        );
    }

    #[test]
    fn headers_already_set_are_kept() {
        let mut request = request(Method::GET, "https://h.example/");
        request
            .headers_mut()
            .insert("x-trace", http::HeaderValue::from_static("1"));
        sign_in_place(&signer(), &SignConfig::new(), &mut request).unwrap();
        assert_eq!(request.headers()["x-trace"], "1");
        assert!(request.headers().contains_key(http::header::AUTHORIZATION));
    }
}
