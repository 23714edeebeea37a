//! Feature `blocking`: the same for [`reqwest::blocking`]: sign a request in place (or a builder,
//! through [`SignRequestBuilder`](crate::SignRequestBuilder)), and run the three legs.
//!
//! ```no_run
//! use oauth1_core::{ClientCredentials, SignatureMethodName, Signer};
//! use oauth1_reqwest::SignRequestBuilder as _;
//!
//! let signer = Signer::new(SignatureMethodName::HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
//! let client = reqwest::blocking::Client::builder().referer(false).build()?;
//! let answer = client.get("https://api.example.com/1/items?page=2").sign(&signer)?.send()?.text()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use oauth1_core::{
    Consumer, SignConfig, SignatureMethod, Signed, Signer, TokenCredentials, TokenResponse,
};
use reqwest::blocking::{Client, Request, RequestBuilder};
use reqwest::header::HeaderMap;
use reqwest::{Method, Url};

use crate::Error;
use crate::sign::{BodyView, Outgoing, sign_in_place};

/// Signs a built [`reqwest::blocking::Request`] in place, like [`crate::sign`] does for the async
/// client. A body made from a reader ([`Body::new`](reqwest::blocking::Body::new)) is a stream:
/// when the signature covers it, [`Error::StreamingBody`] (call
/// [`Body::buffer`](reqwest::blocking::Body::buffer) first).
pub fn sign<M: SignatureMethod>(
    signer: &Signer<M>,
    config: &SignConfig,
    request: &mut Request,
) -> Result<Signed, Error> {
    sign_in_place(signer, config, request)
}

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`). See
/// [`crate::request_token`].
pub fn request_token(
    client: &Client,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error> {
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed = consumer.temporary_request(callback, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = post(client, &signed)?;
    Ok(consumer.read_temporary(status, &body)?)
}

/// §2.3: exchanges the temporary credentials and the verifier for token credentials. See
/// [`crate::access_token`].
pub fn access_token(
    client: &Client,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error> {
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed =
        consumer.token_request(temporary, verifier, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = post(client, &signed)?;
    Ok(consumer.read_token(status, &body)?)
}

/// POSTs a signed flow request (header placement) and reads the answer, error statuses included.
fn post(client: &Client, signed: &Signed) -> Result<(u16, Vec<u8>), Error> {
    let mut request = client.post(signed.url());
    if let Some(authorization) = signed.authorization() {
        request = request.header(reqwest::header::AUTHORIZATION, authorization);
    }
    let response = request.send().map_err(Error::Http)?;
    let status = response.status().as_u16();
    // At most one byte past what the core accepts: an endless answer is refused, not buffered.
    use std::io::Read as _;
    let mut body = Vec::new();
    response
        .take(oauth1_core::client::MAX_TOKEN_RESPONSE as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| {
            match e
                .into_inner()
                .map(|inner| inner.downcast::<reqwest::Error>())
            {
                Some(Ok(e)) => Error::Http(*e),
                Some(Err(other)) => Error::Read(std::io::Error::other(other)),
                None => Error::Read(std::io::Error::other("the response body could not be read")),
            }
        })?;
    if body.len() > oauth1_core::client::MAX_TOKEN_RESPONSE {
        return Err(Error::Flow(oauth1_core::FlowError::TooLarge));
    }
    Ok((status, body))
}

impl crate::SignRequestBuilder for RequestBuilder {
    fn sign_with<M: SignatureMethod>(
        self,
        signer: &Signer<M>,
        config: &SignConfig,
    ) -> Result<Self, Error> {
        let (client, request) = self.build_split();
        let mut request = request.map_err(Error::Http)?;
        sign_in_place(signer, config, &mut request)?;
        Ok(RequestBuilder::from_parts(client, request))
    }
}

impl crate::sign::sealed::Sealed for RequestBuilder {}

impl Outgoing for Request {
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
