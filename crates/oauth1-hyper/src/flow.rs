//! The three legs (RFC 5849 §2) over any tower HTTP client (hyper-util's `Client`): the requests
//! and the reading of answers come from the core's [`Consumer`]; this module only sends them.

use bytes::Bytes;
use http_body_util::Full;
use oauth1_core::{Consumer, Signed, TokenCredentials, TokenResponse};

use crate::{BoxError, Error};

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`).
///
/// `client` is any tower service sending `http::Request<Full<Bytes>>`: hyper-util's legacy
/// `Client` (by reference or clone) is one.
pub async fn request_token<S, R>(
    client: S,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error>
where
    S: tower_service::Service<http::Request<Full<Bytes>>, Response = http::Response<R>>,
    S::Error: Into<BoxError>,
    R: http_body::Body,
    R::Error: Into<BoxError>,
{
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed = consumer.temporary_request(callback, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = send(client, &signed).await?;
    Ok(consumer.read_temporary(status, &body)?)
}

/// §2.3: exchanges the temporary credentials and the verifier for token credentials.
pub async fn access_token<S, R>(
    client: S,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error>
where
    S: tower_service::Service<http::Request<Full<Bytes>>, Response = http::Response<R>>,
    S::Error: Into<BoxError>,
    R: http_body::Body,
    R::Error: Into<BoxError>,
{
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed =
        consumer.token_request(temporary, verifier, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = send(client, &signed).await?;
    Ok(consumer.read_token(status, &body)?)
}

/// POSTs a signed flow request (header placement) and reads the whole answer.
async fn send<S, R>(mut client: S, signed: &Signed) -> Result<(u16, Bytes), Error>
where
    S: tower_service::Service<http::Request<Full<Bytes>>, Response = http::Response<R>>,
    S::Error: Into<BoxError>,
    R: http_body::Body,
    R::Error: Into<BoxError>,
{
    use http_body_util::BodyExt as _;
    let mut request = http::Request::post(signed.url());
    if let Some(authorization) = signed.authorization() {
        request = request.header(http::header::AUTHORIZATION, authorization);
    }
    let request = request
        .body(Full::new(Bytes::new()))
        .map_err(|e| Error::Http(e.into()))?;
    std::future::poll_fn(|cx| client.poll_ready(cx))
        .await
        .map_err(|e| Error::Http(e.into()))?;
    let response = client
        .call(request)
        .await
        .map_err(|e| Error::Http(e.into()))?;
    let status = response.status().as_u16();
    // A token response is a few hundred bytes: read one byte past the most the core accepts, so
    // that an endless answer is refused there instead of filling memory.
    let limited = http_body_util::Limited::new(
        response.into_body(),
        oauth1_core::client::MAX_TOKEN_RESPONSE + 1,
    );
    let body = limited
        .collect()
        .await
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                Error::Flow(oauth1_core::FlowError::TooLarge)
            } else {
                Error::Http(e)
            }
        })?
        .to_bytes();
    Ok((status, body))
}
