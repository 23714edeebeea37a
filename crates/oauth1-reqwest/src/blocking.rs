//! Feature `blocking`: the same for [`reqwest::blocking`]: sign a request in place (or a builder,
//! through [`SignRequestBuilder`](crate::SignRequestBuilder)), and run the three legs.
//!
//! ```no_run
//! use oauth1_core::{ClientCredentials, Signer};
//! use oauth1_reqwest::SignRequestBuilder as _;
//!
//! let signer = Signer::hmac_sha1(&ClientCredentials::new("key", "secret"), None)?;
//! let client = reqwest::blocking::Client::builder().referer(false).build()?;
//! let answer = client.get("https://api.example.com/1/items?page=2").sign(&signer)?.send()?.text()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::Read as _;

use oauth1_core::client::{MAX_TOKEN_RESPONSE, TokenResponse};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{Consumer, SignError, Signed, Signer, TokenCredentials};
use reqwest::blocking::{Client, Request, RequestBuilder};

use crate::sign::sign_in_place;
use crate::{Error, transport};

/// Signs a built [`reqwest::blocking::Request`] in place, like [`crate::sign`] does for the async
/// client. A body made from a reader ([`Body::new`](reqwest::blocking::Body::new)) is a stream:
/// when the signature covers it, [`SignError::StreamingBody`] (call
/// [`Body::buffer`](reqwest::blocking::Body::buffer) first).
pub fn sign<M: SignatureMethod>(
    signer: &Signer<M>,
    request: &mut Request,
) -> Result<Signed, SignError> {
    sign_in_place(signer, None, request)
}

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`). See
/// [`crate::request_token`].
pub fn request_token(
    client: &Client,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error> {
    consumer.request_token(callback, |signed| post(client, &signed))
}

/// §2.3: exchanges the temporary credentials and the verifier for token credentials. See
/// [`crate::access_token`].
pub fn access_token(
    client: &Client,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error> {
    consumer.access_token(temporary, verifier, |signed| post(client, &signed))
}

/// POSTs a signed flow request (header placement) and reads the answer, error statuses included,
/// at most one byte past what the core accepts (the core refuses a longer one).
fn post(client: &Client, signed: &Signed) -> Result<(u16, Vec<u8>), Error> {
    let mut request = client.post(signed.url());
    if let Some(authorization) = signed.authorization() {
        request = request.header(reqwest::header::AUTHORIZATION, authorization);
    }
    let response = request.send().map_err(transport)?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    response
        .take(MAX_TOKEN_RESPONSE as u64 + 1)
        .read_to_end(&mut body)
        // reqwest's reader wraps its errors in io::Error: the chain keeps them (`source`).
        .map_err(|e| Error::Transport(reqwest_middleware::Error::middleware(e)))?;
    Ok((status, body))
}

impl crate::SignRequestBuilder for RequestBuilder {
    fn sign<M: SignatureMethod>(self, signer: &Signer<M>) -> Result<Self, Error> {
        let (client, request) = self.build_split();
        let mut request = request.map_err(transport)?;
        sign_in_place(signer, None, &mut request)?;
        Ok(RequestBuilder::from_parts(client, request))
    }
}

impl crate::sign::sealed::Sealed for RequestBuilder {}

crate::sign::outgoing!(Request, reqwest::blocking::Body);
