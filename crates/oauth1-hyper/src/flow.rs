//! The three legs (RFC 5849 §2) over any tower HTTP client (hyper-util's `Client`): the core's
//! [`Consumer`] drives them; this module only sends its requests.

use bytes::Bytes;
use http_body_util::Full;
use oauth1_core::client::TokenResponse;
use oauth1_core::{Consumer, FlowError, Signed, TokenCredentials};

use crate::{BoxError, Error};
use oauth1_core::client::TransportError;

/// A tower service that sends the flow's requests (`http::Request<Full<Bytes>>`): hyper-util's
/// legacy `Client`, by reference or clone, is one; every such service is.
pub trait FlowClient:
    tower_service::Service<
        http::Request<Full<Bytes>>,
        Response = http::Response<Self::Answer>,
        Error: Into<BoxError>,
    >
{
    /// The body of its answers.
    type Answer: http_body::Body<Error: Into<BoxError>>;
}

impl<S, R> FlowClient for S
where
    S: tower_service::Service<http::Request<Full<Bytes>>, Response = http::Response<R>>,
    S::Error: Into<BoxError>,
    R: http_body::Body,
    R::Error: Into<BoxError>,
{
    type Answer = R;
}

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`).
pub async fn request_token(
    client: impl FlowClient,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error> {
    let send = |signed| post(client, signed);
    consumer.request_token_async(callback, send).await
}

/// §2.3: exchanges the temporary credentials and the verifier for token credentials.
pub async fn access_token(
    client: impl FlowClient,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error> {
    let send = |signed| post(client, signed);
    consumer.access_token_async(temporary, verifier, send).await
}

/// POSTs a signed flow request (header placement) and reads the answer, at most what the core
/// accepts: a longer (or endless) answer is the core's `FlowError::TooLarge` at once, instead of
/// filling memory.
async fn post(mut client: impl FlowClient, signed: Signed) -> Result<(u16, Bytes), Error> {
    use http_body_util::BodyExt as _;
    let transport = |e: BoxError| Error::Transport(TransportError(e));
    let mut request = http::Request::post(signed.url());
    if let Some(authorization) = signed.authorization() {
        request = request.header(http::header::AUTHORIZATION, authorization);
    }
    let request = request
        .body(Full::new(Bytes::new()))
        .map_err(|e| transport(e.into()))?;
    std::future::poll_fn(|cx| client.poll_ready(cx))
        .await
        .map_err(|e| transport(e.into()))?;
    let response = client
        .call(request)
        .await
        .map_err(|e| transport(e.into()))?;
    let status = response.status().as_u16();
    let limit = oauth1_core::client::MAX_TOKEN_RESPONSE;
    let body = http_body_util::Limited::new(response.into_body(), limit)
        .collect()
        .await
        .map_err(|e| match e.is::<http_body_util::LengthLimitError>() {
            true => Error::Flow(FlowError::TooLarge),
            false => transport(e),
        })?;
    Ok((status, body.to_bytes()))
}
